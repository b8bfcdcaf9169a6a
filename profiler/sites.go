package profiler

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"runtime/pprof"
	"slices"
	"strings"

	"github.com/google/pprof/profile"
)

// Site is one allocation site: a source line with the heap allocations made there.
type Site struct {
	// Function, File and Line name the first non-runtime frame of the allocation stacks.
	Function string `json:"function"`
	File     string `json:"file"`
	Line     int64  `json:"line"`
	// AllocBytes and AllocObjects are allocated since the start of the window.
	AllocBytes   int64 `json:"alloc_bytes"`
	AllocObjects int64 `json:"alloc_objects"`
	// InuseBytes and InuseObjects are live at the last completed GC.
	InuseBytes   int64 `json:"inuse_bytes"`
	InuseObjects int64 `json:"inuse_objects"`
	// Share is AllocBytes as a fraction of all sites' AllocBytes (0..1).
	Share float64 `json:"share"`
}

// SiteDiff is the change of one site between two heap profiles (old to new).
type SiteDiff struct {
	Function          string `json:"function"`
	File              string `json:"file"`
	Line              int64  `json:"line"`
	AllocBytesDelta   int64  `json:"alloc_bytes_delta"`
	AllocObjectsDelta int64  `json:"alloc_objects_delta"`
	InuseBytesDelta   int64  `json:"inuse_bytes_delta"`
	InuseObjectsDelta int64  `json:"inuse_objects_delta"`
}

type siteKey struct {
	fn, file string
	line     int64
}

func (s Site) key() siteKey { return siteKey{s.Function, s.File, s.Line} }

// isRuntimeFrame reports whether a frame belongs to the Go runtime and is skipped when
// attributing an allocation.
func isRuntimeFrame(fn string) bool {
	return strings.HasPrefix(fn, "runtime.") || strings.HasPrefix(fn, "internal/runtime/")
}

// profilingFrames are function-name prefixes of the code that takes and reads
// heap profiles: allocations beneath them are the act of measuring, never the
// code measured.
var profilingFrames = []string{
	"runtime/pprof.",
	"github.com/memprism/memprism/profiler.captureHeapProfile",
	"github.com/memprism/memprism/profiler.SitesFromProfile",
}

// isProfilingSample reports whether an allocation was made while writing or
// reading a profile. Without this filter the gzip writer and the decoder of the
// baseline profile taken at Start top the sites of a small workload.
func isProfilingSample(s *profile.Sample) bool {
	for _, loc := range s.Location {
		for _, ln := range loc.Line {
			if ln.Function == nil {
				continue
			}
			for _, prefix := range profilingFrames {
				if strings.HasPrefix(ln.Function.Name, prefix) {
					return true
				}
			}
		}
	}
	return false
}

// siteOf returns the first non-runtime frame of a sample's stack, leaf first (the leaf
// frame if every frame is in the runtime).
func siteOf(s *profile.Sample) siteKey {
	var leaf *profile.Line
	for _, loc := range s.Location {
		for i := range loc.Line { // Line[0] is the innermost inlined frame
			ln := &loc.Line[i]
			if ln.Function == nil {
				continue
			}
			if leaf == nil {
				leaf = ln
			}
			if !isRuntimeFrame(ln.Function.Name) {
				return siteKey{ln.Function.Name, ln.Function.Filename, ln.Line}
			}
		}
	}
	if leaf != nil {
		return siteKey{leaf.Function.Name, leaf.Function.Filename, leaf.Line}
	}
	return siteKey{fn: "unknown"}
}

