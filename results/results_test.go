package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchunit"
)

func TestSummarize(t *testing.T) {
	seq := func(n int) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[n-1-i] = float64(i + 1) // descending, to check sorting
		}
		return out
	}
	tests := []struct {
		name string
		give []float64
		want Summary
	}{
		{"empty", nil, Summary{}},
		{"one", []float64{7}, Summary{Median: 7, Mean: 7, Min: 7, Max: 7, CILow: 7, CIHigh: 7, N: 1}},
		{"nan dropped", []float64{math.NaN(), 3, math.Inf(1)}, Summary{Median: 3, Mean: 3, Min: 3, Max: 3, CILow: 3, CIHigh: 3, N: 1}},
		{"five: whole range", seq(5), Summary{Median: 3, Mean: 3, Min: 1, Max: 5, Stddev: math.Sqrt(2.5), CILow: 1, CIHigh: 5, N: 5, CIConfidence: 0.9375}},
		{"huge values do not overflow", []float64{math.MaxFloat64, math.MaxFloat64}, Summary{Median: math.MaxFloat64, Mean: math.MaxFloat64, Min: math.MaxFloat64, Max: math.MaxFloat64, CILow: math.MaxFloat64, CIHigh: math.MaxFloat64, N: 2, CIConfidence: 0.5}},
		{"ten: order statistics 2 and 9", seq(10), Summary{Median: 5.5, Mean: 5.5, Min: 1, Max: 10, Stddev: math.Sqrt(55.0 / 6), CILow: 2, CIHigh: 9, N: 10, CIConfidence: 1 - 2*11.0/1024}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			give := append([]float64(nil), tt.give...)
			got := Summarize(give)
			if !close(got, tt.want) {
				t.Errorf("Summarize(%v) = %+v, want %+v", tt.give, got, tt.want)
			}
			for i := range give {
				if !(math.IsNaN(give[i]) && math.IsNaN(tt.give[i])) && give[i] != tt.give[i] {
					t.Fatalf("Summarize modified its input")
				}
			}
			if _, err := json.Marshal(got); err != nil {
				t.Errorf("summary does not encode: %v", err)
			}
		})
	}
}

func close(a, b Summary) bool {
	eq := func(x, y float64) bool { return math.Abs(x-y) <= 1e-9*math.Max(1, math.Abs(y)) }
	return a.N == b.N && eq(a.Median, b.Median) && eq(a.Mean, b.Mean) && eq(a.Min, b.Min) && eq(a.Max, b.Max) &&
		eq(a.Stddev, b.Stddev) && eq(a.CILow, b.CILow) && eq(a.CIHigh, b.CIHigh) && eq(a.CIConfidence, b.CIConfidence)
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name        string
		old, new    []float64
		significant bool
		enough      bool
	}{
		{"separated five each", []float64{1, 2, 3, 4, 5}, []float64{6, 7, 8, 9, 10}, true, true},
		{"separated three each: too few", []float64{1, 2, 3}, []float64{6, 7, 8}, false, false},
		{"interleaved", []float64{1, 3, 5, 7, 9, 11}, []float64{2, 4, 6, 8, 10, 12}, false, true},
		{"identical counts", []float64{4, 4, 4, 4, 4, 4}, []float64{4, 4, 4, 4, 4, 4}, false, true},
		{"empty", nil, []float64{1, 2, 3}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Compare(tt.old, tt.new)
			if got.Significant() != tt.significant || got.Enough != tt.enough {
				t.Errorf("Compare = %+v: significant %t, want %t; enough %t, want %t", got, got.Significant(), tt.significant, got.Enough, tt.enough)
			}
			if got.N1 != len(tt.old) || got.N2 != len(tt.new) || math.IsNaN(got.P) || got.P < 0 || got.P > 1 {
				t.Errorf("Compare = %+v: bad sizes or p", got)
			}
		})
	}
	if p := Compare([]float64{1, 2, 3, 4, 5}, []float64{6, 7, 8, 9, 10}).P; math.Abs(p-0.007937) > 1e-5 {
		t.Errorf("p of two separated samples of five = %v, want 2/252", p)
	}
}

