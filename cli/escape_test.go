package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/memprism/memprism/internal/golden"
	"github.com/memprism/memprism/internal/safeio"
)

// TestOneEscaping checks that a control or format character shows the same
// way wherever it reaches the terminal: in a file name (escaped by the
// output writer) and in a name quoted by an error message (%q), the bell is
// \a in both, never \x07 in one and \a in the other.
func TestOneEscaping(t *testing.T) {
	goldenPath, err := filepath.Abs(filepath.Join("testdata", "golden", "validate-hostile-escapes.stderr"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	name := "be\x07ll\u202e\u200b.yaml"
	text := "name: \"a\\ab\\u202e\"\nworkload: trade-churn\nparams: {layout: \"x\\a\\u200b\\x1b[2J\"}\nvariants:\n  - name: \"v\\a\\t\"\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := Exec(context.Background(), []string{"validate", name}, Options{}, IO{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
	if code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	got := stderr.String()
	if strings.Contains(got, `\x07`) || strings.ContainsAny(got, "\a\x1b\u202e\u200b") {
		t.Errorf("stderr escapes a character two ways or not at all:\n%s", got)
	}
	golden.Check(t, goldenPath, []byte(got))
}

func TestOneLineCutsAtRune(t *testing.T) {
	tests := []struct {
		give string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"first\nsecond", 20, "first"},
		{"abcdefghij", 8, "abcde..."},
		{"ab€€€€", 7, "ab..."}, // € is 3 bytes: cutting at byte 4 would split the first one
		{"ab€€€€", 8, "ab€..."},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			got := oneLine(tt.give, tt.n)
			if got != tt.want || !utf8.ValidString(got) || len(got) > tt.n {
				t.Errorf("oneLine(%q, %d) = %q, want %q", tt.give, tt.n, got, tt.want)
			}
		})
	}
}

// TestCarriageReturnEscaped checks that a carriage return in text printed
// to stderr (here a path found in a runs directory) is escaped: it cannot
// send the cursor back and overwrite the line, though the progress line's
// own \r still redraws it.
func TestCarriageReturnEscaped(t *testing.T) {
	runs := filepath.Join(t.TempDir(), "runs")
	bad := filepath.Join(runs, "bad\rtrend: all good")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "report.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	Exec(context.Background(), []string{"trend", "-o", t.TempDir(), runs}, Options{}, IO{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
	if got := stderr.String(); strings.Contains(got, "\r") || !strings.Contains(got, `bad\rtrend: all good`) {
		t.Errorf("stderr:\n%q\nwant the path's \\r escaped", got)
	}
	// The live line's own carriage return, through the same escaping stderr.
	var raw bytes.Buffer
	w := safeio.NewWriter(&raw, "\n\t")
	p := &progress{w: w, tty: true}
	p.control("\r")
	w.Write([]byte("[1/2] a\rb"))
	if want := "\r[1/2] a\\rb"; raw.String() != want {
		t.Errorf("progress wrote %q, want %q", raw.String(), want)
	}
}
