package verdict

import (
	"math"
	"strings"
	"testing"
)

func seq(start float64, n int, step float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = start + float64(i)*step
	}
	return out
}

func rep(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func TestJudgeReduction(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name       string
		base, cand []float64
		reduction  float64
		want       string
		method     string
		reason     string // a fragment the reason must hold
		runsNeeded bool   // an inconclusive verdict must carry the planning hint
	}{
		{name: "halved, 10 runs", base: seq(100, 10, 1), cand: seq(50, 10, 0.5), reduction: 0.33, want: Pass, method: MethodMoses, reason: "at or below"},
		{name: "only 10 percent", base: seq(100, 10, 1), cand: seq(90, 10, 1), reduction: 0.33, want: Fail, method: MethodMoses, reason: "falls short"},
		{name: "same distribution", base: seq(100, 10, 1), cand: seq(100, 10, 1), reduction: 0.33, want: Fail, method: MethodMoses},
		{name: "straddles the line", base: seq(100, 10, 0.5), cand: []float64{50, 90, 55, 85, 60, 80, 62, 78, 64, 66}, reduction: 0.33, want: Inconclusive, method: MethodMoses, reason: "straddles", runsNeeded: true},
		{name: "2 runs a side", base: seq(100, 2, 1), cand: seq(50, 2, 1), reduction: 0.33, want: Inconclusive, reason: "too few runs", runsNeeded: true},
		{name: "3 runs a side", base: seq(100, 3, 1), cand: seq(50, 3, 1), reduction: 0.33, want: Inconclusive, reason: "need >= 4"},
		{name: "10 against 2", base: seq(100, 10, 1), cand: seq(50, 2, 1), reduction: 0.33, want: Inconclusive, reason: "too few runs"},
		{name: "failed and non-finite values do not count", base: []float64{100, 101, nan, inf, 102, 103}, cand: []float64{50, nan, 51, 52, inf}, reduction: 0.33, want: Inconclusive, reason: "baseline 4, variant 3"},
		{name: "no variant runs", base: seq(100, 5, 1), cand: nil, reduction: 0.33, want: Inconclusive, reason: "too few runs"},
		{name: "4 a side, clear cut", base: seq(100, 4, 1), cand: seq(50, 4, 1), reduction: 0.33, want: Pass, method: MethodMoses},
		{name: "both constant, exactly at the target", base: rep(100, 5), cand: rep(67, 5), reduction: 0.33, want: Pass, method: MethodExact, reason: "exact"},
		{name: "both constant, one short", base: rep(100, 5), cand: rep(68, 5), reduction: 0.33, want: Fail, method: MethodExact},
		{name: "both constant, halved", base: rep(10, 4), cand: rep(2, 4), reduction: 0.5, want: Pass, method: MethodExact},
		{name: "baseline zero", base: []float64{0, 0, 0, 0, 0}, cand: seq(1, 5, 1), reduction: 0.33, want: Inconclusive, reason: "<= 0"},
		{name: "baseline negative (growth)", base: []float64{-10, -9, -11, -10, -12}, cand: seq(1, 5, 1), reduction: 0.33, want: Inconclusive, reason: "<= 0"},
		{name: "variant zero, baseline positive", base: seq(100, 6, 1), cand: rep(0, 6), reduction: 0.33, want: Pass, method: MethodSignTest},
		{name: "variant constant, noisy baseline, 5 runs", base: []float64{80, 100, 120, 90, 110}, cand: rep(60, 5), reduction: 0.33, want: Inconclusive, method: MethodSignTest, reason: "need >= 6", runsNeeded: true},
		{name: "estimate on the line: no number of runs", base: []float64{80, 100, 120, 90, 110}, cand: rep(67, 5), reduction: 0.33, want: Inconclusive, method: MethodSignTest, reason: "would likely not decide it"},
		{name: "variant constant, noisy baseline, 10 runs, clear", base: seq(150, 10, 5), cand: rep(67, 10), reduction: 0.33, want: Pass, method: MethodSignTest},
		{name: "variant constant, baseline straddles", base: seq(90, 10, 2.5), cand: rep(67, 10), reduction: 0.33, want: Inconclusive, method: MethodSignTest, runsNeeded: true},
		{name: "variant constant, baseline too low", base: seq(80, 10, 1), cand: rep(67, 10), reduction: 0.33, want: Fail, method: MethodSignTest},
		{name: "baseline constant, variant noisy but clear", base: rep(100, 8), cand: seq(40, 8, 1), reduction: 0.33, want: Pass, method: MethodSignTest},
		{name: "baseline constant, variant noisy, 5 runs", base: rep(100, 5), cand: seq(40, 5, 1), reduction: 0.33, want: Inconclusive, method: MethodSignTest, reason: "need >= 6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := JudgeReduction(tt.base, tt.cand, tt.reduction)
			if got.Verdict != tt.want {
				t.Fatalf("verdict = %s, want %s (%s)", got.Verdict, tt.want, got.Reason)
			}
			if got.Outcome != got.Verdict {
				t.Errorf("outcome %q, verdict %q", got.Outcome, got.Verdict)
			}
			if tt.method != "" && got.Method != tt.method {
				t.Errorf("method = %s, want %s", got.Method, tt.method)
			}
			if !strings.Contains(got.Reason, tt.reason) {
				t.Errorf("reason %q lacks %q", got.Reason, tt.reason)
			}
			if tt.runsNeeded && (got.RunsNeeded < MinRuns || !strings.Contains(got.Reason, "runs a side")) {
				t.Errorf("no planning hint: runs needed %d, reason %q", got.RunsNeeded, got.Reason)
			}
			if got.Verdict != Inconclusive && got.RunsNeeded != 0 {
				t.Errorf("runs needed %d on a decided verdict", got.RunsNeeded)
			}
			if got.HasInterval() && (got.ReductionCILow > got.Reduction+1e-12 || got.Reduction > got.ReductionCIHigh+1e-12) {
				t.Errorf("reduction %g outside its interval [%g, %g]", got.Reduction, got.ReductionCILow, got.ReductionCIHigh)
			}
			if got.HasInterval() && got.Confidence < Level {
				t.Errorf("confidence %g below %g", got.Confidence, Level)
			}
		})
	}
}