func TestMetrics(t *testing.T) {
	design := strings.Fields(`peak_rss_bytes peak_heap_bytes baseline_heap_bytes final_heap_bytes mean_heap_bytes
		heap_variance heap_stddev_bytes growth_bytes growth_rate_bytes_per_sec total_alloc_bytes total_allocs
		bytes_per_op allocs_per_op gc_cycles gc_pause_total_seconds peak_goroutines ops duration_seconds ops_per_sec
		latency_p50_seconds latency_p95_seconds latency_p99_seconds
		peak_rss_anon_bytes peak_rss_file_bytes baseline_rss_bytes rss_growth_bytes forced_gc_cycles sample_gap_max_seconds
		latency_p999_seconds service_p95_seconds send_lag_p95_seconds offered_rate achieved_rate messages_late messages_unsent
		heap_goal_floor_fraction`)
	if len(Metrics) != len(design) {
		t.Errorf("catalogue has %d metrics, docs/metrics.md %d", len(Metrics), len(design))
	}
	units := map[string]bool{}
	for _, name := range design {
		t.Run(name, func(t *testing.T) {
			m, ok := Metric(name)
			if !ok {
				t.Fatalf("missing from the catalogue")
			}
			if m.Doc == "" || strings.ContainsAny(m.BenchUnit, " \t") {
				t.Errorf("bad entry %+v", m)
			}
			if m.LowerIsBetter && m.HigherIsBetter {
				t.Errorf("both directions")
			}
			if m.BenchUnit != "" {
				if units[m.BenchUnit] {
					t.Errorf("bench unit %s used twice", m.BenchUnit)
				}
				units[m.BenchUnit] = true
				if _, tidy := benchunit.Tidy(1, m.BenchUnit); tidy != m.BenchUnit {
					t.Errorf("bench unit %s is not tidy (%s)", m.BenchUnit, tidy)
				}
			}
			wantBinary := m.Unit == "B" || m.Unit == "B/s"
			if m.BenchUnit != "" && (benchunit.ClassOf(m.BenchUnit) == benchunit.Binary) != wantBinary {
				t.Errorf("bench unit %s: binary scaling %t, want %t", m.BenchUnit, !wantBinary, wantBinary)
			}
		})
	}
	if _, ok := Metric("peak_heap"); ok {
		t.Errorf("Metric found an unknown name")
	}
}

func TestRenderersGolden(t *testing.T) {
	r := loadFixture(t)
	tests := []struct {
		file  string
		write func(io.Writer, *Report) error
	}{
		{"summary.md", WriteMarkdown},
		{"bench.txt", WriteBench},
		{"gha.json", WriteGHA},
		{"bmf.json", WriteBMF},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b, r); err != nil {
				t.Fatal(err)
			}
			checkFile(t, tt.file, b.Bytes())
		})
	}
}

func TestMarkdownContent(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMarkdown(&b, loadFixture(t)); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{"`0123456`", "go1.26.8 linux/amd64", "Test CPU @ 3.00GHz", "## trade-records: FAIL",
		"![trade-records-timeline](trade-records-timeline.png)", "![fanout-hotspots](fanout-hotspots.png)",
		"| leaky | yes | **yes** |", "### Allocated (churn)", "### Held at the end (bytes in use, retained)",
		"### Changed most against the baseline (`naive`)", "+500 (502) created at `fanout.go:61`, blocked in chan send at `fanout.go:64`",
		"go tool pprof -sample_index=inuse_space -top -diff_base trade-records-naive.pprof trade-records-leaky.pprof",
		"| goroutine-per-msg | no | **yes** | medium | +480 goroutines | 320 goroutines/s | <0.001 |", "`workloads.(*tradeChurn).newTrade`", "(range, 87.5%)", "-40.2% [-40.8%, -39.8%]", "claim refuted", "planning: about", "### Recommendations"} {
		if !strings.Contains(md, want) {
			t.Errorf("summary.md lacks %q", want)
		}
	}
}

