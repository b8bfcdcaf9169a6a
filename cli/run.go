package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/memprism/memprism/harness"
	"github.com/memprism/memprism/plots"
	"github.com/memprism/memprism/results"
	"github.com/memprism/memprism/scenarios"
	"github.com/memprism/memprism/verdict"
)

func runRun(ctx context.Context, o Options, stdio IO, args []string) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	out := fs.String("out", filepath.Join("results", "runs"), "directory under which the run directory is created")
	reps := fs.Int("reps", 0, "repetitions per variant, overriding the scenarios' run.repetitions (0 = as written)")
	filter := fs.String("run", "", "run only scenarios whose name matches this regular expression")
	quick := fs.Bool("quick", false, "scaled-down work (work sizes / 10, at most 6 repetitions, no warm-up) for smoke tests")
	noPlots := fs.Bool("no-plots", false, "do not render PNG charts")
	quiet := fs.Bool("q", false, "no progress output on stderr")
	var shard shardFlag
	var prefixes userPrefixFlag
	fs.Var(&prefixes, "user-prefix", "package `path` prefix of the code under test besides the main module, for allocation sites and goroutine groups (repeatable, or comma-separated)")
	fs.Var(&shard, "shard", "run only shard `K/N` of the suite: a deterministic share of whole scenarios, for a CI matrix; join the shards with 'merge'")
	commandUsage(fs, stdio.Stderr, o.Name, "[flags] [FILE|DIR ...]", `
Runs the scenario files (a directory stands for its *.yaml files), or with no
arguments the embedded suite, each variant many times in fresh processes,
and judges every target. Writes a run directory (report.json, summary.md,
bench.txt, gha.json, bmf.json, heap profiles, charts) under -out, prints a
verdict table and, last, "report: <dir>/report.json" on stdout.

Progress goes to stderr: a live line at a terminal, otherwise a line every
10 s. Exit status: 0 every target passed, 1 a target failed or was
inconclusive or a leak expectation was not met, 2 bad usage or an invalid
scenario (nothing run), 3 a run crashed or timed out, 4 an output could not
be written (report.json first: without it nothing else is), 130 interrupted
(SIGINT, SIGTERM or SIGHUP).`)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *reps < 0 {
		fmt.Fprintf(stdio.Stderr, "run: -reps must be >= 1, got %d\n", *reps)
		return ExitUsage
	}
	var re *regexp.Regexp
	if *filter != "" {
		var err error
		if re, err = regexp.Compile(*filter); err != nil {
			fmt.Fprintf(stdio.Stderr, "run: -run %q is not a valid regular expression: %v\n", *filter, err)
			return ExitUsage
		}
	}
	var (
		suite *scenarios.Suite
		err   error
	)
	if code := interruptible(ctx, stdio.Stderr, "run", func() int {
		if fs.NArg() == 0 {
			suite, err = embeddedSuite(o)
		} else {
			suite, err = scenarios.Load(o.Registry, fs.Args()...)
		}
		return ExitOK
	}); code != ExitOK {
		return code
	}
	if err != nil {
		errorLines(stdio.Stderr, err)
		return ExitUsage
	}
	for _, w := range suite.Warnings() {
		fmt.Fprintln(stdio.Stderr, w)
	}
	if re != nil {
		all := suite
		if suite = suite.Select(re.MatchString); len(suite.Scenarios) == 0 {
			fmt.Fprintf(stdio.Stderr, "run: no scenario matches -run %q; scenarios: %s\n", *filter, strings.Join(all.Names(), ", "))
			return ExitUsage
		}
	}
	whole := suite.Names()
	if shard.Count > 0 {
		suite = shard.Select(suite)
		if len(suite.Scenarios) == 0 && !*quiet {
			fmt.Fprintf(stdio.Stderr, "run: shard %s has no scenarios (the suite has %d); writing an empty report for merge\n", &shard, len(whole))
		}
	}

	opts := harness.Options{
		// Executable left empty: every run re-executes this very binary.
		Repetitions: *reps, Quick: *quick, Registry: o.Registry,
	}
	// The plan's bounds before anything is written.
	if _, err := harness.CheckPlan(suite, opts); err != nil {
		fmt.Fprintf(stdio.Stderr, "run: %v\n", err)
		return ExitUsage
	}
	env := harness.DetectEnv("")
	dir, err := newRunDir(*out, env.Commit, time.Now())
	if err != nil {
		fmt.Fprintf(stdio.Stderr, "run: %v\n", err)
		return ExitUsage
	}
	opts.Dir, opts.Env, opts.UserPrefixes = dir, env, prefixes
	var prog *progress
	if !*quiet {
		prog = newProgress(stdio.Stderr, stdio.StderrTTY, terminalWidth(stdio.Stderr), ciProgressEvery)
		opts.Progress = prog.update
	}
	rep, runErr := harness.Run(ctx, suite, opts)
	if prog != nil {
		prog.finish()
	}
	if rep == nil {
		fmt.Fprintf(stdio.Stderr, "run: %v\n", runErr)
		return ExitFault
	}
	code := exitCode(rep, runErr)
	rep.Settings.Filter, rep.Settings.NoPlots = *filter, *noPlots
	if shard.Count > 0 {
		rep.Settings.Shard = &results.Shard{Index: shard.Index, Count: shard.Count, Suite: whole}
	}
	// report.json first: if it cannot be written nothing else is, and the
	// verdicts still reach stdout (docs/cli.md: exit 3 means the report exists).
	if err := results.WriteRun(dir, rep); err != nil {
		printVerdicts(stdio.Stdout, rep)
		if errors.Is(err, results.ErrReportNotWritten) {
			errorLines(stdio.Stderr, fmt.Errorf("run: %w", err))
			fmt.Fprintf(stdio.Stderr, "run: the report was NOT written; %s holds none of summary.md, bench.txt, gha.json, bmf.json (only the heap profiles copied before), and the verdicts above are all that is left of this run\n", dir)
			return ExitOutput
		}
		errorLines(stdio.Stderr, fmt.Errorf("run: %w", err))
		fmt.Fprintf(stdio.Stderr, "run: %s was written; the files named above were not\n", filepath.Join(dir, results.ReportFile))
		fmt.Fprintf(stdio.Stdout, "report: %s\n", filepath.Join(dir, results.ReportFile))
		return ExitOutput
	}
	if !*noPlots {
		if ctx.Err() != nil {
			fmt.Fprintf(stdio.Stderr, "run: interrupted: charts not drawn; `%s plot %s` draws them\n", o.Name, dir)
		} else if c := interruptible(ctx, stdio.Stderr, "run: drawing charts", func() int {
			if _, err := plots.RenderRun(dir, rep); err != nil {
				errorLines(stdio.Stderr, fmt.Errorf("run: rendering charts: %w", err))
				return ExitOutput
			}
			return ExitOK
		}); c != ExitOK && code < ExitFault || c == ExitInterrupted {
			code = c
		}
	}
	printVerdicts(stdio.Stdout, rep)
	if rep.Incomplete {
		fmt.Fprintln(stdio.Stderr, "run: interrupted; the report holds the runs that finished and is marked incomplete")
	}
	fmt.Fprintf(stdio.Stdout, "report: %s\n", filepath.Join(dir, results.ReportFile))
	return code
}

