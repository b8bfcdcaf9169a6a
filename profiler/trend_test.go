package profiler

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/montanaflynn/stats"
)

func TestMannKendall(t *testing.T) {
	check := func(t *testing.T, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("got %.6g, want %.6g (±%g)", got, want, tol)
		}
	}
	tests := []struct {
		name  string
		give  []float64
		wantS float64
		wantP float64
	}{
		{"increasing 10: exact 1/10!", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 45, 1.0 / 3628800},
		{"decreasing", []float64{4, 3, 2, 1}, -6, 1},
		{"n=4 one inversion: (1+3)/24", []float64{1, 3, 2, 4}, 4, 4.0 / 24},
		{"n=4 increasing: 1/24", []float64{1, 2, 3, 4}, 6, 1.0 / 24},
		{"all equal", []float64{5, 5, 5, 5, 5}, 0, 1},
		{"single value", []float64{1}, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, p := MannKendall(tt.give)
			check(t, s, tt.wantS, 0)
			check(t, p, tt.wantP, 1e-12)
		})
	}
	t.Run("normal approximation close to exact at n=20", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for range 20 {
			y := make([]float64, 20)
			for i := range y {
				y[i] = r.NormFloat64() + 0.05*float64(i)
			}
			s, _, exact := MannKendall(y)
			sigma := math.Sqrt(20 * 19 * 45 / 18.0)
			approx := 0.5 * math.Erfc((s-1)/sigma/math.Sqrt2)
			if math.Abs(exact-approx) > 0.02 {
				t.Errorf("S=%v: exact %.4f vs normal %.4f", s, exact, approx)
			}
		}
	})
	t.Run("ties: variance corrected, p in (0,1)", func(t *testing.T) {
		y := []float64{1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7}
		s, z, p := MannKendall(y)
		if s <= 0 || z <= 0 || p <= 0 || p > 1e-3 {
			t.Errorf("S=%v z=%v p=%v, want a strong upward trend", s, z, p)
		}
	})
	t.Run("null: p roughly uniform, rejects about alpha", func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		rej := 0
		const reps = 400
		for range reps {
			y := make([]float64, 60)
			for i := range y {
				y[i] = r.NormFloat64()
			}
			if _, _, p := MannKendall(y); p < 0.05 {
				rej++
			}
		}
		if rate := float64(rej) / reps; rate < 0.02 || rate > 0.09 {
			t.Errorf("rejection rate under the null %.3f, want about 0.05", rate)
		}
	})
}

func TestTheilSen(t *testing.T) {
	tests := []struct {
		name string
		x, y []float64
		want float64
	}{
		{"line", []float64{0, 1, 2, 3}, []float64{1, 3, 5, 7}, 2},
		{"line with an outlier", []float64{0, 1, 2, 3, 4, 5, 6}, []float64{0, 2, 4, 600, 8, 10, 12}, 2},
		{"flat", []float64{0, 1, 2}, []float64{5, 5, 5}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TheilSen(tt.x, tt.y); got != tt.want {
				t.Errorf("TheilSen = %v, want %v", got, tt.want)
			}
		})
	}
	if got := TheilSen([]float64{1, 1}, []float64{1, 2}); !math.IsNaN(got) {
		t.Errorf("TheilSen with equal x = %v, want NaN", got)
	}
}

func TestMedian(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for n := 1; n < 60; n++ {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(r.IntN(10)) // many ties
		}
		want, _ := stats.Median(x)
		if got := median(append([]float64(nil), x...)); got != want {
			t.Fatalf("median of %v = %v, want %v", x, got, want)
		}
	}
}
