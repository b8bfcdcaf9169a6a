package profiler

import (
	"cmp"
	"fmt"
	"math"
	"slices"
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
	sites    []Site // ranked by bytes allocated (churn)
	inuse    []Site // ranked by bytes in use (retained)
	sitesErr error
	gor      *Goroutines
	// liveBase and liveEnd are the post-GC live heap at Start and at the end
	// (after the last forced GC, else the last completed one).
	liveBase, liveEnd float64
	// liveCV is the coefficient of variation of the post-GC live heap over
	// the run, one point per GC cycle: how much the live data itself swings.
	liveCV    float64
	threshold int64 // the leak effect floor, bytes
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
	a := analysis{summary: p.summaryLocked(), leak: p.leakLocked(p.opts.Leak), threshold: p.opts.Leak.Threshold}
	base, created := p.baseSites, p.created
	if p.gor != nil {
		g := *p.gor
		a.gor = &g
	}
	if p.n > 0 {
		a.liveBase, a.liveEnd = float64(p.first.LiveHeapBytes), float64(p.last.LiveHeapBytes)
		if p.lastGC != nil {
			a.liveEnd = float64(p.lastGC.After.LiveHeapBytes)
		}
		var live []float64
		for _, g := range p.gcs.buf {
			live = append(live, g.live)
		}
		a.liveCV = cv(live)
	}
	p.mu.Unlock()
	prof, err := p.currentProfile()
	if err != nil {
		a.sitesErr = err
		return a
	}
	now, err := sitesFromProfile(prof, 0, p.frames)
	if err != nil {
		a.sitesErr = err
		return a
	}
	session := chargeGoroutineCreation(sessionSites(now, base), created, p.frames)
	a.sites = rankSites(slices.Clone(session), p.opts.TopSites)
	a.inuse = rankInUse(session, p.opts.TopSites)
	return a
}

// cv is the population coefficient of variation of x (0 when undefined).
func cv(x []float64) float64 {
	if len(x) < 2 {
		return 0
	}
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if mean <= 0 {
		return 0
	}
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return math.Sqrt(ss/float64(len(x))) / mean
}

// chargeGoroutineCreation moves the allocations of goroutine creation (a
// stack wholly in the runtime) to the go statements of the goroutines alive
// at the end, split by how many each started beyond those alive at Start.
// Without that evidence the runtime site stays, named as what it is.
func chargeGoroutineCreation(sites []Site, created map[siteKey]int, fr frames) []Site {
	i := slices.IndexFunc(sites, func(s Site) bool { return s.Function == goroutineCreation && s.File == "" })
	if i < 0 {
		return sites
	}
	g := sites[i]
	total := 0
	for _, n := range created {
		total += n
	}
	if total == 0 {
		return sites
	}
	sites = slices.Delete(sites, i, i+1)
	keys := make([]siteKey, 0, len(created))
	for k := range created {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b siteKey) int {
		return cmp.Or(cmp.Compare(a.fn, b.fn), cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line))
	})
	for _, k := range keys {
		f := float64(created[k]) / float64(total)
		part := Site{Function: k.fn, File: k.file, Line: k.line, User: fr.kind(k.fn, k.file) == frameUser, Via: "go statement",
			AllocBytes: int64(f * float64(g.AllocBytes)), AllocObjects: int64(f * float64(g.AllocObjects)),
			InuseBytes: int64(f * float64(g.InuseBytes)), InuseObjects: int64(f * float64(g.InuseObjects))}
		j := slices.IndexFunc(sites, func(s Site) bool { return s.key() == k })
		if j < 0 {
			sites = append(sites, part)
			continue
		}
		s := &sites[j]
		s.AllocBytes += part.AllocBytes
		s.AllocObjects += part.AllocObjects
		s.InuseBytes += part.InuseBytes
		s.InuseObjects += part.InuseObjects
	}
	return sites
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
	return fmt.Sprintf("%s (%s:%d)", shortFunc(fn), file, line)
}

// shortFunc drops the package path of a function name: "a/b/c.(*T).M" -> "c.(*T).M".
func shortFunc(fn string) string {
	if i := strings.LastIndexByte(fn, '/'); i >= 0 {
		return fn[i+1:]
	}
	return fn
}

// describeSite names a site with the library function it went through.
func describeSite(s Site) string {
	name := siteName(s.Function, s.File, s.Line)
	if s.Via != "" {
		name += " via " + s.Via
	}
	return name
}

// topInUse lists up to n of the user's lines holding the most bytes in use
// (library sites when no user line holds any).
func topInUse(sites []Site, n int) string {
	var out []string
	for _, s := range sites {
		if len(out) == n || (!s.User && len(out) > 0) {
			break
		}
		out = append(out, fmt.Sprintf("%s %s in use", describeSite(s), fmtMiB(float64(s.InuseBytes))))
	}
	return strings.Join(out, "; ")
}

// RetainedMessage starts the message of the retained rule.
const RetainedMessage = "The live heap after GC holds far more at the end than at the start"

// Rules added by the diagnosis.
const (
	// RuleRetained: the live heap after GC holds far more than at Start,
	// whether or not it still grows.
	RuleRetained = "retained"
)