// exitCode maps a report to the exit codes of docs/cli.md. A scenario's
// verdict is error exactly when a variant or one of its runs failed.
func exitCode(rep *results.Report, runErr error) int {
	switch {
	case rep.Incomplete || errors.Is(runErr, context.Canceled):
		return ExitInterrupted
	case rep.Verdict == results.Error:
		return ExitFault
	case rep.Verdict != results.Pass:
		return ExitFail
	}
	return ExitOK
}

// newRunDir creates <out>/<UTC yyyymmddThhmmssZ>-<short commit>, adding a
// suffix when a run of the same second exists.
func newRunDir(out, commit string, now time.Time) (string, error) {
	if err := os.MkdirAll(out, 0o777); err != nil {
		return "", fmt.Errorf("creating %s: %w", out, err)
	}
	base := filepath.Join(out, now.UTC().Format("20060102T150405Z")+"-"+shortCommit(commit))
	dir := base
	for i := 2; ; i++ {
		err := os.Mkdir(dir, 0o777)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, os.ErrExist) || i > 100 {
			return "", fmt.Errorf("creating run directory: %w", err)
		}
		dir = fmt.Sprintf("%s-%d", base, i)
	}
}

// printVerdicts writes the verdict table: one line per target result (the
// change or median with its 95% interval as the headline), leak verdict and
// faulted variant; NOTE says how a negative control came out and, for an
// inconclusive result, how many runs would likely decide it.
func printVerdicts(w io.Writer, rep *results.Report) {
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tVARIANT\tCHECK\tBASELINE\tMEDIAN\tESTIMATE [95% CI]\tVERDICT\tNOTE")
	for _, sc := range rep.Scenarios {
		lines := 0
		row := func(variant, check, base, median, estimate, verdict, note string) {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", sc.Name, variant, check, base, median, estimate, verdict, note)
			lines++
		}
		for _, t := range sc.Targets {
			check := targetCheck(t)
			for _, r := range t.Results {
				base, median := results.NoData, results.NoData
				if t.Relative() && (r.BaselineN > 0 || r.BaselineMedian != 0) {
					base = results.FormatMetric(t.Metric, r.BaselineMedian)
				}
				if r.N > 0 || r.Median != 0 {
					median = results.FormatMetric(t.Metric, r.Median)
				}
				outcome, _, _ := strings.Cut(results.TargetOutcome(t, r), " ")
				row(r.Variant, check, base, median, results.TargetEstimate(t, r), outcome, targetNote(t, r))
			}
		}
		for _, v := range sc.Variants {
			faults := 0
			for _, r := range v.Runs {
				if r.Fault != "" {
					faults++
				}
			}
			switch {
			case faults > 0:
				row(v.Name, fmt.Sprintf("%d of %d runs faulted (%s)", faults, len(v.Runs), firstFault(v.Runs)), results.NoData, results.NoData, results.NoData, results.Error, "")
			case v.Error != "":
				row(v.Name, oneLine(v.Error, 70), results.NoData, results.NoData, results.NoData, results.Error, "")
			}
			if n, of := v.OverloadedRuns(); n > 0 {
				row(v.Name, fmt.Sprintf("offered %s msg/s (%d of %d runs below 95%%)", results.FormatValue(v.Summary[results.OfferedRate].Median, ""), n, of),
					results.NoData, "achieved "+results.FormatValue(v.Summary[results.AchievedRate].Median, ""), results.NoData, "overloaded", "")
			}
			if l := v.Leak; l != nil && (sc.JudgeLeaks || l.Detected) {
				want := "no leak"
				if v.ExpectLeak {
					want = "leak expected"
				}
				got := "none"
				switch {
				case l.Inconclusive:
					got = "not judged"
				case l.Detected:
					got = results.FormatBytes(l.SlopeBytesPerSec) + "/s"
				}
				judged := l.RunsJudged
				if judged == 0 && !l.Inconclusive { // a report written before runs_judged
					judged = l.Runs
				}
				estimate := results.NoData
				if judged > 0 {
					estimate = fmt.Sprintf("%s/s, %s", results.FormatBytes(l.SlopeBytesPerSec), results.FormatPValue(l.PValue))
				}
				if l.GoroutineLeak && !l.HeapLeak { // decided by the goroutines: their figures
					got = fmt.Sprintf("%.3g goroutines/s", l.GoroutineSlopePerSec)
					estimate = fmt.Sprintf("%+.0f goroutines, %s", l.GoroutineGrowth, results.FormatPValue(l.GoroutinePValue))
				}
				note := fmt.Sprintf("%d of %d judged runs found a leak", l.RunsDetected, judged)
				if l.Verdict == "info" {
					note = "information only (no leak: block)"
				}
				verdict := l.Verdict
				if verdict == "" { // a report written before leak verdicts were stored
					verdict = results.Pass
					if l.Detected != v.ExpectLeak {
						verdict = results.Fail
					}
				}
				row(v.Name, "leak ("+want+")", results.NoData, got, estimate, verdict, note)
			}
		}
		if lines == 0 {
			row(results.NoData, "no targets", results.NoData, results.NoData, results.NoData, sc.Verdict, "")
		}
	}
	tw.Flush()
	for _, line := range strings.SplitAfter(table.String(), "\n") {
		fmt.Fprint(w, strings.TrimRight(line, " \n")+strings.Repeat("\n", strings.Count(line, "\n")))
	}
	fmt.Fprintf(w, "verdict: %s", rep.Verdict)
	if rep.Incomplete {
		fmt.Fprint(w, " (incomplete)")
	}
	fmt.Fprintln(w)
}

