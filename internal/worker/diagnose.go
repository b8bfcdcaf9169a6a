package worker

import (
	"github.com/memprism/memprism/profiler"
	"github.com/memprism/memprism/results"
)

// resultSites converts the profiler's sites for the report.
func resultSites(sites []profiler.Site) []results.Site {
	// The two types hold the same fields (only their JSON tags differ), so a
	// conversion copies them all and stops compiling when one of them changes.
	var out []results.Site
	for _, s := range sites {
		out = append(out, results.Site(s))
	}
	return out
}

// resultGoroutines converts the profiler's goroutine evidence for the report.
func resultGoroutines(g *profiler.Goroutines) *results.Goroutines {
	if g == nil {
		return nil
	}
	out := &results.Goroutines{
		Baseline: g.Baseline, Final: g.Final, LeakProfile: g.LeakProfile, Leaked: g.Leaked,
		StackBytesBaseline: g.StackBytesBaseline, StackBytesFinal: g.StackBytesFinal,
		Groups: []results.GoroutineGroup{},
	}
	for _, gr := range g.Groups {
		out.Groups = append(out.Groups, results.GoroutineGroup{
			State: gr.State, CreatedBy: gr.CreatedBy, CreatedAt: gr.CreatedAt, CreatedUser: gr.CreatedUser,
			BlockedIn: gr.BlockedIn, BlockedAt: gr.BlockedAt, BlockedUser: gr.BlockedUser,
			Count: gr.Count, Baseline: gr.Baseline, Leaked: gr.Leaked,
		})
	}
	return out
}
