package profiler

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/pprof/profile"
)

// Options configures a Profiler; the zero value works.
type Options struct {
	// Interval is the sampling period. Default 10ms: at that rate sampling costs well
	// under 0.1% of a core; 1ms resolves short workloads and still costs well under 1%.
	Interval time.Duration `json:"interval_ns"`
	// MaxSamples bounds the retained series; past it the series is halved by LTTB and
	// later samples are kept one in two (then four, ...). Default 4096 (about 490 KB).
	MaxSamples int `json:"max_samples"`
	// MemProfileRate sets runtime.MemProfileRate from Start to Stop (restored after):
	// 0 leaves it, a negative value turns heap profiling off. When set, Stop runs a GC
	// and keeps the heap profile as of then, and TopAllocations and
	// WriteHeapProfileSince use it afterwards: a profile written under another rate
	// would be scaled wrongly.
	MemProfileRate int `json:"mem_profile_rate"`
	// Leak configures DetectLeaks for Recommendations and WriteJSON.
	Leak LeakOptions `json:"leak"`
	// Thresholds configures the recommendation rules; zero fields take DefaultThresholds.
	Thresholds Thresholds `json:"thresholds"`
	// TopSites is the number of allocation sites in reports and snapshots. Default 10.
	TopSites int `json:"top_sites"`
	// SettleGC makes Start run a full GC before taking its baseline heap profile (a
	// heap profile holds allocations up to the last GC, so the baseline then holds
	// everything before Start) and another after it, before the baseline sample, so
	// the baseline is the settled live heap and the profile's own garbage never
	// counts toward the peak. Benchmarks want it; a
	// service that must not pause on Start leaves it off.
	SettleGC bool `json:"settle_gc,omitempty"`
	// GCQuiet, when positive, makes the sampler force a GC cycle whenever none
	// has completed for that long. The leak judge needs many post-GC readings
	// of the live heap, and a process that only retains memory collects rarely
	// (each cycle doubles the heap goal); allocation-heavy code collects far
	// more often and never sees a forced cycle. Forced cycles change what is
	// measured (a lower peak heap, more GC cycles): memprism sets it only in
	// leak-probe runs, whose figures serve the leak verdict alone. They are
	// counted in Summary.ProbeGCCycles and Summary.ForcedGCCycles.
	GCQuiet time.Duration `json:"gc_quiet_ns,omitempty"`
	// UserPrefixes are package path prefixes of the user's code besides the
	// main module (from the binary's build information) and package main:
	// allocation sites and goroutine groups are charged to the first frame
	// of the user's code. memprism's own packages never count.
	UserPrefixes []string `json:"user_prefixes,omitempty"`
	// SkipGoroutines leaves out the goroutine evidence: the dumps of every
	// goroutine at Start and at Stop (each stops the world briefly, about a
	// microsecond per goroutine) and, when the binary has it, the
	// goroutineleak profile at Stop (which runs a GC).
	SkipGoroutines bool `json:"skip_goroutines,omitempty"`
	// BeforeBaseline, when set, is called by Start right before the baseline
	// sample, after the settling GC: a host sheds its own footprint there
	// (memprism's worker drops its executable's clean pages from RSS) so the
	// baseline RSS is what the measured code starts from.
	BeforeBaseline func() `json:"-"`
}

// Defaults of Options.
const (
	DefaultInterval   = 10 * time.Millisecond
	DefaultMaxSamples = 4096
	DefaultTopSites   = 10
)

func (o Options) withDefaults() Options {
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.MaxSamples <= 0 {
		o.MaxSamples = DefaultMaxSamples
	}
	if o.MaxSamples < 16 {
		o.MaxSamples = 16
	}
	if o.TopSites <= 0 {
		o.TopSites = DefaultTopSites
	}
	o.Thresholds = o.Thresholds.withDefaults()
	o.Leak = o.Leak.withDefaults()
	return o
}

