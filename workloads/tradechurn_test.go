package workloads

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/memprism/memprism/pools"
)

func TestTradeChurnSmoke(t *testing.T) {
	for _, layout := range []string{"naive", "compact"} {
		for _, alloc := range []string{"naive", "pool"} {
			ctx, cancel := context.WithCancel(context.Background())
			res, err := Default.Run(ctx, "trade-churn", map[string]any{"layout": layout, "alloc": alloc, "exchanges": 3, "trades": 3000, "retain": 500, "leak_every": 100, "async_tasks": 2})
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s/%s: %+v %+v", layout, alloc, res, *res.Latency())
		}
	}
}

// liveHeap runs a GC and returns the heap it marked live.
func liveHeap() float64 {
	return float64(TakeSnapshot("").LiveHeapBytes)
}

// recordCost measures what n records of a layout cost when held in a plain
// slice, built by the workload's own decoding path: the records' real size
// per record, slice slot included (the ring holds one pointer per record too).
func recordCost(t *testing.T, layout string, n int) float64 {
	t.Helper()
	sh := &churnShared{syms: pools.NewSymbols(), compact: layout == LayoutCompact}
	for _, e := range genExchanges {
		sh.exSyms = append(sh.exSyms, sh.syms.Intern(e))
	}
	task := newChurnTask(sh, newTradeGen(1, 50, 2), 0, 0)
	// Warm the task's tables (symbols, aggregates) so they are not counted.
	var naive []*pools.NaiveTrade
	var compact []*pools.Trade
	build := func(count int) {
		for range count {
			msg, ex := task.gen.next()
			if sh.compact {
				rec := new(pools.Trade)
				if err := task.normalizeCompact(msg, ex, rec); err != nil {
					t.Fatal(err)
				}
				compact = append(compact, rec)
			} else {
				rec := new(pools.NaiveTrade)
				if _, _, err := normalizeNaive(msg, ex, rec); err != nil {
					t.Fatal(err)
				}
				naive = append(naive, rec)
			}
		}
	}
	build(1000)
	naive, compact = nil, nil
	before := liveHeap()
	if sh.compact { // the slots, as the ring's
		compact = make([]*pools.Trade, 0, n)
	} else {
		naive = make([]*pools.NaiveTrade, 0, n)
	}
	build(n)
	after := liveHeap()
	runtime.KeepAlive(naive)
	runtime.KeepAlive(compact)
	runtime.KeepAlive(task)
	return (after - before) / float64(n)
}

// TestRetainedSnapshotPerRecord pins the retained-memory answer: the
// "retained" snapshot, taken while trade-churn's ring still references its
// records, divided by retain, is the records' real size within 10%.
func TestRetainedSnapshotPerRecord(t *testing.T) {
	for _, tt := range []struct {
		layout string
		n      int
	}{{LayoutNaive, 20_000}, {LayoutCompact, 100_000}} {
		t.Run(tt.layout, func(t *testing.T) {
			real := recordCost(t, tt.layout, tt.n)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			base := liveHeap()
			r, err := Default.Run(ctx, "trade-churn", map[string]any{
				"layout": tt.layout, "trades": tt.n, "retain": tt.n, "symbols": 50, "exchanges": 2})
			if err != nil {
				t.Fatal(err)
			}
			snaps := r.Snapshots()
			if len(snaps) != 1 || snaps[0].Label != RetainedSnapshot {
				t.Fatalf("snapshots %+v, want one %q", snaps, RetainedSnapshot)
			}
			per := (float64(snaps[0].LiveHeapBytes) - base) / float64(tt.n)
			t.Logf("%s: %.1f B per retained record in the snapshot, %.1f B real", tt.layout, per, real)
			if math.Abs(per-real) > 0.10*real {
				t.Errorf("%s: snapshot says %.1f B per record, real size %.1f B: more than 10%% apart", tt.layout, per, real)
			}
		})
	}
}

// TestPoolHitRate checks that pooled variants report pool_hit_rate and others do not.
func TestPoolHitRate(t *testing.T) {
	for _, tt := range []struct {
		kind string
		raw  map[string]any
		want bool
	}{
		{"trade-churn", map[string]any{"alloc": "pool", "trades": 5000, "retain": 100}, true},
		{"trade-churn", map[string]any{"alloc": "naive", "trades": 500, "retain": 100}, false},
		{"fanout", map[string]any{"alloc": "pool", "messages": 2000, "mode": "worker-pool"}, true},
		{"fanout", map[string]any{"alloc": "naive", "messages": 200}, false},
	} {
		t.Run(fmt.Sprint(tt.kind, tt.raw["alloc"]), func(t *testing.T) {
			r, err := runKind(t, tt.kind, tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			ms := r.Metrics()
			if !tt.want {
				if len(ms) != 0 {
					t.Errorf("unpooled run reported %+v", ms)
				}
				return
			}
			if len(ms) != 1 || ms[0].Name != PoolHitRate || !(ms[0].Value > 0.5 && ms[0].Value <= 1) || !ms[0].HigherIsBetter() {
				t.Errorf("metrics %+v, want pool_hit_rate in (0.5, 1], higher is better", ms)
			}
		})
	}
}