func TestBenchReadable(t *testing.T) {
	r := loadFixture(t)
	var b bytes.Buffer
	if err := WriteBench(&b, r); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	rd := benchfmt.NewReader(&b, "bench.txt")
	var results []*benchfmt.Result
	for rd.Scan() {
		switch rec := rd.Result().(type) {
		case *benchfmt.SyntaxError:
			t.Errorf("syntax error: %v", rec)
		case *benchfmt.Result:
			results = append(results, rec.Clone())
		}
	}
	if err := rd.Err(); err != nil {
		t.Fatal(err)
	}
	if len(results) != 8*3+4*2 {
		t.Fatalf("read %d results, want one per counted run (32)", len(results))
	}
	first := results[0]
	if got := first.Name.String(); got != "Scenarios/trade-records/naive-2" {
		t.Errorf("first name %q", got)
	}
	// Only keys equal across runs on one machine: a commit or scenario key
	// would split benchstat's tables (it groups by file configuration).
	for key, want := range map[string]string{"goos": "linux", "goarch": "amd64", "cpu": "Test CPU @ 3.00GHz", "work": "full", "commit": "", "scenario": ""} {
		for _, res := range []*benchfmt.Result{first, results[len(results)-1]} {
			if got := res.GetConfig(key); got != want {
				t.Errorf("%s: config %s = %q, want %q", res.Name, key, got, want)
			}
		}
	}
	if !strings.HasPrefix(text, "# memprism run of commit "+r.Env.Commit) {
		t.Errorf("bench.txt does not start with the commit comment:\n%.200s", text)
	}
	run := r.Scenarios[0].Variants[0].Runs[0].Metrics
	if first.Iters != int(run[Ops]) {
		t.Errorf("iters %d, want ops %v", first.Iters, run[Ops])
	}
	for unit, want := range map[string]float64{"peak-heap-B": run[PeakHeapBytes], "B/op": run[BytesPerOp], "allocs/op": run[AllocsPerOp],
		"gc-cycles": run[GCCycles], "sec/op": run[DurationSeconds] / run[Ops]} {
		if got, ok := first.Value(unit); !ok || got != want {
			t.Errorf("value %s = %v (%t), want %v", unit, got, ok, want)
		}
	}
	units := rd.Units()
	if units.GetBetter("peak-heap-B") != -1 || units.GetBetter("ops/s") != 1 || units.GetBetter("gc-cycles") != -1 {
		t.Errorf("Unit better= metadata missing: %v", units)
	}
}

func TestShortFunc(t *testing.T) {
	tests := []struct{ give, want string }{
		{"github.com/memprism/memprism/workloads.(*tradeChurn).newTrade", "workloads.(*tradeChurn).newTrade"},
		{"github.com/memprism/memprism/pools.(*Pool[go.shape.*uint8]).Get", "pools.(*Pool[…]).Get"},
		{"example.com/w.(*ring[go.shape.struct { A example.com/x/y.T; B [4]int }]).get", "w.(*ring[…]).get"},
		{"main.main", "main.main"},
		{"runtime.malg", "runtime.malg"},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			if got := ShortFunc(tt.give); got != tt.want {
				t.Errorf("ShortFunc = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	write := func(s string, fail error) error {
		return WriteFileAtomic(path, func(w io.Writer) error {
			if _, err := io.WriteString(w, s); err != nil {
				return err
			}
			return fail
		})
	}
	check := func(want string) {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil || string(b) != want {
			t.Errorf("file = %q, %v; want %q", b, err, want)
		}
		ents, _ := os.ReadDir(dir)
		if len(ents) != 1 {
			t.Errorf("directory holds %d entries, want only the file", len(ents))
		}
	}
	if err := write("first", nil); err != nil {
		t.Fatal(err)
	}
	check("first")
	boom := errors.New("boom")
	if err := write(strings.Repeat("x", 1<<16), boom); !errors.Is(err, boom) || !strings.Contains(err.Error(), path) {
		t.Errorf("failing write: err = %v, want it wrapped with the path", err)
	}
	check("first")
	if err := write("second", nil); err != nil {
		t.Fatal(err)
	}
	check("second")
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "f"), func(io.Writer) error { return nil }); err == nil {
		t.Errorf("no error writing into a missing directory")
	}
}

func TestWriteRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	r := loadFixture(t)
	if err := WriteRun(dir, r); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "bench.txt bmf.json gha.json report.json summary.md" {
		t.Errorf("run directory holds %s", got)
	}
	back, err := ReadReport(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(r)
	b, _ := json.Marshal(back)
	if !bytes.Equal(a, b) {
		t.Errorf("report did not round-trip through the run directory")
	}
	var gha []GHAEntry
	raw, _ := os.ReadFile(filepath.Join(dir, GHAFile))
	if err := json.Unmarshal(raw, &gha); err != nil || len(gha) == 0 {
		t.Fatalf("gha.json: %v, %d entries", err, len(gha))
	}
	for _, e := range gha {
		if e.Name == "" || e.Unit == "" || strings.Contains(e.Name, OpsPerSec) {
			t.Errorf("bad gha entry %+v", e)
		}
	}
}

