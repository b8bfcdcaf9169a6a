package harness

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/memprism/memprism/internal/worker"
	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/results"
	"github.com/memprism/memprism/scenarios"
	"github.com/memprism/memprism/workloads"
)

// QuickRepetitions caps repetitions in quick mode: six runs is the fewest
// with which every verdict rule can decide at 95% (package verdict): the
// sign-test interval of a median (max/min bounds, a constant side) needs 6,
// the Moses interval of a ratio 4.
const QuickRepetitions = 6

// QuickFactor divides the work-size params (ParamSpec.Scales) in quick mode.
const QuickFactor = 10

// Options configures Run. The zero value runs the suite as its files say,
// re-executing the current binary and writing into a new temporary directory.
type Options struct {
	Executable  string              // binary to re-execute for each run; default the running binary itself (worker.Self)
	Args        []string            // arguments placed before the worker command
	Dir         string              // run directory for profiles; created if missing
	Repetitions int                 // overrides every scenario's repetitions when > 0
	Quick       bool                // scaled-down work: params marked Scales / QuickFactor, at most QuickRepetitions repetitions, no warm-up
	Registry    *workloads.Registry // default workloads.Default
	Env         results.Env
	// Progress, when set, is called before and after each run; it must not block long.
	Progress func(Progress)
	// UserPrefixes are package path prefixes of the code under test besides
	// the main module, for every scenario (added to each one's run.user_prefixes).
	UserPrefixes []string
}

// Progress describes where a suite run is.
type Progress struct {
	Scenario  string
	Variant   string
	Run       int // 1-based index among the variant's warm-ups, or among its counted runs
	Runs      int // warm-ups or counted runs of the variant
	Warmup    bool
	LeakProbe bool // a leak-probe run (Run of Runs counts those)
	Done      bool // the run finished (else it is starting)
	Fault     string
	Elapsed   time.Duration // since the suite started
	Completed int           // runs finished in the whole suite
	Total     int           // runs planned in the whole suite
	// WindowDone and WindowLeft split the suite's declared send windows (each
	// run's `duration` param, for workloads that have one) between the runs
	// finished and those still to come: a run lasts at least its window, so
	// an estimate of the time left is WindowLeft plus the runs left times the
	// mean time a finished run took beyond its window. Both 0 when no
	// workload declares a window.
	WindowDone, WindowLeft time.Duration
}

// Run executes every scenario of the suite, each run in a fresh
// worker process, and judges the results. When ctx is canceled it stops,
// kills the current run and returns the finished part marked incomplete
// together with ctx's error.
func Run(ctx context.Context, suite *scenarios.Suite, opts Options) (*results.Report, error) {
	if opts.Registry == nil {
		opts.Registry = workloads.Default
	}
	total, err := CheckPlan(suite, opts)
	if err != nil {
		return nil, err
	}
	bin, err := workerBinary(opts)
	if err != nil {
		return nil, err
	}
	if opts.Dir == "" {
		d, err := os.MkdirTemp("", "memprism-run-")
		if err != nil {
			return nil, err
		}
		opts.Dir = d
	}
	if err := os.MkdirAll(opts.Dir, 0o777); err != nil {
		return nil, fmt.Errorf("creating run directory: %w", err)
	}
	work, err := os.MkdirTemp(opts.Dir, ".work-")
	if err != nil {
		return nil, fmt.Errorf("creating work directory: %w", err)
	}
	defer os.RemoveAll(work)

	rep := &results.Report{
		SchemaVersion: results.SchemaVersion,
		StartedAt:     time.Now().UTC(),
		Env:           opts.Env,
		Settings:      results.Settings{Quick: opts.Quick, Repetitions: opts.Repetitions},
		Scenarios:     []results.Scenario{},
	}
	st := &state{opts: opts, bin: bin, work: work, start: time.Now(), total: total}
	resolved := make([]variantParams, len(suite.Scenarios))
	for i, sc := range suite.Scenarios {
		resolved[i] = st.resolve(sc)
		st.windowLeft += st.windows(sc, resolved[i])
	}
	var runErr error
	for i, sc := range suite.Scenarios {
		out, err := st.scenario(ctx, sc, resolved[i])
		if out != nil {
			rep.Scenarios = append(rep.Scenarios, *out)
		}
		if err != nil {
			runErr = err
			rep.Incomplete = true
			break
		}
	}
	rep.FinishedAt = time.Now().UTC()
	rep.Verdict = reportVerdict(rep)
	return rep, runErr
}

func reportVerdict(rep *results.Report) string {
	return results.ReportVerdict(rep.Scenarios)
}

