package profiler

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"

	"github.com/memprism/memprism/internal/golden"
)

// fakeProfiler returns a stopped Profiler fed with a deterministic 6 s session: the
// live heap grows 2 MiB/s with a GC every 50 ms, allocation is heavy, the heap profile
// is testProfile. Nothing of the real process is read.
func fakeProfiler(t *testing.T) *Profiler {
	t.Helper()
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p := New(Options{Interval: 10 * time.Millisecond, Leak: LeakOptions{Threshold: 1 << 20}})
	p.heapProfile = func() (*profile.Profile, error) { return testProfile(), nil }
	p.now = func() time.Time { return t0 }
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state, p.start = stateStopped, t0
	sample := func(i int) Sample {
		el := time.Duration(i) * 10 * time.Millisecond
		cycles := uint64(i / 5)
		live := uint64(8<<20) + uint64(2<<20)*uint64(cycles)*50/1000
		return Sample{
			UnixNano: t0.Add(el).UnixNano(), Elapsed: el,
			HeapBytes: live + uint64(i%5)*(1<<20), LiveHeapBytes: live, HeapGoalBytes: 2 * live,
			HeapObjects: live / 64, TotalAllocBytes: uint64(i) * (4 << 20), TotalAllocObjects: uint64(i) * 40000,
			GCCycles: cycles, GCPauseTotal: float64(cycles) * 50e-6, Goroutines: 12,
			RSSBytes: 3*live + 10<<20, VMSBytes: 1 << 30,
		}
	}
	for i := 0; i < 600; i++ {
		p.record(sample(i))
		if i == 0 {
			p.keepSnapshot("start", sample(i), nil)
		}
	}
	last := sample(600)
	p.recordFinal(last)
	sites, err := SitesFromProfile(testProfile(), 0)
	if err != nil {
		t.Fatal(err)
	}
	p.keepSnapshot("", last, sites)
	p.stopped = last.Time()
	p.lastGC = &GCResult{Before: GCState{HeapBytes: 20 << 20}, After: GCState{HeapBytes: 18 << 20}, FreedBytes: 2 << 20, Cycles: 2}
	return p
}

func TestWriteJSONGolden(t *testing.T) {
	p := fakeProfiler(t)
	var buf bytes.Buffer
	if err := p.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "report.golden.json"), buf.Bytes())
	var r Report
	if err := json.Unmarshal(buf.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.SchemaVersion != SchemaVersion || !r.Leak.Detected || r.Leak.Severity != SeverityHigh || len(r.Timeline.TSeconds) != timelinePoints {
		t.Errorf("report: schema %d, leak %+v, timeline %d points", r.SchemaVersion, r.Leak, len(r.Timeline.TSeconds))
	}
	if len(r.Snapshots) != 2 || r.Snapshots[1].Label != "snapshot_2" || len(r.Snapshots[1].Sites) != 3 {
		t.Errorf("snapshots %+v", r.Snapshots)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestWriteJSONError(t *testing.T) {
	err := fakeProfiler(t).WriteJSON(failWriter{})
	if err == nil || !strings.Contains(err.Error(), "write report") {
		t.Errorf("WriteJSON to a failing writer = %v", err)
	}
}

func TestRecommendations(t *testing.T) {
	healthy := Summary{PeakHeapBytes: 10 << 20, MeanHeapBytes: 8 << 20, HeapStddevBytes: 1 << 20,
		MeanLiveHeapBytes: 6 << 20, MeanHeapGoalBytes: 12 << 20, TotalAllocBytes: 60 << 20,
		AllocRateBytesPerSec: 1 << 20, PeakGoroutines: 10}
	top := []Site{{Function: "main.decode", File: "/src/decode.go", Line: 42, AllocBytes: 50 << 20, Share: 0.8}}
	tests := []struct {
		name string
		give analysis
		want []string
	}{
		{"healthy", analysis{summary: healthy}, []string{RuleHealthy}},
		{"heap leak names growing sites", analysis{summary: healthy,
			leak:  Leak{Detected: true, HeapLeak: true, Severity: SeverityHigh, SlopeBytesPerSec: 2 << 20},
			inuse: []Site{{Function: "main.(*Cache).Put", File: "cache.go", Line: 7, User: true, InuseBytes: 3 << 20}}},
			[]string{RuleLeak}},
		{"plateau far above the start is retained", analysis{summary: healthy, threshold: 5 << 20, liveBase: 1 << 20, liveEnd: 40 << 20,
			inuse: []Site{{Function: "main.(*LRU).Add", File: "lru.go", Line: 9, User: true, Via: "bytes.Clone", InuseBytes: 30 << 20}}},
			[]string{RuleRetained}},
		{"retention below the threshold is healthy", analysis{summary: healthy, threshold: 5 << 20, liveBase: 1 << 20, liveEnd: 5 << 20}, []string{RuleHealthy}},
		{"goroutine leak", analysis{summary: healthy, leak: Leak{Detected: true, GoroutineLeak: true}}, []string{RuleGoroutineLeak}},
		{"undecided leak is not healthy", analysis{summary: healthy, leak: Leak{Inconclusive: true, Reason: ReasonTooFewCycles}}, []string{RuleLeakUndecided}},
		{"churn names the top site", analysis{summary: func() Summary {
			s := healthy
			s.AllocRateBytesPerSec, s.TotalAllocBytes = 100<<20, 1<<30
			return s
		}(), sites: top}, []string{RuleAllocChurn}},
		{"many goroutines", analysis{summary: func() Summary { s := healthy; s.PeakGoroutines = 5000; return s }()}, []string{RuleGoroutines}},
		{"heap goal far above live", analysis{summary: func() Summary { s := healthy; s.MeanHeapGoalBytes = 200 << 20; return s }()}, []string{RuleHeapGoal}},
		{"swings of the live heap", analysis{summary: func() Summary { s := healthy; s.HeapStddevBytes = 6 << 20; return s }(), liveCV: 0.8}, []string{RuleHeapVariance}},
		{"swings of garbage given back are no reason to reuse", analysis{summary: func() Summary { s := healthy; s.HeapStddevBytes = 6 << 20; return s }(), liveCV: 0.05}, []string{RuleHealthy}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := recommend(tt.give, DefaultThresholds)
			var rules []string
			for _, r := range got {
				rules = append(rules, r.Rule)
				if r.Message == "" || r.Evidence == "" {
					t.Errorf("rule %s without message or evidence: %+v", r.Rule, r)
				}
			}
			if strings.Join(rules, ",") != strings.Join(tt.want, ",") {
				t.Errorf("rules %v, want %v", rules, tt.want)
			}
			if tt.name == "plateau far above the start is retained" && !strings.Contains(got[0].Evidence, "main.(*LRU).Add (lru.go:9) via bytes.Clone 30.00 MiB in use") {
				t.Errorf("retention evidence lacks the holding line: %s", got[0].Evidence)
			}
			if tt.name == "heap leak names growing sites" && !strings.Contains(got[0].Evidence, "main.(*Cache).Put (cache.go:7)") {
				t.Errorf("leak evidence lacks the growing site: %s", got[0].Evidence)
			}
			if tt.name == "churn names the top site" && !strings.Contains(got[0].Evidence, "main.decode (decode.go:42)") {
				t.Errorf("churn evidence lacks the top site: %s", got[0].Evidence)
			}
		})
	}
}
