package verdict

import (
	"math"
	"slices"
	"sync"

	mstats "github.com/aclements/go-moremath/stats"
)

// Level is the two-sided confidence level of every interval verdict uses.
const Level = 0.95

// tail is the error allowed on each side of a two-sided interval at Level.
const tail = (1 - Level) / 2

// z975 is the 0.975 quantile of the standard normal distribution.
const z975 = 1.959963984540054

// exactLimit is the largest sample size (each side) for which the exact
// Mann-Whitney distribution is used, as in go-moremath's U test.
const exactLimit = 50

// Interval is a point estimate with a two-sided confidence interval.
type Interval struct {
	Estimate float64
	Low      float64
	High     float64
	// Confidence is the actual coverage of [Low, High] (at least Level),
	// 0 when the data cannot give an interval at Level.
	Confidence float64
}

// OK reports whether the interval exists at Level.
func (iv Interval) OK() bool { return iv.Confidence >= Level }

// RatioInterval is the Hodges-Lehmann estimate of the ratio cand/base with
// its Moses (inverted Mann-Whitney) interval at Level. base must be positive;
// cand may hold any finite values. The estimate is the median of the n1*n2
// pairwise ratios cand[j]/base[i]; the interval is their k-th smallest and
// k-th largest, k the Mann-Whitney critical value at 0.025 per side. On
// positive data this is exactly the shift estimate and interval of log values.
func RatioInterval(base, cand []float64) Interval {
	m, n := len(base), len(cand)
	if m == 0 || n == 0 {
		return Interval{}
	}
	r := make([]float64, 0, m*n)
	for _, b := range base {
		for _, c := range cand {
			r = append(r, c/b)
		}
	}
	slices.Sort(r)
	iv := Interval{Estimate: medianSorted(r, true)}
	k, conf := mannWhitneyK(m, n, withinTies(base)+withinTies(cand))
	if k >= 1 {
		iv.Low, iv.High, iv.Confidence = r[k-1], r[len(r)-k], conf
	}
	return iv
}

// RobustRatioInterval is RatioInterval widened, when both samples are
// positive and spread, to also contain the Welch t interval of the
// difference of mean logs at Level. The Moses interval assumes the two
// samples differ only by a scale factor; when their spreads differ as well
// (a quiet baseline of 20 runs against 5 noisy variant runs) it is too
// narrow and false passes rise to 10%. The Welch interval covers that case,
// the Moses one the skewed and heavy-tailed ones; their union keeps at least
// the coverage of whichever assumption holds.
func RobustRatioInterval(base, cand []float64) Interval {
	iv := RatioInterval(base, cand)
	if !iv.OK() {
		return iv
	}
	lb, okb := logs(base)
	lc, okc := logs(cand)
	if !okb || !okc || len(lb) < 2 || len(lc) < 2 {
		return iv
	}
	vb, vc := variance(lb)/float64(len(lb)), variance(lc)/float64(len(lc))
	se := math.Sqrt(vb + vc)
	if se == 0 {
		return iv
	}
	df := (vb + vc) * (vb + vc) / (vb*vb/float64(len(lb)-1) + vc*vc/float64(len(lc)-1))
	d := mean(lc) - mean(lb)
	h := tQuantile975(df) * se
	iv.Low = math.Min(iv.Low, math.Exp(d-h))
	iv.High = math.Max(iv.High, math.Exp(d+h))
	return iv
}

var tCache sync.Map // df in tenths -> quantile

// tQuantile975 is the 0.975 quantile of Student's t with df degrees of
// freedom, by bisection on go-moremath's distribution function. df is
// rounded down to a tenth first (a slightly larger, conservative quantile)
// so that results can be cached.
func tQuantile975(df float64) float64 {
	df = math.Max(1, math.Floor(df*10)/10)
	if df > 1000 {
		return z975
	}
	if q, ok := tCache.Load(df); ok {
		return q.(float64)
	}
	q := tBisect(df)
	tCache.Store(df, q)
	return q
}

func tBisect(df float64) float64 {
	d := mstats.TDist{V: df}
	lo, hi := z975, 1000.0
	for range 60 {
		mid := (lo + hi) / 2
		if d.CDF(mid) < 1-tail {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// MedianInterval is the sample median of xs with the distribution-free
// interval of the median at Level: the inverted exact sign test, whose
// bounds are order statistics (it needs at least 6 values).
func MedianInterval(xs []float64) Interval {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return Interval{}
	}
	iv := Interval{Estimate: medianSorted(s, false)}
	k, conf := signK(len(s))
	if k >= 1 {
		iv.Low, iv.High, iv.Confidence = s[k-1], s[len(s)-k], conf
	}
	return iv
}

// medianSorted is the median of sorted s; with geo, the middle pair of an
// even count is joined by its geometric mean when both are positive (the
// median of log ratios), else by the arithmetic mean.
func medianSorted(s []float64, geo bool) float64 {
	n := len(s)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return s[n/2]
	}
	a, b := s[n/2-1], s[n/2]
	if geo && a > 0 && b > 0 {
		return math.Sqrt(a) * math.Sqrt(b)
	}
	return a/2 + b/2
}

// withinTies is the tie term Σ(t³-t) of the groups of equal values in xs.
// Ties within one sample persist for every shift, so they are the ties the
// inverted test sees almost everywhere.
func withinTies(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	t := 0.0
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] == s[i] {
			j++
		}
		if g := float64(j - i); g > 1 {
			t += g*g*g - g
		}
		i = j
	}
	return t
}

