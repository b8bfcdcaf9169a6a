package profiler

import (
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

const mib = 1 << 20

// synth describes a synthetic run: the post-GC live heap and goroutines as functions
// of time, GCs at jittered intervals, sampled every 20 ms.
type synth struct {
	dur      float64 // seconds
	gcEvery  float64 // mean seconds between GC cycles
	live     func(t float64, r *rand.Rand) float64
	gor      func(t float64, r *rand.Rand) float64
	wantLeak bool
	wantSev  string // checked when non-empty
	wantGor  bool
	wantInc  bool
}

// samples generates the run with seed.
func (c synth) samples(seed uint64) []Sample {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	var out []Sample
	nextGC := c.gcEvery * (0.5 + r.Float64())
	var cycles uint64
	live := c.live(0, r)
	for ms := 0; float64(ms)/1000 <= c.dur; ms += 20 {
		t := float64(ms) / 1000
		for t >= nextGC { // a GC finished: the live heap takes a new value
			cycles++
			live = c.live(nextGC, r)
			nextGC += c.gcEvery * (0.5 + r.Float64())
		}
		g := 20.0
		if c.gor != nil {
			g = c.gor(t, r)
		}
		out = append(out, Sample{
			Elapsed:       time.Duration(t * float64(time.Second)),
			LiveHeapBytes: uint64(math.Max(live, 0)),
			GCCycles:      cycles,
			Goroutines:    uint64(math.Max(g, 0)),
		})
	}
	return out
}

func flat(base, sigma float64) func(float64, *rand.Rand) float64 {
	return func(_ float64, r *rand.Rand) float64 { return base + sigma*r.NormFloat64() }
}

func leakCases() map[string]synth {
	base := 50.0 * mib
	return map[string]synth{
		"steady churn": {dur: 60, gcEvery: 0.25, live: flat(base, 0.5*mib)},
		"large sawtooth": {dur: 60, gcEvery: 0.25, live: func(t float64, r *rand.Rand) float64 {
			// A 40 MiB buffer held half of every 2.3 s period; GCs land at random phases.
			held := 0.0
			if math.Mod(t, 2.3) < 1.15 {
				held = 40 * mib
			}
			return base + held + 0.5*mib*r.NormFloat64()
		}},
		"cache fills in warm-up then plateaus": {dur: 60, gcEvery: 0.25, live: func(t float64, r *rand.Rand) float64 {
			return base + 100*mib*math.Min(t/9, 1) + 0.5*mib*r.NormFloat64() // full at 15%
		}},
		"cache still filling after warm-up then plateaus": {dur: 60, gcEvery: 0.25, live: func(t float64, r *rand.Rand) float64 {
			return base + 30*mib*math.Min(t/18, 1) + 0.5*mib*r.NormFloat64() // full at 30%
		}},
		"slow leak": {dur: 60, gcEvery: 0.25, wantLeak: true, wantSev: SeverityMedium,
			live: func(t float64, r *rand.Rand) float64 { return base + 0.15*mib*t + 0.5*mib*r.NormFloat64() }},
		"slow leak under a sawtooth": {dur: 60, gcEvery: 0.25, wantLeak: true, wantSev: SeverityMedium,
			live: func(t float64, r *rand.Rand) float64 {
				held := 0.0
				if math.Mod(t, 1.7) < 0.85 {
					held = 10 * mib
				}
				return base + 0.3*mib*t + held + 0.5*mib*r.NormFloat64()
			}},
		"fast leak": {dur: 60, gcEvery: 0.25, wantLeak: true, wantSev: SeverityHigh,
			live: func(t float64, r *rand.Rand) float64 { return base + 4*mib*t + 2*mib*r.NormFloat64() }},
		"goroutine leak": {dur: 60, gcEvery: 0.25, wantLeak: true, wantGor: true, wantSev: SeverityMedium,
			live: flat(base, 0.5*mib),
			gor:  func(t float64, r *rand.Rand) float64 { return 20 + 5*t + float64(r.IntN(5)) }},
		"goroutines steady with noise": {dur: 60, gcEvery: 0.25, live: flat(base, 0.5*mib),
			gor: func(t float64, r *rand.Rand) float64 { return 200 + float64(r.IntN(40)) }},
		"too few GC cycles (big GOGC)": {dur: 60, gcEvery: 10, wantInc: true,
			live: func(t float64, r *rand.Rand) float64 { return base + 4*mib*t }},
	}
}

// TestDetectLeakTable runs every case with several seeds: no false alarm, no miss.
func TestDetectLeakTable(t *testing.T) {
	const reps = 20
	for name, c := range leakCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // pure computation on synthetic series
			wrong := 0
			for seed := range uint64(reps) {
				got := DetectLeakSamples(c.samples(seed), LeakOptions{Threshold: 5 * mib})
				bad := got.Detected != c.wantLeak || got.GoroutineLeak != c.wantGor || got.Inconclusive != c.wantInc ||
					(c.wantSev != "" && got.Severity != c.wantSev) || (!c.wantLeak && got.Severity != SeverityNone)
				if c.wantInc && !strings.HasPrefix(got.Reason, ReasonTooFewCycles) {
					bad = true
				}
				if bad {
					wrong++
					t.Errorf("seed %d: detected=%v sev=%s gor=%v inconclusive=%v growth=%.3g MiB slope=%.3g MiB/s p=%.3g late p=%.3g: %s",
						seed, got.Detected, got.Severity, got.GoroutineLeak, got.Inconclusive, got.GrowthBytes/mib,
						got.SlopeBytesPerSec/mib, got.PValue, got.LatePValue, got.Reason)
				}
			}
			t.Logf("%d/%d runs judged right", reps-wrong, reps)
		})
	}
}

