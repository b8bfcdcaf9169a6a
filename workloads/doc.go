// Package workloads holds memprism's synthetic market-data workloads and the
// registry that describes them.
//
// A workload kind (Kind) declares its parameters (ParamSpec: type, default,
// bounds, one-line doc, whether `run -quick` may scale it) and a RunFunc. The
// Registry validates raw scenario values against those specs (CheckParam,
// with errors that say what is allowed), fills defaults and normalizes types
// (Resolve), and runs kinds. Default holds the built-in kinds:
//
//   - trade-churn: seeded Binance/OKX/Coinbase trade messages decoded into
//     naive records (encoding/json into a map, decimal strings, as the seed
//     did) or compact ones (zero-copy scanner, fixed point, interned
//     symbols), from a pools.Pool or not, with per-symbol VWAP and a ring of
//     retained records.
//   - fanout: goroutine per message versus a bounded worker pool.
//   - batch: one INSERT per trade versus multi-row INSERTs via pools.Batcher.
//   - leak: steady churn, heap leak, goroutine leak, bounded cache, sawtooth.
//   - fault: panic, hang, out of memory or exit, for the harness's fault paths.
//
// A RunFunc gets the handle of its run, *Run, and registers like this:
//
//	var hits = metric.Info{Name: "cache_hit_rate", Unit: metric.Ratio,
//		Direction: metric.HigherIsBetter, Label: "hit rate", Doc: "share of lookups served by the cache"}
//
//	func runMine(ctx context.Context, r *workloads.Run) error {
//		n := r.Params.Int("messages")
//		// ... the work, returning ctx.Err() when cancelled ...
//		r.AddOps(n)                                 // one op per message
//		r.Snapshot("loaded")                        // GC, then snapshot.loaded.live_heap_bytes, ...
//		r.Metric(hits.Name, rate, hits.Unit, hits.Direction)
//		return nil
//	}
//
//	workloads.Register(workloads.Kind{Name: "mine", Doc: "...",
//		Params: []workloads.ParamSpec{
//			{Name: "messages", Type: workloads.Int, Default: 10000, Doc: "messages to process", Min: 1, Max: 1e9, Scales: true},
//		},
//		Metrics: []metric.Info{hits}, Run: runMine})
//
// Register checks every spec and normalizes its Default to the type Resolve
// gives (Int and Size: any Go integer type; Float: any number; Duration: a
// time.Duration or "250ms"), so a default of the wrong type is an error at
// registration, never a panic when the workload reads it. A binary that
// registers kinds then hands over to the command line, with its own
// scenarios embedded: cli.Main(os.Args[1:], cli.Options{Scenarios: myFS}).
//
// Every kind is deterministic for a seed, reports one op per message, returns
// ctx.Err() promptly when cancelled (except fault's hang, by design), and
// message kinds report an HDR-histogram latency summary. trade-churn takes a
// "retained" snapshot while its retained records are still referenced, and
// pooled variants report pool_hit_rate. Memory a kind leaks on purpose stays
// reachable after Run returns until its context ends.
package workloads
