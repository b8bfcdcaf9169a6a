package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/memprism/memprism/plots"
	"github.com/memprism/memprism/results"
)

const trendUsage = `usage: memprism trend [-metric M] [-o DIR] REPORT|DIR...

Follows one metric across many runs, ordered by start time and labelled by
short commit: a table on stdout and DIR/trend.png. A DIR holding run
directories (such as results/runs) stands for all of them.

`

// runTrend is `memprism trend`.
func runTrend(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("trend", flag.ContinueOnError)
	fs.SetOutput(stderr)
	metric := fs.String("metric", results.PeakHeapBytes, "the `metric` to follow")
	outDir := fs.String("o", ".", "write trend.png into `DIR`")
	fs.Usage = func() {
		fmt.Fprint(stderr, trendUsage)
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if _, ok := results.Metric(*metric); !ok {
		fmt.Fprintf(stderr, "trend: unknown metric %q (known: %s)\n", *metric, metricNames())
		return ExitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "trend: want at least one report or directory")
		fs.Usage()
		return ExitUsage
	}
	paths, err := reportPaths(fs.Args())
	if err != nil {
		errorLines(stderr, fmt.Errorf("trend: %w", err))
		return ExitUsage
	}
	var reports []*results.Report
	var errs []error
	for _, p := range paths {
		r, err := results.ReadReport(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		reports = append(reports, r)
	}
	if err := errors.Join(errs...); err != nil {
		errorLines(stderr, fmt.Errorf("trend: %w", err))
		return ExitUsage
	}
	t := results.Trend(reports, *metric)
	if err := results.WriteTrendText(stdout, t); err != nil {
		fmt.Fprintf(stderr, "trend: %v\n", err)
		return ExitUsage
	}
	if err := writeChart(stderr, *outDir, "trend.png", func(w io.Writer) error { return plots.Trend(w, t) }); err != nil {
		fmt.Fprintf(stderr, "trend: %v\n", err)
		return ExitUsage
	}
	return ExitOK
}
