package cli

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"testing"
	"unsafe"

	"github.com/memprism/memprism/internal/safeio"
)

// openPTY returns the terminal end of a new pseudo-terminal cols columns wide.
func openPTY(t *testing.T, cols uint16) *os.File {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	ioctl := func(f *os.File, req uintptr, arg unsafe.Pointer) {
		t.Helper()
		if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), req, uintptr(arg)); errno != 0 {
			t.Skipf("ioctl %#x: %v", req, errno)
		}
	}
	var unlock int32
	ioctl(ptmx, syscall.TIOCSPTLCK, unsafe.Pointer(&unlock))
	var n uint32
	ioctl(ptmx, syscall.TIOCGPTN, unsafe.Pointer(&n))
	pts, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open the terminal end: %v", err)
	}
	t.Cleanup(func() { pts.Close() })
	ws := struct{ rows, cols, x, y uint16 }{24, cols, 0, 0}
	ioctl(pts, syscall.TIOCSWINSZ, unsafe.Pointer(&ws))
	return pts
}

// TestTerminalWidthThroughEscaping: every command writes stderr through an
// escaping safeio.Writer; the live progress line must still be cut to the
// real terminal's width, not to the 80-column guess (it wrapped on a
// narrower terminal and was cut short on a wider one).
func TestTerminalWidthThroughEscaping(t *testing.T) {
	t.Setenv("COLUMNS", "")
	for _, cols := range []uint16{40, 132} {
		pts := openPTY(t, cols)
		if got := terminalWidth(pts)(); got != int(cols) {
			t.Fatalf("terminalWidth(the terminal) = %d, want %d", got, cols)
		}
		if got := terminalWidth(safeio.NewWriter(pts, "\n\t\r"))(); got != int(cols) {
			t.Errorf("terminalWidth(an escaping writer onto a %d-column terminal) = %d, want %d", cols, got, cols)
		}
	}
	if got := terminalWidth(safeio.NewWriter(&bytes.Buffer{}, "\n"))(); got != 80 {
		t.Errorf("terminalWidth(no terminal) = %d, want the 80-column default", got)
	}
}
