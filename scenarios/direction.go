package scenarios

// Directions of metrics for relative targets. The metric catalogue of the
// results package is the source (LowerIsBetter/HigherIsBetter); this package
// may not import it, so the two lists below mirror it and a test in results
// checks they agree.
var (
	// higherIsBetter are the metrics where a larger value is an improvement.
	higherIsBetter = map[string]bool{"ops_per_sec": true}
	// noDirection are the metrics that are neither better lower nor higher.
	noDirection = map[string]bool{"ops": true}
)

// MetricDirection is -1 when a lower value of the named metric is an
// improvement, +1 when a higher one is, and 0 when neither is (ops).
func MetricDirection(metric string) int {
	switch {
	case noDirection[metric]:
		return 0
	case higherIsBetter[metric]:
		return 1
	}
	return -1
}

// directionFits reports whether the relative target key f (reduction or
// increase) suits the metric's direction, recording an error when not.
func (d *decoder) directionFits(f *field, metric string) bool {
	dir := MetricDirection(metric)
	switch {
	case dir == 0:
		d.errorf(f.key, "%s: %s is the work size, neither better lower nor higher; relative targets are not allowed on it (use max/min)", f.key.Value, metric)
		return false
	case f.key.Value == "reduction" && dir > 0:
		d.errorf(f.key, "reduction on %s, a higher-is-better metric: a reduction would be a loss; use increase: X%% (e.g. increase: 96%%)", metric)
		return false
	case f.key.Value == "increase" && dir < 0:
		d.errorf(f.key, "increase on %s, a lower-is-better metric: an increase would be a loss; use reduction: X%% (e.g. reduction: 33%%)", metric)
		return false
	}
	return true
}
