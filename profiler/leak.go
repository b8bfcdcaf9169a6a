package profiler

import (
	"fmt"
	"math"
	"time"
)

// Leak severities.
const (
	SeverityNone   = "none"
	SeverityMedium = "medium"
	SeverityHigh   = "high"
)

// ReasonTooFewCycles starts the Reason of a verdict whose steady state held too few GC
// cycles for the heap trend to be judged.
const ReasonTooFewCycles = "too few GC cycles in the steady state to judge"

// LeakOptions configures leak detection; the zero value uses the defaults below.
type LeakOptions struct {
	// Threshold is the effect floor in bytes: live-heap growth projected over the window
	// below it is never a leak. Default 5 MiB.
	Threshold int64 `json:"threshold_bytes"`
	// Warmup is the fraction (0..1) of the run excluded at the start. 0 means the
	// default 0.2; a negative value means no warm-up.
	Warmup float64 `json:"warmup"`
	// WarmupTime, when positive, is the warm-up as a duration and overrides Warmup.
	WarmupTime time.Duration `json:"warmup_ns,omitempty"`
	// Alpha is the significance level of the Mann-Kendall trend tests. Default 0.05.
	Alpha float64 `json:"alpha"`
	// MinGCCycles is the fewest distinct GC cycles in the window needed to judge the
	// heap. Default 10 (so each half of the window has about 5, enough for an exact
	// Mann-Kendall p below 0.01).
	MinGCCycles int `json:"min_gc_cycles"`
	// HighSlope is the slope in bytes/s above which a leak is high severity. Default
	// 1 MiB/s (the seed's rule).
	HighSlope float64 `json:"high_slope_bytes_per_sec"`
	// GoroutineThreshold is the effect floor for goroutine growth over the window.
	// Default 100 goroutines.
	GoroutineThreshold float64 `json:"goroutine_threshold"`
}

// DefaultLeakOptions are the settings used for zero fields of LeakOptions.
var DefaultLeakOptions = LeakOptions{
	Threshold:          5 << 20,
	Warmup:             0.2,
	Alpha:              0.05,
	MinGCCycles:        10,
	HighSlope:          1 << 20,
	GoroutineThreshold: 100,
}

func (o LeakOptions) withDefaults() LeakOptions {
	d := DefaultLeakOptions
	if o.Threshold <= 0 {
		o.Threshold = d.Threshold
	}
	switch {
	case o.Warmup == 0:
		o.Warmup = d.Warmup
	case o.Warmup > 0.9:
		o.Warmup = 0.9
	}
	if o.Alpha <= 0 || o.Alpha >= 1 {
		o.Alpha = d.Alpha
	}
	if o.MinGCCycles <= 0 {
		o.MinGCCycles = d.MinGCCycles
	}
	if o.MinGCCycles < 4 {
		o.MinGCCycles = 4
	}
	if o.HighSlope <= 0 {
		o.HighSlope = d.HighSlope
	}
	if o.GoroutineThreshold <= 0 {
		o.GoroutineThreshold = d.GoroutineThreshold
	}
	return o
}

// Window is the steady-state part of a run that a leak verdict judged.
type Window struct {
	// StartSeconds and EndSeconds are offsets from the start of the run.
	StartSeconds float64 `json:"start_seconds"`
	EndSeconds   float64 `json:"end_seconds"`
	// GCCycles is the number of distinct GC cycles (post-GC live-heap values) in it.
	GCCycles int `json:"gc_cycles"`
	// Samples is the number of samples used for the goroutine trend.
	Samples int `json:"samples"`
}

