// Package scripts_test tests scripts/compare.sh (the `make compare` gate)
// with stand-ins for `go build` and memprism, so that what it does with each
// exit code of `memprism run` and `memprism compare` is checked in seconds.
package scripts_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeMemprism stands in for the built binary: `run` writes a report and
// exits with the code in .fake-run-code of the tree it runs in; `compare`
// exits with $FAKE_COMPARE_CODE.
const fakeMemprism = `#!/usr/bin/env bash
case $1 in
run)
	out=$3
	mkdir -p "$out/r"
	echo '{"schema_version":1}' >"$out/r/report.json"
	echo "verdict: whatever"
	echo "report: $out/r/report.json"
	exit "$(cat .fake-run-code)"
	;;
compare)
	echo "No regressions beyond 5%."
	exit "${FAKE_COMPARE_CODE:-0}"
	;;
esac
exit 2
`

// fakeGo stands in for `go build -o BIN ./cmd/memprism`.
const fakeGo = `#!/usr/bin/env bash
[[ $1 == build && $2 == -o ]] || exit 9
cp "$FAKE_MEMPRISM" "$3" && chmod +x "$3"
`

// TestCompareScriptExitCodes checks that `make compare` fails when a run on
// either side crashed (memprism run exit 3), even when compare finds no
// regression: a crashed variant has no figures, so "no regression" would
// pass a crash.
func TestCompareScriptExitCodes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("bash script")
	}
	for _, tool := range []string{"bash", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s", tool)
		}
	}
	script, err := filepath.Abs("compare.sh")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		base, head string // memprism run exit codes
		compare    string // memprism compare exit code
		want       int
		stderr     string
	}{
		{"both pass, no regression", "0", "0", "0", 0, ""},
		{"targets fail, no regression", "1", "1", "0", 0, ""},
		{"regression", "0", "0", "1", 1, ""},
		{"head crashed", "0", "3", "0", 3, "memprism run on head exited 3"},
		{"base crashed", "3", "0", "0", 3, "memprism run on base exited 3"},
		{"head crashed and regression", "0", "3", "1", 3, "memprism run on head exited 3"},
		{"head wrote no report", "0", "4", "0", 2, "memprism run on head exited 4"},
		{"compare failed", "0", "0", "2", 2, "memprism compare failed (exit 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			repo := filepath.Join(tmp, "repo")
			bin := filepath.Join(tmp, "bin")
			for _, d := range []string{filepath.Join(repo, "scripts"), bin} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			write := func(path, text string, mode os.FileMode) {
				if err := os.WriteFile(path, []byte(text), mode); err != nil {
					t.Fatal(err)
				}
			}
			src, err := os.ReadFile(script)
			if err != nil {
				t.Fatal(err)
			}
			write(filepath.Join(repo, "scripts", "compare.sh"), string(src), 0o755)
			write(filepath.Join(repo, ".fake-run-code"), tt.base, 0o644)
			write(filepath.Join(bin, "go"), fakeGo, 0o755)
			write(filepath.Join(bin, "memprism"), fakeMemprism, 0o755)
			git := func(args ...string) {
				cmd := exec.Command("git", args...)
				cmd.Dir = repo
				cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("git %v: %v\n%s", args, err, out)
				}
			}
			git("init", "-q")
			git("add", ".")
			git("commit", "-q", "-m", "base")
			// The working tree (HEAD's side) differs from the base commit.
			write(filepath.Join(repo, ".fake-run-code"), tt.head, 0o644)

			cmd := exec.Command("bash", filepath.Join(repo, "scripts", "compare.sh"), "HEAD")
			cmd.Dir = repo
			cmd.Env = append(os.Environ(), "GO="+filepath.Join(bin, "go"), "FAKE_MEMPRISM="+filepath.Join(bin, "memprism"),
				"FAKE_COMPARE_CODE="+tt.compare, "OUT="+filepath.Join(tmp, "out"), "TMPDIR="+tmp)
			var so, se strings.Builder
			cmd.Stdout, cmd.Stderr = &so, &se
			err = cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.want {
				t.Errorf("exit %d, want %d\nstderr:\n%s", code, tt.want, se.String())
			}
			if !strings.Contains(se.String(), tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, se.String())
			}
		})
	}
}
