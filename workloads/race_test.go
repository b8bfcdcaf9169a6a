//go:build race

package workloads

// raceEnabled reports whether the tests run under the race detector.
const raceEnabled = true
