// Package scenarios loads and validates memprism scenario files (schema v1): YAML that
// describes a synthetic workload run in several variants, with targets to verify.
//
// A scenario file holds exactly one YAML document, a mapping with these keys
// (unknown keys are errors):
//
//	name: trade-records          # required, [a-z0-9-]+, at most 64 characters, unique in a suite
//	description: ...             # optional text
//	workload: trade-churn        # required, a kind of the Catalog (workloads.Default)
//	params: {trades: 200000}     # optional, shared by every variant; checked by Catalog.CheckParam
//	variants:                    # required, at least one
//	  - name: naive              #   required, same pattern as name, unique in the file
//	    params: {layout: naive}  #   optional, overrides the shared params
//	    expect_leak: false       #   optional: this variant is meant to leak
//	  - name: compact
//	    params: {layout: compact}
//	baseline: naive              # required with two or more variants
//	targets:                     # optional; all must hold for the scenario to pass
//	  - metric: peak_heap_bytes  #   a key of Metrics
//	    reduction: 33%           #   (0%, 100%), or 0.33; needs a baseline; lower-is-better metrics only
//	    variants: [compact]      #   default: every non-baseline variant
//	  - metric: ops_per_sec
//	    increase: 96%            #   > 0%; higher-is-better metrics only (the mirror of reduction)
//	  - metric: allocs_per_op
//	    reduction: 90%
//	    expect: fail             #   a negative control: passes when the data refute the claim
//	  - metric: latency_p95_seconds
//	    max: 100ms               #   and/or min: bounds in the metric's unit; default: every variant
//	run:                         # optional; DefaultRun fills the rest
//	  repetitions: 10            #   1..10000
//	  warmup: 1                  #   0..10000
//	  sample_interval: 1ms       #   100us..10s, Go duration syntax
//	  timeout: 60s               #   > 0, at most 168h (MaxTimeout)
//	  gogc: 100                  #   >= -1; -1 or off disables the collector; 0 is Go's GOGC=0 (collects continually)
//	  memory_limit: 0            #   GOMEMLIMIT as a Size; 0 = none
//	  gomaxprocs: 0              #   0..1024 (MaxGOMAXPROCS); 0 = leave alone
//	leak:
//	  threshold: 5MiB            # > 0; growth below it is never a leak (DefaultLeak)
//
// Sizes are plain integers of bytes or numbers with a unit (B, KB, MB, GB, TB in powers of
// 1000; KiB, MiB, GiB, TiB in powers of 1024). Durations use time.ParseDuration syntax.
// Percentages are "33%" or a fraction 0.33. Anchors, aliases and "<<" merge keys are
// allowed, with limits that keep alias bombs cheap.
//
// [Parse] checks one file, [Load] files and directories, [Default] the suite embedded
// in the binary. Every problem is reported, not only the first: the returned error joins
// one [*Error] per problem, printed as "file:line:col: what is wrong; allowed: ...".
package scenarios
