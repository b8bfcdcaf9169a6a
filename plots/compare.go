package plots

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/memprism/memprism/results"
)

// compareData is what the compare chart draws: one metric per variant.
type compareData struct {
	Title    string        `json:"title"`
	Metric   string        `json:"metric"`
	Unit     string        `json:"unit"`
	Bars     []compareBar  `json:"bars"`
	Lines    []compareLine `json:"lines"`
	Footnote string        `json:"footnote"`
}

// compareBar is one variant: median with interval whiskers and its note.
type compareBar struct {
	Variant string  `json:"variant"`
	Median  float64 `json:"median"`
	Low     float64 `json:"low"`
	High    float64 `json:"high"`
	N       int     `json:"n"`
	Value   string  `json:"value"`   // the median in the metric's unit, for people
	Note    string  `json:"note"`    // change vs baseline and verdict
	Verdict string  `json:"verdict"` // colours the note
}

// compareLine is a target drawn across the chart.
type compareLine struct {
	Y     float64 `json:"y"`
	Label string  `json:"label"`
}

// compareOf returns one panel of data per target metric (peak heap without targets).
func compareOf(s *results.Scenario) []compareData {
	var out []compareData
	for _, m := range s.TargetMetrics() {
		out = append(out, compareMetric(s, m))
	}
	return out
}

func compareMetric(s *results.Scenario, metric string) compareData {
	info, _ := results.Metric(metric)
	vms := results.ScenarioMetric(s, metric)
	max := 0.0
	for _, vm := range vms {
		max = maxf(max, math.Max(math.Abs(vm.Summary.CIHigh), math.Abs(vm.Summary.Median)))
	}
	div, unit := scale(info.Unit, max)
	d := compareData{
		Title:  fmt.Sprintf("%s: %s per variant", s.Name, results.MetricLabel(metric)),
		Metric: metric, Unit: unit, Bars: []compareBar{}, Lines: []compareLine{},
	}
	few := false
	var base results.Summary // the baseline's, as ScenarioMetric computed it
	// A variant whose only target on this metric is a bound (max/min) was
	// judged on its own median: its note gives the verdict, not a change
	// against the baseline that no target asked about.
	bound, relative := map[string]bool{}, map[string]bool{}
	for _, t := range s.Targets {
		for _, r := range t.Results {
			if t.Metric == metric {
				bound[r.Variant] = bound[r.Variant] || !t.Relative()
				relative[r.Variant] = relative[r.Variant] || t.Relative()
			}
		}
	}
	for _, vm := range vms {
		if vm.IsBaseline {
			base = vm.Summary
		}
		if vm.Summary.N == 0 {
			continue
		}
		b := compareBar{Variant: vm.Variant, Median: round4(vm.Summary.Median / div), Low: round4(vm.Summary.CILow / div),
			High: round4(vm.Summary.CIHigh / div), N: vm.Summary.N, Verdict: vm.Verdict,
			Value: results.FormatMetric(metric, vm.Summary.Median)}
		switch {
		case vm.IsBaseline:
			b.Note = "baseline"
		case vm.HasChange && !(bound[vm.Variant] && !relative[vm.Variant]):
			b.Note = fmt.Sprintf("%s  %s", vm.ChangeString(), vm.Verdict)
		default:
			b.Note = vm.Verdict
		}
		if !vm.Summary.HasCI() {
			few = true
			b.Note += fmt.Sprintf(" (n=%d)", vm.Summary.N)
		}
		d.Bars = append(d.Bars, b)
	}
	for _, t := range s.Targets {
		if t.Metric != metric {
			continue
		}
		if t.Reduction != nil && base.N > 0 {
			y := round4(base.Median * (1 - *t.Reduction) / div)
			d.Lines = append(d.Lines, compareLine{y, fmt.Sprintf("target: %s below %s = %.4g %s", pct(*t.Reduction), s.Baseline, y, unit)})
		}
		if t.Increase != nil && base.N > 0 {
			y := round4(base.Median * (1 + *t.Increase) / div)
			d.Lines = append(d.Lines, compareLine{y, fmt.Sprintf("target: %s above %s = %.4g %s", pct(*t.Increase), s.Baseline, y, unit)})
		}
		if t.Max != nil {
			d.Lines = append(d.Lines, compareLine{round4(*t.Max / div), "target: at most " + results.FormatMetric(metric, *t.Max)})
		}
		if t.Min != nil {
			d.Lines = append(d.Lines, compareLine{round4(*t.Min / div), "target: at least " + results.FormatMetric(metric, *t.Min)})
		}
	}
	if few {
		d.Footnote = "(n=…): fewer than 6 runs, whiskers show the whole range of the runs"
	}
	return d
}

