package verdictsim

import (
	"fmt"
	"io"
	"math/rand/v2"
	"text/tabwriter"

	"github.com/memprism/memprism/verdict"
)

// CompareCase is one simulated compare of two reports: rows metrics (all
// lower-is-better), n runs a side, log-normal noise of cv, and rows whose
// true change new/old is not 1.
type CompareCase struct {
	Name      string
	Rows      int
	N         int
	CV        float64
	Threshold float64
	// Changed maps a row index to its true ratio new/old.
	Changed map[int]float64
	// Watch is the row whose detection is counted (-1: none).
	Watch int
}

// CompareRates are the shares of simulated compares with a regression on a
// row whose true change is not worse than 1 (false), and with the watched
// row flagged (found).
type CompareRates struct{ FalseRegression, Found float64 }

// SimulateCompare runs trials compares the way results.CompareReports
// decides regressions: verdict.TestRegression per row, Benjamini-Hochberg
// over the rows, a regression where the adjusted p is at most verdict.Alpha.
func SimulateCompare(c CompareCase, trials int, seed uint64) CompareRates {
	rng := rand.New(rand.NewPCG(seed, uint64(c.Rows)))
	old, neu := make([]float64, c.N), make([]float64, c.N)
	ps := make([]float64, c.Rows)
	var falseReg, found int
	for range trials {
		for row := range c.Rows {
			ratio := 1.0
			if r, ok := c.Changed[row]; ok {
				ratio = r
			}
			for i := range old {
				old[i] = Lognormal.Draw(rng, 100, c.CV)
				neu[i] = Lognormal.Draw(rng, 100*ratio, c.CV)
			}
			ps[row] = verdict.TestRegression(old, neu, c.Threshold, true).PWorse
		}
		anyFalse, hit := false, false
		for row, adj := range verdict.BenjaminiHochberg(ps) {
			if adj > verdict.Alpha {
				continue
			}
			if r, ok := c.Changed[row]; ok && r > 1+c.Threshold {
				if row == c.Watch {
					hit = true
				}
				continue
			}
			anyFalse = true
		}
		if anyFalse {
			falseReg++
		}
		if hit {
			found++
		}
	}
	return CompareRates{float64(falseReg) / float64(trials), float64(found) / float64(trials)}
}

// CompareCases are issue 8's measured targets for compare on 260 rows:
// identical code (A/A), a true +10% in one row at n=10 and CV 5%, and a
// change that improves 52 rows by 20%; each at threshold 0 and 5%.
func CompareCases() []CompareCase {
	improved := map[int]float64{}
	for i := range 52 {
		improved[i] = 0.8
	}
	var out []CompareCase
	for _, th := range []float64{0, 0.05} {
		out = append(out,
			CompareCase{Name: "A/A, n=10", Rows: 260, N: 10, CV: 0.05, Threshold: th, Watch: -1},
			CompareCase{Name: "A/A, n=5", Rows: 260, N: 5, CV: 0.05, Threshold: th, Watch: -1},
			CompareCase{Name: "one row +10%, n=10", Rows: 260, N: 10, CV: 0.05, Threshold: th, Changed: map[int]float64{259: 1.1}, Watch: 259},
			CompareCase{Name: "one row +20%, n=10", Rows: 260, N: 10, CV: 0.05, Threshold: th, Changed: map[int]float64{259: 1.2}, Watch: 259},
			CompareCase{Name: "52 rows -20%, n=10", Rows: 260, N: 10, CV: 0.05, Threshold: th, Changed: improved, Watch: -1},
		)
	}
	return out
}

// WriteCompareTable prints SimulateCompare for every case of CompareCases.
func WriteCompareTable(w io.Writer, trials int, seed uint64) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "case (260 rows, CV 5%%)\tthreshold\tfalse regression\twatched row found\t\n")
	for _, c := range CompareCases() {
		r := SimulateCompare(c, trials, seed)
		found := "-"
		if c.Watch >= 0 {
			found = pc(r.Found)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", c.Name, pc(c.Threshold), pc(r.FalseRegression), found)
	}
	return tw.Flush()
}
