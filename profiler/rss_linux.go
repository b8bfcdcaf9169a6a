//go:build linux

package profiler

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// statmRSS reads /proc/self/statm with pread into a fixed buffer: no allocation per read.
// Its fields are size, resident and shared pages; shared is RssFile + RssShmem of
// /proc/self/status (file-backed pages: the binary, mapped files), so resident minus
// shared is RssAnon (heap, stacks).
type statmRSS struct {
	f    *os.File
	page uint64
	buf  [256]byte
}

func openStatm() (*statmRSS, error) {
	f, err := os.Open("/proc/self/statm")
	if err != nil {
		return nil, fmt.Errorf("profiler: open statm: %w", err)
	}
	s := &statmRSS{f: f, page: uint64(os.Getpagesize())}
	if _, _, _, err := s.read(); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

var errStatm = errors.New("profiler: malformed /proc/self/statm")

func (s *statmRSS) read() (uint64, uint64, uint64, error) {
	n, err := s.f.ReadAt(s.buf[:], 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, 0, 0, fmt.Errorf("profiler: read statm: %w", err)
	}
	vms, rest, ok := parseUint(s.buf[:n])
	if !ok {
		return 0, 0, 0, errStatm
	}
	rss, rest, ok := parseUint(rest)
	if !ok {
		return 0, 0, 0, errStatm
	}
	shared, _, ok := parseUint(rest)
	if !ok {
		return 0, 0, 0, errStatm
	}
	return rss * s.page, vms * s.page, shared * s.page, nil
}

// parseUint parses leading spaces and a decimal number, returning the rest of b.
func parseUint(b []byte) (uint64, []byte, bool) {
	i := 0
	for i < len(b) && b[i] == ' ' {
		i++
	}
	start := i
	var v uint64
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		v = v*10 + uint64(b[i]-'0')
		i++
	}
	return v, b[i:], i > start
}

// newRSSSource returns the allocation-free /proc/self/statm reader, or nil
// when /proc is not mounted. gopsutil is not linked on Linux: its process
// package pulls in os/user and net, which need cgo and libc, whose pages
// would sit in the resident set of every process that embeds the profiler.
func newRSSSource() rssSource {
	if s, err := openStatm(); err == nil {
		return s
	}
	return nil
}
