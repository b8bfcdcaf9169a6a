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

// Site is one allocation site: a line of the user's code with the heap
// allocations made beneath it.
type Site struct {
	// Function, File and Line name the line the allocations are charged to:
	// the first frame of the user's code in the allocation stack (leaf
	// first), else the first frame outside the runtime. Goroutine creation
	// (a stack wholly in the runtime) is charged to the go statements of the
	// goroutines alive at the end, by their number, when the goroutine
	// profile names them.
	Function string `json:"function"`
	File     string `json:"file"`
	Line     int64  `json:"line"`
	// User is true when Function is the user's code (see Options.UserPrefixes).
	User bool `json:"user"`
	// Via is the library function the user's line called that allocated,
	// e.g. "encoding/json.Unmarshal"; empty when the line allocated itself.
	Via string `json:"via,omitempty"`
	// Chain is the line and up to two of its callers, innermost first, as
	// "function file:line" (memprism's own frames left out).
	Chain []string `json:"chain,omitempty"`
	// AllocBytes and AllocObjects are allocated since the start of the window.
	AllocBytes   int64 `json:"alloc_bytes"`
	AllocObjects int64 `json:"alloc_objects"`
	// InuseBytes and InuseObjects are live at the last completed GC (in a
	// Profiler's reports: live then minus live at Start, what the session retained).
	InuseBytes   int64 `json:"inuse_bytes"`
	InuseObjects int64 `json:"inuse_objects"`
	// Share is AllocBytes as a fraction of all sites' AllocBytes (0..1).
	Share float64 `json:"share"`
	// InuseShare is InuseBytes as a fraction of all sites' positive InuseBytes (0..1).
	InuseShare float64 `json:"inuse_share"`
}

