//go:build unix

package cli_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/memprism/memprism/cli"
	"github.com/memprism/memprism/results"
)

// These tests send real signals to a real memprism process while it works
// and check its exit status (130) and that nothing it had written, or was
// writing, is lost or left half-written. Off Unix there are no such signals
// to send (os.Process.Signal supports only Kill on Windows).

// signalHangGuard bounds how long an interrupted command may take to end
// before the test kills it and calls it hung. It is a hang guard only: the
// commands stop well within a second of the signal on an idle machine.
const signalHangGuard = time.Minute

// errTooEarly is returned by signalWhenReady when the child died of the
// signal itself: it arrived before memprism installed its handler, so the
// test, not memprism, was at fault and may try again later.
var errTooEarly = errors.New("the signal arrived before memprism's handler was installed")

// signalWhenReady starts memprism with args, waits until ready reports (from
// what the command printed so far) that it is at work, sends sig and waits
// for the command to end. It fails the test when the command ended before
// it was ready (then its input was too small to interrupt) or did not end
// within signalHangGuard of the signal.
func signalWhenReady(t *testing.T, sig syscall.Signal, ready func(stdout, stderr string) bool, args ...string) (cliResult, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var so, se cli.SyncBuffer
	cmd.Stdout, cmd.Stderr = &so, &se
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	poll := time.NewTicker(2 * time.Millisecond)
	defer poll.Stop()
	for !ready(so.String(), se.String()) {
		select {
		case err := <-done:
			t.Fatalf("memprism %s ended (%v) before it could be interrupted; its input is too small\nstdout:\n%.2000s\nstderr:\n%.2000s",
				strings.Join(args, " "), err, so.String(), se.String())
		case <-poll.C:
		}
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-done:
	case <-time.After(signalHangGuard):
		cmd.Process.Kill()
		<-done
		t.Fatalf("memprism %s still running %v after %v: hung", strings.Join(args, " "), signalHangGuard, sig)
	}
	res := cliResult{stdout: so.String(), stderr: se.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == sig {
			return res, errTooEarly
		}
		res.code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return res, nil
}

// signalAfter is signalWhenReady for a command that prints nothing while it
// works: it signals after a delay, and after twice that when the signal came
// before memprism's handler was installed (a loaded machine can take that
// long to start a process), up to a few times.
func signalAfter(t *testing.T, sig syscall.Signal, args ...string) cliResult {
	t.Helper()
	delay := 100 * time.Millisecond
	for range 6 {
		start := time.Now()
		res, err := signalWhenReady(t, sig, func(string, string) bool { return time.Since(start) >= delay }, args...)
		if err == nil {
			return res
		}
		t.Logf("%v after %v: trying again with twice the delay", err, delay)
		delay *= 2
	}
	t.Fatalf("memprism %s died of %v each time: is its handler ever installed?", strings.Join(args, " "), sig)
	return cliResult{}
}

// checkInterrupted checks the exit status and message of an interrupted command.
func checkInterrupted(t *testing.T, name string, res cliResult) {
	t.Helper()
	if res.code != 130 {
		t.Fatalf("exit %d, want 130\nstdout:\n%.2000s\nstderr:\n%.2000s", res.code, res.stdout, res.stderr)
	}
	if !strings.Contains(res.stderr, name+": interrupted") {
		t.Errorf("stderr lacks %q:\n%.2000s", name+": interrupted", res.stderr)
	}
}

// checkNoTemporaries fails the test for any temporary file left in dir.
func checkNoTemporaries(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") || strings.HasPrefix(e.Name(), ".memprism-") {
			t.Errorf("left behind %s in %s", e.Name(), dir)
		}
	}
}

// earlierChart writes, into a new output directory, a stand-in for the
// chart name of an earlier run, for checkChart to find kept or wholly replaced.
func earlierChart(t *testing.T, name string) (out, chart string, old []byte) {
	t.Helper()
	out = t.TempDir()
	chart = filepath.Join(out, name)
	old = []byte("the " + name + " of an earlier run")
	if err := os.WriteFile(chart, old, 0o644); err != nil {
		t.Fatal(err)
	}
	return out, chart, old
}

// checkChart checks that the chart at path is what was there before (old)
// or, when memprism was already writing it as the signal came, a whole PNG.
func checkChart(t *testing.T, path string, old []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the chart written before was lost: %v", err)
	}
	if bytes.Equal(got, old) {
		return
	}
	if _, err := png.Decode(bytes.NewReader(got)); err != nil {
		t.Errorf("%s is neither the chart that was there nor a whole new one: %v", path, err)
	}
}

// bigReport writes, as the run directory dir, the fixture report with its
// first scenario copied n times: enough rows that reading or drawing them
// takes seconds.
func bigReport(t *testing.T, dir string, n int) string {
	t.Helper()
	return hostileRunDir(t, filepath.Dir(dir), filepath.Base(dir), func(r *results.Report) {
		base := r.Scenarios[0]
		r.Scenarios = nil
		for i := range n {
			s := base
			s.Name = fmt.Sprintf("s%03d", i)
			r.Scenarios = append(r.Scenarios, s)
		}
	})
}

var stopSignals = []syscall.Signal{syscall.SIGINT, syscall.SIGTERM}