// Leak is a leak verdict on the post-GC live heap and the goroutine count.
type Leak struct {
	// Detected is true when the heap or the goroutines leak. It is false when the heap
	// could not be judged (Inconclusive) and the goroutines did not leak.
	Detected bool `json:"detected"`
	// Severity is none, medium or high.
	Severity string `json:"severity"`
	// HeapLeak is true when the live heap grows: significant trend in the window and in
	// its second half, projected growth at least Threshold (second half: Threshold/2).
	HeapLeak bool `json:"heap_leak"`
	// Inconclusive is true when the window held fewer than MinGCCycles GC cycles.
	Inconclusive bool `json:"inconclusive"`
	// GrowthBytes is the live-heap growth projected over the window: slope * window.
	GrowthBytes float64 `json:"growth_bytes"`
	// SlopeBytesPerSec is the Theil-Sen slope of the live heap over the window.
	SlopeBytesPerSec float64 `json:"slope_bytes_per_sec"`
	// PValue is the one-sided Mann-Kendall p-value of an upward trend over the window.
	PValue float64 `json:"p_value"`
	// LateSlopeBytesPerSec and LatePValue are the same on the window's second half.
	LateSlopeBytesPerSec float64 `json:"late_slope_bytes_per_sec"`
	LatePValue           float64 `json:"late_p_value"`
	// ThresholdBytes is the effect floor used.
	ThresholdBytes int64 `json:"threshold_bytes"`
	// Window is the steady state judged.
	Window Window `json:"window"`
	// GoroutineLeak is true when the goroutine count grows by GoroutineThreshold or more
	// (same tests as the heap).
	GoroutineLeak bool `json:"goroutine_leak"`
	// GoroutineGrowth is the goroutine growth projected over the window.
	GoroutineGrowth float64 `json:"goroutine_growth"`
	// GoroutineSlope is the Theil-Sen slope of the goroutine count, per second.
	GoroutineSlope float64 `json:"goroutine_slope_per_sec"`
	// GoroutinePValue is the one-sided Mann-Kendall p-value for the goroutine count.
	GoroutinePValue float64 `json:"goroutine_p_value"`
	// Reason explains the verdict in one sentence.
	Reason string `json:"reason"`
}

// point is one observation of a series at T seconds since the start.
type point struct {
	t, v float64
}

// DetectLeakSeries judges a live-heap series: t in seconds (increasing), live in bytes,
// as sampled. The post-GC live heap is a step function that changes only at GC, so
// runs of equal consecutive values are collapsed to their first point, one per GC
// cycle, before the trend test. Goroutines are not judged.
func DetectLeakSeries(t, live []float64, opts LeakOptions) Leak {
	n := min(len(t), len(live))
	if n == 0 {
		return judgeLeak(nil, nil, 0, 0, opts)
	}
	var gc []point
	for i := 0; i < n; i++ {
		if i == 0 || live[i] != live[i-1] {
			gc = append(gc, point{t[i], live[i]})
		}
	}
	return judgeLeak(gc, nil, t[0], t[n-1], opts)
}

// DetectLeakSamples judges samples (in time order) as a Profiler does: one live-heap
// point per distinct GC cycle, the goroutine count from every sample.
func DetectLeakSamples(samples []Sample, opts LeakOptions) Leak {
	if len(samples) == 0 {
		return judgeLeak(nil, nil, 0, 0, opts)
	}
	gc := make([]point, 0, 64)
	gor := make([]point, 0, len(samples))
	for i, s := range samples {
		ts := s.Elapsed.Seconds()
		if i == 0 || s.GCCycles != samples[i-1].GCCycles {
			gc = append(gc, point{ts, float64(s.LiveHeapBytes)})
		}
		gor = append(gor, point{ts, float64(s.Goroutines)})
	}
	return judgeLeak(gc, gor, samples[0].Elapsed.Seconds(), samples[len(samples)-1].Elapsed.Seconds(), opts)
}

// split returns x and y of the points with t in [from, to].
func split(pts []point, from, to float64) (x, y []float64) {
	for _, p := range pts {
		if p.t >= from && p.t <= to {
			x = append(x, p.t)
			y = append(y, p.v)
		}
	}
	return x, y
}

// growthVerdict applies the shared rule to one series: significant upward trend in the
// window and in its second half, projected growth >= floor, late growth >= floor/2.
type growthVerdict struct {
	full, late trend
	growth     float64
	leak       bool
	undecided  bool // the second half holds fewer than 2 points: nothing to say whether growth went on
	why        string
}