// SiteDiff is the change of one site between two heap profiles (old to new).
type SiteDiff struct {
	Function          string `json:"function"`
	File              string `json:"file"`
	Line              int64  `json:"line"`
	User              bool   `json:"user"`
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

// goroutineCreation is the function charged with a goroutine's allocation
// when its stack holds only the runtime (the g and its stack record are
// allocated on the system stack, so the go statement is not in the stack).
const goroutineCreation = "goroutine creation (runtime.malg)"

// attribution is where one allocation sample is charged.
type attribution struct {
	key   siteKey
	user  bool
	via   string
	chain []string
}

// chainLen is the number of frames in Site.Chain.
const chainLen = 3

// attribute charges a sample to the first user frame of its stack (leaf
// first), remembering the library function that frame called; without a
// user frame, to the first frame outside the runtime. ok is false when the
// allocation is memprism's own: an own frame comes before any user frame.
func (fr frames) attribute(s *profile.Sample) (a attribution, ok bool) {
	type frame struct {
		fn, file string
		line     int64
		kind     frameKind
	}
	var stack []frame
	for _, loc := range s.Location {
		for i := range loc.Line { // Line[0] is the innermost inlined frame
			ln := &loc.Line[i]
			if ln.Function == nil {
				continue
			}
			stack = append(stack, frame{ln.Function.Name, ln.Function.Filename, ln.Line, fr.kind(ln.Function.Name, ln.Function.Filename)})
		}
	}
	chain := func(from int) []string {
		var c []string
		for _, f := range stack[from:] {
			if len(c) == chainLen {
				break
			}
			if f.kind == frameOwn {
				break
			}
			if f.kind == frameRuntime && len(c) > 0 {
				continue
			}
			c = append(c, fmt.Sprintf("%s %s:%d", f.fn, baseFile(f.file), f.line))
		}
		return c
	}
	firstLib, via := -1, ""
	for i, f := range stack {
		switch f.kind {
		case frameOwn:
			return a, false
		case frameUser:
			return attribution{siteKey{f.fn, f.file, f.line}, true, via, chain(i)}, true
		case frameLibrary:
			if firstLib < 0 {
				firstLib = i
			}
			via = f.fn
		}
	}
	if firstLib >= 0 {
		f := stack[firstLib]
		return attribution{key: siteKey{f.fn, f.file, f.line}, chain: chain(firstLib)}, true
	}
	for _, f := range stack {
		if f.fn == "runtime.malg" || f.fn == "runtime.newproc1" {
			return attribution{key: siteKey{fn: goroutineCreation}}, true
		}
	}
	if len(stack) > 0 {
		f := stack[0]
		return attribution{key: siteKey{f.fn, f.file, f.line}, chain: chain(0)}, true
	}
	return attribution{key: siteKey{fn: "unknown"}}, true
}

func baseFile(f string) string {
	if i := strings.LastIndexByte(f, '/'); i >= 0 {
		return f[i+1:]
	}
	return f
}

// SitesFromProfile aggregates a heap profile (as written by runtime/pprof) by
// the line each allocation is charged to: the first frame of the user's code
// (the main module from the binary's build information, "main", and the
// package path prefixes in userPrefixes), else the first frame outside the
// runtime. memprism's own allocations are left out. The result is sorted by
// AllocBytes, the user's lines first, with shares of the total; n > 0 keeps
// the top n. Usable on profiles from any process.
func SitesFromProfile(prof *profile.Profile, n int, userPrefixes ...string) ([]Site, error) {
	return sitesFromProfile(prof, n, newFrames(userPrefixes))
}

func sitesFromProfile(prof *profile.Profile, n int, fr frames) ([]Site, error) {
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
	type acc struct {
		site   Site
		weight int64 // of the sample whose via and chain the site shows
	}
	agg := map[siteKey]*acc{}
	for _, s := range prof.Sample {
		if isProfilingSample(s) {
			continue
		}
		a, ok := fr.attribute(s)
		if !ok {
			continue
		}
		e := agg[a.key]
		if e == nil {
			e = &acc{site: Site{Function: a.key.fn, File: a.key.file, Line: a.key.line, User: a.user}, weight: -1}
			agg[a.key] = e
		}
		alloc, inuse := s.Value[idx["alloc_space"]], s.Value[idx["inuse_space"]]
		if w := max(alloc, 0) + max(inuse, 0); w > e.weight {
			e.weight, e.site.Via, e.site.Chain = w, a.via, a.chain
		}
		e.site.AllocObjects += s.Value[idx["alloc_objects"]]
		e.site.AllocBytes += alloc
		e.site.InuseObjects += s.Value[idx["inuse_objects"]]
		e.site.InuseBytes += inuse
	}
	out := make([]Site, 0, len(agg))
	for _, e := range agg {
		out = append(out, e.site)
	}
	return rankSites(out, n), nil
}

// rankSites drops empty sites, sets shares, sorts by AllocBytes with the
// user's lines first and keeps the top n: the churn ranking.
func rankSites(sites []Site, n int) []Site {
	return rank(sites, n, func(s Site) bool { return s.AllocBytes > 0 || s.InuseBytes > 0 || s.AllocObjects > 0 },
		func(s Site) int64 { return s.AllocBytes }, func(s Site) int64 { return s.InuseBytes })
}

// rankInUse keeps the sites with bytes in use, sorted by InuseBytes with the
// user's lines first, the top n: the retention ranking.
func rankInUse(sites []Site, n int) []Site {
	return rank(sites, n, func(s Site) bool { return s.InuseBytes > 0 },
		func(s Site) int64 { return s.InuseBytes }, func(s Site) int64 { return s.AllocBytes })
}

// rank keeps the sites keep accepts (in a new slice), sets their shares,
// sorts them with the user's lines first, then by the larger first and
// second figure, then by place, and keeps the top n (all when n <= 0).
func rank(sites []Site, n int, keep func(Site) bool, first, second func(Site) int64) []Site {
	out := make([]Site, 0, len(sites))
	for _, s := range sites {
		if keep(s) {
			out = append(out, s)
		}
	}
	setShares(out)
	slices.SortFunc(out, func(a, b Site) int {
		return cmp.Or(-cmpBool(a.User, b.User), cmp.Compare(first(b), first(a)), cmp.Compare(second(b), second(a)),
			cmp.Compare(a.Function, b.Function), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

func setShares(sites []Site) {
	var alloc, inuse int64
	for _, s := range sites {
		alloc += max(s.AllocBytes, 0)
		inuse += max(s.InuseBytes, 0)
	}
	for i := range sites {
		sites[i].Share, sites[i].InuseShare = 0, 0
		if alloc > 0 {
			sites[i].Share = float64(max(sites[i].AllocBytes, 0)) / float64(alloc)
		}
		if inuse > 0 {
			sites[i].InuseShare = float64(max(sites[i].InuseBytes, 0)) / float64(inuse)
		}
	}
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

// sessionSites returns now's sites with base (a baseline taken earlier)
// subtracted: allocations since then, and in-use bytes as the change since
// then (what the session retained). Unranked; sites that allocated nothing
// since base are left out.
func sessionSites(now, base []Site) []Site {
	b := make(map[siteKey]Site, len(base))
	for _, s := range base {
		b[s.key()] = s
	}
	out := make([]Site, 0, len(now))
	for _, s := range now {
		if o, ok := b[s.key()]; ok {
			s.AllocBytes -= o.AllocBytes
			s.AllocObjects -= o.AllocObjects
			s.InuseBytes -= o.InuseBytes
			s.InuseObjects -= o.InuseObjects
		}
		if s.AllocBytes <= 0 && s.AllocObjects <= 0 {
			continue // allocated before the baseline only: not this session's
		}
		out = append(out, s)
	}
	return out
}

// sitesSince is sessionSites ranked by allocated bytes, top n.
func sitesSince(now, base []Site, n int) []Site {
	return rankSites(sessionSites(now, base), n)
}

// DiffSites compares two site lists (for example two snapshots' Sites), like
// tracemalloc's compare_to: one entry per site in either, sorted by the absolute
// in-use change, then the allocation change; unchanged sites are left out.
func DiffSites(old, new []Site) []SiteDiff {
	m := map[siteKey]*SiteDiff{}
	get := func(s Site) *SiteDiff {
		d := m[s.key()]
		if d == nil {
			d = &SiteDiff{Function: s.Function, File: s.File, Line: s.Line, User: s.User}
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
		if *d != (SiteDiff{Function: d.Function, File: d.File, Line: d.Line, User: d.User}) {
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
	sites, base, err := p.currentSites()
	if err != nil {
		return nil, err
	}
	if base == nil {
		return rankSites(sites, n), nil
	}
	return sitesSince(sites, base, n), nil
}

// currentSites returns the sites of the current heap profile and the
// baseline's from Start (nil when there is none or it failed).
func (p *Profiler) currentSites() (sites, base []Site, err error) {
	prof, err := p.currentProfile()
	if err != nil {
		return nil, nil, err
	}
	if sites, err = sitesFromProfile(prof, 0, p.frames); err != nil {
		return nil, nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.baseErr != nil {
		return sites, nil, nil
	}
	return sites, p.baseSites, nil
}

// TopInUse returns the n (all if n <= 0) lines holding the most bytes in use
// beyond what they held at Start, the user's lines first. Like
// TopAllocations it reflects the heap as of the last completed GC.
func (p *Profiler) TopInUse(n int) ([]Site, error) {
	sites, base, err := p.currentSites()
	if err != nil {
		return nil, err
	}
	if base != nil {
		sites = sessionSites(sites, base)
	}
	return rankInUse(sites, n), nil
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
		if _, ok := p.frames.attribute(s); !ok || isProfilingSample(s) {
			continue // memprism's own allocations, as in the sites
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
