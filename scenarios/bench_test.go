package scenarios

import (
	"os"
	"testing"
)

// BenchmarkParse measures decoding and validating one typical scenario file.
func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/valid/full.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("full.yaml", data, testCatalog); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseInvalid measures a file with many problems, all reported.
func BenchmarkParseInvalid(b *testing.B) {
	data, err := os.ReadFile("testdata/invalid/bad-targets.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("bad-targets.yaml", data, testCatalog); err == nil {
			b.Fatal("want errors")
		}
	}
}
