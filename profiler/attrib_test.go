package profiler

import (
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"
)

// stackProfile builds a heap profile whose samples have the given stacks
// (leaf first, "function@file:line") and values.
func stackProfile(samples map[string][4]int64) *profile.Profile {
	prof := &profile.Profile{SampleType: []*profile.ValueType{{Type: "alloc_objects"}, {Type: "alloc_space"}, {Type: "inuse_objects"}, {Type: "inuse_space"}}}
	fns := map[string]*profile.Function{}
	var id uint64
	for stack, v := range samples {
		var locs []*profile.Location
		for _, fr := range strings.Split(stack, ";") {
			name, where, _ := strings.Cut(fr, "@")
			file, line, _ := strings.Cut(where, ":")
			f := fns[name]
			if f == nil {
				id++
				f = &profile.Function{ID: id, Name: name, Filename: file}
				fns[name] = f
			}
			id++
			n := int64(0)
			for _, c := range line {
				n = 10*n + int64(c-'0')
			}
			locs = append(locs, &profile.Location{ID: id, Line: []profile.Line{{Function: f, Line: n}}})
		}
		prof.Sample = append(prof.Sample, &profile.Sample{Location: locs, Value: v[:]})
	}
	return prof
}

func TestAttribution(t *testing.T) {
	const mod = "example.com/svc"
	prof := stackProfile(map[string][4]int64{
		// json.Unmarshal's garbage, charged to the line that called it.
		"runtime.mallocgc@/go/runtime/malloc.go:1;reflect.mapassign_faststr0@/go/reflect/map.go:2;encoding/json.(*decodeState).object@/go/encoding/json/decode.go:3;encoding/json.Unmarshal@/go/encoding/json/decode.go:4;example.com/svc/api.(*Handler).decode@/src/svc/api/handler.go:88;example.com/svc/api.(*Handler).ServeHTTP@/src/svc/api/handler.go:40;net/http.serverHandler.ServeHTTP@/go/net/http/server.go:5;example.com/svc/cmd.main@/src/svc/cmd/main.go:9": {100, 8 << 20, 0, 0},
		// Retained by the user's own line.
		"runtime.mallocgc@/go/runtime/malloc.go:1;example.com/svc/cache.(*LRU).Add@/src/svc/cache/lru.go:31": {10, 3 << 20, 10, 3 << 20},
		// memprism's own allocation beneath the user's call to it: left out.
		"runtime.mallocgc@/go/runtime/malloc.go:1;github.com/memprism/memprism/profiler.(*Profiler).Snapshot@/src/memprism/profiler/snapshot.go:50;example.com/svc/api.(*Handler).decode@/src/svc/api/handler.go:90": {1, 1 << 20, 1, 1 << 20},
		// A library's own goroutine: no user frame, charged to the library line.
		"runtime.mallocgc@/go/runtime/malloc.go:1;bufio.NewReaderSize@/go/bufio/bufio.go:57;net/http.(*Transport).dialConn@/go/net/http/transport.go:1800": {4, 16 << 10, 4, 16 << 10},
		// Goroutine creation: the runtime only.
		"runtime.mallocgc@/go/runtime/malloc.go:1;runtime.malg@/go/runtime/proc.go:5274;runtime.newproc1@/go/runtime/proc.go:5322;runtime.systemstack@/go/runtime/asm.s:562": {8, 8 << 10, 8, 8 << 10},
	})
	sites, err := SitesFromProfile(prof, 0, mod)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		fn, via string
		user    bool
		chain   int
	}
	wants := []want{
		{"example.com/svc/api.(*Handler).decode", "encoding/json.Unmarshal", true, 3},
		{"example.com/svc/cache.(*LRU).Add", "", true, 1},
		{"bufio.NewReaderSize", "", false, 2},
		{goroutineCreation, "", false, 0},
	}
	if len(sites) != len(wants) {
		t.Fatalf("got %d sites, want %d: %+v", len(sites), len(wants), sites)
	}
	for i, w := range wants {
		s := sites[i]
		if s.Function != w.fn || s.Via != w.via || s.User != w.user || len(s.Chain) != w.chain {
			t.Errorf("site %d = %s via %q user %v chain %q; want %s via %q user %v, %d frames", i, s.Function, s.Via, s.User, s.Chain, w.fn, w.via, w.user, w.chain)
		}
	}
	if got := sites[0].Chain[1]; got != "example.com/svc/api.(*Handler).ServeHTTP handler.go:40" {
		t.Errorf("chain[1] = %q", got)
	}
	inuse := rankInUse(sites, 0)
	if inuse[0].Function != "example.com/svc/cache.(*LRU).Add" || inuse[0].InuseShare <= 0.9 {
		t.Errorf("in-use ranking starts with %+v, want the LRU line", inuse[0])
	}
	for _, s := range inuse {
		if s.Function == "example.com/svc/api.(*Handler).decode" {
			t.Errorf("a line holding nothing is in the in-use ranking: %+v", s)
		}
	}

	// Goroutine creation moves to the go statements, by goroutines alive.
	created := map[siteKey]int{
		{"example.com/svc/client.(*Client).fetch", "/src/svc/client/client.go", 88}: 3,
		{"net/http.(*Transport).dialConn", "/go/net/http/transport.go", 1900}:       1,
	}
	charged := chargeGoroutineCreation(sites, created, newFrames([]string{mod}))
	for _, s := range charged {
		if s.Function == goroutineCreation {
			t.Errorf("goroutine creation left uncharged: %+v", s)
		}
		if s.Function == "example.com/svc/client.(*Client).fetch" && (!s.User || s.AllocBytes != 6<<10 || s.Via != "go statement") {
			t.Errorf("go statement charged %+v, want 3/4 of 8 KiB, user, via go statement", s)
		}
	}
}