// SitesFromProfile aggregates a heap profile (as written by runtime/pprof) by function,
// file and line, skipping runtime frames, sorted by AllocBytes (largest first) with
// shares of the total; n > 0 keeps the top n. Usable on profiles from any process.
func SitesFromProfile(prof *profile.Profile, n int) ([]Site, error) {
	if prof == nil {
		return nil, fmt.Errorf("profiler: sites: nil profile")
	}
	idx := map[string]int{"alloc_objects": -1, "alloc_space": -1, "inuse_objects": -1, "inuse_space": -1}
	for i, st := range prof.SampleType {
		if _, ok := idx[st.Type]; ok {
			idx[st.Type] = i
		}
	}
	for _, name := range []string{"alloc_objects", "alloc_space", "inuse_objects", "inuse_space"} {
		if idx[name] < 0 {
			return nil, fmt.Errorf("profiler: sites: profile has no %q sample type (not a heap profile?)", name)
		}
	}
	agg := map[siteKey]*Site{}
	for _, s := range prof.Sample {
		if isProfilingSample(s) {
			continue
		}
		k := siteOf(s)
		site := agg[k]
		if site == nil {
			site = &Site{Function: k.fn, File: k.file, Line: k.line}
			agg[k] = site
		}
		site.AllocObjects += s.Value[idx["alloc_objects"]]
		site.AllocBytes += s.Value[idx["alloc_space"]]
		site.InuseObjects += s.Value[idx["inuse_objects"]]
		site.InuseBytes += s.Value[idx["inuse_space"]]
	}
	out := make([]Site, 0, len(agg))
	for _, s := range agg {
		out = append(out, *s)
	}
	return rankSites(out, n), nil
}

