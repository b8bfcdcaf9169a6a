package plots

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"github.com/memprism/memprism/results"
)

// SitesPerVariant is how many allocation sites per variant the hotspots chart shows.
const SitesPerVariant = 5

// maxLabel is the longest function label drawn; longer names are cut in the middle.
const maxLabel = 58

// hotspotsData is what the hotspots chart draws: two panels, the lines
// holding the most bytes at the end (retained) above the lines that
// allocated the most (churn), each top row first.
type hotspotsData struct {
	Title  string         `json:"title"`
	Panels []hotspotPanel `json:"panels"`
}

// hotspotPanel is one ranking of lines.
type hotspotPanel struct {
	Title  string       `json:"title"`
	XLabel string       `json:"x_label"`
	Unit   string       `json:"unit"`
	Rows   []hotspotRow `json:"rows"`
}

// hotspotRow is one line of one variant.
type hotspotRow struct {
	Variant  string  `json:"variant"`
	Index    int     `json:"variant_index"` // colour
	Label    string  `json:"label"`
	Value    float64 `json:"value"`
	Share    float64 `json:"share"`
	Location string  `json:"location"` // file:line, and the library call it went through
}

func hotspotsOf(s *results.Scenario) hotspotsData {
	d := hotspotsData{Title: fmt.Sprintf("%s: where the memory is (median run's heap profile, the code's own lines first)", s.Name)}
	d.Panels = append(d.Panels,
		hotspotPanelOf(s, "still held after the workload returned (bytes in use)", "in use",
			func(v results.Variant) []results.Site { return v.TopInUse },
			func(x results.Site) (int64, float64) { return x.InuseBytes, x.InuseShare }),
		hotspotPanelOf(s, "allocated during the run (churn)", "allocated",
			func(v results.Variant) []results.Site { return v.TopAllocations },
			func(x results.Site) (int64, float64) { return x.AllocBytes, x.Share }))
	return d
}

func hotspotPanelOf(s *results.Scenario, title, what string, sites func(results.Variant) []results.Site, value func(results.Site) (int64, float64)) hotspotPanel {
	top := 0.0
	for _, v := range s.Variants {
		for _, site := range sites(v) {
			b, _ := value(site)
			top = maxf(top, float64(b))
		}
	}
	div, unit := scale("B", top)
	p := hotspotPanel{Title: title, XLabel: what + " (" + unit + ")", Unit: unit, Rows: []hotspotRow{}}
	for vi, v := range s.Variants {
		attributed := v.ChargesUserLines()
		for i, site := range sites(v) {
			if i == SitesPerVariant {
				break
			}
			b, share := value(site)
			loc := fmt.Sprintf("%s:%d", baseName(site.File), site.Line)
			if site.Via != "" {
				loc += " via " + results.ShortFunc(site.Via)
			}
			loc += results.SiteOrigin(site.Function, site.User, attributed)
			p.Rows = append(p.Rows, hotspotRow{
				Variant: v.Name, Index: vi, Label: v.Name + ": " + shorten(results.ShortFunc(site.Function), maxLabel),
				Value: round4(float64(b) / div), Share: round4(share), Location: loc,
			})
		}
	}
	return p
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

// Hotspots draws, for each variant, the lines holding the most bytes at
// the end (top panel) and those that allocated the most (bottom panel) as
// horizontal bars, grouped and coloured by variant, labelled with
// shortened function names, file:line and the library call they went through.
func Hotspots(w io.Writer, s *results.Scenario) error {
	d := hotspotsOf(s)
	heights := make([]int, len(d.Panels))
	total := 0
	for i, p := range d.Panels {
		heights[i] = max(Height/2+60, 150+38*len(p.Rows))
		total += heights[i]
	}
	c := newCanvas(Width, total)
	dc := draw.New(c)
	above := 0
	for i, panel := range d.Panels {
		title := panel.Title
		if i == 0 {
			title = d.Title + "\n" + title
		}
		p, err := hotspotPlot(s, panel, title)
		if err != nil {
			return err
		}
		below := total - above - heights[i]
		p.Draw(draw.Crop(dc, px(12), -px(8), px(float64(below)+4), -px(float64(above)+4)))
		above += heights[i]
	}
	return encodePNG(w, c)
}

// hotspotPlot is one panel of the hotspots chart.
func hotspotPlot(s *results.Scenario, d hotspotPanel, title string) (*plot.Plot, error) {
	p := newPlot(title, d.XLabel, "")
	if len(d.Rows) == 0 {
		return p, noData(p, "no lines recorded (a workload that drops its data before it returns holds none; its snapshots say what it held)")
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
			return nil, fmt.Errorf("hotspots chart: %w", err)
		}
		bar.Horizontal = true
		bar.Color = colorOf(vi)
		bar.LineStyle.Width = 0
		p.Add(bar)
	}
	p.NominalY(labels...)
	p.Y.Tick.Label.Font.Size = 13
	p.X.Min, p.X.Max = 0, maxf(top, 1e-9)*1.8 // room for the value, share and file:line after the longest bar
	pts := make(plotter.XYs, n)
	texts := make([]string, n)
	for i, r := range d.Rows {
		pts[i] = plotter.XY{X: r.Value, Y: float64(n - 1 - i)}
		texts[i] = fmt.Sprintf("%.3g %s  %.0f%%  %s", r.Value, d.Unit, math.Round(100*r.Share), shorten(r.Location, 44))
	}
	if err := addLabels(p, pts, texts, 12, black, 6, 0, 0, -0.5); err != nil {
		return nil, err
	}
	return p, nil
}
