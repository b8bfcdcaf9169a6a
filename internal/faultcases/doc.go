// Package faultcases reproduces, in small programs of its own, the kinds of
// Go memory faults that real services have shipped: a goroutine stuck sending
// after its caller timed out, child contexts never cancelled, response bodies
// never closed, a map keyed by request id never cleaned, substrings pinning
// large buffers, an LRU holding sub-slices of whole requests, a map that never
// shrinks, a sync.Pool keeping oversized buffers, a bytes.Buffer keeping its
// largest capacity, and time.After in a loop (no longer a leak since Go 1.23).
//
// Each Case runs as a buggy or a fixed variant. The tests run both under the
// profiler and check that memprism names the fault: the verdict, the user's
// line that holds the memory, and where leaked goroutines were created and
// are blocked. Lines the tests expect are marked in the source with a
// `// want:` comment, so the expectations follow the code when it moves.
package faultcases
