//go:build !race

package faultcases

const raceEnabled = false
