package scenarios

import (
	"strings"
	"testing"

	"github.com/memprism/memprism/metric"
)

// metricCatalog is testCatalog plus a kind metric, as *workloads.Registry does.
type metricCatalog struct{ fakeCatalog }

func (metricCatalog) KindMetrics(kind string) []metric.Info {
	if kind == "trade-churn" {
		return []metric.Info{{Name: "pool_hit_rate", Unit: metric.Ratio, Direction: metric.HigherIsBetter, Label: "hits", Doc: "hits"}}
	}
	return nil
}

func TestTargetMetricNames(t *testing.T) {
	tests := []struct {
		name   string
		target string
		cat    Catalog
		want   string // error substring; empty means valid
		value  float64
	}{
		{"snapshot metric", "{metric: snapshot.retained.live_heap_bytes, max: 40MiB}", testCatalog, "", 40 << 20},
		{"snapshot objects", "{metric: snapshot.after_1000.heap_objects, max: 2000}", testCatalog, "", 2000},
		{"snapshot unknown field", "{metric: snapshot.retained.peak_heap_bytes, max: 1}", testCatalog, "unknown metric", 0},
		{"kind metric percent", "{metric: pool_hit_rate, min: 80%}", metricCatalog{testCatalog}, "", 0.8},
		{"kind metric fraction", "{metric: pool_hit_rate, min: 0.8}", metricCatalog{testCatalog}, "", 0.8},
		{"kind metric without declaration", "{metric: pool_hit_rate, min: 80%}", testCatalog, "unknown metric", 0},
		{"new RSS metric", "{metric: rss_growth_bytes, max: 4MiB}", testCatalog, "", 4 << 20},
		{"fraction above one", "{metric: pool_hit_rate, min: 150%}", metricCatalog{testCatalog}, "outside [0, 1]", 0},
		{"negative fraction", "{metric: pool_hit_rate, min: -0.1}", metricCatalog{testCatalog}, "outside [0, 1]", 0},
		{"negative duration bound", "{metric: duration_seconds, max: -1s}", testCatalog, "is negative; duration_seconds is a duration", 0},
		{"zero duration bound", "{metric: gc_pause_total_seconds, max: 0s}", testCatalog, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "name: s\nworkload: trade-churn\nvariants: [{name: a}]\ntargets:\n  - " + tt.target + "\n"
			sc, err := Parse("t.yaml", []byte(src), tt.cat)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tg := sc.Targets[0]
			got := tg.Max
			if got == nil {
				got = tg.Min
			}
			if got == nil || *got != tt.value {
				t.Errorf("bound %v, want %v", got, tt.value)
			}
		})
	}
}
