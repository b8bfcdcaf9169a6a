package plots

import (
	"bytes"
	"io"
	"runtime"
	"testing"
)

// TestReleaseFontPagesKeepsChartsIntact releases the font pages, then draws:
// the picture must be the same bytes as before, the fonts read back from the
// binary.
func TestReleaseFontPagesKeepsChartsIntact(t *testing.T) {
	s := &fixture(t).Scenarios[0]
	draw := func() []byte { return render(t, func(w io.Writer) error { return Timeline(w, s) }) }
	before := draw()
	n := ReleaseFontPages()
	if runtime.GOOS == "linux" && n < 1<<20 {
		t.Errorf("released %d bytes of font pages, want most of the 4.4 MB", n)
	}
	if after := draw(); !bytes.Equal(before, after) {
		t.Errorf("chart drawn after ReleaseFontPages differs")
	}
}
