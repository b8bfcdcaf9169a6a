package results

import (
	"testing"
)

// TestOverloadNote: the note quotes the rates of the overloaded runs, so
// one overloaded run among six is not shown with the median of all six,
// which was above the 95% line ("achieved 1994 of 2000 msg/s (below 95%)").
func TestOverloadNote(t *testing.T) {
	run := func(achieved float64, overloaded bool) Run {
		return Run{Metrics: map[string]float64{AchievedRate: achieved, OfferedRate: 2000}, Overloaded: overloaded}
	}
	tests := []struct {
		name string
		runs []Run
		want string
	}{
		{"none overloaded", []Run{run(2000, false), run(1999, false)}, ""},
		{"one of six", []Run{run(2000, false), run(1999, false), run(1998, false), run(1994, false), run(1990, false), run(1700, true)},
			"overloaded in 1 of 6 runs: achieved 1700 of 2000 msg/s (below 95%)"},
		{"all", []Run{run(1500, true), run(1700, true), run(1800, true)},
			"overloaded in 3 of 3 runs: achieved 1700 of 2000 msg/s (below 95%)"},
		{"a failed run is not counted", []Run{run(2000, false), {Error: "boom", Overloaded: true}, run(1600, true)},
			"overloaded in 1 of 2 runs: achieved 1600 of 2000 msg/s (below 95%)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &Variant{Runs: tt.runs, Summary: map[string]Summary{AchievedRate: {Median: 1996, N: len(tt.runs)}, OfferedRate: {Median: 2000, N: len(tt.runs)}}}
			if got := OverloadNote(v); got != tt.want {
				t.Errorf("OverloadNote = %q, want %q", got, tt.want)
			}
		})
	}
}