// effectiveRun applies the command-line overrides to a scenario's run settings.
func effectiveRun(sc *scenarios.Scenario, opts Options) scenarios.RunSettings {
	r := sc.Run
	if opts.Repetitions > 0 {
		r.Repetitions = opts.Repetitions
	}
	if opts.Quick {
		r.Warmup = 0
		if opts.Repetitions == 0 && r.Repetitions > QuickRepetitions {
			r.Repetitions = QuickRepetitions
		}
	}
	return r
}

type state struct {
	opts      Options
	bin       *worker.Binary
	work      string
	start     time.Time
	total     int
	completed int
	seq       int
	// windowDone and windowLeft: the declared send windows of the runs
	// finished and to come (Progress.WindowDone, WindowLeft).
	windowDone, windowLeft time.Duration
}

// window is the send window a run of the variant declares: its resolved
// `duration` param when it has one (rate-driven workloads), else 0.
func window(params map[string]any) time.Duration {
	if s, ok := params["duration"].(string); ok {
		if d, err := time.ParseDuration(s); err == nil && d > 0 {
			return d
		}
	}
	return 0
}

// variantParams are a scenario's variants' params as they run (quick
// applied), by variant name, with the error of each variant that cannot run.
type variantParams struct {
	params map[string]map[string]any
	errs   map[string]string
}

// resolve resolves the params of every variant of sc, once per suite run.
func (st *state) resolve(sc *scenarios.Scenario) variantParams {
	vp := variantParams{params: map[string]map[string]any{}, errs: map[string]string{}}
	for _, v := range sc.Variants {
		p, err := st.params(sc, v.Name)
		if err != nil {
			vp.errs[v.Name] = err.Error()
		}
		vp.params[v.Name] = p
	}
	return vp
}

// windows is the sum of the send windows of every run sc plans.
func (st *state) windows(sc *scenarios.Scenario, vp variantParams) time.Duration {
	rs := effectiveRun(sc, st.opts)
	var sum time.Duration
	for _, v := range sc.Variants {
		if vp.errs[v.Name] == "" {
			sum += window(vp.params[v.Name]) * time.Duration(rs.Warmup+rs.Repetitions+sc.Leak.ProbeRuns)
		}
	}
	return sum
}

// finishRun counts one planned run as finished (or skipped) with its window.
func (st *state) finishRun(w time.Duration) {
	st.completed++
	st.windowDone += w
	st.windowLeft = max(0, st.windowLeft-w)
}

