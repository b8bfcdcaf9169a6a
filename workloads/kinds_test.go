package workloads

import (
	"context"
	"errors"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shirou/gopsutil/v4/process"
)

// runKind resolves raw for kind and runs it under a context the test
// cancels at its end (releasing what leaky kinds hold).
func runKind(t *testing.T, kind string, raw map[string]any) (*Run, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return Default.Run(ctx, kind, raw)
}

func checkLatency(t *testing.T, res *Run) {
	t.Helper()
	l := res.Latency()
	if l == nil {
		t.Fatal("no latency summary")
	}
	if l.Count != res.Ops() {
		t.Errorf("latency count %d != ops %d", l.Count, res.Ops())
	}
	if !(0 < l.P50 && l.P50 <= l.P95 && l.P95 <= l.P99 && l.P99 <= l.Max) {
		t.Errorf("latency quantiles out of order: %+v", *l)
	}
}

func TestKindsRunSmall(t *testing.T) {
	tests := []struct {
		kind    string
		give    map[string]any
		wantOps int64 // -1: at least one
	}{
		{"trade-churn", map[string]any{"trades": 600, "retain": 100, "exchanges": 3, "layout": "naive"}, 600},
		{"trade-churn", map[string]any{"trades": 600, "retain": 100, "exchanges": 3, "layout": "compact"}, 600},
		{"trade-churn", map[string]any{"trades": 600, "retain": 100, "exchanges": 3, "layout": "naive", "alloc": "pool", "leak_every": 7}, 600},
		{"trade-churn", map[string]any{"trades": 601, "retain": 0, "exchanges": 2, "layout": "compact", "alloc": "pool", "async_tasks": 3}, 601},
		{"fanout", map[string]any{"messages": 500, "mode": "per-message"}, 500},
		{"fanout", map[string]any{"messages": 500, "mode": "worker-pool", "alloc": "pool", "queue": 0}, 500},
		{"fanout", map[string]any{"messages": 0, "duration": "30ms", "rate": 2000, "mode": "worker-pool"}, -1},
		{"batch", map[string]any{"messages": 1000, "mode": "single"}, 1000},
		{"batch", map[string]any{"messages": 1001, "mode": "batched", "batch_size": 100}, 1001},
		{"batch", map[string]any{"messages": 50, "mode": "batched", "batch_size": 1000, "max_age": "1ms"}, 50},
		{"leak", map[string]any{"mode": "steady", "duration": "20ms", "rate": "1MiB", "chunk": "1KiB"}, -1},
		{"leak", map[string]any{"mode": "cache", "duration": "20ms", "rate": "1MiB", "cache_size": "4KiB", "chunk": "1KiB"}, -1},
		{"leak", map[string]any{"mode": "sawtooth", "duration": "20ms", "rate": "1MiB", "sawtooth": "4KiB", "chunk": "1KiB"}, -1},
		{"fault", map[string]any{"mode": "none", "after": "1ms"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			res, err := runKind(t, tt.kind, tt.give)
			if err != nil {
				t.Fatalf("%v: %v", tt.give, err)
			}
			if tt.wantOps >= 0 && res.Ops() != tt.wantOps || res.Ops() < 1 {
				t.Fatalf("%v: ops = %d, want %d", tt.give, res.Ops(), tt.wantOps)
			}
			k, _ := Lookup(tt.kind)
			if k.Messages {
				checkLatency(t, res)
			} else if res.Latency() != nil {
				t.Errorf("kind without messages reported latency %+v", *res.Latency())
			}
		})
	}
	t.Run("fanout needs a limit", func(t *testing.T) {
		if _, err := runKind(t, "fanout", map[string]any{"messages": 0}); err == nil {
			t.Fatal("fanout without messages or duration succeeded")
		}
	})
}

// mallocs returns the heap objects allocated while f ran.
func mallocs(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.Mallocs - a.Mallocs
}

