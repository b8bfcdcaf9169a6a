package workloads

import (
	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/pools"
)

// RetainedSnapshot labels the snapshot trade-churn takes at the end of its
// work while its retained records are still referenced:
// snapshot.retained.live_heap_bytes divided by `retain` is the heap one
// retained record costs.
const RetainedSnapshot = "retained"

// PoolHitRate names the pooled workloads' own metric.
const PoolHitRate = "pool_hit_rate"

// poolHitRate is the metric pooled workloads report (the seed's target was
// above 80%).
var poolHitRate = metric.Info{
	Name: PoolHitRate, Unit: metric.Ratio, BenchUnit: "pool-hit-ratio", Direction: metric.HigherIsBetter,
	Label: "pool hit rate",
	Doc:   "share of pool Gets served by a recycled object rather than a new one (pools.PoolStats.HitRate); pooled variants only",
}

// reportPoolHitRate reports a pool's hit rate once it has served a Get.
func reportPoolHitRate(r *Run, s pools.PoolStats) {
	if s.Gets > 0 {
		r.Metric(PoolHitRate, s.HitRate, poolHitRate.Unit, poolHitRate.Direction)
	}
}
