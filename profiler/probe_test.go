package profiler

import (
	"runtime"
	"testing"
	"time"
)

// probeCase is a workload run in this process the way a leak-probe run
// sees it: no GC of the test's own, the sampler's GC probe (GCQuiet) the
// only source of extra post-GC readings.
type probeCase struct {
	name      string
	dur       time.Duration
	threshold int64
	work      func(elapsed time.Duration, st *realState)
	wantLeak  bool
	wantHeap  bool
	wantGor   bool
}

func probeCases() []probeCase {
	return []probeCase{
		{
			// 400 KB/s retained for 5 s and nothing else allocated: the
			// runtime alone would collect once or twice (the heap goal starts
			// at 4 MiB and doubles), too few cycles to see a trend.
			name: "slow leak, little other allocation", dur: 5 * time.Second, threshold: 1 << 20,
			wantLeak: true, wantHeap: true,
			work: func(e time.Duration, s *realState) { s.retainUpTo(int(400e3*e.Seconds()), 4<<10) },
		},
		{
			name: "goroutine-only leak", dur: 1500 * time.Millisecond, threshold: 5 << 20,
			wantLeak: true, wantGor: true,
			work: func(e time.Duration, s *realState) {
				for n := int(400 * e.Seconds()); len(s.keep) < n; { // 400 goroutines/s, no heap to speak of
					s.keep = append(s.keep, nil)
					s.wg.Add(1)
					go func() { defer s.wg.Done(); <-s.stopGs }()
				}
			},
		},
		{
			// 6 MiB filled in the first second of three, then flat: growth
			// inside the judged window (it starts at 20%), yet no leak.
			name: "plateau a third into the run", dur: 3 * time.Second, threshold: 1 << 20,
			work: func(e time.Duration, s *realState) {
				churn(s)
				for i := len(s.cache); i < min(int(e.Seconds()*96), 96); i++ { // 96 x 64 KiB = 6 MiB
					s.cache[i] = make([]byte, 64<<10)
				}
			},
		},
	}
}

// TestLeakProbeCases runs the probe cases; the heavier one is skipped with -short.
func TestLeakProbeCases(t *testing.T) {
	for _, c := range probeCases() {
		t.Run(c.name, func(t *testing.T) {
			if c.dur > 2*time.Second && testing.Short() {
				t.Skip("runs 5 s; run without -short")
			}
			st := &realState{cache: map[int][]byte{}, stopGs: make(chan struct{})}
			p := MustStart(Options{Interval: time.Millisecond, GCQuiet: 50 * time.Millisecond})
			start := time.Now()
			for e := time.Duration(0); e < c.dur; e = time.Since(start) {
				c.work(e, st)
				time.Sleep(10 * time.Millisecond)
			}
			if err := p.Stop(); err != nil {
				t.Errorf("Stop: %v", err)
			}
			close(st.stopGs)
			st.wg.Wait()
			runtime.KeepAlive(st)
			got := p.DetectLeaks(LeakOptions{Threshold: c.threshold})
			sum := p.Summary()
			t.Logf("detected=%v heap=%v gor=%v cycles=%d (%d probe) growth=%.3g MiB slope=%.3g KiB/s p=%.3g gor growth=%.0f: %s",
				got.Detected, got.HeapLeak, got.GoroutineLeak, got.Window.GCCycles, sum.ProbeGCCycles, got.GrowthBytes/mib,
				got.SlopeBytesPerSec/1024, got.PValue, got.GoroutineGrowth, got.Reason)
			if got.Inconclusive && c.wantHeap {
				t.Fatalf("inconclusive: %s", got.Reason)
			}
			if got.Detected != c.wantLeak || got.HeapLeak != c.wantHeap || got.GoroutineLeak != c.wantGor {
				t.Errorf("got detected=%v heap=%v goroutine=%v, want %v %v %v", got.Detected, got.HeapLeak, got.GoroutineLeak, c.wantLeak, c.wantHeap, c.wantGor)
			}
		})
	}
}
