//go:build !linux

package workloads

// residentBytes is unknown without /proc: 0.
func residentBytes() uint64 { return 0 }
