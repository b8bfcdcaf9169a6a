//go:build race

package faultcases

// raceEnabled: the race detector slows allocation-heavy code about tenfold,
// so TestFaultCases runs only raceCases under it.
const raceEnabled = true
