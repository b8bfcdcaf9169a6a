package worker

import (
	"github.com/memprism/memprism/load"
	"github.com/memprism/memprism/results"
)

// loadFigures adds a rate-driven run's figures to its metrics and returns
// its interval series and whether it was overloaded. The latency percentiles
// it writes are measured from intended send times and replace any others.
func loadFigures(m map[string]float64, st *load.Stats) (*results.LoadSeries, bool) {
	if st.OfferedRate > 0 {
		m[results.OfferedRate] = st.OfferedRate
	}
	m[results.AchievedRate] = st.AchievedRate
	m[results.MessagesLate] = float64(st.Late)
	m[results.MessagesUnsent] = float64(st.Unsent)
	if st.Latency.Count > 0 {
		m[results.LatencyP50Seconds] = st.Latency.P50.Seconds()
		m[results.LatencyP95Seconds] = st.Latency.P95.Seconds()
		m[results.LatencyP99Seconds] = st.Latency.P99.Seconds()
		m[results.LatencyP999Seconds] = st.Latency.P999.Seconds()
	}
	if st.Service.Count > 0 {
		m[results.ServiceP95Seconds] = st.Service.P95.Seconds()
	}
	if st.SendLag.Count > 0 {
		m[results.SendLagP95Seconds] = st.SendLag.P95.Seconds()
	}
	s := &results.LoadSeries{IntervalSeconds: st.Interval.Seconds()}
	for _, iv := range st.Intervals {
		s.TSeconds = append(s.TSeconds, iv.Start.Seconds())
		s.OfferedRate = append(s.OfferedRate, iv.Offered)
		s.SentRate = append(s.SentRate, iv.Sent)
		s.AchievedRate = append(s.AchievedRate, iv.Completed)
		s.LatencyP50 = append(s.LatencyP50, iv.P50.Seconds())
		s.LatencyP99 = append(s.LatencyP99, iv.P99.Seconds())
	}
	return s, st.Overloaded
}
