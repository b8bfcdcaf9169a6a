package safeio

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// unsafeRune reports whether r must not reach a terminal raw: exactly the
// runes Go's %q and strconv.Quote escape (strconv.IsPrint is false):
// control characters (C0, DEL, C1, which start escape sequences), format
// characters such as the Unicode bidirectional controls that reorder what
// is shown and the zero-width ones that hide text, separators other than
// the ASCII space, and unassigned code points.
func unsafeRune(r rune) bool { return !strconv.IsPrint(r) }

// Text returns s with every rune Go's %q escapes (control characters,
// bidirectional and other format characters, invalid UTF-8 bytes) escaped
// as %q escapes it: \a, \n, \t, \x1b, \u202e, \xff. One rule for all of
// memprism's output: a name quoted with %q in an error and the same name
// passing through a Writer read alike. Safe text is returned unchanged;
// unlike Quote, quotes and backslashes are left as they are.
func Text(s string) string {
	return escape(s, "")
}

// Quote returns s in double quotes with the escapes of Text, and quotes
// and backslashes escaped: strconv.Quote, named here so that code quoting
// outside input for display says which rule it follows.
func Quote(s string) string { return strconv.Quote(s) }

// escapeRune writes the escape of r that strconv.Quote writes (\a, \x1b, \u202e, \U000e0001).
func escapeRune(b *strings.Builder, r rune) {
	q := strconv.QuoteRune(r)
	b.WriteString(q[1 : len(q)-1])
}

// escape escapes s, keeping the control characters in keep.
func escape(s, keep string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || (unsafeRune(r) && !strings.ContainsRune(keep, r)) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r) && !strings.ContainsRune(keep, r):
			escapeRune(&b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Writer escapes what is written through it as Text does, except for the
// control characters it is told to keep (newline and tab for a table), and
// remembers the first error of the underlying writer so that a command can
// fail when its output was lost (a full disk, /dev/full, a closed pipe). It
// is safe for concurrent use.
type Writer struct {
	mu      sync.Mutex
	w       io.Writer
	keep    string
	pending []byte // an incomplete UTF-8 sequence at the end of the last write
	err     error
}

// NewWriter returns a Writer escaping onto w, keeping the control characters in keep.
func NewWriter(w io.Writer, keep string) *Writer {
	return &Writer{w: w, keep: keep}
}

// Write escapes p and writes it. After the underlying writer failed once,
// Write writes nothing more and returns that error.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return 0, w.err
	}
	data := p
	if len(w.pending) > 0 {
		data = append(w.pending, p...)
		w.pending = nil
	}
	// Keep back a trailing partial rune so that one split across two writes is not escaped as bytes.
	if cut := partialTail(data); cut < len(data) {
		w.pending = append([]byte(nil), data[cut:]...)
		data = data[:cut]
	}
	out := escape(string(data), w.keep)
	if _, err := io.WriteString(w.w, out); err != nil {
		w.err = err
		return 0, err
	}
	return len(p), nil
}

// partialTail returns where an incomplete UTF-8 sequence at the end of b
// starts, or len(b) when b ends with a complete rune.
func partialTail(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(b[i]) {
			if b[i] >= 0xC0 && !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return len(b)
}

// WriteControl writes s unescaped: memprism's own control characters, such
// as the carriage return that redraws a progress line, so that the Writer
// need not keep them for all the text that passes through it. Text from
// outside input never goes through it. A pending incomplete UTF-8 sequence
// is written first, escaped.
func (w *Writer) WriteControl(s string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	if len(w.pending) > 0 {
		s = escape(string(w.pending), w.keep) + s
		w.pending = nil
	}
	if _, err := io.WriteString(w.w, s); err != nil {
		w.err = err
	}
	return w.err
}

// Flush writes a pending incomplete UTF-8 sequence, escaped, and returns the
// first error the underlying writer returned, if any.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil && len(w.pending) > 0 {
		p := w.pending
		w.pending = nil
		if _, err := io.WriteString(w.w, escape(string(p), w.keep)); err != nil {
			w.err = err
		}
	}
	return w.err
}

// Unwrap returns the underlying writer, so that a caller can still ask the
// terminal behind it for its size.
func (w *Writer) Unwrap() io.Writer { return w.w }

// Err returns the first error the underlying writer returned, if any.
func (w *Writer) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}
