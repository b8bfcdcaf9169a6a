package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	catalogue "github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/plots"
	"github.com/memprism/memprism/results"
)

const trendUsage = `
Follows one metric across many runs, ordered by start time and labelled by
short commit: a table on stdout and trend.png. A DIR holding run
directories (such as results/runs) stands for all of them. Quick runs
(run -quick) are their own series, marked "(quick)": their work is sized
differently, so their figures do not continue a full run's line. A shard
report (run -shard K/N) whose merged report (memprism merge) is given or
found too is left out, and the output says so: one suite run is one point.
trend.png goes into the newest run directory given unless -o says where.`

// runTrend is `memprism trend`; prog names the binary in its usage.
func runTrend(prog string, stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("trend", flag.ContinueOnError)
	fs.SetOutput(stderr)
	metric := fs.String("metric", results.PeakHeapBytes, "the `metric` to follow")
	outDir := fs.String("o", "", "write trend.png into `DIR` (default: the newest run directory given)")
	commandUsage(fs, stderr, prog, "[-metric M] [-o DIR] REPORT|DIR...", trendUsage)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if _, ok := results.Metric(*metric); !ok && !catalogue.ValidName(*metric) {
		fmt.Fprintf(stderr, "trend: unknown metric %q (known: %s, or a workload's own metric)\n", *metric, metricNames())
		return ExitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "trend: want at least one report or directory")
		fs.Usage()
		return ExitUsage
	}
	named, found, err := trendPaths(fs.Args())
	if err != nil {
		errorLines(stderr, fmt.Errorf("trend: %w", err))
		return ExitUsage
	}
	// A report named and also found in a directory given is one point.
	seen := map[string]bool{}
	once := func(ps []string) []string {
		var out []string
		for _, p := range ps {
			key := p
			if abs, err := filepath.Abs(p); err == nil {
				key = abs
			}
			if seen[key] {
				fmt.Fprintf(stderr, "trend: note: %s is given twice; shown once\n", p)
				continue
			}
			seen[key] = true
			out = append(out, p)
		}
		return out
	}
	named, found = once(named), once(found)
	// A report named on the command line must be readable; one found by
	// scanning a runs directory (an old schema, a newer memprism, a broken
	// file) is skipped with a warning, so one bad run does not hide the rest.
	var paths []string
	var reports []*results.Report
	var errs []error
	for _, p := range named {
		r, err := results.ReadReport(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		paths, reports = append(paths, p), append(reports, r)
	}
	if err := errors.Join(errs...); err != nil {
		errorLines(stderr, fmt.Errorf("trend: %w", err))
		return ExitUsage
	}
	skipped := 0
	for _, p := range found {
		r, err := results.ReadReport(p)
		if err != nil {
			skipped++
			fmt.Fprintf(stderr, "trend: warning: skipping %s: %s\n", p, oneLine(err.Error(), 200))
			continue
		}
		paths, reports = append(paths, p), append(reports, r)
	}
	if len(reports) == 0 {
		fmt.Fprintf(stderr, "trend: none of the %d reports found could be read\n", skipped)
		return ExitUsage
	}
	// One suite run is one point: shards whose merged report is here too are left out.
	paths, reports, folds := results.FoldShards(paths, reports)
	newest := ""
	var newestAt time.Time
	for i, r := range reports {
		if newest == "" || r.StartedAt.After(newestAt) {
			newest, newestAt = paths[i], r.StartedAt
		}
	}
	if err := knownMetric(*metric, reports...); err != nil {
		fmt.Fprintf(stderr, "trend: %v\n", err)
		return ExitUsage
	}
	t := results.Trend(reports, *metric)
	t.Folded = folds
	if err := results.WriteTrendText(stdout, t); err != nil {
		fmt.Fprintf(stderr, "trend: %v\n", err)
		return ExitUsage
	}
	if *outDir == "" {
		*outDir = filepath.Dir(newest)
	}
	if err := writeChart(stderr, *outDir, "trend.png", func(w io.Writer) error { return plots.Trend(w, t) }); err != nil {
		fmt.Fprintf(stderr, "trend: %v\n", err)
		return ExitUsage
	}
	return ExitOK
}

// trendPaths expands trend's arguments: named are report files and run
// directories given directly; found are the report.json files of the run
// directories inside a directory given (such as results/runs).
func trendPaths(args []string) (named, found []string, err error) {
	reps, err := expandReports(args, false)
	for _, r := range reps {
		if r.named {
			named = append(named, r.path)
		} else {
			found = append(found, r.path)
		}
	}
	return named, found, err
}
