package plots

import (
	"bytes"
	"encoding/json"
	"flag"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/memprism/memprism/results"

	"github.com/memprism/memprism/internal/golden"
)

// pngDir, when set, keeps the rendered charts there for a person to look at.
var pngDir = flag.String("pngdir", "", "also write the rendered PNGs into this directory")

func checkData(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", name), append(got, '\n'))
}

func fixture(t *testing.T) *results.Report {
	t.Helper()
	r, err := results.ReadReport(filepath.Join("testdata", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkPNG decodes b and checks its size and that it is not blank.
func checkPNG(t *testing.T, name string, b []byte, w, minH int) {
	t.Helper()
	checkPNGInk(t, name, b, w, minH, 0.02)
}

// checkPNGInk is checkPNG with the least fraction of drawn pixels.
func checkPNGInk(t *testing.T, name string, b []byte, w, minH int, minInk float64) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	bounds := img.Bounds()
	if bounds.Dx() != w || bounds.Dy() < minH {
		t.Errorf("%s: %dx%d, want %dx%d or taller", name, bounds.Dx(), bounds.Dy(), w, minH)
	}
	colours := map[uint32]bool{}
	inked, seen := 0, 0
	// Sample every third pixel of every third row; read the pixel buffer
	// directly where possible (image.At is slow under the race detector).
	for y := bounds.Min.Y; y < bounds.Max.Y; y += 3 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 3 {
			var r, g, b uint32
			switch m := img.(type) {
			case *image.RGBA:
				i := m.PixOffset(x, y)
				r, g, b = uint32(m.Pix[i]), uint32(m.Pix[i+1]), uint32(m.Pix[i+2])
			case *image.NRGBA:
				i := m.PixOffset(x, y)
				r, g, b = uint32(m.Pix[i]), uint32(m.Pix[i+1]), uint32(m.Pix[i+2])
			default:
				r16, g16, b16, _ := img.At(x, y).RGBA()
				r, g, b = r16>>8, g16>>8, b16>>8
			}
			colours[r<<16|g<<8|b] = true
			seen++
			if r < 0xf0 || g < 0xf0 || b < 0xf0 {
				inked++
			}
		}
	}
	if len(colours) < 8 {
		t.Errorf("%s: only %d distinct colours: blank?", name, len(colours))
	}
	if frac := float64(inked) / float64(seen); frac < minInk {
		t.Errorf("%s: only %.2f%% of the pixels are drawn", name, 100*frac)
	}
	if *pngDir != "" {
		if err := os.WriteFile(filepath.Join(*pngDir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func render(t *testing.T, draw func(io.Writer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := draw(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestScenarioCharts(t *testing.T) {
	r := fixture(t)
	for i := range r.Scenarios {
		s := &r.Scenarios[i]
		t.Run(s.Name, func(t *testing.T) {
			tests := []struct {
				kind string
				data any
				draw func(io.Writer, *results.Scenario) error
				minH int
			}{
				{"timeline", timelineOf(s), Timeline, Height},
				{"compare", compareOf(s), Compare, Height},
				{"hotspots", hotspotsOf(s), Hotspots, Height},
			}
			for _, tt := range tests {
				t.Run(tt.kind, func(t *testing.T) {
					checkData(t, s.Name+"-"+tt.kind+".json", tt.data)
					b := render(t, func(w io.Writer) error { return tt.draw(w, s) })
					checkPNG(t, s.Name+"-"+tt.kind+".png", b, Width, tt.minH)
					if i == 0 && tt.kind == "timeline" { // once: rendering is slow under -race
						if again := render(t, func(w io.Writer) error { return tt.draw(w, s) }); !bytes.Equal(b, again) {
							t.Errorf("the same data gave a different picture")
						}
					}
				})
			}
		})
	}
}

func TestChartData(t *testing.T) {
	s := &fixture(t).Scenarios[0]
	tl := timelineOf(s)
	if tl.Unit != "MiB" || len(tl.Series) != 3 || !strings.Contains(tl.Title, "GOGC=100") {
		t.Errorf("timeline: unit %s, %d series, title %q", tl.Unit, len(tl.Series), tl.Title)
	}
	cd := compareOf(s)[0]
	if len(cd.Bars) != 3 || len(cd.Lines) != 1 {
		t.Fatalf("compare: %d bars, %d lines", len(cd.Bars), len(cd.Lines))
	}
	base := cd.Bars[0].Median
	if want := round4(base * (1 - 0.33)); abs(cd.Lines[0].Y-want) > 0.01*want {
		t.Errorf("target line at %v, want baseline*(1-0.33) = %v", cd.Lines[0].Y, want)
	}
	if !strings.Contains(cd.Bars[1].Note, "pass") || !strings.Contains(cd.Bars[2].Note, "fail") {
		t.Errorf("notes %q, %q", cd.Bars[1].Note, cd.Bars[2].Note)
	}
	hs := hotspotsOf(s)
	if len(hs.Panels) != 2 {
		t.Fatalf("hotspots: %d panels, want in use and allocated", len(hs.Panels))
	}
	if in := hs.Panels[0]; len(in.Rows) != 6 || in.Rows[0].Label != "naive: workloads.(*tradeChurn).retain" || in.Rows[0].Share != 0.95 {
		t.Errorf("in-use panel rows %d, first %+v", len(in.Rows), in.Rows[0])
	}
	if al := hs.Panels[1]; len(al.Rows) != 9 || al.Rows[0].Label != "naive: workloads.(*tradeChurn).newTrade" || al.Rows[0].Location != "churn.go:88 via json.Unmarshal" {
		t.Errorf("allocated panel rows %d, first %+v", len(al.Rows), al.Rows[0])
	}
	if got := shorten(strings.Repeat("a", 30)+strings.Repeat("b", 40), 20); len([]rune(got)) != 20 || !strings.HasPrefix(got, "aaa") || !strings.HasSuffix(got, "bbb") {
		t.Errorf("shorten = %q", got)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestEmptyCharts(t *testing.T) {
	s := &results.Scenario{Name: "empty", Variants: []results.Variant{{Name: "a"}}}
	for name, draw := range map[string]func(io.Writer, *results.Scenario) error{"compare": Compare, "hotspots": Hotspots} {
		t.Run(name, func(t *testing.T) {
			checkPNGInk(t, "empty-"+name+".png", render(t, func(w io.Writer) error { return draw(w, s) }), Width, Height, 0.003)
		})
	}
	t.Run("trend", func(t *testing.T) {
		td := results.Trend(nil, results.PeakHeapBytes)
		checkPNGInk(t, "empty-trend.png", render(t, func(w io.Writer) error { return Trend(w, td) }), Width, Height, 0.003)
	})
}

// later returns the fixture measured again at another commit, with the
// compact variant's peak heap scaled by factor.
func later(t *testing.T, days int, commit string, factor float64) *results.Report {
	t.Helper()
	r := fixture(t)
	r.Env.Commit = commit
	r.StartedAt = r.StartedAt.Add(time.Duration(days) * 24 * time.Hour)
	v := r.Scenarios[0].VariantByName("compact")
	for i := range v.Runs {
		v.Runs[i].Metrics[results.PeakHeapBytes] *= factor
	}
	v.Summary[results.PeakHeapBytes] = results.Summarize(results.RunValues(v, results.PeakHeapBytes))
	return r
}

func TestTrend(t *testing.T) {
	td := results.Trend([]*results.Report{later(t, 2, "2222222aaaa", 0.8), fixture(t), later(t, 1, "1111111bbbb", 0.9)}, results.PeakHeapBytes)
	d := trendOf(td)
	if strings.Join(d.Labels, " ") != "0123456 1111111 2222222" || len(d.Series) != 5 {
		t.Errorf("trend labels %v, %d series", d.Labels, len(d.Series))
	}
	checkData(t, "trend.json", d)
	b := render(t, func(w io.Writer) error { return Trend(w, td) })
	checkPNG(t, "trend.png", b, Width, Height)
}

func TestComparison(t *testing.T) {
	c := results.CompareReports(fixture(t), later(t, 1, "1111111bbbb", 1.1), results.DefaultCompareOptions)
	d := comparisonOf(c)
	regressions := 0
	for _, r := range d.Rows {
		if r.Kind == "regression" {
			regressions++
			if r.Label != "trade-records/compact peak heap" || r.Delta < 9 || r.Delta > 11 {
				t.Errorf("regression row %+v", r)
			}
		}
	}
	if regressions != 1 {
		t.Errorf("%d regression rows, want 1", regressions)
	}
	checkData(t, "comparison.json", d)
	b := render(t, func(w io.Writer) error { return Comparison(w, c) })
	checkPNG(t, "compare.png", b, Width, Height)
}

func TestRenderRun(t *testing.T) {
	dir := t.TempDir()
	r := fixture(t)
	r.Scenarios = r.Scenarios[1:] // one scenario: rendering is slow under -race
	paths, err := RenderRun(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"fanout-timeline.png", "fanout-compare.png", "fanout-hotspots.png"}
	if len(paths) != len(want) {
		t.Fatalf("wrote %v", paths)
	}
	for i, p := range paths {
		if p != filepath.Join(dir, want[i]) {
			t.Errorf("path %s, want %s", p, want[i])
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != len(want) {
		t.Errorf("directory holds %d entries, want the 3 charts and no temporary files", len(ents))
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if _, err := RenderRun(filepath.Join(dir, "missing"), r); err == nil {
		t.Errorf("no error rendering into a missing directory")
	}
}

// TestOffers: a closed-loop series (no offered rate) draws no offered line.
func TestOffers(t *testing.T) {
	tests := []struct {
		name string
		give []float64
		want bool
	}{
		{"closed loop", []float64{0, 0, 0}, false},
		{"no intervals", nil, false},
		{"rate-driven", []float64{2000, 2000, 0}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := offers(tt.give); got != tt.want {
				t.Errorf("offers(%v) = %t, want %t", tt.give, got, tt.want)
			}
		})
	}
}

// TestCompareBoundNote: a variant judged only on a max/min bound shows its
// verdict, not a change against the baseline no target asked about (a p95
// bound over a baseline of 117 µs read "+41109.6%").
func TestCompareBoundNote(t *testing.T) {
	s := fixture(t).Scenarios[0]
	rel := compareOf(&s)[0]
	if !strings.Contains(rel.Bars[1].Note, "%") {
		t.Fatalf("relative target: note %q lacks its change", rel.Bars[1].Note)
	}
	tg := s.Targets[0]
	limit := 1e12
	s.Targets = []results.Target{{Metric: tg.Metric, Max: &limit, Results: []results.TargetResult{{Variant: rel.Bars[1].Variant, Verdict: results.Pass, N: 10}}}}
	cd := compareOf(&s)[0]
	if n := cd.Bars[1].Note; strings.Contains(n, "%") || !strings.Contains(n, "pass") {
		t.Errorf("bound target: note %q, want the verdict without a change", n)
	}
	if n := cd.Bars[2].Note; !strings.Contains(n, "%") {
		t.Errorf("a variant without a target: note %q, want its change against the baseline", n)
	}
}
