package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
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

// Settings is the per-run environment of a worker process.
type Settings struct {
	GOGC        int
	MemoryLimit int64
	GOMAXPROCS  int
	HardLimit   int64 // RSS past which the run is killed as out of memory
}

// Outcome is what one worker process produced.
type Outcome struct {
	Result   *Result
	Profile  string        // the run's heap profile (valid when Result is)
	PeakRSS  int64         // from rusage, bytes
	Wall     time.Duration // process start to exit
	Fault    string
	Error    string
	Canceled bool
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

// Exec runs one job in a fresh worker process and classifies how it ended.
func Exec(ctx context.Context, exe string, args []string, job Job, env Settings) Outcome {
	payload, err := json.Marshal(job)
	if err != nil {
		return Outcome{Fault: FaultProtocol, Error: fmt.Sprintf("encoding job: %v", err)}
	}
	cmd := exec.Command(exe, append(append([]string(nil), args...), Command)...)
	cmd.Stdin = bytes.NewReader(payload)
	stderr := &tailBuffer{max: 16 << 10}
	cmd.Stdout = stderr
	cmd.Stderr = stderr
	cmd.Env = workerEnv(os.Environ(), env)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Outcome{Fault: FaultProtocol, Error: fmt.Sprintf("starting worker %s: %v", exe, err)}
	}
	pid := cmd.Process.Pid
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
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}
	go func() {
		timeout := job.Timeout
		if timeout <= 0 {
			timeout = 24 * time.Hour
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
				kill(FaultTimeout, fmt.Sprintf("run exceeded its timeout of %s and was killed", job.Timeout))
				return
			case <-tick.C:
				if env.HardLimit > 0 {
					if rss := readRSS(pid); rss > env.HardLimit {
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
	_ = syscall.Kill(-pid, syscall.SIGKILL)

	out := Outcome{Wall: time.Since(start), Profile: job.ProfilePath}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru != nil {
		out.PeakRSS = ru.Maxrss * 1024 // Linux reports kilobytes
	}
	mu.Lock()
	why, msg := reason, detail
	mu.Unlock()
	log := stderr.String()
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
		out.Fault, out.Error = classifyExit(waitErr, log)
		return out
	}
	res, err := readResult(job.ResultPath)
	if err != nil {
		out.Fault, out.Error = FaultProtocol, fmt.Sprintf("worker exited 0 without a valid result: %v%s", err, logExcerpt(log))
		return out
	}
	out.Result = res
	if res.Error != "" {
		out.Fault, out.Error = FaultWorkload, res.Error
	}
	return out
}

// classifyExit turns a worker's abnormal exit and its output into a fault kind and a reason.
func classifyExit(waitErr error, log string) (string, string) {
	if i := strings.Index(log, "panic: "); i >= 0 {
		return FaultPanic, firstLines(log[i:], 6)
	}
	for _, marker := range []string{"fatal error: runtime: out of memory", "fatal error: runtime: cannot allocate memory"} {
		if i := strings.Index(log, marker); i >= 0 {
			return FaultOOM, firstLines(log[i:], 2)
		}
	}
	if i := strings.Index(log, "fatal error: "); i >= 0 {
		return FaultPanic, firstLines(log[i:], 6)
	}
	var ee *exec.ExitError
	if errors.As(waitErr, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			sig := ws.Signal()
			if sig == syscall.SIGKILL {
				return FaultOOM, "killed by SIGKILL (most likely the kernel's OOM killer)" + logExcerpt(log)
			}
			return FaultSignal, "killed by signal " + sig.String() + logExcerpt(log)
		}
		return FaultExit, fmt.Sprintf("exit status %d%s", ee.ExitCode(), logExcerpt(log))
	}
	return FaultProtocol, waitErr.Error()
}

func logExcerpt(log string) string {
	log = strings.TrimSpace(log)
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
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", filepath.Base(path), err)
	}
	return &r, nil
}

// workerEnv returns the parent's environment with the run's Go runtime settings.
func workerEnv(base []string, env Settings) []string {
	out := make([]string, 0, len(base)+3)
	for _, kv := range base {
		if strings.HasPrefix(kv, "GOGC=") || strings.HasPrefix(kv, "GOMEMLIMIT=") || strings.HasPrefix(kv, "GOMAXPROCS=") {
			continue
		}
		out = append(out, kv)
	}
	if env.GOGC < 0 {
		out = append(out, "GOGC=off")
	} else if env.GOGC > 0 {
		out = append(out, "GOGC="+strconv.Itoa(env.GOGC))
	}
	if env.MemoryLimit > 0 {
		out = append(out, "GOMEMLIMIT="+strconv.FormatInt(env.MemoryLimit, 10))
	}
	if env.GOMAXPROCS > 0 {
		out = append(out, "GOMAXPROCS="+strconv.Itoa(env.GOMAXPROCS))
	}
	return out
}

// readRSS returns a process's resident set size from /proc, or 0 when unknown.
func readRSS(pid int) int64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
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
	return pages * int64(os.Getpagesize())
}
