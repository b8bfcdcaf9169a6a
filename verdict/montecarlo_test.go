package verdict_test

import (
	"testing"

	"github.com/memprism/memprism/internal/verdictsim"
	"github.com/memprism/memprism/verdict"
)

// TestMonteCarloErrorRates pins the error rates of JudgeReduction by
// simulation with a fixed seed: at a true reduction exactly on the 33%
// target, a false pass in at most 5% of trials; 3 points past it (true 36%),
// a false fail in at most 5%; for every cell of verdictsim.Cells (n=5 and
// n=10, normal and lognormal noise, CV 2% and 15%, unequal shapes, a constant
// side and unequal n). `go run ./internal/verdictsim/cmd` prints the full
// table beside the old rule's.
func TestMonteCarloErrorRates(t *testing.T) {
	const target, trials, seed = 0.33, 1000, 7
	for _, c := range verdictsim.Cells() {
		t.Run(c.Base.String()+" vs "+c.Cand.String(), func(t *testing.T) {
			at := verdictsim.Simulate(verdictsim.NewRule, c, target, target, trials, seed)
			if at.Pass > 0.05 {
				t.Errorf("false pass %.1f%% at the exact target (max 5%%)", 100*at.Pass)
			}
			past := verdictsim.Simulate(verdictsim.NewRule, c, target+0.03, target, trials, seed)
			if past.Fail > 0.05 {
				t.Errorf("false fail %.1f%% at target+3 points (max 5%%)", 100*past.Fail)
			}
			// The rule must be able to decide: far past the target, clean
			// data at n >= 5 a side passes.
			if c.Base.N >= 5 && c.Cand.N >= 5 && c.Cand.CV > 0 {
				far := verdictsim.Simulate(verdictsim.NewRule, c, 0.6, target, 100, seed)
				if far.Pass < 0.9 {
					t.Errorf("power at a true 60%% reduction only %.1f%%", 100*far.Pass)
				}
			}
		})
	}
}

// TestOldRuleWasWorse documents why the rule changed: the old rule's false
// pass exceeded 5% at n=5 and its false fail was near 30% 3 points past the
// target at CV 15%.
func TestOldRuleWasWorse(t *testing.T) {
	c := verdictsim.Cell{Base: verdictsim.Side{N: 5, Noise: verdictsim.Normal, CV: 0.15}, Cand: verdictsim.Side{N: 5, Noise: verdictsim.Normal, CV: 0.15}}
	old := verdictsim.Simulate(verdictsim.OldRule, c, 0.33, 0.33, 1000, 7)
	oldPast := verdictsim.Simulate(verdictsim.OldRule, c, 0.36, 0.33, 1000, 7)
	if old.Pass <= 0.05 || oldPast.Fail <= 0.2 {
		t.Errorf("old rule: false pass %.1f%%, false fail %.1f%%: the simulation no longer reproduces issue 8", 100*old.Pass, 100*oldPast.Fail)
	}
	if verdict.JudgeReduction(nil, nil, 0.33).Verdict != verdict.Inconclusive {
		t.Error("no runs must be inconclusive")
	}
}
