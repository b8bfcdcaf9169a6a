// Package verdictsim measures the error rates of memprism's target rule by
// simulation: the rule of package verdict next to the rule it replaced, on
// the cases of issue 8 (normal and lognormal noise, CV 2% and 15%, unequal
// shapes and unequal run counts). `go run ./internal/verdictsim/cmd` prints
// the table; verdict's Monte-Carlo test pins the new rule's rates.
package verdictsim

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"text/tabwriter"

	"github.com/memprism/memprism/verdict"
	"golang.org/x/perf/benchmath"
)

// Noise draws one run's value around a median with a coefficient of variation.
type Noise struct {
	Name string
	// Draw returns a value whose median is median and whose CV is cv.
	Draw func(rng *rand.Rand, median, cv float64) float64
}

// Normal is Gaussian noise; Lognormal is log-normal noise of the same CV.
var (
	Normal = Noise{"normal", func(rng *rand.Rand, m, cv float64) float64 { return m * (1 + cv*rng.NormFloat64()) }}
	// The median of a lognormal is exp(mu); its CV is sqrt(exp(s^2)-1).
	Lognormal = Noise{"lognormal", func(rng *rand.Rand, m, cv float64) float64 {
		s := math.Sqrt(math.Log1p(cv * cv))
		return m * math.Exp(s*rng.NormFloat64())
	}}
	// Constant is no noise at all: a deterministic count.
	Constant = Noise{"constant", func(_ *rand.Rand, m, _ float64) float64 { return m }}
)

// Side is how one side of a comparison is drawn.
type Side struct {
	N     int
	Noise Noise
	CV    float64
}

func (s Side) String() string {
	if s.Noise.Name == Constant.Name {
		return fmt.Sprintf("n=%d constant", s.N)
	}
	return fmt.Sprintf("n=%d %s CV %.0f%%", s.N, s.Noise.Name, 100*s.CV)
}

// Cell is one simulated situation: baseline and variant draws.
type Cell struct {
	Base, Cand Side
}

// Cells are the cases of issue 8: equal sides at n=5 and n=10 for both
// noises and CVs, then unequal shapes and unequal n.
func Cells() []Cell {
	var out []Cell
	for _, n := range []int{5, 10} {
		for _, noise := range []Noise{Normal, Lognormal} {
			for _, cv := range []float64{0.02, 0.15} {
				out = append(out, Cell{Side{n, noise, cv}, Side{n, noise, cv}})
			}
		}
	}
	return append(out,
		Cell{Side{10, Normal, 0.15}, Side{10, Normal, 0.02}},      // noisy baseline, quiet variant
		Cell{Side{10, Lognormal, 0.15}, Side{10, Normal, 0.02}},   // different shapes
		Cell{Side{5, Normal, 0.15}, Side{5, Lognormal, 0.02}},     // different shapes, few runs
		Cell{Side{10, Normal, 0.15}, Side{10, Constant, 0}},       // constant variant
		Cell{Side{5, Normal, 0.15}, Side{5, Constant, 0}},         // constant variant, few runs
		Cell{Side{10, Normal, 0.15}, Side{4, Normal, 0.15}},       // unequal n
		Cell{Side{4, Lognormal, 0.15}, Side{10, Lognormal, 0.15}}, // unequal n, other way
		Cell{Side{20, Normal, 0.02}, Side{5, Normal, 0.15}},       // unequal n and spread
		Cell{Side{10, Normal, 0.15}, Side{2, Normal, 0.15}},       // 10 against 2
	)
}

// Rule judges cand against base for a reduction target; it returns the verdict.
type Rule func(base, cand []float64, reduction float64) string

// NewRule is verdict.JudgeReduction.
func NewRule(base, cand []float64, reduction float64) string {
	return verdict.JudgeReduction(base, cand, reduction).Verdict
}