func TestReadReportErrors(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name   string
		path   string
		want   string
		schema bool
	}{
		{"missing", filepath.Join(dir, "nope.json"), "no such file", false},
		{"not json", file("a.json", "goos: linux\n"), "not a memprism report (invalid JSON)", false},
		{"no version", file("b.json", `{"verdict":"pass"}`), "no schema_version", true},
		{"future version", file("c.json", `{"schema_version":2}`), "schema_version 2, this memprism reads 1", true},
		{"wrong types", file("d.json", `{"schema_version":1,"scenarios":"x"}`), "decode report", false},
		{"directory without report", dir, "report.json", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadReport(tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			if errors.Is(err, ErrSchemaVersion) != tt.schema {
				t.Errorf("errors.Is(ErrSchemaVersion) = %t", !tt.schema)
			}
		})
	}
}

// changed returns a copy of the fixture measured at another commit, with the
// compact variant's peak heap scaled by factor.
func changed(t *testing.T, factor float64) *Report {
	t.Helper()
	r := loadFixture(t)
	r.Env.Commit = "fedcba9876543210fedcba9876543210fedcba98"
	r.StartedAt = r.StartedAt.Add(24 * time.Hour)
	v := r.Scenarios[0].VariantByName("compact")
	for i := range v.Runs {
		v.Runs[i].Metrics[PeakHeapBytes] *= factor
	}
	v.Summary[PeakHeapBytes] = Summarize(RunValues(v, PeakHeapBytes))
	return r
}

func TestCompareReports(t *testing.T) {
	scale := func(r *Report, variant, metric string, factor float64) {
		v := r.Scenarios[0].VariantByName(variant)
		for i := range v.Runs {
			v.Runs[i].Metrics[metric] *= factor
		}
		v.Summary[metric] = Summarize(RunValues(v, metric))
	}
	tests := []struct {
		name         string
		new          func(t *testing.T) *Report
		opts         CompareOptions
		regressions  []string
		mismatches   int
		missing      int
		failed       int
		undetectable bool
	}{
		{name: "same", new: func(t *testing.T) *Report { return loadFixture(t) }, opts: DefaultCompareOptions},
		{name: "compact peak heap +10%", new: func(t *testing.T) *Report { return changed(t, 1.1) }, opts: DefaultCompareOptions, regressions: []string{"trade-records/compact/peak_heap_bytes"}},
		{name: "+10% under a 20% threshold", new: func(t *testing.T) *Report { return changed(t, 1.1) }, opts: CompareOptions{Threshold: 0.2}},
		{name: "+6% is within the 5% threshold's interval", new: func(t *testing.T) *Report { return changed(t, 1.06) }, opts: DefaultCompareOptions},
		{name: "-10% is no regression", new: func(t *testing.T) *Report { return changed(t, 0.9) }, opts: DefaultCompareOptions},
		{name: "throughput -20% is a regression (higher is better)", new: func(t *testing.T) *Report {
			r := changed(t, 1)
			scale(r, "compact", OpsPerSec, 0.8)
			return r
		}, opts: DefaultCompareOptions, regressions: []string{"trade-records/compact/ops_per_sec"}},
		{name: "throughput +20% is not", new: func(t *testing.T) *Report {
			r := changed(t, 1)
			scale(r, "compact", OpsPerSec, 1.2)
			return r
		}, opts: DefaultCompareOptions},
		{name: "metric filter", new: func(t *testing.T) *Report { return changed(t, 1.1) }, opts: CompareOptions{Threshold: 0.05, Metrics: []string{BytesPerOp}}},
		{name: "scenario missing, params differ", new: func(t *testing.T) *Report {
			r := changed(t, 1)
			r.Scenarios = r.Scenarios[:1]
			r.Scenarios[0].Params["trades"] = 1000.0
			return r
		}, opts: DefaultCompareOptions, mismatches: 1, missing: 1},
		{name: "variant missing", new: func(t *testing.T) *Report {
			r := changed(t, 1)
			r.Scenarios[0].Variants = r.Scenarios[0].Variants[:2]
			return r
		}, opts: DefaultCompareOptions, missing: 1},
		{name: "new runs crashed", new: func(t *testing.T) *Report {
			r := changed(t, 1)
			v := r.Scenarios[0].VariantByName("compact")
			v.Runs[3].Error, v.Runs[3].Fault = "fatal error: runtime: out of memory", "oom"
			return r
		}, opts: DefaultCompareOptions, failed: 1},
		{name: "4 runs a side cannot show a regression among many rows", new: func(t *testing.T) *Report {
			r := changed(t, 1)
			r.Scenarios = r.Scenarios[1:] // fanout: 4 runs a side
			return r
		}, opts: DefaultCompareOptions, missing: 1, undetectable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := CompareReports(loadFixture(t), tt.new(t), tt.opts)
			var regs []string
			for _, r := range c.Regressions() {
				regs = append(regs, r.Scenario+"/"+r.Variant+"/"+r.Metric)
			}
			if fmt.Sprint(regs) != fmt.Sprint(tt.regressions) {
				t.Errorf("regressions %v, want %v", regs, tt.regressions)
			}
			if len(c.Mismatches) != tt.mismatches || len(c.Missing) != tt.missing || len(c.Failed) != tt.failed {
				t.Errorf("mismatches %q, missing %q, failed %q; want %d, %d, %d", c.Mismatches, c.Missing, c.Failed, tt.mismatches, tt.missing, tt.failed)
			}
			if c.Undetectable != tt.undetectable {
				t.Errorf("undetectable %t (min runs %d, need %d, %d rows), want %t", c.Undetectable, c.MinRuns, c.RunsNeeded, c.DirectionalRows, tt.undetectable)
			}
			if failing := len(regs) > 0 || tt.missing > 0 || tt.failed > 0; c.Failing() != failing {
				t.Errorf("Failing() = %t, want %t", c.Failing(), failing)
			}
			if tt.undetectable && !strings.Contains(c.conclusion(), fmt.Sprintf("cannot detect regressions with n=4; need >= %d runs a side", c.RunsNeeded)) {
				t.Errorf("conclusion %q", c.conclusion())
			}
			if len(c.Rows) == 0 {
				t.Errorf("no rows")
			}
			for _, r := range c.Rows {
				if r.Directional == (r.Metric == Ops) {
					t.Errorf("row %s directional %t", r.Metric, r.Directional)
				}
			}
			if len(tt.opts.Metrics) > 0 {
				for _, r := range c.Rows {
					if r.Metric != tt.opts.Metrics[0] {
						t.Errorf("row of unasked metric %s", r.Metric)
					}
				}
			}
		})
	}
}

