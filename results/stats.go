package results

import (
	"math"

	"github.com/montanaflynn/stats"
	"golang.org/x/perf/benchmath"
)

// Alpha is the significance level of every comparison memprism makes.
const Alpha = 0.05

// Confidence is the confidence level of the median intervals in summaries.
const Confidence = 0.95

// Summarize describes xs: median, mean, min, max, sample standard deviation
// and the distribution-free 95% confidence interval of the median
// (benchmath.AssumeNothing). Non-finite values are dropped. It never returns
// NaN or infinities: with too few values for a 95% interval the interval is
// [Min, Max] and CIConfidence says how confident that range is.
func Summarize(xs []float64) Summary {
	vals := finite(xs)
	n := len(vals)
	if n == 0 {
		return Summary{}
	}
	s := benchmath.NewSample(vals, &benchmath.Thresholds{CompareAlpha: Alpha}) // sorts vals
	sum := benchmath.AssumeNothing.Summary(s, Confidence)
	out := Summary{
		Median: sum.Center,
		Min:    vals[0],
		Max:    vals[n-1],
		N:      n,
	}
	// Mean and deviation on values scaled into [-1, 1], so that sums of
	// huge values cannot overflow.
	scale := math.Max(math.Abs(vals[0]), math.Abs(vals[n-1]))
	if scale == 0 {
		scale = 1
	}
	scaled := make([]float64, n)
	for i, x := range vals {
		scaled[i] = x / scale
	}
	if m, err := stats.Mean(scaled); err == nil {
		out.Mean = clampFinite(m * scale)
	}
	if n > 1 {
		if sd, err := stats.StandardDeviationSample(scaled); err == nil && !math.IsNaN(sd) {
			out.Stddev = clampFinite(sd * scale)
		}
	}
	if isFinite(sum.Lo) && isFinite(sum.Hi) {
		out.CILow, out.CIHigh, out.CIConfidence = sum.Lo, sum.Hi, sum.Confidence
	} else {
		// P(min <= median <= max) = 1 - 2 * 0.5^n for a continuous distribution.
		out.CILow, out.CIHigh = out.Min, out.Max
		out.CIConfidence = 1 - 2*math.Pow(0.5, float64(n))
	}
	return out
}

// HasCI reports whether s carries a confidence interval at the 95% level.
func (s Summary) HasCI() bool { return s.N > 0 && s.CIConfidence >= Confidence }

// Significance is the result of a Mann-Whitney U test between two samples.
type Significance struct {
	// P is the p-value of the null hypothesis that both samples come from
	// the same distribution (1 when the test cannot be run).
	P float64 `json:"p"`
	// Enough is false when the samples are too small for any difference to
	// reach significance at Alpha, however large.
	Enough bool `json:"enough"`
	// N1 and N2 are the sizes of the old and the new sample.
	N1 int `json:"n1"`
	N2 int `json:"n2"`
}

// Significant reports whether the difference is significant at Alpha.
func (s Significance) Significant() bool { return s.Enough && s.P <= Alpha }

// Compare tests whether old and new come from different distributions with
// the Mann-Whitney U test of benchmath.AssumeNothing at Alpha.
func Compare(old, new []float64) Significance {
	a, b := finite(old), finite(new)
	out := Significance{P: 1, N1: len(a), N2: len(b)}
	if len(a) == 0 || len(b) == 0 {
		return out
	}
	th := &benchmath.Thresholds{CompareAlpha: Alpha}
	c := benchmath.AssumeNothing.Compare(benchmath.NewSample(a, th), benchmath.NewSample(b, th))
	if !math.IsNaN(c.P) {
		out.P = c.P
	}
	out.Enough = minPossibleP(len(a), len(b)) <= Alpha
	return out
}

// minPossibleP is the smallest p-value the U test can give for samples of
// sizes n1 and n2: the one of two completely separated samples.
func minPossibleP(n1, n2 int) float64 {
	a := make([]float64, n1)
	b := make([]float64, n2)
	for i := range a {
		a[i] = float64(i)
	}
	for i := range b {
		b[i] = float64(n1 + i)
	}
	th := &benchmath.Thresholds{CompareAlpha: Alpha}
	return benchmath.AssumeNothing.Compare(benchmath.NewSample(a, th), benchmath.NewSample(b, th)).P
}

// finite returns a copy of the finite values of xs (benchmath.NewSample sorts it).
func finite(xs []float64) []float64 {
	out := make([]float64, 0, len(xs))
	for _, x := range xs {
		if isFinite(x) {
			out = append(out, x)
		}
	}
	return out
}

// clampFinite limits x to the finite float64 range.
func clampFinite(x float64) float64 { return math.Max(-math.MaxFloat64, math.Min(math.MaxFloat64, x)) }

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// RunValues returns the values of metric over v's successful runs, in run order.
func RunValues(v *Variant, metric string) []float64 {
	var out []float64
	for _, r := range v.Runs {
		if r.Failed() {
			continue
		}
		if x, ok := r.Metrics[metric]; ok && isFinite(x) {
			out = append(out, x)
		}
	}
	return out
}