func pct(f float64) string { return fmt.Sprintf("%g%%", math.Round(f*1000)/10) }

// Compare draws each of the scenario's target metrics (peak_heap_bytes without
// targets) per variant, one panel per metric side by side: median bars with
// confidence whiskers, the target line(s), and each variant's change vs the
// baseline and verdict.
func Compare(w io.Writer, s *results.Scenario) error {
	data := compareOf(s)
	panels := make([]*plot.Plot, len(data))
	for i, d := range data {
		p, err := comparePlot(d)
		if err != nil {
			return err
		}
		if len(data) > 1 { // the figure's own title names the scenario
			p.Title.Text = results.MetricLabel(d.Metric)
		}
		panels[i] = p
	}
	if len(panels) == 1 {
		panels[0].Title.Text += " (median of runs, whiskers: 95% CI)"
		return writePNG(w, panels[0], Width, Height)
	}
	width := max(Width, 640*len(panels))
	c := newCanvas(width, Height)
	dc := draw.New(c)
	head := px(34)
	title := dc.Rectangle.Max.Y - head
	dc.FillText(draw.TextStyle{Color: black, Font: sans(17),
		Handler: panels[0].TextHandler, XAlign: draw.XCenter, YAlign: draw.YCenter},
		vg.Point{X: (dc.Rectangle.Min.X + dc.Rectangle.Max.X) / 2, Y: title + head/2},
		fmt.Sprintf("%s: target metrics per variant (median of runs, whiskers: 95%% CI)", s.Name))
	body := draw.Crop(dc, 0, 0, 0, -head)
	tiles := draw.Tiles{Rows: 1, Cols: len(panels), PadX: px(24), PadLeft: px(4), PadRight: px(8), PadTop: px(4), PadBottom: px(4)}
	for _, p := range panels {
		guard(p)
	}
	grid := plot.Align([][]*plot.Plot{panels}, tiles, body)
	for i, p := range panels {
		p.Draw(grid[0][i])
	}
	return encodePNG(w, c)
}

// comparePlot draws one metric's panel.
func comparePlot(d compareData) (*plot.Plot, error) {
	p := newPlot(d.Title, d.Footnote, results.MetricLabel(d.Metric)+" ("+d.Unit+")")
	if len(d.Bars) == 0 {
		if err := noData(p, "no runs measured "+d.Metric); err != nil {
			return nil, err
		}
		return p, nil
	}
	p.Add(plotter.NewGrid())
	names := make([]string, len(d.Bars))
	top := 0.0
	for i, b := range d.Bars {
		// Annotations go under the variant's name, where no target line can cross them.
		names[i] = fmt.Sprintf("%s\n%s\n%s", b.Variant, b.Value, b.Note)
		top = maxf(top, maxf(b.High, b.Median))
		vals := make(plotter.Values, len(d.Bars))
		vals[i] = b.Median
		bar, err := plotter.NewBarChart(vals, px(math.Min(160, 700/float64(len(d.Bars)))))
		if err != nil {
			return nil, fmt.Errorf("compare chart: %w", err)
		}
		bar.Color = colorOf(i)
		bar.LineStyle.Width = 0
		p.Add(bar)
	}
	for _, l := range d.Lines {
		top = maxf(top, l.Y)
	}
	p.NominalX(names...)
	p.Y.Tick.Marker = niceTicks("")
	p.X.Tick.Label.Font.Size = 14
	p.Y.Min, p.Y.Max = 0, top*(1.1+0.08*float64(len(d.Lines)))

	errs := make(plotter.YErrors, len(d.Bars))
	pts := make(plotter.XYs, len(d.Bars))
	for i, b := range d.Bars {
		pts[i] = plotter.XY{X: float64(i), Y: b.Median}
		errs[i].Low, errs[i].High = b.Median-b.Low, b.High-b.Median
	}
	eb, err := plotter.NewYErrorBars(struct {
		plotter.XYs
		plotter.YErrors
	}{pts, errs})
	if err != nil {
		return nil, fmt.Errorf("compare chart: %w", err)
	}
	eb.Width = px(2.5)
	eb.CapWidth = px(24)
	p.Add(eb)

	for _, l := range d.Lines {
		line, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: l.Y}, {X: float64(len(d.Bars)) - 0.5, Y: l.Y}})
		if err != nil {
			return nil, fmt.Errorf("compare chart: %w", err)
		}
		line.Color = red
		line.Width = px(2)
		line.Dashes = []vg.Length{px(10), px(6)}
		p.Add(line)
		p.Legend.Add(l.Label, line)
	}
	return p, nil
}
