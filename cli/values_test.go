//go:build unix

package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/memprism/memprism/results"
)

// TestDoctoredFiguresRefused checks that every reader of reports (compare,
// trend, merge, plot) refuses a report whose runs hold figures no run can
// produce, with exit 2, the file, the place in the report and what is
// allowed, and writes nothing.
func TestDoctoredFiguresRefused(t *testing.T) {
	root := t.TempDir()
	good := hostileRunDir(t, root, "good", func(*results.Report) {})
	shard := func(r *results.Report) {
		names := make([]string, len(r.Scenarios))
		for i, s := range r.Scenarios {
			names[i] = s.Name
		}
		r.Settings.Shard = &results.Shard{Index: 1, Count: 1, Suite: names}
	}
	negative := hostileRunDir(t, root, "negative", func(r *results.Report) {
		shard(r)
		r.Scenarios[0].Variants[1].Runs[2].Metrics[results.PeakHeapBytes] = -4096
	})
	absurd := hostileRunDir(t, root, "absurd", func(r *results.Report) {
		shard(r)
		r.Scenarios[0].Variants[0].Runs[0].Metrics[results.TotalAllocBytes] = 1e308
	})
	negPlace := `scenario "trade-records" variant "compact" runs[2].metrics.peak_heap_bytes: -4096 is negative; peak_heap_bytes is never negative: allowed bytes in [0, 1.8446744073709552e+19]`
	absPlace := `scenario "trade-records" variant "naive" runs[0].metrics.total_alloc_bytes: 1e+308 is out of range for total_alloc_bytes: allowed bytes in [0, 1.8446744073709552e+19]`
	out := filepath.Join(root, "out")
	tests := []struct {
		name string
		args []string
		file string
		want string
	}{
		{"compare new", []string{"compare", "-o", out, good, negative}, negative, negPlace},
		{"compare old", []string{"compare", absurd, good}, absurd, absPlace},
		{"trend", []string{"trend", "-o", out, good, absurd}, absurd, absPlace},
		{"merge", []string{"merge", "-out", out, negative}, negative, negPlace},
		{"plot", []string{"plot", absurd}, absurd, absPlace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := memprismWithin(t, 30*time.Second, tt.args...)
			want := filepath.Join(tt.file, results.ReportFile) + ": invalid report"
			if r.code != 2 || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 2, %q and %q", r.code, r.stderr, want, tt.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
}
