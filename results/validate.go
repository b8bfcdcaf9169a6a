package results

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/memprism/memprism/internal/names"
)

// maxProblems is how many problems Validate lists before it stops.
const maxProblems = 20

// ErrInvalidReport is wrapped by Validate (and so by DecodeReport and
// ReadReport) when a report holds a name or a figure that memprism would not write.
var ErrInvalidReport = errors.New("invalid report")

// Validate checks every name a reader takes from r into file names or onto a
// terminal, with the scenario schema's rules: scenario, variant and workload
// names, metric names, baselines, the characters of verdicts and leak
// severities, and heap
// profile paths (a plain file name in the run directory, ending in .pprof,
// one per variant). It checks every figure of the runs, leak-probe runs and
// summaries against what its metric can take (metric.Info.Allowed: never
// negative for sizes, counts, times and rates, [0, 1] for fractions, at most
// what the source can hold), and that each run's metric values were numbers.
// The leak verdict's and the timeline's figures, and the comparisons and
// target results stored from the runs, are checked likewise (p-values and
// confidences in [0, 1], no negative size, count or time).
// It returns every problem (at most twenty), each naming where in the report
// it is (scenario, variant, run, metric), joined and wrapping ErrInvalidReport.
func Validate(r *Report) error {
	v := validator{}
	v.word("verdict", r.Verdict)
	scenarios := map[string]bool{}
	profiles := map[string]string{}
	for i := range r.Scenarios {
		s := &r.Scenarios[i]
		at := fmt.Sprintf("scenarios[%d]", i)
		if v.name(at+".name", "scenario", s.Name) {
			if scenarios[s.Name] {
				v.add("%s.name: scenario %q appears twice", at, s.Name)
			}
			scenarios[s.Name] = true
			at = fmt.Sprintf("scenario %q", s.Name)
		}
		if s.Workload != "" {
			v.name(at+".workload", "workload", s.Workload)
		}
		v.word(at+".verdict", s.Verdict)
		variants := map[string]bool{}
		for j := range s.Variants {
			va := &s.Variants[j]
			vat := fmt.Sprintf("%s variants[%d]", at, j)
			if v.name(vat+".name", "variant", va.Name) {
				if variants[va.Name] {
					v.add("%s.name: variant %q appears twice", vat, va.Name)
				}
				variants[va.Name] = true
				vat = fmt.Sprintf("%s variant %q", at, va.Name)
			}
			for k, run := range va.Runs {
				v.metricKeys(fmt.Sprintf("%s runs[%d].metrics", vat, k), run.Metrics)
			}
			for name := range va.Summary {
				if err := names.CheckMetric(name); err != nil {
					v.add("%s.summary: %v", vat, err)
				}
			}
			v.values(vat, s, va)
			v.evidence(vat, va)
			if va.Leak != nil {
				v.word(vat+".leak.severity", va.Leak.Severity)
			}
			if va.Profile != "" {
				v.profile(vat+".profile", va.Profile, profiles)
			}
		}
		if s.Baseline != "" {
			v.name(at+".baseline", "baseline", s.Baseline)
		}
		v.derived(at, s)
		for j, t := range s.Targets {
			tat := fmt.Sprintf("%s targets[%d]", at, j)
			if err := names.CheckMetric(t.Metric); err != nil {
				v.add("%s.metric: %v", tat, err)
			}
			for k, tr := range t.Results {
				rat := fmt.Sprintf("%s.results[%d]", tat, k)
				v.name(rat+".variant", "variant", tr.Variant)
				v.word(rat+".verdict", tr.Verdict)
			}
		}
	}
	return v.err()
}

// validator collects a report's problems.
type validator struct {
	problems []string
	more     int
}

func (v *validator) add(format string, args ...any) {
	if len(v.problems) == maxProblems {
		v.more++
		return
	}
	v.problems = append(v.problems, fmt.Sprintf(format, args...))
}

func (v *validator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	msg := strings.Join(v.problems, "\n")
	if v.more > 0 {
		msg += fmt.Sprintf("\n... and %d more problems", v.more)
	}
	return fmt.Errorf("%w:\n%s", ErrInvalidReport, msg)
}

// name checks a scenario, variant or workload name and reports whether it is valid.
func (v *validator) name(at, what, s string) bool {
	if err := names.Check(what, s); err != nil {
		v.add("%s: %v", at, err)
		return false
	}
	return true
}

// word checks a verdict or severity: empty, or a word such as "pass" (the
// set may grow; only the characters are checked).
func (v *validator) word(at, s string) {
	if s != "" && (len(s) > names.MaxLen || !names.Pattern.MatchString(s)) {
		v.add("%s: %q is not a verdict word (e.g. pass, fail, inconclusive, error)", at, s)
	}
}

func (v *validator) metricKeys(at string, m map[string]float64) {
	for name := range m {
		if err := names.CheckMetric(name); err != nil {
			v.add("%s: %v", at, err)
		}
	}
}

// profile checks a heap profile path: a plain .pprof file name inside the run
// directory, not shared with another variant.
func (v *validator) profile(at, p string, seen map[string]string) {
	base := strings.TrimSuffix(p, ".pprof")
	if filepath.Base(p) != p || strings.ContainsAny(p, `/\`) || base == p || !validFileStem(base) {
		v.add("%s: %q is not a heap profile file name; allowed: <scenario>-<variant>.pprof, a plain file name in the run directory", at, p)
		return
	}
	if prev, dup := seen[p]; dup {
		v.add("%s: %q is also the profile of %s; each variant has its own profile", at, p, prev)
		return
	}
	seen[p] = at
}

// validFileStem reports whether s is made of the characters memprism uses in
// output file names and does not start with a dot.
func validFileStem(s string) bool {
	if s == "" || s[0] == '.' || len(s) > 2*names.MaxLen+8 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}
