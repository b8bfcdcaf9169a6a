package worker

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

// pinnedSelf returns /proc/self/exe when it can be executed: it names the
// running binary's own file, deleted or replaced or not.
func pinnedSelf() string {
	const self = "/proc/self/exe"
	if _, err := os.Stat(self); err != nil {
		return ""
	}
	return self
}

// isolate puts the worker in its own process group, so the parent can kill
// it with everything it started, and has the kernel kill it should the
// parent die first.
func isolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup kills the worker's whole process group.
func killGroup(cmd *exec.Cmd) {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

// childPeakRSS is the child's ru_maxrss (kilobytes on Linux) in bytes. It is
// an upper bound: on Linux it starts from the parent's RSS at fork.
func childPeakRSS(ps *os.ProcessState) int64 {
	if ps == nil {
		return 0
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok && ru != nil {
		return ru.Maxrss * 1024
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
// (/proc/<pid>/statm), which returns 0 when unknown.
func rssReader(pid int) func() int64 {
	path := "/proc/" + strconv.Itoa(pid) + "/statm"
	page := int64(os.Getpagesize())
	return func() int64 {
		data, err := os.ReadFile(path)
		if err != nil {
			return 0
		}
		f := strings.Fields(string(data))
		if len(f) < 2 {
			return 0
		}
		pages, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return 0
		}
		return pages * page
	}
}

// selfPeakRSS returns this process's peak resident set size (VmHWM of
// /proc/self/status), or 0 when unknown. The parent's rusage is not used
// for it: on Linux a child's ru_maxrss starts from the parent's RSS at fork,
// because exec records the address space it replaces (the parent's, shared
// by vfork) into the child's maximum, so a small run would report the
// memprism parent's own RSS.
func selfPeakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			f := strings.Fields(string(rest))
			if len(f) == 2 && f[1] == "kB" {
				if kb, err := strconv.ParseInt(f[0], 10, 64); err == nil {
					return kb << 10
				}
			}
		}
	}
	return 0
}
