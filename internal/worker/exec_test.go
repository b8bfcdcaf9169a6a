package worker

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/memprism/memprism/workloads"
	"go.uber.org/goleak"
)

// TestMain lets the test binary serve as the worker: Exec re-executes it
// with Command, as the memprism binary does.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[len(os.Args)-1] == Command {
		if err := Serve(context.Background(), testRegistry(), os.Stdin); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

// testRegistry is the default registry plus "echo", a workload that writes
// text to its standard output and error and then returns or exits.
func testRegistry() *workloads.Registry {
	reg := workloads.NewRegistry()
	for _, k := range workloads.Default.Kinds() {
		reg.MustRegister(k)
	}
	reg.MustRegister(workloads.Kind{
		Name: "echo", Doc: "prints stdout and stderr, then returns normally or exits with exit_code",
		Params: []workloads.ParamSpec{
			{Name: "stdout", Type: workloads.String, Default: "", Doc: "text for standard output"},
			{Name: "stderr", Type: workloads.String, Default: "", Doc: "text for standard error"},
			{Name: "exit_code", Type: workloads.Int, Default: int64(-1), Doc: "exit status; -1 returns normally", Min: -1, Max: 255},
		},
		Run: func(ctx context.Context, r *workloads.Run) error {
			fmt.Fprint(os.Stdout, r.Params.String("stdout"))
			fmt.Fprint(os.Stderr, r.Params.String("stderr"))
			if c := r.Params.Int("exit_code"); c >= 0 {
				os.Exit(int(c))
			}
			r.AddOps(1)
			return nil
		},
	})
	return reg
}

// self is the test binary as the worker binary.
func self(t testing.TB) *Binary {
	t.Helper()
	b, err := At(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// job is a quick job of kind with params, its files in t's temporary directory.
func job(t testing.TB, kind string, params map[string]any) Job {
	dir := t.TempDir()
	return Job{Workload: kind, Params: params, SampleInterval: time.Millisecond, LeakThreshold: 5 << 20,
		Timeout: 20 * time.Second, ResultPath: filepath.Join(dir, "result.json"), ProfilePath: filepath.Join(dir, "heap.pprof"), TopN: 5}
}

const goPanic = "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/x/main.go:5 +0x1d\nexit status 2\n"

func TestClassifyExit(t *testing.T) {
	exit := func(code int) exitStatus { return exitStatus{code: code} }
	tests := []struct {
		name           string
		st             exitStatus
		stderr, stdout string
		want, msg      string
	}{
		{"go panic", exit(2), "some output\n" + goPanic, "", FaultPanic, "panic: boom"},
		{"nested panic", exit(2), "panic: first [recovered]\n\tpanic: second\n\ngoroutine 1 [running]:\n", "", FaultPanic, "panic: first [recovered]"},
		{"go out of memory", exit(2), "fatal error: runtime: out of memory\n\nruntime stack:\n", "", FaultOOM, "out of memory"},
		{"deadlock", exit(2), "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\n", "", FaultPanic, "deadlock"},
		{"fatal error, no trace", exit(2), "fatal error: all goroutines are asleep - deadlock!\n", "", FaultPanic, "deadlock"},
		{"printed panic text, exit 7", exit(7), "panic: not a panic\n", "", FaultExit, "exit status 7"},
		{"printed panic text on stdout, exit 7", exit(7), "", "panic: not a panic\n\ngoroutine 1 [running]:\n", FaultExit, "exit status 7"},
		{"printed panic text without trace, exit 2", exit(2), "panic: not a panic\n", "", FaultExit, "exit status 2"},
		{"printed panic, then a real one", exit(2), "panic: printed\nmore output\n" + goPanic, "", FaultPanic, "panic: boom"},
		{"panic under GOTRACEBACK=crash", exitStatus{code: -1, signal: "aborted"}, goPanic, "", FaultPanic, "panic: boom"},
		{"SIGKILL", exitStatus{code: -1, signal: "killed", killed: true}, "", "", FaultOOM, "SIGKILL"},
		{"SIGSEGV without report", exitStatus{code: -1, signal: "segmentation fault"}, "", "", FaultSignal, "segmentation fault"},
		{"not an exit", exitStatus{code: -1, err: fmt.Errorf("wait: no child")}, "", "", FaultProtocol, "no child"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := classifyExit(tt.st, tt.stderr, tt.stdout)
			if got != tt.want || !strings.Contains(msg, tt.msg) {
				t.Errorf("classifyExit = %s %q, want %s containing %q", got, msg, tt.want, tt.msg)
			}
		})
	}
}

// TestExecClassifiesFromItsOwnChannels runs workers that print a runtime
// crash report they did not have: only a real panic is a panic.
func TestExecClassifiesFromItsOwnChannels(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes")
	}
	fake := "panic: not really\n\ngoroutine 1 [running]:\nmain.main()\n"
	tests := []struct {
		name, kind string
		params     map[string]any
		fault, msg string
	}{
		{"prints a panic, exits 0 with a result", "echo", map[string]any{"stdout": fake, "stderr": fake}, "", ""},
		{"prints a panic, exits 7", "echo", map[string]any{"stdout": fake, "stderr": fake, "exit_code": 7}, FaultExit, "exit status 7"},
		{"prints a panic, exits 0 without a result", "echo", map[string]any{"stderr": fake, "exit_code": 0}, FaultProtocol, "without a valid result"},
		{"really panics", "fault", map[string]any{"mode": "panic"}, FaultPanic, "injected panic"},
		{"workload error", "fault", map[string]any{"mode": "bogus"}, FaultWorkload, "mode"},
	}
	bin := self(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := Exec(context.Background(), bin, job(t, tt.kind, tt.params), Settings{GOGC: 100})
			if o.Fault != tt.fault || !strings.Contains(o.Error, tt.msg) {
				t.Fatalf("fault %q %q, want %q containing %q", o.Fault, o.Error, tt.fault, tt.msg)
			}
			if tt.fault == "" && (o.Result == nil || o.Result.Metrics["ops"] != 1) {
				t.Errorf("clean run without its result: %+v", o.Result)
			}
		})
	}
}

