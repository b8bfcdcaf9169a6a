package scenarios

import (
	"strings"
	"testing"
)

const quickBase = `name: q
workload: trade-churn
params: {trades: 20000, retain: 10000}
variants:
  - name: naive
    params: {layout: naive}
  - name: compact
    params: {layout: compact}
baseline: naive
targets:
  - metric: peak_heap_bytes
    reduction: 33%
`

func TestQuickBlock(t *testing.T) {
	tests := []struct {
		name        string
		quick       string
		wantErr     string // substring; "" for valid
		wantParams  map[string]any
		wantTargets []string // metrics judged in quick mode; nil: Quick.Targets unset
	}{
		{name: "absent", quick: ""},
		{name: "params only", quick: "quick:\n  params: {trades: 5000}\n", wantParams: map[string]any{"trades": 5000}},
		{name: "targets replaced", quick: "quick:\n  targets:\n    - metric: allocs_per_op\n      reduction: 50%\n", wantTargets: []string{"allocs_per_op"}},
		{name: "no targets in quick mode", quick: "quick:\n  targets: []\n", wantTargets: []string{}},
		{name: "unknown key", quick: "quick:\n  parms: {trades: 1}\n", wantErr: `q.yaml:14:3: unknown key "parms" in quick (did you mean "params"?); allowed: params, targets`},
		{name: "bad param", quick: "quick:\n  params: {trades: 0}\n", wantErr: `q.yaml:14:12: param "trades" must be an int`},
		{name: "bad target", quick: "quick:\n  targets:\n    - metric: nope\n      reduction: 50%\n", wantErr: `unknown metric "nope"`},
		{name: "not a mapping", quick: "quick: fast\n", wantErr: "quick must be a mapping with keys params, targets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := Parse("q.yaml", []byte(quickBase+tt.quick), testCatalog)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.quick == "" {
				if sc.Quick != nil || len(sc.EffectiveTargets(true)) != 1 {
					t.Errorf("quick %+v, want nil and the full targets in quick mode", sc.Quick)
				}
				return
			}
			for k, v := range tt.wantParams {
				if sc.Quick.Params[k] != v {
					t.Errorf("quick param %s = %v, want %v", k, sc.Quick.Params[k], v)
				}
			}
			if tt.wantTargets != nil {
				var got []string
				for _, tg := range sc.EffectiveTargets(true) {
					got = append(got, tg.Metric)
				}
				if strings.Join(got, ",") != strings.Join(tt.wantTargets, ",") || sc.Quick.Targets == nil {
					t.Errorf("quick targets %v, want %v", got, tt.wantTargets)
				}
			}
			if full := sc.EffectiveTargets(false); len(full) != 1 || full[0].Metric != "peak_heap_bytes" {
				t.Errorf("full targets changed: %+v", full)
			}
		})
	}
}
