//go:build !linux

package profiler

import "errors"

type statmRSS struct{}

func (*statmRSS) read() (uint64, uint64, uint64, error) {
	return 0, 0, 0, errors.New("profiler: no statm")
}

func openStatm() (*statmRSS, error) {
	return nil, errors.New("profiler: /proc/self/statm is Linux only")
}
