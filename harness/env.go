package harness

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/memprism/memprism/results"
)

// DetectEnv describes this machine and where the measured code came from:
// the running binary's embedded VCS information (vcs.revision,
// vcs.modified) first, the git checkout at dir ("" = current directory)
// second, and only when that checkout holds the binary's main module
// (checkoutOfModule). Both sources are recorded in Env.Provenance; a source that cannot
// tell whether the code had uncommitted changes (no vcs.modified, a git
// status that fails or takes longer than 5 s) makes Env.DirtyUnknown true,
// never "clean".
func DetectEnv(dir string) results.Env {
	e := results.Env{
		GoVersion: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
		CPUs: runtime.NumCPU(), CPUModel: cpuModel(), MemoryTotalBytes: machineMemory(),
	}
	build, git := buildProvenance(debug.ReadBuildInfo), gitProvenance(dir, "git", gitTimeout)
	if build.Commit == "" {
		// The checkout is the fallback: take its commit only if it holds
		// the code this binary was built from.
		mainPath := ""
		if bi, ok := debug.ReadBuildInfo(); ok {
			mainPath = bi.Main.Path
		}
		git = checkoutOfModule(git, dir, mainPath)
	}
	setProvenance(&e, build, git)
	return e
}

// checkoutOfModule keeps the checkout's commit in p only when the checkout
// at dir holds the binary's main module (mainPath): the nearest go.mod at or
// above dir declares it, or a go.work is found first (a workspace, whose
// modules cannot be told cheaply). A binary built without VCS information
// (go run, -buildvcs=false) and run from an unrelated repository would
// otherwise report that repository's commit as the measured code's. An
// unknown main module (go run of files) keeps p as it is.
func checkoutOfModule(p results.Provenance, dir, mainPath string) results.Provenance {
	if p.Commit == "" || mainPath == "" || mainPath == "command-line-arguments" {
		return p
	}
	start, err := filepath.Abs(dir)
	if err != nil {
		return p
	}
	found := ""
	for d := start; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
			return p
		}
		if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
			if modulePath(data) == mainPath {
				return p
			}
			found = fmt.Sprintf("its go.mod (%s) declares module %q", filepath.Join(d, "go.mod"), modulePath(data))
			break
		}
		if filepath.Dir(d) == d {
			found = "no go.mod at or above " + start
			break
		}
	}
	p.Error = fmt.Sprintf("the checkout's HEAD %s is not taken as the measured code's commit: %s, not the binary's module %q (build the binary with VCS information to record its commit)", p.Commit, found, mainPath)
	p.Commit, p.Dirty = "", nil
	return p
}

// modulePath returns the path in a go.mod's module directive, or "".
func modulePath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		line, _, _ = strings.Cut(line, "//")
		fields := strings.Fields(line)
		if len(fields) == 2 && fields[0] == "module" {
			if unq, err := strconv.Unquote(fields[1]); err == nil {
				return unq
			}
			return fields[1]
		}
	}
	return ""
}

// Provenance sources.
const (
	SourceBuild = "build" // the binary's embedded VCS information
	SourceGit   = "git"   // the git checkout of the current directory
)

// gitTimeout bounds each git command DetectEnv runs.
const gitTimeout = 5 * time.Second

// buildProvenance reads the commit and dirty flag the Go toolchain embedded
// in the binary (go build in a checkout; not go run, go test or -buildvcs=false).
func buildProvenance(read func() (*debug.BuildInfo, bool)) results.Provenance {
	p := results.Provenance{Source: SourceBuild}
	bi, ok := read()
	if !ok || bi == nil {
		p.Error = "the binary carries no build information"
		return p
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			p.Commit = s.Value
		case "vcs.modified":
			if v, err := strconv.ParseBool(s.Value); err == nil {
				p.Dirty = &v
			}
		}
	}
	switch {
	case p.Commit == "":
		p.Error = "the binary carries no VCS information (built by go run or go test, outside a checkout, or with -buildvcs=false)"
	case p.Dirty == nil:
		p.Error = "the binary's VCS information does not say whether the tree was modified"
	}
	return p
}

// gitProvenance asks git, the program at gitPath, for the checkout at dir:
// HEAD, and whether tracked or untracked files differ from it (as the Go
// toolchain's vcs.modified counts them). Each command gets timeout; a status
// that fails or times out leaves Dirty unknown.
func gitProvenance(dir, gitPath string, timeout time.Duration) results.Provenance {
	p := results.Provenance{Source: SourceGit}
	run := func(args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, gitPath, args...)
		cmd.Dir = dir
		cmd.WaitDelay = 100 * time.Millisecond // a child holding the pipes (a hook) cannot stall us
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if ctx.Err() != nil {
			return "", fmt.Errorf("git %s took longer than %s", args[0], timeout)
		}
		if err != nil {
			if msg := strings.TrimSpace(stderr.String()); msg != "" {
				return "", fmt.Errorf("git %s: %w: %s", args[0], err, firstLine(msg))
			}
			return "", fmt.Errorf("git %s: %w", args[0], err)
		}
		return string(out), nil
	}
	head, err := run("rev-parse", "HEAD")
	if err != nil {
		p.Error = err.Error()
		return p
	}
	p.Commit = strings.TrimSpace(head)
	status, err := run("status", "--porcelain")
	if err != nil {
		p.Error = err.Error()
		return p
	}
	dirty := strings.TrimSpace(status) != ""
	p.Dirty = &dirty
	return p
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// setProvenance fills e's commit, dirty flag and their source from the
// first source that names a commit (the binary before git), and records
// both sources.
func setProvenance(e *results.Env, build, git results.Provenance) {
	e.Provenance = []results.Provenance{build, git}
	for _, p := range e.Provenance {
		if p.Commit == "" {
			continue
		}
		e.Commit, e.CommitSource = p.Commit, p.Source
		if p.Dirty != nil {
			e.Dirty = *p.Dirty
		} else {
			e.DirtyUnknown = true
		}
		return
	}
	e.DirtyUnknown = true
}
