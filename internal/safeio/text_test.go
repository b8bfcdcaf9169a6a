package safeio

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct{ give, want string }{
		{"trade-records", "trade-records"},
		{"µs ± 3% — ∞", "µs ± 3% — ∞"},
		{"\x1b[2J\x1b[31mred", `\x1b[2J\x1b[31mred`},
		{"title\x1b]0;pwned\x07", `title\x1b]0;pwned\a`},
		{"a\nb\tc\rd\be\ff\vg", `a\nb\tc\rd\be\ff\vg`},
		{"zero\u200bwidth", `zero\u200bwidth`},
		{"nbsp\u00a0", `nbsp\u00a0`},
		{"tag \U000e0041", `tag \U000e0041`},
		{`quote " and \`, `quote " and \`},
		{"c1 \u009b31m", `c1 \u009b31m`},
		{"bidi \u202eevil", `bidi \u202eevil`},
		{"bad \xff utf8", `bad \xff utf8`},
		{"del\x7f", `del\x7f`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := Text(tt.give); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}

// textQuoteCases are strings for the check that Text escapes as %q does.
var textQuoteCases = []string{
	"plain", "be\x07ll.yaml", "\x1b[2J", "a\nb\tc\rd", "\x00\x7f\u0085\u009b", "bidi \u202e\u2066\u061c",
	"\u200b\u200d\ufeff", "\u00a0\u3000", "\ue000 private", "\U0010ffff", "bad \xff\xc0", "µs ± 3% — ∞ ✅ ❔",
}

// TestTextIsQuote pins the one escaping rule: for text without quotes or
// backslashes, Text(s) is strconv.Quote(s) (Go's %q) without its quotes, so
// a name quoted with %q in a message and the same name written through a
// Writer show every control character the same way (the bell as \a in both,
// never \x07 in one and \a in the other).
func TestTextIsQuote(t *testing.T) {
	for _, s := range textQuoteCases {
		t.Run(strconv.Quote(s), func(t *testing.T) { checkTextIsQuote(t, s) })
	}
}

func checkTextIsQuote(t *testing.T, s string) {
	t.Helper()
	if strings.ContainsAny(s, `"\`) {
		return
	}
	q := strconv.Quote(s)
	if got, want := Text(s), q[1:len(q)-1]; got != want {
		t.Errorf("Text(%s) = %s, %%q escapes it as %s", q, got, want)
	}
	if got := Quote(s); got != q {
		t.Errorf("Quote(%s) = %s", q, got)
	}
	var b bytes.Buffer
	w := NewWriter(&b, "")
	w.Write([]byte(s))
	w.Flush()
	if b.String() != Text(s) {
		t.Errorf("Writer wrote %s for %s, Text gives %s", b.String(), q, Text(s))
	}
}

func FuzzTextIsQuote(f *testing.F) {
	for _, s := range textQuoteCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkTextIsQuote(t, s) })
}

func TestWriterKeepsAndEscapes(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b, "\n\t")
	in := "name\tvalue\n\x1b[31mred\u009b\n"
	// Write one byte at a time: a C1 control split across writes is still escaped.
	for i := range len(in) {
		if n, err := w.Write([]byte{in[i]}); n != 1 || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := "name\tvalue\n\\x1b[31mred\\u009b\n"; b.String() != want {
		t.Errorf("wrote %q, want %q", b.String(), want)
	}
	b.Reset()
	w.Write([]byte("cut \xe2\x80"))
	w.Flush()
	if want := `cut \xe2\x80`; b.String() != want {
		t.Errorf("incomplete rune at the end: wrote %q, want %q", b.String(), want)
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	f.n++
	return 0, errors.New("no space left on device")
}

func TestWriterRemembersError(t *testing.T) {
	fw := &failWriter{}
	w := NewWriter(fw, "\n")
	if _, err := w.Write([]byte("a\n")); err == nil {
		t.Fatal("want the underlying error")
	}
	w.Write([]byte("b\n"))
	if fw.n != 1 {
		t.Errorf("underlying writer called %d times after failing, want 1", fw.n)
	}
	if w.Err() == nil || w.Flush() == nil {
		t.Error("error forgotten")
	}
}

func TestWriterDevFull(t *testing.T) {
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full")
	}
	defer f.Close()
	w := NewWriter(f, "\n")
	w.Write([]byte(strings.Repeat("x", 10) + "\n"))
	if w.Err() == nil {
		t.Error("writing to /dev/full did not fail")
	}
}

// TestWriteControl checks that memprism's own carriage return passes
// through WriteControl while one in the text is escaped.
func TestWriteControl(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b, "\n")
	w.WriteControl("\r")
	w.Write([]byte("line 1 of 2 \xe2\x80")) // an incomplete rune is written escaped before the next control
	w.WriteControl("\r")
	w.Write([]byte("path x\rEVIL\n"))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := "\rline 1 of 2 \\xe2\\x80\rpath x\\rEVIL\n"; b.String() != want {
		t.Errorf("wrote %q, want %q", b.String(), want)
	}
}
