package load

import (
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Quantiles summarizes one histogram.
type Quantiles struct {
	Count int64         // values recorded
	P50   time.Duration // median
	P95   time.Duration // 95th percentile
	P99   time.Duration // 99th percentile
	P999  time.Duration // 99.9th percentile
	Max   time.Duration // largest value (to the histogram's precision)
}

func quantilesOf(h *hdrhistogram.Histogram) Quantiles {
	if h.TotalCount() == 0 {
		return Quantiles{}
	}
	return Quantiles{
		Count: h.TotalCount(),
		P50:   time.Duration(h.ValueAtQuantile(50)),
		P95:   time.Duration(h.ValueAtQuantile(95)),
		P99:   time.Duration(h.ValueAtQuantile(99)),
		P999:  time.Duration(h.ValueAtQuantile(99.9)),
		Max:   time.Duration(h.Max()),
	}
}

// Interval is one bucket of a run's time series.
type Interval struct {
	Start     time.Duration // since the run's start
	Width     time.Duration // time the interval covers: Stats.Interval, or less for one cut short by the run's end
	Offered   float64       // messages per second due in the interval (the plan)
	Sent      float64       // messages per second the sender handed out in the interval
	Completed float64       // messages per second finished in the interval
	P50       time.Duration // median latency (from intended) of messages finished in the interval; 0 when none
	P99       time.Duration // 99th percentile of the same
}

// Stats is the outcome of a run, computed once by Run.Stats.
type Stats struct {
	OfferedRate  float64       // the plan's mean rate, messages per second; 0 in a closed loop
	AchievedRate float64       // Completed divided by Elapsed
	Offered      int64         // messages the plan offered (due within the window, or Messages)
	Sent         int64         // messages the sender handed out
	Completed    int64         // messages recorded as finished
	Unsent       int64         // offered but never sent: the sender was too far behind when the window closed
	Late         int64         // messages sent more than one Interval after their intended time
	Elapsed      time.Duration // from the start to the end of the window or the last completion, whichever is later
	Interval     time.Duration // width of Intervals
	Latency      Quantiles     // end-to-end, from the intended time (corrected for coordinated omission)
	Service      Quantiles     // from the start of handling to its end
	SendLag      Quantiles     // actual send minus intended time
	Intervals    []Interval
	// Overloaded is true when AchievedRate is below OverloadRatio of
	// OfferedRate: the system did not keep up with the offered load, and its
	// latency and throughput figures describe a backlog.
	Overloaded bool
}

// maxOfferedScan caps the pacer offsets Stats walks to spread the offered
// messages over intervals; past it the plan's mean rate is used.
const maxOfferedScan = 50_000_000

// Stats merges the recorders and returns the run's figures. Call it once
// Send has returned and every handler has finished.
func (r *Run) Stats() Stats {
	r.mu.Lock()
	recs := r.recs
	r.mu.Unlock()
	lat, svc := newHist(), newHist()
	s := Stats{Offered: r.offered, Sent: r.sent, Late: r.late, Interval: time.Duration(r.interval)}
	var last int64
	for _, rec := range recs {
		lat.Merge(rec.latency)
		svc.Merge(rec.service)
		s.Completed += rec.completed
		last = max(last, rec.lastDone)
	}
	s.Latency, s.Service, s.SendLag = quantilesOf(lat), quantilesOf(svc), quantilesOf(r.sendLag)
	s.Unsent = max(s.Offered-s.Sent, 0)
	s.Elapsed = time.Duration(max(last, int64(r.plan.Duration)))
	if s.Elapsed > 0 {
		s.AchievedRate = float64(s.Completed) / s.Elapsed.Seconds()
	}
	if r.pacer != nil {
		s.OfferedRate = r.pacer.Rate()
		s.Overloaded = s.AchievedRate < OverloadRatio*s.OfferedRate
	}
	s.Intervals = r.series(s.Elapsed)
	return s
}

// series returns the per-interval figures up to end (and any later interval
// a recorder touched).
func (r *Run) series(end time.Duration) []Interval {
	n := max((int64(end)+r.interval-1)/r.interval, r.iv.hi.Load()+1)
	n = min(n, maxIntervals)
	offered := r.offeredPerInterval(n)
	out := make([]Interval, n)
	for i := range out {
		start := int64(i) * r.interval
		// A rate is a count over the time the interval covers: the run's
		// last interval may be cut short by its end.
		width := r.interval
		if covered := int64(end) - start; covered > 0 && covered < width {
			width = covered
		}
		perSec := 1e9 / float64(width)
		iv := Interval{Start: time.Duration(start), Width: time.Duration(width), Offered: offered[i] * perSec}
		if c := r.iv.chunks[i/ivChunkLen].Load(); c != nil {
			sl := &c[i%ivChunkLen]
			iv.Sent = float64(sl.sent.Load()) * perSec
			iv.Completed = float64(sl.done.Load()) * perSec
			iv.P50, iv.P99 = time.Duration(sl.quantile(0.50)), time.Duration(sl.quantile(0.99))
		}
		out[i] = iv
	}
	return out
}

// offeredPerInterval counts the plan's due messages in each of n intervals.
func (r *Run) offeredPerInterval(n int64) []float64 {
	out := make([]float64, n)
	if r.pacer == nil {
		return out // a closed loop has no schedule
	}
	window := int64(r.plan.Duration)
	limit := r.offered
	if limit > maxOfferedScan {
		mean := r.pacer.Rate() * float64(r.interval) / 1e9
		for i := range out {
			if window == 0 || int64(i)*r.interval < window {
				out[i] = mean
			}
		}
		return out
	}
	for j := int64(0); j < limit; j++ {
		at := int64(r.pacer.Offset(j))
		if window > 0 && at >= window {
			break
		}
		if k := at / r.interval; k < n {
			out[k]++
		}
	}
	return out
}
