package verdict

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	mstats "github.com/aclements/go-moremath/stats"
	"golang.org/x/perf/benchmath"
)

func TestUCDFMatchesMoremath(t *testing.T) {
	for _, mn := range [][2]int{{1, 1}, {3, 4}, {4, 4}, {5, 5}, {7, 3}, {10, 10}, {12, 20}} {
		m, n := mn[0], mn[1]
		cdf := uCDF(m, n)
		d := mstats.UDist{N1: m, N2: n}
		for u := range cdf {
			if want := d.CDF(float64(u)); math.Abs(cdf[u]-want) > 1e-12 {
				t.Fatalf("uCDF(%d,%d)[%d] = %g, moremath says %g", m, n, u, cdf[u], want)
			}
		}
	}
}

func TestMannWhitneyK(t *testing.T) {
	tests := []struct {
		m, n     int
		ties     float64
		wantK    int
		wantConf float64
	}{
		{3, 3, 0, 0, 0},             // 1/20 > 0.025: no interval
		{4, 3, 0, 0, 0},             // 1/35 > 0.025
		{4, 4, 0, 1, 1 - 2.0/70},    // [min, max] of the ratios
		{5, 5, 0, 3, 1 - 2*4.0/252}, // P(U<=2) = 4/252
		{10, 10, 0, 24, 0},          // checked against moremath below
		{60, 60, 0, 1427, 0},        // normal approximation: floor(1800.5 - 1.96 sqrt(36300))
		{4, 4, 2 * (27 - 3), 2, 0},  // ties: normal approximation with tie correction
		{4, 4, 2 * (64 - 4), 2, 0},  // constant sides (judged exactly before this is reached)
	}
	for _, tt := range tests {
		k, conf := mannWhitneyK(tt.m, tt.n, tt.ties)
		if tt.wantConf == 0 && tt.wantK > 0 {
			if tt.m <= exactLimit && tt.ties == 0 {
				tt.wantConf = 1 - 2*mstats.UDist{N1: tt.m, N2: tt.n}.CDF(float64(tt.wantK-1))
			} else {
				tt.wantConf = conf
			}
		}
		if tt.wantK == 0 {
			tt.wantConf = 0
		}
		if k != tt.wantK || math.Abs(conf-tt.wantConf) > 1e-9 {
			t.Errorf("mannWhitneyK(%d, %d, %g) = %d, %.5f; want %d, %.5f", tt.m, tt.n, tt.ties, k, conf, tt.wantK, tt.wantConf)
		}
		if k > 0 && conf < Level {
			t.Errorf("mannWhitneyK(%d, %d) confidence %.4f < %.2f", tt.m, tt.n, conf, Level)
		}
	}
}

// TestMosesInvertsBenchmathUTest checks that the Moses interval is exactly the
// set of ratios that benchmath's Mann-Whitney test (two-sided, alpha 0.05)
// does not reject: just inside each end the test keeps the shifted sample,
// just outside it rejects it.
func TestMosesInvertsBenchmathUTest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	th := &benchmath.Thresholds{CompareAlpha: 0.05}
	p := func(base, cand []float64, theta float64) float64 {
		shifted := make([]float64, len(cand))
		for i, c := range cand {
			shifted[i] = c / theta
		}
		return benchmath.AssumeNothing.Compare(benchmath.NewSample(slices.Clone(base), th), benchmath.NewSample(shifted, th)).P
	}
	for trial := range 200 {
		m, n := 4+rng.IntN(12), 4+rng.IntN(12)
		base, cand := make([]float64, m), make([]float64, n)
		for i := range base {
			base[i] = 100 * math.Exp(0.1*rng.NormFloat64())
		}
		for i := range cand {
			cand[i] = 70 * math.Exp(0.1*rng.NormFloat64())
		}
		iv := RatioInterval(base, cand)
		if !iv.OK() {
			t.Fatalf("trial %d (%d+%d): no interval", trial, m, n)
		}
		const eps = 1e-9
		for _, c := range []struct {
			theta  float64
			reject bool
		}{
			{iv.Low * (1 + eps), false}, {iv.High * (1 - eps), false},
			{iv.Low * (1 - eps), true}, {iv.High * (1 + eps), true},
		} {
			got := p(base, cand, c.theta)
			if (got <= 0.05) != c.reject {
				t.Fatalf("trial %d (%d+%d): ratio %g, interval [%g, %g]: benchmath p=%g, want reject=%t", trial, m, n, c.theta, iv.Low, iv.High, got, c.reject)
			}
		}
		if iv.Estimate < iv.Low || iv.Estimate > iv.High {
			t.Fatalf("estimate %g outside [%g, %g]", iv.Estimate, iv.Low, iv.High)
		}
	}
}

func TestMedianInterval(t *testing.T) {
	tests := []struct {
		name     string
		give     []float64
		wantOK   bool
		lo, hi   float64
		wantConf float64
	}{
		{"5 values: no 95% interval", []float64{1, 2, 3, 4, 5}, false, 0, 0, 0},
		{"6 values: the range", []float64{6, 1, 5, 2, 4, 3}, true, 1, 6, 1 - 2.0/64},
		{"10 values", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, true, 2, 9, 1 - 2*11.0/1024},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iv := MedianInterval(tt.give)
			if iv.OK() != tt.wantOK {
				t.Fatalf("OK = %t, want %t (%+v)", iv.OK(), tt.wantOK, iv)
			}
			if tt.wantOK && (iv.Low != tt.lo || iv.High != tt.hi || math.Abs(iv.Confidence-tt.wantConf) > 1e-12) {
				t.Errorf("got [%g, %g] at %.5f, want [%g, %g] at %.5f", iv.Low, iv.High, iv.Confidence, tt.lo, tt.hi, tt.wantConf)
			}
		})
	}
}

func TestMinOneSidedP(t *testing.T) {
	for _, tt := range []struct {
		n1, n2 int
		want   float64
	}{{5, 5, 1.0 / 252}, {8, 8, 1.0 / 12870}, {4, 10, 1.0 / 1001}, {0, 5, 1}} {
		if got := MinOneSidedP(tt.n1, tt.n2); math.Abs(got-tt.want) > 1e-12*tt.want {
			t.Errorf("MinOneSidedP(%d, %d) = %g, want %g", tt.n1, tt.n2, got, tt.want)
		}
	}
}
