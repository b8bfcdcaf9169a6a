package plots

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/memprism/memprism/results"
)

// TestHostileRanges draws every chart of a report whose figures no run
// produces (a timeline spanning -1e308..1e308, heaps near the float64
// maximum, a range narrower than float64 resolution at its magnitude) and
// checks that each finishes quickly with a PNG instead of looping.
func TestHostileRanges(t *testing.T) {
	tests := []struct {
		name     string
		t, heap  []float64
		metricBy float64 // every summary figure multiplied by this
		draw     func(io.Writer, *results.Scenario) error
	}{
		{"time spans the float64 range", []float64{-1e308, 1e308}, []float64{1, 2}, 1, Timeline},
		{"heap near the maximum", []float64{0, 1}, []float64{1e308, math.MaxFloat64}, 1, Timeline},
		{"narrower than resolution", []float64{1e20, 1e20 + 1e5, 1e20 + 2e5}, []float64{1e20, 1e20 + 1, 1e20 + 2}, 1, Timeline},
		{"huge metrics", []float64{0, 1}, []float64{1, 2}, -1e300, Compare},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fixture(t)
			s := &r.Scenarios[0]
			for i := range s.Variants {
				v := &s.Variants[i]
				v.Timeline = &results.Timeline{TSeconds: tt.t, HeapBytes: tt.heap, RSSBytes: tt.heap}
				for k, sum := range v.Summary {
					sum.Median *= tt.metricBy
					sum.CILow *= tt.metricBy
					sum.CIHigh *= tt.metricBy
					v.Summary[k] = sum
				}
			}
			done := make(chan error, 1)
			var b bytes.Buffer
			go func() { done <- tt.draw(&b, s) }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("draw: %v", err)
				}
			case <-time.After(2 * time.Minute): // seconds normally, more under -race on a busy machine
				t.Fatal("chart not drawn within 2 minutes: a ticker loops")
			}
			if !bytes.HasPrefix(b.Bytes(), []byte("\x89PNG")) {
				t.Errorf("not a PNG")
			}
		})
	}
}

// TestNiceTicksBounded checks the ticker on ranges that made the old one
// loop or return nothing.
func TestNiceTicksBounded(t *testing.T) {
	for _, r := range [][2]float64{{-1e308, 1e308}, {1e20, 1e20 + 1e5}, {0, math.MaxFloat64}, {5, 5}, {math.Inf(-1), 0}, {0, 1}} {
		ticks := niceTicks("").Ticks(r[0], r[1])
		if len(ticks) > 200 {
			t.Errorf("%g..%g: %d ticks", r[0], r[1], len(ticks))
		}
		if r == [2]float64{0, 1} && len(ticks) < 5 {
			t.Errorf("0..1: only %d ticks", len(ticks))
		}
	}
}

// TestRenderRunRefusesBadNames checks that no chart is written outside dir
// for a report built with a scenario name that is a path.
func TestRenderRunRefusesBadNames(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "run")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r := fixture(t)
	r.Scenarios = r.Scenarios[:1]
	r.Scenarios[0].Name = "../escaped"
	paths, err := RenderRun(dir, r)
	if err == nil || !strings.Contains(err.Error(), `scenario name "../escaped" is invalid`) || len(paths) != 0 {
		t.Fatalf("RenderRun = %v, %v; want the name refused", paths, err)
	}
	ents, _ := os.ReadDir(root)
	if len(ents) != 1 {
		t.Errorf("%d entries beside the run directory, want none", len(ents)-1)
	}
}
