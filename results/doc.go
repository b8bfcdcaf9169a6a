// Package results is the report memprism writes and everything computed
// from it: the report.json schema (Report, versioned by SchemaVersion),
// descriptive statistics across runs with the interval of the median,
// significance with golang.org/x/perf/benchmath, comparisons of two reports,
// trends across many, the merge of shard reports, and the renderers of a run
// directory: report.json, summary.md, bench.txt (benchstat), gha.json
// (github-action-benchmark) and bmf.json (Bencher), each written atomically.
//
// It computes once and renders many: nothing here prints, and every writer
// takes an io.Writer. docs/report.md documents the files and their keys.
package results