func judgeGrowth(pts []point, ws, we, floor, alpha float64, lateMin int) growthVerdict {
	w := we - ws
	x, y := split(pts, ws, we)
	g := growthVerdict{full: testTrend(x, y)}
	g.growth = g.full.slope * w
	lx, ly := split(pts, ws+w/2, we)
	g.late = testTrend(lx, ly)
	lateGrowth := g.late.slope * w
	switch {
	case g.full.p >= alpha:
		g.why = fmt.Sprintf("no significant upward trend (p=%.3g)", g.full.p)
	case g.growth < floor:
		g.why = fmt.Sprintf("trend too small: projected growth %.4g below the floor %.4g", g.growth, floor)
	case g.late.n < 2:
		g.undecided = true
		g.why = fmt.Sprintf("%s: %d point(s) in the window's second half, 2 needed to tell whether growth went on", ReasonTooFewCycles, g.late.n)
	case lateGrowth < floor/2:
		g.why = fmt.Sprintf("growth stopped: second-half projected growth %.4g below half the floor", lateGrowth)
	case g.late.n >= lateMin && g.late.p >= alpha:
		g.why = fmt.Sprintf("growth not sustained: second half not significant (p=%.3g)", g.late.p)
	default:
		g.leak = true
	}
	return g
}

// judgeLeak is the verdict on GC points gc and goroutine points gor of a run that
// spans [t0, t1] seconds.
func judgeLeak(gc, gor []point, t0, t1 float64, opts LeakOptions) Leak {
	o := opts.withDefaults()
	warm := max(o.Warmup, 0) * (t1 - t0)
	if o.WarmupTime > 0 {
		warm = o.WarmupTime.Seconds()
	}
	ws, we := t0+warm, t1
	l := Leak{Severity: SeverityNone, ThresholdBytes: o.Threshold, PValue: 1, LatePValue: 1, GoroutinePValue: 1}
	l.Window.StartSeconds, l.Window.EndSeconds = ws, we
	x, _ := split(gc, ws, we)
	l.Window.GCCycles = len(x)
	gx, _ := split(gor, ws, we)
	l.Window.Samples = len(gx)
	lateMin := 8 // below this the second-half Mann-Kendall has little power: slope alone
	var heapWhy, gorWhy string
	if len(x) < o.MinGCCycles || we <= ws {
		l.Inconclusive = true
		heapWhy = fmt.Sprintf("%s: %d GC cycles in the window, %d needed", ReasonTooFewCycles, len(x), o.MinGCCycles)
	} else {
		g := judgeGrowth(gc, ws, we, float64(o.Threshold), o.Alpha, lateMin)
		l.PValue, l.SlopeBytesPerSec, l.GrowthBytes = g.full.p, g.full.slope, g.growth
		l.LatePValue, l.LateSlopeBytesPerSec = g.late.p, g.late.slope
		l.HeapLeak = g.leak
		l.Inconclusive = g.undecided
		switch {
		case g.undecided:
			heapWhy = g.why
		case g.leak:
			heapWhy = fmt.Sprintf("live heap grows %.4g B/s (p=%.3g) over %.3gs: %.4g B projected, floor %d B",
				g.full.slope, g.full.p, we-ws, g.growth, o.Threshold)
		default:
			heapWhy = "live heap: " + g.why
		}
	}
	if len(gx) >= 3 && we > ws {
		g := judgeGrowth(gor, ws, we, o.GoroutineThreshold, o.Alpha, lateMin)
		l.GoroutinePValue, l.GoroutineSlope, l.GoroutineGrowth = g.full.p, g.full.slope, g.growth
		l.GoroutineLeak = g.leak
		if g.leak {
			gorWhy = fmt.Sprintf("goroutines grow %.3g/s (p=%.3g): %.0f projected, floor %.0f",
				g.full.slope, g.full.p, g.growth, o.GoroutineThreshold)
		}
	}
	l.Detected = l.HeapLeak || l.GoroutineLeak
	switch {
	case l.HeapLeak && (l.SlopeBytesPerSec > o.HighSlope || l.GrowthBytes >= 10*float64(o.Threshold)):
		l.Severity = SeverityHigh
	case l.GoroutineLeak && !l.HeapLeak && l.GoroutineGrowth >= 10*o.GoroutineThreshold:
		l.Severity = SeverityHigh
	case l.Detected:
		l.Severity = SeverityMedium
	}
	switch {
	case l.HeapLeak && l.GoroutineLeak:
		l.Reason = heapWhy + "; " + gorWhy
	case l.GoroutineLeak:
		l.Reason = gorWhy + "; " + heapWhy
	default:
		l.Reason = heapWhy
	}
	for _, f := range []*float64{&l.GrowthBytes, &l.SlopeBytesPerSec, &l.LateSlopeBytesPerSec, &l.GoroutineGrowth, &l.GoroutineSlope} {
		if math.IsNaN(*f) || math.IsInf(*f, 0) {
			*f = 0
		}
	}
	return l
}
