package results

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchproc"
)

// cloneReport deep-copies r through its JSON form.
func cloneReport(t *testing.T, r *Report) *Report {
	t.Helper()
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var out Report
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

// TestBenchstatComparesTwoRuns writes the bench.txt of two runs at different
// commits and groups them as cmd/benchstat does by default (-table .config,
// -row .fullname, -col .file, benchproc projections, benchmath's
// assume-nothing comparison): every table must hold both files for every
// row, so that each row has an old and a new column and a delta.
func TestBenchstatComparesTwoRuns(t *testing.T) {
	old := loadFixture(t)
	neu := cloneReport(t, old)
	neu.Env.Commit = "fedcba9876543210fedcba9876543210fedcba98"
	neu.StartedAt = old.StartedAt.Add(24 * time.Hour)
	// The new commit halves the compact records' peak heap.
	for si := range neu.Scenarios {
		for vi := range neu.Scenarios[si].Variants {
			v := &neu.Scenarios[si].Variants[vi]
			if neu.Scenarios[si].Name == "trade-records" && v.Name == "compact" {
				for _, run := range v.Runs {
					run.Metrics[PeakHeapBytes] /= 2
				}
			}
		}
	}
	dir := t.TempDir()
	var paths []string
	for _, side := range []struct {
		name string
		r    *Report
	}{{"old", old}, {"new", neu}} {
		p := filepath.Join(dir, side.name, BenchFile)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := WriteFileAtomic(p, func(w io.Writer) error { return WriteBench(w, side.r) }); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}

	filter, err := benchproc.NewFilter("*")
	if err != nil {
		t.Fatal(err)
	}
	var pp benchproc.ProjectionParser
	tableBy, _, err := pp.ParseWithUnit(".config", filter)
	if err != nil {
		t.Fatal(err)
	}
	rowBy, err := pp.Parse(".fullname", filter)
	if err != nil {
		t.Fatal(err)
	}
	colBy, err := pp.Parse(".file", filter)
	if err != nil {
		t.Fatal(err)
	}
	type cell struct{ table, row, col benchproc.Key }
	samples := map[cell][]float64{}
	tables := map[benchproc.Key]map[benchproc.Key]map[benchproc.Key]bool{} // table -> row -> columns seen
	files := benchfmt.Files{Paths: paths}
	for files.Scan() {
		var res *benchfmt.Result
		switch rec := files.Result().(type) {
		case *benchfmt.SyntaxError:
			t.Fatalf("syntax error: %v", rec)
		case *benchfmt.Result:
			res = rec
		default:
			continue // unit metadata
		}
		row, col := rowBy.Project(res), colBy.Project(res)
		for i, tk := range tableBy.ProjectValues(res) {
			c := cell{tk, row, col}
			samples[c] = append(samples[c], res.Values[i].Value)
			if tables[tk] == nil {
				tables[tk] = map[benchproc.Key]map[benchproc.Key]bool{}
			}
			if tables[tk][row] == nil {
				tables[tk][row] = map[benchproc.Key]bool{}
			}
			tables[tk][row][col] = true
		}
	}
	if err := files.Err(); err != nil {
		t.Fatal(err)
	}
	if len(tables) == 0 {
		t.Fatal("no tables")
	}
	for tk, rows := range tables {
		for row, cols := range rows {
			if len(cols) != 2 {
				t.Errorf("table %s row %s has %d columns, want old and new", tk, row, len(cols))
			}
		}
	}

	// The delta column of the peak-heap-B table, as benchstat computes it.
	thresholds := benchmath.DefaultThresholds
	deltas := map[string]string{}
	for tk, rows := range tables {
		if !strings.Contains(tk.String(), ".unit:peak-heap-B") {
			continue
		}
		for row := range rows {
			var oldKey, newKey benchproc.Key
			for c := range samples {
				if c.table == tk && c.row == row {
					if strings.Contains(c.col.String(), "old") {
						oldKey = c.col
					} else {
						newKey = c.col
					}
				}
			}
			s1 := benchmath.NewSample(samples[cell{tk, row, oldKey}], &thresholds)
			s2 := benchmath.NewSample(samples[cell{tk, row, newKey}], &thresholds)
			a := benchmath.AssumeNothing
			cmp := a.Compare(s1, s2)
			deltas[row.StringValues()] = cmp.FormatDelta(a.Summary(s1, 0.95).Center, a.Summary(s2, 0.95).Center)
		}
	}
	for row, want := range map[string]string{
		"Scenarios/trade-records/compact-2": "-50.00%",
		"Scenarios/trade-records/naive-2":   "~",
		"Scenarios/fanout/worker-pool-2":    "~",
	} {
		if got := deltas[row]; got != want {
			t.Errorf("peak-heap-B delta of %s = %q, want %q (all: %v)", row, got, want, deltas)
		}
	}
}