// rankSites drops empty sites, sorts by AllocBytes, sets shares and keeps the top n.
func rankSites(sites []Site, n int) []Site {
	sites = slices.DeleteFunc(sites, func(s Site) bool {
		return s.AllocBytes <= 0 && s.InuseBytes <= 0 && s.AllocObjects <= 0
	})
	var total int64
	for _, s := range sites {
		total += max(s.AllocBytes, 0)
	}
	for i := range sites {
		sites[i].Share = 0
		if total > 0 {
			sites[i].Share = float64(max(sites[i].AllocBytes, 0)) / float64(total)
		}
	}
	slices.SortFunc(sites, func(a, b Site) int {
		return cmp.Or(cmp.Compare(b.AllocBytes, a.AllocBytes), cmp.Compare(b.InuseBytes, a.InuseBytes),
			cmp.Compare(a.Function, b.Function), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	if n > 0 && len(sites) > n {
		sites = sites[:n]
	}
	return sites
}

// sitesSince returns now's sites with the allocations in base (a baseline taken
// earlier) subtracted; in-use figures stay as in now.
func sitesSince(now, base []Site, n int) []Site {
	b := make(map[siteKey]Site, len(base))
	for _, s := range base {
		b[s.key()] = s
	}
	out := make([]Site, 0, len(now))
	for _, s := range now {
		if o, ok := b[s.key()]; ok {
			s.AllocBytes -= o.AllocBytes
			s.AllocObjects -= o.AllocObjects
		}
		if s.AllocBytes <= 0 && s.AllocObjects <= 0 {
			continue // allocated before the baseline only: not this session's
		}
		out = append(out, s)
	}
	return rankSites(out, n)
}

// DiffSites compares two site lists (for example two snapshots' Sites), like
// tracemalloc's compare_to: one entry per site in either, sorted by the absolute
// in-use change, then the allocation change; unchanged sites are left out.
func DiffSites(old, new []Site) []SiteDiff {
	m := map[siteKey]*SiteDiff{}
	get := func(s Site) *SiteDiff {
		d := m[s.key()]
		if d == nil {
			d = &SiteDiff{Function: s.Function, File: s.File, Line: s.Line}
			m[s.key()] = d
		}
		return d
	}
	for _, s := range new {
		d := get(s)
		d.AllocBytesDelta += s.AllocBytes
		d.AllocObjectsDelta += s.AllocObjects
		d.InuseBytesDelta += s.InuseBytes
		d.InuseObjectsDelta += s.InuseObjects
	}
	for _, s := range old {
		d := get(s)
		d.AllocBytesDelta -= s.AllocBytes
		d.AllocObjectsDelta -= s.AllocObjects
		d.InuseBytesDelta -= s.InuseBytes
		d.InuseObjectsDelta -= s.InuseObjects
	}
	out := make([]SiteDiff, 0, len(m))
	for _, d := range m {
		if *d != (SiteDiff{Function: d.Function, File: d.File, Line: d.Line}) {
			out = append(out, *d)
		}
	}
	abs := func(v int64) int64 { return max(v, -v) }
	slices.SortFunc(out, func(a, b SiteDiff) int {
		return cmp.Or(cmp.Compare(abs(b.InuseBytesDelta), abs(a.InuseBytesDelta)),
			cmp.Compare(abs(b.AllocBytesDelta), abs(a.AllocBytesDelta)),
			cmp.Compare(a.Function, b.Function), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return out
}

// captureHeapProfile writes the process's heap profile and parses it.
func captureHeapProfile() (*profile.Profile, error) {
	var buf bytes.Buffer
	if err := pprof.Lookup("heap").WriteTo(&buf, 0); err != nil {
		return nil, fmt.Errorf("profiler: write heap profile: %w", err)
	}
	prof, err := profile.Parse(&buf)
	if err != nil {
		return nil, fmt.Errorf("profiler: parse heap profile: %w", err)
	}
	return prof, nil
}

// TopAllocations returns the n (all if n <= 0) allocation sites that allocated the
// most bytes since Start (the baseline profile taken at Start is subtracted; before
// Start, since the process began). Like every Go heap profile it reflects the heap as
// of the last completed GC cycle: call ForceGC or runtime.GC first for a fresh view.
func (p *Profiler) TopAllocations(n int) ([]Site, error) {
	prof, err := p.currentProfile()
	if err != nil {
		return nil, err
	}
	sites, err := SitesFromProfile(prof, 0)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	base, baseErr := p.baseSites, p.baseErr
	p.mu.Unlock()
	if baseErr != nil || base == nil {
		return rankSites(sites, n), nil
	}
	return sitesSince(sites, base, n), nil
}

// WriteHeapProfile writes the process's heap profile, gzipped protobuf, for
// `go tool pprof`.
func (p *Profiler) WriteHeapProfile(w io.Writer) error {
	if err := pprof.Lookup("heap").WriteTo(w, 0); err != nil {
		return fmt.Errorf("profiler: write heap profile: %w", err)
	}
	return nil
}

// WriteHeapProfileSince writes, for `go tool pprof`, the heap profile of what
// was allocated since Start: the current profile minus the one taken at Start
// (in-use figures become the change in use), without the allocations made
// while writing profiles. Before Start, or if the baseline could not be taken,
// it writes the whole process's profile, still without those allocations.
func (p *Profiler) WriteHeapProfileSince(w io.Writer) error {
	now, err := p.currentProfile()
	if err != nil {
		return err
	}
	p.mu.Lock()
	base := p.baseProf
	p.mu.Unlock()
	if base != nil {
		neg := base.Copy()
		neg.Scale(-1)
		if merged, err := profile.Merge([]*profile.Profile{now, neg}); err == nil {
			now = merged
		}
	}
	kept := now.Sample[:0]
	for _, s := range now.Sample {
		if isProfilingSample(s) {
			continue
		}
		zero := true
		for _, v := range s.Value {
			if v != 0 {
				zero = false
				break
			}
		}
		if !zero {
			kept = append(kept, s)
		}
	}
	now.Sample = kept
	if err := now.Write(w); err != nil {
		return fmt.Errorf("profiler: write heap profile: %w", err)
	}
	return nil
}

// currentProfile is the profile kept at Stop when the session set its own
// MemProfileRate, else a fresh one. It returns a copy the caller may change.
func (p *Profiler) currentProfile() (*profile.Profile, error) {
	p.mu.Lock()
	final := p.finalProf
	p.mu.Unlock()
	if final != nil {
		return final.Copy(), nil
	}
	return p.heapProfile()
}
