package cli

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/memprism/memprism/internal/golden"
	"github.com/memprism/memprism/results"
)

// fixtureReport reads the synthetic report under testdata/reports.
func fixtureReport(t *testing.T) *results.Report {
	t.Helper()
	r, err := results.ReadReport(filepath.Join("testdata", "reports", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// writeRunDir writes the fixture, measured at commit a given number of days
// later with the compact variant's peak heap scaled by factor, as a run
// directory under root and returns its path.
func writeRunDir(t *testing.T, root, commit string, days int, factor float64, edits ...func(*results.Report)) string {
	t.Helper()
	r := fixtureReport(t)
	r.Env.Commit = commit
	r.StartedAt = r.StartedAt.Add(time.Duration(days) * 24 * time.Hour)
	v := r.Scenarios[0].VariantByName("compact")
	for i := range v.Runs {
		v.Runs[i].Metrics[results.PeakHeapBytes] *= factor
	}
	v.Summary[results.PeakHeapBytes] = results.Summarize(results.RunValues(v, results.PeakHeapBytes))
	for _, e := range edits {
		e(r)
	}
	dir := filepath.Join(root, r.StartedAt.Format("20060102T150405Z")+"-"+commit[:7])
	if err := results.WriteRun(dir, r); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCompareCommand(t *testing.T) {
	root := t.TempDir()
	old := writeRunDir(t, root, "aaaaaaa111", 0, 1)
	same := writeRunDir(t, root, "bbbbbbb222", 1, 1)
	worse := writeRunDir(t, root, "ccccccc333", 2, 1.1)
	onlyFew := func(r *results.Report) { r.Scenarios = r.Scenarios[1:] } // fanout: 4 runs a side
	fewOld := writeRunDir(t, root, "ddddddd444", 3, 1, onlyFew)
	fewNew := writeRunDir(t, root, "eeeeeee555", 4, 1, onlyFew)
	crashed := writeRunDir(t, root, "fffffff666", 5, 1, func(r *results.Report) {
		v := r.Scenarios[0].VariantByName("leaky")
		v.Runs[0].Fault, v.Runs[0].Error = "oom", "fatal error: runtime: out of memory"
	})
	lost := writeRunDir(t, root, "aaaaaab777", 6, 1, func(r *results.Report) { r.Scenarios[0].Variants = r.Scenarios[0].Variants[:2] })
	out := filepath.Join(root, "out")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"no change", []string{old, same}, ExitOK, []string{"No regressions beyond 5%.", "scenario: trade-records"}, nil},
		{"regression", []string{old, worse}, ExitFail, []string{"REGRESSION", "1 regression(s) beyond 5%: trade-records/compact peak heap +10.0% [+9.3%, +10.7%]."}, nil},
		{"too few runs to detect, gated", []string{"-threshold", "5%", fewOld, fewNew}, ExitFail, []string{"cannot detect regressions with n=4; need >= 6 runs a side"}, nil},
		{"too few runs to detect, not gated", []string{fewOld, fewNew}, ExitOK, []string{"cannot detect regressions with n=4"}, nil},
		{"new runs crashed", []string{old, crashed}, ExitFail, []string{"FAILED: trade-records/leaky: 1 of 8 new runs failed (oom: fatal error: runtime: out of memory)"}, nil},
		{"variant missing from new", []string{old, lost}, ExitFail, []string{"MISSING: scenario trade-records: variant leaky is in the old report but missing from the new one"}, nil},
		{"bare threshold number", []string{"-threshold", "10", old, same}, ExitUsage, nil, []string{`"10" would mean 1000%; write 10%`}},
		{"report files work too", []string{filepath.Join(old, "report.json"), filepath.Join(worse, "report.json")}, ExitFail, []string{"REGRESSION"}, nil},
		{"threshold 20%", []string{"-threshold", "20%", old, worse}, ExitOK, []string{"threshold: 20%"}, nil},
		{"threshold as fraction", []string{"-threshold", "0.2", old, worse}, ExitOK, []string{"No regressions beyond 20%."}, nil},
		{"improvement is no regression", []string{worse, old}, ExitOK, []string{"-9.1%"}, nil},
		{"metric filter", []string{"-metric", "allocs_per_op,gc_cycles", old, worse}, ExitOK, []string{"allocs/op", "GC cycles"}, nil},
		{"markdown", []string{"-format", "md", old, worse}, ExitFail, []string{"# memprism compare: aaaaaaa → ccccccc", "| compact | peak heap |", "❌ REGRESSION"}, nil},
		{"json", []string{"-format", "json", old, same}, ExitOK, []string{`"rows": [`, `"mismatches": []`}, nil},
		{"chart", []string{"-o", out, old, worse}, ExitFail, nil, []string{"chart: " + filepath.Join(out, "compare.png")}},
		{"one argument", []string{old}, ExitUsage, nil, []string{"want two reports", "usage: memprism compare"}},
		{"bad format", []string{"-format", "xml", old, same}, ExitUsage, nil, []string{`unknown -format "xml"`}},
		{"bad metric", []string{"-metric", "peak_heap", old, same}, ExitUsage, nil, []string{`unknown metric "peak_heap"`}},
		{"bad threshold", []string{"-threshold", "five", old, same}, ExitUsage, nil, []string{`invalid value "five" for flag -threshold`}},
		{"unreadable", []string{filepath.Join(root, "nope"), same}, ExitUsage, nil, []string{"compare: read report:", "no such file"}},
		{"help", []string{"-h"}, ExitOK, nil, []string{"usage: memprism compare", "-threshold"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var so, se bytes.Buffer
			code := runCompare("memprism", &so, &se, tt.args)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, so.String(), se.String())
			}
			for _, want := range tt.stdout {
				if !strings.Contains(so.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, so.String())
				}
			}
			for _, want := range tt.stderr {
				if !strings.Contains(se.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, se.String())
				}
			}
		})
	}
	var so, se bytes.Buffer
	runCompare("memprism", &so, &se, []string{"-format", "json", old, worse})
	var c results.Comparison
	if err := json.Unmarshal(so.Bytes(), &c); err != nil || len(c.Regressions()) != 1 {
		t.Errorf("json output: %v, %d regressions", err, len(c.Regressions()))
	}
	checkPNGFile(t, filepath.Join(out, "compare.png"))
}

