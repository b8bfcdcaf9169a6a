// Command memprism runs YAML-described memory benchmarks of Go market-data
// code, each variant many times in fresh processes, and judges with
// statistics whether an optimization met its memory target.
//
// Usage:
//
//	memprism run [-out DIR] [-reps N] [-run REGEX] [-quick] [-no-plots] [-q] [FILE|DIR ...]
//	memprism validate FILE...
//	memprism list
//	memprism compare [-format text|md|json] [-o DIR] [-threshold 5%] OLD NEW
//	memprism trend [-metric M] REPORT|DIR...
//	memprism plot REPORT
//
// Exit codes: 0 all passed; 1 a target failed or was inconclusive, a leak
// expectation was not met, or compare found a regression; 2 bad usage or an
// invalid scenario; 3 a run crashed, timed out or ran out of memory; 4 an
// output (report.json, a chart, standard output) could not be written; 130
// interrupted by SIGINT, SIGTERM or SIGHUP.
package main

import (
	"os"

	"github.com/memprism/memprism/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Options{}))
}