// Errors returned by Start and Stop.
var (
	ErrStarted    = errors.New("profiler: already started")
	ErrStopped    = errors.New("profiler: already stopped; a Profiler runs once")
	ErrNotStarted = errors.New("profiler: not started")
)

const (
	stateIdle = iota
	stateRunning
	stateStopped
)

// gcPoint is the post-GC live heap observed at the first sample of a GC cycle.
type gcPoint struct {
	t    float64 // seconds since Start
	live float64
}

// Profiler samples the Go runtime's memory in a background goroutine between Start and
// Stop and analyses the result. Its methods are safe for concurrent use.
type Profiler struct {
	opts Options
	now  func() time.Time
	// heapProfile returns the current heap profile (injectable for tests).
	heapProfile func() (*profile.Profile, error)

	frames frames // which frames are the user's code

	readMu sync.Mutex // guards rd
	rd     *reader

	forcedGCs atomic.Uint64 // cycles forced by the sampler (Options.GCQuiet)

	mu        sync.Mutex // guards everything below
	state     int
	start     time.Time
	stopped   time.Time
	stopC     chan struct{}
	done      chan struct{}
	samples   bounded[Sample]
	reducer   sampleReducer
	gcs       bounded[gcPoint]
	first     Sample
	last      Sample
	n         int
	run       running
	snapshots []Snapshot
	baseSites []Site
	baseProf  *profile.Profile // the heap profile at Start, for WriteHeapProfileSince
	finalProf *profile.Profile // taken at Stop when Options.MemProfileRate was set
	baseErr   error
	baseGor   []goroutineDump // goroutines at Start
	gor       *Goroutines     // evidence computed at Stop
	created   map[siteKey]int // goroutines alive at Stop per go statement, beyond Start's
	lastGC    *GCResult
	prevRate  int
	rateSet   bool
}

// New returns a Profiler configured by opts (zero fields take defaults). It does not
// start sampling; call Start.
func New(opts Options) *Profiler {
	o := opts.withDefaults()
	p := &Profiler{
		opts:        o,
		now:         time.Now,
		heapProfile: captureHeapProfile,
		rd:          newReader(newRSSSource()),
		frames:      newFrames(o.UserPrefixes),
	}
	p.samples = newBounded[Sample](o.MaxSamples, p.reducer.reduce)
	p.reducer.idx = make([]int, 0, o.MaxSamples/2+1)
	p.gcs = newBounded[gcPoint](o.MaxSamples, decimate[gcPoint])
	return p
}

// MustStart returns a started Profiler and panics if it cannot start; for the one-line
// form `p := profiler.MustStart(opts); defer p.Stop()`.
func MustStart(opts Options) *Profiler {
	p := New(opts)
	if err := p.Start(); err != nil {
		panic(err)
	}
	return p
}

// Run profiles fn: it starts a Profiler, calls fn(ctx), stops the Profiler and returns
// it (stopped, ready to analyse) with fn's error and any Stop error joined.
func Run(ctx context.Context, opts Options, fn func(context.Context) error) (*Profiler, error) {
	p := New(opts)
	if err := p.Start(); err != nil {
		return p, err
	}
	ferr := fn(ctx)
	if ferr != nil {
		ferr = fmt.Errorf("profiler: profiled function: %w", ferr)
	}
	return p, errors.Join(ferr, p.Stop())
}

// Options returns the effective options (defaults filled in).
func (p *Profiler) Options() Options { return p.opts }

