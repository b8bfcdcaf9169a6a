package harness

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/memprism/memprism/internal/worker"
	"github.com/memprism/memprism/results"
	"github.com/memprism/memprism/scenarios"
	"github.com/memprism/memprism/workloads"
	"go.uber.org/goleak"
)

// TestMain lets the test binary serve as the worker: the harness re-executes
// os.Args[0] with worker.Command, as the memprism binary does.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[len(os.Args)-1] == worker.Command {
		if err := worker.Serve(context.Background(), workloads.Default, os.Stdin); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

func parseSuite(t *testing.T, yaml string) *scenarios.Suite {
	t.Helper()
	sc, err := scenarios.Parse("test.yaml", []byte(yaml), workloads.Default)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return &scenarios.Suite{Scenarios: []*scenarios.Scenario{sc}}
}

func TestRunInterleavesVariants(t *testing.T) {
	suite := parseSuite(t, `
name: interleave
workload: leak
params: {mode: steady, duration: 30ms, rate: 16MiB}
variants:
  - name: a
  - name: b
    params: {chunk: 64KiB}
baseline: a
targets:
  - metric: total_allocs
    reduction: 50%
run: {repetitions: 4, warmup: 1, timeout: 20s}
leak: {probe_runs: 2}
`)
	var order []string
	dir := t.TempDir()
	rep, err := Run(context.Background(), suite, Options{
		Executable: os.Args[0], Dir: dir,
		Progress: func(p Progress) {
			if !p.Done {
				w := ""
				if p.Warmup {
					w = "w"
				}
				if p.LeakProbe {
					w = "p"
				}
				order = append(order, w+p.Variant+strconv.Itoa(p.Run))
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(order, " "), "wa1 wb1 a1 b1 a2 b2 a3 b3 a4 b4 pa1 pb1 pa2 pb2"; got != want {
		t.Errorf("run order %q, want %q (warm-up first, then interleaved, leak probes last)", got, want)
	}
	sc := rep.Scenarios[0]
	for _, v := range sc.Variants {
		if len(v.Runs) != 4 {
			t.Errorf("variant %s: %d counted runs, want 4 (warm-up discarded)", v.Name, len(v.Runs))
		}
		for _, r := range v.Runs {
			if f, ok := r.Metrics["forced_gc_cycles"]; !ok || f != 0 {
				t.Errorf("variant %s: a measurement run has forced_gc_cycles %v (present %v), want 0", v.Name, f, ok)
			}
		}
		if len(v.LeakProbeRuns) != 2 || v.Leak == nil || v.Leak.Runs != 2 {
			t.Errorf("variant %s: %d leak-probe runs, leak %+v; want 2 probes judged", v.Name, len(v.LeakProbeRuns), v.Leak)
		}
		if s := v.Summary["total_allocs"]; s.N != 4 || s.Median <= 0 {
			t.Errorf("variant %s: total_allocs summary %+v", v.Name, s)
		}
		if v.Summary["peak_rss_bytes"].Median <= 0 {
			t.Errorf("variant %s: no peak RSS from rusage", v.Name)
		}
		if v.Profile == "" {
			t.Errorf("variant %s: no heap profile", v.Name)
		} else if _, err := os.Stat(filepath.Join(dir, v.Profile)); err != nil {
			t.Errorf("variant %s: %v", v.Name, err)
		}
		if v.Timeline == nil || len(v.Timeline.TSeconds) == 0 {
			t.Errorf("variant %s: empty timeline", v.Name)
		}
	}
	if got := sc.Targets[0].Results[0].Verdict; got != results.Pass {
		t.Errorf("64KiB chunks vs 1KiB: total_allocs target %s (%s), want pass", got, sc.Targets[0].Results[0].Reason)
	}
	if rep.Verdict != results.Pass || rep.Incomplete {
		t.Errorf("report verdict %s incomplete %v", rep.Verdict, rep.Incomplete)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".work-") {
			t.Errorf("work directory %s left behind", e.Name())
		}
	}
}

func TestRunCanceledIsIncomplete(t *testing.T) {
	suite := parseSuite(t, `
name: cancel
workload: leak
params: {mode: steady, duration: 300ms}
variants: [{name: a}]
run: {repetitions: 50, warmup: 0}
`)
	ctx, cancel := context.WithCancel(context.Background())
	done := 0
	rep, err := Run(ctx, suite, Options{Executable: os.Args[0], Dir: t.TempDir(), Progress: func(p Progress) {
		if p.Done {
			done++
			if done == 2 {
				cancel()
			}
		}
	}})
	if err == nil || rep == nil || !rep.Incomplete {
		t.Fatalf("want an incomplete report and an error, got %v, %+v", err, rep)
	}
	if n := len(rep.Scenarios[0].Variants[0].Runs); n < 1 || n > 3 {
		t.Errorf("%d runs recorded after cancel at the second", n)
	}
}
