package results

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReportReaders feeds report.json bytes to what compare, trend, plot
// and merge do with a report they read: decode (bounded, validated), compare
// with a real report both ways, follow a trend, merge with itself, and render
// every text format. A report that decodes must name only files inside its
// run directory, and nothing may panic or fail to render.
func FuzzReportReaders(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "report.json"))
	if err != nil {
		f.Fatal(err)
	}
	real, err := DecodeReport(bytes.NewReader(seed))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(smallReport(f, seed))
	f.Add([]byte(`{"schema_version":1,"scenarios":[{"name":"../escaped","variants":[{"name":"x"}]}]}`))
	f.Add([]byte(`{"schema_version":1,"scenarios":[{"name":"a","variants":[{"name":"b-c","profile":"a-b-c.pprof"}]},{"name":"a-b","variants":[{"name":"c","profile":"a-b-c.pprof"}]}]}`))
	f.Add([]byte("{\"schema_version\":1,\"scenarios\":[{\"name\":\"a\",\"variants\":[{\"name\":\"x\\u001b[2J\"}]}]}"))
	f.Add([]byte(`{"schema_version":1,"scenarios":[{"name":"a","variants":[{"name":"x","profile":"/dev/zero"}]}]}`))
	f.Add([]byte(`{"schema_version":1,"scenarios":[{"name":"a","baseline":"x","variants":[{"name":"x","runs":[{"metrics":{"peak_heap_bytes":1e308}},{"metrics":{"peak_heap_bytes":-1e308}}],"timeline":{"t_seconds":[-1e308,1e308],"heap_bytes":[1,2]}}]}]}`))
	f.Add([]byte(`{"schema_version":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeReport(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, s := range r.Scenarios {
			for _, name := range ChartNames(s.Name) {
				if !filepath.IsLocal(name) || filepath.Base(name) != name {
					t.Fatalf("chart %q of an accepted report leaves the run directory", name)
				}
			}
			for _, v := range s.Variants {
				if v.Profile != "" && (!filepath.IsLocal(v.Profile) || filepath.Base(v.Profile) != v.Profile) {
					t.Fatalf("profile %q of an accepted report leaves the run directory", v.Profile)
				}
			}
		}
		for _, c := range []*Comparison{CompareReports(real, r, DefaultCompareOptions), CompareReports(r, real, DefaultCompareOptions)} {
			for _, render := range []func(io.Writer, *Comparison) error{WriteComparisonText, WriteComparisonMarkdown, WriteComparisonJSON} {
				if err := render(io.Discard, c); err != nil {
					t.Fatalf("comparison renderer: %v", err)
				}
			}
		}
		for _, metric := range []string{PeakHeapBytes, OpsPerSec} {
			if err := WriteTrendText(io.Discard, Trend([]*Report{real, r, r}, metric)); err != nil {
				t.Fatalf("trend text: %v", err)
			}
		}
		if merged, _, err := Merge([]string{"a/report.json", "b/report.json"}, []*Report{r, r}); err == nil {
			if err := Validate(merged); err != nil {
				t.Fatalf("merging a valid report made an invalid one: %v", err)
			}
		}
	})
}

// smallReport is the fixture cut to one scenario of two variants with three
// runs each and short timelines: seeds stay small, so the fuzzer mutates and
// minimizes quickly.
func smallReport(f *testing.F, seed []byte) []byte {
	r, err := DecodeReport(bytes.NewReader(seed))
	if err != nil {
		f.Fatal(err)
	}
	s := r.Scenarios[0]
	s.Variants = s.Variants[:2]
	for i := range s.Variants {
		v := &s.Variants[i]
		v.Runs = v.Runs[:3]
		v.TopAllocations = v.TopAllocations[:min(2, len(v.TopAllocations))]
		if v.Timeline != nil {
			n := min(4, len(v.Timeline.TSeconds))
			v.Timeline = &Timeline{TSeconds: v.Timeline.TSeconds[:n], HeapBytes: v.Timeline.HeapBytes[:n]}
		}
	}
	r.Scenarios = []Scenario{s}
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		f.Fatal(err)
	}
	return b.Bytes()
}