func TestComparisonGolden(t *testing.T) {
	old := loadFixture(t)
	neu := changed(t, 1.1)
	neu.Scenarios = neu.Scenarios[:1]
	c := CompareReports(old, neu, CompareOptions{Threshold: 0.05, Metrics: []string{PeakHeapBytes, AllocsPerOp, OpsPerSec}})
	for _, tt := range []struct {
		file  string
		write func(io.Writer, *Comparison) error
	}{
		{"compare.txt", WriteComparisonText},
		{"compare.md", WriteComparisonMarkdown},
		{"compare.json", WriteComparisonJSON},
	} {
		t.Run(tt.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b, c); err != nil {
				t.Fatal(err)
			}
			checkFile(t, tt.file, b.Bytes())
		})
	}
}

func TestTrend(t *testing.T) {
	a := loadFixture(t)
	b := changed(t, 0.8)
	c := changed(t, 0.7) // same commit as b, a day later
	c.StartedAt = c.StartedAt.Add(24 * time.Hour)
	c.Env.Dirty = true
	td := Trend([]*Report{c, a, b}, PeakHeapBytes)
	var labels []string
	for _, p := range td.Points {
		labels = append(labels, p.Label)
	}
	if got := strings.Join(labels, " "); got != "0123456 fedcba9 fedcba9+" {
		t.Errorf("labels %q, want ordered by start time", got)
	}
	if len(td.Series) != 5 {
		t.Fatalf("%d series, want 5", len(td.Series))
	}
	s := td.Series[1]
	if s.Name() != "trade-records/compact" || !s.Values[0].Present || !(s.Values[2].Median < s.Values[1].Median && s.Values[1].Median < s.Values[0].Median) {
		t.Errorf("compact series %+v", s)
	}
	var out bytes.Buffer
	if err := WriteTrendText(&out, td); err != nil {
		t.Fatal(err)
	}
	checkFile(t, "trend.txt", out.Bytes())
	if td := Trend([]*Report{a}, "no_such_metric"); len(td.Series) != 0 {
		t.Errorf("series for an unknown metric")
	}
}

