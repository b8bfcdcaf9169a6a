package scenarios

import "github.com/memprism/memprism/metric"

// metricDirection is the direction of improvement of a metric a target of a
// scenario of kind may name: from package metric's catalogue (snapshot
// metrics included) or the kind's own declared metrics.
func (d *decoder) metricDirection(kind, name string) (metric.Direction, bool) {
	if m, ok := metric.Lookup(name); ok {
		return m.Direction, true
	}
	for _, m := range d.kindMetrics(kind) {
		if m.Name == name {
			return m.Direction, true
		}
	}
	return metric.Neither, false
}

// directionFits reports whether the relative target key f (reduction or
// increase) suits the metric's direction, recording an error when not:
// reduction only on lower-is-better metrics, increase only on
// higher-is-better ones, neither on metrics without a direction (ops).
func (d *decoder) directionFits(f *field, kind, name string) bool {
	dir, ok := d.metricDirection(kind, name)
	switch {
	case !ok:
		return false // the unknown metric is reported already
	case dir == metric.Neither:
		d.errorf(f.key, "%s: %s is neither better lower nor higher (the work size); relative targets are not allowed on it (use max/min)", f.key.Value, name)
		return false
	case f.key.Value == "reduction" && dir == metric.HigherIsBetter:
		d.errorf(f.key, "reduction on %s, a higher-is-better metric: a reduction would be a loss; use increase: X%% (e.g. increase: 96%%)", name)
		return false
	case f.key.Value == "increase" && dir == metric.LowerIsBetter:
		d.errorf(f.key, "increase on %s, a lower-is-better metric: an increase would be a loss; use reduction: X%% (e.g. reduction: 33%%)", name)
		return false
	}
	return true
}
