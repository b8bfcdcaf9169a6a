package profiler

import (
	"math"
	"sort"

	"github.com/montanaflynn/stats"
)

// MannKendall tests y (in time order) for a monotonic upward trend. It returns the
// statistic S, its normal score Z (continuity corrected, variance corrected for ties)
// and the one-sided p-value of "no trend" against "increasing". For n <= 20 values
// without ties the p-value is exact (from the distribution of inversions); otherwise
// it is the normal approximation.
func MannKendall(y []float64) (s, z, p float64) {
	n := len(y)
	if n < 2 {
		return 0, 0, 1
	}
	var si int64
	for i := 0; i < n-1; i++ {
		for j := i + 1; j < n; j++ {
			switch {
			case y[j] > y[i]:
				si++
			case y[j] < y[i]:
				si--
			}
		}
	}
	s = float64(si)
	// Tie correction: sum over groups of equal values of t(t-1)(2t+5).
	sorted := append([]float64(nil), y...)
	sort.Float64s(sorted)
	ties := 0.0
	for i := 0; i < n; {
		j := i
		for j < n && sorted[j] == sorted[i] {
			j++
		}
		if t := float64(j - i); t > 1 {
			ties += t * (t - 1) * (2*t + 5)
		}
		i = j
	}
	fn := float64(n)
	v := (fn*(fn-1)*(2*fn+5) - ties) / 18
	if v <= 0 { // every value equal
		return s, 0, 1
	}
	switch {
	case s > 0:
		z = (s - 1) / math.Sqrt(v)
	case s < 0:
		z = (s + 1) / math.Sqrt(v)
	}
	if ties == 0 && n <= 20 {
		return s, z, exactMKUpper(n, si)
	}
	// Upper tail P(S >= s) with continuity correction (S moves in steps of 2).
	return s, z, stats.NormCdf(-(s-1)/math.Sqrt(v), 0, 1)
}

// exactMKUpper is P(S >= s) for n values in random order without ties. S = N - 2Q
// where Q counts inversions, whose distribution is given by the Mahonian numbers.
func exactMKUpper(n int, s int64) float64 {
	N := n * (n - 1) / 2
	m := []float64{1} // Mahonian numbers for 1 element
	for k := 2; k <= n; k++ {
		next := make([]float64, len(m)+k-1)
		for q, c := range m {
			for j := 0; j < k; j++ {
				next[q+j] += c
			}
		}
		m = next
	}
	qmax := (int64(N) - s) / 2 // S >= s  <=>  Q <= (N-s)/2
	var hit, all float64
	for q, c := range m {
		all += c
		if int64(q) <= qmax {
			hit += c
		}
	}
	return hit / all
}

// TheilSen returns the Theil-Sen slope of y over x: the median of the slopes of all
// pairs with distinct x. It is robust to up to ~29% outliers. NaN if no pair qualifies.
func TheilSen(x, y []float64) float64 {
	n := len(x)
	slopes := make([]float64, 0, n*(n-1)/2)
	for i := 0; i < n-1; i++ {
		for j := i + 1; j < n; j++ {
			if dx := x[j] - x[i]; dx != 0 {
				slopes = append(slopes, (y[j]-y[i])/dx)
			}
		}
	}
	if len(slopes) == 0 {
		return math.NaN()
	}
	return median(slopes)
}

// median returns the median of x, reordering x (quickselect: linear on average).
func median(x []float64) float64 {
	n := len(x)
	if n%2 == 1 {
		return selectK(x, n/2)
	}
	hi := selectK(x, n/2)
	lo := x[0] // after selectK, x[:n/2] holds the n/2 smallest values
	for _, v := range x[1 : n/2] {
		lo = math.Max(lo, v)
	}
	return (lo + hi) / 2
}

// selectK reorders x so that x[k] is the k-th smallest value, smaller values before it
// and larger after, and returns it.
func selectK(x []float64, k int) float64 {
	lo, hi := 0, len(x)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		// Median of three as the pivot guards against sorted input.
		if x[mid] < x[lo] {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if x[hi] < x[lo] {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if x[hi] < x[mid] {
			x[hi], x[mid] = x[mid], x[hi]
		}
		pivot := x[mid]
		i, j := lo, hi
		for i <= j {
			for x[i] < pivot {
				i++
			}
			for x[j] > pivot {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return x[k]
		}
	}
	return x[k]
}

// Caps on the points fed to the O(n^2) tests; longer series are thinned evenly.
const (
	maxMKPoints = 500
	maxTSPoints = 300
)

// trend is a trend test on one window of a series.
type trend struct {
	n     int
	p     float64
	slope float64
}

func thin(x, y []float64, m int) ([]float64, []float64) {
	if len(x) <= m {
		return x, y
	}
	tx := decimate(append([]float64(nil), x...), m)
	ty := decimate(append([]float64(nil), y...), m)
	return tx, ty
}

func testTrend(x, y []float64) trend {
	tr := trend{n: len(x), p: 1}
	if len(x) < 2 {
		return tr
	}
	_, my := thin(x, y, maxMKPoints)
	_, _, tr.p = MannKendall(my)
	tx, ty := thin(x, y, maxTSPoints)
	tr.slope = TheilSen(tx, ty)
	if math.IsNaN(tr.slope) {
		tr.slope = 0
	}
	return tr
}
