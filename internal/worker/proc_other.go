//go:build !unix

package worker

import (
	"os"
	"os/exec"
)

// pinnedSelf returns "": without /proc/self/exe the binary is found by its
// path and checked before every run (see Self).
func pinnedSelf() string { return "" }

// isolate does nothing here: there are no process groups to put the worker
// in, and no parent-death signal.
func isolate(*exec.Cmd) {}

// killGroup kills the worker process; processes it started itself are not
// reached.
func killGroup(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

// childPeakRSS returns 0: the platform gives no peak RSS of a child.
func childPeakRSS(*os.ProcessState) int64 { return 0 }

// signalOf reports no signal: processes here end with an exit code.
func signalOf(*os.ProcessState) (string, bool) { return "", false }

// rssReader returns a reader of a process's resident set size in bytes
// (through gopsutil), which returns 0 when unknown.
func rssReader(pid int) func() int64 { return gopsutilRSS(pid) }

// selfPeakRSS returns 0: the peak RSS of the worker is not read here.
func selfPeakRSS() int64 { return 0 }