// Start records the baseline sample and the baseline heap profile, sets
// MemProfileRate if asked, and starts the sampling goroutine.
func (p *Profiler) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch p.state {
	case stateRunning:
		return ErrStarted
	case stateStopped:
		return ErrStopped
	}
	if r := p.opts.MemProfileRate; r != 0 {
		p.prevRate, p.rateSet = runtime.MemProfileRate, true
		runtime.MemProfileRate = max(r, 0)
	}
	// A first read allocates runtime/metrics' histogram buffers; do it before
	// the baseline profile so that one-time cost is never charged to the session.
	var warm Sample
	p.readMu.Lock()
	p.rd.read(&warm, p.now(), true)
	p.readMu.Unlock()
	if p.opts.SettleGC {
		runtime.GC() // publish every allocation so far into the baseline profile
	}
	if prof, err := p.heapProfile(); err != nil {
		p.baseErr = err
	} else {
		p.baseProf = prof
		if p.baseSites, err = sitesFromProfile(prof, 0, p.frames); err != nil {
			p.baseErr = err
		}
	}
	var stackBase uint64
	if !p.opts.SkipGoroutines {
		p.baseGor = parseGoroutines(goroutineStacks(), p.frames)
		stackBase = stackBytes()
		p.gor = &Goroutines{StackBytesBaseline: stackBase}
	}
	if p.opts.SettleGC {
		// A GC, and the heap it freed (the baseline profile's garbage among
		// it) returned to the OS, so the baseline RSS holds no dead heap.
		debug.FreeOSMemory()
	}
	if p.opts.BeforeBaseline != nil {
		p.opts.BeforeBaseline()
	}
	p.state = stateRunning
	p.start = p.now()
	var s Sample
	p.readLocked(&s)
	p.record(s)
	p.stopC, p.done = make(chan struct{}), make(chan struct{})
	go p.loop(p.stopC, p.done)
	return nil
}

// Stop stops sampling, takes one last sample and restores MemProfileRate. It returns
// the first error met reading RSS during the session, if any (those samples carry RSS
// 0; the runtime figures are unaffected). A second Stop returns nil; Stop before Start
// returns ErrNotStarted.
func (p *Profiler) Stop() error {
	p.mu.Lock()
	switch p.state {
	case stateIdle:
		p.mu.Unlock()
		return ErrNotStarted
	case stateStopped:
		p.mu.Unlock()
		return nil
	}
	stopC, done := p.stopC, p.done
	p.state = stateStopped
	p.mu.Unlock()
	close(stopC)
	<-done
	p.mu.Lock()
	defer p.mu.Unlock()
	var s Sample
	p.readLocked(&s)
	p.recordFinal(s)
	p.stopped = s.Time()
	if p.gor != nil {
		p.goroutineEvidence()
	}
	if p.rateSet {
		// A heap profile is scaled by the rate in force when it is written, so
		// the session's allocations are captured now, after a GC publishes
		// them, and before the old rate comes back.
		runtime.GC()
		if prof, err := p.heapProfile(); err == nil {
			p.finalProf = prof
		}
		runtime.MemProfileRate = p.prevRate
		p.rateSet = false
	}
	p.readMu.Lock()
	err := p.rd.rssErr
	p.readMu.Unlock()
	return err
}

// goroutineEvidence takes the goroutine evidence at Stop; p.mu must be held.
func (p *Profiler) goroutineEvidence() {
	g := p.gor
	leaked, has, err := leakProfile()
	g.LeakProfile, g.Leaked = has, leaked
	if err != nil {
		g.Error = err.Error()
	}
	final := parseGoroutines(goroutineStacks(), p.frames)
	g.StackBytesFinal = stackBytes()
	g.Groups, g.Baseline, g.Final = groupGoroutines(p.baseGor, final)
	p.created = creationSites(p.baseGor, final)
	p.baseGor = nil
}

func (p *Profiler) loop(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(p.opts.Interval)
	defer t.Stop()
	var s Sample
	// For GCQuiet: the last cycle count seen and when (time since Start) it
	// changed; the forced cycle runs on its own goroutine so that sampling,
	// and with it the peak heap, goes on while it marks and sweeps.
	var lastCycles uint64
	lastCycleAt := time.Duration(-1)
	var gcBusy atomic.Bool
	var gcs sync.WaitGroup
	defer gcs.Wait() // Stop returns with every forced cycle counted
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.sample(&s)
			if p.opts.GCQuiet <= 0 {
				continue
			}
			switch {
			case lastCycleAt < 0 || s.GCCycles != lastCycles:
				lastCycles, lastCycleAt = s.GCCycles, s.Elapsed
			case s.Elapsed-lastCycleAt >= p.opts.GCQuiet && gcBusy.CompareAndSwap(false, true):
				lastCycleAt = s.Elapsed
				gcs.Go(func() {
					runtime.GC()
					p.forcedGCs.Add(1)
					gcBusy.Store(false)
				})
			}
		}
	}
}

