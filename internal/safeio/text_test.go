package safeio

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct{ give, want string }{
		{"trade-records", "trade-records"},
		{"µs ± 3% — ∞", "µs ± 3% — ∞"},
		{"\x1b[2J\x1b[31mred", `\x1b[2J\x1b[31mred`},
		{"title\x1b]0;pwned\x07", `title\x1b]0;pwned\x07`},
		{"a\nb\tc\rd", `a\x0ab\x09c\x0dd`},
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