func recommend(a analysis, th Thresholds) []Recommendation {
	var out []Recommendation
	s, l := a.summary, a.leak
	holders := topInUse(a.inuse, 3)
	if holders == "" {
		holders = "no heap profile to name the lines holding it"
	}
	if l.HeapLeak {
		out = append(out, Recommendation{RuleLeak,
			"The live heap keeps growing after GC: find what retains memory (caches without bounds, appends to long-lived slices, maps never pruned).",
			fmt.Sprintf("post-GC live heap slope %s/s (p=%.3g) over %.1fs, %s projected, severity %s; held by %s",
				fmtMiB(l.SlopeBytesPerSec), l.PValue, l.Window.EndSeconds-l.Window.StartSeconds, fmtMiB(l.GrowthBytes), l.Severity, holders)})
	}
	if l.GoroutineLeak {
		where := ""
		if a.gor != nil && len(a.gor.Groups) > 0 && a.gor.Groups[0].Growth() > 0 {
			where = "; " + a.gor.Groups[0].String()
		}
		stacks := ""
		if a.gor != nil && a.gor.StackBytesFinal > 0 {
			stacks = fmt.Sprintf(", goroutine stacks %s (%s at Start)", fmtMiB(float64(a.gor.StackBytesFinal)), fmtMiB(float64(a.gor.StackBytesBaseline)))
		}
		out = append(out, Recommendation{RuleGoroutineLeak,
			"Goroutines keep accumulating: look for goroutines blocked on channels or locks that are never released (goleak finds them in tests).",
			fmt.Sprintf("goroutine slope %.3g/s (p=%.3g), %.0f projected over the window, peak %d%s%s", l.GoroutineSlope, l.GoroutinePValue, l.GoroutineGrowth, s.PeakGoroutines, stacks, where)})
	}
	if l.Inconclusive && !l.GoroutineLeak {
		out = append(out, Recommendation{RuleLeakUndecided,
			"Too few GC cycles to judge leaks: run longer, lower GOGC, or call runtime.GC periodically in the test.",
			l.Reason})
	}
	if held := a.liveEnd - a.liveBase; !l.HeapLeak && a.threshold > 0 && held > float64(a.threshold) {
		msg := RetainedMessage + ", though it does not keep growing: if that memory is not meant to stay (a cache, a buffer or a map sized by a peak), the lines below hold it."
		if l.Inconclusive {
			msg = RetainedMessage + " (whether it still grows, too few GC cycles tell): if that memory is not meant to stay, the lines below hold it."
		}
		out = append(out, Recommendation{RuleRetained, msg,
			fmt.Sprintf("post-GC live heap %s at the end vs %s at the start (+%s, leak threshold %s); held by %s",
				fmtMiB(a.liveEnd), fmtMiB(a.liveBase), fmtMiB(held), fmtMiB(float64(a.threshold)), holders)})
	}
	meanLive := s.MeanLiveHeapBytes
	if s.AllocRateBytesPerSec >= th.AllocRate && meanLive > 0 && float64(s.TotalAllocBytes)/meanLive >= th.ChurnRatio {
		top := "no heap profile to name the top site"
		if len(a.sites) > 0 {
			t := a.sites[0]
			top = fmt.Sprintf("top line %s: %s, %.0f%% of allocated bytes", describeSite(t), fmtMiB(float64(t.AllocBytes)), 100*t.Share)
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
	// Swings of the heap between collections are garbage that each GC gives
	// back: reusing buffers would keep that memory for ever (the sync.Pool
	// and bytes.Buffer faults). Only swings of the post-GC live heap itself,
	// working sets built and dropped, call for steadier processing.
	if s.MeanHeapBytes > 0 && s.HeapStddevBytes/s.MeanHeapBytes >= th.CV && a.liveCV >= th.CV {
		out = append(out, Recommendation{RuleHeapVariance,
			"The live heap itself swings widely (large working sets built and dropped): process in steadier, smaller batches or stream large inputs to flatten the peaks.",
			fmt.Sprintf("post-GC live heap cv %.2f (limit %.2f); heap stddev %s over mean %s, peak %s", a.liveCV, th.CV, fmtMiB(s.HeapStddevBytes), fmtMiB(s.MeanHeapBytes), fmtMiB(float64(s.PeakHeapBytes)))})
	}
	if len(out) == 0 {
		out = append(out, Recommendation{RuleHealthy,
			"Memory is healthy: no leak, retention, churn, goroutine, GC-goal or variance rule fired.",
			// No leak figures here: the leak verdict carries them, once.
			fmt.Sprintf("peak heap %s, post-GC live heap %s at the end vs %s at the start, %d GC cycles", fmtMiB(float64(s.PeakHeapBytes)), fmtMiB(a.liveEnd), fmtMiB(a.liveBase), s.GCCycles)})
	}
	return out
}

// ShortFunctionName drops the package path of a function name:
// "example.com/a/b.(*T).M" -> "b.(*T).M".
func ShortFunctionName(fn string) string { return shortFunc(fn) }
