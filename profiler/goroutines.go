package profiler

import (
	"bytes"
	"cmp"
	"fmt"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"

	"github.com/google/pprof/profile"
)

// GoroutineGroup is a set of goroutines created by the same go statement and
// blocked at the same line in the same state.
type GoroutineGroup struct {
	// State is the wait reason or status the runtime gives, e.g. "chan send",
	// "select", "IO wait", "running".
	State string `json:"state"`
	// CreatedBy is the function whose go statement started them and CreatedAt
	// that statement's "file:line" (empty for the main goroutine).
	CreatedBy string `json:"created_by"`
	CreatedAt string `json:"created_at"`
	// CreatedUser is true when CreatedBy is the user's code.
	CreatedUser bool `json:"created_user"`
	// BlockedIn is the function where they wait, the first frame of the
	// user's code in their stacks (else the first outside the runtime), and
	// BlockedAt its "file:line".
	BlockedIn string `json:"blocked_in"`
	BlockedAt string `json:"blocked_at"`
	// BlockedUser is true when BlockedIn is the user's code.
	BlockedUser bool `json:"blocked_user"`
	// Count is their number at the end, Baseline at Start.
	Count    int `json:"count"`
	Baseline int `json:"baseline"`
	// Leaked is how many of them the goroutineleak profile found blocked
	// for ever (on something no running goroutine can reach); 0 when the
	// profile is not available.
	Leaked int `json:"leaked,omitempty"`
}

// Growth is Count minus Baseline.
func (g GoroutineGroup) Growth() int { return g.Count - g.Baseline }

// String reads like "412 goroutines created at client.go:88, blocked in chan
// send at client.go:97".
func (g GoroutineGroup) String() string {
	created := "the main goroutine"
	if g.CreatedAt != "" {
		created = "created at " + g.CreatedAt
	}
	s := fmt.Sprintf("%d goroutines %s, %s", g.Count, created, strings.TrimSpace("blocked in "+g.State))
	if g.BlockedAt != "" {
		s += " at " + g.BlockedAt
	}
	if g.Leaked > 0 {
		s += fmt.Sprintf(" (%d can never wake)", g.Leaked)
	}
	return s
}

// Goroutines is the goroutine evidence of a session: the goroutines at
// Start and at Stop grouped by creation site and blocking frame, and the
// goroutine stack memory.
type Goroutines struct {
	// Baseline and Final count the goroutines at Start and at Stop
	// (memprism's own left out).
	Baseline int `json:"baseline"`
	Final    int `json:"final"`
	// Groups are the groups at Stop with their count at Start, the most
	// grown first (at most MaxGoroutineGroups).
	Groups []GoroutineGroup `json:"groups"`
	// LeakProfile is true when the binary has the goroutineleak profile
	// (built with GOEXPERIMENT=goroutineleakprofile, Go 1.26): Leaked and
	// each group's Leaked are then the goroutines it found can never wake.
	LeakProfile bool `json:"leak_profile"`
	Leaked      int  `json:"leaked"`
	// StackBytesBaseline and StackBytesFinal are the goroutine stack memory
	// at Start and at Stop (/memory/classes/heap/stacks:bytes), which heap
	// figures leave out.
	StackBytesBaseline uint64 `json:"stack_bytes_baseline"`
	StackBytesFinal    uint64 `json:"stack_bytes_final"`
	// Error says why the evidence is missing or partial, if it is.
	Error string `json:"error,omitempty"`
}

// Growth is Final minus Baseline.
func (g Goroutines) Growth() int { return g.Final - g.Baseline }

// MaxGoroutineGroups bounds Goroutines.Groups.
const MaxGoroutineGroups = 10

// goroutineDump is one parsed goroutine of a runtime.Stack dump.
type goroutineDump struct {
	id                   int64
	state                string
	leaked               bool
	createdBy, createdAt string
	createdFile          string // full path of the go statement's file
	createdLine          int64
	createdKind          frameKind
	blockedIn, blockedAt string
	blockedKind          frameKind
	own                  bool // memprism's own goroutine
}

