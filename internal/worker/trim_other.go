//go:build !linux

package worker

// dropCleanFilePages does nothing where /proc/self/maps does not exist.
func dropCleanFilePages() (int64, error) { return 0, nil }

// resetPeakRSS does nothing without /proc/self/clear_refs.
func resetPeakRSS() error { return nil }
