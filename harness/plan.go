package harness

import (
	"fmt"
	"iter"
	"sort"
	"strings"

	"github.com/memprism/memprism/scenarios"
)

// MaxRuns is the most worker runs (warm-ups, counted runs and leak probes of
// every variant) one suite may plan. At the fixed cost of a run (tens of
// milliseconds) it is hours of work, and the results of that many runs
// still fit comfortably in memory.
const MaxRuns = 100_000

// plannedRun is one run of a scenario's plan.
type plannedRun struct {
	variant string
	index   int // within variant, 0-based, warm-ups first; leak probes count apart
	warmup  bool
	probe   bool // a leak-probe run: GC probe on, figures for the leak verdict only
}

// planRuns yields a scenario's plan one run at a time, never holding it
// whole: warm-ups, then repetitions, variants interleaved A B A B, then the
// leak-probe runs, interleaved too.
func planRuns(variants []string, warmup, reps, probes int) iter.Seq[plannedRun] {
	return func(yield func(plannedRun) bool) {
		for i := 0; i < warmup+reps; i++ {
			for _, v := range variants {
				if !yield(plannedRun{variant: v, index: i, warmup: i < warmup}) {
					return
				}
			}
		}
		for i := 0; i < probes; i++ {
			for _, v := range variants {
				if !yield(plannedRun{variant: v, index: i, probe: true}) {
					return
				}
			}
		}
	}
}

// CheckPlan counts the runs Run would start for suite with opts and refuses
// a plan past the bounds: a repetitions override above
// scenarios.MaxRepetitions, or more than MaxRuns runs in all. The error
// names the scenarios that weigh most. It reads only counts, so it is
// cheap whatever the suite's size.
func CheckPlan(suite *scenarios.Suite, opts Options) (int, error) {
	switch {
	case opts.Repetitions < 0:
		return 0, fmt.Errorf("repetitions override (-reps) %d is negative; give 1..%d, or 0 for the scenarios' own", opts.Repetitions, scenarios.MaxRepetitions)
	case opts.Repetitions > scenarios.MaxRepetitions:
		return 0, fmt.Errorf("repetitions override (-reps) %d is more than the %d repetitions a variant may have", opts.Repetitions, scenarios.MaxRepetitions)
	}
	type weight struct {
		name string
		runs int64
		what string
	}
	var (
		total  int64
		scores []weight
	)
	for _, sc := range suite.Scenarios {
		rs := effectiveRun(sc, opts)
		perVariant := int64(rs.Repetitions) + int64(rs.Warmup) + int64(sc.Leak.ProbeRuns)
		if rs.Repetitions < 0 || rs.Warmup < 0 || sc.Leak.ProbeRuns < 0 {
			return 0, fmt.Errorf("scenario %s: negative repetitions, warm-up or probe runs", sc.Name)
		}
		n := satMul(int64(len(sc.Variants)), perVariant)
		total = satAdd(total, n)
		scores = append(scores, weight{sc.Name, n, fmt.Sprintf("%d variants × (%d repetitions + %d warm-up + %d leak probes)", len(sc.Variants), rs.Repetitions, rs.Warmup, sc.Leak.ProbeRuns)})
	}
	if total <= MaxRuns {
		return int(total), nil
	}
	sort.SliceStable(scores, func(i, j int) bool { return scores[i].runs > scores[j].runs })
	var parts []string
	for _, w := range scores[:min(3, len(scores))] {
		parts = append(parts, fmt.Sprintf("%s: %d runs = %s", w.name, w.runs, w.what))
	}
	return 0, fmt.Errorf("the suite plans %d runs, more than the %d a suite may have (%s); lower the repetitions (-reps, run.repetitions), warm-ups or leak.probe_runs, or run fewer scenarios (-run)",
		total, MaxRuns, strings.Join(parts, "; "))
}

// satAdd and satMul are int64 arithmetic for non-negative counts that
// saturates instead of overflowing.
func satAdd(a, b int64) int64 {
	if a > maxInt64-b {
		return maxInt64
	}
	return a + b
}

func satMul(a, b int64) int64 {
	if a != 0 && b > maxInt64/a {
		return maxInt64
	}
	return a * b
}

const maxInt64 = 1<<63 - 1
