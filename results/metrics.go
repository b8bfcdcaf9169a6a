package results

import "github.com/memprism/memprism/metric"

// MetricInfo describes one metric of the catalogue: its JSON name, unit,
// benchmark-format unit and which direction is an improvement. It is a view
// of package metric's catalogue, kept for the code that reads the flags.
type MetricInfo struct {
	// Name is the metric as spelled in report.json and in scenario targets.
	Name string
	// Unit is the metric's base unit: "B", "sec", "B/s", "ops/s", "B^2", "ratio" or "" for a count.
	Unit string
	// BenchUnit is the hyphenated unit used in bench.txt (benchfmt); empty
	// when the metric is not written as a value (ops is the iteration count).
	BenchUnit string
	// LowerIsBetter is true when a smaller value is an improvement.
	LowerIsBetter bool
	// HigherIsBetter is true when a larger value is an improvement; both
	// flags are false for metrics that are neither (the op count).
	HigherIsBetter bool
	// Doc says in one line what the metric measures.
	Doc string
}

// infoOf converts a catalogue entry.
func infoOf(m metric.Info) MetricInfo {
	return MetricInfo{Name: m.Name, Unit: m.Unit.Symbol(), BenchUnit: m.BenchUnit,
		LowerIsBetter: m.LowerIsBetter(), HigherIsBetter: m.HigherIsBetter(), Doc: m.Doc}
}

// Metric names of the catalogue, as they appear in report.json (forwards of package metric).
const (
	PeakRSSBytes          = metric.PeakRSSBytes
	PeakHeapBytes         = metric.PeakHeapBytes
	BaselineHeapBytes     = metric.BaselineHeapBytes
	FinalHeapBytes        = metric.FinalHeapBytes
	MeanHeapBytes         = metric.MeanHeapBytes
	HeapVariance          = metric.HeapVariance
	HeapStddevBytes       = metric.HeapStddevBytes
	GrowthBytes           = metric.GrowthBytes
	GrowthRateBytesPerSec = metric.GrowthRateBytesPerSec
	TotalAllocBytes       = metric.TotalAllocBytes
	TotalAllocs           = metric.TotalAllocs
	BytesPerOp            = metric.BytesPerOp
	AllocsPerOp           = metric.AllocsPerOp
	GCCycles              = metric.GCCycles
	GCPauseTotalSeconds   = metric.GCPauseTotalSeconds
	PeakGoroutines        = metric.PeakGoroutines
	Ops                   = metric.Ops
	DurationSeconds       = metric.DurationSeconds
	OpsPerSec             = metric.OpsPerSec
	LatencyP50Seconds     = metric.LatencyP50Seconds
	LatencyP95Seconds     = metric.LatencyP95Seconds
	LatencyP99Seconds     = metric.LatencyP99Seconds
)

// Metrics is the fixed catalogue of package metric, in the order reports list them.
var Metrics = func() []MetricInfo {
	all := metric.All()
	out := make([]MetricInfo, len(all))
	for i, m := range all {
		out[i] = infoOf(m)
	}
	return out
}()

// Metric returns the catalogue entry of the named metric, snapshot metrics
// (snapshot.<label>.<field>) included; a workload's own metrics are
// described by their scenario (Scenario.MetricInfo).
func Metric(name string) (MetricInfo, bool) {
	m, ok := metric.Lookup(name)
	if !ok {
		return MetricInfo{}, false
	}
	return infoOf(m), true
}

// metricIndex is the position of name in Metrics, or len(Metrics) for
// other names, so sorting by it lists catalogue metrics first in order.
func metricIndex(name string) int { return metric.Index(name) }

// MetricInfo returns the description of a metric reported by the
// scenario's runs: the catalogue's, or the one the scenario's report
// carries for a workload's own metric.
func (s *Scenario) MetricInfo(name string) (metric.Info, bool) {
	if m, ok := metric.Lookup(name); ok {
		return m, true
	}
	for _, m := range s.Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return metric.Info{}, false
}
