//go:build !linux

package profiler

import (
	"fmt"
	"os"

	"github.com/shirou/gopsutil/v4/process"
)

// gopsutilRSS reads memory through one gopsutil process handle created once.
// It allocates on every read, so it serves systems without /proc/self/statm.
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

// newRSSSource returns the gopsutil handle, or nil if it is not available.
func newRSSSource() rssSource {
	if g, err := newGopsutilRSS(); err == nil {
		return g
	}
	return nil
}
