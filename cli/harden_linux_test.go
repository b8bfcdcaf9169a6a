package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRunFullDisk checks kind 4 on a real full file system (a 24 KiB tmpfs,
// mounted when the test runs as root): report.json cannot be written, so no
// summary.md, bench.txt or gha.json is either; the verdict table is still on
// stdout, stderr says the report was not written, and the exit is 4.
func TestRunFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=24k"); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v", err)
	}
	defer syscall.Unmount(mnt, 0)
	r := memprism(t, "run", "-no-plots", "-out", mnt, filepath.Join("testdata", "e2e", "pass.yaml"))
	if r.code != 4 {
		t.Fatalf("exit %d, want 4\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "SCENARIO") || !strings.Contains(r.stdout, "verdict: ") || strings.Contains(r.stdout, "report: ") {
		t.Errorf("stdout wants the verdict table and no report line:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "report.json not written") || !strings.Contains(r.stderr, "no space left on device") || !strings.Contains(r.stderr, "the report was NOT written") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	dirs, _ := os.ReadDir(mnt)
	for _, d := range dirs {
		ents, _ := os.ReadDir(filepath.Join(mnt, d.Name()))
		for _, e := range ents {
			switch n := e.Name(); {
			case strings.HasSuffix(n, ".pprof"):
			default:
				t.Errorf("run directory holds %s", n)
			}
		}
	}
}
