package faultcases

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/memprism/memprism/internal/worker"
	"github.com/memprism/memprism/profiler"
	"github.com/memprism/memprism/workloads"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// The test binary serves as the harness's worker, as the memprism
	// binary does, with the fault cases as workloads.
	if len(os.Args) > 1 && os.Args[len(os.Args)-1] == worker.Command {
		if err := worker.Serve(context.Background(), registry(), os.Stdin); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	// timeout-send's buggy goroutines can never be woken, by design.
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/memprism/memprism/internal/faultcases.fetchQuote.func1"))
}

// registry holds the fault-case workload.
func registry() *workloads.Registry {
	r := workloads.NewRegistry()
	r.MustRegister(Kind())
	return r
}

// marker is a `// want: KIND CASE` comment: the line the tests expect.
type marker struct {
	file string
	line int64
}

// markers reads the `// want:` comments of the package's sources.
func markers(t *testing.T) map[string]marker {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]marker{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for n := int64(1); sc.Scan(); n++ {
			if _, want, ok := strings.Cut(sc.Text(), "// want: "); ok {
				out[strings.TrimSpace(want)] = marker{f, n}
			}
		}
		fh.Close()
	}
	return out
}

// measured is what the profiler concluded on one variant.
type measured struct {
	rep      profiler.Report
	liveBase float64
	liveEnd  float64
}

// profileCase runs one variant under the profiler as the harness's worker
// does (settled start, GC probe), with a finer heap profile rate.
func profileCase(t *testing.T, c Case, buggy bool) measured {
	t.Helper()
	p := profiler.New(profiler.Options{Interval: time.Millisecond, SettleGC: true, GCQuiet: 10 * time.Millisecond, MemProfileRate: 16 << 10})
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cleanup, err := c.Run(ctx, buggy)
	if serr := p.Stop(); serr != nil {
		t.Logf("stop: %v", serr)
	}
	gc := p.ForceGC()
	rep := p.Report()
	cleanup()
	if err != nil {
		t.Fatalf("%s buggy=%v: %v", c.Name, buggy, err)
	}
	return measured{rep: rep, liveBase: float64(rep.Summary.BaselineHeapBytes), liveEnd: float64(gc.After.LiveHeapBytes)}
}

func rules(r profiler.Report) map[string]bool {
	m := map[string]bool{}
	for _, rec := range r.Recommendations {
		m[rec.Rule] = true
	}
	return m
}

func site(s profiler.Site) string {
	return fmt.Sprintf("%s:%d", filepath.Base(s.File), s.Line)
}

// verdict is the one-word diagnosis the test compares: leak, goroutine-leak,
// retained (the live heap holds far more than at the start), or ok.
func verdict(m measured) string {
	l := m.rep.Leak
	switch {
	case l.HeapLeak && l.GoroutineLeak:
		return "leak+goroutine-leak"
	case l.GoroutineLeak:
		return "goroutine-leak"
	case l.HeapLeak:
		return "leak"
	case rules(m.rep)[profiler.RuleRetained]:
		return "retained"
	case l.Inconclusive:
		return "inconclusive"
	}
	return "ok"
}

// raceCases run under the race detector too: those that start goroutines
// (the code where races could hide), not the allocation-heavy ones.
var raceCases = map[string]bool{"body-not-closed": true, "timeout-send": true, "time-after-loop": true}

// okFixed are the acceptable diagnoses of a fixed variant: nothing found,
// or a heap the run was too short to judge (too few GC cycles on a loaded
// machine) with nothing retained either.
var okFixed = []string{"ok", "inconclusive"}

