//go:build linux

package profiler

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzParseStatm checks the allocation-free /proc/self/statm parser against strconv.
func FuzzParseStatm(f *testing.F) {
	f.Add("12345 678 90 1 0 2 0\n")
	f.Add("  1 2")
	f.Add("x")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		v, rest, ok := parseUint([]byte(in))
		trimmed := strings.TrimLeft(in, " ")
		digits := len(trimmed) - len(strings.TrimLeft(trimmed, "0123456789"))
		if ok != (digits > 0) {
			t.Fatalf("parseUint(%q) ok=%v, %d digits", in, ok, digits)
		}
		if string(rest) != trimmed[digits:] {
			t.Fatalf("parseUint(%q) rest %q, want %q", in, rest, trimmed[digits:])
		}
		if want, err := strconv.ParseUint(trimmed[:digits], 10, 64); ok && err == nil && v != want {
			t.Fatalf("parseUint(%q) = %d, want %d", in, v, want)
		}
	})
}