// targetNote is the NOTE cell of a target row.
func targetNote(t results.Target, r results.TargetResult) string {
	var notes []string
	if t.Expect == results.Fail {
		switch r.Verdict {
		case results.Fail:
			notes = append(notes, "negative control: claim refuted")
		case results.Pass:
			notes = append(notes, "negative control: claim held")
		default:
			notes = append(notes, "negative control")
		}
	}
	if r.Verdict == results.Inconclusive {
		switch {
		case r.Method == verdict.MethodUnreported:
			notes = append(notes, "no run reported this metric")
		case r.Method == verdict.MethodHeapFloor:
			notes = append(notes, "heap floor: the runtime set it, not the code")
		case r.N < verdict.MinRuns || (t.Relative() && r.BaselineN < verdict.MinRuns):
			notes = append(notes, fmt.Sprintf("too few runs (need >= %d)", verdict.MinRuns))
		case r.Method == verdict.MethodNone:
			notes = append(notes, "baseline <= 0: use max/min")
		}
		if r.RunsNeeded > 0 {
			side := " a side"
			if !t.Relative() {
				side = ""
			}
			notes = append(notes, fmt.Sprintf("~%d runs%s would likely decide it", r.RunsNeeded, side))
		}
	}
	return strings.Join(notes, "; ")
}

