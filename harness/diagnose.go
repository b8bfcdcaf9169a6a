package harness

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/pprof/profile"

	"github.com/memprism/memprism/profiler"
	"github.com/memprism/memprism/results"
	"github.com/memprism/memprism/scenarios"
)

// MaxChangedSites bounds a variant's ChangedVsBaseline.
const MaxChangedSites = 5

// RetainRatio is how many times the baseline's post-GC live heap a variant
// must hold at the end (and by more than the leak threshold) to be flagged
// as retaining memory.
const RetainRatio = 2

// userPrefixes are the package path prefixes of the user's code for a
// scenario: the run's (-user-prefix) and the scenario's (run.user_prefixes).
func userPrefixes(opts Options, sc *scenarios.Scenario) []string {
	return slices.Concat(opts.UserPrefixes, sc.UserPrefixes)
}

// diagnose adds what the scenario's variants hold against the baseline: the
// lines that changed most (from the two median runs' heap profiles) and, for
// a variant whose post-GC live heap at the end is far above the baseline's,
// advice naming the lines that hold it (then no "healthy" advice for it).
func diagnose(out *results.Scenario, dir string, prefixes []string, threshold int64) {
	bi := slices.IndexFunc(out.Variants, func(v results.Variant) bool { return v.Name == out.Baseline })
	if bi < 0 {
		return
	}
	base := &out.Variants[bi]
	var baseSites []profiler.Site
	if base.Profile != "" {
		baseSites, _ = profileSites(filepath.Join(dir, base.Profile), prefixes)
	}
	for i := range out.Variants {
		v := &out.Variants[i]
		if i == bi {
			continue
		}
		if baseSites != nil && v.Profile != "" {
			if sites, err := profileSites(filepath.Join(dir, v.Profile), prefixes); err == nil {
				v.ChangedVsBaseline = changedSites(baseSites, sites)
			}
		}
		if adv := retentionAdvice(v, base, threshold); adv != "" {
			// The comparison with the baseline says it better than the run's
			// own start, and "healthy" no longer holds.
			out.Recommendations = slices.DeleteFunc(out.Recommendations, func(r string) bool {
				return strings.HasPrefix(r, v.Name+": Memory is healthy") || strings.HasPrefix(r, v.Name+": "+profiler.RetainedMessage)
			})
			out.Recommendations = append(out.Recommendations, v.Name+": "+adv)
		}
	}
	// A leaking variant's leak advice names what it holds.
	for _, v := range out.Variants {
		if v.Leak != nil && v.Leak.Detected && v.Leak.HeapLeak {
			out.Recommendations = slices.DeleteFunc(out.Recommendations, func(r string) bool {
				return strings.HasPrefix(r, v.Name+": "+profiler.RetainedMessage)
			})
		}
	}
}

// pText formats a p-value for a sentence: "p=0.031", "p<0.001".
func pText(p float64) string {
	s := results.FormatP(p)
	if strings.HasPrefix(s, "<") {
		return "p" + s
	}
	return "p=" + s
}

// profileSites reads a heap profile file and charges its samples to lines.
func profileSites(path string, prefixes []string) ([]profiler.Site, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	prof, err := profile.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return profiler.SitesFromProfile(prof, 0, prefixes...)
}

