package workloads

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// faultEnv names the environment variable that turns TestFaultChild into
// the child process of TestFaultSubprocess: its value is the fault mode.
const faultEnv = "MEMPRISM_TEST_FAULT"

// TestFaultChild runs the fault kind in a child process started by
// TestFaultSubprocess; it does nothing in a normal test run. Faults that
// end the process (panic, exit, oom) or never end (hang) cannot run in the
// test process itself.
func TestFaultChild(t *testing.T) {
	mode := os.Getenv(faultEnv)
	if mode == "" {
		t.Skip("runs only as the child of TestFaultSubprocess")
	}
	if mode == FaultOOM {
		limitAddressSpace(t, 256<<20)
	}
	_, err := Default.Run(context.Background(), "fault", map[string]any{"mode": mode, "after": "1ms", "exit_code": 7, "oom_chunk": "16MiB"})
	t.Fatalf("fault %s returned: %v", mode, err)
}

func TestFaultSubprocess(t *testing.T) {
	if os.Getenv(faultEnv) != "" {
		t.Skip("already the child")
	}
	tests := []struct {
		mode       string
		wantCode   int    // exit status; -1: killed by the test
		wantStderr string // substring; "|" separates alternatives
	}{
		{FaultExit, 7, ""},
		{FaultPanic, 2, "memprism: injected panic"},
		{FaultHang, -1, ""},
		{FaultOOM, 2, "out of memory"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			if tt.mode == FaultOOM && runtime.GOOS != "linux" {
				t.Skip("address-space limit via /proc is Linux-only")
			}
			if tt.mode == FaultOOM && raceEnabled {
				// ThreadSanitizer's shadow memory meets the address-space limit
				// first and dies in ways of its own; run without -race to test oom.
				t.Skip("oom under an address-space limit is not testable with -race")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestFaultChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), faultEnv+"="+tt.mode)
			var stderr bytes.Buffer
			cmd.Stderr, cmd.Stdout = &stderr, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if tt.wantCode == -1 {
				done := make(chan error, 1)
				go func() { done <- cmd.Wait() }()
				select {
				case err := <-done:
					t.Fatalf("hang returned: %v\n%s", err, stderr.String())
				case <-time.After(500 * time.Millisecond):
				}
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				<-done
				return
			}
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() <= 0 || tt.wantCode != 0 && ee.ExitCode() != tt.wantCode {
				t.Fatalf("child exited with %v, want status %d (0: any failure)\n%s", err, tt.wantCode, stderr.String())
			}
			found := false
			for _, want := range strings.Split(tt.wantStderr, "|") {
				found = found || strings.Contains(stderr.String(), want)
			}
			if !found {
				t.Fatalf("stderr lacks %q:\n%s", tt.wantStderr, stderr.String())
			}
		})
	}
}

func TestFaultExitSwappable(t *testing.T) {
	got := -1
	old := exit
	exit = func(code int) { got = code }
	defer func() { exit = old }()
	_, err := runKind(t, "fault", map[string]any{"mode": "exit", "exit_code": 5})
	if got != 5 || err == nil {
		t.Fatalf("exit called with %d, err %v; want 5 and an error after exit returned", got, err)
	}
}
