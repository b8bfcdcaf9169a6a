// Package worker is the seam between the harness and the worker process
// that runs one job: one fresh process per run, started from the very
// binary that started the suite.
//
// The protocol (Version 1), from the parent's side (Exec) and the worker's
// (Serve):
//
//  1. The parent pins its binary once per suite (Self): /proc/self/exe on
//     Linux, the running file whatever happens to its path afterwards.
//  2. The parent encodes a Job as one JSON object with protocol = Version
//     and starts the binary with the hidden Command as its last argument,
//     the job on standard input, and GOGC, GOMEMLIMIT and GOMAXPROCS from
//     Settings in the environment (the parent's own values never leak in).
//  3. The worker reads the job (at most MaxJobSize bytes, unknown fields
//     and trailing data refused) and refuses a protocol version other than
//     its own with an error on standard error and a non-zero exit.
//  4. Before running anything, the worker reads back the runtime settings
//     it actually got (runtime/metrics /gc/gogc:percent,
//     /gc/gomemlimit:bytes, runtime.GOMAXPROCS(0)).
//  5. The worker runs the workload under the profiler, cancelling its own
//     context at 95% of the job's timeout, and writes a Result (protocol =
//     Version) atomically to the job's result file: the result's only
//     channel. Standard output and error belong to the workload.
//  6. The parent kills the worker's process group at the timeout, on
//     cancellation, or when its RSS passes Settings.HardLimit (sampled every
//     10ms), and otherwise waits for it to exit.
//  7. Exit 0: the parent reads the result file (at most MaxResultSize bytes,
//     the version checked, metrics finite, timeline series aligned) and
//     compares the runtime settings the worker reported with those asked
//     for; any mismatch is a protocol fault. A result's own error is a
//     workload fault.
//  8. Any other exit is classified from the exit status and standard error
//     only: exit code 2 with the Go runtime's "panic: " or "fatal error: "
//     report followed by a goroutine trace is a panic (or out of memory);
//     SIGKILL is most likely the kernel's OOM killer; anything else is an
//     exit or signal fault quoting the last lines of output. Text a workload
//     prints never turns a clean run into a crash.
//
// What does not work off Linux (the package builds for every GOOS; the
// harness's tests run on Linux):
//   - The binary is found by its path (os.Executable), not pinned: a binary
//     deleted or replaced mid-suite makes the remaining runs fail with a
//     protocol fault saying so, rather than running the new code.
//   - There is no parent-death signal: a worker whose parent was killed
//     outright runs until its job's context ends or it exits. On Windows
//     there are no process groups either: only the worker itself is killed,
//     not processes it started.
//   - peak_rss_bytes is not the kernel's VmHWM (which is not reset before
//     the workload either): on other Unix systems the larger of getrusage's
//     ru_maxrss and the sampled peak, on Windows the sampled peak alone; the
//     hard-limit watchdog reads RSS through gopsutil instead of
//     /proc/<pid>/statm.
//   - Signals do not exist on Windows: a killed worker is an exit fault.
package worker