// TestDetectLeakSeries checks that the plain-series form (no GC counts: steps are
// collapsed) agrees with the sample form on the heap verdict.
func TestDetectLeakSeries(t *testing.T) {
	for name, c := range leakCases() {
		if c.gor != nil {
			continue
		}
		t.Run(name, func(t *testing.T) {
			for seed := range uint64(3) {
				s := c.samples(seed)
				ts, live := make([]float64, len(s)), make([]float64, len(s))
				for i, x := range s {
					ts[i], live[i] = x.Elapsed.Seconds(), float64(x.LiveHeapBytes)
				}
				got := DetectLeakSeries(ts, live, LeakOptions{Threshold: 5 * mib})
				want := DetectLeakSamples(s, LeakOptions{Threshold: 5 * mib})
				if got.HeapLeak != want.HeapLeak || got.Inconclusive != want.Inconclusive || got.Window.GCCycles != want.Window.GCCycles {
					t.Errorf("seed %d: series %+v, samples %+v", seed, got, want)
				}
			}
		})
	}
	if got := DetectLeakSeries(nil, nil, LeakOptions{}); got.Detected || !got.Inconclusive {
		t.Errorf("empty series: %+v, want inconclusive, not detected", got)
	}
}

func TestLeakOptionsWarmup(t *testing.T) {
	c := leakCases()["cache still filling after warm-up then plateaus"]
	s := c.samples(1)
	tests := []struct {
		name string
		give LeakOptions
		want float64 // window start, seconds
	}{
		{"default 20%", LeakOptions{}, 12},
		{"fraction", LeakOptions{Warmup: 0.5}, 30},
		{"none", LeakOptions{Warmup: -1}, 0},
		{"duration overrides", LeakOptions{Warmup: 0.5, WarmupTime: 20 * time.Second}, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DetectLeakSamples(s, tt.give)
			if math.Abs(got.Window.StartSeconds-tt.want) > 1e-9 || got.Window.EndSeconds != 60 {
				t.Errorf("window %+v, want start %v end 60", got.Window, tt.want)
			}
		})
	}
}

// realCase is a workload run in this process (see runReal).
type realCase struct {
	name     string
	heavy    bool // skipped with -short
	work     func(elapsed time.Duration, st *realState)
	wantLeak bool
	wantGor  bool
	wantSev  string
}

type realState struct {
	keep   [][]byte
	cache  map[int][]byte
	block  []byte
	stopGs chan struct{}
	wg     sync.WaitGroup
	sink   []byte
}

func (s *realState) retainUpTo(total int, chunk int) {
	for len(s.keep)*chunk < total {
		s.keep = append(s.keep, make([]byte, chunk))
	}
}

func churn(s *realState) {
	for range 16 {
		s.sink = make([]byte, 4096)
	}
}

