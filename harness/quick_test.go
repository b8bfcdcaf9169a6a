package harness

import (
	"testing"

	"github.com/memprism/memprism/scenarios"
	"github.com/memprism/memprism/workloads"
)

// TestQuickOverrides checks what `run -quick` runs for a scenario with a
// quick: block: its params over the variant's, taken as written; the other
// work sizes divided by QuickFactor; its targets instead of the full ones.
func TestQuickOverrides(t *testing.T) {
	const yaml = `name: q
workload: trade-churn
params: {trades: 20000, retain: 10000, symbols: 50}
variants:
  - name: naive
    params: {layout: naive}
  - name: compact
    params: {layout: compact, trades: 30000}
baseline: naive
targets:
  - metric: peak_heap_bytes
    reduction: 33%
quick:
  params: {trades: 8000}
  targets:
    - metric: allocs_per_op
      reduction: 50%
`
	sc, err := scenarios.Parse("q.yaml", []byte(yaml), workloads.Default)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		quick        bool
		variant      string
		trades       int64
		retain       int64
		targetMetric string
	}{
		{"full naive", false, "naive", 20000, 10000, "peak_heap_bytes"},
		{"full compact", false, "compact", 30000, 10000, "peak_heap_bytes"},
		{"quick naive", true, "naive", 8000, 1000, "allocs_per_op"},
		{"quick compact: quick params win over the variant's", true, "compact", 8000, 1000, "allocs_per_op"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &state{opts: Options{Quick: tt.quick, Registry: workloads.Default}}
			p, err := st.params(sc, tt.variant)
			if err != nil {
				t.Fatal(err)
			}
			if p["trades"] != tt.trades || p["retain"] != tt.retain {
				t.Errorf("trades %v retain %v, want %d and %d", p["trades"], p["retain"], tt.trades, tt.retain)
			}
			if got := sc.EffectiveTargets(tt.quick); len(got) != 1 || got[0].Metric != tt.targetMetric {
				t.Errorf("targets %+v, want one on %s", got, tt.targetMetric)
			}
		})
	}
}
