package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/memprism/memprism/internal/safeio"
	"github.com/memprism/memprism/plots"
	"github.com/memprism/memprism/results"
)

// runMerge is `memprism merge`.
func runMerge(ctx context.Context, o Options, stdio IO, args []string) int {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	out := fs.String("out", filepath.Join("results", "runs"), "directory under which the merged run directory is created")
	noPlots := fs.Bool("no-plots", false, "do not render PNG charts")
	commandUsage(fs, stdio.Stderr, o.Name, "[flags] REPORT|DIR...", `
Joins the reports of the shards of one suite run ('run -shard K/N' on N
machines, such as a CI matrix) into one run directory with every output of
'run': report.json, summary.md, bench.txt, gha.json, bmf.json, the heap
profiles and the charts. A DIR stands for every report.json in it or below
it, however deep (such as downloaded CI artifacts).

Shards from different commits, Go versions, platforms, settings (-quick,
-reps, -run) or suites are refused, and so is a set with a shard missing or
given twice. Exit status: as 'run' for the merged verdict (0 pass, 1 fail,
3 a run crashed, 130 a shard's run was interrupted and its report is
incomplete), 2 when the shards cannot be merged (nothing is written).`)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stdio.Stderr, "merge: want the shard reports or run directories")
		fs.Usage()
		return ExitUsage
	}
	paths, err := shardReports(fs.Args())
	if err != nil {
		errorLines(stdio.Stderr, fmt.Errorf("merge: %w", err))
		return ExitUsage
	}
	reports := make([]*results.Report, len(paths))
	var errs []error
	if code := interruptible(ctx, stdio.Stderr, "merge", func() int {
		for i, p := range paths {
			var err error
			if reports[i], err = results.ReadReport(p); err != nil {
				errs = append(errs, err)
			}
		}
		return ExitOK
	}); code != ExitOK {
		return code
	}
	if err := errors.Join(errs...); err != nil {
		errorLines(stdio.Stderr, fmt.Errorf("merge: %w", err))
		return ExitUsage
	}
	rep, warnings, err := results.Merge(paths, reports)
	if err != nil {
		errorLines(stdio.Stderr, err)
		return ExitUsage
	}
	for _, w := range warnings {
		fmt.Fprintf(stdio.Stderr, "merge: note: %s\n", w)
	}
	rep.Settings.NoPlots = *noPlots
	dir, err := newRunDir(*out, rep.Env.Commit, time.Now())
	if err != nil {
		fmt.Fprintf(stdio.Stderr, "merge: %v\n", err)
		return ExitUsage
	}
	// The heap profiles live beside each shard's report: copy them over.
	src := map[string]string{} // scenario -> shard run directory
	for i, r := range reports {
		for _, s := range r.Scenarios {
			src[s.Name] = filepath.Dir(paths[i])
		}
	}
	for si := range rep.Scenarios {
		s := &rep.Scenarios[si]
		for vi := range s.Variants {
			v := &s.Variants[vi]
			if v.Profile == "" {
				continue
			}
			if err := copyFile(filepath.Join(src[s.Name], v.Profile), filepath.Join(dir, v.Profile)); err != nil {
				fmt.Fprintf(stdio.Stderr, "merge: heap profile of %s/%s not copied: %v\n", s.Name, v.Name, err)
				v.Profile = ""
			}
		}
	}
	if err := results.WriteRun(dir, rep); err != nil {
		errorLines(stdio.Stderr, fmt.Errorf("merge: %w", err))
		return ExitOutput
	}
	if !*noPlots {
		if _, err := plots.RenderRun(dir, rep); err != nil {
			fmt.Fprintf(stdio.Stderr, "merge: rendering charts: %v\n", err)
		}
	}
	printVerdicts(stdio.Stdout, rep)
	fmt.Fprintf(stdio.Stdout, "report: %s\n", filepath.Join(dir, "report.json"))
	return exitCode(rep, nil)
}

// shardReports expands merge's arguments into report.json paths: a report
// file as given, or every report.json under a directory at any depth (CI
// artifacts nest run directories: shards/shard-1/<run>/report.json).
func shardReports(args []string) ([]string, error) {
	found, err := expandReports(args, true)
	paths := make([]string, len(found))
	for i, f := range found {
		paths[i] = f.path
	}
	return paths, err
}

// copyFile copies src to dst atomically. src is what a report points at:
// only a regular file of at most safeio.MaxProfileBytes is copied.
func copyFile(src, dst string) error {
	b, err := safeio.ReadFile(src, safeio.MaxProfileBytes)
	if err != nil {
		return err
	}
	return results.WriteFileAtomic(dst, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
