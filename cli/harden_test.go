//go:build unix

package cli_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/memprism/memprism/results"
)

// hostileRunDir writes the synthetic fixture report, changed by change, as a
// run directory named name under root.
func hostileRunDir(t *testing.T, root, name string, change func(r *results.Report)) string {
	t.Helper()
	r, err := results.ReadReport(filepath.Join("testdata", "reports", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	change(r)
	dir := filepath.Join(root, name)
	if err := results.WriteRun(dir, r); err != nil {
		t.Fatal(err)
	}
	return dir
}

// memprismWithin runs the binary and fails the test if it has not ended
// within d (then it is killed).
func memprismWithin(t *testing.T, d time.Duration, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
		t.Fatalf("memprism %s did not end within %v", strings.Join(args, " "), d)
	}
	res := cliResult{stdout: so.String(), stderr: se.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestUnboundedInputRefused checks kind 6: validate (and the readers of
// reports) refuse /dev/zero, a symlink to it and a FIFO at once, naming the
// file and why, instead of reading until memory runs out or blocking.
func TestUnboundedInputRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no /dev/zero or FIFOs")
	}
	dir := t.TempDir()
	zero := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	reportZero := filepath.Join(dir, "run")
	if err := os.Mkdir(reportZero, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(reportZero, "report.json")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"validate", "/dev/zero"}, "/dev/zero is a character device, not a regular file"},
		{[]string{"validate", zero}, "zero.yaml is a character device, not a regular file"},
		{[]string{"validate", fifo}, "pipe.yaml is a named pipe (FIFO), not a regular file"},
		{[]string{"run", "-out", dir, fifo}, "named pipe (FIFO)"},
		{[]string{"plot", reportZero}, "report.json is a character device"},
		{[]string{"compare", reportZero, reportZero}, "report.json is a character device"},
		{[]string{"trend", "-o", dir, fifo}, "pipe.yaml is a named pipe"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[:1], " ")+" "+filepath.Base(tt.args[len(tt.args)-1]), func(t *testing.T) {
			r := memprismWithin(t, 10*time.Second, tt.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and %q", r.code, r.stderr, tt.want)
			}
		})
	}
}

