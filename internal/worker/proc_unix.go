//go:build unix && !linux

package worker

import (
	"os"
	"os/exec"
	"runtime"
	"syscall"
)

// pinnedSelf returns "": without /proc/self/exe the binary is found by its
// path and checked before every run (see Self).
func pinnedSelf() string { return "" }

// isolate puts the worker in its own process group, so the parent can kill
// it with everything it started. There is no parent-death signal here: a
// worker whose parent was killed outright runs on until its job's context
// ends (a little before its timeout) or it exits.
func isolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup kills the worker's whole process group.
func killGroup(cmd *exec.Cmd) {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

// maxrssBytes converts ru_maxrss to bytes: Darwin reports bytes, the BSDs kilobytes.
func maxrssBytes(v int64) int64 {
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return v
	}
	return v * 1024
}

// childPeakRSS is the child's ru_maxrss in bytes, or 0 when unknown.
func childPeakRSS(ps *os.ProcessState) int64 {
	if ps == nil {
		return 0
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok && ru != nil {
		return maxrssBytes(int64(ru.Maxrss))
	}
	return 0
}

// signalOf reports the signal that ended a process, if one did.
func signalOf(ps *os.ProcessState) (name string, killed bool) {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return ws.Signal().String(), ws.Signal() == syscall.SIGKILL
	}
	return "", false
}

// rssReader returns a reader of a process's resident set size in bytes
// (through gopsutil), which returns 0 when unknown.
func rssReader(pid int) func() int64 { return gopsutilRSS(pid) }

// selfPeakRSS returns this process's peak resident set size from
// getrusage(RUSAGE_SELF), or 0 when unknown.
func selfPeakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return maxrssBytes(int64(ru.Maxrss))
}