// changedSites are the lines whose bytes held, then allocated, changed most
// from base to v, the user's lines first.
func changedSites(base, v []profiler.Site) []results.SiteChange {
	var out []results.SiteChange
	for _, d := range profiler.DiffSites(base, v) {
		if d.InuseBytesDelta == 0 && d.AllocBytesDelta == 0 {
			continue
		}
		out = append(out, results.SiteChange{Function: d.Function, File: d.File, Line: d.Line, User: d.User,
			InuseBytesDelta: d.InuseBytesDelta, AllocBytesDelta: d.AllocBytesDelta})
	}
	abs := func(x int64) int64 { return max(x, -x) }
	slices.SortStableFunc(out, func(a, b results.SiteChange) int {
		return cmp.Or(-cmpBool(a.User, b.User), cmp.Compare(abs(b.InuseBytesDelta), abs(a.InuseBytesDelta)),
			cmp.Compare(abs(b.AllocBytesDelta), abs(a.AllocBytesDelta)))
	})
	if len(out) > MaxChangedSites {
		out = out[:MaxChangedSites]
	}
	return out
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// retentionAdvice flags a variant whose median post-GC live heap at the end
// (final_heap_bytes) is more than RetainRatio times the baseline's and
// larger by more than the leak threshold, leak or plateau; "" otherwise.
func retentionAdvice(v, base *results.Variant, threshold int64) string {
	vs, vok := v.Summary["final_heap_bytes"]
	bs, bok := base.Summary["final_heap_bytes"]
	if !vok || !bok || vs.N == 0 || bs.N == 0 || bs.Median <= 0 {
		return ""
	}
	if vs.Median <= RetainRatio*bs.Median || vs.Median-bs.Median <= float64(threshold) || v.Leak != nil && v.Leak.HeapLeak {
		return "" // a heap leak has its own advice
	}
	return fmt.Sprintf("Retains memory: the post-GC live heap at the end is %.1fx the baseline's, whether or not it still grows; "+
		"if that memory is not meant to stay, the lines holding it are where to look. Evidence: final_heap_bytes median %s vs %s for %s (+%s, leak threshold %s); held by %s",
		vs.Median/bs.Median, results.FormatBytes(vs.Median), results.FormatBytes(bs.Median), base.Name,
		results.FormatBytes(vs.Median-bs.Median), results.FormatBytes(float64(threshold)), holders(v.TopInUse, 3))
}

// holders names up to n lines of the user's code holding the most bytes.
func holders(sites []results.Site, n int) string {
	var out []string
	for _, s := range sites {
		if len(out) == n || (!s.User && len(out) > 0) {
			break
		}
		out = append(out, fmt.Sprintf("%s %s in use", siteLabel(s.Function, s.File, s.Line, s.Via), results.FormatBytes(float64(s.InuseBytes))))
	}
	if len(out) == 0 {
		return "no line (no heap profile)"
	}
	return strings.Join(out, "; ")
}

func siteLabel(fn, file string, line int64, via string) string {
	s := fmt.Sprintf("%s (%s:%d)", results.ShortFunc(fn), filepath.Base(file), line)
	if via != "" {
		s += " via " + via
	}
	return s
}

// leakAdvice is the leak recommendation of a variant, quoting the figures of
// its one leak verdict (the aggregate over its leak-probe runs, as the leak
// table shows them) and naming where: the lines holding the most bytes and
// the goroutine group that grew most, from the median measurement run.
func leakAdvice(v *results.Variant) []string {
	l := v.Leak
	if l == nil || !l.Detected {
		return nil
	}
	var out []string
	if l.HeapLeak || !l.GoroutineLeak {
		out = append(out, fmt.Sprintf("The live heap keeps growing after GC: find what retains memory (caches without bounds, appends to long-lived slices, maps never pruned). "+
			"Evidence: %d of %d leak-probe runs found a leak; median slope %s/s (%s), %s projected, severity %s; held by %s",
			l.RunsDetected, l.Runs, results.FormatBytes(l.SlopeBytesPerSec), pText(l.PValue), results.FormatBytes(l.GrowthBytes), l.Severity, holders(v.TopInUse, 3)))
	}
	if l.GoroutineLeak {
		where := ""
		if g := v.Goroutines; g != nil && len(g.Groups) > 0 && g.Groups[0].Count > g.Groups[0].Baseline {
			where = "; " + g.Groups[0].String()
			if g.StackBytesFinal > 0 {
				where += fmt.Sprintf("; goroutine stacks %s at the end (%s at the start)", results.FormatBytes(float64(g.StackBytesFinal)), results.FormatBytes(float64(g.StackBytesBaseline)))
			}
		}
		out = append(out, fmt.Sprintf("Goroutines keep accumulating: look for goroutines blocked on channels or locks that are never released (goleak finds them in tests). "+
			"Evidence: %d of %d leak-probe runs found a leak; median goroutine slope %.3g/s (%s), %.0f projected%s",
			l.RunsDetected, l.Runs, l.GoroutineSlopePerSec, pText(l.GoroutinePValue), l.GoroutineGrowth, where))
	}
	return out
}
