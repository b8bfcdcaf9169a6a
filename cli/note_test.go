package cli

import (
	"strings"
	"testing"

	"github.com/memprism/memprism/results"
	"github.com/memprism/memprism/verdict"
)

// TestTargetNote checks the NOTE cell of the terminal table: every
// inconclusive row says why, in a few words, beside the reason that
// summary.md and report.json carry in full.
func TestTargetNote(t *testing.T) {
	red := 0.33
	relative := results.Target{Metric: "peak_heap_bytes", Reduction: &red}
	control := relative
	control.Expect = results.Fail
	tests := []struct {
		name   string
		target results.Target
		give   results.TargetResult
		want   string
	}{
		{"pass says nothing", relative, results.TargetResult{Verdict: results.Pass, N: 8, BaselineN: 8, Method: "hodges-lehmann/moses"}, ""},
		{"heap floor", relative, results.TargetResult{Verdict: results.Inconclusive, N: 8, BaselineN: 8, Method: verdict.MethodHeapFloor,
			Reason: "floor-decided: naive's GC heap goal sat at the runtime's minimum"}, "heap floor"},
		{"too few runs", relative, results.TargetResult{Verdict: results.Inconclusive, N: 2, BaselineN: 2, Method: "none"}, "too few runs"},
		{"baseline <= 0", relative, results.TargetResult{Verdict: results.Inconclusive, N: 8, BaselineN: 8, Method: verdict.MethodNone}, "baseline <= 0"},
		{"unreported", relative, results.TargetResult{Verdict: results.Inconclusive, Method: verdict.MethodUnreported}, "no run reported"},
		{"runs needed", relative, results.TargetResult{Verdict: results.Inconclusive, N: 6, BaselineN: 6, Method: "hodges-lehmann/moses", RunsNeeded: 14}, "~14 runs a side"},
		{"negative control refuted", control, results.TargetResult{Verdict: results.Fail, N: 8, BaselineN: 8}, "negative control: claim refuted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := targetNote(tt.target, tt.give)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("targetNote = %q, want it to contain %q", got, tt.want)
			}
		})
	}
}
