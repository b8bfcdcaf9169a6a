package results

import (
	"testing"

	"github.com/memprism/memprism/verdict"
)

// TestTargetEstimateUndecided: a relative target that estimated nothing (too
// few runs, a baseline <= 0) shows no figure, never a measured-looking +0.0%.
func TestTargetEstimateUndecided(t *testing.T) {
	red := 0.33
	rel := Target{Metric: PeakHeapBytes, Reduction: &red}
	tests := []struct {
		name string
		give verdict.TargetResult
		want string
	}{
		{"too few runs", verdict.JudgeReduction([]float64{100, 101, 99}, []float64{60, 61, 59}, red), NoData},
		{"baseline <= 0", verdict.JudgeReduction([]float64{0, 1, 2, 3}, []float64{1, 1, 2, 2}, red), NoData},
		{"no runs at all", verdict.JudgeReduction(nil, nil, red), NoData},
		{"decided", verdict.JudgeReduction([]float64{100, 101, 99, 100, 102, 98}, []float64{50, 51, 49, 50, 52, 48}, red), "-50.0% [-51.5%, -48.5%]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TargetEstimate(rel, tt.give); got != tt.want {
				t.Errorf("TargetEstimate = %q, want %q (method %s)", got, tt.want, tt.give.Method)
			}
		})
	}
}