func TestTradeChurnDeterministicAllocs(t *testing.T) {
	for _, layout := range []string{LayoutNaive, LayoutCompact} {
		t.Run(layout, func(t *testing.T) {
			raw := map[string]any{"trades": 3000, "retain": 500, "exchanges": 3, "layout": layout, "seed": 7}
			run := func() {
				if _, err := runKind(t, "trade-churn", raw); err != nil {
					t.Fatal(err)
				}
			}
			run() // warm up lazily initialized runtime and encoding/json state
			a, b := mallocs(run), mallocs(run)
			// encoding/json keeps scanners in a sync.Pool that a GC may empty, so
			// the naive path may differ by a handful of allocations.
			if d := max(a, b) - min(a, b); float64(d) > 0.002*float64(a)+8 {
				t.Fatalf("allocations differ between runs: %d vs %d", a, b)
			}
			t.Logf("%d allocations per run", a)
		})
	}
}

func TestTradeChurnCompactSmaller(t *testing.T) {
	per := func(layout string) float64 {
		var ops int64
		n := mallocs(func() {
			res, err := runKind(t, "trade-churn", map[string]any{"trades": 2000, "retain": 100, "layout": layout})
			if err != nil {
				t.Fatal(err)
			}
			ops = res.Ops()
		})
		return float64(n) / float64(ops)
	}
	naive, compact := per(LayoutNaive), per(LayoutCompact)
	if compact > 1.1 || naive < 10*compact {
		t.Fatalf("allocs per trade: naive %.2f, compact %.2f; want compact about 1 and naive far above", naive, compact)
	}
}

func TestFanoutPerMessageAccumulatesGoroutines(t *testing.T) {
	peakDuring := func(mode string) int {
		var peak atomic.Int64
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			for {
				peak.Store(max(peak.Load(), int64(runtime.NumGoroutine())))
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Microsecond):
				}
			}
		}()
		base := runtime.NumGoroutine()
		_, err := runKind(t, "fanout", map[string]any{"messages": 400, "mode": mode, "work": 200, "payload": "4KiB", "workers": 2})
		close(stop)
		<-done
		if err != nil {
			t.Fatal(err)
		}
		return int(peak.Load()) - base
	}
	perMsg, pool := peakDuring(FanoutPerMessage), peakDuring(FanoutWorkerPool)
	if perMsg < 20 {
		t.Errorf("per-message mode peaked at %d extra goroutines with slow work, want many", perMsg)
	}
	if pool > 2+3 {
		t.Errorf("worker-pool mode peaked at %d extra goroutines, want about the 2 workers", pool)
	}
}

