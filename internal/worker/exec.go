package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/memprism/memprism/results"
)

// Fault kinds recorded on a run that did not finish cleanly.
const (
	FaultPanic    = "panic"
	FaultExit     = "exit"
	FaultTimeout  = "timeout"
	FaultOOM      = "oom"
	FaultSignal   = "signal"
	FaultProtocol = "protocol"
	FaultWorkload = "workload"
)

// DefaultTimeout is the kill deadline of a job whose Timeout is 0.
const DefaultTimeout = 24 * time.Hour

// MaxTimeout is the longest per-run timeout Exec honours; a longer one is
// refused before the worker starts. It keeps every deadline computation far
// from time.Duration's overflow at about 292 years.
const MaxTimeout = 7 * 24 * time.Hour

// Settings is the Go runtime configuration of one worker process, passed in
// its environment so it holds from the runtime's start. Every field is
// applied as given; the harness fills it from the scenario's run settings.
type Settings struct {
	// GOGC is the collector's target percentage: -1 turns the collector off
	// (GOGC=off) and 0 is Go's own GOGC=0, a heap goal equal to the live
	// heap, so the collector runs continually.
	GOGC        int
	MemoryLimit int64 // GOMEMLIMIT in bytes; 0 sets no limit
	GOMAXPROCS  int   // 0 leaves Go's default (the CPUs the process may use)
	HardLimit   int64 // RSS in bytes past which the run is killed as out of memory; 0: none
}

// Outcome is what one worker process produced.
type Outcome struct {
	Result   *Result       // nil when the run faulted before or while reporting
	Profile  string        // the run's heap profile (valid when Result is)
	PeakRSS  int64         // from the parent's view of the child (rusage), bytes; 0 when unknown
	Wall     time.Duration // process start to exit
	Fault    string        // one of the Fault kinds, "" for a clean run
	Error    string
	Canceled bool // ctx ended the run
}

// tailBuffer keeps the first and last bytes written to it, so a panic's
// first lines survive a flood of output.
type tailBuffer struct {
	mu   sync.Mutex
	head bytes.Buffer
	tail []byte
	max  int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	if room := t.max - t.head.Len(); room > 0 {
		k := min(room, len(p))
		t.head.Write(p[:k])
		p = p[k:]
	}
	if len(p) > 0 {
		t.tail = append(t.tail, p...)
		if len(t.tail) > t.max {
			t.tail = t.tail[len(t.tail)-t.max:]
		}
	}
	return n, nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.tail) == 0 {
		return t.head.String()
	}
	return t.head.String() + "\n...\n" + string(t.tail)
}

