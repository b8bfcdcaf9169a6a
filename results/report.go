package results

import (
	"time"

	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/verdict"
)

// SchemaVersion is the version of the report.json schema written by this package.
const SchemaVersion = 1

// Verdicts used by reports, scenarios and targets.
const (
	Pass         = verdict.Pass
	Fail         = verdict.Fail
	Error        = "error"
	Inconclusive = verdict.Inconclusive
)

// Report is the whole result of one `memprism run`: the report.json schema.
type Report struct {
	SchemaVersion int        `json:"schema_version"`
	Verdict       string     `json:"verdict"` // pass, fail, inconclusive or error
	Incomplete    bool       `json:"incomplete"`
	StartedAt     time.Time  `json:"started_at"`
	FinishedAt    time.Time  `json:"finished_at"`
	Env           Env        `json:"env"`
	Settings      Settings   `json:"settings"`
	Scenarios     []Scenario `json:"scenarios"`
}

// Settings records how the run was invoked.
type Settings struct {
	Quick       bool   `json:"quick"`
	Repetitions int    `json:"repetitions,omitempty"` // override from -reps, 0 when none
	Filter      string `json:"filter,omitempty"`      // -run regexp
	NoPlots     bool   `json:"no_plots,omitempty"`    // -no-plots: no PNG charts were rendered
	Shard       *Shard `json:"shard,omitempty"`       // run -shard K/N: this report holds one share of the suite
	Shards      int    `json:"shards,omitempty"`      // merge: this report joins that many shard reports
}

// Shard says which share of a suite a report holds (run -shard K/N).
type Shard struct {
	Index int      `json:"index"` // K, 1-based
	Count int      `json:"count"` // N
	Suite []string `json:"suite"` // every scenario of the whole suite, in suite order
}

// Env describes the machine and source tree the report was measured on.
type Env struct {
	Commit           string `json:"commit"`
	Dirty            bool   `json:"dirty"`
	GoVersion        string `json:"go_version"`
	GOOS             string `json:"goos"`
	GOARCH           string `json:"goarch"`
	CPUModel         string `json:"cpu_model"`
	CPUs             int    `json:"cpus"`
	MemoryTotalBytes uint64 `json:"memory_total_bytes"`

	// DirtyUnknown is true when it could not be told whether the code had
	// uncommitted changes: Dirty is then false, which does not mean clean.
	DirtyUnknown bool `json:"dirty_unknown,omitempty"`
	// CommitSource says where Commit and Dirty come from: "build" (the
	// binary's embedded VCS information, vcs.revision and vcs.modified) or
	// "git" (the current directory's checkout, when the binary has none).
	CommitSource string `json:"commit_source,omitempty"`
	// Provenance lists every source read, so a binary built from one tree
	// and run in another shows both.
	Provenance []Provenance `json:"provenance,omitempty"`
}

// Provenance is what one source says about the code a report measured.
type Provenance struct {
	Source string `json:"source"`           // "build" or "git"
	Commit string `json:"commit,omitempty"` // full commit hash; "" when unknown
	Dirty  *bool  `json:"dirty"`            // uncommitted changes; null when unknown
	Error  string `json:"error,omitempty"`  // why the source could not say (more)
}

// Scenario is one scenario's variants, targets and verdict.
type Scenario struct {
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	Workload    string         `json:"workload"`
	Source      string         `json:"source"`
	Baseline    string         `json:"baseline"`
	Verdict     string         `json:"verdict"` // pass, fail, inconclusive or error
	Params      map[string]any `json:"params,omitempty"`
	Run         RunSettings    `json:"run"`
	Variants    []Variant      `json:"variants"`
	// Metrics describes (unit, direction, meaning) every metric the runs
	// reported beyond the fixed catalogue: labelled snapshots and the
	// workload's own metrics.
	Metrics []metric.Info `json:"metrics,omitempty"`
	Targets []Target      `json:"targets"`
	// JudgeLeaks is true when the scenario has a leak: block (or a variant
	// expecting a leak): leak verdicts then decide the scenario's verdict;
	// otherwise they are information only.
	JudgeLeaks bool `json:"judge_leaks,omitempty"`
	// Comparisons are the shown metrics of every variant set against the
	// baseline, computed once by Analyze; renderers only format them.
	Comparisons     []VariantMetric `json:"comparisons,omitempty"`
	Recommendations []string        `json:"recommendations"`
}

