package results

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/memprism/memprism/internal/golden"
	"github.com/memprism/memprism/verdict"
)

// checkFile compares got with testdata/name, rewriting it under -update.
func checkFile(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

const mib = 1 << 20

func fptr(f float64) *float64 { return &f }

// fixtureVariant builds a variant of n runs whose metrics scale the base
// figures by factor, with deterministic jitter.
func fixtureVariant(rng *rand.Rand, name string, n int, factor float64, params map[string]any, latency bool) Variant {
	v := Variant{Name: name, Params: params}
	jit := func(x float64) float64 { return math.Round(x * (1 + 0.02*(rng.Float64()-0.5))) }
	for range n {
		ops := 200000.0
		dur := jit(1500*factor) / 1000
		m := map[string]float64{
			PeakRSSBytes:      jit(150 << 20 * factor),
			PeakHeapBytes:     jit(100 << 20 * factor),
			BaselineHeapBytes: jit(400 << 10),
			FinalHeapBytes:    jit(80 << 20 * factor),
			BytesPerOp:        jit(512 * factor),
			AllocsPerOp:       math.Round(4 * factor),
			GCCycles:          math.Round(jit(40 * factor)),
			Ops:               ops,
			DurationSeconds:   dur,
			OpsPerSec:         math.Round(ops / dur),
		}
		if latency {
			m[LatencyP50Seconds] = jit(2e6*factor) / 1e9
			m[LatencyP95Seconds] = jit(9e6*factor) / 1e9
		}
		v.Runs = append(v.Runs, Run{Metrics: m})
	}
	v.Summary = map[string]Summary{}
	for k := range v.Runs[0].Metrics {
		v.Summary[k] = Summarize(RunValues(&v, k))
	}
	tl := &Timeline{}
	for i := range 40 {
		t := float64(i) * 0.04
		heap := (0.5 + 0.5*math.Min(1, t/1.0)) * 100 * mib * factor * (1 - 0.1*float64(i%5)/5)
		tl.TSeconds = append(tl.TSeconds, math.Round(t*1000)/1000)
		tl.HeapBytes = append(tl.HeapBytes, math.Round(heap))
		tl.RSSBytes = append(tl.RSSBytes, math.Round(heap*1.4+8*mib))
		tl.Goroutines = append(tl.Goroutines, 4)
	}
	v.Timeline = tl
	v.TopAllocations = []Site{
		{Function: "github.com/memprism/memprism/workloads.(*tradeChurn).newTrade", File: "/src/memprism/workloads/churn.go", Line: 88, AllocBytes: int64(300 << 20 * factor), AllocObjects: 200000, Share: 0.6},
		{Function: "github.com/memprism/memprism/pools.(*Pool[go.shape.*uint8]).Get", File: "/src/memprism/pools/pool.go", Line: 41, AllocBytes: int64(120 << 20 * factor), AllocObjects: 5000, Share: 0.24},
		{Function: "strconv.FormatFloat", File: "/usr/local/go/src/strconv/ftoa.go", Line: 60, AllocBytes: int64(80 << 20 * factor), AllocObjects: 400000, Share: 0.16},
	}
	v.Leak = &Leak{Severity: "none", GrowthBytes: 1 << 20, SlopeBytesPerSec: 2000, PValue: 0.4, ThresholdBytes: 5 << 20, Runs: n, RunsJudged: n,
		Verdict: "info", Reason: fmt.Sprintf("0 of %d judged runs found a leak", n)}
	return v
}

// fixtureReport is the synthetic report behind testdata/report.json.
func fixtureReport() *Report {
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	tr := Scenario{
		Name: "trade-records", Description: "Compact trade records versus wide ones, 200k retained.",
		Workload: "trade-churn", Source: "scenarios/trade-records.yaml", Baseline: "naive",
		Params: map[string]any{"trades": 200000.0, "retain": 200000.0},
		Run:    RunSettings{Repetitions: 8, Warmup: 1, SampleIntervalSeconds: 0.001, TimeoutSeconds: 60, GOGC: 100, LeakThresholdBytes: 5 << 20},
		Variants: []Variant{
			fixtureVariant(rng, "naive", 8, 1, map[string]any{"layout": "naive"}, false),
			fixtureVariant(rng, "compact", 8, 0.6, map[string]any{"layout": "compact"}, false),
			fixtureVariant(rng, "leaky", 8, 0.7, map[string]any{"layout": "compact", "leak_every": 100.0}, false),
		},
		Recommendations: []string{"compact: 40% less peak heap than naive; keep it."},
	}
	tr.Variants[2].ExpectLeak = true
	tr.Variants[2].Leak = &Leak{Detected: true, Severity: "high", GrowthBytes: 30 << 20, SlopeBytesPerSec: 20 << 20, PValue: 0.0001, ThresholdBytes: 5 << 20,
		Runs: 8, RunsJudged: 6, RunsDetected: 6, Verdict: Pass, Reason: "6 of 6 judged runs found a leak (2 not judged: too few GC cycles)"}
	for i := range 2 {
		tr.Variants[i].Leak.Verdict = Pass
	}
	tr.Targets = []Target{
		{Metric: PeakHeapBytes, Reduction: fptr(0.33)},
		{Metric: OpsPerSec, Increase: fptr(0.5)},
		{Metric: AllocsPerOp, Reduction: fptr(0.9), Expect: Fail},
	}
	for i := range tr.Targets {
		tr.Targets[i].Results = targetResults(&tr, tr.Targets[i], "compact", "leaky")
	}
	tr.Verdict = Fail
	tr.JudgeLeaks = true
	Analyze(&tr)

	fan := Scenario{
		Name: "fanout", Workload: "message-fanout", Source: "scenarios/fanout.yaml", Baseline: "goroutine-per-msg",
		Run: RunSettings{Repetitions: 4, Warmup: 0, SampleIntervalSeconds: 0.001, TimeoutSeconds: 30, GOGC: 50},
		Variants: []Variant{
			fixtureVariant(rng, "goroutine-per-msg", 4, 1.2, map[string]any{"mode": "goroutine"}, true),
			fixtureVariant(rng, "worker-pool", 4, 0.9, map[string]any{"mode": "pool"}, true),
		},
	}
	p95 := verdict.JudgeBound(RunValues(&fan.Variants[1], LatencyP95Seconds), fptr(0.1), nil)
	p95.Variant = "worker-pool"
	fan.Targets = []Target{{Metric: LatencyP95Seconds, Max: fptr(0.1), Results: []TargetResult{p95}}}
	fan.Verdict = Inconclusive
	Analyze(&fan)
	addDiagnosis(&tr, &fan)
	return &Report{
		SchemaVersion: SchemaVersion, Verdict: Fail, StartedAt: start, FinishedAt: start.Add(95 * time.Second),
		Env: Env{Commit: "0123456789abcdef0123456789abcdef01234567", GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64",
			CPUModel: "Test CPU @ 3.00GHz", CPUs: 2, MemoryTotalBytes: 8 << 30},
		Scenarios: []Scenario{tr, fan},
	}
}

func targetResults(s *Scenario, t Target, variants ...string) []TargetResult {
	base := RunValues(s.VariantByName(s.Baseline), t.Metric)
	var out []TargetResult
	for _, name := range variants {
		vals := RunValues(s.VariantByName(name), t.Metric)
		var r TargetResult
		if t.Reduction != nil {
			r = verdict.JudgeReduction(base, vals, *t.Reduction)
		} else {
			r = verdict.JudgeIncrease(base, vals, *t.Increase)
		}
		r.Variant = name
		ApplyExpect(t, &r)
		out = append(out, r)
	}
	return out
}

// loadFixture reads testdata/report.json.
func loadFixture(t testing.TB) *Report {
	t.Helper()
	r, err := ReadReport(filepath.Join("testdata", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestFixture keeps testdata/report.json in step with fixtureReport.
func TestFixture(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, fixtureReport()); err != nil {
		t.Fatal(err)
	}
	checkFile(t, "report.json", b.Bytes())
}
