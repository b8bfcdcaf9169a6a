// Package profiler measures a Go process's memory while it runs: it samples the
// runtime, takes labelled snapshots, finds the allocation sites, summarizes the heap,
// judges leaks with a trend test, forces GC on demand, recommends what to change and
// writes it all as versioned JSON. It depends on nothing else in memprism and keeps no
// package state, so it can run inside any Go service or test:
//
//	p := profiler.MustStart(profiler.Options{Interval: time.Millisecond})
//	defer p.Stop()
//
// or, around one function, profiler.Run(ctx, opts, fn).
//
// # Pipeline
//
//  1. Sample. Start records a baseline sample and heap profile, then a goroutine reads
//     runtime/metrics every Options.Interval (default 10ms) into a preallocated slice:
//     heap objects bytes, post-GC live heap, heap goal, heap objects, cumulative
//     allocated bytes and objects (tiny ones included), GC cycles, goroutines and,
//     after a GC only, the GC pause histogram; RSS and VMS come from /proc/self/statm
//     read into a fixed buffer at most every 10ms (gopsutil, through one process
//     handle, where /proc is missing). A sample costs about a microsecond and does not
//     allocate. runtime.ReadMemStats, which stops the world, is never used.
//  2. Retain. Every sample updates running figures (peak, min, Welford mean and
//     population variance, peak RSS and goroutines). The series itself is bounded by
//     Options.MaxSamples (default 4096, under 0.5 MB): when full it is halved by
//     Largest-Triangle-Three-Buckets and later samples are kept one in two (then four,
//     ...), so the retained series stays spread evenly over the run. The first sample
//     of each GC cycle is kept apart: the post-GC live heap, one point per cycle.
//  3. Snapshot. Snapshot(label) reads the figures now, with their delta since the
//     baseline, in a few microseconds; SnapshotSites also aggregates the heap profile
//     by function, file and line (runtime frames skipped), so Compare can diff two
//     snapshots site by site. TopAllocations gives the sites that allocated most since
//     Start; WriteHeapProfile writes the raw profile for `go tool pprof`.
//  4. Summarize. Summary reports baseline, final, peak and min heap, the mean and
//     population variance over every sample, percentiles over the retained series,
//     growth and growth rate, and the deltas since Start of GC cycles, GC pause time,
//     bytes and objects allocated.
//  5. Judge leaks. DetectLeaks looks at the post-GC live heap, one point per distinct
//     GC cycle, over the steady state (the first 20% of the run is warm-up, by
//     default). The window needs at least 10 GC cycles, otherwise the verdict is
//     Inconclusive and Detected is false, with a Reason that says so. A leak needs a
//     one-sided Mann-Kendall trend (tie-corrected; exact for n <= 20 without ties)
//     below Alpha, a Theil-Sen slope whose projected growth over the window reaches
//     the Threshold, and a second half of the window that still grows (at least half
//     the floor, and significant when it has 8 or more cycles): a cache that fills and
//     then plateaus is not a leak, nor is a GC sawtooth. Severity is high above 1 MiB/s
//     or ten times the floor. The goroutine count is judged the same way.
//  6. Diagnose. Each heap-profile sample is charged to the first frame of the user's
//     code (the main module, package main, Options.UserPrefixes), keeping the library
//     call it went through and a three-frame chain; memprism's own frames never
//     count. Sites are ranked twice: by bytes held beyond Start (TopInUse) and by
//     bytes allocated (TopAllocations), the user's lines first. At Start and Stop
//     every goroutine is dumped and grouped by the go statement that started it and
//     the line where it waits (Goroutines, with the stack memory); a binary built
//     with GOEXPERIMENT=goroutineleakprofile also gets the goroutineleak profile's
//     count of goroutines that can never wake.
//  7. Advise and export. Recommendations fires rules on that evidence (a leak with the
//     lines holding the most, a goroutine leak with its largest grown group, a live
//     heap far above the start, allocation churn naming the top line, many
//     goroutines, a heap goal far above the live heap, swings of the post-GC live
//     heap) and says "healthy" only when none fired. WriteJSON writes everything,
//     SchemaVersion 1.
//
// DetectLeakSeries and DetectLeakSamples apply step 5 to series collected elsewhere,
// and SitesFromProfile applies step 3 to any parsed heap profile.
package profiler