func FuzzReadReport(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "report.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"schema_version":1}`))
	f.Add([]byte(`{"schema_version":1,"scenarios":[{"name":"a","baseline":"x","variants":[{"name":"x","runs":[{"metrics":{"ops":0,"duration_seconds":-1}}]}]}]}`))
	f.Add([]byte(`{"schema_version":"1"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeReport(bytes.NewReader(data))
		if err != nil {
			if r != nil {
				t.Fatalf("report and error both returned")
			}
			return
		}
		var b bytes.Buffer
		if err := WriteJSON(&b, r); err != nil {
			t.Fatalf("decoded report does not encode: %v", err)
		}
		if _, err := DecodeReport(&b); err != nil {
			t.Fatalf("encoded report does not decode: %v", err)
		}
		for _, w := range []func(io.Writer, *Report) error{WriteMarkdown, WriteBench, WriteGHA} {
			if err := w(io.Discard, r); err != nil {
				t.Fatalf("renderer failed: %v", err)
			}
		}
		CompareReports(r, r, DefaultCompareOptions)
		Trend([]*Report{r, r}, PeakHeapBytes)
	})
}

func TestFormatIntervalNegativeMedian(t *testing.T) {
	s := Summary{Median: -100, CILow: -110, CIHigh: -95, N: 10, CIConfidence: 0.95}
	if got := FormatInterval(s); got != "± 10%" {
		t.Errorf("FormatInterval(%+v) = %q, want ± 10%%", s, got)
	}
}

func TestRegressionsControlFalseDiscoveries(t *testing.T) {
	c := &Comparison{}
	// 200 null directional rows, whose one-sided p-values are uniform (ten
	// fall under alpha by chance, as in a suite-wide compare with nothing
	// changed), one clear regression, and rows without a direction whose
	// small p-values must stay out of the family.
	for i := range 200 {
		p := (float64(i) + 0.5) / 200
		c.Rows = append(c.Rows, Row{Metric: "peak_heap_bytes", Variant: fmt.Sprint(i), PWorse: p, MinP: 1e-6, Directional: true})
	}
	for i := range 5 {
		c.Rows = append(c.Rows, Row{Metric: "ops", Variant: fmt.Sprint("ops", i), PWorse: 1e-9, MinP: 1e-6, Regression: true})
	}
	c.Rows = append(c.Rows, Row{Metric: "peak_heap_bytes", Variant: "real", PWorse: 1e-5, MinP: 1e-6, Directional: true})
	c.adjust()
	regs := c.Regressions()
	if len(regs) != 1 || regs[0].Variant != "real" {
		t.Fatalf("regressions %d (%+v), want only the real one", len(regs), regs)
	}
	if p := regs[0].PAdjusted; p < 1e-5 || p > 201e-5 {
		t.Errorf("adjusted p %g, want in [1e-5, 2.01e-3]", p)
	}
	if c.DirectionalRows != 201 || c.Undetectable {
		t.Errorf("directional rows %d, undetectable %t", c.DirectionalRows, c.Undetectable)
	}
}

// TestTrendIntervalConfidence: a trend row states the interval's real
// confidence, the report's own, never 0% or ∞ for a few runs.
func TestTrendIntervalConfidence(t *testing.T) {
	tests := []struct {
		name string
		give TrendValue
		want string
	}{
		{"95% interval", TrendValue{Present: true, Median: 100, CILow: 97, CIHigh: 104, HasCI: true, N: 10, Confidence: 0.95}, "± 4%"},
		{"range of five runs", TrendValue{Present: true, Median: 100, CILow: 96, CIHigh: 103, N: 5, Confidence: 0.9375}, "± 4% (range, 93.8%)"},
		{"older trend without confidence", TrendValue{Present: true, Median: 100, CILow: 96, CIHigh: 103, N: 4}, "± 4% (range, 87.5%)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatInterval(tt.give.summary()); got != tt.want {
				t.Errorf("FormatInterval = %q, want %q", got, tt.want)
			}
		})
	}
}
