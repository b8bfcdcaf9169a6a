package profiler

import (
	"fmt"
	"math"
	"strings"
)

// Thresholds are the limits of the recommendation rules; zero fields take
// DefaultThresholds.
type Thresholds struct {
	// ChurnRatio: bytes allocated per byte of mean live heap above which allocation
	// churn is flagged (with AllocRate).
	ChurnRatio float64 `json:"churn_ratio"`
	// AllocRate is the allocation rate, bytes/s, below which churn is never flagged.
	AllocRate float64 `json:"alloc_rate_bytes_per_sec"`
	// Goroutines is the peak goroutine count above which a worker pool is suggested.
	Goroutines float64 `json:"goroutines"`
	// GoalRatio and GoalSlack: the mean heap goal is "far above" the mean live heap when
	// it is GoalRatio times as large and GoalSlack bytes larger.
	GoalRatio float64 `json:"goal_ratio"`
	GoalSlack float64 `json:"goal_slack_bytes"`
	// CV is the heap's coefficient of variation (stddev/mean) above which variance is high.
	CV float64 `json:"cv"`
}

// DefaultThresholds are the recommendation limits used for zero fields.
var DefaultThresholds = Thresholds{
	ChurnRatio: 100,
	AllocRate:  16 << 20,
	Goroutines: 1000,
	GoalRatio:  4,
	GoalSlack:  64 << 20,
	CV:         0.5,
}

func (t Thresholds) withDefaults() Thresholds {
	d := DefaultThresholds
	for _, f := range []struct{ v, d *float64 }{
		{&t.ChurnRatio, &d.ChurnRatio}, {&t.AllocRate, &d.AllocRate}, {&t.Goroutines, &d.Goroutines},
		{&t.GoalRatio, &d.GoalRatio}, {&t.GoalSlack, &d.GoalSlack}, {&t.CV, &d.CV},
	} {
		if *f.v <= 0 {
			*f.v = *f.d
		}
	}
	return t
}

// Recommendation rules.
const (
	RuleLeak          = "leak"
	RuleGoroutineLeak = "goroutine-leak"
	RuleLeakUndecided = "leak-undecided"
	RuleAllocChurn    = "allocation-churn"
	RuleGoroutines    = "goroutines"
	RuleHeapGoal      = "heap-goal"
	RuleHeapVariance  = "heap-variance"
	RuleHealthy       = "healthy"
)

// Recommendation is advice from one rule, with the figures that made it fire.
type Recommendation struct {
	Rule     string `json:"rule"`
	Message  string `json:"message"`
	Evidence string `json:"evidence"`
}

// analysis is everything the rules and the report need, computed once.
type analysis struct {
	summary  Summary
	leak     Leak
	sites    []Site
	growing  []SiteDiff
	sitesErr error
}

// DetectLeaks judges the session so far: the post-GC live heap, one point per distinct
// GC cycle, over the steady state (warm-up excluded), and the goroutine count.
func (p *Profiler) DetectLeaks(opts LeakOptions) Leak {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.leakLocked(opts)
}

func (p *Profiler) leakLocked(opts LeakOptions) Leak {
	if p.n == 0 {
		return judgeLeak(nil, nil, 0, 0, opts)
	}
	gc := make([]point, len(p.gcs.buf))
	for i, g := range p.gcs.buf {
		gc[i] = point{g.t, g.live}
	}
	gor := make([]point, len(p.samples.buf))
	for i, s := range p.samples.buf {
		gor[i] = point{s.Elapsed.Seconds(), float64(s.Goroutines)}
	}
	return judgeLeak(gc, gor, p.first.Elapsed.Seconds(), p.last.Elapsed.Seconds(), opts)
}

func (p *Profiler) analyse() analysis {
	p.mu.Lock()
	a := analysis{summary: p.summaryLocked(), leak: p.leakLocked(p.opts.Leak)}
	base := p.baseSites
	p.mu.Unlock()
	prof, err := p.currentProfile()
	if err != nil {
		a.sitesErr = err
		return a
	}
	now, err := SitesFromProfile(prof, 0)
	if err != nil {
		a.sitesErr = err
		return a
	}
	a.sites = sitesSince(now, base, p.opts.TopSites)
	for _, d := range DiffSites(base, now) {
		if d.InuseBytesDelta > 0 && len(a.growing) < 3 {
			a.growing = append(a.growing, d)
		}
	}
	return a
}

// Recommendations applies the rules to the session so far, each naming its evidence;
// "healthy" only when no other rule fired. It takes a heap profile for the sites.
func (p *Profiler) Recommendations() []Recommendation {
	return recommend(p.analyse(), p.opts.Thresholds)
}

