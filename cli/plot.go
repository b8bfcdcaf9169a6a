package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/memprism/memprism/plots"
	"github.com/memprism/memprism/results"
)

const plotUsage = `
Re-renders a report's charts (<scenario>-timeline.png, -compare.png and
-hotspots.png) next to its report.json and prints their paths.`

// runPlot is `memprism plot`; prog names the binary in its usage.
func runPlot(prog string, stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("plot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commandUsage(fs, stderr, prog, "REPORT|RUNDIR", plotUsage)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "plot: want one report or run directory, got %d arguments\n", fs.NArg())
		fs.Usage()
		return ExitUsage
	}
	arg := fs.Arg(0)
	r, err := results.ReadReport(arg)
	if err != nil {
		fmt.Fprintf(stderr, "plot: %v\n", err)
		return ExitUsage
	}
	dir := filepath.Dir(arg)
	if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
		dir = arg
	}
	paths, err := plots.RenderRun(dir, r)
	for _, p := range paths {
		fmt.Fprintln(stdout, p)
	}
	if err != nil {
		errorLines(stderr, fmt.Errorf("plot: %w", err))
		return ExitUsage
	}
	return ExitOK
}