func checkPNGFile(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() < 1200 || b.Dy() < 600 {
		t.Errorf("%s is %dx%d", path, b.Dx(), b.Dy())
	}
}

func TestTrendCommand(t *testing.T) {
	root := t.TempDir()
	runs := filepath.Join(root, "runs")
	writeRunDir(t, runs, "aaaaaaa111", 2, 0.8)
	writeRunDir(t, runs, "bbbbbbb222", 0, 1)
	one := writeRunDir(t, root, "ccccccc333", 5, 0.7)
	if err := os.MkdirAll(filepath.Join(runs, "not-a-run"), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "charts")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{"directory of runs and a run", []string{"-o", out, runs, one}, ExitOK, []string{"peak_heap_bytes (median ± 95% interval) across 3 reports", "bbbbbbb", "ccccccc"}, "chart: " + filepath.Join(out, "trend.png")},
		{"other metric", []string{"-o", out, "-metric", "allocs_per_op", runs}, ExitOK, []string{"allocs_per_op"}, ""},
		{"unknown metric", []string{"-metric", "heap", runs}, ExitUsage, nil, `unknown metric "heap"`},
		{"no arguments", nil, ExitUsage, nil, "want at least one report"},
		{"directory without runs", []string{"-o", out, filepath.Join(runs, "not-a-run")}, ExitUsage, nil, "no report.json in it or in its subdirectories"},
		{"missing", []string{filepath.Join(root, "nope")}, ExitUsage, nil, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var so, se bytes.Buffer
			code := runTrend("memprism", &so, &se, tt.args)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, so.String(), se.String())
			}
			for _, want := range tt.stdout {
				if !strings.Contains(so.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, so.String())
				}
			}
			if !strings.Contains(se.String(), tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, se.String())
			}
		})
	}
	var so, se bytes.Buffer
	runTrend("memprism", &so, &se, []string{"-o", out, runs, one})
	// Lines 3 to 5 are the first series' rows, one per report.
	lines := strings.Split(so.String(), "\n")
	var order []string
	for _, l := range lines[3:min(6, len(lines))] {
		for _, c := range []string{"aaaaaaa", "bbbbbbb", "ccccccc"} {
			if strings.Contains(l, " "+c+" ") {
				order = append(order, c)
			}
		}
	}
	if strings.Join(order, " ") != "bbbbbbb aaaaaaa ccccccc" {
		t.Errorf("rows in order %v, want oldest first:\n%s", order, so.String())
	}
	checkPNGFile(t, filepath.Join(out, "trend.png"))
}

func TestPlotCommand(t *testing.T) {
	root := t.TempDir()
	dir := writeRunDir(t, root, "aaaaaaa111", 0, 1)
	for _, arg := range []string{dir, filepath.Join(dir, "report.json")} {
		var so, se bytes.Buffer
		if code := runPlot("memprism", &so, &se, []string{arg}); code != ExitOK {
			t.Fatalf("plot %s: exit %d: %s", arg, code, se.String())
		}
		paths := strings.Fields(so.String())
		if len(paths) != 6 {
			t.Fatalf("printed %v, want six charts", paths)
		}
		for _, p := range paths {
			if filepath.Dir(p) != dir {
				t.Errorf("%s is not next to the report", p)
			}
			checkPNGFile(t, p)
		}
	}
	for _, args := range [][]string{nil, {dir, dir}, {filepath.Join(root, "nope")}} {
		var so, se bytes.Buffer
		if code := runPlot("memprism", &so, &se, args); code != ExitUsage {
			t.Errorf("plot %v: exit %d, want %d", args, code, ExitUsage)
		}
	}
}

// TestPrintVerdictsGolden pins the terminal verdict table: the estimate with
// its 95% interval as the headline, negative controls, the runs-needed hint
// of an inconclusive bound and leak rows.
func TestPrintVerdictsGolden(t *testing.T) {
	var b bytes.Buffer
	printVerdicts(&b, fixtureReport(t))
	golden.Check(t, filepath.Join("testdata", "golden", "verdicts.stdout"), b.Bytes())
	for _, want := range []string{"-40.2% [-40.8%, -39.8%]", "negative control: claim refuted", "~6 runs would likely decide it", "ESTIMATE [95% CI]"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("verdict table lacks %q:\n%s", want, b.String())
		}
	}
}
