package worker

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/memprism/memprism/workloads"
	"go.uber.org/goleak"
)

// TestMain lets the test binary serve as the worker: Exec re-executes
// os.Args[0] with Command, as the memprism binary does.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[len(os.Args)-1] == Command {
		if err := Serve(context.Background(), workloads.Default, os.Stdin); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

func TestClassifyExit(t *testing.T) {
	tests := []struct {
		name, log, want string
	}{
		{"panic", "some output\npanic: boom\n\ngoroutine 1 [running]:\nmain.main()\n", FaultPanic},
		{"go oom", "fatal error: runtime: out of memory\n\nruntime stack:", FaultOOM},
		{"fatal", "fatal error: all goroutines are asleep - deadlock!", FaultPanic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := classifyExit(errFake{}, tt.log)
			if got != tt.want || msg == "" {
				t.Errorf("classifyExit = %s %q, want %s", got, msg, tt.want)
			}
		})
	}
}

type errFake struct{}

func (errFake) Error() string { return "exit status 2" }

// BenchmarkRunFixedCost measures one isolated run of a workload that does
// nothing: process start, job protocol, profiler, result and teardown.
func BenchmarkRunFixedCost(b *testing.B) {
	dir := b.TempDir()
	job := Job{Scenario: "fixed", Variant: "none", Workload: "fault", Params: map[string]any{"mode": "none"},
		SampleInterval: time.Millisecond, LeakThreshold: 5 << 20, Timeout: 20 * time.Second, TopN: 10}
	i := 0
	for b.Loop() {
		i++
		job.ResultPath = filepath.Join(dir, strconv.Itoa(i)+".json")
		job.ProfilePath = filepath.Join(dir, strconv.Itoa(i)+".pprof")
		o := Exec(context.Background(), os.Args[0], nil, job, Settings{GOGC: 100})
		if o.Fault != "" {
			b.Fatalf("%s: %s", o.Fault, o.Error)
		}
	}
}
