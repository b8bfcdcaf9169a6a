package safeio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Read limits of memprism's inputs.
const (
	MaxScenarioBytes = 1 << 20   // a scenario file: 1 MiB
	MaxReportBytes   = 256 << 20 // a report.json: 256 MiB
	MaxProfileBytes  = 64 << 20  // a heap profile a report points at: 64 MiB
)

// ErrTooLarge is wrapped by ReadFile when a file is larger than its limit.
var ErrTooLarge = errors.New("file too large")

// ErrNotRegular is wrapped by ReadFile when a path is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// ReadFile reads the regular file at path, following symlinks, and at most
// limit bytes of it. It refuses, before reading anything, a path that is not
// a regular file (a directory, FIFO, socket or device such as /dev/zero),
// wrapping ErrNotRegular, and a file larger than limit, wrapping
// ErrTooLarge. Opening never blocks on a FIFO swapped in after the check.
func ReadFile(path string, limit int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(path, fi, limit); err != nil {
		return nil, err
	}
	f, err := openNonblocking(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The path may have been replaced between Stat and open: check what was opened.
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := checkRegular(path, fi, limit); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s grew past %s while being read: %w", path, FormatLimit(limit), ErrTooLarge)
	}
	return b, nil
}

func checkRegular(path string, fi fs.FileInfo, limit int64) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is %s, %w; memprism reads only regular files (symlinks to them are followed)", path, kind(fi.Mode()), ErrNotRegular)
	}
	if fi.Size() > limit {
		return fmt.Errorf("%s is %d bytes, more than the limit of %s: %w", path, fi.Size(), FormatLimit(limit), ErrTooLarge)
	}
	return nil
}

// kind names the type of a non-regular file.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// FormatLimit formats a byte limit in binary units ("1 MiB", "256 MiB").
func FormatLimit(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
