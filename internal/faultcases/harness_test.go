package faultcases

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/pprof/profile"

	"github.com/memprism/memprism/harness"
	"github.com/memprism/memprism/results"
	"github.com/memprism/memprism/scenarios"
)

// TestThroughHarness runs two cases through the real harness, each run in a
// fresh worker process (this test binary): the goroutine leak must be found
// and located, the LRU's retention flagged against the fixed baseline, and
// the heap profiles must be comparable with pprof -diff_base.
func TestThroughHarness(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("starts a dozen worker processes")
	}
	reg := registry()
	var scs []*scenarios.Scenario
	for _, src := range []string{`
name: timeout-send
workload: fault-case
params: {case: timeout-send}
variants:
  - name: fixed
    params: {variant: fixed}
  - name: buggy
    params: {variant: buggy}
    expect_leak: true
baseline: fixed
run: {repetitions: 2, warmup: 0, timeout: 60s}
leak: {probe_runs: 2}
`, `
name: lru-subslice
workload: fault-case
params: {case: lru-subslice}
variants:
  - name: fixed
    params: {variant: fixed}
  - name: buggy
    params: {variant: buggy}
baseline: fixed
run: {repetitions: 2, warmup: 0, timeout: 60s}
leak: {probe_runs: 1}
`} {
		sc, err := scenarios.Parse("faults.yaml", []byte(src), reg)
		if err != nil {
			t.Fatal(err)
		}
		scs = append(scs, sc)
	}
	dir := t.TempDir()
	rep, err := harness.Run(context.Background(), &scenarios.Suite{Scenarios: scs}, harness.Options{Executable: os.Args[0], Dir: dir, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := results.WriteMarkdown(&md, rep); err != nil {
		t.Fatal(err)
	}
	summary := md.String()
	t.Log(summary)

	ts := rep.Scenarios[0]
	buggy := ts.VariantByName("buggy")
	if l := buggy.Leak; l == nil || !l.Detected || !l.GoroutineLeak {
		t.Errorf("timeout-send buggy: leak %+v, want a goroutine leak", l)
	}
	g := buggy.Goroutines
	if g == nil || len(g.Groups) == 0 {
		t.Fatalf("timeout-send buggy: no goroutine groups")
	}
	top := g.Groups[0]
	if top.Count-top.Baseline < 100 || top.State != "chan send" || !strings.HasPrefix(top.BlockedAt, "timeout.go:") || !strings.HasPrefix(top.CreatedAt, "timeout.go:") {
		t.Errorf("top goroutine group %+v, want 100 or more created and blocked in chan send in timeout.go", top)
	}
	for _, want := range []string{"blocked in chan send at `timeout.go:", "go tool pprof -sample_index=inuse_space -top -diff_base timeout-send-fixed.pprof timeout-send-buggy.pprof", "goroutines/s"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary.md lacks %q", want)
		}
	}
	// The two profiles pprof -diff_base compares: same sample types, same period.
	var types [2]string
	var periods [2]int64
	for i, v := range []string{"fixed", "buggy"} {
		f, err := os.Open(filepath.Join(dir, "timeout-send-"+v+".pprof"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := profile.Parse(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range p.SampleType {
			types[i] += st.Type + "/" + st.Unit + " "
		}
		periods[i] = p.Period
	}
	if types[0] != types[1] || periods[0] != periods[1] || periods[0] == 0 {
		t.Errorf("profiles differ: sample types %q vs %q, periods %d vs %d", types[0], types[1], periods[0], periods[1])
	}

	lru := rep.Scenarios[1]
	lb := lru.VariantByName("buggy")
	if len(lb.TopInUse) == 0 || !lb.TopInUse[0].User || filepath.Base(lb.TopInUse[0].File) != "lru.go" {
		t.Errorf("lru-subslice buggy: top in-use lines %+v, want lru.go first", lb.TopInUse)
	}
	retains := false
	for _, r := range lru.Recommendations {
		if strings.HasPrefix(r, "buggy: Retains memory") && strings.Contains(r, "lru.go") {
			retains = true
		}
		if strings.HasPrefix(r, "buggy: Memory is healthy") {
			t.Errorf("the retaining variant called healthy: %s", r)
		}
	}
	if !retains {
		t.Errorf("lru-subslice: no retention advice naming lru.go: %q", lru.Recommendations)
	}
	if len(lb.ChangedVsBaseline) == 0 || filepath.Base(lb.ChangedVsBaseline[0].File) != "lru.go" || lb.ChangedVsBaseline[0].InuseBytesDelta < 5<<20 {
		t.Errorf("lru-subslice buggy: changed vs baseline %+v, want lru.go holding 5 MiB or more", lb.ChangedVsBaseline)
	}
}
