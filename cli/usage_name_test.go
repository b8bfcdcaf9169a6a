package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestUsageNamesTheBinary: a custom binary (cli.Options.Name) shows its own
// name in every command's usage, from `help CMD`, `CMD -h` and a usage
// error alike, never "memprism".
func TestUsageNamesTheBinary(t *testing.T) {
	for _, cmd := range []string{"run", "validate", "list", "compare", "trend", "plot", "merge", "version"} {
		for _, args := range [][]string{{"help", cmd}, {cmd, "-h"}} {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				var so, se bytes.Buffer
				Exec(context.Background(), args, Options{Name: "quotes"}, IO{Stdin: strings.NewReader(""), Stdout: &so, Stderr: &se})
				out := so.String() + se.String()
				if want := "usage: quotes " + cmd; !strings.Contains(out, want) || strings.Contains(out, "usage: memprism") {
					t.Errorf("%v printed\n%s\nwant %q and no \"usage: memprism\"", args, out, want)
				}
			})
		}
	}
	var so, se bytes.Buffer
	Exec(context.Background(), []string{"compare", "one"}, Options{Name: "quotes"}, IO{Stdin: strings.NewReader(""), Stdout: &so, Stderr: &se})
	if !strings.Contains(se.String(), "usage: quotes compare") {
		t.Errorf("compare with one report printed\n%s\nwant its usage under the binary's name", se.String())
	}
}
