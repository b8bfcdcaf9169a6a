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

// TestParseHostile feeds inputs built to be slow or deep and checks that Parse answers
// quickly with positioned errors instead of hanging or panicking.
func TestParseHostile(t *testing.T) {
	head := "name: h\nworkload: trade-churn\n"
	fanout := func(n int) string {
		var b strings.Builder
		b.WriteString(head + "p: &p {")
		for i := range 100 {
			b.WriteString("k" + strconv.Itoa(i) + ": 1, ")
		}
		b.WriteString("trades: 1}\nvariants:\n")
		for range n {
			b.WriteString("  - {name: a, params: {<<: [*p, *p, *p, *p, *p, *p, *p, *p]}}\n")
		}
		return b.String()
	}
	tests := []struct {
		name string
		give string
		want string // substring of the error
	}{
		{"deep flow nesting", head + "variants: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n", "invalid YAML"},
		{"deep block nesting", head + "params:\n" + nested(200), `param "k" must be a single value`},
		{"merge fan-out", fanout(2000), "document too complex"},
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
			start := time.Now()
			sc, err := Parse("h.yaml", []byte(tt.give), testCatalog)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("Parse took %v", took)
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
