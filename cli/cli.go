// Package cli is the memprism command line: `run`, `validate`, `list`,
// `compare`, `trend` and `plot`. A binary that registers its own workloads
// gets the whole tool by calling Main with its registry.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/memprism/memprism/internal/worker"
	"github.com/memprism/memprism/workloads"
)

// Exit codes of the memprism command (DESIGN.md "CLI contract").
const (
	ExitOK          = 0   // everything passed
	ExitFail        = 1   // a target failed or was inconclusive, a leak expectation was not met, or a regression
	ExitUsage       = 2   // bad usage or invalid input: nothing ran, nothing was written
	ExitFault       = 3   // a run crashed, timed out or ran out of memory (the report is still written)
	ExitInterrupted = 130 // stopped by Ctrl-C; an incomplete report was written
)

// Options configures Main.
type Options struct {
	Name     string              // program name in usage text; default "memprism"
	Registry *workloads.Registry // workload kinds; default workloads.Default
}

// IO carries a command's standard streams.
type IO struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// StderrTTY reports whether stderr is a terminal (progress is shown only then).
	StderrTTY bool
}

type command struct {
	summary string
	run     func(ctx context.Context, o Options, io IO, args []string) int
}

func commands() map[string]command {
	return map[string]command{
		"run":      {"run scenarios (files, directories, or the embedded default suite) and judge them", runRun},
		"validate": {"check scenario files and print every problem as file:line:col: message", runValidate},
		"list":     {"list workload kinds with their params, and the embedded scenarios", runList},
		"compare":  {"compare two reports or run directories: old, new, change, p", adapt(runCompare)},
		"trend":    {"one metric's median across runs (commits), as a table and trend.png", adapt(runTrend)},
		"plot":     {"re-render a report's charts", adapt(runPlot)},
	}
}

func adapt(f func(stdout, stderr io.Writer, args []string) int) func(context.Context, Options, IO, []string) int {
	return func(_ context.Context, _ Options, io IO, args []string) int { return f(io.Stdout, io.Stderr, args) }
}

// Main runs the memprism command line with args (without the program name)
// and returns the exit code. It installs the Ctrl-C handling itself.
func Main(args []string, opts Options) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Exec(ctx, args, opts, IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, StderrTTY: isTerminal(os.Stderr)})
}

// Exec is Main with the context and streams given: the testable core.
func Exec(ctx context.Context, args []string, opts Options, stdio IO) int {
	if opts.Name == "" {
		opts.Name = "memprism"
	}
	if opts.Registry == nil {
		opts.Registry = workloads.Default
	}
	if len(args) > 0 && args[0] == worker.Command {
		if err := worker.Serve(ctx, opts.Registry, stdio.Stdin); err != nil {
			fmt.Fprintln(stdio.Stderr, err)
			return 1
		}
		return 0
	}
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(stdio.Stderr, opts.Name, cmds)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stdio.Stderr, "%s: unknown command %q\n", opts.Name, args[0])
		usage(stdio.Stderr, opts.Name, cmds)
		return ExitUsage
	}
	return c.run(ctx, opts, stdio, args[1:])
}

func usage(w io.Writer, name string, cmds map[string]command) {
	fmt.Fprintf(w, "usage: %s <command> [flags] [args]\n\ncommands:\n", name)
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintf(w, "\nRun '%s <command> -h' for a command's flags.\n", name)
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// errorLines prints a (possibly joined) error one problem per line.
func errorLines(w io.Writer, err error) {
	for _, line := range strings.Split(strings.TrimSpace(err.Error()), "\n") {
		if line != "" {
			fmt.Fprintln(w, line)
		}
	}
}
