//go:build unix

package safeio

import (
	"os"
	"syscall"
)

// openNonblocking opens path for reading without blocking on a FIFO.
func openNonblocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
