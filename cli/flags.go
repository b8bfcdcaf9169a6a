package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/memprism/memprism/plots"
	"github.com/memprism/memprism/scenarios"
)

// parseFlags parses a command's flags. When ok is false the command returns
// code: ExitOK after -h, ExitUsage after a bad flag (fs has printed why).
// Flags go before the arguments; a flag-like argument after them (without a
// "--" before it) is an error that says so, rather than a file of that name.
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, false
		}
		return ExitUsage, false
	}
	rest := fs.Args()
	if dd := slices.Index(args, "--"); dd >= 0 && len(args)-dd-1 == len(rest) {
		return 0, true // "--" ended the flags: what follows is arguments, whatever it looks like
	}
	for _, a := range rest {
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		if name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); fs.Lookup(name) == nil && name != "h" && name != "help" {
			fmt.Fprintf(fs.Output(), "%s: flag provided but not defined: %s (and flags go before the arguments)\n", fs.Name(), a)
			fs.Usage()
			return ExitUsage, false
		}
		fmt.Fprintf(fs.Output(), "%s: %q comes after the arguments; flags go before them: %s %s\n(put -- before an argument that starts with -)\n",
			fs.Name(), a, fs.Name(), strings.Join(flagsFirst(fs, rest), " "))
		return ExitUsage, false
	}
	return 0, true
}

// flagsFirst reorders args as they should have been written: the flag-like
// arguments (with the value after a non-boolean flag) first, then the rest.
func flagsFirst(fs *flag.FlagSet, args []string) []string {
	var flags, others []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || a[0] != '-' {
			others = append(others, a)
			continue
		}
		flags = append(flags, a)
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		if f == nil || hasValue || i+1 == len(args) {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		i++
		flags = append(flags, args[i])
	}
	return append(flags, others...)
}

// commandUsage sets fs's usage text: the synopsis line, a description and,
// when the command has any, its flags with their defaults.
func commandUsage(fs *flag.FlagSet, w io.Writer, prog, synopsis, doc string) {
	fs.Usage = func() {
		fmt.Fprintf(w, "usage: %s\n\n%s\n", strings.TrimSpace(prog+" "+fs.Name()+" "+synopsis), strings.TrimSpace(doc))
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(w, "\nflags:")
			fs.PrintDefaults()
		}
	}
}

// writeChart writes a chart into dir/name (plots.WriteChart), creating dir,
// and tells stderr where it went.
func writeChart(stderr io.Writer, dir, name string, draw func(io.Writer) error) error {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	path := filepath.Join(dir, name)
	if err := plots.WriteChart(path, draw); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "chart: %s\n", path)
	return nil
}

// userPrefixFlag collects -user-prefix values: package path prefixes, the
// flag repeated or its values comma-separated.
type userPrefixFlag []string

func (f *userPrefixFlag) String() string { return strings.Join(*f, ",") }

func (f *userPrefixFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSuffix(strings.TrimSpace(p), "/")
		if !scenarios.IsPackagePath(p) {
			return fmt.Errorf("%q is not a package path (like example.com/svc)", p)
		}
		*f = append(*f, p)
	}
	return nil
}