// stackBytes reads /memory/classes/heap/stacks:bytes.
func stackBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/stacks:bytes"}}
	metrics.Read(s)
	return u64(s[0].Value)
}

// maxStackDump bounds the runtime.Stack buffer, as runtime/pprof does.
const maxStackDump = 64 << 20

// goroutineStacks returns runtime.Stack of every goroutine. The buffer
// starts small (a few KiB per goroutine) and doubles: the dump is garbage at
// once, and a large one would sit in a session's heap figures until the next GC.
func goroutineStacks() []byte {
	buf := make([]byte, 16<<10+2<<10*runtime.NumGoroutine())
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) || len(buf) >= maxStackDump {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

// leakProfile runs the goroutineleak profile, when the binary has it, which
// first runs a GC that marks the goroutines that can never wake; a
// runtime.Stack dump right after shows them as "(leaked)". It returns the
// number of leaked goroutines and whether the profile exists.
func leakProfile() (int, bool, error) {
	lp := pprof.Lookup("goroutineleak")
	if lp == nil {
		return 0, false, nil
	}
	var buf bytes.Buffer
	if err := lp.WriteTo(&buf, 0); err != nil {
		return 0, true, fmt.Errorf("profiler: goroutineleak profile: %w", err)
	}
	prof, err := profile.Parse(&buf)
	if err != nil {
		return 0, true, fmt.Errorf("profiler: parse goroutineleak profile: %w", err)
	}
	n := 0
	for _, s := range prof.Sample {
		if len(s.Value) > 0 {
			n += int(s.Value[0])
		}
	}
	return n, true, nil
}

// parseGoroutines parses a runtime.Stack(buf, true) dump. Goroutines whose
// first frame outside the runtime is memprism's own, or that memprism
// started, are marked own.
func parseGoroutines(dump []byte, fr frames) []goroutineDump {
	var out []goroutineDump
	for _, block := range strings.Split(string(dump), "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		if len(lines) == 0 || !strings.HasPrefix(lines[0], "goroutine ") {
			continue
		}
		g, ok := parseHeader(lines[0])
		if !ok {
			continue
		}
		firstLib := -1
		var libIn, libAt string
		found := false
		for i := 1; i+1 < len(lines); i += 2 {
			fn := strings.TrimSpace(lines[i])
			loc := strings.TrimSpace(lines[i+1])
			if rest, ok := strings.CutPrefix(fn, "created by "); ok {
				name := rest
				if j := strings.Index(rest, " in goroutine "); j >= 0 {
					name = rest[:j]
				}
				g.createdBy, g.createdAt = name, shortLoc(loc)
				g.createdFile = fileOf(strings.Fields(loc + " ")[0])
				if j := strings.LastIndexByte(strings.Fields(loc + " ")[0], ':'); j > 0 {
					g.createdLine, _ = strconv.ParseInt(strings.Fields(loc + " ")[0][j+1:], 10, 64)
				}
				g.createdKind = fr.kind(name, fileOf(loc))
				if g.createdKind == frameOwn {
					g.own = true
				}
				break
			}
			if strings.HasPrefix(fn, "...") {
				i-- // "...additional frames elided..." has no location line
				continue
			}
			name := funcOf(fn)
			k := fr.kind(name, fileOf(loc))
			if found {
				continue
			}
			switch k {
			case frameOwn: // before any user frame: the instrument's goroutine
				g.own = true
				found = true
			case frameUser:
				g.blockedIn, g.blockedAt, g.blockedKind = name, shortLoc(loc), frameUser
				found = true
			case frameLibrary:
				if firstLib < 0 {
					firstLib, libIn, libAt = i, name, shortLoc(loc)
				}
			}
		}
		if g.blockedIn == "" && firstLib >= 0 {
			g.blockedIn, g.blockedAt, g.blockedKind = libIn, libAt, frameLibrary
		}
		out = append(out, g)
	}
	return out
}