func TestLeakModes(t *testing.T) {
	live := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	t.Run("heap-leak retains until cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		before := live()
		res, err := Default.Run(ctx, "leak", map[string]any{"mode": "heap-leak", "duration": "100ms", "rate": "40MiB", "chunk": "64KiB"})
		if err != nil {
			t.Fatal(err)
		}
		grew := int64(live()) - int64(before)
		if want := int64(2 << 20); grew < want { // 4MiB owed; allow for a slow machine
			t.Fatalf("heap grew %d bytes after heap-leak (%d chunks), want >= %d", grew, res.Ops(), want)
		}
		cancel()
		deadline := time.Now().Add(2 * time.Second)
		for int64(live())-int64(before) > 1<<20 {
			if time.Now().After(deadline) {
				t.Fatal("leaked memory not released after cancel")
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
	t.Run("steady does not retain", func(t *testing.T) {
		before := live()
		if _, err := runKind(t, "leak", map[string]any{"mode": "steady", "duration": "100ms", "rate": "40MiB", "chunk": "64KiB"}); err != nil {
			t.Fatal(err)
		}
		if grew := int64(live()) - int64(before); grew > 1<<20 {
			t.Fatalf("heap grew %d bytes after steady churn", grew)
		}
	})
	t.Run("goroutine-leak", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		before := runtime.NumGoroutine()
		res, err := Default.Run(ctx, "leak", map[string]any{"mode": "goroutine-leak", "duration": "50ms", "goroutine_rate": 2000})
		if err != nil {
			t.Fatal(err)
		}
		// Goroutines of earlier tests may still be exiting, hence the slack.
		if extra := runtime.NumGoroutine() - before; extra < int(res.Ops())-5 || res.Ops() < 50 {
			t.Fatalf("%d goroutines started, %d more alive than before; want all alive and about 100", res.Ops(), extra)
		}
		// goleak in TestMain checks they exit once cancelled.
	})
}

func TestCancellation(t *testing.T) {
	tests := []struct {
		kind string
		give map[string]any
	}{
		{"trade-churn", map[string]any{"trades": 50_000_000, "layout": "naive"}},
		{"trade-churn", map[string]any{"trades": 50_000_000, "layout": "compact", "async_tasks": 2}},
		{"fanout", map[string]any{"messages": 50_000_000, "mode": "per-message", "rate": 100000}},
		{"fanout", map[string]any{"messages": 50_000_000, "mode": "worker-pool", "work": 100}},
		{"batch", map[string]any{"messages": 50_000_000, "mode": "single"}},
		{"batch", map[string]any{"messages": 50_000_000, "mode": "batched"}},
		{"leak", map[string]any{"mode": "heap-leak", "duration": "1h", "rate": "1MiB"}},
		{"leak", map[string]any{"mode": "goroutine-leak", "duration": "1h"}},
		{"fault", map[string]any{"mode": "panic", "after": "1h"}},
		{"fault", map[string]any{"mode": "oom", "after": "1h"}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := Default.Run(ctx, tt.kind, tt.give)
			took := time.Since(start)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("%v: error %v, want context.DeadlineExceeded", tt.give, err)
			}
			if took > 2*time.Second {
				t.Fatalf("%v: returned %v after cancellation", tt.give, took)
			}
		})
	}
}

// TestLeakRespectsDuration: params that owe far more than any machine can
// allocate in the duration (1 TiB/s in 16-byte chunks, a 16-byte tooth)
// stop a little past the duration instead of running to the timeout.
// TestLeakRespectsDuration checks that a rate no machine can reach does not
// stretch the run: at 1 TiB/s in 16-byte chunks a 50ms run owes 3.4e9
// chunks, a minute or more of allocating, and must stop instead a little
// past its duration. Stopping is checked on the work done, which machine
// load cannot inflate: the chunks allocated are a small share of what was
// owed, and the CPU time the process spent over the run stays under a
// second (the stop is at 50ms + 10% + 10ms of wall time; a loaded machine
// gives the loop less CPU in that time, never more). The wall-clock limit
// is a hang guard only.
func TestLeakRespectsDuration(t *testing.T) {
	const owed = (1 << 40) / 20 / 16 // 1 TiB/s for 50ms, in 16-byte chunks
	self, err := process.NewProcess(int32(os.Getpid()))
	if err != nil {
		t.Fatal(err)
	}
	cpu := func() time.Duration {
		t.Helper()
		ts, err := self.Times()
		if err != nil {
			t.Fatal(err)
		}
		return time.Duration((ts.User + ts.System) * float64(time.Second))
	}
	for _, mode := range []string{LeakSawtooth, LeakSteady, LeakHeap, LeakCache} {
		t.Run(mode, func(t *testing.T) {
			start, cpuStart := time.Now(), cpu()
			res, err := runKind(t, "leak", map[string]any{"mode": mode, "duration": "50ms", "rate": "1TiB", "chunk": 16, "sawtooth": 16, "cache_size": 16})
			if err != nil {
				t.Fatal(err)
			}
			used, took := cpu()-cpuStart, time.Since(start)
			if used > time.Second {
				t.Errorf("a 50ms run used %s of CPU time (%s of wall time, %d chunks)", used, took, res.Ops())
			}
			if took > 30*time.Second {
				t.Errorf("a 50ms run took %s: hung (%d chunks)", took, res.Ops())
			}
			if res.Ops() == 0 {
				t.Error("no allocation at all")
			}
			if res.Ops() > owed/100 {
				t.Errorf("allocated %d of the %d chunks owed: the run did not stop short", res.Ops(), int64(owed))
			}
		})
	}
}