// TestHostileReportNames checks kind 2: names read from a report are
// validated before they reach the file system or the terminal.
func TestHostileReportNames(t *testing.T) {
	root := t.TempDir()
	runs := filepath.Join(root, "runs")
	good := hostileRunDir(t, runs, "20260101T000000Z-aaaaaaa", func(*results.Report) {})
	escaped := hostileRunDir(t, root, "escaped-run", func(r *results.Report) { r.Scenarios[0].Name = "../escaped" })
	ansi := hostileRunDir(t, root, "ansi-run", func(r *results.Report) {
		r.Scenarios[0].Variants[1].Name = "compact\x1b]0;owned\x07\x1b[2J"
	})
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"plot path escape", []string{"plot", escaped}, `scenario name "../escaped" is invalid`},
		{"compare escape sequence", []string{"compare", good, ansi}, `variant name "compact\x1b]0;owned\a\x1b[2J" is invalid`},
		{"trend escape sequence", []string{"trend", "-o", root, ansi}, `variant name "compact\x1b]0;owned\a\x1b[2J" is invalid`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := memprismWithin(t, 30*time.Second, tt.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and %s", r.code, r.stderr, tt.want)
			}
			if strings.ContainsAny(r.stdout+r.stderr, "\x1b\x07") {
				t.Errorf("raw control characters printed:\n%q\n%q", r.stdout, r.stderr)
			}
		})
	}
	if ents, _ := filepath.Glob(filepath.Join(root, "escaped*.png")); len(ents) > 0 {
		t.Errorf("plot wrote outside the run directory: %v", ents)
	}
	if _, err := os.Stat(filepath.Join(root, "escaped-timeline.png")); err == nil {
		t.Error("plot wrote escaped-timeline.png beside the run directory")
	}
	// Free text (a run's error, an allocation site) is printed escaped.
	hostileRunDir(t, runs, "20260102T000000Z-bbbbbbb", func(r *results.Report) {
		r.Env.Commit = "bbbbbbb\x1b[31mred"
	})
	r := memprismWithin(t, 30*time.Second, "trend", "-o", root, runs)
	if r.code != 0 || strings.Contains(r.stdout, "\x1b") || !strings.Contains(r.stdout, `bbbbbbb`) {
		t.Errorf("trend over a commit with an escape sequence: exit %d\n%q\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestTrendSkipsBadReports checks kind 11: one unreadable or newer-schema
// report in a runs directory is skipped with a warning, not fatal.
func TestTrendSkipsBadReports(t *testing.T) {
	root := t.TempDir()
	runs := filepath.Join(root, "runs")
	hostileRunDir(t, runs, "20260101T000000Z-aaaaaaa", func(*results.Report) {})
	hostileRunDir(t, runs, "20260102T000000Z-bbbbbbb", func(r *results.Report) { r.Env.Commit = "bbbbbbb222" })
	newer := filepath.Join(runs, "20260103T000000Z-ccccccc")
	broken := filepath.Join(runs, "20260104T000000Z-ddddddd")
	for dir, text := range map[string]string{newer: `{"schema_version": 99, "scenarios": []}`, broken: `{"schema_version": 1, "scen`} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "report.json"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := memprismWithin(t, 30*time.Second, "trend", "-o", root, runs)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"warning: skipping " + filepath.Join(newer, "report.json") + ": ", "schema_version 99, this memprism reads 1",
		"warning: skipping " + filepath.Join(broken, "report.json") + ": "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, "across 2 reports") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	// Named on the command line, a bad report is an error.
	if r := memprismWithin(t, 30*time.Second, "trend", "-o", root, newer); r.code != 2 {
		t.Errorf("trend of a newer-schema report named directly: exit %d, want 2", r.code)
	}
	// Nothing readable at all is an error too.
	only := filepath.Join(root, "only-bad")
	if err := os.MkdirAll(filepath.Join(only, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(only, "x", "report.json"), []byte("{}"), 0o644)
	if r := memprismWithin(t, 30*time.Second, "trend", "-o", root, only); r.code != 2 || !strings.Contains(r.stderr, "none of the 1 reports found could be read") {
		t.Errorf("trend over only bad reports: exit %d\n%s", r.code, r.stderr)
	}
}

// TestStdoutFull checks kind 10: every command fails (exit 4) when its
// standard output cannot be written, and says so on stderr.
func TestStdoutFull(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full")
	}
	defer full.Close()
	root := t.TempDir()
	run := hostileRunDir(t, root, "20260101T000000Z-aaaaaaa", func(*results.Report) {})
	tests := [][]string{
		{"list"},
		{"validate", filepath.Join("..", "scenarios", "trade-records.yaml")},
		{"compare", run, run},
		{"trend", "-o", root, run},
		{"plot", run},
		{"run", "-no-plots", "-out", root, filepath.Join("testdata", "e2e", "pass.yaml")},
	}
	for _, args := range tests {
		t.Run(args[0], func(t *testing.T) {
			if args[0] == "run" && testing.Short() {
				t.Skip("starts workers")
			}
			cmd := exec.Command(bin, args...)
			var se bytes.Buffer
			cmd.Stdout, cmd.Stderr = full, &se
			err := cmd.Run()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != 4 {
				t.Fatalf("exit %v, want 4\nstderr:\n%s", err, se.String())
			}
			if !strings.Contains(se.String(), "writing standard output: write /dev/stdout: no space left on device") {
				t.Errorf("stderr:\n%s", se.String())
			}
		})
	}
}

// TestSignalsStopEveryCommand checks kind 5 with real signals: SIGHUP stops
// `run` like Ctrl-C (the finished runs are written as an incomplete report,
// exit 130); SIGTERM stops `plot` while it draws, promptly and without
// leaving temporary files.
func TestSignalsStopEveryCommand(t *testing.T) {
	if testing.Short() || runtime.GOOS == "windows" {
		t.Skip("end-to-end, Unix signals")
	}
	t.Run("run SIGHUP", func(t *testing.T) {
		res := interruptRun(t, syscall.SIGHUP)
		if res.report == nil || !res.report.Incomplete {
			t.Fatalf("want a report marked incomplete; stdout:\n%s", res.stdout)
		}
		runs := 0
		for _, v := range res.report.Scenarios[0].Variants {
			runs += len(v.Runs)
		}
		if runs == 0 {
			t.Error("the finished runs were discarded")
		}
	})
	t.Run("plot SIGTERM", func(t *testing.T) {
		// Forty scenarios of charts take far longer to draw than the test waits.
		dir := bigReport(t, filepath.Join(t.TempDir(), "run"), 40)
		cmd := exec.Command(bin, "plot", dir)
		var so, se bytes.Buffer
		cmd.Stdout, cmd.Stderr = &so, &se
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
		sent := time.Now()
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
				t.Fatalf("exit %v, want 130\nstderr:\n%s", err, se.String())
			}
			if took := time.Since(sent); took > 3*time.Second {
				t.Errorf("took %v after SIGTERM", took)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Fatal("plot ignored SIGTERM")
		}
		if !strings.Contains(se.String(), "plot: interrupted") {
			t.Errorf("stderr:\n%s", se.String())
		}
		time.Sleep(100 * time.Millisecond)
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".tmp") {
				t.Errorf("left behind %s", e.Name())
			}
		}
	})
}
