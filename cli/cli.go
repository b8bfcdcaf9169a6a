// Package cli is the memprism command line: `run`, `validate`, `list`,
// `compare`, `trend`, `plot`, `merge`, `version` and `help`. A binary that
// registers its own workloads (and, optionally, embeds its own scenarios)
// gets the whole tool by calling Main with its registry; docs/cli.md is the
// contract of every command, its flags and its exit codes.
package cli

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/memprism/memprism/internal/safeio"
	"github.com/memprism/memprism/internal/worker"
	"github.com/memprism/memprism/plots"
	"github.com/memprism/memprism/results"
	"github.com/memprism/memprism/workloads"
)

// Exit codes of the memprism command (docs/cli.md).
const (
	ExitOK          = 0   // everything passed
	ExitFail        = 1   // a target failed or was inconclusive, a leak expectation was not met, or a regression
	ExitUsage       = 2   // bad usage or invalid input: nothing ran, nothing was written
	ExitFault       = 3   // a run crashed, timed out or ran out of memory (the report is still written)
	ExitOutput      = 4   // an output could not be written (a full disk, stdout on /dev/full); stderr says which, and whether report.json was written
	ExitInterrupted = 130 // stopped by Ctrl-C, SIGTERM or SIGHUP; `run` wrote what finished as an incomplete report
)

// Options configures Main.
type Options struct {
	Name     string              // program name in usage text; default "memprism"
	Registry *workloads.Registry // workload kinds; default workloads.Default
	// Scenarios is the binary's own scenario suite: the *.yaml files at the
	// root of this file system (typically an embed.FS), shown by `list` and
	// run by a bare `run`. Nil means memprism's default suite.
	Scenarios fs.FS
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
		"run":      {"run scenarios (files, directories, or the embedded suite) and judge them", runRun},
		"validate": {"check scenario files and print every problem as file:line:col: message", runValidate},
		"list":     {"list workload kinds with their params, and the embedded scenarios", runList},
		"compare":  {"compare two reports or run directories: old, new, change, p", adapt("compare", runCompare)},
		"trend":    {"one metric's median across runs (commits), as a table and trend.png", adapt("trend", runTrend)},
		"plot":     {"re-render a report's charts", adapt("plot", runPlot)},
		"merge":    {"join the reports of shards (run -shard K/N) into one run directory", runMerge},
		"version":  {"print the module version, commit and Go version of this binary", runVersion},
	}
}

// adapt makes a command that only reads and renders stop as soon as ctx is
// cancelled: it has nothing to save, and its charts are drawn in memory
// before being written, so abandoning it leaves no file behind.
func adapt(name string, f func(prog string, stdout, stderr io.Writer, args []string) int) func(context.Context, Options, IO, []string) int {
	return func(ctx context.Context, o Options, io IO, args []string) int {
		return interruptible(ctx, io.Stderr, name, func() int { return f(o.Name, io.Stdout, io.Stderr, args) })
	}
}

// interruptible runs f and returns its exit code, or ExitInterrupted as soon
// as ctx is cancelled (f is abandoned; the process is about to exit).
func interruptible(ctx context.Context, stderr io.Writer, name string, f func() int) int {
	done := make(chan int, 1)
	go func() { done <- f() }()
	select {
	case code := <-done:
		return code
	case <-ctx.Done():
		select {
		case code := <-done:
			return code
		default:
		}
		fmt.Fprintf(stderr, "%s: interrupted\n", name)
		return ExitInterrupted
	}
}

// stopSignals are the signals that stop memprism as Ctrl-C does: SIGHUP too
// (a closed terminal or a dropped ssh session), so `run` still writes the
// runs that finished.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// Main runs the memprism command line with args (without the program name)
// and returns the exit code. It installs the signal handling itself: the
// first SIGINT, SIGTERM or SIGHUP cancels the command (which stops promptly,
// `run` writing an incomplete report); a second one exits at once with 130.
func Main(args []string, opts Options) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, stopSignals...)
	defer signal.Stop(sigs)
	go func() {
		if _, ok := <-sigs; !ok {
			return
		}
		cancel()
		if s, ok := <-sigs; ok {
			fmt.Fprintf(os.Stderr, "memprism: %v again: stopping now\n", s)
			os.Exit(ExitInterrupted)
		}
	}()
	code := Exec(ctx, args, opts, IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, StderrTTY: isTerminal(os.Stderr)})
	if ctx.Err() != nil {
		// A command abandoned on the signal may be writing a file: let that
		// write finish, and no other start, before the process exits.
		results.HoldWrites()
	}
	return code
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
		// A worker draws no chart: the fonts gonum/plot parsed at init leave its RSS.
		plots.ReleaseFontPages()
		if err := worker.Serve(ctx, opts.Registry, stdio.Stdin); err != nil {
			fmt.Fprintln(stdio.Stderr, err)
			return 1
		}
		return 0
	}
	// Everything a command prints is escaped of terminal control sequences
	// (names and messages may come from reports), and a lost write to
	// stdout fails the command.
	stdout := safeio.NewWriter(stdio.Stdout, "\n\t")
	stderr := safeio.NewWriter(stdio.Stderr, "\n\t") // the progress line's \r goes by WriteControl
	stdio.Stdout, stdio.Stderr = stdout, stderr
	code := dispatch(ctx, args, opts, stdio)
	if err := stdout.Flush(); err != nil {
		fmt.Fprintf(stderr, "%s: writing standard output: %v\n", opts.Name, err)
		if code < ExitFault {
			code = ExitOutput
		}
	}
	stderr.Flush()
	return code
}

// dispatch runs the command args[0].
func dispatch(ctx context.Context, args []string, opts Options, stdio IO) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		usage(stdio.Stderr, opts.Name, cmds)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	if args[0] == "help" {
		return runHelp(ctx, opts, stdio, cmds, args[1:])
	}
	if args[0] == "-version" || args[0] == "--version" {
		args = []string{"version"}
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
	fmt.Fprintf(w, "  %-9s %s\n", "help", "print a command's usage and flags: help COMMAND")
	fmt.Fprintf(w, "\nRun '%s help <command>' (or '%s <command> -h') for a command's usage and flags.\n", name, name)
}

// runHelp is `help [COMMAND]`: the general usage, or the command's own usage
// text and flags, on stdout.
func runHelp(ctx context.Context, o Options, stdio IO, cmds map[string]command, args []string) int {
	switch len(args) {
	case 0:
		usage(stdio.Stdout, o.Name, cmds)
		return ExitOK
	case 1:
	default:
		fmt.Fprintf(stdio.Stderr, "%s help: want one command, got %d arguments\n", o.Name, len(args))
		return ExitUsage
	}
	if args[0] == "help" {
		fmt.Fprintf(stdio.Stdout, "usage: %s help [COMMAND]\n\nPrints the list of commands, or COMMAND's usage text and flags.\n", o.Name)
		return ExitOK
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stdio.Stderr, "%s help: unknown command %q\n", o.Name, args[0])
		usage(stdio.Stderr, o.Name, cmds)
		return ExitUsage
	}
	// A command's -h prints its usage on its error stream; asked for, the
	// usage is the output, so it goes to stdout.
	help := stdio
	help.Stderr = stdio.Stdout
	return c.run(ctx, o, help, []string{"-h"})
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
