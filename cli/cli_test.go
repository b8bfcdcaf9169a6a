package cli_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/memprism/memprism/cli"

	"github.com/memprism/memprism/internal/golden"
)

// TestCommandsGolden runs the commands that need no worker processes
// in-process and checks their exit code, stdout and stderr against golden files.
func TestCommandsGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"list", []string{"list"}, cli.ExitOK},
		{"validate-default", []string{"validate", "../scenarios/trade-records.yaml", "../scenarios/leak-demo.yaml"}, cli.ExitOK},
		{"validate-invalid", []string{"validate", "testdata/e2e/invalid.yaml"}, cli.ExitUsage},
		{"validate-missing", []string{"validate", "testdata/no-such-file.yaml"}, cli.ExitUsage},
		{"validate-huge-numbers", []string{"validate", "testdata/validate/huge-numbers.yaml", "testdata/validate/huge-durations.yaml"}, cli.ExitUsage},
		{"validate-no-args", []string{"validate"}, cli.ExitUsage},
		{"run-bad-regexp", []string{"run", "-run", "("}, cli.ExitUsage},
		{"run-no-match", []string{"run", "-run", "^nothing$"}, cli.ExitUsage},
		{"unknown-command", []string{"frobnicate"}, cli.ExitUsage},
		{"no-command", nil, cli.ExitUsage},
		{"compare-one-arg", []string{"compare", "a"}, cli.ExitUsage},
		{"help", []string{"help"}, cli.ExitOK},
		{"help-run", []string{"help", "run"}, cli.ExitOK},
		{"help-unknown", []string{"help", "frobnicate"}, cli.ExitUsage},
		{"list-h", []string{"list", "-h"}, cli.ExitOK},
		{"list-extra-arg", []string{"list", "x"}, cli.ExitUsage},
		{"validate-flag-after-args", []string{"validate", "../scenarios/trade-records.yaml", "-h"}, cli.ExitUsage},
		{"run-flag-after-args", []string{"run", "testdata/e2e/pass.yaml", "-q"}, cli.ExitUsage},
		{"validate-unknown-flag-after-args", []string{"validate", "../scenarios/trade-records.yaml", "-q"}, cli.ExitUsage},
		{"run-bad-shard", []string{"run", "-shard", "3/2"}, cli.ExitUsage},
		{"run-reps-huge", []string{"run", "-out", "testdata/never", "-reps", "2000000000"}, cli.ExitUsage},
		{"trend-flag-after-args", []string{"trend", "a", "-o", "x"}, cli.ExitUsage},
		{"merge-no-args", []string{"merge"}, cli.ExitUsage},
		{"merge-not-shard", []string{"merge", "-out", "testdata/never", "testdata/reports/report.json"}, cli.ExitUsage},
		{"version-extra-arg", []string{"version", "x"}, cli.ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := cli.Exec(context.Background(), tt.args, cli.Options{}, cli.IO{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstderr:\n%s", code, tt.code, stderr.String())
			}
			checkOutput(t, tt.name+".stdout", stdout.String())
			checkOutput(t, tt.name+".stderr", stderr.String())
		})
	}
}

func checkOutput(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "golden", name), []byte(got))
}
