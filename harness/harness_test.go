package harness

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

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
	if mode := os.Getenv(swapEnv); mode != "" {
		os.Exit(swapBinarySuite(mode))
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
	var first, last Progress
	dir := t.TempDir()
	rep, err := Run(context.Background(), suite, Options{
		Executable: os.Args[0], Dir: dir,
		Progress: func(p Progress) {
			if first.Total == 0 {
				first = p
			}
			last = p
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
	// 14 runs of a 30 ms send window: all of it left at the start, all done at the end.
	if w := 14 * 30 * time.Millisecond; first.WindowLeft != w || first.WindowDone != 0 || last.WindowDone != w || last.WindowLeft != 0 {
		t.Errorf("send windows: first %v done / %v left, last %v / %v; want 0 / %v, then %v / 0", first.WindowDone, first.WindowLeft, last.WindowDone, last.WindowLeft, w, w)
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
	// 64KiB chunks allocate far fewer objects than 1KiB ones, but with 4
	// runs a side the runtime's own allocations can leave the 97% interval
	// across the line: pass or inconclusive, never fail, and judged on an
	// interval of 4+4 runs.
	// When every run of one side allocated exactly as many objects (it
	// happens: the count is nearly deterministic), the rule is the exact sign
	// test of the other side, which needs 6 runs: inconclusive, no interval.
	tr := sc.Targets[0].Results[0]
	constant := false
	for _, v := range sc.Variants {
		xs := results.RunValues(&v, "total_allocs")
		same := len(xs) > 0
		for _, x := range xs {
			same = same && x == xs[0]
		}
		constant = constant || same
	}
	interval := tr.HasInterval() || (constant && tr.Verdict == results.Inconclusive)
	if tr.Verdict == results.Fail || tr.N != 4 || tr.BaselineN != 4 || !interval || (tr.HasInterval() && tr.Reduction < 0.5) {
		t.Errorf("64KiB chunks vs 1KiB: total_allocs target %s, n=%d+%d, reduction %.3f (%s); want pass or inconclusive on an interval of 4+4 runs, estimate past the line",
			tr.Verdict, tr.BaselineN, tr.N, tr.Reduction, tr.Reason)
	}
	// The leak: block makes leaks judged: a variant whose 30 ms probe runs
	// had too few GC cycles leaves the scenario inconclusive, never pass.
	want := tr.Outcome
	for _, v := range sc.Variants {
		if v.Leak != nil && v.Leak.Verdict == results.Inconclusive && want == results.Pass {
			want = results.Inconclusive
		}
	}
	if rep.Verdict != want || rep.Incomplete {
		t.Errorf("report verdict %s incomplete %v, want %s", rep.Verdict, rep.Incomplete, want)
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

// swapEnv makes the test binary run swapBinarySuite instead of its tests.
const swapEnv = "MEMPRISM_TEST_SWAP_BINARY"

// swapBinarySuite runs a four-run suite with the default worker binary and,
// once the first run is done, deletes this binary's file ("delete") or puts
// a script that exits 42 in its place ("replace"). It prints each counted
// run's fault and error, one per line, and returns the exit code.
func swapBinarySuite(mode string) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	sc, err := scenarios.Parse("swap.yaml", []byte(`
name: swap
workload: fault
params: {mode: none}
variants: [{name: a}]
run: {repetitions: 4, warmup: 0, timeout: 20s}
`), workloads.Default)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var swapErr error
	swapped := false
	rep, err := Run(context.Background(), &scenarios.Suite{Scenarios: []*scenarios.Scenario{sc}}, Options{
		Dir: os.Getenv("MEMPRISM_TEST_SWAP_DIR"),
		Progress: func(p Progress) {
			if !p.Done || swapped {
				return
			}
			swapped = true
			if swapErr = os.Remove(exe); swapErr == nil && mode == "replace" {
				swapErr = os.WriteFile(exe, []byte("#!/bin/sh\necho replaced binary ran >&2\nexit 42\n"), 0o755)
			}
		},
	})
	if err != nil || swapErr != nil {
		fmt.Fprintln(os.Stderr, err, swapErr)
		return 1
	}
	for _, r := range rep.Scenarios[0].Variants[0].Runs {
		fmt.Printf("%s\t%s\n", r.Fault, r.Error)
	}
	return 0
}

// TestDeletedOrReplacedBinary starts a suite from a copy of this test binary
// and deletes or replaces that copy after the first run. On Linux every run
// must still come from the original binary (re-executed through
// /proc/self/exe); elsewhere the runs after the swap are refused with a
// message, never run from the new file.
func TestDeletedOrReplacedBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes")
	}
	for _, mode := range []string{"delete", "replace"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			bin := filepath.Join(dir, "memprism-copy")
			data, err := os.ReadFile(os.Args[0])
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(bin, data, 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(bin)
			cmd.Env = append(os.Environ(), swapEnv+"="+mode, "MEMPRISM_TEST_SWAP_DIR="+filepath.Join(dir, "run"))
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("suite: %v\n%s", err, stderr.String())
			}
			lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
			if len(lines) != 4 {
				t.Fatalf("%d runs reported, want 4:\n%s", len(lines), out)
			}
			for i, line := range lines {
				fault, msg, _ := strings.Cut(line, "\t")
				switch {
				case runtime.GOOS == "linux" && fault != "":
					t.Errorf("run %d: %s: %s (want it run by the original binary)", i+1, fault, msg)
				case runtime.GOOS != "linux" && i > 0 && (fault != worker.FaultProtocol || !strings.Contains(msg, "since the suite started")):
					t.Errorf("run %d after the swap: %q %q, want refused", i+1, fault, msg)
				}
			}
			if mode == "replace" {
				// The file at the path really is another program now.
				if err := exec.Command(bin).Run(); err == nil || !strings.Contains(err.Error(), "exit status 42") {
					t.Errorf("replacement script: %v, want exit status 42", err)
				}
			}
		})
	}
}

// TestRunAppliesRuntimeSettings runs scenarios whose run settings the
// workers must really get: each worker reads back its runtime configuration
// and the harness fails a run whose settings differ (worker.checkRuntime),
// so clean runs here mean gogc: 0 ran at GOGC=0, and so on.
func TestRunAppliesRuntimeSettings(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes")
	}
	t.Setenv("GOGC", "400") // the parent's own setting must not reach the workers
	for _, run := range []string{
		"{repetitions: 2, warmup: 0, gogc: 0}",
		"{repetitions: 2, warmup: 0, gogc: off, memory_limit: 64MiB, gomaxprocs: 3}",
		"{repetitions: 2, warmup: 0, gogc: 25, timeout: 168h}",
	} {
		t.Run(run, func(t *testing.T) {
			suite := parseSuite(t, "name: settings\nworkload: fault\nparams: {mode: none}\nvariants: [{name: a}]\nleak: {probe_runs: 0}\nrun: "+run+"\n")
			rep, err := Run(context.Background(), suite, Options{Executable: os.Args[0], Dir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rep.Scenarios[0].Variants[0].Runs {
				if r.Fault != "" {
					t.Errorf("%s: %s", r.Fault, r.Error)
				}
			}
			if n := len(rep.Scenarios[0].Variants[0].Runs); n != 2 {
				t.Errorf("%d runs, want 2", n)
			}
			got, want := rep.Scenarios[0].Run, suite.Scenarios[0].Run
			if got.GOGC != want.GOGC || got.GOMAXPROCS != want.GOMAXPROCS || got.MemoryLimitBytes != int64(want.MemoryLimit) {
				t.Errorf("report records %+v, the scenario asked %+v", got, want)
			}
		})
	}
}

func TestHardLimitNoOverflow(t *testing.T) {
	if got := hardLimit(1 << 30); got != 2<<30+64<<20 {
		t.Errorf("hardLimit(1GiB) = %d", got)
	}
	for _, limit := range []int64{math.MaxInt64, math.MaxInt64 / 2, math.MaxInt64/2 - 1} {
		if got := hardLimit(limit); got <= 0 {
			t.Errorf("hardLimit(%d) = %d: overflowed", limit, got)
		}
	}
}
