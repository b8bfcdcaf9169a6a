package plots

import (
	"bufio"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/memprism/memprism/results"
)

// Width and Height are the default size of a chart in pixels; charts with many
// rows grow taller.
const (
	Width  = 1200
	Height = 600
	dpi    = 96
)

// palette holds strong, distinguishable colours (Tableau 10), one per variant.
var palette = []color.RGBA{
	{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255}, {148, 103, 189, 255},
	{140, 86, 75, 255}, {227, 119, 194, 255}, {127, 127, 127, 255}, {188, 189, 34, 255}, {23, 190, 207, 255},
}

var (
	red   = color.RGBA{214, 39, 40, 255}
	green = color.RGBA{44, 160, 44, 255}
	grey  = color.RGBA{150, 150, 150, 255}
	black = color.RGBA{0, 0, 0, 255}
)

func colorOf(i int) color.RGBA { return palette[i%len(palette)] }

// px converts pixels to a vg length at the charts' resolution.
func px(n float64) vg.Length { return vg.Length(n) * vg.Inch / dpi }

// newPlot returns a plot with sans-serif text sized for reading at a glance.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Title.TextStyle.Font = sans(17)
	p.Title.Padding = px(12)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(14)
		a.Tick.Label.Font = sans(12)
	}
	p.Legend.TextStyle.Font = sans(12)
	p.Legend.Top = true
	p.Legend.ThumbnailWidth = px(40)
	return p
}

// addLabels draws text at data coordinates, nudged by (dx, dy) pixels.
func addLabels(p *plot.Plot, xys plotter.XYs, texts []string, size float64, c color.Color, dx, dy float64, xalign, yalign float64) error {
	if len(xys) == 0 {
		return nil
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
	if err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font = sans(size)
		l.TextStyle[i].Color = c
		l.TextStyle[i].Handler = p.TextHandler
		l.TextStyle[i].XAlign = draw.XAlignment(xalign)
		l.TextStyle[i].YAlign = draw.YAlignment(yalign)
	}
	l.Offset = vg.Point{X: px(dx), Y: px(dy)}
	p.Add(l)
	return nil
}

// noData marks an empty chart so that it says why it is empty.
func noData(p *plot.Plot, msg string) error {
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.HideAxes()
	p.X.Label.Text, p.Y.Label.Text = "", ""
	return addLabels(p, plotter.XYs{{X: 0.5, Y: 0.5}}, []string{msg}, 18, grey, 0, 0, -0.5, -0.5)
}

// writePNG draws p on a w x h pixel canvas and writes it to out as PNG.
func writePNG(out io.Writer, p *plot.Plot, w, h int) error {
	guard(p)
	c := newCanvas(w, h)
	// A small margin: gonum sizes the axes from its font metrics, and long
	// tick labels (allocation sites) otherwise touch or cross the left edge.
	p.Draw(draw.Crop(draw.New(c), px(12), -px(8), px(4), -px(4)))
	return encodePNG(out, c)
}

// newCanvas returns a white w x h pixel canvas at the charts' resolution.
func newCanvas(w, h int) *vgimg.Canvas {
	return vgimg.NewWith(vgimg.UseWH(px(float64(w)), px(float64(h))), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
}

// encodePNG writes a drawn canvas to out as PNG.
func encodePNG(out io.Writer, c *vgimg.Canvas) error {
	bw := bufio.NewWriter(out)
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(bw); err != nil {
		return fmt.Errorf("encode png: %w", err)
	}
	return bw.Flush()
}

// sans is the charts' typeface at size points.
func sans(size float64) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: font.Length(size)}
}

// scale picks a display unit for values of a base unit up to max: the
// divisor and the unit's label.
func scale(unit string, max float64) (float64, string) {
	max = math.Abs(max)
	switch unit {
	case "B", "B/s":
		suffix := ""
		if unit == "B/s" {
			suffix = "/s"
		}
		switch {
		case max >= 1<<30:
			return 1 << 30, "GiB" + suffix
		case max >= 1<<20:
			return 1 << 20, "MiB" + suffix
		case max >= 1<<10:
			return 1 << 10, "KiB" + suffix
		}
		return 1, "B" + suffix
	case "sec":
		switch {
		case max >= 1:
			return 1, "s"
		case max >= 1e-3:
			return 1e-3, "ms"
		case max >= 1e-6:
			return 1e-6, "µs"
		}
		return 1e-9, "ns"
	case "":
		return 1, "count"
	}
	return 1, unit
}

