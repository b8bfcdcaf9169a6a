//go:build unix

package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/memprism/memprism/results"
)

// TestTrendFoldsShards checks that trend shows a sharded suite run once:
// the merged report is the point, its shards (in the same runs directory or
// named beside it) are left out and named on stdout.
func TestTrendFoldsShards(t *testing.T) {
	root := t.TempDir()
	runs := filepath.Join(root, "runs")
	var shardDirs []string
	var shards []*results.Report
	for k := 1; k <= 2; k++ {
		dir := hostileRunDir(t, runs, "20260101T00000"+string(rune('0'+k))+"Z-shard", func(r *results.Report) {
			suite := make([]string, len(r.Scenarios))
			for i, s := range r.Scenarios {
				suite[i] = s.Name
			}
			r.Scenarios = r.Scenarios[k-1 : k]
			r.Settings.Shard = &results.Shard{Index: k, Count: 2, Suite: suite}
		})
		r, err := results.ReadReport(dir)
		if err != nil {
			t.Fatal(err)
		}
		shardDirs, shards = append(shardDirs, dir), append(shards, r)
	}
	merged, _, err := results.Merge(shardDirs, shards)
	if err != nil {
		t.Fatal(err)
	}
	mergedDir := filepath.Join(runs, "20260101T000003Z-merged")
	if err := results.WriteRun(mergedDir, merged); err != nil {
		t.Fatal(err)
	}
	report := func(dir string) string { return filepath.Join(dir, results.ReportFile) }
	tests := []struct {
		name   string
		args   []string
		want   string
		stderr string
	}{
		{"runs directory", []string{"trend", "-o", root, runs},
			"folded: 2 shard reports into the merged report " + report(mergedDir) + ", shown as its one point: " + report(shardDirs[0]) + ", " + report(shardDirs[1]), ""},
		{"named beside the directory", []string{"trend", "-o", root, shardDirs[1], runs},
			"folded: 2 shard reports into the merged report " + report(mergedDir), "is given twice; shown once"},
		{"merged and one shard named", []string{"trend", "-o", root, mergedDir, shardDirs[0]},
			"folded: 1 shard report into the merged report " + report(mergedDir) + ", shown as its one point: " + report(shardDirs[0]), ""},
		{"a report given twice", []string{"trend", "-o", root, mergedDir, report(mergedDir)},
			"", report(mergedDir) + " is given twice; shown once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := memprismWithin(t, 30*time.Second, tt.args...)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stdout, "across 1 report\n") || !strings.Contains(r.stdout, tt.want) {
				t.Errorf("stdout:\n%s\nwant one point and %q", r.stdout, tt.want)
			}
			if !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr:\n%s\nwant %q", r.stderr, tt.stderr)
			}
			if n := strings.Count(r.stdout, "trade-records/naive"); n != 1 {
				t.Errorf("trade-records/naive shown %d times, want once:\n%s", n, r.stdout)
			}
		})
	}
}
