package scenarios

import (
	"fmt"
	"maps"
	"math"
	"time"
)

// ParamsChecker is an optional part of a Catalog: it checks a variant's
// params together (combinations no single param check can express).
// *workloads.Registry implements it.
type ParamsChecker interface {
	// CheckParams returns an error when the merged params of a variant cannot
	// run, and warnings when they run but probably not as meant.
	CheckParams(kind string, params map[string]any) (warnings []error, err error)
}

// Catalog is what scenarios needs to know about workload kinds; *workloads.Registry
// implements it structurally (this package does not import workloads).
type Catalog interface {
	// KindNames returns the sorted kind names, for "allowed: ..." messages.
	KindNames() []string
	// HasKind reports whether kind is registered.
	HasKind(kind string) bool
	// CheckParam returns nil if value is acceptable for the kind's param name, else an
	// error whose text says what is allowed.
	CheckParam(kind, name string, value any) error
}

// Suite is an ordered set of scenarios with unique names.
type Suite struct {
	Scenarios []*Scenario
}

// Warnings returns the warnings of every scenario, in suite order.
func (s *Suite) Warnings() []error {
	var out []error
	for _, sc := range s.Scenarios {
		for _, w := range sc.Warnings {
			out = append(out, w)
		}
	}
	return out
}

// Lookup returns the scenario called name, or nil.
func (s *Suite) Lookup(name string) *Scenario {
	for _, sc := range s.Scenarios {
		if sc.Name == name {
			return sc
		}
	}
	return nil
}

// Names returns the scenario names in suite order.
func (s *Suite) Names() []string {
	names := make([]string, len(s.Scenarios))
	for i, sc := range s.Scenarios {
		names[i] = sc.Name
	}
	return names
}

// Select returns a suite of the scenarios whose names match keep, in the same order.
func (s *Suite) Select(keep func(name string) bool) *Suite {
	out := &Suite{}
	for _, sc := range s.Scenarios {
		if keep(sc.Name) {
			out.Scenarios = append(out.Scenarios, sc)
		}
	}
	return out
}

// Scenario is one validated scenario file: a workload run in several variants.
type Scenario struct {
	Name        string
	Description string
	Workload    string         // a Catalog kind
	Params      map[string]any // shared params as decoded from YAML: int, float64, string or bool
	Variants    []Variant
	Baseline    string // "" only when there is exactly one variant
	Targets     []Target
	Run         RunSettings
	// UserPrefixes (run.user_prefixes) are package path prefixes of the code
	// under test besides the main module: allocation sites and goroutines
	// are charged to the first frame in them.
	UserPrefixes []string
	Leak         LeakSettings
	Quick        *QuickSettings // what `run -quick` runs instead; nil: the work sizes / 10 and the same targets
	Source       string         // file path as given, or "embedded:<file>.yaml"
	// Warnings are problems that do not stop the scenario from running, such
	// as a message count that ends a run before its duration; each is an
	// *Error with Warning set, printed "file:line:col: warning: msg".
	Warnings []*Error

	namePos   position // where the name is written, for duplicate-name errors
	paramsPos position // where the shared params are written (or the scenario starts)
}

// QuickSettings is a scenario's quick: block, what `run -quick` runs and
// judges instead of the full scenario, so that a claim is only judged on work
// sized for it (quick work too small for a heap claim, for instance, would
// be decided by the runtime's 4 MiB minimum heap goal, not by the code).
type QuickSettings struct {
	// Params override the shared and variant params in quick mode, taken as
	// written; the work-size params (ParamSpec.Scales) they do not name are
	// divided by the quick factor as usual.
	Params map[string]any
	// Targets replace the scenario's targets in quick mode when not nil; an
	// empty list judges no target (a smoke run: the runs must still succeed).
	Targets []Target
}

// EffectiveTargets returns the targets judged in quick mode or in a full run.
func (s *Scenario) EffectiveTargets(quick bool) []Target {
	if quick && s.Quick != nil && s.Quick.Targets != nil {
		return s.Quick.Targets
	}
	return s.Targets
}

// Variant is one way of running a scenario's workload.
type Variant struct {
	Name       string
	Params     map[string]any // overrides of the scenario's shared params
	ExpectLeak bool           // this variant is meant to leak

	paramsPos position // where its params (or else its name) are written
	hasParams bool
	namePos   position // where the name is written, for output-name clash errors
}

// OutputStem is the start of the names of the files written for one variant
// of a scenario: "<scenario>-<variant>", followed by ".pprof". Load rejects
// suites in which two variants share a stem.
func OutputStem(scenario, variant string) string { return scenario + "-" + variant }

// VariantParams returns a new map: the shared params overlaid by variant name's params.
// For an unknown name it returns a copy of the shared params.
func (s *Scenario) VariantParams(name string) map[string]any {
	out := make(map[string]any, len(s.Params))
	maps.Copy(out, s.Params)
	if v, ok := s.Variant(name); ok {
		maps.Copy(out, v.Params)
	}
	return out
}

// Variant returns the variant called name.
func (s *Scenario) Variant(name string) (Variant, bool) {
	for _, v := range s.Variants {
		if v.Name == name {
			return v, true
		}
	}
	return Variant{}, false
}

// VariantNames returns the variant names in file order.
func (s *Scenario) VariantNames() []string {
	names := make([]string, len(s.Variants))
	for i, v := range s.Variants {
		names[i] = v.Name
	}
	return names
}

