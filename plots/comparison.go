package plots

import (
	"fmt"
	"io"
	"slices"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/memprism/memprism/results"
)

// comparisonData is what the comparison chart draws, top row first.
type comparisonData struct {
	Title     string          `json:"title"`
	Threshold float64         `json:"threshold_pct"`
	Rows      []comparisonRow `json:"rows"`
}

// comparisonRow is one scenario/variant/metric change in percent.
type comparisonRow struct {
	Label string  `json:"label"`
	Delta float64 `json:"delta_pct"`
	Kind  string  `json:"kind"` // regression, worse, better, same (not significant)
	Text  string  `json:"text"`
}

func comparisonOf(c *results.Comparison) comparisonData {
	d := comparisonData{
		Title:     fmt.Sprintf("memprism compare %s → %s: change of the median per scenario, variant and metric", c.Old.Label(), c.New.Label()),
		Threshold: round4(c.Threshold * 100),
		Rows:      []comparisonRow{},
	}
	rows := c.Rows
	var key []results.Row
	for _, r := range rows {
		if slices.Contains(results.KeyMetrics, r.Metric) || r.Regression {
			key = append(key, r)
		}
	}
	if len(key) > 0 {
		rows = key
	}
	for _, r := range rows {
		row := comparisonRow{Label: fmt.Sprintf("%s/%s %s", r.Scenario, r.Variant, results.MetricLabel(r.Metric)), Kind: "same"}
		if r.HasDelta {
			row.Delta = round4(100 * r.Delta)
		}
		switch {
		case r.Regression:
			row.Kind = "regression"
		case r.Worse:
			row.Kind = "worse"
		case r.Better():
			row.Kind = "better"
		case r.Significant:
			row.Kind = "changed"
		}
		row.Text = fmt.Sprintf("%s  (%s → %s, %s)", r.DeltaCIString(), results.FormatValue(r.Old.Median, r.Unit), results.FormatValue(r.New.Median, r.Unit), results.FormatPValue(r.P))
		if !r.Enough {
			row.Text += "  too few runs"
		}
		d.Rows = append(d.Rows, row)
	}
	return d
}

// maxDrawnDelta caps the bars (in percent): one change of +12000% would
// otherwise flatten every other bar to nothing. The text beside each bar
// keeps the real figure.
const maxDrawnDelta = 200

func clampDelta(d float64) float64 { return max(-maxDrawnDelta, min(maxDrawnDelta, d)) }

// Comparison draws the change of each compared median as horizontal bars in
// percent, coloured by regression, improvement or no significant change,
// with the regression threshold marked.
func Comparison(w io.Writer, c *results.Comparison) error {
	d := comparisonOf(c)
	n := len(d.Rows)
	h := max(Height, 150+30*n)
	p := newPlot(d.Title, fmt.Sprintf("change of the median, new vs old (%%, bars capped at ±200%%)\nred: worse beyond the %g%% threshold in the metric's bad direction (dashed), green: significantly better,\nblue: significant change within the threshold, grey: ~ no significant change", d.Threshold), "")
	p.X.Label.TextStyle.Font.Size = 13
	if n == 0 {
		if err := noData(p, "the reports share no scenario, variant and metric"); err != nil {
			return err
		}
		return writePNG(w, p, Width, h)
	}
	p.Add(plotter.NewGrid())
	labels := make([]string, n)
	lo, hi := -d.Threshold, d.Threshold
	for i, r := range d.Rows {
		labels[n-1-i] = r.Label
		lo, hi = min(lo, clampDelta(r.Delta)), max(hi, clampDelta(r.Delta))
	}
	for _, kind := range []string{"regression", "worse", "better", "changed", "same"} {
		vals := make(plotter.Values, n)
		any := false
		for i, r := range d.Rows {
			if r.Kind == kind {
				vals[n-1-i] = clampDelta(r.Delta)
				any = true
			}
		}
		if !any {
			continue
		}
		bar, err := plotter.NewBarChart(vals, px(20))
		if err != nil {
			return fmt.Errorf("comparison chart: %w", err)
		}
		bar.Horizontal = true
		bar.LineStyle.Width = 0
		switch kind {
		case "regression", "worse":
			bar.Color = red
		case "better":
			bar.Color = green
		case "changed":
			bar.Color = palette[0]
		default:
			bar.Color = grey
		}
		p.Add(bar)
	}
	span := hi - lo
	textX := hi + 0.04*span
	p.X.Min, p.X.Max = lo-0.05*span, hi+1.1*span
	for _, x := range []float64{-d.Threshold, d.Threshold} {
		l, err := plotter.NewLine(plotter.XYs{{X: x, Y: -0.5}, {X: x, Y: float64(n) - 0.5}})
		if err != nil {
			return fmt.Errorf("comparison chart: %w", err)
		}
		l.Color, l.Width, l.Dashes = red, px(1.5), []vg.Length{px(6), px(4)}
		p.Add(l)
	}
	p.NominalY(labels...)
	p.X.Tick.Marker = niceTicks("%")
	p.Y.Tick.Label.Font.Size = 12
	pts := make(plotter.XYs, n)
	texts := make([]string, n)
	for i, r := range d.Rows {
		pts[i] = plotter.XY{X: textX, Y: float64(n - 1 - i)}
		texts[i] = r.Text
	}
	if err := addLabels(p, pts, texts, 12, black, 6, 0, 0, -0.5); err != nil {
		return err
	}
	return writePNG(w, p, Width, h)
}
