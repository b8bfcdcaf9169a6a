package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/memprism/memprism/harness"
)

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
	writeVersion(stdio.Stdout, o.Name, harness.ReadBuildInfo())
	return ExitOK
}

func writeVersion(w io.Writer, name string, b harness.BuildInfo) {
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
