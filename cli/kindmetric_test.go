package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/results"
)

// TestCompareAndTrendKindMetric: a custom binary's reports carry its
// workload kind's own metric (Kind.Metrics, declared in the scenario's
// metrics); compare -metric and trend -metric follow it like a catalogue
// metric, and a name neither the catalogue nor the reports know is still
// refused, naming both.
func TestCompareAndTrendKindMetric(t *testing.T) {
	own := metric.Info{Name: "write_calls_per_quote", Unit: metric.Count, Direction: metric.LowerIsBetter, Label: "writes/quote", Doc: "Write calls per quote"}
	withOwn := func(r *results.Report) {
		s := &r.Scenarios[0]
		s.Metrics = append(s.Metrics, own)
		for vi := range s.Variants {
			v := &s.Variants[vi]
			for ri := range v.Runs {
				v.Runs[ri].Metrics[own.Name] = 0.25 * float64(vi+1)
			}
			v.Summary[own.Name] = results.Summarize(results.RunValues(v, own.Name))
		}
	}
	root := t.TempDir()
	old := writeRunDir(t, root, "aaaaaaa111", 0, 1, withOwn)
	neu := writeRunDir(t, root, "bbbbbbb222", 1, 1, withOwn)

	var so, se bytes.Buffer
	if code := runCompare("memprism", &so, &se, []string{"-metric", own.Name, old, neu}); code != ExitOK {
		t.Fatalf("compare -metric %s: exit %d\n%s", own.Name, code, se.String())
	}
	if !strings.Contains(so.String(), "write calls per quote") || strings.Contains(so.String(), "peak heap") {
		t.Errorf("compare -metric %s printed\n%s\nwant only its rows", own.Name, so.String())
	}
	so.Reset()
	se.Reset()
	if code := runTrend("memprism", &so, &se, []string{"-metric", own.Name, "-o", t.TempDir(), old, neu}); code != ExitOK {
		t.Fatalf("trend -metric %s: exit %d\n%s", own.Name, code, se.String())
	}
	if !strings.Contains(so.String(), own.Name) || strings.Count(so.String(), "aaaaaaa") == 0 {
		t.Errorf("trend -metric %s printed\n%s", own.Name, so.String())
	}
	for _, args := range [][]string{
		{"compare", "-metric", "write_call_per_quote", old, neu},
		{"trend", "-metric", "write_call_per_quote", old, neu},
	} {
		so.Reset()
		se.Reset()
		run := runCompare
		if args[0] == "trend" {
			run = runTrend
		}
		if code := run("memprism", &so, &se, args[1:]); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
		if !strings.Contains(se.String(), `unknown metric "write_call_per_quote"`) || !strings.Contains(se.String(), own.Name) {
			t.Errorf("%v: stderr\n%s\nwant the unknown name and the reports' own metrics", args, se.String())
		}
	}
}
