package results

import (
	"io"
	"testing"
)

func BenchmarkSummarize(b *testing.B) {
	xs := make([]float64, 20)
	for i := range xs {
		xs[i] = float64((i * 7919) % 101)
	}
	b.ReportAllocs()
	for b.Loop() {
		Summarize(xs)
	}
}

func BenchmarkCompareReports(b *testing.B) {
	old := loadFixture(b)
	neu := loadFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		CompareReports(old, neu, DefaultCompareOptions)
	}
}

func BenchmarkWriteMarkdown(b *testing.B) {
	r := loadFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteMarkdown(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
