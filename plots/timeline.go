package plots

import (
	"fmt"
	"io"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/memprism/memprism/results"
)

// timelineData is what the timeline chart draws.
type timelineData struct {
	Title  string           `json:"title"`
	Unit   string           `json:"unit"`
	Series []timelineSeries `json:"series"`
}

// timelineSeries is one variant's median run: heap and RSS over time.
type timelineSeries struct {
	Variant string    `json:"variant"`
	T       []float64 `json:"t_seconds"`
	Heap    []float64 `json:"heap"`
	RSS     []float64 `json:"rss,omitempty"`
}

func timelineOf(s *results.Scenario) timelineData {
	max := 0.0
	for _, v := range s.Variants {
		if v.Timeline == nil {
			continue
		}
		for _, xs := range [][]float64{v.Timeline.HeapBytes, v.Timeline.RSSBytes} {
			for _, x := range xs {
				max = maxf(max, x)
			}
		}
	}
	div, unit := scale("B", max)
	d := timelineData{
		Title:  fmt.Sprintf("%s (GOGC=%d): heap in use (solid) and RSS (dashed) over the median run", s.Name, s.Run.GOGC),
		Unit:   unit,
		Series: []timelineSeries{},
	}
	for _, v := range s.Variants {
		tl := v.Timeline
		if tl == nil || len(tl.TSeconds) == 0 {
			continue
		}
		n := min(len(tl.TSeconds), len(tl.HeapBytes))
		ser := timelineSeries{Variant: v.Name}
		for i := range n {
			ser.T = append(ser.T, round4(tl.TSeconds[i]))
			ser.Heap = append(ser.Heap, round4(tl.HeapBytes[i]/div))
		}
		if len(tl.RSSBytes) >= n {
			for i := range n {
				ser.RSS = append(ser.RSS, round4(tl.RSSBytes[i]/div))
			}
		}
		d.Series = append(d.Series, ser)
	}
	return d
}

// Timeline draws heap in use (solid) and RSS (dashed) over time for each
// variant's median run, in binary units, titled with the scenario and GOGC.
func Timeline(w io.Writer, s *results.Scenario) error {
	d := timelineOf(s)
	p := newPlot(d.Title, "time since start of run (s)", "memory ("+d.Unit+")")
	if len(d.Series) == 0 {
		if err := noData(p, "no timeline recorded"); err != nil {
			return err
		}
		return writePNG(w, p, Width, Height)
	}
	p.Add(plotter.NewGrid())
	p.X.Min, p.Y.Min = 0, 0
	top := 0.0
	for _, ser := range d.Series {
		for _, y := range append(append([]float64(nil), ser.Heap...), ser.RSS...) {
			top = maxf(top, y)
		}
	}
	p.Y.Max = top * (1.15 + 0.045*float64(2*len(d.Series))) // headroom for the legend
	for i, ser := range d.Series {
		heap, err := plotter.NewLine(xys(ser.T, ser.Heap))
		if err != nil {
			return fmt.Errorf("timeline %s: %w", ser.Variant, err)
		}
		heap.Color = colorOf(i)
		heap.Width = px(2.5)
		p.Add(heap)
		p.Legend.Add(ser.Variant+" heap", heap)
		if ser.RSS == nil {
			continue
		}
		rss, err := plotter.NewLine(xys(ser.T, ser.RSS))
		if err != nil {
			return fmt.Errorf("timeline %s: %w", ser.Variant, err)
		}
		rss.Color = colorOf(i)
		rss.Width = px(1.5)
		rss.Dashes = []vg.Length{px(8), px(5)}
		p.Add(rss)
		p.Legend.Add(ser.Variant+" RSS", rss)
	}
	p.Legend.Left = true
	p.Y.Tick.Marker = niceTicks("")
	p.X.Tick.Marker = niceTicks("")
	return writePNG(w, p, Width, Height)
}

func xys(x, y []float64) plotter.XYs {
	out := make(plotter.XYs, min(len(x), len(y)))
	for i := range out {
		out[i] = plotter.XY{X: x[i], Y: y[i]}
	}
	return out
}

func maxf(a, b float64) float64 {
	if b > a {
		return b
	}
	return a
}
