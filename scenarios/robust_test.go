package scenarios

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hostileHead starts every hostile scenario of these tests.
const hostileHead = "name: h\nworkload: trade-churn\n"

// fanout builds n variants whose params each merge eight copies of a
// 101-key anchor: about 800 keys to visit per variant once expanded, from a
// 70-byte line. With plain, the anchor holds one key: the same document,
// token for token, without the expansion.
func fanout(n int, plain bool) string {
	var b strings.Builder
	b.WriteString(hostileHead + "p: &p {")
	if !plain {
		for i := range 100 {
			b.WriteString("k" + strconv.Itoa(i) + ": 1, ")
		}
	}
	b.WriteString("trades: 1}\nvariants:\n")
	for range n {
		b.WriteString("  - {name: a, params: {<<: [*p, *p, *p, *p, *p, *p, *p, *p]}}\n")
	}
	return b.String()
}

// parseHangGuard is how long one Parse of a hostile input may take before the
// test calls it hung. It is a hang guard only (an idle machine parses each in
// well under a second, -race included); that hostile input stays cheap is
// checked on counted work in TestParseExpansionWork, which machine load
// cannot change.
const parseHangGuard = 2 * time.Minute

// TestParseHostile feeds inputs built to be slow or deep and checks that Parse answers
// with positioned errors instead of hanging or panicking.
func TestParseHostile(t *testing.T) {
	head := hostileHead
	tests := []struct {
		name string
		give string
		want string // substring of the error
	}{
		{"deep flow nesting", head + "variants: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n", "invalid YAML"},
		{"deep block nesting", head + "params:\n" + nested(200), `param "k" must be a single value`},
		{"merge fan-out", fanout(2000, false), "document too complex"},
		{"merge chain", head + "a: &a {trades: 1}\n" + mergeChain(40) + "variants: [{name: x, params: *m40}]\n", "merge keys (<<) nested more than"},
		{"too large", strings.Repeat("# x\n", MaxFileSize/4+1), "a scenario file may be at most"},
		{"many errors", head + "variants: [{name: a}]\n" + strings.Repeat("k: 1\n", 5000), "too many errors"},
		{"long key", head + "variants: [{name: a}]\n" + strings.Repeat("k", 100000) + ": 1\n", "h.yaml:4:1: invalid YAML"},
		{"control char", head + "\x1b[31m: red\n", "control character U+001B"},
		{"tab after text is fine but tab indent is not", "name: t\nvariants:\n  - name: a\n\t  params: {}\n", "tab character in indentation"},
		{"trailing document marker", head + "variants: [{name: a}]\n---\n", "second YAML document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			type parsed struct {
				sc  *Scenario
				err error
			}
			done := make(chan parsed, 1)
			go func() {
				sc, err := Parse("h.yaml", []byte(tt.give), testCatalog)
				done <- parsed{sc, err}
			}()
			var sc *Scenario
			var err error
			select {
			case p := <-done:
				sc, err = p.sc, p.err
			case <-time.After(parseHangGuard):
				t.Fatalf("Parse still running after %v: hung", parseHangGuard)
			}
			if err == nil {
				t.Fatalf("Parse accepted hostile input: %+v", sc)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error lacks %q:\n%.2000s", tt.want, err)
			}
			for _, e := range Errors(err) {
				if e.Line < 1 || e.Col < 1 || e.File != "h.yaml" {
					t.Errorf("bad position: %v", e)
				}
			}
		})
	}
}

