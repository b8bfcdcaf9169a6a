package verdict

import (
	"math"
	"slices"
	"sort"
)

// Alpha is the false-discovery rate a comparison of two reports keeps.
const Alpha = 0.05

// Regression is one metric of one variant compared across two reports: the
// change new/old with its interval and the one-sided test of "new is worse
// than old by more than the threshold".
type Regression struct {
	// Change is the Hodges-Lehmann estimate of new/old - 1 (for old values
	// <= 0: the change of the median relative to |old median|).
	Change float64 `json:"change"`
	// ChangeCILow and ChangeCIHigh bound Change at Confidence (0: no interval).
	ChangeCILow  float64 `json:"change_ci_low"`
	ChangeCIHigh float64 `json:"change_ci_high"`
	Confidence   float64 `json:"confidence"`
	// PWorse is the one-sided Mann-Whitney p-value of "new is worse than
	// old by more than the threshold" (1 for a metric without a direction).
	PWorse float64 `json:"p_worse"`
	// MinP is the smallest PWorse these run counts can give.
	MinP float64 `json:"min_p"`
}

// TestRegression compares new with old for a metric whose improvement is
// lower (lowerIsBetter) or higher values: the change with its 95% interval,
// and the one-sided U test in the bad direction against the threshold line.
// For lower-is-better metrics the test is of new/(1+threshold) against old,
// for higher-is-better ones of new/(1-threshold); when old has values <= 0
// the line is a shift of threshold*|median(old)| instead of a ratio. A
// PWorse at or below the adjusted alpha means the whole one-sided interval
// of the change lies beyond the threshold. A positive higher-is-better
// metric cannot fall by 100% or more, so a threshold >= 1 never flags it.
func TestRegression(old, new []float64, threshold float64, lowerIsBetter bool) Regression {
	o, n := Finite(old), Finite(new)
	r := Regression{PWorse: 1, MinP: MinOneSidedP(len(o), len(n))}
	if len(o) == 0 || len(n) == 0 {
		return r
	}
	positive := slices.Min(o) > 0
	beyondReach := positive && !lowerIsBetter && threshold >= 1
	if positive {
		iv := RobustRatioInterval(o, n)
		r.Change = iv.Estimate - 1
		if iv.OK() {
			r.ChangeCILow, r.ChangeCIHigh, r.Confidence = iv.Low-1, iv.High-1, iv.Confidence
		}
	} else if m := median(o); m != 0 {
		r.Change = (median(n) - m) / math.Abs(m)
	}
	shifted := make([]float64, len(n))
	for i, x := range n {
		switch {
		case positive && lowerIsBetter:
			shifted[i] = x / (1 + threshold)
		case positive:
			shifted[i] = x / (1 - threshold)
		case lowerIsBetter:
			shifted[i] = x - threshold*math.Abs(median(o))
		default:
			shifted[i] = x + threshold*math.Abs(median(o))
		}
	}
	switch {
	case beyondReach: // PWorse stays 1: no drop of a positive value reaches -100%
	case lowerIsBetter:
		r.PWorse = UTestGreater(shifted, o)
	default:
		r.PWorse = UTestGreater(o, shifted)
	}
	return r
}

// UTestGreater is the one-sided Mann-Whitney U test p-value of "x tends to
// be greater than y", as go-moremath's MannWhitneyUTest with
// LocationGreater computes it: exact without ties up to 50 values a side,
// else the normal approximation with tie and continuity correction (the
// exact distribution with ties is approximated the same way). All values
// equal gives 1.
func UTestGreater(x, y []float64) float64 {
	n1, n2 := len(x), len(y)
	if n1 == 0 || n2 == 0 {
		return 1
	}
	type lv struct {
		v float64
		x bool
	}
	all := make([]lv, 0, n1+n2)
	for _, v := range x {
		all = append(all, lv{v, true})
	}
	for _, v := range y {
		all = append(all, lv{v, false})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v < all[j].v })
	r1, ties, groups := 0.0, 0.0, 0
	for i := 0; i < len(all); {
		j, nx := i, 0
		for j < len(all) && all[j].v == all[i].v {
			if all[j].x {
				nx++
			}
			j++
		}
		r1 += float64(nx) * float64(i+1+j) / 2
		if t := float64(j - i); t > 1 {
			ties += t*t*t - t
		}
		groups++
		i = j
	}
	if groups == 1 {
		return 1
	}
	u1 := r1 - float64(n1*(n1+1))/2
	if ties == 0 && n1 <= exactLimit && n2 <= exactLimit {
		cdf := uCDFCached(n1, n2)
		k := int(math.Round(u1))
		if k <= 0 {
			return 1
		}
		return 1 - cdf[k-1]
	}
	N := float64(n1 + n2)
	sigma := math.Sqrt(float64(n1*n2) * ((N + 1) - ties/(N*(N-1))) / 12)
	if sigma == 0 {
		return 1
	}
	z := (u1 - float64(n1*n2)/2 - 0.5) / sigma
	return 1 - normCDF(z)
}

// BenjaminiHochberg returns the Benjamini-Hochberg adjusted p-values of ps,
// in the same order: rejecting those at or below alpha keeps the expected
// share of false discoveries among the rejections at alpha.
func BenjaminiHochberg(ps []float64) []float64 {
	idx := make([]int, len(ps))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ps[idx[a]] < ps[idx[b]] })
	out := make([]float64, len(ps))
	m := float64(len(ps))
	running := 1.0
	for k := len(idx) - 1; k >= 0; k-- {
		running = math.Min(running, ps[idx[k]]*m/float64(k+1))
		out[idx[k]] = math.Min(running, 1)
	}
	return out
}

// RunsToDetect is the fewest runs a side with which a single regression
// among rows tested ones can reach significance after the adjustment: the
// smallest n with MinOneSidedP(n, n) * rows <= alpha.
func RunsToDetect(rows int, alpha float64) int {
	for n := 1; n < 1000; n++ {
		if MinOneSidedP(n, n)*float64(max(rows, 1)) <= alpha {
			return n
		}
	}
	return 1000
}
