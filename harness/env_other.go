//go:build !linux

package harness

import (
	"runtime"

	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/mem"
)

// cpuModel returns the CPU's model name through gopsutil, or GOARCH when unknown.
func cpuModel() string {
	if info, err := cpu.Info(); err == nil && len(info) > 0 && info[0].ModelName != "" {
		return info[0].ModelName
	}
	return runtime.GOARCH
}

// machineMemory returns the machine's total memory in bytes through
// gopsutil, or 0 when unknown (no hard memory limit then).
func machineMemory() uint64 {
	if vm, err := mem.VirtualMemory(); err == nil && vm != nil {
		return vm.Total
	}
	return 0
}
