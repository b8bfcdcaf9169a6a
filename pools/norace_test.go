//go:build !race

package pools

// raceEnabled reports a -race build, in which sync.Pool drops a random quarter of Puts on purpose.
const raceEnabled = false
