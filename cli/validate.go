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

	"github.com/memprism/memprism/scenarios"
	"github.com/memprism/memprism/workloads"
)

func runValidate(_ context.Context, o Options, stdio IO, args []string) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(stdio.Stderr, "usage: %s validate FILE|DIR...\n\nChecks scenario files and prints every problem as file:line:col: message.\n", o.Name)
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return ExitUsage
	}
	suite, err := scenarios.Load(o.Registry, fs.Args()...)
	if err != nil {
		errorLines(stdio.Stderr, err)
		return ExitUsage
	}
	for _, sc := range suite.Scenarios {
		fmt.Fprintf(stdio.Stdout, "ok  %s  %s (%s, %d variants)\n", sc.Source, sc.Name, sc.Workload, len(sc.Variants))
	}
	return ExitOK
}

func runList(_ context.Context, o Options, stdio IO, args []string) int {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
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
	}
	suite, err := scenarios.Default(o.Registry)
	if err != nil {
		fmt.Fprintln(w)
		errorLines(stdio.Stderr, err)
		return ExitUsage
	}
	fmt.Fprintln(w, "\nEmbedded scenarios (the default suite of `memprism run`):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
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