// OldRule is the rule harness/judge.go applied before issue 8 (for metrics
// that are not exact counts), kept here only to measure it: the baseline
// median taken as exact, the variant's median interval (benchmath, or the
// range below 6 runs) against the line, a two-sided Mann-Whitney test of "no
// difference", and any sample median short of the line is a fail.
func OldRule(base, cand []float64, reduction float64) string {
	if len(base) == 0 || len(cand) == 0 {
		return verdict.Inconclusive
	}
	th := &benchmath.Thresholds{CompareAlpha: 0.05}
	sum := func(xs []float64) (med, lo, hi float64) {
		s := benchmath.NewSample(append([]float64(nil), xs...), th)
		r := benchmath.AssumeNothing.Summary(s, 0.95)
		lo, hi = r.Lo, r.Hi
		if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			lo, hi = s.Values[0], s.Values[len(s.Values)-1]
		}
		return r.Center, lo, hi
	}
	bm, _, _ := sum(base)
	cm, _, chi := sum(cand)
	red := 0.0
	if bm != 0 {
		red = 1 - cm/bm
	}
	c := benchmath.AssumeNothing.Compare(benchmath.NewSample(append([]float64(nil), base...), th), benchmath.NewSample(append([]float64(nil), cand...), th))
	enough := verdict.MinOneSidedP(len(base), len(cand))*2 <= 0.05
	if !enough {
		return verdict.Inconclusive
	}
	sig := c.P <= 0.05
	line := bm * (1 - reduction)
	switch {
	case red >= reduction && sig && chi <= line:
		return verdict.Pass
	case red >= reduction:
		return verdict.Inconclusive
	default:
		return verdict.Fail
	}
}

// Rates are the shares of verdicts over trials.
type Rates struct{ Pass, Fail, Inconclusive float64 }

// Simulate draws trials comparisons of cell at a true reduction trueRed
// (ratio of the variant's median to the baseline's is 1-trueRed) and
// returns the rule's verdict shares against target.
func Simulate(rule Rule, cell Cell, trueRed, target float64, trials int, seed uint64) Rates {
	rng := rand.New(rand.NewPCG(seed, uint64(cell.Base.N)<<32|uint64(cell.Cand.N)))
	base, cand := make([]float64, cell.Base.N), make([]float64, cell.Cand.N)
	var r Rates
	for range trials {
		for i := range base {
			base[i] = cell.Base.Noise.Draw(rng, 100, cell.Base.CV)
		}
		for i := range cand {
			cand[i] = cell.Cand.Noise.Draw(rng, 100*(1-trueRed), cell.Cand.CV)
		}
		switch rule(base, cand, target) {
		case verdict.Pass:
			r.Pass++
		case verdict.Fail:
			r.Fail++
		default:
			r.Inconclusive++
		}
	}
	t := float64(trials)
	return Rates{r.Pass / t, r.Fail / t, r.Inconclusive / t}
}

// WriteTable prints, for every cell, the false pass at the exact target, the
// false fail 3 points past it and the power 7 points past it, for the old
// and the new rule.
func WriteTable(w io.Writer, target float64, trials int, seed uint64) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "baseline\tvariant\told false pass\tnew false pass\told false fail\tnew false fail\told pass\tnew pass\t\n")
	fmt.Fprintf(tw, "\t\t(true %s)\t(true %s)\t(true %s)\t(true %s)\t(true %s)\t(true %s)\t\n",
		pc(target), pc(target), pc(target+0.03), pc(target+0.03), pc(target+0.07), pc(target+0.07))
	for _, c := range Cells() {
		oa, na := Simulate(OldRule, c, target, target, trials, seed), Simulate(NewRule, c, target, target, trials, seed)
		ob, nb := Simulate(OldRule, c, target+0.03, target, trials, seed), Simulate(NewRule, c, target+0.03, target, trials, seed)
		oc, nc := Simulate(OldRule, c, target+0.07, target, trials, seed), Simulate(NewRule, c, target+0.07, target, trials, seed)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", c.Base, c.Cand,
			pc(oa.Pass), pc(na.Pass), pc(ob.Fail), pc(nb.Fail), pc(oc.Pass), pc(nc.Pass))
	}
	return tw.Flush()
}

func pc(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }
