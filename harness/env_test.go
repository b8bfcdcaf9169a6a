package harness

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/memprism/memprism/results"
)

func boolp(b bool) *bool { return &b }

func TestBuildProvenance(t *testing.T) {
	info := func(kv ...string) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			bi := &debug.BuildInfo{}
			for i := 0; i+1 < len(kv); i += 2 {
				bi.Settings = append(bi.Settings, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
			}
			return bi, true
		}
	}
	tests := []struct {
		name   string
		read   func() (*debug.BuildInfo, bool)
		commit string
		dirty  *bool
		err    string
	}{
		{"no build info", func() (*debug.BuildInfo, bool) { return nil, false }, "", nil, "no build information"},
		{"no vcs (go run, go test)", info("-compiler", "gc"), "", nil, "no VCS information"},
		{"clean build", info("vcs.revision", "abc123", "vcs.modified", "false"), "abc123", boolp(false), ""},
		{"modified build", info("vcs.revision", "abc123", "vcs.modified", "true"), "abc123", boolp(true), ""},
		{"revision without modified", info("vcs.revision", "abc123"), "abc123", nil, "does not say"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := buildProvenance(tt.read)
			if p.Source != SourceBuild || p.Commit != tt.commit || !sameBool(p.Dirty, tt.dirty) || !strings.Contains(p.Error, tt.err) || (tt.err == "") != (p.Error == "") {
				t.Errorf("buildProvenance = %+v (dirty %v), want commit %q dirty %v error %q", p, deref(p.Dirty), tt.commit, deref(tt.dirty), tt.err)
			}
		})
	}
}

// TestSetProvenance: the binary's own VCS information wins over the
// checkout's; an unknown dirty flag is never reported as clean.
func TestSetProvenance(t *testing.T) {
	build := func(c string, d *bool) results.Provenance {
		return results.Provenance{Source: SourceBuild, Commit: c, Dirty: d}
	}
	git := func(c string, d *bool) results.Provenance {
		return results.Provenance{Source: SourceGit, Commit: c, Dirty: d}
	}
	tests := []struct {
		name         string
		build, git   results.Provenance
		commit, from string
		dirty, unk   bool
	}{
		{"modified binary run in a clean checkout", build("b1", boolp(true)), git("g1", boolp(false)), "b1", SourceBuild, true, false},
		{"clean binary run in a dirty checkout", build("b1", boolp(false)), git("g1", boolp(true)), "b1", SourceBuild, false, false},
		{"binary without vcs: the checkout", build("", nil), git("g1", boolp(true)), "g1", SourceGit, true, false},
		{"slow git status", build("", nil), git("g1", nil), "g1", SourceGit, false, true},
		{"binary without modified flag", build("b1", nil), git("g1", boolp(false)), "b1", SourceBuild, false, true},
		{"nothing known", build("", nil), git("", nil), "", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e results.Env
			setProvenance(&e, tt.build, tt.git)
			if e.Commit != tt.commit || e.CommitSource != tt.from || e.Dirty != tt.dirty || e.DirtyUnknown != tt.unk {
				t.Errorf("env commit %q from %q dirty %v unknown %v; want %q from %q dirty %v unknown %v",
					e.Commit, e.CommitSource, e.Dirty, e.DirtyUnknown, tt.commit, tt.from, tt.dirty, tt.unk)
			}
			if len(e.Provenance) != 2 || e.Provenance[0] != tt.build || e.Provenance[1] != tt.git {
				t.Errorf("provenance %+v: want both sources recorded", e.Provenance)
			}
		})
	}
}

