package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"text/tabwriter"
)

// memprismModule is this module's path, looked up among a custom binary's dependencies.
const memprismModule = "github.com/memprism/memprism"

// BuildInfo is what `version` prints: where the running binary came from,
// read from the build information the Go toolchain embeds (runtime/debug).
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

// runVersion is `memprism version`.
func runVersion(_ context.Context, o Options, stdio IO, args []string) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	commandUsage(fs, stdio.Stderr, o.Name, "", `
Prints where this binary came from, as the Go toolchain recorded it at build
time: the module and its version ("(devel)" for a build inside a checkout),
the commit and whether the tree was modified, the commit time, the Go version
and the platform. A custom binary also shows the memprism version it embeds.`)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stdio.Stderr, "version: takes no arguments, got %q\n", fs.Args())
		return ExitUsage
	}
	writeVersion(stdio.Stdout, o.Name, ReadBuildInfo())
	return ExitOK
}

func writeVersion(w io.Writer, name string, b BuildInfo) {
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\n", name, dash(b.Version))
	fmt.Fprintf(tw, "module\t%s\n", dash(b.Module))
	if b.Memprism != "" {
		fmt.Fprintf(tw, "memprism\t%s\n", b.Memprism)
	}
	commit := dash(b.Commit)
	if b.Modified {
		commit += " (modified)"
	}
	fmt.Fprintf(tw, "commit\t%s\n", commit)
	fmt.Fprintf(tw, "commit time\t%s\n", dash(b.Time))
	fmt.Fprintf(tw, "go\t%s %s\n", b.GoVersion, b.Platform)
	tw.Flush()
}