// interruptRun starts `run` on testdata/e2e/interrupt.yaml, sends sig once
// a few of its 1 s runs have finished, checks exit 130 and returns the
// result with the report it wrote (readReport).
func interruptRun(t *testing.T, sig syscall.Signal) cliResult {
	t.Helper()
	out := t.TempDir()
	cmd := exec.Command(bin, "run", "-out", out, "-no-plots", filepath.Join("testdata", "e2e", "interrupt.yaml"))
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(4 * time.Second) // a few of the 1 s runs finish, most do not
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130\nstdout:\n%s\nstderr:\n%s", err, so.String(), se.String())
	}
	res := cliResult{stdout: so.String()}
	readReport(t, &res)
	return res
}

func TestRunInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	res := interruptRun(t, syscall.SIGINT)
	if res.report == nil || !res.report.Incomplete {
		t.Fatalf("want a valid report marked incomplete; stdout:\n%s", res.stdout)
	}
	runs := 0
	for _, v := range res.report.Scenarios[0].Variants {
		runs += len(v.Runs)
	}
	if runs == 0 || runs >= 40 {
		t.Errorf("incomplete report holds %d runs, want some but not all 40", runs)
	}
	entries, _ := os.ReadDir(res.dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") || strings.HasPrefix(e.Name(), ".work-") {
			t.Errorf("left behind %s", e.Name())
		}
	}
}

// TestCompareInterrupt interrupts `compare -o DIR` while it draws
// compare.png, after it printed its table (40 scenarios of rows take
// seconds to draw): the table on stdout is whole, the compare.png already in
// DIR is kept (or wholly replaced), and no temporary file is left.
func TestCompareInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	report := filepath.Join(bigReport(t, filepath.Join(t.TempDir(), "run"), 40), results.ReportFile)
	want := memprism(t, "compare", report, report)
	if want.code != 0 || want.stdout == "" {
		t.Fatalf("compare without -o: exit %d\nstderr:\n%s", want.code, want.stderr)
	}
	for _, sig := range stopSignals {
		t.Run(sig.String(), func(t *testing.T) {
			out, chart, old := earlierChart(t, "compare.png")
			res, err := signalWhenReady(t, sig, func(stdout, _ string) bool { return stdout == want.stdout },
				"compare", "-o", out, report, report)
			if err != nil {
				t.Fatal(err) // the table was printed: the handler was long installed
			}
			checkInterrupted(t, "compare", res)
			if res.stdout != want.stdout {
				t.Errorf("stdout changed after the signal:\n%.2000s\nwant:\n%.2000s", res.stdout, want.stdout)
			}
			checkChart(t, chart, old)
			checkNoTemporaries(t, out)
		})
	}
}

// TestTrendInterrupt interrupts `trend` while it reads 60 large reports,
// signalled once it warned about the unreadable one it reads first: nothing
// is printed, the trend.png already in the -o directory is kept, and no
// temporary file is left.
func TestTrendInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	runs := t.TempDir()
	first := bigReport(t, filepath.Join(runs, "r00"), 40)
	data, err := os.ReadFile(filepath.Join(first, results.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < 60; i++ {
		dir := filepath.Join(runs, fmt.Sprintf("r%02d", i))
		if err := os.Mkdir(dir, 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, results.ReportFile), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Read first (directories are read in name order), warned about at once.
	broken := filepath.Join(runs, "000-broken")
	if err := os.Mkdir(broken, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, results.ReportFile), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sig := range stopSignals {
		t.Run(sig.String(), func(t *testing.T) {
			out, chart, old := earlierChart(t, "trend.png")
			res, err := signalWhenReady(t, sig, func(_, stderr string) bool { return strings.Contains(stderr, "trend: warning: skipping") },
				"trend", "-o", out, runs)
			if err != nil {
				t.Fatal(err) // the warning was printed: the handler was long installed
			}
			checkInterrupted(t, "trend", res)
			if res.stdout != "" {
				t.Errorf("an interrupted trend printed a table while it was still reading reports:\n%.2000s", res.stdout)
			}
			checkChart(t, chart, old)
			checkNoTemporaries(t, out)
		})
	}
}

// TestValidateInterrupt interrupts `validate` while it checks 30 scenario
// files of 3000 variants each (seconds of work): nothing is printed (its
// verdicts come only once every file is checked, so none is half a list),
// and the files it read are unchanged.
func TestValidateInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("description: Many variants.\nworkload: trade-churn\nparams: {trades: 1000}\nbaseline: v0\nvariants:\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "  - {name: v%d, params: {seed: %d, symbols: %d}}\n", i, i, i%50+1)
	}
	sums := map[string][sha256.Size]byte{}
	for i := range 30 {
		p := filepath.Join(dir, fmt.Sprintf("s%02d.yaml", i))
		data := []byte(fmt.Sprintf("name: big%02d\n", i) + b.String())
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		sums[p] = sha256.Sum256(data)
	}
	for _, sig := range stopSignals {
		t.Run(sig.String(), func(t *testing.T) {
			res := signalAfter(t, sig, "validate", dir)
			checkInterrupted(t, "validate", res)
			if res.stdout != "" {
				t.Errorf("an interrupted validate printed verdicts:\n%.2000s", res.stdout)
			}
			for p, sum := range sums {
				if data, err := os.ReadFile(p); err != nil || sha256.Sum256(data) != sum {
					t.Errorf("%s changed or went missing (%v)", p, err)
				}
			}
			checkNoTemporaries(t, dir)
		})
	}
}