func TestJudgeIncreaseMirrorsReduction(t *testing.T) {
	tests := []struct {
		name       string
		base, cand []float64
		increase   float64
		want       string
	}{
		{"doubled throughput passes +96%", seq(40, 10, 0.2), seq(82, 10, 0.4), 0.96, Pass},
		{"40% slowdown fails", seq(40, 10, 0.2), seq(24, 10, 0.2), 0.96, Fail},
		{"2x speedup vs +100% target, noisy", seq(40, 10, 2), seq(76, 10, 4), 1.0, Inconclusive},
		{"constant, exactly +50%", rep(40, 4), rep(60, 4), 0.5, Pass},
		{"constant, short of +50%", rep(40, 4), rep(59.9, 4), 0.5, Fail},
		{"too few", seq(40, 3, 1), seq(80, 3, 1), 0.5, Inconclusive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := JudgeIncrease(tt.base, tt.cand, tt.increase)
			if got.Verdict != tt.want {
				t.Fatalf("verdict = %s, want %s (%s)", got.Verdict, tt.want, got.Reason)
			}
			if got.Verdict == Pass && got.Reduction >= 0 {
				t.Errorf("an increase is a negative reduction, got %g", got.Reduction)
			}
		})
	}
}

func TestJudgeBound(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name     string
		cand     []float64
		max, min *float64
		want     string
	}{
		{"whole interval under max", seq(1, 10, 0.5), f(10), nil, Pass},
		{"whole interval over max", seq(11, 10, 1), f(10), nil, Fail},
		{"median under max, interval across", seq(5, 10, 1), f(10), nil, Inconclusive},
		{"whole interval below min", seq(0, 10, 0.1), nil, f(2), Fail},
		{"inside both", seq(3, 10, 0.2), f(10), f(2), Pass},
		{"5 runs: no 95% interval of the median", seq(1, 5, 1), f(10), nil, Inconclusive},
		{"constant under max, 4 runs", rep(3, 4), f(3), nil, Pass},
		{"constant over max", rep(3.1, 4), f(3), nil, Fail},
		{"3 runs", seq(1, 3, 1), f(10), nil, Inconclusive},
		{"no runs", nil, f(10), nil, Inconclusive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := JudgeBound(tt.cand, tt.max, tt.min)
			if got.Verdict != tt.want {
				t.Fatalf("verdict = %s, want %s (%s)", got.Verdict, tt.want, got.Reason)
			}
			if got.Verdict == Inconclusive && len(tt.cand) > 0 && got.RunsNeeded == 0 {
				t.Errorf("no planning hint: %q", got.Reason)
			}
		})
	}
}
