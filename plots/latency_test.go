package plots

import (
	"bytes"
	"image/png"
	"math"
	"testing"

	"github.com/memprism/memprism/results"
)

func TestLatencyChart(t *testing.T) {
	series := func(n int, p50 float64) *results.LoadSeries {
		l := &results.LoadSeries{IntervalSeconds: 0.1}
		for i := range n {
			l.TSeconds = append(l.TSeconds, float64(i)/10)
			l.OfferedRate = append(l.OfferedRate, 20000)
			l.SentRate = append(l.SentRate, 2000)
			l.AchievedRate = append(l.AchievedRate, 2000)
			l.LatencyP50 = append(l.LatencyP50, p50*float64(i+1))
			l.LatencyP99 = append(l.LatencyP99, 2*p50*float64(i+1))
		}
		return l
	}
	hostile := series(5, 0.01)
	hostile.LatencyP50[1], hostile.LatencyP99[2], hostile.TSeconds[3] = math.NaN(), -1, math.Inf(1)
	for _, tc := range []struct {
		name string
		give []results.Variant
	}{
		{"two variants", []results.Variant{{Name: "a", Load: series(20, 1e-4)}, {Name: "b", Load: series(20, 0.05), Runs: []results.Run{{Overloaded: true}}}}},
		{"no finished message", []results.Variant{{Name: "a", Load: &results.LoadSeries{TSeconds: []float64{0}, OfferedRate: []float64{10}, AchievedRate: []float64{0}, LatencyP50: []float64{0}, LatencyP99: []float64{0}}}}},
		{"hostile values", []results.Variant{{Name: "a", Load: hostile}}},
		{"no load", []results.Variant{{Name: "a"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Latency(&buf, &results.Scenario{Name: "s", Variants: tc.give}); err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(&buf)
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if b := img.Bounds(); b.Dx() != Width {
				t.Errorf("width %d, want %d", b.Dx(), Width)
			}
		})
	}
	if latencyOf(&results.Scenario{Variants: []results.Variant{{Name: "b", Load: series(3, 1), Runs: []results.Run{{Overloaded: true}}}}})[0].Overloaded != true {
		t.Error("overloaded variant not marked")
	}
}
