package plots

import (
	"fmt"
	"io"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/memprism/memprism/results"
)

// latencySeries is one variant's median run as the latency chart draws it.
type latencySeries struct {
	Variant    string
	Overloaded bool
	Width      float64   // interval width, seconds
	T          []float64 // interval starts, seconds
	P50, P99   []float64 // seconds; points with no finished message are left out
	Offered    []float64 // messages per second
	Achieved   []float64
}

// maxLatencyPoints caps the intervals drawn per variant (an hour at 100 ms).
const maxLatencyPoints = 36_000

func latencyOf(s *results.Scenario) []latencySeries {
	var out []latencySeries
	for i := range s.Variants {
		v := &s.Variants[i]
		l := v.Load
		if l == nil {
			continue
		}
		n := min(len(l.TSeconds), len(l.LatencyP50), len(l.LatencyP99), len(l.OfferedRate), len(l.AchievedRate), maxLatencyPoints)
		over, _ := v.OverloadedRuns()
		ser := latencySeries{Variant: v.Name, Overloaded: over > 0, Width: l.IntervalSeconds}
		if !(ser.Width > 0) || !finite(ser.Width) {
			ser.Width = 0.1
		}
		for j := range n {
			t := l.TSeconds[j]
			if !finite(t) {
				continue
			}
			ser.T = append(ser.T, t)
			ser.P50 = append(ser.P50, l.LatencyP50[j])
			ser.P99 = append(ser.P99, l.LatencyP99[j])
			ser.Offered = append(ser.Offered, l.OfferedRate[j])
			ser.Achieved = append(ser.Achieved, l.AchievedRate[j])
		}
		out = append(out, ser)
	}
	return out
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// positive returns the points of (t, y) with a positive finite y, at the
// middle of their interval of width w: the intervals in which messages
// finished, for a log axis.
func positive(t, y []float64, w float64) plotter.XYs {
	var out plotter.XYs
	for i := range min(len(t), len(y)) {
		if y[i] > 0 && finite(y[i]) {
			out = append(out, plotter.XY{X: t[i] + w/2, Y: y[i]})
		}
	}
	return out
}

// steps returns (t, y) with a closing point at the end of the last interval
// of width w, for a post-step line: each rate holds over its whole interval.
func steps(t, y []float64, w float64) plotter.XYs {
	pts := xys(t, y)
	if n := len(pts); n > 0 {
		pts = append(pts, plotter.XY{X: pts[n-1].X + w, Y: pts[n-1].Y})
	}
	return pts
}

// offers reports whether a series had an offered rate at all (a closed loop
// sends each message when the previous was accepted and offers none).
func offers(rates []float64) bool {
	for _, r := range rates {
		if r > 0 {
			return true
		}
	}
	return false
}

// sameOffered reports whether every series offered the same rates (a
// longer series offering nothing past the end of a shorter one).
func sameOffered(series []latencySeries) bool {
	at := func(xs []float64, i int) float64 {
		if i < len(xs) {
			return xs[i]
		}
		return 0
	}
	for _, ser := range series[1:] {
		for i := range max(len(ser.Offered), len(series[0].Offered)) {
			if at(ser.Offered, i) != at(series[0].Offered, i) {
				return false
			}
		}
	}
	return true
}

// Latency draws a rate-driven scenario's median runs over time in two
// panels: above, p50 (solid) and p99 (dashed) latency from intended send
// times per 100 ms interval, on a log axis; below, the offered rate (dashed)
// against the achieved rate (solid). A reviewer sees when a backlog started
// and whether the system kept up. Variants whose runs were overloaded say so
// in the legend.
func Latency(w io.Writer, s *results.Scenario) error {
	series := latencyOf(s)
	top := newPlot(fmt.Sprintf("%s: latency from intended send time, per 100 ms (median run)", s.Name), "", "latency (s, log scale)")
	bottom := newPlot("offered (dashed) vs achieved (solid) rate", "time since start of run (s)", "messages per second")
	if len(series) == 0 {
		if err := noData(top, "no rate-driven runs recorded"); err != nil {
			return err
		}
		return writePNG(w, top, Width, Height)
	}
	lo, hi, maxT, maxRate := math.Inf(1), 0.0, 0.0, 0.0
	for _, ser := range series {
		for _, ys := range [][]float64{ser.P50, ser.P99} {
			for _, y := range ys {
				if y > 0 && finite(y) {
					lo, hi = math.Min(lo, y), math.Max(hi, y)
				}
			}
		}
		for i, t := range ser.T {
			maxT = math.Max(maxT, t+ser.Width)
			for _, r := range []float64{ser.Offered[i], ser.Achieved[i]} {
				if finite(r) {
					maxRate = math.Max(maxRate, r)
				}
			}
		}
	}
	for _, p := range []*plot.Plot{top, bottom} {
		p.Add(plotter.NewGrid())
		p.X.Min, p.X.Max = 0, maxT
		p.X.Tick.Marker = niceTicks("")
		p.Legend.Left = true
	}
	if hi > 0 {
		top.Y.Scale = plot.LogScale{}
		top.Y.Tick.Marker = durationLogTicks{}
		top.Y.Min, top.Y.Max = lo/1.5, hi*6 // headroom for the legend
	}
	bottom.Y.Min, bottom.Y.Max = 0, math.Max(maxRate, 1)*(1.15+0.09*float64(len(series)))
	bottom.Y.Tick.Marker = niceTicks("")
	oneOffer := sameOffered(series)
	if oneOffer && offers(series[0].Offered) {
		if err := addLine(bottom, steps(series[0].T, series[0].Offered, series[0].Width), -1, 2, true, "offered"); err != nil {
			return err
		}
	}
	for i, ser := range series {
		name := ser.Variant
		if ser.Overloaded {
			name += " (overloaded)"
		}
		if err := addLine(top, positive(ser.T, ser.P50, ser.Width), i, 2.5, false, name+" p50"); err != nil {
			return err
		}
		if err := addLine(top, positive(ser.T, ser.P99, ser.Width), i, 1.5, true, name+" p99"); err != nil {
			return err
		}
		if !oneOffer && offers(ser.Offered) {
			if err := addLine(bottom, steps(ser.T, ser.Offered, ser.Width), i, 1.5, true, name+" offered"); err != nil {
				return err
			}
		}
		if err := addLine(bottom, steps(ser.T, ser.Achieved, ser.Width), i, 2.5, false, name+" achieved"); err != nil {
			return err
		}
	}
	h := Height + 200
	c := newCanvas(Width, h)
	dc := draw.Crop(draw.New(c), px(12), -px(8), px(4), -px(4))
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadY: px(16)}
	plots := [][]*plot.Plot{{top}, {bottom}}
	canvases := plot.Align(plots, tiles, dc)
	top.Draw(canvases[0][0])
	bottom.Draw(canvases[1][0])
	return encodePNG(w, c)
}