// Target is a condition every listed variant must meet for the scenario to pass:
// a relative Reduction or Increase against the baseline, or absolute bounds
// Max and/or Min. Several targets must all pass (an intersection-union test).
type Target struct {
	Metric    string   // a key of Metrics
	Reduction *Percent // lower-is-better metrics: the ratio to the baseline must be at most 1-Reduction
	Increase  *Percent // higher-is-better metrics: the ratio to the baseline must be at least 1+Increase
	Max, Min  *float64 // bounds on the median, in the metric's unit (bytes, seconds, count)
	Variants  []string // resolved at load: every non-baseline variant (Reduction/Increase) or every variant (Max/Min) by default
	// Expect is "" or ExpectFail: a negative control, a claim the data should
	// refute; the scenario passes when the verdict is fail.
	Expect string
}

// ExpectFail is Target.Expect of a negative control.
const ExpectFail = "fail"

// MaxIncrease is the largest increase target (100x).
const MaxIncrease = 100.0

// String describes the target as a reviewer reads it, e.g. "peak_heap_bytes reduction >= 33%".
func (t Target) String() string {
	suffix := ""
	if t.Expect == ExpectFail {
		suffix = " (expected to fail)"
	}
	if t.Reduction != nil {
		return fmt.Sprintf("%s reduction >= %s%s", t.Metric, *t.Reduction, suffix)
	}
	if t.Increase != nil {
		return fmt.Sprintf("%s increase >= %s%s", t.Metric, *t.Increase, suffix)
	}
	u := Metrics[t.Metric]
	switch {
	case t.Min != nil && t.Max != nil:
		return fmt.Sprintf("%s in [%s, %s]", t.Metric, formatValue(u, *t.Min), formatValue(u, *t.Max))
	case t.Min != nil:
		return fmt.Sprintf("%s >= %s", t.Metric, formatValue(u, *t.Min))
	case t.Max != nil:
		return fmt.Sprintf("%s <= %s", t.Metric, formatValue(u, *t.Max))
	}
	return t.Metric
}

// formatValue prints v in unit u the way a scenario would write it.
func formatValue(u Unit, v float64) string {
	switch u {
	case Bytes:
		if v == float64(int64(v)) {
			return Size(int64(v)).String()
		}
	case BytesPerSecond:
		if v == float64(int64(v)) {
			return Size(int64(v)).String() + "/s"
		}
	case Seconds:
		// time.Duration holds about ±292 years; past that, plain seconds, not an overflowed duration.
		if math.Abs(v) < float64(math.MaxInt64)/float64(time.Second) {
			return time.Duration(v * float64(time.Second)).String()
		}
		return fmt.Sprint(v) + "s"
	}
	return fmt.Sprint(v)
}

// RunSettings says how each variant is run.
type RunSettings struct {
	Repetitions    int           // counted runs per variant, each in a fresh process
	Warmup         int           // runs discarded before the counted ones
	SampleInterval time.Duration // heap sampling period
	Timeout        time.Duration // per run
	GOGC           int           // GOGC percent: -1 turns the collector off; 0 is Go's GOGC=0 (heap goal = live heap: the collector runs continually)
	MemoryLimit    Size          // GOMEMLIMIT; 0 leaves it alone
	GOMAXPROCS     int           // 0 leaves it alone
}

// LeakSettings tunes leak detection.
type LeakSettings struct {
	Threshold Size // live-heap growth below this is never a leak
	// ProbeRuns is the number of leak-probe runs per variant: extra runs, with
	// a GC forced whenever none ran for 50 ms so the live heap is seen often,
	// whose figures serve the leak verdict only (measurement runs force no
	// GC). 0 turns leak judging off.
	ProbeRuns int
	// Judge is true when the file has a leak: block: leak verdicts then
	// decide the scenario's verdict (a variant left "not judged" makes it
	// inconclusive). Without one, and without a variant that expects a leak,
	// leak figures are information only.
	Judge bool
}

// JudgesLeaks reports whether leak verdicts decide s's verdict: it has a
// leak: block or a variant that expects a leak.
func (s *Scenario) JudgesLeaks() bool {
	if s.Leak.Judge {
		return true
	}
	for _, v := range s.Variants {
		if v.ExpectLeak {
			return true
		}
	}
	return false
}

// DefaultRun holds the run settings a scenario gets for keys it leaves out.
var DefaultRun = RunSettings{
	Repetitions:    10,
	Warmup:         1,
	SampleInterval: time.Millisecond,
	Timeout:        60 * time.Second,
	GOGC:           100,
}

// DefaultLeak holds the leak settings a scenario gets for keys it leaves out.
var DefaultLeak = LeakSettings{Threshold: 5 * MiB, ProbeRuns: 3}

// Limits of run settings, checked at load.
const (
	MaxRepetitions    = 10000                  // most repetitions (and warm-up runs) per variant
	MaxProbeRuns      = 100                    // most leak-probe runs per variant
	MinSampleInterval = 100 * time.Microsecond // shortest sample_interval
	MaxSampleInterval = 10 * time.Second       // longest sample_interval
	MaxFileSize       = 1 << 20                // largest scenario file Parse accepts, in bytes
	MaxTimeout        = 7 * 24 * time.Hour     // longest per-run timeout (a week), far from time.Duration's overflow
	MaxGOMAXPROCS     = 1024                   // largest gomaxprocs: each P costs the worker memory, and no machine here has more CPUs
)