// Exec runs one job in a fresh worker process started from bin and
// classifies how it ended. The result comes only from the job's result
// file; the worker's standard output and error serve as evidence for a
// crash, never as its result.
func Exec(ctx context.Context, bin *Binary, job Job, env Settings) Outcome {
	if job.Timeout > MaxTimeout {
		return Outcome{Fault: FaultProtocol, Error: fmt.Sprintf("timeout %s is longer than the %s a run may take", job.Timeout, MaxTimeout)}
	}
	if job.Timeout < 0 {
		return Outcome{Fault: FaultProtocol, Error: fmt.Sprintf("negative timeout %s", job.Timeout)}
	}
	if err := bin.check(); err != nil {
		return Outcome{Fault: FaultProtocol, Error: err.Error()}
	}
	job.Protocol = Version
	payload, err := json.Marshal(job)
	if err != nil {
		return Outcome{Fault: FaultProtocol, Error: fmt.Sprintf("encoding job: %v", err)}
	}
	cmd := exec.Command(bin.path, append(append([]string(nil), bin.args...), Command)...)
	cmd.Args[0] = bin.name
	cmd.Stdin = bytes.NewReader(payload)
	stderr := &tailBuffer{max: 16 << 10}
	stdout := &tailBuffer{max: 4 << 10}
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	cmd.Env = workerEnv(os.Environ(), env)
	isolate(cmd)

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Outcome{Fault: FaultProtocol, Error: fmt.Sprintf("starting worker %s: %v", bin.name, err)}
	}
	rss := rssReader(cmd.Process.Pid)
	done := make(chan struct{})
	var (
		mu     sync.Mutex
		reason string // why the parent killed the process group
		detail string
	)
	kill := func(why, msg string) {
		mu.Lock()
		if reason == "" {
			reason, detail = why, msg
		}
		mu.Unlock()
		killGroup(cmd)
	}
	go func() {
		timeout := job.Timeout
		if timeout <= 0 {
			timeout = DefaultTimeout
		}
		timer := time.NewTimer(timeout)
		defer timer.Stop()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				kill("canceled", "interrupted")
				return
			case <-timer.C:
				kill(FaultTimeout, fmt.Sprintf("run exceeded its timeout of %s and was killed", timeout))
				return
			case <-tick.C:
				if env.HardLimit > 0 {
					if rss := rss(); rss > env.HardLimit {
						kill(FaultOOM, fmt.Sprintf("out of memory: RSS %s passed the hard limit %s", results.FormatBytes(float64(rss)), results.FormatBytes(float64(env.HardLimit))))
						return
					}
				}
			}
		}
	}()
	waitErr := cmd.Wait()
	close(done)
	// Reap anything the worker left in its process group (leaked children).
	killGroup(cmd)

	out := Outcome{Wall: time.Since(start), Profile: job.ProfilePath, PeakRSS: childPeakRSS(cmd.ProcessState)}
	mu.Lock()
	why, msg := reason, detail
	mu.Unlock()
	switch {
	case why == "canceled":
		out.Canceled = true
		out.Fault, out.Error = FaultSignal, "interrupted"
		return out
	case why != "":
		out.Fault, out.Error = why, msg
		return out
	}
	if waitErr != nil {
		out.Fault, out.Error = classifyExit(exitOf(waitErr), stderr.String(), stdout.String())
		return out
	}
	res, err := readResult(job.ResultPath)
	if err != nil {
		out.Fault, out.Error = FaultProtocol, fmt.Sprintf("worker exited 0 without a valid result: %v%s", err, logExcerpt(stderr.String(), stdout.String()))
		return out
	}
	if err := checkRuntime(res.Runtime, env); err != nil {
		out.Fault, out.Error = FaultProtocol, err.Error()
		return out
	}
	out.Result = res
	if res.Error != "" {
		out.Fault, out.Error = FaultWorkload, res.Error
	}
	return out
}

// exitStatus is how a worker process ended, as far as the platform tells.
type exitStatus struct {
	code   int    // exit code; -1 when killed by a signal or unknown
	signal string // the signal's name when killed by one
	killed bool   // the signal was SIGKILL
	err    error  // the wait error when it is not an exit status at all
}

// runtimeExitCode is the exit code of a Go program that panicked or hit a
// fatal runtime error.
const runtimeExitCode = 2

// classifyExit turns a worker's abnormal exit and its standard error into a
// fault kind and a reason. Only the Go runtime's own crash report on
// standard error (exit code 2, a "panic: " or "fatal error: " line followed
// by a goroutine trace) counts as a panic: a workload that prints such text
// and exits otherwise is an exit, and standard output is never read for it.
func classifyExit(st exitStatus, stderr, stdout string) (string, string) {
	if st.err != nil {
		return FaultProtocol, st.err.Error() + logExcerpt(stderr, stdout)
	}
	if st.code == runtimeExitCode || (st.signal != "" && !st.killed) {
		if kind, msg, ok := runtimeCrash(stderr); ok {
			return kind, msg
		}
	}
	switch {
	case st.killed:
		return FaultOOM, "killed by SIGKILL (most likely the kernel's OOM killer)" + logExcerpt(stderr, stdout)
	case st.signal != "":
		return FaultSignal, "killed by signal " + st.signal + logExcerpt(stderr, stdout)
	}
	return FaultExit, fmt.Sprintf("exit status %d%s", st.code, logExcerpt(stderr, stdout))
}

