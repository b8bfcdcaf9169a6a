package profiler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"
	"github.com/montanaflynn/stats"
)

var sinkSlices [][]byte

//go:noinline
func allocateForTest(n, size int) {
	for range n {
		sinkSlices = append(sinkSlices, make([]byte, size))
	}
}

func TestLifecycle(t *testing.T) {
	p := New(Options{})
	if err := p.Stop(); !errors.Is(err, ErrNotStarted) {
		t.Errorf("Stop before Start = %v, want ErrNotStarted", err)
	}
	if err := p.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if err := p.Start(); !errors.Is(err, ErrStarted) {
		t.Errorf("second Start = %v, want ErrStarted", err)
	}
	if err := p.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if err := p.Stop(); err != nil {
		t.Errorf("second Stop = %v, want nil", err)
	}
	if err := p.Start(); !errors.Is(err, ErrStopped) {
		t.Errorf("Start after Stop = %v, want ErrStopped", err)
	}
	if got := p.Options(); got.Interval != DefaultInterval || got.MaxSamples != DefaultMaxSamples || got.TopSites != DefaultTopSites {
		t.Errorf("zero Options defaults: %+v", got)
	}
}

func TestMemProfileRateRestored(t *testing.T) {
	old := runtime.MemProfileRate
	p := MustStart(Options{MemProfileRate: 1})
	if runtime.MemProfileRate != 1 {
		t.Errorf("MemProfileRate during session = %d, want 1", runtime.MemProfileRate)
	}
	p.Stop()
	if runtime.MemProfileRate != old {
		t.Errorf("MemProfileRate after Stop = %d, want %d", runtime.MemProfileRate, old)
	}
}