// round4 rounds to four significant digits, so golden data files stay stable.
func round4(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	mag := math.Pow(10, 3-math.Floor(math.Log10(math.Abs(x))))
	return math.Round(x*mag) / mag
}

// metricTitle names a metric with its catalogue label for axis titles.
func metricTitle(metric string) string {
	return results.MetricLabel(metric) + " (" + metric + ")"
}

// niceTicks labels an axis every 1, 2 or 5 times a power of ten, aiming at
// about eight labelled ticks, with suffix after each label. Ticks are
// counted, never accumulated, so no range (however wide, or narrow next to
// its magnitude) makes it loop.
func niceTicks(suffix string) plot.Ticker {
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		if !saneRange(lo, hi) {
			return endTicks(lo, hi, suffix)
		}
		span := hi - lo
		raw := span / 8
		mag := math.Pow(10, math.Floor(math.Log10(raw)))
		step := mag
		for _, m := range []float64{1, 2, 5, 10} {
			if m*mag >= raw {
				step = m * mag
				break
			}
		}
		first := math.Ceil(lo / step)
		var ticks []plot.Tick
		for i := 0.0; i <= 20; i++ {
			v := (first + i) * step
			if v > hi+step*1e-9 {
				break
			}
			if math.Abs(v) < step*1e-9 {
				v = 0
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', 6, 64) + suffix})
			for k := 1; k < 5 && v+float64(k)*step/5 <= hi; k++ {
				ticks = append(ticks, plot.Tick{Value: v + float64(k)*step/5})
			}
		}
		return ticks
	})
}

// saneRange reports whether [lo, hi] can be ticked: finite, not empty, its
// span finite and above the float64 resolution at its magnitude.
func saneRange(lo, hi float64) bool {
	span := hi - lo
	return !math.IsNaN(span) && !math.IsInf(span, 0) && span > 0 &&
		span > 1e-9*math.Max(math.Abs(lo), math.Abs(hi))
}

// endTicks labels only the two ends of a range no ticker can divide.
func endTicks(lo, hi float64, suffix string) []plot.Tick {
	var ticks []plot.Tick
	for _, v := range []float64{lo, hi} {
		if !math.IsNaN(v) && !math.IsInf(v, 0) && (len(ticks) == 0 || v != ticks[0].Value) {
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', 3, 64) + suffix})
		}
	}
	return ticks
}

// guardedTicker checks the range before any ticker (gonum's default ones
// included) divides it, and caps how many ticks come back.
type guardedTicker struct{ plot.Ticker }

func (g guardedTicker) Ticks(lo, hi float64) []plot.Tick {
	if !saneRange(lo, hi) {
		return endTicks(lo, hi, "")
	}
	if t := g.Ticker.Ticks(lo, hi); len(t) <= 200 {
		return t
	}
	return endTicks(lo, hi, "")
}

// guard makes a plot drawable whatever figures a report held (a timeline
// spanning -1e308..1e308, a maximum that overflows to +Inf once padded):
// each axis range becomes finite with a finite span, and each axis ticker
// is guarded.
func guard(p *plot.Plot) {
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		const lim = math.MaxFloat64 / 4 // so that max-min stays finite
		a.Min = clamp(a.Min, -lim, lim)
		a.Max = clamp(a.Max, -lim, lim)
		if a.Max < a.Min {
			a.Min, a.Max = a.Max, a.Min
		}
		if _, ok := a.Tick.Marker.(guardedTicker); !ok {
			a.Tick.Marker = guardedTicker{a.Tick.Marker}
		}
	}
}

// clamp bounds v to [lo, hi]; NaN becomes 0.
func clamp(v, lo, hi float64) float64 {
	switch {
	case math.IsNaN(v):
		return 0
	case v < lo:
		return lo
	case v > hi:
		return hi
	}
	return v
}
