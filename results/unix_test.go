//go:build unix

package results

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func mkfifo(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "report.json")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestWriteFileAtomicUmask checks that written files get 0666 less the
// umask, as os.Create gives, whatever the umask (not 0644 always). It
// changes the process umask, so it does not run in parallel.
func TestWriteFileAtomicUmask(t *testing.T) {
	for _, mask := range []int{0o022, 0o077, 0o002} {
		old := syscall.Umask(mask)
		path := filepath.Join(t.TempDir(), "f.txt")
		err := WriteFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err })
		run := filepath.Join(t.TempDir(), "run")
		errRun := WriteRun(run, loadFixture(t))
		syscall.Umask(old)
		if err != nil || errRun != nil {
			t.Fatal(err, errRun)
		}
		want := os.FileMode(0o666 &^ mask)
		for _, p := range []string{path, filepath.Join(run, ReportFile), filepath.Join(run, SummaryFile)} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != want {
				t.Errorf("umask %03o: %s has mode %v, want %v", mask, filepath.Base(p), fi.Mode().Perm(), want)
			}
		}
		if fi, _ := os.Stat(run); fi.Mode().Perm() != os.FileMode(0o777&^mask) {
			t.Errorf("umask %03o: run directory mode %v", mask, fi.Mode().Perm())
		}
	}
}