// RunSettings are the effective run settings of a scenario.
type RunSettings struct {
	Repetitions           int     `json:"repetitions"`
	Warmup                int     `json:"warmup"`
	SampleIntervalSeconds float64 `json:"sample_interval_seconds"`
	TimeoutSeconds        float64 `json:"timeout_seconds"`
	GOGC                  int     `json:"gogc"`
	MemoryLimitBytes      int64   `json:"memory_limit_bytes"`
	LeakThresholdBytes    int64   `json:"leak_threshold_bytes"`
	// GOMAXPROCS is the runs' GOMAXPROCS; absent (0) when Go's default was left.
	GOMAXPROCS int `json:"gomaxprocs,omitempty"`
}

// Variant is one variant's runs and what was concluded from them.
type Variant struct {
	Name       string         `json:"name"`
	Params     map[string]any `json:"params"`
	ExpectLeak bool           `json:"expect_leak"`
	Error      string         `json:"error,omitempty"`
	Runs       []Run          `json:"runs"`
	// LeakProbeRuns are extra runs with a GC forced whenever none ran for
	// 50 ms, so the leak judge sees the live heap often; their figures are
	// perturbed by those GCs and serve the leak verdict (Leak) only: no
	// summary, target, table or chart uses them.
	LeakProbeRuns  []Run              `json:"leak_probe_runs,omitempty"`
	Summary        map[string]Summary `json:"summary"`
	TopAllocations []Site             `json:"top_allocations"`
	// TopInUse ranks the median run's lines by bytes held at the end
	// (retained), TopAllocations by bytes allocated (churn); the user's
	// lines first in both.
	TopInUse []Site `json:"top_in_use"`
	// ChangedVsBaseline are the lines whose bytes held or allocated changed
	// most against the baseline's median run (absent for the baseline).
	ChangedVsBaseline []SiteChange `json:"changed_vs_baseline,omitempty"`
	Goroutines        *Goroutines  `json:"goroutines,omitempty"`
	Leak              *Leak        `json:"leak,omitempty"`
	Timeline          *Timeline    `json:"timeline,omitempty"`
	Load              *LoadSeries  `json:"load,omitempty"`    // the median run's rate series, for rate-driven workloads
	Profile           string       `json:"profile,omitempty"` // heap profile file, relative to the run directory
}

// Run is one counted run of a variant (one worker process).
type Run struct {
	Metrics map[string]float64 `json:"metrics"`
	Error   string             `json:"error,omitempty"`
	Fault   string             `json:"fault,omitempty"` // panic, exit, timeout, oom, signal or protocol
	// Overloaded marks a rate-driven run whose achieved rate was below 95%
	// of the offered rate.
	Overloaded bool `json:"overloaded,omitempty"`

	bad []badValue // metric values UnmarshalJSON could not read as numbers
}

// Failed reports whether the run did not finish cleanly; its metrics are not counted.
func (r Run) Failed() bool { return r.Error != "" || r.Fault != "" }