func TestFrameKinds(t *testing.T) {
	fr := frames{user: []string{"example.com/svc"}}
	tests := []struct {
		fn, file string
		want     frameKind
	}{
		{"runtime.mallocgc", "malloc.go", frameRuntime},
		{"internal/runtime/maps.(*Map).PutSlot", "map.go", frameRuntime},
		{"runtime/pprof.(*profileBuilder).build", "proto.go", frameOwn},
		{"github.com/memprism/memprism/profiler.(*Profiler).Stop", "profiler.go", frameOwn},
		{"github.com/memprism/memprism/profiler.TestX", "x_test.go", frameLibrary}, // a test, not the instrument; not the user's module either here
		{"github.com/memprism/memprism/harness.runJob", "worker.go", frameOwn},
		{"github.com/memprism/memprism/workloads.runLeak", "leak.go", frameLibrary},
		{"github.com/memprism/memprism/load.newHist", "recorder.go", frameOwn}, // the load generator's recorders are the instrument
		{"github.com/memprism/memprism/load.(*Generator).worker", "gen.go", frameOwn},
		{"example.com/svc/api.handle", "api.go", frameUser},
		{"example.com/svcx.handle", "x.go", frameLibrary}, // a prefix is a whole path element
		{"main.main", "main.go", frameUser},
		{"encoding/json.Unmarshal", "decode.go", frameLibrary},
	}
	for _, tt := range tests {
		t.Run(tt.fn, func(t *testing.T) {
			if got := fr.kind(tt.fn, tt.file); got != tt.want {
				t.Errorf("kind(%s) = %d, want %d", tt.fn, got, tt.want)
			}
		})
	}
	if got := funcPackage("example.com/a/b.(*T).M.func1"); got != "example.com/a/b" {
		t.Errorf("funcPackage = %q", got)
	}
}

const dump = `goroutine 1 [running]:
main.main()
	/src/svc/main.go:41 +0x2c5

goroutine 7 [chan send (leaked), 2 minutes]:
example.com/svc/client.(*Client).fetch.func1()
	/src/svc/client/client.go:97 +0x1e
created by example.com/svc/client.(*Client).fetch in goroutine 1
	/src/svc/client/client.go:88 +0xef

goroutine 8 [chan send]:
example.com/svc/client.(*Client).fetch.func1()
	/src/svc/client/client.go:97 +0x1e
created by example.com/svc/client.(*Client).fetch in goroutine 1
	/src/svc/client/client.go:88 +0xef

goroutine 9 [select]:
net/http.(*persistConn).readLoop(0xc000180000)
	/go/src/net/http/transport.go:2395 +0xbd4
created by net/http.(*Transport).dialConn in goroutine 23
	/go/src/net/http/transport.go:1944 +0x174e

goroutine 10 [sleep]:
time.Sleep(0x989680)
	/go/src/runtime/time.go:363 +0x165
github.com/memprism/memprism/profiler.(*Profiler).loop(0xc0000b8000, 0x0, 0x0)
	/src/memprism/profiler/profiler.go:300 +0x1b
created by github.com/memprism/memprism/profiler.(*Profiler).Start in goroutine 1
	/src/memprism/profiler/profiler.go:220 +0x2d
`

