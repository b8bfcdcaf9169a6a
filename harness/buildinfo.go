package harness

import (
	"runtime"
	"runtime/debug"
)

// memprismModule is this module's path, looked up among a custom binary's dependencies.
const memprismModule = "github.com/memprism/memprism"

// BuildInfo is where the running binary came from, read from the build
// information the Go toolchain embeds (runtime/debug): what `memprism
// version` prints, and the provenance a report can take from the binary.
type BuildInfo struct {
	Module    string // main module path of the binary
	Version   string // main module version: a tag, a pseudo-version, or "(devel)" for a build in a checkout
	Memprism  string // memprism's module version when it is a dependency of a custom binary; "" in memprism itself
	Commit    string // vcs.revision: the commit the binary was built from; "" when built outside version control
	Modified  bool   // vcs.modified: the work tree had uncommitted changes
	Time      string // vcs.time: the commit's time, RFC 3339
	GoVersion string // toolchain that built the binary
	Platform  string // GOOS/GOARCH
}

// ReadBuildInfo returns the running binary's BuildInfo. Without embedded
// build information (a test binary, say) only the Go version and platform are known.
func ReadBuildInfo() BuildInfo {
	b := BuildInfo{GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	b.Module, b.Version, b.GoVersion = bi.Main.Path, bi.Main.Version, bi.GoVersion
	for _, d := range bi.Deps {
		if d.Path == memprismModule {
			b.Memprism = d.Version
			if d.Replace != nil {
				b.Memprism += " => " + d.Replace.Path + " " + d.Replace.Version
			}
		}
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		case "vcs.time":
			b.Time = s.Value
		}
	}
	return b
}