// scenario runs one scenario's plan and builds its results.
func (st *state) scenario(ctx context.Context, sc *scenarios.Scenario, vp variantParams) (*results.Scenario, error) {
	if st.opts.Quick {
		// A quick run judges the scenario's quick targets when it has them.
		q := *sc
		q.Targets = sc.EffectiveTargets(true)
		sc = &q
	}
	rs := effectiveRun(sc, st.opts)
	out := &results.Scenario{
		Name: sc.Name, Description: sc.Description, Workload: sc.Workload, Source: sc.Source,
		Baseline: sc.Baseline, Params: sc.Params,
		Run: results.RunSettings{
			Repetitions: rs.Repetitions, Warmup: rs.Warmup,
			SampleIntervalSeconds: rs.SampleInterval.Seconds(), TimeoutSeconds: rs.Timeout.Seconds(),
			GOGC: rs.GOGC, MemoryLimitBytes: int64(rs.MemoryLimit), LeakThresholdBytes: int64(sc.Leak.Threshold),
			GOMAXPROCS: rs.GOMAXPROCS,
		},
		Targets: []results.Target{}, Recommendations: []string{},
	}
	params, variantErr := vp.params, vp.errs

	// The plan, yielded run by run: warm-ups, then repetitions, variants
	// interleaved A B A B, then the leak-probe runs, interleaved too.
	// Measurement runs force no GC; the probes do, and serve the leak
	// verdict alone.
	names := make([]string, len(sc.Variants))
	for i, v := range sc.Variants {
		names[i] = v.Name
	}
	plan := planRuns(names, rs.Warmup, rs.Repetitions, sc.Leak.ProbeRuns)
	runs := map[string][]results.Run{}
	finished := map[string][]worker.Outcome{} // per variant: the counted runs that reported a result
	probeRuns := map[string][]results.Run{}
	probeLeaks := map[string][]results.Leak{}
	var interrupted error
	for pr := range plan {
		if ctx.Err() != nil {
			interrupted = ctx.Err()
			break
		}
		// A variant that could not run, or none of whose counted runs
		// finished (a crash, a hang), gets no leak probes: they would fail alike.
		w := window(params[pr.variant])
		if variantErr[pr.variant] != "" || pr.probe && len(finished[pr.variant]) == 0 {
			st.finishRun(w)
			continue
		}
		prog := Progress{Scenario: sc.Name, Variant: pr.variant, Run: pr.index + 1, Runs: rs.Warmup, Warmup: pr.warmup}
		switch {
		case pr.probe:
			prog.LeakProbe, prog.Runs = true, sc.Leak.ProbeRuns
		case !pr.warmup:
			prog.Run, prog.Runs = pr.index-rs.Warmup+1, rs.Repetitions
		}
		st.progress(prog)
		o := st.one(ctx, sc, rs, pr, params[pr.variant])
		st.finishRun(w)
		prog.Done, prog.Fault = true, o.Fault
		st.progress(prog)
		if o.Canceled {
			interrupted = ctx.Err()
			if interrupted == nil {
				interrupted = context.Canceled
			}
			break
		}
		if pr.warmup {
			continue
		}
		run := results.Run{Metrics: map[string]float64{}}
		if o.Result != nil {
			maps.Copy(run.Metrics, o.Result.Metrics)
		}
		// The worker's own VmHWM is exact; rusage (an upper bound that includes
		// the parent's RSS at fork) stands in for runs that died before reporting.
		if _, ok := run.Metrics["peak_rss_bytes"]; !ok && o.PeakRSS > 0 {
			run.Metrics["peak_rss_bytes"] = float64(o.PeakRSS)
		}
		if o.Fault != "" {
			run.Fault, run.Error = o.Fault, o.Error
		}
		if o.Result != nil {
			run.Overloaded = o.Result.Overloaded
		}
		if pr.probe {
			probeRuns[pr.variant] = append(probeRuns[pr.variant], run)
			if o.Result != nil && o.Fault == "" {
				probeLeaks[pr.variant] = append(probeLeaks[pr.variant], o.Result.Leak)
			}
			continue
		}
		runs[pr.variant] = append(runs[pr.variant], run)
		if o.Result != nil && o.Fault == "" {
			finished[pr.variant] = append(finished[pr.variant], o)
		}
	}

	for _, v := range sc.Variants {
		ov := results.Variant{
			Name: v.Name, Params: params[v.Name], ExpectLeak: v.ExpectLeak, Error: variantErr[v.Name],
			Runs: append([]results.Run{}, runs[v.Name]...), TopAllocations: []results.Site{},
		}
		ov.Summary = summarize(&ov)
		ov.LeakProbeRuns = probeRuns[v.Name]
		if fin := finished[v.Name]; len(fin) > 0 {
			ov.Leak = judgeLeak(int64(sc.Leak.Threshold), probeLeaks[v.Name], sc.JudgesLeaks(), v.ExpectLeak)
			if ov.Leak != nil && ov.Leak.Detected {
				out.Recommendations = append(out.Recommendations, leakRecommendation(v.Name, ov.Leak))
			}
			// The median run stands for the variant in charts, sites, profile
			// and recommendations, whose evidence quotes that run's figures.
			med := fin[medianRun(fin)]
			ov.Timeline = &med.Result.Timeline
			ov.Load = med.Result.Load
			if med.Result.Top != nil {
				ov.TopAllocations = med.Result.Top
			}
			ov.TopInUse = med.Result.TopInUse
			ov.Goroutines = med.Result.Goroutines
			name := scenarios.OutputStem(sc.Name, v.Name) + ".pprof"
			if err := copyFile(med.Profile, filepath.Join(st.opts.Dir, name)); err == nil {
				ov.Profile = name
			}
			for _, rec := range med.Result.Recommendations {
				out.Recommendations = append(out.Recommendations, v.Name+": "+rec)
			}
			for _, rec := range leakAdvice(&ov) {
				out.Recommendations = append(out.Recommendations, v.Name+": "+rec)
			}
		} else if ov.Error == "" && len(ov.Runs) > 0 {
			ov.Error = "every run failed: " + ov.Runs[0].Error
		}
		out.Variants = append(out.Variants, ov)
	}
	diagnose(out, st.opts.Dir, userPrefixes(st.opts, sc), int64(sc.Leak.Threshold))
	out.Metrics = describeMetrics(finished)
	out.JudgeLeaks = sc.JudgesLeaks()
	out.Targets = judgeTargets(sc, out)
	judgeOverload(out, out.Targets)
	out.Verdict = scenarioVerdict(out)
	results.Analyze(out)
	if interrupted != nil {
		out.Verdict = results.Error
		return out, interrupted
	}
	return out, nil
}

