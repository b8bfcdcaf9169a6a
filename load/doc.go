// Package load is memprism's open-model load generator: messages are due at
// a fixed schedule whatever the system under test does, and their latency is
// measured from when they were due (their intended time), so a backlog shows
// in the figures instead of hiding in a blocked sender (coordinated omission).
//
// The pipeline of one run:
//
//  1. A Plan says the offered rate, the message count and/or the send
//     window; Plan.Check rejects a plan without an end and warns about one
//     whose count ends it before its window.
//  2. New makes a Run; Run.Send calls emit for message i at its due time
//     t0 + Pacer.Offset(i) (ConstantPacer: i/rate; PoissonPacer: seeded
//     exponential gaps). A sender that falls behind sends the overdue
//     messages back to back: they keep their intended times.
//  3. Handlers record each finished message on a Recorder (one per
//     goroutine, or a SyncRecorder shared under a mutex): end-to-end latency
//     from the intended time, service time from the start of handling. The
//     sender records send lag (actual send - intended). Each is an HDR
//     histogram; recording allocates nothing.
//  4. Run.Stats merges the recorders into Stats: offered and achieved rate,
//     late and unsent messages, the corrected percentiles, and per-interval
//     (100 ms) buckets of p50/p99 latency and offered/sent/completed rates,
//     for a chart of when a backlog started. A run whose achieved rate is
//     below 95% of the offered rate is Overloaded.
package load
