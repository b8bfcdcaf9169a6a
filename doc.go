// Package memprism is the root of the memprism module: a memory benchmark
// and load-test harness for Go market-data code. It holds no code of its
// own; its tests are BenchmarkScenarios (every variant of the default suite
// in-process, for `go test -bench . -benchmem` and benchstat) and the checks
// that docs/ matches the code. The command is cmd/memprism; the packages are
// listed in the README's layout table.
package memprism