func realCases() []realCase {
	return []realCase{
		{name: "steady churn", work: func(_ time.Duration, s *realState) { churn(s) }},
		{name: "fast leak", wantLeak: true, wantSev: SeverityHigh, work: func(e time.Duration, s *realState) {
			churn(s)
			s.retainUpTo(int(16*mib*e.Seconds()), 64<<10) // 16 MiB/s
		}},
		{name: "cache fills in warm-up then plateaus", work: func(e time.Duration, s *realState) {
			churn(s)
			for i := len(s.cache); i < min(int(e.Seconds()/0.15*128), 128); i++ { // 8 MiB in 150 ms
				s.cache[i] = make([]byte, 64<<10)
			}
		}},
		{name: "large sawtooth", heavy: true, work: func(e time.Duration, s *realState) {
			churn(s)
			if e%(100*time.Millisecond) < 50*time.Millisecond { // an 8 MiB buffer held half the time
				if s.block == nil {
					s.block = make([]byte, 8*mib)
				}
			} else {
				s.block = nil
			}
		}},
		{name: "slow leak", heavy: true, wantLeak: true, wantSev: SeverityMedium, work: func(e time.Duration, s *realState) {
			churn(s)
			s.retainUpTo(int(0.75*mib*e.Seconds()), 4<<10) // 0.75 MiB/s
		}},
		{name: "goroutine leak", heavy: true, wantLeak: true, wantGor: true, work: func(e time.Duration, s *realState) {
			churn(s)
			for n := int(400 * e.Seconds()); len(s.keep) < n; { // 400 goroutines/s blocked until the end
				s.keep = append(s.keep, nil)
				s.wg.Add(1)
				go func() { defer s.wg.Done(); <-s.stopGs }()
			}
		}},
	}
}

// runReal runs c in steps of 10 ms of nominal time (each step works, then sleeps
// 10 ms), forcing a GC every other step so the live heap is observed about 50 times a
// second. Workloads are driven by nominal time, so a loaded machine slows a run down
// but does not change what it does.
func runReal(t *testing.T, c realCase, steps int) Leak {
	t.Helper()
	st := &realState{cache: map[int][]byte{}, stopGs: make(chan struct{})}
	p := MustStart(Options{Interval: time.Millisecond})
	for i := range steps {
		c.work(time.Duration(i)*10*time.Millisecond, st)
		if i%2 == 1 {
			runtime.GC()
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := p.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
	close(st.stopGs)
	st.wg.Wait()
	runtime.KeepAlive(st)
	return p.DetectLeaks(LeakOptions{Threshold: mib / 2})
}

// TestDetectLeaksInProcess profiles real workloads in this process.
func TestDetectLeaksInProcess(t *testing.T) {
	for _, c := range realCases() {
		t.Run(c.name, func(t *testing.T) {
			if c.heavy && testing.Short() {
				t.Skip("heavier case; run without -short")
			}
			got := runReal(t, c, 150)
			t.Logf("detected=%v sev=%s gor=%v cycles=%d growth=%.3g MiB slope=%.3g MiB/s p=%.3g gor growth=%.0f: %s",
				got.Detected, got.Severity, got.GoroutineLeak, got.Window.GCCycles, got.GrowthBytes/mib,
				got.SlopeBytesPerSec/mib, got.PValue, got.GoroutineGrowth, got.Reason)
			if got.Inconclusive {
				t.Fatalf("inconclusive: %s", got.Reason)
			}
			if got.Detected != c.wantLeak || got.GoroutineLeak != c.wantGor || (c.wantSev != "" && got.Severity != c.wantSev) {
				t.Errorf("got detected=%v goroutine=%v severity=%s, want %v %v %q", got.Detected, got.GoroutineLeak, got.Severity, c.wantLeak, c.wantGor, c.wantSev)
			}
		})
	}
}

// TestLeakLateHalfSinglePoint: a steady leak whose second half holds a single
// post-GC point (one GC cycle lasted most of the window) is "not judged",
// never "growth stopped".
func TestLeakLateHalfSinglePoint(t *testing.T) {
	var ts, live []float64
	for i := range 12 { // 12 GC points in the first 4.8 s, then one long cycle
		ts = append(ts, 0.4*float64(i))
		live = append(live, 10*mib+8*mib*0.4*float64(i))
	}
	ts, live = append(ts, 10), append(live, 10*mib+8*mib*10)
	got := DetectLeakSeries(ts, live, LeakOptions{Threshold: 5 * mib, Warmup: 0.01})
	if got.Detected || !got.Inconclusive || !strings.HasPrefix(got.Reason, ReasonTooFewCycles) || !strings.Contains(got.Reason, "second half") {
		t.Errorf("detected=%v inconclusive=%v reason %q; want not judged", got.Detected, got.Inconclusive, got.Reason)
	}
}