// TestParseExpansionWork checks that what alias and merge expansion costs
// Parse is capped by its visit budget, not paid per expanded key: the work
// is counted as heap allocations (Parse allocates for every node and field it
// visits), a count that neither machine speed nor load changes, against the
// same documents with a one-key anchor. Without the budget, each fan-out
// variant past 500 cost 1421 allocations against 68 for a plain one (2.8
// million in all at 2000 variants); with it, 45 against 68, and the whole
// expansion about 290k (1.45 per budgeted visit).
func TestParseExpansionWork(t *testing.T) {
	work := func(doc string) float64 {
		t.Helper()
		// As testing.AllocsPerRun counts, but once: no warm-up run is needed
		// (Parse keeps no state between calls) and -race makes each costly.
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Parse("h.yaml", []byte(doc), testCatalog)
		runtime.ReadMemStats(&after)
		a := float64(after.Mallocs - before.Mallocs)
		if tooComplex := err != nil && strings.Contains(err.Error(), "document too complex"); tooComplex != strings.Contains(doc, "k99") {
			t.Errorf("Parse of a %d-byte document: %.300v; want \"document too complex\" exactly for the 101-key anchor", len(doc), err)
		}
		return a
	}
	const small, large = 500, 2000 // both past the budget: it runs out near 245 variants
	hostileSmall, hostileLarge := work(fanout(small, false)), work(fanout(large, false))
	plainSmall, plainLarge := work(fanout(small, true)), work(fanout(large, true))
	// The expansion's whole cost: at most perVisit allocations for each of
	// the budget's node visits (about 1.5 is measured; a decoder without the
	// budget pays as much per visit but visits without end).
	const perVisit = 4
	if extra := hostileLarge - plainLarge; extra > perVisit*visitBudget {
		t.Errorf("the fan-out of %d variants cost %.0f allocations more than the plain document (%.0f vs %.0f), over %d per budgeted visit (%d): expansion is not capped by the budget",
			large, extra, hostileLarge, plainLarge, perVisit, perVisit*visitBudget)
	}
	// Past the budget, each more variant costs no more than a plain one
	// (which still expands its eight one-key merges): the work grows with
	// the file, not with what its aliases expand to.
	perHostile := (hostileLarge - hostileSmall) / (large - small)
	perPlain := (plainLarge - plainSmall) / (large - small)
	if perHostile > perPlain {
		t.Errorf("past the budget each fan-out variant costs %.0f allocations, a plain one %.0f: expansion goes on after the budget ran out", perHostile, perPlain)
	}
	t.Logf("allocations: fan-out %.0f at %d variants, %.0f at %d (%.0f per variant); plain %.0f, %.0f (%.0f per variant)",
		hostileSmall, small, hostileLarge, large, perHostile, plainSmall, plainLarge, perPlain)
}

// nested builds `k:` mappings depth levels deep.
func nested(depth int) string {
	var b strings.Builder
	for i := range depth {
		b.WriteString(strings.Repeat(" ", 2*(i+1)) + "k:\n")
	}
	b.WriteString(strings.Repeat(" ", 2*(depth+1)) + "v: 1\n")
	return b.String()
}

// mergeChain builds m1..mn, each merging the previous one.
func mergeChain(n int) string {
	var b strings.Builder
	prev := "a"
	for i := 1; i <= n; i++ {
		name := "m" + strconv.Itoa(i)
		b.WriteString(name + ": &" + name + " {<<: *" + prev + "}\n")
		prev = name
	}
	return b.String()
}

// TestLoadRefusesUnboundedFiles checks that Load refuses, before reading,
// what is not a regular file or is too large: /dev/zero, a symlink to it, a
// FIFO (whose open would block), and a file over MaxFileSize.
func TestLoadRefusesUnboundedFiles(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte(strings.Repeat("# x\n", MaxFileSize/4+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, path, want string }{
		{"too large", big, "more than the limit of 1 MiB"},
		{"directory of one big file", dir, "more than the limit of 1 MiB"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		link := filepath.Join(t.TempDir(), "zero.yaml")
		if err := os.Symlink("/dev/zero", link); err != nil {
			t.Fatal(err)
		}
		tests = append(tests,
			struct{ name, path, want string }{"dev zero", "/dev/zero", "/dev/zero is a character device, not a regular file"},
			struct{ name, path, want string }{"symlink to dev zero", link, "zero.yaml is a character device"})
	}
	if runtime.GOOS != "windows" {
		fifo := filepath.Join(t.TempDir(), "pipe.yaml")
		if err := mkfifo(fifo); err != nil {
			t.Fatal(err)
		}
		tests = append(tests, struct{ name, path, want string }{"fifo", fifo, "a named pipe (FIFO), not a regular file"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := Load(testCatalog, tt.path)
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("Load error %v, want one containing %q", err, tt.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Load did not return within 5 s")
			}
		})
	}
}

// TestLoadOutputNameClash checks that two variants whose output files would
// share a name are rejected at load, with both positions.
func TestLoadOutputNameClash(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.yaml", "name: a\nworkload: trade-churn\nvariants:\n  - name: b-c\n")
	ab := write("ab.yaml", "name: a-b\nworkload: trade-churn\nvariants:\n  - name: x\n  - name: c\nbaseline: x\n")
	_, err := Load(testCatalog, a, ab)
	if err == nil {
		t.Fatal("Load accepted a-/b-c and a-b/c, which both write a-b-c.pprof")
	}
	want := ab + `:5:11: scenario "a-b" variant "c" writes a-b-c.pprof, as does scenario "a" variant "b-c" (` + a + ":4:11)"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error\n%v\nlacks\n%s", err, want)
	}
	if _, err := Load(testCatalog, a); err != nil {
		t.Errorf("one scenario alone: %v", err)
	}
}
