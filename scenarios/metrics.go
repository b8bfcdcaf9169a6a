package scenarios

import (
	"slices"

	"github.com/memprism/memprism/metric"
)

// KindMetrics is what a Catalog may also implement to let targets name the
// metrics a workload kind reports for itself (such as pool_hit_rate);
// *workloads.Registry does.
type KindMetrics interface {
	// KindMetrics returns the metrics the kind declares, with unit and direction.
	KindMetrics(kind string) []metric.Info
}

// LatencyKinds is what a Catalog may also implement to say which workload
// kinds measure per-message latency; *workloads.Registry does. A latency
// target on a kind that does not is a load error (it could only ever be
// "inconclusive: no data").
type LatencyKinds interface {
	// ReportsLatency reports whether kind measures per-message latency.
	ReportsLatency(kind string) bool
}

// latencyMetrics are the metrics only workloads that measure per-message latency report.
var latencyMetrics = []string{
	metric.LatencyP50Seconds, metric.LatencyP95Seconds, metric.LatencyP99Seconds, metric.LatencyP999Seconds,
	metric.ServiceP95Seconds, metric.SendLagP95Seconds,
}

// noLatency returns, when name is a latency metric and the catalog says kind
// measures no latency, the kinds that do; ok is false then.
func (d *decoder) noLatency(kind, name string) (withLatency []string, ok bool) {
	lk, has := d.catalog.(LatencyKinds)
	if !has || kind == "" || !d.catalog.HasKind(kind) || !slices.Contains(latencyMetrics, name) || lk.ReportsLatency(kind) {
		return nil, true
	}
	for _, k := range d.catalog.KindNames() {
		if lk.ReportsLatency(k) {
			withLatency = append(withLatency, k)
		}
	}
	return withLatency, false
}

// kindMetrics returns the metrics declared by kind, when the catalog says.
func (d *decoder) kindMetrics(kind string) []metric.Info {
	if km, ok := d.catalog.(KindMetrics); ok && kind != "" {
		return km.KindMetrics(kind)
	}
	return nil
}

// metricUnit returns the unit of a metric a target of a scenario of kind
// may name: a catalogue metric, a snapshot metric
// (snapshot.<label>.<field>) or one the kind declares.
func (d *decoder) metricUnit(kind, name string) (Unit, bool) {
	if m, ok := metric.Lookup(name); ok {
		return m.Unit, true
	}
	for _, m := range d.kindMetrics(kind) {
		if m.Name == name {
			return m.Unit, true
		}
	}
	return 0, false
}

// metricNames lists the metrics a target of a scenario of kind may name
// (snapshot metrics aside), sorted.
func (d *decoder) metricNames(kind string) []string {
	names := MetricNames()
	for _, m := range d.kindMetrics(kind) {
		names = append(names, m.Name)
	}
	slices.Sort(names)
	return names
}

// snapshotFields returns the fields a snapshot metric may name.
func snapshotFields() []string {
	out := make([]string, len(metric.SnapshotFields))
	for i, f := range metric.SnapshotFields {
		out[i] = f.Name
	}
	return out
}