func targetCheck(t results.Target) string {
	check := t.Metric
	switch {
	case t.Reduction != nil:
		check += " -" + pctText(*t.Reduction)
	case t.Increase != nil:
		check += " +" + pctText(*t.Increase)
	case t.Max != nil && t.Min != nil:
		check += fmt.Sprintf(" in [%s, %s]", results.FormatMetric(t.Metric, *t.Min), results.FormatMetric(t.Metric, *t.Max))
	case t.Max != nil:
		check += " <= " + results.FormatMetric(t.Metric, *t.Max)
	case t.Min != nil:
		check += " >= " + results.FormatMetric(t.Metric, *t.Min)
	}
	if t.Expect == results.Fail {
		check += " (expect fail)"
	}
	return check
}

// pctText formats a fraction as a percentage without needless decimals.
func pctText(f float64) string {
	s := results.PercentText(f, 1)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s + "%"
}

func firstFault(runs []results.Run) string {
	for _, r := range runs {
		if r.Fault != "" {
			return r.Fault + ": " + oneLine(r.Error, 60)
		}
	}
	return ""
}

func shortCommit(c string) string {
	if c == "" {
		return "nogit"
	}
	return results.ShortCommit(c)
}

// oneLine returns the first line of s, cut to at most n bytes at a rune
// boundary (a cut rune would print as escaped bytes).
func oneLine(s string, n int) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > n {
		cut := n - 3
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}