func TestFaultCases(t *testing.T) {
	if testing.Short() {
		t.Skip("runs each case for a fraction of a second")
	}
	want := markers(t)
	// How each buggy variant must be diagnosed, the line that must top its
	// in-use (retained) ranking, or its allocated ranking for churn-only
	// faults, and whether its goroutines must top the groups.
	tests := []struct {
		name      string
		buggy     []string // acceptable verdicts of the buggy variant
		fixed     []string // of the fixed one
		inuseLine string   // marker of the top in-use user line ("" none)
		allocLine string   // marker of the top allocated user line ("" none)
		gorGroup  string   // marker of the top goroutine group's blocking line
		gorState  string
	}{
		{name: "context-no-cancel", buggy: []string{"leak", "retained"}, fixed: okFixed, inuseLine: "inuse context-no-cancel"},
		{name: "body-not-closed", buggy: []string{"leak+goroutine-leak", "goroutine-leak"}, fixed: okFixed, inuseLine: "inuse body-not-closed", gorState: "IO wait"},
		{name: "request-map", buggy: []string{"leak", "retained"}, fixed: okFixed, inuseLine: "inuse request-map", allocLine: "alloc request-map"},
		{name: "substring-pin", buggy: []string{"leak", "retained"}, fixed: okFixed, inuseLine: "inuse substring-pin"},
		{name: "lru-subslice", buggy: []string{"retained"}, fixed: okFixed, inuseLine: "inuse lru-subslice"},
		{name: "map-never-shrinks", buggy: []string{"retained"}, fixed: okFixed, inuseLine: "inuse map-never-shrinks"},
		// A sync.Pool empties in two idle GC cycles, and the run ends with
		// two: nothing is retained at the end in either variant. What the
		// case checks is the advice (the fixed variant's heap swings are
		// garbage given back: no "reuse buffers" advice, the very bug) and
		// the line, charged through bytes.(*Buffer).Write.
		{name: "pool-oversized", buggy: okFixed, fixed: okFixed, allocLine: "alloc pool-oversized"},
		{name: "buffer-max-cap", buggy: []string{"retained"}, fixed: okFixed, inuseLine: "inuse buffer-max-cap"},
		{name: "time-after-loop", buggy: okFixed, fixed: okFixed, allocLine: "alloc time-after-loop"},
		{name: "timeout-send", buggy: []string{"goroutine-leak", "leak+goroutine-leak"}, fixed: okFixed, inuseLine: "inuse timeout-send", gorGroup: "blocked timeout-send", gorState: "chan send"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if raceEnabled && !raceCases[tt.name] {
				t.Skip("allocation-heavy: run without -race")
			}
			c, ok := Lookup(tt.name)
			if !ok {
				t.Fatalf("no case %s", tt.name)
			}
			fixed := profileCase(t, c, false)
			runtime.GC()
			buggy := profileCase(t, c, true)
			t.Logf("fixed: %s; buggy: %s", summary(fixed), summary(buggy))
			if v := verdict(fixed); !oneOf(v, tt.fixed) {
				t.Errorf("fixed variant diagnosed %s, want %v; %s", v, tt.fixed, fixed.rep.Leak.Reason)
			}
			if v := verdict(buggy); !oneOf(v, tt.buggy) {
				t.Errorf("buggy variant diagnosed %s, want %v; %s", v, tt.buggy, buggy.rep.Leak.Reason)
			}
			if tt.inuseLine != "" {
				checkTop(t, "in-use", buggy.rep.TopInUse, want[tt.inuseLine])
			}
			if tt.allocLine != "" {
				checkTop(t, "allocated", buggy.rep.TopAllocations, want[tt.allocLine])
			}
			if tt.gorState != "" {
				// A leaked HTTP connection leaves three goroutines per
				// connection (client read and write loops, server conn) whose
				// counts tie within one: the wanted state must be among the
				// groups grown by 100 or more, not necessarily the first.
				g := buggy.rep.Goroutines
				if g == nil {
					t.Fatalf("no goroutine groups, want one grown by 100 or more in %s", tt.gorState)
				}
				grown := false
				for _, gr := range g.Groups {
					grown = grown || (gr.Growth() >= 100 && gr.State == tt.gorState)
				}
				if len(g.Groups) == 0 || g.Groups[0].Growth() < 100 || !grown {
					t.Fatalf("goroutine groups %+v, want the top one grown by 100 or more and one such group in %s", g, tt.gorState)
				}
				for _, gr := range g.Groups {
					t.Logf("group: %s (+%d)", gr, gr.Growth())
				}
				top := g.Groups[0]
				if tt.gorGroup != "" {
					m := want[tt.gorGroup]
					if top.BlockedAt != fmt.Sprintf("%s:%d", m.file, m.line) || !top.BlockedUser || !top.CreatedUser {
						t.Errorf("top goroutine group %q, want blocked at %s:%d in the user's code", top, m.file, m.line)
					}
				}
				// Built with GOEXPERIMENT=goroutineleakprofile, the profile must
				// name the goroutines stuck on a channel nobody can reach.
				if g.LeakProfile && tt.gorGroup != "" && top.Leaked < top.Growth() {
					t.Errorf("goroutineleak profile: %d of the top group's %d goroutines found leaked, want all (%s)", top.Leaked, top.Count, top)
				}
				if g.StackBytesFinal <= g.StackBytesBaseline {
					t.Errorf("goroutine stacks %d -> %d bytes, want growth", g.StackBytesBaseline, g.StackBytesFinal)
				}
			}
			for _, r := range append(fixed.rep.Recommendations, buggy.rep.Recommendations...) {
				if r.Rule == profiler.RuleHeapVariance && strings.Contains(r.Message, "reuse") {
					t.Errorf("reuse advice: %s", r.Message)
				}
			}
			for _, s := range append(buggy.rep.TopInUse, buggy.rep.TopAllocations...) {
				if strings.Contains(s.Function, "memprism/profiler.") {
					t.Errorf("memprism's own frame among the sites: %+v", s)
				}
			}
		})
	}
}

func oneOf(v string, vs []string) bool {
	for _, w := range vs {
		if v == w {
			return true
		}
	}
	return false
}

func checkTop(t *testing.T, ranking string, sites []profiler.Site, m marker) {
	t.Helper()
	if len(sites) == 0 {
		t.Errorf("%s ranking empty, want %s:%d on top", ranking, m.file, m.line)
		return
	}
	top := sites[0]
	if !top.User || filepath.Base(top.File) != m.file || top.Line != m.line {
		t.Errorf("%s ranking starts with %s %s (user %v, via %q), want %s:%d", ranking, top.Function, site(top), top.User, top.Via, m.file, m.line)
	}
}

func summary(m measured) string {
	top := func(s []profiler.Site) string {
		if len(s) == 0 {
			return "-"
		}
		v := ""
		if s[0].Via != "" {
			v = " via " + s[0].Via
		}
		return fmt.Sprintf("%s %s%s", profiler.ShortFunctionName(s[0].Function), site(s[0]), v)
	}
	g := ""
	if m.rep.Goroutines != nil && len(m.rep.Goroutines.Groups) > 0 {
		g = "; " + m.rep.Goroutines.Groups[0].String()
	}
	return fmt.Sprintf("%s (live %0.1f MiB -> %0.1f MiB, %d GCs), top in use %s, top allocated %s%s",
		verdict(m), m.liveBase/(1<<20), m.liveEnd/(1<<20), m.rep.Summary.GCCycles, top(m.rep.TopInUse), top(m.rep.TopAllocations), g)
}
