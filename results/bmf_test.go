package results

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"
)

// measureSlug is what Bencher accepts as a measure slug: kebab case.
var measureSlug = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// TestBMFShape checks bmf.json against the Bencher Metric Format's JSON
// schema (https://bencher.dev/bmf.json: an object of benchmarks, each an
// object of measures, each an object with a required number "value" and
// optional numbers "lower_value" and "upper_value", nothing else) and
// Bencher's identifier limits, and that the figures are the report's.
func TestBMFShape(t *testing.T) {
	r := loadFixture(t)
	var b bytes.Buffer
	if err := WriteBMF(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc map[string]map[string]map[string]any
	dec := json.NewDecoder(&b)
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("bmf.json is not an object of objects of objects: %v", err)
	}
	if len(doc) == 0 {
		t.Fatal("bmf.json holds no benchmark")
	}
	withInterval := 0
	for bench, measures := range doc {
		if bench == "" || len(bench) > BMFMaxBenchmarkName {
			t.Errorf("benchmark name %q: want 1..%d characters", bench, BMFMaxBenchmarkName)
		}
		if len(measures) == 0 {
			t.Errorf("benchmark %s has no measure", bench)
		}
		for measure, fields := range measures {
			if len(measure) > BMFMaxMeasure || !measureSlug.MatchString(measure) {
				t.Errorf("%s: measure %q is not a kebab-case slug of at most %d characters", bench, measure, BMFMaxMeasure)
			}
			num := map[string]float64{}
			for k, v := range fields {
				if k != "value" && k != "lower_value" && k != "upper_value" {
					t.Errorf("%s %s: key %q is not in the format", bench, measure, k)
					continue
				}
				n, ok := v.(json.Number)
				if !ok {
					t.Errorf("%s %s: %s is %T, want a number", bench, measure, k, v)
					continue
				}
				f, err := n.Float64()
				if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
					t.Errorf("%s %s: %s = %v is not a finite number", bench, measure, k, n)
				}
				num[k] = f
			}
			if _, ok := fields["value"]; !ok {
				t.Errorf("%s %s: no value", bench, measure)
			}
			lo, hasLo := num["lower_value"]
			hi, hasHi := num["upper_value"]
			if hasLo != hasHi {
				t.Errorf("%s %s: lower_value and upper_value come together", bench, measure)
			}
			if hasLo {
				withInterval++
				if !(lo <= num["value"] && num["value"] <= hi) {
					t.Errorf("%s %s: value %v outside [%v, %v]", bench, measure, num["value"], lo, hi)
				}
			}
		}
	}
	if withInterval == 0 {
		t.Error("no measure carries an interval, though the fixture has variants with 8 runs")
	}
	// The figures are the report's medians.
	v := r.Scenarios[0].Variants[0]
	got := BMFOf(r)[r.Scenarios[0].Name+"/"+v.Name]["peak-heap-bytes"]
	if want := v.Summary[PeakHeapBytes]; got.Value != want.Median || got.LowerValue == nil || *got.LowerValue != want.CILow || *got.UpperValue != want.CIHigh {
		t.Errorf("peak-heap-bytes %+v, want the summary %+v", got, want)
	}
}

func TestBMFMeasure(t *testing.T) {
	for _, tt := range []struct{ give, want string }{
		{"peak_heap_bytes", "peak-heap-bytes"},
		{"snapshot.after-load.live_heap_bytes", "snapshot-after-load-live-heap-bytes"},
		{"Pool Hit_Rate", "pool-hit-rate"},
		{"__x__", "x"},
		{"snapshot." + strings.Repeat("a", 45) + ".rss_bytes", "snapshot-" + strings.Repeat("a", 45) + "-rss-bytes"}, // 64: kept whole
	} {
		t.Run(tt.give, func(t *testing.T) {
			if got := BMFMeasure(tt.give); got != tt.want {
				t.Errorf("BMFMeasure(%q) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
	// Metrics that differ only past Bencher's 64-character limit (a snapshot
	// with a long label) must stay distinct measures, each within the limit.
	label := strings.Repeat("after_the_whole_day_", 3)[:50]
	seen := map[string]string{}
	for _, field := range []string{"live_heap_bytes", "live_heap_growth_bytes", "heap_objects", "rss_bytes", "goroutines"} {
		m := "snapshot." + label + "." + field
		got := BMFMeasure(m)
		if len(got) > BMFMaxMeasure {
			t.Errorf("BMFMeasure(%q) = %q, %d characters, want at most %d", m, got, len(got), BMFMaxMeasure)
		}
		if other, dup := seen[got]; dup {
			t.Errorf("BMFMeasure gives %q for both %q and %q: one overwrites the other in bmf.json", got, other, m)
		}
		seen[got] = m
		if BMFMeasure(m) != got {
			t.Errorf("BMFMeasure(%q) is not deterministic", m)
		}
	}
}

// TestExportsKeepQuickApart: a run -quick report's figures come from work
// sized differently, so the trackers' exports name its variants apart from
// a full run's (as bench.txt's "work:" line and trend do); otherwise a
// tracker fed both would see a quick run as a regression or an improvement.
func TestExportsKeepQuickApart(t *testing.T) {
	full := loadFixture(t)
	quick := loadFixture(t)
	quick.Settings.Quick = true
	s, v := full.Scenarios[0].Name, full.Scenarios[0].Variants[0].Name
	if _, ok := BMFOf(full)[s+"/"+v]; !ok {
		t.Fatalf("full bmf.json lacks %s/%s", s, v)
	}
	qb := BMFOf(quick)
	if _, ok := qb[s+"/"+v]; ok {
		t.Errorf("quick bmf.json names %s/%s as a full run does", s, v)
	}
	if _, ok := qb[s+"/"+v+" (quick)"]; !ok {
		t.Errorf("quick bmf.json lacks %q; has %v", s+"/"+v+" (quick)", keys(qb))
	}
	fullNames := map[string]bool{}
	for _, e := range GHAEntries(full) {
		fullNames[e.Name] = true
	}
	qg := GHAEntries(quick)
	if len(qg) == 0 {
		t.Fatal("no gha.json entries")
	}
	for _, e := range qg {
		if fullNames[e.Name] || !strings.Contains(e.Name, " (quick) ") {
			t.Errorf("quick gha.json entry %q: want it named apart from the full run's, with (quick)", e.Name)
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