// runtimeCrash finds the Go runtime's crash report in a worker's standard
// error: the last line starting with "panic: " or "fatal error: " that a
// goroutine trace ("goroutine N [", "runtime stack:") or the end of the
// output follows, for fatal errors.
func runtimeCrash(log string) (kind, msg string, ok bool) {
	lines := strings.Split(log, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		line := lines[i]
		isPanic := strings.HasPrefix(line, "panic: ")
		isFatal := strings.HasPrefix(line, "fatal error: ")
		if !isPanic && !isFatal {
			continue
		}
		traced := false
		for _, next := range lines[i+1:] {
			if strings.HasPrefix(next, "goroutine ") || strings.HasPrefix(next, "runtime stack:") {
				traced = true
				break
			}
		}
		if !traced && !(isFatal && strings.TrimSpace(strings.Join(lines[i+1:], "")) == "") {
			continue
		}
		// A panic report may start with earlier "panic: ... [recovered]" lines.
		for isPanic && i > 0 && strings.HasPrefix(lines[i-1], "panic: ") {
			i--
		}
		msg := firstLines(strings.Join(lines[i:], "\n"), 6)
		for _, oom := range []string{"fatal error: runtime: out of memory", "fatal error: runtime: cannot allocate memory"} {
			if strings.HasPrefix(line, oom) {
				return FaultOOM, firstLines(msg, 2), true
			}
		}
		return FaultPanic, msg, true
	}
	return "", "", false
}

// logExcerpt is the last lines of the worker's standard error, or of its
// standard output when it wrote nothing on standard error.
func logExcerpt(stderr, stdout string) string {
	log := strings.TrimSpace(stderr)
	if log == "" {
		log = strings.TrimSpace(stdout)
	}
	if log == "" {
		return ""
	}
	lines := strings.Split(log, "\n")
	if len(lines) > 4 {
		lines = lines[len(lines)-4:]
	}
	return ": " + strings.Join(lines, " | ")
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(strings.TrimSpace(s), "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], "\r\t ")
	}
	return strings.Join(lines, "\n")
}

func readResult(path string) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodeResult(f)
}

// checkRuntime compares the runtime configuration a worker reported with the
// one it was started with, so a setting that was accepted but not applied
// fails the run instead of measuring something else.
func checkRuntime(got Runtime, want Settings) error {
	var bad []string
	if wantGC := max(want.GOGC, -1); got.GOGC != wantGC {
		bad = append(bad, fmt.Sprintf("GOGC %s, want %s", gogcString(got.GOGC), gogcString(wantGC)))
	}
	wantLimit := int64(math.MaxInt64)
	if want.MemoryLimit > 0 {
		wantLimit = want.MemoryLimit
	}
	if got.MemoryLimit != wantLimit {
		bad = append(bad, fmt.Sprintf("GOMEMLIMIT %d, want %d", got.MemoryLimit, wantLimit))
	}
	if want.GOMAXPROCS > 0 && got.GOMAXPROCS != want.GOMAXPROCS {
		bad = append(bad, fmt.Sprintf("GOMAXPROCS %d, want %d", got.GOMAXPROCS, want.GOMAXPROCS))
	}
	if len(bad) > 0 {
		return fmt.Errorf("the worker ran with other runtime settings than asked: %s", strings.Join(bad, "; "))
	}
	return nil
}

func gogcString(p int) string {
	if p < 0 {
		return "off"
	}
	return strconv.Itoa(p)
}

// workerEnv returns the parent's environment with the run's Go runtime
// settings in place of any the parent had.
func workerEnv(base []string, env Settings) []string {
	out := make([]string, 0, len(base)+3)
	for _, kv := range base {
		if strings.HasPrefix(kv, "GOGC=") || strings.HasPrefix(kv, "GOMEMLIMIT=") || strings.HasPrefix(kv, "GOMAXPROCS=") {
			continue
		}
		out = append(out, kv)
	}
	out = append(out, "GOGC="+gogcString(env.GOGC))
	if env.MemoryLimit > 0 {
		out = append(out, "GOMEMLIMIT="+strconv.FormatInt(env.MemoryLimit, 10))
	}
	if env.GOMAXPROCS > 0 {
		out = append(out, "GOMAXPROCS="+strconv.Itoa(env.GOMAXPROCS))
	}
	return out
}

// exitOf reads a wait error as an exit status.
func exitOf(waitErr error) exitStatus {
	var ee *exec.ExitError
	if !errors.As(waitErr, &ee) {
		return exitStatus{code: -1, err: waitErr}
	}
	st := exitStatus{code: ee.ExitCode()}
	st.signal, st.killed = signalOf(ee.ProcessState)
	return st
}
