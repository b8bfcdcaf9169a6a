package plots

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/memprism/memprism/results"
)

func BenchmarkTimeline(b *testing.B) {
	r, err := results.ReadReport(filepath.Join("testdata", "report.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := Timeline(io.Discard, &r.Scenarios[0]); err != nil {
			b.Fatal(err)
		}
	}
}
