package results

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Merge joins the reports of the shards of one suite run (run -shard K/N)
// into one report, scenarios in suite order. It refuses, with an error that
// names the report and the difference, shards measured at different commits
// (or one with a dirty tree), with a different Go version or platform, with
// different settings (-quick, -reps, -run) or from different suites, and an
// incomplete set (a shard missing or given twice). Machines may differ in
// CPU model and size (CI runners do); each such difference is returned in
// warnings. names label the reports in messages (their paths).
func Merge(names []string, reports []*Report) (merged *Report, warnings []string, err error) {
	if len(reports) == 0 {
		return nil, nil, errors.New("merge: no reports")
	}
	if len(names) != len(reports) {
		return nil, nil, fmt.Errorf("merge: %d names for %d reports", len(names), len(reports))
	}
	first := reports[0]
	if first.Settings.Shard == nil {
		return nil, nil, fmt.Errorf("merge: %s is not a shard report (run it with -shard K/N)", names[0])
	}
	n := first.Settings.Shard.Count
	byIndex := make([]int, n+1) // shard index -> position in reports + 1
	var errs []error
	for i, r := range reports {
		sh := r.Settings.Shard
		if sh == nil {
			errs = append(errs, fmt.Errorf("%s is not a shard report (run it with -shard K/N)", names[i]))
			continue
		}
		if i > 0 {
			errs = append(errs, sameRun(names[0], first, names[i], r)...)
		}
		if sh.Count != n {
			errs = append(errs, fmt.Errorf("%s is shard %d/%d, but %s is one of %d shards", names[i], sh.Index, sh.Count, names[0], n))
			continue
		}
		if !slices.Equal(sh.Suite, first.Settings.Shard.Suite) {
			errs = append(errs, fmt.Errorf("%s ran a different suite (%s) from %s (%s)", names[i], strings.Join(sh.Suite, ", "), names[0], strings.Join(first.Settings.Shard.Suite, ", ")))
			continue
		}
		if sh.Index < 1 || sh.Index > n {
			errs = append(errs, fmt.Errorf("%s: shard index %d out of 1..%d", names[i], sh.Index, n))
			continue
		}
		if j := byIndex[sh.Index]; j > 0 {
			errs = append(errs, fmt.Errorf("shard %d/%d given twice: %s and %s", sh.Index, n, names[j-1], names[i]))
			continue
		}
		byIndex[sh.Index] = i + 1
	}
	if len(errs) == 0 {
		var missing []string
		for k := 1; k <= n; k++ {
			if byIndex[k] == 0 {
				missing = append(missing, fmt.Sprintf("%d/%d", k, n))
			}
		}
		if len(missing) > 0 {
			errs = append(errs, fmt.Errorf("shard %s missing: give the reports of all %d shards", strings.Join(missing, ", "), n))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, fmt.Errorf("merge: %w", err)
	}
	for i, r := range reports[1:] {
		warnings = append(warnings, machineDiffs(names[0], first, names[i+1], r)...)
	}

	out := &Report{
		SchemaVersion: first.SchemaVersion,
		StartedAt:     first.StartedAt,
		FinishedAt:    first.FinishedAt,
		Env:           first.Env,
		Settings:      first.Settings,
		Scenarios:     []Scenario{},
	}
	out.Settings.Shard, out.Settings.Shards = nil, n
	byName := map[string]Scenario{}
	for _, r := range reports {
		if r.StartedAt.Before(out.StartedAt) {
			out.StartedAt = r.StartedAt
		}
		if r.FinishedAt.After(out.FinishedAt) {
			out.FinishedAt = r.FinishedAt
		}
		out.Incomplete = out.Incomplete || r.Incomplete
		out.Settings.NoPlots = out.Settings.NoPlots && r.Settings.NoPlots
		for _, s := range r.Scenarios {
			byName[s.Name] = s
		}
	}
	for _, name := range first.Settings.Shard.Suite {
		if s, ok := byName[name]; ok {
			out.Scenarios = append(out.Scenarios, s)
		} else if !out.Incomplete {
			return nil, nil, fmt.Errorf("merge: no shard holds scenario %s of the suite", name)
		}
	}
	out.Verdict = ReportVerdict(out.Scenarios)
	return out, warnings, nil
}

// sameRun lists what makes b a shard of another run than a.
func sameRun(aName string, a *Report, bName string, b *Report) []error {
	var errs []error
	diff := func(what, x, y string) {
		if x != y {
			errs = append(errs, fmt.Errorf("%s %s is %q, but %s's is %q", bName, what, y, aName, x))
		}
	}
	diff("commit", a.Env.Commit, b.Env.Commit)
	diff("dirty tree", fmt.Sprint(a.Env.Dirty), fmt.Sprint(b.Env.Dirty))
	diff("Go version", a.Env.GoVersion, b.Env.GoVersion)
	diff("platform", a.Env.GOOS+"/"+a.Env.GOARCH, b.Env.GOOS+"/"+b.Env.GOARCH)
	diff("setting -quick", fmt.Sprint(a.Settings.Quick), fmt.Sprint(b.Settings.Quick))
	diff("setting -reps", fmt.Sprint(a.Settings.Repetitions), fmt.Sprint(b.Settings.Repetitions))
	diff("setting -run", a.Settings.Filter, b.Settings.Filter)
	diff("schema version", fmt.Sprint(a.SchemaVersion), fmt.Sprint(b.SchemaVersion))
	return errs
}

// machineDiffs lists how b's machine differs from a's.
func machineDiffs(aName string, a *Report, bName string, b *Report) []string {
	var out []string
	diff := func(what, x, y string) {
		if x != y {
			out = append(out, fmt.Sprintf("%s ran on a machine with %s %s, %s on one with %s", bName, what, y, aName, x))
		}
	}
	diff("CPU", a.Env.CPUModel, b.Env.CPUModel)
	diff("CPUs", fmt.Sprint(a.Env.CPUs), fmt.Sprint(b.Env.CPUs))
	diff("memory", FormatBytes(float64(a.Env.MemoryTotalBytes)), FormatBytes(float64(b.Env.MemoryTotalBytes)))
	return out
}

// ReportVerdict is the verdict of a report of these scenarios: error when a
// scenario errored, else fail when one failed, else inconclusive when one was
// inconclusive, else pass.
func ReportVerdict(scs []Scenario) string {
	v := Pass
	for _, s := range scs {
		switch s.Verdict {
		case Error:
			return Error
		case Fail:
			v = Fail
		case Inconclusive:
			if v == Pass {
				v = Inconclusive
			}
		}
	}
	return v
}
