//go:build !linux

package worker

import "github.com/shirou/gopsutil/v4/process"

// gopsutilRSS returns a reader of a process's resident set size through one
// gopsutil handle, which returns 0 when unknown.
func gopsutilRSS(pid int) func() int64 {
	p, err := process.NewProcess(int32(pid))
	if err != nil {
		return func() int64 { return 0 }
	}
	return func() int64 {
		mi, err := p.MemoryInfo()
		if err != nil || mi == nil {
			return 0
		}
		return int64(mi.RSS)
	}
}