type mwKey struct {
	m, n int
	ties float64
}

var mwCache sync.Map // mwKey -> [2]float64{k, confidence}

// mannWhitneyK is the largest k with P(U <= k-1) <= 0.025 under the null, and
// the interval's confidence 1 - 2 P(U <= k-1); k is 0 when even the extreme
// order statistics do not reach Level. Exact without ties for up to
// exactLimit a side, else the normal approximation with tie and continuity
// correction.
func mannWhitneyK(m, n int, ties float64) (int, float64) {
	key := mwKey{m, n, ties}
	if v, ok := mwCache.Load(key); ok {
		kc := v.([2]float64)
		return int(kc[0]), kc[1]
	}
	var k int
	var conf float64
	if ties == 0 && m <= exactLimit && n <= exactLimit {
		cdf := uCDFCached(m, n)
		for k < len(cdf) && cdf[k] <= tail {
			k++
		}
		// cdf[k-1] <= tail < cdf[k]: order statistic k is the bound.
		if k >= 1 {
			conf = 1 - 2*cdf[k-1]
		}
	} else {
		N := float64(m + n)
		mn := float64(m * n)
		sigma := math.Sqrt(mn / 12 * ((N + 1) - ties/(N*(N-1))))
		k = int(math.Floor(mn/2 + 0.5 - z975*sigma))
		if k >= 1 && sigma > 0 {
			conf = 1 - 2*normCDF((float64(k)-1+0.5-mn/2)/sigma)
		} else {
			k = 0
		}
	}
	if k < 1 || conf < Level {
		k, conf = 0, 0
	}
	mwCache.Store(key, [2]float64{float64(k), conf})
	return k, conf
}

var cdfCache sync.Map // [2]int -> []float64

// uCDFCached is uCDF, computed once per pair of sizes.
func uCDFCached(m, n int) []float64 {
	key := [2]int{m, n}
	if c, ok := cdfCache.Load(key); ok {
		return c.([]float64)
	}
	c := uCDF(m, n)
	cdfCache.Store(key, c)
	return c
}

// uCDF is the exact null distribution function of the Mann-Whitney U for
// samples of m and n without ties: cdf[u] = P(U <= u), u = 0..m*n. The counts
// are the coefficients of the Gaussian binomial [m+n choose m]_q, built as
// the product over i of (1-q^(n+i))/(1-q^i).
func uCDF(m, n int) []float64 {
	size := m*n + 1
	p := make([]float64, size)
	p[0] = 1
	for i := 1; i <= m; i++ {
		// multiply by (1 - q^(n+i)), from the top down
		for u := size - 1; u >= n+i; u-- {
			p[u] -= p[u-(n+i)]
		}
		// divide by (1 - q^i): q[u] = p[u] + q[u-i]
		for u := i; u < size; u++ {
			p[u] += p[u-i]
		}
	}
	total := 0.0
	for _, c := range p {
		total += c
	}
	cdf := make([]float64, size)
	acc := 0.0
	for u, c := range p {
		acc += c
		cdf[u] = acc / total
	}
	return cdf
}

// MinOneSidedP is the smallest one-sided p-value the Mann-Whitney test can
// give for samples of n1 and n2 values: 1 / C(n1+n2, n1), the chance of two
// completely separated samples.
func MinOneSidedP(n1, n2 int) float64 {
	if n1 <= 0 || n2 <= 0 {
		return 1
	}
	// log C(n1+n2, n1) via lgamma, exact enough for a threshold.
	a, _ := math.Lgamma(float64(n1 + n2 + 1))
	b, _ := math.Lgamma(float64(n1 + 1))
	c, _ := math.Lgamma(float64(n2 + 1))
	return math.Exp(-(a - b - c))
}

// signK is the largest k with P(Bin(n, 1/2) <= k-1) <= 0.025 and the
// confidence 1 - 2 P(Bin(n, 1/2) <= k-1) of [x(k), x(n+1-k)] as an interval of
// the median; k is 0 below 6 values.
func signK(n int) (int, float64) {
	k := 0
	cdf := 0.0 // P(Bin <= k-1)
	pmf := math.Pow(0.5, float64(n))
	for {
		next := cdf + pmf // P(Bin <= k)
		if next > tail || k+1 > (n+1)/2 {
			break
		}
		k++
		cdf = next
		pmf *= float64(n-k+1) / float64(k) // P(Bin = k)
	}
	if k < 1 {
		return 0, 0
	}
	return k, 1 - 2*cdf
}

// normCDF is the standard normal distribution function.
func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
