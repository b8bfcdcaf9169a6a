package verdict

import (
	"math"
	"math/rand/v2"
	"testing"

	mstats "github.com/aclements/go-moremath/stats"
)

// TestUTestGreaterMatchesMoremath checks the one-sided U test against
// go-moremath's (the test benchmath runs), with and without ties.
func TestUTestGreaterMatchesMoremath(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 300 {
		n1, n2 := 2+rng.IntN(30), 2+rng.IntN(30)
		x, y := make([]float64, n1), make([]float64, n2)
		ties := trial%3 == 0
		for i := range x {
			x[i] = rng.NormFloat64() + 0.3
			if ties {
				x[i] = math.Round(x[i] * 2)
			}
		}
		for i := range y {
			y[i] = rng.NormFloat64()
			if ties {
				y[i] = math.Round(y[i] * 2)
			}
		}
		got := UTestGreater(x, y)
		res, err := mstats.MannWhitneyUTest(x, y, mstats.LocationGreater)
		want := 1.0
		if err == nil {
			want = res.P
		}
		// moremath uses the exact distribution with ties up to 25 a side,
		// this package the normal approximation: allow a small difference there.
		tol := 1e-9
		if ties {
			tol = 0.05
		}
		if math.Abs(got-want) > tol {
			t.Fatalf("trial %d (%d+%d, ties %t): p = %g, moremath %g", trial, n1, n2, ties, got, want)
		}
	}
}

func TestTestRegression(t *testing.T) {
	seq := func(start, step float64, n int) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = start + step*float64(i)
		}
		return out
	}
	tests := []struct {
		name      string
		old, new  []float64
		threshold float64
		lower     bool
		wantSig   bool // PWorse <= 0.05
	}{
		{"20% worse beyond 5%", seq(100, 1, 10), seq(120, 1, 10), 0.05, true, true},
		{"4% worse is within 5%", seq(100, 0.1, 10), seq(104, 0.1, 10), 0.05, true, false},
		{"improved is never a regression", seq(100, 1, 10), seq(50, 1, 10), 0, true, false},
		{"throughput dropped 20%", seq(100, 1, 10), seq(80, 1, 10), 0.05, false, true},
		{"throughput rose", seq(100, 1, 10), seq(150, 1, 10), 0.05, false, false},
		{"negative old values: additive line", seq(-10, 0.1, 10), seq(5, 0.1, 10), 0.05, true, true},
		{"all equal", []float64{5, 5, 5, 5}, []float64{5, 5, 5, 5}, 0, true, false},
		{"unchanged throughput at threshold 150%", seq(100, 1, 10), seq(100, 1, 10), 1.5, false, false},
		{"throughput halved at threshold 100%", seq(100, 1, 10), seq(50, 1, 10), 1, false, false},
		{"throughput collapsed at threshold 500%", seq(100, 1, 10), seq(1, 0.01, 10), 5, false, false},
		{"memory 3x at threshold 150%", seq(100, 1, 10), seq(300, 1, 10), 1.5, true, true},
		{"memory unchanged at threshold 150%", seq(100, 1, 10), seq(100, 1, 10), 1.5, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := TestRegression(tt.old, tt.new, tt.threshold, tt.lower)
			if (r.PWorse <= 0.05) != tt.wantSig {
				t.Errorf("p(worse) = %g, want significant %t (change %+.3f)", r.PWorse, tt.wantSig, r.Change)
			}
			if r.Confidence > 0 && (r.Change < r.ChangeCILow || r.Change > r.ChangeCIHigh) {
				t.Errorf("change %g outside [%g, %g]", r.Change, r.ChangeCILow, r.ChangeCIHigh)
			}
		})
	}
}

func TestBenjaminiHochberg(t *testing.T) {
	got := BenjaminiHochberg([]float64{0.01, 0.04, 0.03, 0.5})
	// sorted 0.01, 0.03, 0.04, 0.5 scale to 0.04, 0.06, 0.0533, 0.5; the
	// running minimum from the top makes them 0.04, 0.0533, 0.0533, 0.5.
	want := []float64{0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("BH = %v, want %v", got, want)
		}
	}
}

func TestRunsToDetect(t *testing.T) {
	for _, tt := range []struct{ rows, want int }{{1, 3}, {10, 5}, {260, 8}, {1000, 9}} {
		if got := RunsToDetect(tt.rows, Alpha); got != tt.want {
			t.Errorf("RunsToDetect(%d) = %d, want %d", tt.rows, got, tt.want)
		}
	}
}
