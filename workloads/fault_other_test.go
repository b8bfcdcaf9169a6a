//go:build !linux

package workloads

import "testing"

// limitAddressSpace needs /proc/self/status and RLIMIT_AS, which only the
// Linux build has; TestFaultSubprocess skips the oom case elsewhere.
func limitAddressSpace(t *testing.T, extra uint64) {
	t.Helper()
	t.Skipf("limiting the address space to %d more bytes is Linux-only", extra)
}
