package workloads

import (
	"context"
	"fmt"
	"time"
)

// Leak modes.
const (
	LeakSteady    = "steady"
	LeakHeap      = "heap-leak"
	LeakGoroutine = "goroutine-leak"
	LeakCache     = "cache"
	LeakSawtooth  = "sawtooth"
)

func init() {
	Register(Kind{
		Name: "leak",
		Doc:  "controlled memory behaviours (steady churn, heap leak, goroutine leak, bounded cache, sawtooth) for testing leak detection",
		Params: []ParamSpec{
			{Name: "mode", Type: String, Default: LeakSteady, Doc: "memory behaviour", Enum: []string{LeakSteady, LeakHeap, LeakGoroutine, LeakCache, LeakSawtooth}},
			{Name: "duration", Type: Duration, Default: 2 * time.Second, Doc: "how long to run; allocation happens on a 1ms tick", Min: 0.001, Max: 3600, Scales: true},
			{Name: "rate", Type: Size, Default: int64(8 << 20), Doc: "bytes allocated per second (retained by heap-leak, cache fill, sawtooth growth)", Min: 1, Max: 1 << 40},
			{Name: "chunk", Type: Size, Default: int64(8 << 10), Doc: "size of one allocation", Min: 16, Max: 1 << 30},
			{Name: "cache_size", Type: Size, Default: int64(16 << 20), Doc: "cache mode: capacity of the bounded cache, after which it plateaus", Min: 1, Max: 1 << 40},
			{Name: "sawtooth", Type: Size, Default: int64(32 << 20), Doc: "sawtooth mode: bytes accumulated before all are dropped", Min: 1, Max: 1 << 40},
			{Name: "goroutine_rate", Type: Int, Default: int64(500), Doc: "goroutine-leak mode: goroutines started per second, each blocking until the run's context ends", Min: 1, Max: 1_000_000},
		},
		Run: runLeak,
	})
}

// runLeak allocates on a 1ms tick for the duration. Each tick owes
// rate*elapsed bytes in total, so a late tick catches up and the byte count
// is independent of scheduling; params that owe more than the machine can
// allocate in time stop short once the loops have spent a little more than
// the duration allocating. What heap-leak retains and the goroutines
// goroutine-leak starts stay alive after Run returns, until ctx is done: the
// leak outlives the workload within the process, yet a caller that cancels
// (tests under goleak) gets everything back. Ops counts chunks allocated
// (goroutines started in goroutine-leak mode).
func runLeak(ctx context.Context, r *Run) error {
	p := r.Params
	mode, dur := p.String("mode"), p.Duration("duration")
	rate, chunk := p.Int("rate"), p.Int("chunk")
	goroutineRate, tooth := p.Int("goroutine_rate"), p.Int("sawtooth")
	var (
		ops      int64
		kept     [][]byte // heap-leak: everything; sawtooth: the current tooth
		cache    [][]byte // cache: a ring of chunks
		cacheAt  int
		steady   [16][]byte // steady: a few recent chunks so the work is not dead code
		toothLen int64
		started  int64
	)
	if mode == LeakCache {
		cache = make([][]byte, max(1, p.Int("cache_size")/chunk))
	}
	defer func() { r.AddOps(ops) }()
	start := time.Now()
	// Once the loops have spent the duration (plus a little grace for the
	// last tick's catch-up) allocating, they stop, whatever the params owe:
	// a rate no machine can reach must not stretch the run to its timeout.
	// Only time spent allocating counts, not time spent waiting for a tick:
	// a process the OS left waiting past the whole duration (a loaded
	// machine) still allocates what it owes, where it used to allocate
	// nothing at all.
	stop := dur + dur/10 + 10*time.Millisecond
	var busy time.Duration // spent in the allocation loops of earlier ticks
	var tickAt time.Time   // when this tick's loop began
	late := func(n int64) bool { return (n&63 == 0 || chunk >= 1<<20) && busy+time.Since(tickAt) > stop }
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	deadline := time.NewTimer(dur)
	defer deadline.Stop()
	for done := false; !done; {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			done = true
		case <-tick.C:
		}
		tickAt = time.Now()
		elapsed := min(tickAt.Sub(start), dur)
		if mode == LeakGoroutine {
			owed := int64(elapsed.Seconds() * float64(goroutineRate))
			for ; started < owed && !late(started); started++ {
				go func() {
					<-ctx.Done()
				}()
			}
			ops = started
			busy += time.Since(tickAt)
			continue
		}
		owed := int64(elapsed.Seconds()*float64(rate)) / chunk
		for ; ops < owed; ops++ {
			if late(ops) {
				done = true
				break
			}
			b := make([]byte, chunk)
			b[0], b[len(b)-1] = byte(ops), byte(ops>>8) // touch both ends
			switch mode {
			case LeakSteady:
				steady[ops%int64(len(steady))] = b
			case LeakHeap:
				kept = append(kept, b)
			case LeakCache:
				cache[cacheAt] = b
				cacheAt = (cacheAt + 1) % len(cache)
			case LeakSawtooth:
				kept = append(kept, b)
				if toothLen += chunk; toothLen >= tooth {
					kept, toothLen = nil, 0
				}
			default:
				return fmt.Errorf("leak: unknown mode %q", mode)
			}
		}
		busy += time.Since(tickAt)
	}
	if mode == LeakHeap {
		holdUntilDone(ctx, kept)
	}
	return nil
}