// parseHeader parses "goroutine 7 [chan send (leaked), 3 minutes]:".
func parseHeader(h string) (goroutineDump, bool) {
	var g goroutineDump
	rest := strings.TrimPrefix(h, "goroutine ")
	sp := strings.IndexByte(rest, ' ')
	if sp < 0 {
		return g, false
	}
	id, err := strconv.ParseInt(rest[:sp], 10, 64)
	if err != nil {
		return g, false
	}
	g.id = id
	open, close := strings.IndexByte(rest, '['), strings.LastIndexByte(rest, ']')
	if open < 0 || close < open {
		return g, false
	}
	state := rest[open+1 : close]
	if i := strings.Index(state, ", "); i >= 0 {
		state = state[:i] // ", 3 minutes", ", locked to thread"
	}
	if s, ok := strings.CutSuffix(state, " (leaked)"); ok {
		state, g.leaked = s, true
	}
	g.state = strings.TrimSuffix(state, " (scan)")
	return g, true
}

// funcOf returns the function name of a frame line "pkg.F(0x1, ...)".
func funcOf(line string) string {
	if i := strings.LastIndexByte(line, '('); i > 0 {
		return line[:i]
	}
	return line
}

// fileOf returns the file of a location line "/path/file.go:12 +0x1d".
func fileOf(loc string) string {
	if i := strings.LastIndexByte(loc, ':'); i > 0 {
		return loc[:i]
	}
	return loc
}

// shortLoc turns "/path/to/file.go:12 +0x1d" into "file.go:12".
func shortLoc(loc string) string {
	if i := strings.IndexByte(loc, ' '); i > 0 {
		loc = loc[:i]
	}
	return baseFile(loc)
}

type groupKey struct{ state, createdBy, createdAt, blockedIn, blockedAt string }

func groupOf(g goroutineDump) groupKey {
	return groupKey{g.state, g.createdBy, g.createdAt, g.blockedIn, g.blockedAt}
}

// groupGoroutines groups the final dump with counts from the baseline dump,
// most grown first, then largest, then by place.
func groupGoroutines(base, final []goroutineDump) (groups []GoroutineGroup, nBase, nFinal int) {
	m := map[groupKey]*GoroutineGroup{}
	get := func(g goroutineDump) *GoroutineGroup {
		k := groupOf(g)
		e := m[k]
		if e == nil {
			e = &GoroutineGroup{State: g.state, CreatedBy: g.createdBy, CreatedAt: g.createdAt, CreatedUser: g.createdKind == frameUser,
				BlockedIn: g.blockedIn, BlockedAt: g.blockedAt, BlockedUser: g.blockedKind == frameUser}
			m[k] = e
		}
		return e
	}
	for _, g := range final {
		if g.own {
			continue
		}
		nFinal++
		e := get(g)
		e.Count++
		if g.leaked {
			e.Leaked++
		}
	}
	for _, g := range base {
		if g.own {
			continue
		}
		nBase++
		get(g).Baseline++
	}
	for _, e := range m {
		groups = append(groups, *e)
	}
	slices.SortFunc(groups, func(a, b GoroutineGroup) int {
		return cmp.Or(cmp.Compare(b.Growth(), a.Growth()), cmp.Compare(b.Count, a.Count),
			cmp.Compare(a.CreatedAt, b.CreatedAt), cmp.Compare(a.BlockedAt, b.BlockedAt), cmp.Compare(a.State, b.State))
	})
	if len(groups) > MaxGoroutineGroups {
		groups = groups[:MaxGoroutineGroups]
	}
	return groups, nBase, nFinal
}

// creationSites returns, per go statement (user's code first), how many more
// goroutines started there are alive at the end than at Start, for
// charging goroutine-creation allocations.
func creationSites(base, final []goroutineDump) map[siteKey]int {
	n := map[siteKey]int{}
	for _, g := range final {
		if !g.own && g.createdBy != "" {
			n[creationKey(g)]++
		}
	}
	for _, g := range base {
		if !g.own && g.createdBy != "" {
			k := creationKey(g)
			if _, ok := n[k]; ok {
				n[k]--
			}
		}
	}
	for k, v := range n {
		if v <= 0 {
			delete(n, k)
		}
	}
	return n
}

func creationKey(g goroutineDump) siteKey {
	return siteKey{g.createdBy, g.createdFile, g.createdLine}
}
