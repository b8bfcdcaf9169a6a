package profiler

import (
	"fmt"
	"os"

	"github.com/shirou/gopsutil/v4/process"
)

// rssSource reads the process's resident and virtual memory sizes and the
// file-backed (shared) part of the resident set, 0 where unknown.
type rssSource interface {
	read() (rss, vms, file uint64, err error)
}

// gopsutilRSS reads memory through one gopsutil process handle created once.
// It allocates on every read (gopsutil parses /proc/self/statm into new strings),
// so it is the fallback for systems without /proc.
type gopsutilRSS struct {
	p *process.Process
}

func newGopsutilRSS() (*gopsutilRSS, error) {
	p, err := process.NewProcess(int32(os.Getpid()))
	if err != nil {
		return nil, fmt.Errorf("profiler: gopsutil process handle: %w", err)
	}
	return &gopsutilRSS{p: p}, nil
}

func (g *gopsutilRSS) read() (uint64, uint64, uint64, error) {
	mi, err := g.p.MemoryInfo()
	if err != nil {
		return 0, 0, 0, fmt.Errorf("profiler: gopsutil memory info: %w", err)
	}
	return mi.RSS, mi.VMS, 0, nil
}

// newRSSSource returns the allocation-free /proc/self/statm reader where it works and
// the gopsutil handle elsewhere; nil if neither is available.
func newRSSSource() rssSource {
	if s, err := openStatm(); err == nil {
		return s
	}
	if g, err := newGopsutilRSS(); err == nil {
		return g
	}
	return nil
}
