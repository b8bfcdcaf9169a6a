package plots

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/plot/plotter"

	"github.com/memprism/memprism/results"
)

// SitesPerVariant is how many allocation sites per variant the hotspots chart shows.
const SitesPerVariant = 5

// maxLabel is the longest function label drawn; longer names are cut in the middle.
const maxLabel = 58

// hotspotsData is what the hotspots chart draws, top row first.
type hotspotsData struct {
	Title string       `json:"title"`
	Unit  string       `json:"unit"`
	Rows  []hotspotRow `json:"rows"`
}

// hotspotRow is one allocation site of one variant.
type hotspotRow struct {
	Variant  string  `json:"variant"`
	Index    int     `json:"variant_index"` // colour
	Label    string  `json:"label"`
	Value    float64 `json:"value"`
	Share    float64 `json:"share"`
	Location string  `json:"location"`
}

func hotspotsOf(s *results.Scenario) hotspotsData {
	max := 0.0
	for _, v := range s.Variants {
		for _, site := range v.TopAllocations {
			max = maxf(max, float64(site.AllocBytes))
		}
	}
	div, unit := scale("B", max)
	d := hotspotsData{Title: fmt.Sprintf("%s: top allocation sites per variant (bytes allocated, heap profile)", s.Name), Unit: unit, Rows: []hotspotRow{}}
	for vi, v := range s.Variants {
		for i, site := range v.TopAllocations {
			if i == SitesPerVariant {
				break
			}
			d.Rows = append(d.Rows, hotspotRow{
				Variant: v.Name, Index: vi, Label: v.Name + ": " + shorten(results.ShortFunc(site.Function), maxLabel),
				Value: round4(float64(site.AllocBytes) / div), Share: round4(site.Share),
				Location: fmt.Sprintf("%s:%d", baseName(site.File), site.Line),
			})
		}
	}
	return d
}

// shorten cuts s to n runes, keeping its start and end around an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	head := n/2 - 1
	return string(r[:head]) + "…" + string(r[len(r)-(n-head-1):])
}

func baseName(f string) string {
	for i := len(f) - 1; i >= 0; i-- {
		if f[i] == '/' {
			return f[i+1:]
		}
	}
	return f
}

// Hotspots draws the top allocation sites of each variant as horizontal bars,
// grouped and coloured by variant, labelled with shortened function names.
func Hotspots(w io.Writer, s *results.Scenario) error {
	d := hotspotsOf(s)
	h := max(Height, 140+38*len(d.Rows))
	p := newPlot(d.Title, "allocated ("+d.Unit+")", "")
	if len(d.Rows) == 0 {
		if err := noData(p, "no allocation sites recorded"); err != nil {
			return err
		}
		return writePNG(w, p, Width, h)
	}
	p.Add(plotter.NewGrid())
	n := len(d.Rows)
	labels := make([]string, n)
	top := 0.0
	// Row 0 is drawn at the top: y position n-1-i.
	for i, r := range d.Rows {
		labels[n-1-i] = r.Label
		top = maxf(top, r.Value)
	}
	for vi := range s.Variants {
		vals := make(plotter.Values, n)
		any := false
		for i, r := range d.Rows {
			if r.Index == vi {
				vals[n-1-i] = r.Value
				any = true
			}
		}
		if !any {
			continue
		}
		bar, err := plotter.NewBarChart(vals, px(26))
		if err != nil {
			return fmt.Errorf("hotspots chart: %w", err)
		}
		bar.Horizontal = true
		bar.Color = colorOf(vi)
		bar.LineStyle.Width = 0
		p.Add(bar)
	}
	p.NominalY(labels...)
	p.Y.Tick.Label.Font.Size = 13
	p.X.Min, p.X.Max = 0, top*1.45 // room for the value, share and file:line after the longest bar
	pts := make(plotter.XYs, n)
	texts := make([]string, n)
	for i, r := range d.Rows {
		pts[i] = plotter.XY{X: r.Value, Y: float64(n - 1 - i)}
		texts[i] = fmt.Sprintf("%.3g %s  %.0f%%  %s", r.Value, d.Unit, math.Round(100*r.Share), r.Location)
	}
	if err := addLabels(p, pts, texts, 12, black, 6, 0, 0, -0.5); err != nil {
		return err
	}
	return writePNG(w, p, Width, h)
}