// describeMetrics lists, sorted by name, the metrics the runs reported
// beyond the fixed catalogue (snapshots, the workload's own) with their
// unit and direction, so report.json describes every figure it holds.
func describeMetrics(finished map[string][]worker.Outcome) []metric.Info {
	seen := map[string]metric.Info{}
	for _, fin := range finished {
		for _, o := range fin {
			for _, m := range o.Result.MetricInfo {
				seen[m.Name] = m
			}
			for name := range o.Result.Metrics {
				if m, ok := metric.SnapshotInfo(name); ok {
					seen[name] = m
				}
			}
		}
	}
	out := make([]metric.Info, 0, len(seen))
	for _, m := range seen {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// medianRun picks the run whose peak heap is the median, to stand for the variant in charts.
func medianRun(fin []worker.Outcome) int {
	idx := make([]int, len(fin))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		return fin[idx[a]].Result.Metrics["peak_heap_bytes"] < fin[idx[b]].Result.Metrics["peak_heap_bytes"]
	})
	return idx[(len(idx)-1)/2]
}

// params resolves a variant's params with the registry and applies quick scaling.
func (st *state) params(sc *scenarios.Scenario, variant string) (map[string]any, error) {
	raw := sc.VariantParams(variant)
	p, err := st.opts.Registry.Resolve(sc.Workload, raw)
	if err != nil {
		return raw, fmt.Errorf("%s: variant %s: %w", sc.Source, variant, err)
	}
	if st.opts.Quick {
		if p, err = st.opts.Registry.Scale(sc.Workload, p, 1.0/QuickFactor); err != nil {
			return raw, err
		}
		if sc.Quick != nil && len(sc.Quick.Params) > 0 {
			// The quick: params are taken as written, over the variant's.
			qraw := maps.Clone(raw)
			maps.Copy(qraw, sc.Quick.Params)
			q, err := st.opts.Registry.Resolve(sc.Workload, qraw)
			if err != nil {
				return raw, fmt.Errorf("%s: variant %s: quick params: %w", sc.Source, variant, err)
			}
			for name := range sc.Quick.Params {
				p[name] = q[name]
			}
		}
	}
	out := make(map[string]any, len(p))
	for name, v := range p {
		if d, ok := v.(time.Duration); ok {
			out[name] = d.String()
			continue
		}
		out[name] = v
	}
	return out, nil
}

// one runs a single planned run in a fresh process.
func (st *state) one(ctx context.Context, sc *scenarios.Scenario, rs scenarios.RunSettings, pr plannedRun, params map[string]any) worker.Outcome {
	st.seq++
	base := filepath.Join(st.work, strconv.Itoa(st.seq))
	job := worker.Job{
		Scenario: sc.Name, Variant: pr.variant, Workload: sc.Workload, Params: params,
		SampleInterval: rs.SampleInterval, LeakThreshold: int64(sc.Leak.Threshold), Timeout: rs.Timeout,
		MemoryLimit: int64(rs.MemoryLimit), ResultPath: base + ".json", ProfilePath: base + ".pprof",
		TopN: 10, ProfileRate: 64 << 10, LeakProbe: pr.probe, UserPrefixes: userPrefixes(st.opts, sc),
	}
	env := worker.Settings{GOGC: rs.GOGC, MemoryLimit: int64(rs.MemoryLimit), GOMAXPROCS: rs.GOMAXPROCS, HardLimit: hardLimit(int64(rs.MemoryLimit))}
	return worker.Exec(ctx, st.bin, job, env)
}

// workerBinary pins the binary every run of the suite re-executes.
func workerBinary(opts Options) (*worker.Binary, error) {
	if opts.Executable == "" {
		return worker.Self(opts.Args...)
	}
	return worker.At(opts.Executable, opts.Args...)
}

// hardLimit is the RSS at which a run is killed as out of memory: twice its
// soft memory limit (GOMEMLIMIT only steers the GC), or half the machine.
func hardLimit(memoryLimit int64) int64 {
	if memoryLimit > 0 {
		if memoryLimit > (math.MaxInt64-64<<20)/2 {
			return math.MaxInt64 // no overflow: a limit this large is never reached
		}
		return 2*memoryLimit + 64<<20
	}
	if total := machineMemory(); total > 0 {
		return int64(total / 2)
	}
	return 0
}

func (st *state) progress(p Progress) {
	if st.opts.Progress == nil {
		return
	}
	p.Elapsed = time.Since(st.start)
	p.Completed, p.Total = st.completed, st.total
	p.WindowDone, p.WindowLeft = st.windowDone, st.windowLeft
	st.opts.Progress(p)
}

// copyFile copies src to dst atomically.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return results.WriteFileAtomic(dst, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
