package results

import (
	"bytes"
	"strings"
	"testing"
)

// TestCompareRowsFromRuns checks that every figure of a compare row comes
// from the runs: a stored summary that disagrees with its runs (a doctored
// report) changes nothing on the row; a side without run values makes the
// row use both sides' summaries, say so and test nothing.
func TestCompareRowsFromRuns(t *testing.T) {
	const variant, m = "compact", PeakHeapBytes
	doctor := func(r *Report, median float64) {
		v := r.Scenarios[0].VariantByName(variant)
		s := v.Summary[m]
		s.Median, s.CILow, s.CIHigh = median, median, median
		v.Summary[m] = s
	}
	tests := []struct {
		name          string
		old, new      func(r *Report)
		fromSummaries bool
	}{
		{name: "summaries agree", old: func(*Report) {}, new: func(*Report) {}},
		{name: "old summary doctored", old: func(r *Report) { doctor(r, 1) }, new: func(*Report) {}},
		{name: "new summary doctored", old: func(*Report) {}, new: func(r *Report) { doctor(r, 1e12) }},
		{name: "summaries absent", old: func(r *Report) { r.Scenarios[0].VariantByName(variant).Summary = nil }, new: func(r *Report) {
			r.Scenarios[0].VariantByName(variant).Summary = nil
		}},
		{name: "new runs lack the metric", old: func(*Report) {}, new: func(r *Report) {
			v := r.Scenarios[0].VariantByName(variant)
			for i := range v.Runs {
				delete(v.Runs[i].Metrics, m)
			}
		}, fromSummaries: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, neu := loadFixture(t), loadFixture(t)
			tt.old(old)
			tt.new(neu)
			c := CompareReports(old, neu, DefaultCompareOptions)
			var row *Row
			for i := range c.Rows {
				if r := &c.Rows[i]; r.Scenario == "trade-records" && r.Variant == variant && r.Metric == m {
					row = r
				}
			}
			if row == nil {
				t.Fatal("no row")
			}
			ov, nv := old.Scenarios[0].VariantByName(variant), neu.Scenarios[0].VariantByName(variant)
			if row.FromSummaries != tt.fromSummaries {
				t.Fatalf("FromSummaries = %t, want %t", row.FromSummaries, tt.fromSummaries)
			}
			if tt.fromSummaries {
				if row.Old != ov.Summary[m] || row.New != nv.Summary[m] || row.P != 1 || row.Regression {
					t.Errorf("row %+v: want both stored summaries and no test", *row)
				}
				var b bytes.Buffer
				if err := WriteComparisonText(&b, c); err != nil || !strings.Contains(b.String(), "summaries only, not tested") {
					t.Errorf("text does not say the row is from summaries (%v):\n%s", err, b.String())
				}
				return
			}
			if want := Summarize(RunValues(ov, m)); row.Old != want {
				t.Errorf("old %+v, want the runs' %+v", row.Old, want)
			}
			if want := Summarize(RunValues(nv, m)); row.New != want {
				t.Errorf("new %+v, want the runs' %+v", row.New, want)
			}
			// Same runs on both sides: no change, whatever the summaries say.
			if !row.HasDelta || row.Delta != 0 || row.Significant || row.Regression {
				t.Errorf("identical runs: delta %v (has %t), significant %t, regression %t", row.Delta, row.HasDelta, row.Significant, row.Regression)
			}
		})
	}
}
