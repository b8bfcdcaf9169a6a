//go:build linux

package plots

import (
	"os"
	"syscall"
	"unsafe"
)

// releasePages drops the whole pages inside b, which must never be written
// (a private file-backed page comes back from the file), from the resident
// set with madvise(MADV_DONTNEED); it returns the bytes released.
func releasePages(b []byte) int64 {
	if len(b) == 0 {
		return 0
	}
	page := uintptr(os.Getpagesize())
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	lo := (start + page - 1) &^ (page - 1)
	hi := (start + uintptr(len(b))) &^ (page - 1)
	if hi <= lo {
		return 0
	}
	if err := syscall.Madvise(b[lo-start:hi-start], syscall.MADV_DONTNEED); err != nil {
		return 0
	}
	return int64(hi - lo)
}