// Summary describes one metric across a variant's successful runs.
type Summary struct {
	Median float64 `json:"median"`
	Mean   float64 `json:"mean"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	Stddev float64 `json:"stddev"` // sample standard deviation
	CILow  float64 `json:"ci_low"` // confidence interval of the median
	CIHigh float64 `json:"ci_high"`
	N      int     `json:"n"`
	// CIConfidence is the actual confidence level of [CILow, CIHigh]: at
	// least 0.95 with enough runs; with fewer (n < 6) the interval is the
	// whole range [Min, Max] and this is its lower confidence, 1-2/2^n.
	CIConfidence float64 `json:"ci_confidence"`
}

// Site is one allocation site from a variant's heap profile: the line of
// the user's code the allocations are charged to (see profiler.Site).
type Site struct {
	Function string `json:"function"`
	File     string `json:"file"`
	Line     int64  `json:"line"`
	// User is true when the line is the user's code (else a library's or
	// the runtime's, when no user frame was in the stacks).
	User bool `json:"user"`
	// Via is the library function the line called that allocated, e.g.
	// "encoding/json.Unmarshal"; empty when the line allocated itself.
	Via string `json:"via,omitempty"`
	// Chain is the line and up to two callers, innermost first.
	Chain        []string `json:"chain,omitempty"`
	AllocBytes   int64    `json:"alloc_bytes"`
	AllocObjects int64    `json:"alloc_objects"`
	// InuseBytes and InuseObjects are held at the end beyond what the line held at the start.
	InuseBytes   int64   `json:"inuse_bytes"`
	InuseObjects int64   `json:"inuse_objects,omitempty"`
	Share        float64 `json:"share"`                 // of all allocated bytes, 0..1
	InuseShare   float64 `json:"inuse_share,omitempty"` // of all bytes held, 0..1
}

// SiteChange is how much more (or less) a line holds and allocates in a
// variant than in the baseline, from the two median runs' heap profiles.
type SiteChange struct {
	Function        string `json:"function"`
	File            string `json:"file"`
	Line            int64  `json:"line"`
	User            bool   `json:"user"`
	InuseBytesDelta int64  `json:"inuse_bytes_delta"`
	AllocBytesDelta int64  `json:"alloc_bytes_delta"`
}

// GoroutineGroup is a set of goroutines started by the same go statement
// and blocked at the same line in the same state (see profiler.GoroutineGroup).
type GoroutineGroup struct {
	State       string `json:"state"`      // wait reason, e.g. "chan send", "select", "IO wait"
	CreatedBy   string `json:"created_by"` // function whose go statement started them
	CreatedAt   string `json:"created_at"` // file:line of that go statement
	CreatedUser bool   `json:"created_user"`
	BlockedIn   string `json:"blocked_in"` // function where they wait
	BlockedAt   string `json:"blocked_at"` // file:line
	BlockedUser bool   `json:"blocked_user"`
	Count       int    `json:"count"`            // at the end of the run
	Baseline    int    `json:"baseline"`         // at its start
	Leaked      int    `json:"leaked,omitempty"` // of Count, found by the goroutineleak profile to never wake
}

// Goroutines is the goroutine evidence of a variant's median run: counts and
// groups at its start and end, and the goroutine stack memory
// (/memory/classes/heap/stacks:bytes), which heap figures leave out.
type Goroutines struct {
	Baseline           int              `json:"baseline"`
	Final              int              `json:"final"`
	Groups             []GoroutineGroup `json:"groups"`
	LeakProfile        bool             `json:"leak_profile"` // the binary had the goroutineleak profile (GOEXPERIMENT=goroutineleakprofile)
	Leaked             int              `json:"leaked"`
	StackBytesBaseline uint64           `json:"stack_bytes_baseline"`
	StackBytesFinal    uint64           `json:"stack_bytes_final"`
}

// Leak is the leak verdict of a variant.
type Leak struct {
	Detected         bool    `json:"detected"`
	Severity         string  `json:"severity"` // none, medium or high
	GrowthBytes      float64 `json:"growth_bytes"`
	SlopeBytesPerSec float64 `json:"slope_bytes_per_sec"`
	PValue           float64 `json:"p_value"`
	ThresholdBytes   int64   `json:"threshold_bytes"`
	GoroutineGrowth  float64 `json:"goroutine_growth"`
	// HeapLeak and GoroutineLeak say which series leaked (each by a
	// majority of the judged runs); a goroutine-only leak is shown with
	// GoroutineGrowth, GoroutineSlopePerSec and GoroutinePValue.
	HeapLeak             bool    `json:"heap_leak,omitempty"`
	GoroutineLeak        bool    `json:"goroutine_leak,omitempty"`
	GoroutineSlopePerSec float64 `json:"goroutine_slope_per_sec,omitempty"`
	GoroutinePValue      float64 `json:"goroutine_p_value,omitempty"`
	Runs                 int     `json:"runs"`          // leak-probe runs
	RunsJudged           int     `json:"runs_judged"`   // runs with enough GC cycles to judge
	RunsDetected         int     `json:"runs_detected"` // judged runs whose own verdict was a leak
	// Inconclusive is true when fewer than half the runs could be judged
	// (too few GC cycles in the steady state): "not judged". Detected is then
	// false, but no absence of a leak was shown.
	Inconclusive bool `json:"inconclusive,omitempty"`
	// Verdict is the leak check's verdict when the scenario judges leaks:
	// pass (as expected), fail (a leak unexpected, or an expected one
	// missing) or inconclusive (not judged); "info" when leaks are only
	// reported.
	Verdict string `json:"verdict,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// Timeline is the heap over time of a variant's median run.
type Timeline struct {
	TSeconds   []float64 `json:"t_seconds"`
	HeapBytes  []float64 `json:"heap_bytes"`
	RSSBytes   []float64 `json:"rss_bytes"`
	Goroutines []float64 `json:"goroutines"`
}

// Target is a scenario target and its result per variant.
type Target struct {
	Metric    string   `json:"metric"`
	Reduction *float64 `json:"reduction,omitempty"` // fraction, 0.33 for 33%
	Increase  *float64 `json:"increase,omitempty"`  // fraction, 0.96 for 96%
	Max       *float64 `json:"max,omitempty"`
	Min       *float64 `json:"min,omitempty"`
	// Expect is "fail" for a negative control: a claim the data should refute.
	Expect  string         `json:"expect,omitempty"`
	Results []TargetResult `json:"results"`
}

// TargetResult is a target judged for one variant (package verdict's type:
// estimate, interval, confidence, verdict, outcome and reason).
type TargetResult = verdict.TargetResult