func TestParseGoroutines(t *testing.T) {
	fr := frames{user: []string{"example.com/svc"}}
	base := parseGoroutines([]byte(dump[:strings.Index(dump, "goroutine 8 ")]), fr)
	final := parseGoroutines([]byte(dump), fr)
	if len(final) != 5 {
		t.Fatalf("parsed %d goroutines, want 5", len(final))
	}
	groups, nb, nf := groupGoroutines(base, final)
	if nb != 2 || nf != 4 {
		t.Errorf("counts %d -> %d, want 2 -> 4 (the profiler's own left out)", nb, nf)
	}
	g := groups[0]
	if g.Count != 2 || g.Baseline != 1 || g.Leaked != 1 || !g.CreatedUser || !g.BlockedUser || g.State != "chan send" {
		t.Errorf("top group %+v", g)
	}
	if got, want := g.String(), "2 goroutines created at client.go:88, blocked in chan send at client.go:97 (1 can never wake)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if g := groups[1]; g.BlockedIn != "net/http.(*persistConn).readLoop" || g.CreatedAt != "transport.go:1944" || g.CreatedUser {
		t.Errorf("library group %+v", g)
	}
	created := creationSites(base, final)
	if n := created[siteKey{"example.com/svc/client.(*Client).fetch", "/src/svc/client/client.go", 88}]; n != 1 {
		t.Errorf("creation site grew by %d, want 1 (%v)", n, created)
	}
}

func FuzzParseGoroutines(f *testing.F) {
	f.Add([]byte(dump))
	f.Add([]byte("goroutine x [\n\ncreated by \n"))
	f.Add([]byte("goroutine 1 []:\n...additional frames elided...\n"))
	fr := frames{user: []string{"example.com/svc"}}
	f.Fuzz(func(t *testing.T, b []byte) {
		gs := parseGoroutines(b, fr)
		groups, _, nf := groupGoroutines(nil, gs)
		sum := 0
		for _, g := range groups {
			sum += g.Count
		}
		if len(groups) < MaxGoroutineGroups && sum != nf {
			t.Errorf("groups hold %d goroutines, %d counted", sum, nf)
		}
	})
}

// blockForever is a goroutine stuck sending: nobody receives.
func blockForever(ch chan int, n int) {
	for range n {
		go func() { ch <- 1 }() // the line the evidence names
	}
}

func TestGoroutineEvidenceLive(t *testing.T) {
	p := New(Options{Interval: time.Millisecond})
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	ch := make(chan int)
	blockForever(ch, 50)
	// Wait until all of them block on the send (a loaded machine is slow to run them).
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		n := 0
		for _, g := range parseGoroutines(goroutineStacks(), p.frames) {
			if g.state == "chan send" {
				n++
			}
		}
		if n >= 50 {
			break
		}
	}
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	for range 50 {
		<-ch
	}
	rep := p.Report()
	g := rep.Goroutines
	if g == nil || len(g.Groups) == 0 {
		t.Fatalf("no goroutine evidence: %+v", g)
	}
	top := g.Groups[0]
	if top.Growth() != 50 || top.State != "chan send" || !strings.HasPrefix(top.CreatedAt, "attrib_test.go:") || top.BlockedAt != top.CreatedAt || !top.CreatedUser {
		t.Errorf("top group %+v (%s), want 50 created and blocked in chan send at attrib_test.go's go statement", top, top)
	}
	if g.Final < 50 || g.StackBytesFinal <= g.StackBytesBaseline {
		t.Errorf("evidence %+v: want 50 goroutines or more at the end and the stack memory grown", g)
	}
	for _, gr := range g.Groups {
		if strings.Contains(gr.CreatedBy, "memprism/profiler.(*Profiler)") {
			t.Errorf("memprism's own goroutine in the groups: %+v", gr)
		}
	}
}
