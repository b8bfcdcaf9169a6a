package profiler

import (
	"runtime/debug"
	"strings"
	"sync"
)

// memprismModule is the module path of memprism itself.
const memprismModule = "github.com/memprism/memprism"

// ownPackages are memprism's instrument: the packages that measure, run and
// report. Their frames never appear as allocation sites or goroutine
// groups; an allocation made beneath one of them (before any user frame) is
// the instrument's own and is left out. Everything else in memprism is the
// code being measured and counts as the user's: the workloads, the pools
// they exercise, the examples, internal/faultcases. Frames in _test.go
// files are the user's too, whatever their package: a test is code that
// drives the instrument, not the instrument.
var ownPackages = []string{
	memprismModule + "/profiler",
	memprismModule + "/harness",
	memprismModule + "/cli",
	memprismModule + "/cmd",
	memprismModule + "/results",
	memprismModule + "/plots",
	memprismModule + "/scenarios",
	memprismModule + "/metric",
	memprismModule + "/verdict",
	memprismModule + "/load", // the load generator and its latency recorders, reached through Run.Load
	memprismModule + "/internal/golden",
	memprismModule + "/internal/worker",
	memprismModule + "/internal/safeio",
	memprismModule + "/internal/names",
	"runtime/pprof",
}

// mainModule is the path of the main module from the binary's build
// information ("" when there is none). In a test binary it is the module of
// the package under test.
var buildInfo = sync.OnceValues(func() (mainModule, mainPackage string) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "", ""
	}
	return bi.Main.Path, bi.Path
})

// MainModule returns the main module's path from the binary's build
// information (runtime/debug.ReadBuildInfo), or "" when the binary has none.
func MainModule() string {
	m, _ := buildInfo()
	return m
}

// frames classifies stack frames as the user's code, memprism's own, the
// runtime's, or a library's.
type frames struct {
	user []string // package path prefixes of the user's code
	// ownMain is true when the main package is memprism's own command
	// (cmd/memprism): package main is then the instrument.
	ownMain bool
}

// newFrames returns the classification for the main module plus extra
// package path prefixes (Options.UserPrefixes).
func newFrames(extra []string) frames {
	f := frames{}
	m, pkg := buildInfo()
	if m != "" {
		f.user = append(f.user, m)
	}
	f.ownMain = hasPathPrefix(pkg, memprismModule+"/cmd")
	for _, p := range extra {
		if p = strings.TrimSuffix(strings.TrimSpace(p), "/"); p != "" {
			f.user = append(f.user, p)
		}
	}
	return f
}

// funcPackage returns the package path of a fully qualified function name:
// "example.com/a/b.(*T).M" -> "example.com/a/b", "main.main" -> "main".
func funcPackage(fn string) string {
	slash := strings.LastIndexByte(fn, '/')
	dot := strings.IndexByte(fn[slash+1:], '.')
	if dot < 0 {
		return fn
	}
	return fn[:slash+1+dot]
}

func hasPathPrefix(pkg, prefix string) bool {
	return strings.HasPrefix(pkg, prefix) && (len(pkg) == len(prefix) || pkg[len(prefix)] == '/')
}

// ownFuncs are function-name prefixes of memprism's instrument inside
// packages that are otherwise the measured code: the workload run handle
// through which the harness starts a workload and takes its snapshots.
var ownFuncs = []string{
	memprismModule + "/workloads.Kind.Execute",
	memprismModule + "/workloads.NewRun",
	memprismModule + "/workloads.(*Run).",
	memprismModule + "/workloads.TakeSnapshot",
}

type frameKind int

const (
	frameLibrary frameKind = iota
	frameRuntime
	frameOwn
	frameUser
)

// kind classifies a frame by its function name and file.
func (f frames) kind(fn, file string) frameKind {
	if isRuntimeFrame(fn) {
		return frameRuntime
	}
	pkg := funcPackage(fn)
	test := strings.HasSuffix(file, "_test.go")
	if pkg == "main" {
		if f.ownMain && !test {
			return frameOwn
		}
		return frameUser
	}
	if !test {
		for _, p := range ownPackages {
			if hasPathPrefix(pkg, p) {
				return frameOwn
			}
		}
		for _, p := range ownFuncs {
			if strings.HasPrefix(fn, p) {
				return frameOwn
			}
		}
	}
	for _, p := range f.user {
		if hasPathPrefix(pkg, p) {
			return frameUser
		}
	}
	return frameLibrary
}
