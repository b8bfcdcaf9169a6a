package scenarios

import (
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
