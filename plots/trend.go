package plots

import (
	"fmt"
	"io"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/memprism/memprism/results"
)

// trendData is what the trend chart draws.
type trendData struct {
	Title  string        `json:"title"`
	Unit   string        `json:"unit"`
	Labels []string      `json:"labels"` // x axis: short commits, oldest first
	Series []trendSeries `json:"series"`
}

// trendSeries is one scenario/variant across the reports.
type trendSeries struct {
	Name   string    `json:"name"`
	Quick  bool      `json:"quick,omitempty"` // a series of quick runs: dotted, hollow points
	Color  int       `json:"color"`           // palette index, shared by a variant's quick and full series
	X      []float64 `json:"x"`               // indices into Labels where measured
	Median []float64 `json:"median"`
	Low    []float64 `json:"low"`
	High   []float64 `json:"high"`
}

func trendOf(t *results.TrendData) trendData {
	max := 0.0
	for _, s := range t.Series {
		for _, v := range s.Values {
			if v.Present {
				max = maxf(max, maxf(v.CIHigh, v.Median))
			}
		}
	}
	div, unit := scale(t.Unit, max)
	d := trendData{Title: fmt.Sprintf("%s across commits (median, whiskers: 95%% CI)", metricTitle(t.Metric)), Unit: unit,
		Labels: []string{}, Series: []trendSeries{}}
	for _, p := range t.Points {
		label := p.Label
		if p.Quick {
			label += "\n(quick)"
		}
		d.Labels = append(d.Labels, label)
	}
	colors := map[string]int{} // scenario/variant -> palette index
	for _, s := range t.Series {
		key := s.Scenario + "/" + s.Variant
		c, ok := colors[key]
		if !ok {
			c = len(colors)
			colors[key] = c
		}
		ts := trendSeries{Name: s.Name(), Quick: s.Quick, Color: c}
		for i, v := range s.Values {
			if !v.Present {
				continue
			}
			ts.X = append(ts.X, float64(i))
			ts.Median = append(ts.Median, round4(v.Median/div))
			ts.Low = append(ts.Low, round4(v.CILow/div))
			ts.High = append(ts.High, round4(v.CIHigh/div))
		}
		d.Series = append(d.Series, ts)
	}
	return d
}

// Trend draws one metric across reports: a line per scenario/variant over
// the reports' short commits, oldest first, with interval whiskers.
func Trend(w io.Writer, t *results.TrendData) error {
	d := trendOf(t)
	p := newPlot(d.Title, "commit (oldest first)", results.MetricLabel(t.Metric)+" ("+d.Unit+")")
	if len(d.Series) == 0 {
		if err := noData(p, "no report measured "+t.Metric); err != nil {
			return err
		}
		return writePNG(w, p, Width, Height)
	}
	p.Add(plotter.NewGrid())
	top := 0.0
	for _, s := range d.Series {
		i := s.Color
		pts := xys(s.X, s.Median)
		line, points, err := plotter.NewLinePoints(pts)
		if err != nil {
			return fmt.Errorf("trend %s: %w", s.Name, err)
		}
		line.Color, line.Width = colorOf(i), px(2.5)
		points.Color, points.Radius = colorOf(i), px(4)
		points.Shape = draw.CircleGlyph{} // filled; quick runs get rings
		if i >= len(palette) {            // colours repeat past ten variants: tell them apart by dashes and squares
			line.Dashes = []vg.Length{px(10), px(5)}
			points.Shape = draw.BoxGlyph{}
		}
		if s.Quick { // quick runs: dotted line, hollow points, in their variant's colour
			line.Dashes = []vg.Length{px(3), px(4)}
			points.Shape = draw.RingGlyph{}
		}
		errs := make(plotter.YErrors, len(pts))
		for j := range pts {
			errs[j].Low, errs[j].High = s.Median[j]-s.Low[j], s.High[j]-s.Median[j]
			top = maxf(top, s.High[j])
		}
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{pts, errs})
		if err != nil {
			return fmt.Errorf("trend %s: %w", s.Name, err)
		}
		eb.Color, eb.Width, eb.CapWidth = colorOf(i), px(1.5), px(10)
		p.Add(line, points, eb)
		p.Legend.Add(s.Name, line, points)
	}
	p.NominalX(d.Labels...)
	p.X.Min, p.X.Max = -0.5, float64(len(d.Labels))-0.5
	p.Y.Min, p.Y.Max = 0, top*(1.15+0.05*float64(len(d.Series)))
	p.Legend.Left = true
	p.Y.Tick.Marker = niceTicks("")
	return writePNG(w, p, Width, Height)
}
