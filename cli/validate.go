package cli

import (
	"context"
	"flag"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/scenarios"
	"github.com/memprism/memprism/workloads"
)

func runValidate(ctx context.Context, o Options, stdio IO, args []string) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	commandUsage(fs, stdio.Stderr, o.Name, "FILE|DIR...", `
Checks scenario files (a directory stands for its *.yaml and *.yml files)
without running anything: every problem of every file is printed as
file:line:col: what is wrong, and what is allowed. Exit status: 0 all valid,
2 a problem was found.`)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return ExitUsage
	}
	var (
		suite *scenarios.Suite
		err   error
	)
	if code := interruptible(ctx, stdio.Stderr, "validate", func() int {
		suite, err = scenarios.Load(o.Registry, fs.Args()...)
		return ExitOK
	}); code != ExitOK {
		return code
	}
	if err != nil {
		errorLines(stdio.Stderr, err)
		return ExitUsage
	}
	for _, sc := range suite.Scenarios {
		fmt.Fprintf(stdio.Stdout, "ok  %s  %s (%s, %d variants)\n", sc.Source, sc.Name, sc.Workload, len(sc.Variants))
	}
	for _, w := range suite.Warnings() {
		fmt.Fprintln(stdio.Stderr, w)
	}
	return ExitOK
}

func runList(_ context.Context, o Options, stdio IO, args []string) int {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	commandUsage(fs, stdio.Stderr, o.Name, "", `
Lists the workload kinds this binary knows, each param with its type,
default, allowed values and meaning, then the embedded scenarios: those a
bare 'run' runs.`)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stdio.Stderr, "list: takes no arguments, got %q\n", fs.Args())
		fs.Usage()
		return ExitUsage
	}
	w := stdio.Stdout
	fmt.Fprintln(w, "Workload kinds:")
	for _, k := range o.Registry.Kinds() {
		fmt.Fprintf(w, "\n%s: %s\n", k.Name, k.Doc)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  PARAM\tTYPE\tDEFAULT\tALLOWED\tMEANING")
		for _, p := range k.Params {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", p.Name, p.Type, defaultText(p), allowed(p), p.Doc)
		}
		tw.Flush()
		for _, m := range k.Metrics {
			fmt.Fprintf(w, "  own metric %s (%s, %s is better): %s\n", m.Name, m.Unit, m.Direction, m.Doc)
		}
	}
	fmt.Fprintln(w, "\nMetrics (report.json names, usable in targets; docs/metrics.md has the sources):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  METRIC\tUNIT\tBETTER\tMEANING")
	for _, m := range metric.All() {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", m.Name, m.Unit, m.Direction, m.Doc)
	}
	for _, m := range metric.SnapshotFields {
		fmt.Fprintf(tw, "  snapshot.<label>.%s\t%s\t%s\t%s\n", m.Name, m.Unit, m.Direction, m.Doc)
	}
	tw.Flush()
	suite, err := embeddedSuite(o)
	if err != nil {
		fmt.Fprintln(w)
		errorLines(stdio.Stderr, err)
		return ExitUsage
	}
	fmt.Fprintf(w, "\nEmbedded scenarios (what a bare `%s run` runs):\n", o.Name)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, sc := range suite.Scenarios {
		var vs []string
		for _, v := range sc.Variants {
			vs = append(vs, v.Name)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", sc.Name, sc.Workload, strings.Join(vs, ", "), sc.Description)
	}
	tw.Flush()
	return ExitOK
}

func allowed(p workloads.ParamSpec) string {
	if len(p.Enum) > 0 {
		e := append([]string(nil), p.Enum...)
		sort.Strings(e)
		return strings.Join(e, "|")
	}
	if p.Min != 0 || p.Max != 0 {
		return fmt.Sprintf("[%s, %s]", bound(p.Type, p.Min), bound(p.Type, p.Max))
	}
	return "-"
}

// bound prints a param bound in the param's own unit: durations in Go syntax
// (the spec keeps them in seconds), sizes in binary units, numbers plainly.
func bound(t workloads.ParamType, v float64) string {
	switch t {
	case workloads.Duration:
		return time.Duration(v * float64(time.Second)).String()
	case workloads.Size:
		return scenarios.Size(int64(v)).String()
	case workloads.Int:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprintf("%g", v)
}

// defaultText prints a param's default as a scenario would spell it.
func defaultText(p workloads.ParamSpec) string {
	if n, ok := p.Default.(int64); ok && p.Type == workloads.Size {
		return scenarios.Size(n).String()
	}
	return fmt.Sprint(p.Default)
}

// embeddedSuite is the suite a bare `run` runs: the binary's own
// Options.Scenarios, or memprism's default suite.
func embeddedSuite(o Options) (*scenarios.Suite, error) {
	if o.Scenarios != nil {
		return scenarios.LoadFS(o.Registry, o.Scenarios)
	}
	return scenarios.Default(o.Registry)
}