func TestSamplingAndSummary(t *testing.T) {
	p, err := Run(context.Background(), Options{Interval: time.Millisecond}, func(context.Context) error {
		for range 40 {
			allocateForTest(64, 4096)
			time.Sleep(time.Millisecond)
		}
		sinkSlices = nil
		return nil
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	s := p.Samples()
	if len(s) < 5 {
		t.Fatalf("only %d samples in 40+ ms at 1 ms", len(s))
	}
	for i := 1; i < len(s); i++ {
		if s[i].Elapsed < s[i-1].Elapsed || s[i].TotalAllocBytes < s[i-1].TotalAllocBytes || s[i].GCCycles < s[i-1].GCCycles {
			t.Fatalf("sample %d goes backwards: %+v after %+v", i, s[i], s[i-1])
		}
	}
	last := s[len(s)-1]
	if last.HeapBytes == 0 || last.Goroutines == 0 || last.TotalAllocObjects == 0 || last.HeapGoalBytes == 0 {
		t.Errorf("empty figures in %+v", last)
	}
	if runtime.GOOS == "linux" && (last.RSSBytes == 0 || last.VMSBytes < last.RSSBytes) {
		t.Errorf("RSS %d VMS %d", last.RSSBytes, last.VMSBytes)
	}
	sum := p.Summary()
	heap := make([]float64, len(s))
	for i, x := range s {
		heap[i] = float64(x.HeapBytes)
	}
	wantVar, _ := stats.PopulationVariance(heap)
	wantMean, _ := stats.Mean(heap)
	close := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	// No downsampling happened, so the running figures equal the batch ones.
	close("mean", sum.MeanHeapBytes, wantMean)
	close("population variance", sum.HeapVariance, wantVar)
	close("stddev", sum.HeapStddevBytes, math.Sqrt(wantVar))
	if sum.Samples != len(s) || sum.BaselineHeapBytes != s[0].HeapBytes || sum.LastHeapBytes != last.HeapBytes {
		t.Errorf("summary %+v does not match the samples", sum)
	}
	if sum.TotalAllocBytes < 40*64*4096 || sum.TotalAllocObjects < 40*64 {
		t.Errorf("total alloc %d B / %d objects, want >= %d / %d", sum.TotalAllocBytes, sum.TotalAllocObjects, 40*64*4096, 40*64)
	}
	if !(float64(sum.MinHeapBytes) <= sum.HeapP50Bytes && sum.HeapP50Bytes <= sum.HeapP95Bytes &&
		sum.HeapP95Bytes <= sum.HeapP99Bytes && sum.HeapP99Bytes <= float64(sum.PeakHeapBytes)) {
		t.Errorf("percentiles out of order: %+v", sum)
	}
	m := sum.Metrics()
	if m["peak_heap_bytes"] != float64(sum.PeakHeapBytes) || m["total_allocs"] != float64(sum.TotalAllocObjects) {
		t.Errorf("Metrics() = %v", m)
	}
}

func TestRunJoinsErrors(t *testing.T) {
	boom := errors.New("boom")
	_, err := Run(context.Background(), Options{}, func(context.Context) error { return boom })
	if !errors.Is(err, boom) {
		t.Errorf("Run error = %v, want it to wrap boom", err)
	}
}

func TestTotalAllocObjectsMatchesMemStats(t *testing.T) {
	p := New(Options{})
	var ms runtime.MemStats
	var s Sample
	runtime.ReadMemStats(&ms)
	p.rd.read(&s, time.Now(), true)
	// Mallocs counts tiny allocations too; the reads are close together.
	if d := math.Abs(float64(s.TotalAllocObjects) - float64(ms.Mallocs)); d > 1000 {
		t.Errorf("TotalAllocObjects %d vs MemStats.Mallocs %d", s.TotalAllocObjects, ms.Mallocs)
	}
	if ms.NumGC > 0 && s.GCPauseTotal <= 0 {
		t.Errorf("GCPauseTotal = %v after %d GCs", s.GCPauseTotal, ms.NumGC)
	}
}

func TestForceGC(t *testing.T) {
	p := New(Options{})
	allocateForTest(256, 16<<10) // 4 MiB
	sinkSlices = nil
	r := p.ForceGC()
	if r.Cycles < 1 {
		t.Errorf("cycles = %d, want >= 1", r.Cycles)
	}
	if r.FreedBytes < 2<<20 || r.FreedObjects < 128 {
		t.Errorf("freed %d B, %d objects; want >= 2 MiB, 128 objects (%+v)", r.FreedBytes, r.FreedObjects, r)
	}
	if r.FreedBytes != int64(r.Before.HeapBytes)-int64(r.After.HeapBytes) {
		t.Errorf("FreedBytes %d inconsistent with %+v", r.FreedBytes, r)
	}
}

func TestTopAllocations(t *testing.T) {
	p := MustStart(Options{MemProfileRate: 1})
	defer p.Stop()
	allocateForTest(200, 8192)
	runtime.GC() // the heap profile publishes at GC
	sites, err := p.TopAllocations(5)
	sinkSlices = nil
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) == 0 || len(sites) > 5 {
		t.Fatalf("got %d sites", len(sites))
	}
	top := sites[0]
	if !strings.HasSuffix(top.Function, "allocateForTest") || !strings.HasSuffix(top.File, "profiler_test.go") {
		t.Errorf("top site %+v, want allocateForTest in profiler_test.go", top)
	}
	if top.AllocObjects < 200 || top.AllocBytes < 200*8192 || top.Share <= 0 || top.Share > 1 {
		t.Errorf("top site figures %+v", top)
	}
	var buf bytes.Buffer
	if err := p.WriteHeapProfile(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := profile.Parse(&buf); err != nil {
		t.Errorf("written heap profile does not parse: %v", err)
	}
}

func TestSnapshotCompare(t *testing.T) {
	p := MustStart(Options{MemProfileRate: 1})
	defer p.Stop()
	a, err := p.SnapshotSites("before")
	if err != nil {
		t.Fatal(err)
	}
	allocateForTest(100, 16<<10)
	runtime.GC()
	b, err := p.SnapshotSites("")
	if err != nil {
		t.Fatal(err)
	}
	c := Compare(a, b)
	sinkSlices = nil
	if b.Label != "snapshot_2" || c.From != "before" || c.To != "snapshot_2" {
		t.Errorf("labels %q, %q -> %q", b.Label, c.From, c.To)
	}
	if c.Delta.TotalAllocBytes < 100*16<<10 || c.Delta.Elapsed <= 0 || c.Delta.HeapBytes < 1<<20 || c.GrowthRateBytesPerSec <= 0 {
		t.Errorf("comparison %+v", c)
	}
	found := false
	for _, d := range c.Sites {
		if strings.HasSuffix(d.Function, "allocateForTest") && d.InuseBytesDelta >= 100*16<<10 {
			found = true
		}
	}
	if !found {
		t.Errorf("site diff lacks allocateForTest: %+v", c.Sites)
	}
	if got := p.Snapshots(); len(got) != 2 {
		t.Errorf("%d snapshots kept, want 2", len(got))
	}
}

func TestDiffSites(t *testing.T) {
	old := []Site{{Function: "a", File: "a.go", Line: 1, AllocBytes: 10, InuseBytes: 5}, {Function: "gone", AllocBytes: 3, InuseBytes: 3}}
	new := []Site{{Function: "a", File: "a.go", Line: 1, AllocBytes: 30, InuseBytes: 5}, {Function: "b", AllocBytes: 7, InuseBytes: 7}}
	got := DiffSites(old, new)
	want := []SiteDiff{
		{Function: "b", AllocBytesDelta: 7, InuseBytesDelta: 7},
		{Function: "gone", AllocBytesDelta: -3, InuseBytesDelta: -3},
		{Function: "a", File: "a.go", Line: 1, AllocBytesDelta: 20},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestSitesFromProfile(t *testing.T) {
	prof := testProfile()
	sites, err := SitesFromProfile(prof, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 3 {
		t.Fatalf("got %d sites: %+v", len(sites), sites)
	}
	// runtime.mallocgc is skipped: the first site is the user function that called it.
	if sites[0].Function != "main.decode" || sites[0].Line != 42 || sites[0].AllocBytes != 6<<20 || sites[0].AllocObjects != 3000 {
		t.Errorf("top site %+v", sites[0])
	}
	var share float64
	for _, s := range sites {
		share += s.Share
	}
	if math.Abs(share-1) > 1e-12 {
		t.Errorf("shares sum to %v", share)
	}
	if _, err := SitesFromProfile(&profile.Profile{SampleType: []*profile.ValueType{{Type: "samples"}}}, 0); err == nil {
		t.Errorf("a CPU profile was accepted")
	}
	if top, _ := SitesFromProfile(prof, 1); len(top) != 1 {
		t.Errorf("n=1 kept %d", len(top))
	}
}

// testProfile is a small heap profile: two samples in main.decode (one through an
// inlined runtime frame), one in main.cache, one only in the runtime.
func testProfile() *profile.Profile {
	fn := func(id uint64, name, file string) *profile.Function {
		return &profile.Function{ID: id, Name: name, Filename: file}
	}
	malloc := fn(1, "runtime.mallocgc", "/go/src/runtime/malloc.go")
	decode := fn(2, "main.decode", "/src/app/decode.go")
	cache := fn(3, "main.(*Cache).Put", "/src/app/cache.go")
	bg := fn(4, "runtime.bgsweep", "/go/src/runtime/mgcsweep.go")
	loc := func(id uint64, lines ...profile.Line) *profile.Location {
		return &profile.Location{ID: id, Line: lines}
	}
	l1 := loc(1, profile.Line{Function: malloc, Line: 1000}, profile.Line{Function: decode, Line: 42})
	l2 := loc(2, profile.Line{Function: decode, Line: 42})
	l3 := loc(3, profile.Line{Function: cache, Line: 7})
	l4 := loc(4, profile.Line{Function: bg, Line: 300})
	vt := func(t, u string) *profile.ValueType { return &profile.ValueType{Type: t, Unit: u} }
	return &profile.Profile{
		SampleType: []*profile.ValueType{vt("alloc_objects", "count"), vt("alloc_space", "bytes"), vt("inuse_objects", "count"), vt("inuse_space", "bytes")},
		Sample: []*profile.Sample{
			{Location: []*profile.Location{l1}, Value: []int64{2000, 4 << 20, 10, 20 << 10}},
			{Location: []*profile.Location{l2}, Value: []int64{1000, 2 << 20, 0, 0}},
			{Location: []*profile.Location{l3}, Value: []int64{500, 3 << 20, 500, 3 << 20}},
			{Location: []*profile.Location{l4}, Value: []int64{1, 1 << 10, 1, 1 << 10}},
		},
		Function: []*profile.Function{malloc, decode, cache, bg},
		Location: []*profile.Location{l1, l2, l3, l4},
	}
}

func TestGCQuietForcesCyclesOnlyWhenQuiet(t *testing.T) {
	for _, quiet := range []time.Duration{0, 20 * time.Millisecond} {
		p := New(Options{Interval: time.Millisecond, GCQuiet: quiet})
		if err := p.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // an idle process: no GC of its own
		p.Stop()
		s := p.Summary()
		switch {
		case quiet == 0 && (s.ProbeGCCycles != 0 || s.ForcedGCCycles != 0):
			t.Errorf("GCQuiet off: %d probe, %d forced cycles", s.ProbeGCCycles, s.ForcedGCCycles)
		case quiet > 0 && (s.ProbeGCCycles < 3 || s.ForcedGCCycles < s.ProbeGCCycles):
			t.Errorf("GCQuiet %v over 200ms idle: %d probe of %d forced cycles, want >= 3 probes, all counted as forced", quiet, s.ProbeGCCycles, s.ForcedGCCycles)
		}
	}
}

// TestHeapGoalFloorFraction: with almost nothing live the GC's heap goal is
// the runtime's 4 MiB minimum for the whole session; with 32 MiB live it is
// far above it once a cycle has marked that heap; with GOGC off no floor
// applies. Each case runs in a fresh process (this test binary again), as
// the worker does: the other tests of the package leave enough live heap to
// lift the goal off the floor.
func TestHeapGoalFloorFraction(t *testing.T) {
	tests := []struct {
		name     string
		min, max float64
	}{
		{"nothing-live", 0.9, 1},
		{"32MiB-live", 0, 0.2},
		{"gogc-off", 0, 0},
	}
	if c := os.Getenv("MEMPRISM_FLOOR_CASE"); c != "" {
		floorChild(c)
		return
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHeapGoalFloorFraction$", "-test.count=1")
			cmd.Env = append(os.Environ(), "MEMPRISM_FLOOR_CASE="+tt.name, "GOGC=100")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			var f, goal float64
			var n int
			line, _, _ := strings.Cut(string(out), "\n")
			if _, err := fmt.Sscanf(line, "floor %g of %d samples, mean goal %g", &f, &n, &goal); err != nil {
				t.Fatalf("child output %q: %v", out, err)
			}
			if f < tt.min || f > tt.max {
				t.Errorf("heap goal at the floor in %.2f of %d samples (mean goal %.0f B), want %.2f..%.2f", f, n, goal, tt.min, tt.max)
			}
		})
	}
}

// floorChild runs one TestHeapGoalFloorFraction case and prints its figures.
func floorChild(name string) {
	var held [][]byte
	if name == "gogc-off" {
		debug.SetGCPercent(-1)
	}
	runtime.GC()
	p, err := Run(context.Background(), Options{Interval: time.Millisecond}, func(context.Context) error {
		if name == "32MiB-live" {
			for range 32 {
				held = append(held, make([]byte, 1<<20))
			}
			runtime.GC()
		}
		time.Sleep(40 * time.Millisecond)
		return nil
	})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	s := p.Summary()
	if got := s.Metrics()["heap_goal_floor_fraction"]; got != s.HeapGoalFloorFraction {
		fmt.Println("error: Metrics() disagrees with the summary:", got, s.HeapGoalFloorFraction)
		os.Exit(1)
	}
	fmt.Printf("floor %g of %d samples, mean goal %g\n", s.HeapGoalFloorFraction, s.Samples, s.MeanHeapGoalBytes)
	runtime.KeepAlive(held)
}
