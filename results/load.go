package results

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/memprism/memprism/metric"
)

// Load metric names: the figures of rate-driven (open-model) runs (forwards of package metric).
const (
	OfferedRate        = metric.OfferedRate
	AchievedRate       = metric.AchievedRate
	MessagesLate       = metric.MessagesLate
	MessagesUnsent     = metric.MessagesUnsent
	LatencyP999Seconds = metric.LatencyP999Seconds
	ServiceP95Seconds  = metric.ServiceP95Seconds
	SendLagP95Seconds  = metric.SendLagP95Seconds
)

// LoadSeries is a rate-driven run's time series in fixed intervals (100 ms):
// when a backlog started and how the achieved rate compared with the offered
// one. All slices have one entry per interval.
type LoadSeries struct {
	IntervalSeconds float64   `json:"interval_seconds"`
	TSeconds        []float64 `json:"t_seconds"`           // interval starts, seconds since the run's start
	OfferedRate     []float64 `json:"offered_rate"`        // messages per second due in the interval
	SentRate        []float64 `json:"sent_rate"`           // messages per second the sender handed out
	AchievedRate    []float64 `json:"achieved_rate"`       // messages per second finished
	LatencyP50      []float64 `json:"latency_p50_seconds"` // of messages finished in the interval, from their intended time; 0 when none
	LatencyP99      []float64 `json:"latency_p99_seconds"`
}

// loadSensitive are the metrics an overloaded run cannot vouch for: its
// latency describes a backlog and its throughput fell short of the offer.
var loadSensitive = map[string]bool{
	LatencyP50Seconds: true, LatencyP95Seconds: true, LatencyP99Seconds: true, LatencyP999Seconds: true,
	ServiceP95Seconds: true, SendLagP95Seconds: true, OpsPerSec: true, AchievedRate: true,
	MessagesLate: true, MessagesUnsent: true,
}

// LoadSensitive reports whether a target on metric is never a pass on an
// overloaded run (latency and throughput figures).
func LoadSensitive(metric string) bool { return loadSensitive[metric] }

// OverloadedRuns counts the variant's successful runs marked overloaded.
func (v *Variant) OverloadedRuns() (overloaded, counted int) {
	for _, r := range v.Runs {
		if r.Failed() {
			continue
		}
		counted++
		if r.Overloaded {
			overloaded++
		}
	}
	return overloaded, counted
}

// HasLoad reports whether any variant of the scenario ran rate-driven.
func (s *Scenario) HasLoad() bool {
	for i := range s.Variants {
		if s.Variants[i].Load != nil {
			return true
		}
	}
	return false
}

// LatencyChartName is the file of a scenario's latency-over-time chart,
// rendered only for scenarios with rate-driven runs.
func LatencyChartName(scenario string) string { return scenario + "-latency.png" }

// OverloadNote says, for people, how a variant's overloaded runs compared
// with the offered load: "overloaded in 3 of 3 runs: achieved 1.95k of 20k
// msg/s", or "" when no run was overloaded. The achieved and offered rates
// are the medians of the overloaded runs alone, so that one overloaded run
// among six is not shown with the others' rate, which was not below 95%.
func OverloadNote(v *Variant) string {
	n, of := v.OverloadedRuns()
	if n == 0 {
		return ""
	}
	var achieved, offered []float64
	for _, r := range v.Runs {
		if r.Failed() || !r.Overloaded {
			continue
		}
		if x, ok := r.Metrics[AchievedRate]; ok {
			achieved = append(achieved, x)
		}
		if x, ok := r.Metrics[OfferedRate]; ok {
			offered = append(offered, x)
		}
	}
	return fmt.Sprintf("overloaded in %d of %d runs: achieved %s of %s msg/s (below %d%%)", n, of,
		formatCount(middle(achieved, v.Summary[AchievedRate].Median)), formatCount(middle(offered, v.Summary[OfferedRate].Median)), 95)
}

// middle is the median of xs, or otherwise when xs is empty.
func middle(xs []float64, otherwise float64) float64 {
	if len(xs) == 0 {
		return otherwise
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// writeLoadMD writes the load table of a scenario with rate-driven runs.
func writeLoadMD(b *bytes.Buffer, s *Scenario) {
	if !s.HasLoad() {
		return
	}
	b.WriteString("### Load (open model, latency from intended send times; medians over runs)\n\n")
	b.WriteString("| variant | offered | achieved | p50 | p95 | p99 | p99.9 | service p95 | send lag p95 | late | unsent | overloaded |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for i := range s.Variants {
		v := &s.Variants[i]
		med := func(m string) string {
			sum, ok := v.Summary[m]
			if !ok || sum.N == 0 {
				return "—"
			}
			return FormatMetric(m, sum.Median)
		}
		n, of := v.OverloadedRuns()
		over := "no"
		if n > 0 {
			over = fmt.Sprintf("**yes** (%d of %d runs)", n, of)
		}
		cells := []string{v.Name, med(OfferedRate), med(AchievedRate), med(LatencyP50Seconds), med(LatencyP95Seconds),
			med(LatencyP99Seconds), med(LatencyP999Seconds), med(ServiceP95Seconds), med(SendLagP95Seconds),
			med(MessagesLate), med(MessagesUnsent), over}
		fmt.Fprintf(b, "| %s |\n", strings.Join(cells, " | "))
	}
	b.WriteString("\nA run is overloaded when its achieved rate is below 95% of the offered rate: its latency then measures a backlog, and latency and throughput targets on it are never `pass`.\n\n")
}