// fmtMiB formats bytes with a binary unit (B, KiB, MiB, GiB).
func fmtMiB(b float64) string {
	a := math.Abs(b)
	switch {
	case a >= 1<<30:
		return fmt.Sprintf("%.2f GiB", b/(1<<30))
	case a >= 1<<20:
		return fmt.Sprintf("%.2f MiB", b/(1<<20))
	case a >= 1<<10:
		return fmt.Sprintf("%.1f KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

func siteName(fn, file string, line int64) string {
	if i := strings.LastIndexByte(file, '/'); i >= 0 {
		file = file[i+1:]
	}
	return fmt.Sprintf("%s (%s:%d)", fn, file, line)
}

func recommend(a analysis, th Thresholds) []Recommendation {
	var out []Recommendation
	s, l := a.summary, a.leak
	if l.HeapLeak {
		var grow []string
		for _, d := range a.growing {
			grow = append(grow, fmt.Sprintf("%s +%s in use", siteName(d.Function, d.File, d.Line), fmtMiB(float64(d.InuseBytesDelta))))
		}
		where := "no heap profile to name the growing sites"
		if len(grow) > 0 {
			where = "growing sites: " + strings.Join(grow, "; ")
		}
		out = append(out, Recommendation{RuleLeak,
			"The live heap keeps growing after GC: find what retains memory (caches without bounds, appends to long-lived slices, maps never pruned).",
			fmt.Sprintf("post-GC live heap slope %s/s (p=%.3g) over %.1fs, %s projected, severity %s; %s",
				fmtMiB(l.SlopeBytesPerSec), l.PValue, l.Window.EndSeconds-l.Window.StartSeconds, fmtMiB(l.GrowthBytes), l.Severity, where)})
	}
	if l.GoroutineLeak {
		out = append(out, Recommendation{RuleGoroutineLeak,
			"Goroutines keep accumulating: look for goroutines blocked on channels or locks that are never released (goleak finds them in tests).",
			fmt.Sprintf("goroutine slope %.3g/s (p=%.3g), %.0f projected over the window, peak %d", l.GoroutineSlope, l.GoroutinePValue, l.GoroutineGrowth, s.PeakGoroutines)})
	}
	if l.Inconclusive && !l.GoroutineLeak {
		out = append(out, Recommendation{RuleLeakUndecided,
			"Too few GC cycles to judge leaks: run longer, lower GOGC, or call runtime.GC periodically in the test.",
			l.Reason})
	}
	meanLive := s.MeanLiveHeapBytes
	if s.AllocRateBytesPerSec >= th.AllocRate && meanLive > 0 && float64(s.TotalAllocBytes)/meanLive >= th.ChurnRatio {
		top := "no heap profile to name the top site"
		if len(a.sites) > 0 {
			t := a.sites[0]
			top = fmt.Sprintf("top site %s: %s, %.0f%% of allocated bytes", siteName(t.Function, t.File, t.Line), fmtMiB(float64(t.AllocBytes)), 100*t.Share)
		}
		out = append(out, Recommendation{RuleAllocChurn,
			"High allocation rate over a small live heap: pool or reuse the short-lived objects (sync.Pool, preallocated buffers, batching).",
			fmt.Sprintf("%s/s allocated, %s allocated in total = %.0fx the mean live heap %s; %s",
				fmtMiB(s.AllocRateBytesPerSec), fmtMiB(float64(s.TotalAllocBytes)), float64(s.TotalAllocBytes)/meanLive, fmtMiB(meanLive), top)})
	}
	if float64(s.PeakGoroutines) >= th.Goroutines {
		out = append(out, Recommendation{RuleGoroutines,
			"Many goroutines at once: a bounded worker pool caps stacks and scheduling cost.",
			fmt.Sprintf("peak %d goroutines (limit %.0f)", s.PeakGoroutines, th.Goroutines)})
	}
	if meanLive > 0 && s.MeanHeapGoalBytes >= th.GoalRatio*meanLive && s.MeanHeapGoalBytes-meanLive >= th.GoalSlack {
		out = append(out, Recommendation{RuleHeapGoal,
			"The heap goal is far above the live heap: lower GOGC or set GOMEMLIMIT to trade some GC CPU for memory.",
			fmt.Sprintf("mean heap goal %s vs mean live heap %s (%.1fx)", fmtMiB(s.MeanHeapGoalBytes), fmtMiB(meanLive), s.MeanHeapGoalBytes/meanLive)})
	}
	if s.MeanHeapBytes > 0 && s.HeapStddevBytes/s.MeanHeapBytes >= th.CV {
		out = append(out, Recommendation{RuleHeapVariance,
			"The heap swings widely: allocate in steadier batches or reuse large buffers to flatten the peaks.",
			fmt.Sprintf("heap stddev %s over mean %s (cv %.2f, limit %.2f), peak %s", fmtMiB(s.HeapStddevBytes), fmtMiB(s.MeanHeapBytes), s.HeapStddevBytes/s.MeanHeapBytes, th.CV, fmtMiB(float64(s.PeakHeapBytes)))})
	}
	if len(out) == 0 {
		out = append(out, Recommendation{RuleHealthy,
			"Memory is healthy: no leak, churn, goroutine, GC-goal or variance rule fired.",
			fmt.Sprintf("peak heap %s, growth %s, leak p=%.3g, %d GC cycles", fmtMiB(float64(s.PeakHeapBytes)), fmtMiB(float64(s.HeapChangeBytes)), l.PValue, s.GCCycles)})
	}
	return out
}