// TestExecAppliesRuntimeSettings reads back, from inside each worker, the
// runtime configuration it ran with; the parent's own GOGC, GOMEMLIMIT and
// GOMAXPROCS never reach a worker.
func TestExecAppliesRuntimeSettings(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes")
	}
	t.Setenv("GOGC", "400")
	t.Setenv("GOMEMLIMIT", "1GiB")
	t.Setenv("GOMAXPROCS", "1")
	tests := []struct {
		name string
		give Settings
		want Runtime
	}{
		{"gogc 0 collects continually", Settings{GOGC: 0}, Runtime{GOGC: 0, MemoryLimit: math.MaxInt64}},
		{"gogc off", Settings{GOGC: -1}, Runtime{GOGC: -1, MemoryLimit: math.MaxInt64}},
		{"gogc 100, no limit", Settings{GOGC: 100}, Runtime{GOGC: 100, MemoryLimit: math.MaxInt64}},
		{"all set", Settings{GOGC: 50, MemoryLimit: 256 << 20, GOMAXPROCS: 3}, Runtime{GOGC: 50, MemoryLimit: 256 << 20, GOMAXPROCS: 3}},
	}
	bin := self(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := Exec(context.Background(), bin, job(t, "fault", map[string]any{"mode": "none"}), tt.give)
			if o.Fault != "" {
				t.Fatalf("%s: %s", o.Fault, o.Error)
			}
			got := o.Result.Runtime
			if tt.want.GOMAXPROCS == 0 {
				tt.want.GOMAXPROCS = got.GOMAXPROCS // Go's default, whatever this machine gives
				if got.GOMAXPROCS == 1 && runtime.NumCPU() > 1 {
					t.Errorf("GOMAXPROCS 1: the parent's GOMAXPROCS reached the worker")
				}
			}
			if got != tt.want {
				t.Errorf("worker ran with %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCheckRuntime(t *testing.T) {
	tests := []struct {
		name string
		got  Runtime
		want Settings
		err  string
	}{
		{"match", Runtime{GOGC: 0, MemoryLimit: math.MaxInt64, GOMAXPROCS: 8}, Settings{GOGC: 0}, ""},
		{"gogc 0 asked, 100 ran", Runtime{GOGC: 100, MemoryLimit: math.MaxInt64}, Settings{GOGC: 0}, "GOGC 100, want 0"},
		{"off asked", Runtime{GOGC: 100, MemoryLimit: math.MaxInt64}, Settings{GOGC: -1}, "want off"},
		{"limit lost", Runtime{GOGC: 100, MemoryLimit: math.MaxInt64}, Settings{GOGC: 100, MemoryLimit: 1 << 30}, "GOMEMLIMIT"},
		{"procs lost", Runtime{GOGC: 100, MemoryLimit: math.MaxInt64, GOMAXPROCS: 2}, Settings{GOGC: 100, GOMAXPROCS: 4}, "GOMAXPROCS 2, want 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkRuntime(tt.got, tt.want)
			if (tt.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("checkRuntime = %v, want %q", err, tt.err)
			}
		})
	}
}

func TestWorkerEnv(t *testing.T) {
	base := []string{"PATH=/bin", "GOGC=400", "GOMEMLIMIT=1GiB", "GOMAXPROCS=1"}
	tests := []struct {
		give Settings
		want string
	}{
		{Settings{GOGC: 0}, "PATH=/bin GOGC=0"},
		{Settings{GOGC: -1}, "PATH=/bin GOGC=off"},
		{Settings{GOGC: 100, MemoryLimit: 512 << 20, GOMAXPROCS: 2}, "PATH=/bin GOGC=100 GOMEMLIMIT=536870912 GOMAXPROCS=2"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := strings.Join(workerEnv(base, tt.give), " "); got != tt.want {
				t.Errorf("workerEnv = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestExecTimeouts: a timeout past MaxTimeout is refused at once with a
// message; the longest one allowed runs normally (no overflow); a hang is
// killed at its timeout.
func TestExecTimeouts(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes")
	}
	bin := self(t)
	tests := []struct {
		name    string
		timeout time.Duration
		mode    string
		fault   string
		msg     string
		within  time.Duration
	}{
		{"27000h refused", 27000 * time.Hour, "none", FaultProtocol, "longer than the 168h0m0s", time.Second},
		{"largest duration refused", time.Duration(math.MaxInt64), "none", FaultProtocol, "longer than", time.Second},
		{"negative refused", -time.Second, "none", FaultProtocol, "negative", time.Second},
		{"MaxTimeout runs", MaxTimeout, "none", "", "", 15 * time.Second},
		{"hang killed", 300 * time.Millisecond, "hang", FaultTimeout, "timeout of 300ms", 15 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := job(t, "fault", map[string]any{"mode": tt.mode})
			j.Timeout = tt.timeout
			start := time.Now()
			o := Exec(context.Background(), bin, j, Settings{GOGC: 100})
			if o.Fault != tt.fault || !strings.Contains(o.Error, tt.msg) {
				t.Errorf("fault %q %q, want %q containing %q", o.Fault, o.Error, tt.fault, tt.msg)
			}
			if d := time.Since(start); d > tt.within {
				t.Errorf("took %s, want within %s", d, tt.within)
			}
		})
	}
}

// TestServeLargestTimeout runs a job in-process with the largest duration
// as its timeout: the worker's own deadline must not overflow into the past.
func TestServeLargestTimeout(t *testing.T) {
	j := job(t, "fault", map[string]any{"mode": "none"})
	j.Protocol, j.Timeout = Version, time.Duration(math.MaxInt64)
	payload := mustJSON(t, j)
	if err := Serve(context.Background(), nil, strings.NewReader(payload)); err != nil {
		t.Fatal(err)
	}
	res, err := readResult(j.ResultPath)
	if err != nil {
		t.Fatal(err)
	}
	if res.Error != "" {
		t.Errorf("workload error %q: the deadline overflowed", res.Error)
	}
}

func TestServeRefusesOtherVersions(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, job, want string }{
		{"newer", `{"protocol": 2, "result_path": "x"}`, "version 2, this binary speaks 1"},
		{"none", `{"result_path": "x"}`, "no protocol version"},
		{"unknown field", `{"protocol": 1, "result_path": "x", "surprise": 1}`, "unknown field"},
		{"trailing data", `{"protocol": 1, "result_path": "x"} {}`, "after top-level value"},
		{"no result path", `{"protocol": 1}`, "no result_path"},
		{"too large", `{"protocol": 1, "scenario": "` + strings.Repeat("a", MaxJobSize) + `"}`, "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Serve(context.Background(), nil, strings.NewReader(strings.ReplaceAll(tt.job, `"x"`, strconv.Quote(filepath.Join(dir, "r.json")))))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Serve = %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "r.json")); err == nil {
		t.Error("a refused job wrote a result")
	}
}

func TestDecodeResult(t *testing.T) {
	tests := []struct{ name, give, want string }{
		{"ok", `{"protocol":1,"metrics":{"ops":3},"timeline":{"t_seconds":[0,1],"heap_bytes":[1,2],"rss_bytes":[],"goroutines":null}}`, ""},
		{"older version", `{"protocol":0,"metrics":{}}`, "version 0"},
		{"no version", `{"metrics":{}}`, "no protocol version"},
		{"ragged timeline", `{"protocol":1,"timeline":{"t_seconds":[0,1],"heap_bytes":[1]}}`, "2 times but 1 heap_bytes"},
		{"unnamed metric", `{"protocol":1,"metrics":{"":1}}`, "without a name"},
		{"negative bytes", `{"protocol":1,"metrics":{"peak_heap_bytes":-1}}`, "metric peak_heap_bytes: -1 is negative"},
		{"absurd count", `{"protocol":1,"metrics":{"gc_cycles":1e308}}`, "metric gc_cycles: 1e+308 is out of range"},
		{"negative growth", `{"protocol":1,"metrics":{"growth_bytes":-4096}}`, ""},
		{"not an object", `[1]`, "decoding result"},
		{"unknown field", `{"protocol":1,"metricz":{}}`, "unknown field"},
		{"empty", ``, "decoding result"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeResult(strings.NewReader(tt.give))
			if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("decodeResult = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestBinaryChanged: a binary named by its path is checked before every
// run; deleted or replaced, the run is refused with a message.
func TestBinaryChanged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "memprism")
	if err := os.WriteFile(path, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := At(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.check(); err != nil {
		t.Fatalf("unchanged binary refused: %v", err)
	}
	if err := os.Rename(path, path+".old"); err != nil {
		t.Fatal(err)
	}
	if err := b.check(); err == nil || !strings.Contains(err.Error(), "gone") {
		t.Errorf("deleted binary: %v, want an error saying it is gone", err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := b.check(); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("replaced binary: %v, want an error saying it changed", err)
	}
	o := Exec(context.Background(), b, job(t, "fault", nil), Settings{GOGC: 100})
	if o.Fault != FaultProtocol || !strings.Contains(o.Error, "changed since the suite started") {
		t.Errorf("Exec of a replaced binary: %s %q", o.Fault, o.Error)
	}
	if _, err := At(dir); err == nil {
		t.Error("a directory accepted as the worker binary")
	}
}

func TestSelfIsPinnedOnLinux(t *testing.T) {
	b, err := Self()
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS == "linux" && (b.path != "/proc/self/exe" || b.identity != nil) {
		t.Errorf("Self on Linux = %q (identity %v), want /proc/self/exe", b.path, b.identity != nil)
	}
}

// BenchmarkRunFixedCost measures one isolated run of a workload that does
// nothing: process start, job protocol, profiler, result and teardown.
func BenchmarkRunFixedCost(b *testing.B) {
	bin := self(b)
	j := job(b, "fault", map[string]any{"mode": "none"})
	dir := filepath.Dir(j.ResultPath)
	i := 0
	for b.Loop() {
		i++
		j.ResultPath = filepath.Join(dir, strconv.Itoa(i)+".json")
		j.ProfilePath = filepath.Join(dir, strconv.Itoa(i)+".pprof")
		o := Exec(context.Background(), bin, j, Settings{GOGC: 100})
		if o.Fault != "" {
			b.Fatalf("%s: %s", o.Fault, o.Error)
		}
	}
}
