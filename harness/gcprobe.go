package harness

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// gcProbe guarantees the leak judge enough post-GC observations of the live
// heap. A process that only retains memory (a pure leak) collects rarely,
// since each cycle doubles the heap goal, and a trend test needs many cycles.
// The probe forces a collection only when none has completed for Quiet, so
// allocation-heavy workloads, which collect far more often, never see one.
type gcProbe struct {
	Quiet  time.Duration
	stop   chan struct{}
	done   sync.WaitGroup
	forced uint64
}

func startGCProbe(quiet time.Duration) *gcProbe {
	p := &gcProbe{Quiet: quiet, stop: make(chan struct{})}
	p.done.Add(1)
	go p.loop()
	return p
}

func (p *gcProbe) loop() {
	defer p.done.Done()
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	read := func() uint64 {
		metrics.Read(s)
		if s[0].Value.Kind() == metrics.KindUint64 {
			return s[0].Value.Uint64()
		}
		return 0
	}
	tick := time.NewTicker(p.Quiet / 4)
	defer tick.Stop()
	last, lastAt := read(), time.Now()
	for {
		select {
		case <-p.stop:
			return
		case now := <-tick.C:
			if c := read(); c != last {
				last, lastAt = c, now
				continue
			}
			if now.Sub(lastAt) >= p.Quiet {
				runtime.GC()
				p.forced++
				last, lastAt = read(), time.Now()
			}
		}
	}
}

// Stop ends the probe and returns how many collections it forced.
func (p *gcProbe) Stop() uint64 {
	close(p.stop)
	p.done.Wait()
	return p.forced
}
