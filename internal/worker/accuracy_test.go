package worker

import (
	"context"
	"math"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/memprism/memprism/workloads"
)

// TestAccuracyAgainstBenchmem checks the figures of an isolated run against
// what `go test -benchmem` measures for the same work in-process (one op = one
// message): allocs/op within 2%, bytes/op within 5%.
func TestAccuracyAgainstBenchmem(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes")
	}
	cases := []map[string]any{
		{"trades": 20000, "retain": 10000, "symbols": 50, "exchanges": 2, "layout": "compact"},
		{"trades": 20000, "retain": 10000, "symbols": 50, "exchanges": 2, "layout": "naive"},
		{"trades": 20000, "retain": 2000, "symbols": 50, "exchanges": 2, "layout": "naive", "alloc": "pool"},
	}
	dir := t.TempDir()
	for i, params := range cases {
		t.Run(params["layout"].(string)+"-"+strconv.Itoa(i), func(t *testing.T) {
			job := Job{Workload: "trade-churn", Params: params, SampleInterval: time.Millisecond, LeakThreshold: 5 << 20,
				Timeout: time.Minute, ResultPath: filepath.Join(dir, strconv.Itoa(i)+".json"), ProfilePath: filepath.Join(dir, strconv.Itoa(i)+".pprof"), TopN: 10}
			o := Exec(context.Background(), self(t), job, Settings{GOGC: 100})
			if o.Fault != "" {
				t.Fatalf("%s: %s", o.Fault, o.Error)
			}
			bytes, allocs := benchmem(t, params)
			check := func(name string, got, want, tol float64) {
				t.Helper()
				if rel := math.Abs(got-want) / want; rel > tol {
					t.Errorf("%s: harness %.3f, benchmem %.3f: off by %.1f%% (allowed %.0f%%)", name, got, want, 100*rel, 100*tol)
				} else {
					t.Logf("%s: harness %.3f, benchmem %.3f (%.2f%%)", name, got, want, 100*rel)
				}
			}
			check("allocs_per_op", o.Result.Metrics["allocs_per_op"], allocs, 0.02)
			check("bytes_per_op", o.Result.Metrics["bytes_per_op"], bytes, 0.05)
		})
	}
}

// benchmem measures a workload's bytes and allocations per message the way
// testing's -benchmem does: MemStats around repeated runs, divided by messages.
func benchmem(t *testing.T, raw map[string]any) (bytesPerOp, allocsPerOp float64) {
	t.Helper()
	p, err := workloads.Default.Resolve("trade-churn", raw)
	if err != nil {
		t.Fatal(err)
	}
	k, _ := workloads.Default.Lookup("trade-churn")
	var msgs int64
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 3 {
		r, err := k.Execute(context.Background(), p, workloads.RunOptions{SkipSnapshots: true})
		if err != nil {
			t.Fatal(err)
		}
		msgs += r.Ops()
	}
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(msgs), float64(after.Mallocs-before.Mallocs) / float64(msgs)
}