// addLine adds a line in variant i's colour (black for i < 0), dashed or
// solid, with a legend entry. Lines on the rate panel are post-steps.
func addLine(p *plot.Plot, pts plotter.XYs, i int, width float64, dashed bool, legend string) error {
	if len(pts) == 0 {
		return nil
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return fmt.Errorf("latency chart %s: %w", legend, err)
	}
	l.Color = black
	if i >= 0 {
		l.Color = colorOf(i)
	}
	if strings.HasSuffix(legend, "offered") || strings.HasSuffix(legend, "achieved") {
		l.StepStyle = plotter.PostStep
	}
	l.Width = px(width)
	if dashed {
		l.Dashes = []vg.Length{px(8), px(5)}
	}
	p.Add(l)
	p.Legend.Add(legend, l)
	if len(pts) < 3 && l.StepStyle == plotter.NoStep {
		// A run shorter than a few intervals has too few points for a
		// visible line: mark them (filled for p50, a ring for dashed p99).
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return fmt.Errorf("latency chart %s: %w", legend, err)
		}
		sc.GlyphStyle.Color, sc.GlyphStyle.Radius, sc.GlyphStyle.Shape = l.Color, px(5), draw.CircleGlyph{}
		if dashed {
			sc.GlyphStyle.Shape = draw.RingGlyph{}
		}
		p.Add(sc)
	}
	return nil
}

// durationLogTicks labels a log axis of seconds at 1, 10, 100 times each
// unit (1µs, 10µs, ... 1s, 10s), with minor ticks at 2..9.
type durationLogTicks struct{}

// Ticks returns the ticks between lo and hi (seconds, > 0).
func (durationLogTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) || !finite(lo) || !finite(hi) {
		return nil
	}
	var out []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)) && len(out) < 400; e++ {
		base := math.Pow(10, e)
		for k := 1.0; k < 10; k++ {
			v := k * base
			if v < lo || v > hi {
				continue
			}
			t := plot.Tick{Value: v}
			if k == 1 {
				t.Label = results.FormatValue(v, "sec")
			}
			out = append(out, t)
		}
	}
	return out
}
