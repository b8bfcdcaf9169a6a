package faultcases

import (
	"context"
	"runtime"
	"sync"
	"time"
)

// Case is one fault reproduction.
type Case struct {
	// Name is a short kebab-case name.
	Name string
	// Fault says in one sentence what the buggy variant does wrong.
	Fault string
	// Run runs the buggy or the fixed variant until its work is done or ctx
	// ends. What the variant's long-lived state holds (its maps, caches,
	// pools, connections) stays reachable after Run returns, as a service's
	// state outlives each request, until the returned cleanup is called (the
	// test calls it after measuring); cleanup is never nil.
	Run func(ctx context.Context, buggy bool) (cleanup func(), err error)
}

// All returns every case, in a fixed order. timeout-send comes last: what its
// buggy variant leaks can never be released, and would stay in the process.
func All() []Case {
	return []Case{
		{"context-no-cancel", "child contexts of a long-lived server context are never cancelled, so the parent keeps every child and its request", runContextNoCancel},
		{"body-not-closed", "HTTP response bodies are never read to the end nor closed, so every request keeps a connection and its goroutines", runBodyNotClosed},
		{"request-map", "a map of in-flight requests keyed by request id is never cleaned", runRequestMap},
		{"substring-pin", "a short id sliced out of a large message string is kept, pinning the whole message", runSubstringPin},
		{"lru-subslice", "a bounded LRU keeps sub-slices of whole requests, so each small entry holds its whole request", runLRUSubslice},
		{"map-never-shrinks", "a map grown by a burst keeps its buckets after every entry is deleted", runMapNeverShrinks},
		{"pool-oversized", "a sync.Pool gets back every buffer, the rare huge ones too, so pooled buffers grow to the largest request", runPoolOversized},
		{"buffer-max-cap", "a long-lived bytes.Buffer reused with Reset keeps the capacity of its largest message", runBufferMaxCap},
		{"time-after-loop", "time.After in a receive loop: a timer per message, garbage since Go 1.23 (no leak)", runTimeAfterLoop},
		{"timeout-send", "a goroutine sends its result on an unbuffered channel after its caller timed out and left: it blocks forever", runTimeoutSend},
	}
}

// Lookup returns the case with that name.
func Lookup(name string) (Case, bool) {
	for _, c := range All() {
		if c.Name == name {
			return c, true
		}
	}
	return Case{}, false
}

// runDuration is how long each variant generates its load: long enough for
// the leak judge's trend test (tens of GC cycles), short enough for a test.
const runDuration = 300 * time.Millisecond

// pace runs n calls of op spread evenly over d, on a 1ms tick: at each tick
// the calls owed so far run concurrently (a late tick catches up), so the
// load is the same however the scheduler delays the ticks. It stops early
// when ctx ends and returns ctx's error then.
func pace(ctx context.Context, d time.Duration, n int, op func(i int)) error {
	return paceBatches(ctx, d, n, func(from, to int) {
		var wg sync.WaitGroup
		for i := from; i < to; i++ {
			wg.Go(func() { op(i) })
		}
		wg.Wait()
	})
}

// paceSerial is pace with the calls of a tick made one after the other, for
// loads whose state is not safe for concurrent use.
func paceSerial(ctx context.Context, d time.Duration, n int, op func(i int)) error {
	return paceBatches(ctx, d, n, func(from, to int) {
		for i := from; i < to; i++ {
			op(i)
		}
	})
}

// paceBatches is pace's clock: at each 1ms tick it hands run the calls
// [from, to) owed by then out of n spread evenly over d, and returns when
// all n ran or ctx ended (with ctx's error).
func paceBatches(ctx context.Context, d time.Duration, n int, run func(from, to int)) error {
	start := time.Now()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for done := 0; done < n; {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		owed := n
		if el := time.Since(start); el < d {
			owed = int(float64(n) * float64(el) / float64(d))
		}
		if owed > done {
			run(done, owed)
			done = owed
		}
	}
	return nil
}

func noCleanup() {}

// keep returns a cleanup that keeps v reachable until it is called.
func keep(v any) func() {
	return func() { runtime.KeepAlive(v) }
}