// TestGitProvenance asks a real git about real checkouts, and a fake git
// that hangs or fails about its status.
func TestGitProvenance(t *testing.T) {
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git")
	}
	repo := t.TempDir()
	gitIn := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(gitPath, args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	gitIn("init", "-q")
	if err := os.WriteFile(filepath.Join(repo, "a.go"), []byte("package a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn("add", "a.go")
	gitIn("commit", "-q", "-m", "one")
	head := gitIn("rev-parse", "HEAD")

	check := func(name string, p results.Provenance, commit string, dirty *bool, errText string) {
		t.Helper()
		if p.Commit != commit || !sameBool(p.Dirty, dirty) || !strings.Contains(p.Error, errText) || (errText == "") != (p.Error == "") {
			t.Errorf("%s: %+v (dirty %v), want commit %q dirty %v error %q", name, p, deref(p.Dirty), commit, deref(dirty), errText)
		}
	}
	check("clean", gitProvenance(repo, gitPath, 5*time.Second), head, boolp(false), "")
	if err := os.WriteFile(filepath.Join(repo, "b.go"), []byte("package a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	check("untracked source file", gitProvenance(repo, gitPath, 5*time.Second), head, boolp(true), "")
	if err := os.Remove(filepath.Join(repo, "b.go")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "a.go"), []byte("package a // changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	check("modified", gitProvenance(repo, gitPath, 5*time.Second), head, boolp(true), "")
	check("not a checkout", gitProvenance(t.TempDir(), gitPath, 5*time.Second), "", nil, "git rev-parse")

	// A git whose status hangs (a slow file system, a hook) or fails.
	fake := func(status string) string {
		p := filepath.Join(t.TempDir(), "git")
		script := "#!/bin/sh\nif [ \"$1\" = rev-parse ]; then echo " + head + "; exit 0; fi\n" + status + "\n"
		if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	start := time.Now()
	check("slow status", gitProvenance(repo, fake("sleep 30"), 200*time.Millisecond), head, nil, "took longer than 200ms")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("a hanging git status held DetectEnv for %s", d)
	}
	check("failing status", gitProvenance(repo, fake("echo 'fatal: index broken' >&2; exit 128"), 5*time.Second), head, nil, "index broken")
}

func sameBool(a, b *bool) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func deref(b *bool) any {
	if b == nil {
		return "unknown"
	}
	return *b
}

// TestCheckoutOfModule: a binary without VCS information takes the
// checkout's commit only when the checkout holds its main module, never the
// commit of whatever repository it happens to run in.
func TestCheckoutOfModule(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) string {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return filepath.Dir(p)
	}
	mine := write("mine/go.mod", "// the team's service\nmodule example.com/svc // comment\n\ngo 1.26\n")
	sub := write("mine/cmd/bench/main.go", "package main\n")
	quoted := write("quoted/go.mod", "module \"example.com/svc\"\n")
	other := write("other/go.mod", "module example.com/unrelated\n")
	work := write("ws/go.work", "go 1.26\n\nuse ./svc\n")
	bare := filepath.Join(root, "bare") // no go.mod up to the file system's root (t.TempDir is outside any module)
	if err := os.MkdirAll(bare, 0o755); err != nil {
		t.Fatal(err)
	}
	dirty := false
	head := results.Provenance{Source: SourceGit, Commit: "abc123", Dirty: &dirty}
	tests := []struct {
		name, dir, main string
		keep            bool
		err             string
	}{
		{"the module's root", mine, "example.com/svc", true, ""},
		{"below the module's root", sub, "example.com/svc", true, ""},
		{"quoted module path", quoted, "example.com/svc", true, ""},
		{"another module", other, "example.com/svc", false, `declares module "example.com/unrelated", not the binary's module "example.com/svc"`},
		{"no go.mod at all", bare, "example.com/svc", false, "no go.mod at or above"},
		{"a workspace", work, "example.com/svc", true, ""},
		{"main module unknown (go run of files)", other, "command-line-arguments", true, ""},
		{"no main module", other, "", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkoutOfModule(head, tt.dir, tt.main)
			if tt.keep {
				if got != head {
					t.Errorf("checkoutOfModule = %+v, want the checkout's provenance kept", got)
				}
				return
			}
			if got.Commit != "" || got.Dirty != nil || !strings.Contains(got.Error, tt.err) || !strings.Contains(got.Error, "abc123") {
				t.Errorf("checkoutOfModule = %+v, want no commit and an error naming HEAD abc123 and %q", got, tt.err)
			}
			var e results.Env
			setProvenance(&e, results.Provenance{Source: SourceBuild}, got)
			if e.Commit != "" || !e.DirtyUnknown {
				t.Errorf("env commit %q dirty-unknown %v: want no commit taken", e.Commit, e.DirtyUnknown)
			}
		})
	}
}