// sample takes and records one sample; it does not allocate in steady state.
func (p *Profiler) sample(s *Sample) {
	now := p.now()
	p.readMu.Lock()
	p.rd.read(s, now, false)
	p.readMu.Unlock()
	p.mu.Lock()
	s.UnixNano = now.UnixNano()
	s.Elapsed = now.Sub(p.start)
	p.record(*s)
	p.mu.Unlock()
}

// readLocked reads a sample stamped with the current time; p.mu must be held.
func (p *Profiler) readLocked(s *Sample) {
	now := p.now()
	p.readMu.Lock()
	p.rd.read(s, now, true)
	p.readMu.Unlock()
	s.UnixNano = now.UnixNano()
	s.Elapsed = now.Sub(p.start)
}

// record adds s to the series and the running statistics; p.mu must be held.
func (p *Profiler) record(s Sample) {
	p.account(s)
	p.samples.add(s)
}

func (p *Profiler) recordFinal(s Sample) {
	p.account(s)
	p.samples.push(s)
}

func (p *Profiler) account(s Sample) {
	if p.n == 0 {
		p.first = s
		p.gcs.push(gcPoint{s.Elapsed.Seconds(), float64(s.LiveHeapBytes)})
	} else if s.GCCycles != p.last.GCCycles {
		p.gcs.add(gcPoint{s.Elapsed.Seconds(), float64(s.LiveHeapBytes)})
	}
	p.n++
	p.last = s
	p.run.add(s)
}

// Samples returns a copy of the retained series in time order: every sample until
// MaxSamples, then an evenly spread, LTTB-downsampled subset; first and last kept.
func (p *Profiler) Samples() []Sample {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Sample(nil), p.samples.buf...)
}

// running holds statistics over every sample taken (not only the retained ones).
type running struct {
	n                       float64
	last                    time.Duration // Elapsed of the previous sample
	maxGap                  time.Duration // longest time between two samples
	maxRSSFile              uint64        // RSSFileBytes at the highest RSS
	mean, m2                float64       // Welford, HeapBytes
	minHeap, maxHeap        uint64
	maxLive, maxRSS, maxGor uint64
	sumLive, sumGoal        float64
	atFloor                 float64 // samples with HeapGoalAtFloor
	minSet                  bool
}

func (r *running) add(s Sample) {
	r.n++
	x := float64(s.HeapBytes)
	d := x - r.mean
	r.mean += d / r.n
	r.m2 += d * (x - r.mean)
	if !r.minSet || s.HeapBytes < r.minHeap {
		r.minHeap, r.minSet = s.HeapBytes, true
	}
	r.maxHeap = max(r.maxHeap, s.HeapBytes)
	r.maxLive = max(r.maxLive, s.LiveHeapBytes)
	if r.n > 1 {
		r.maxGap = max(r.maxGap, s.Elapsed-r.last)
	}
	r.last = s.Elapsed
	if s.RSSBytes > r.maxRSS {
		r.maxRSS, r.maxRSSFile = s.RSSBytes, s.RSSFileBytes
	}
	r.maxGor = max(r.maxGor, s.Goroutines)
	r.sumLive += float64(s.LiveHeapBytes)
	r.sumGoal += float64(s.HeapGoalBytes)
	if s.HeapGoalAtFloor {
		r.atFloor++
	}
}

func (r *running) variance() float64 {
	if r.n == 0 {
		return 0
	}
	return math.Max(r.m2/r.n, 0)
}
