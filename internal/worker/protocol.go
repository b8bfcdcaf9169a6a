package worker

import (
	"time"

	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/results"
)

// Command is the hidden subcommand with which the memprism binary
// re-executes itself to run one job in a fresh process.
const Command = "__memprism-worker"

// Job is what the parent sends a worker process on its standard input.
type Job struct {
	Scenario       string         `json:"scenario"`
	Variant        string         `json:"variant"`
	Workload       string         `json:"workload"`
	Params         map[string]any `json:"params"` // raw values, resolved by the worker's registry
	SampleInterval time.Duration  `json:"sample_interval"`
	LeakThreshold  int64          `json:"leak_threshold"`
	Timeout        time.Duration  `json:"timeout"` // the parent kills the run past it; the worker cancels its context a little earlier
	MemoryLimit    int64          `json:"memory_limit"`
	ProfileRate    int            `json:"profile_rate"` // runtime.MemProfileRate for the run; 0 leaves Go's default
	ResultPath     string         `json:"result_path"`  // where the worker writes its Result
	ProfilePath    string         `json:"profile_path"` // where the worker writes its heap profile
	TopN           int            `json:"top_n"`
	// LeakProbe marks a leak-probe run: the profiler's sampler forces a GC
	// whenever none ran for 50 ms, so the leak judge sees the live heap
	// often; its figures serve the leak verdict only.
	LeakProbe bool `json:"leak_probe,omitempty"`
}

// Result is what a worker process writes back for its job.
type Result struct {
	Metrics map[string]float64 `json:"metrics"`
	// MetricInfo describes the workload's own metrics in Metrics (unit,
	// direction); catalogue and snapshot metrics are described by package metric.
	MetricInfo      []metric.Info    `json:"metric_info,omitempty"`
	Timeline        results.Timeline `json:"timeline"`
	Top             []results.Site   `json:"top_allocations"`
	Leak            results.Leak     `json:"leak"`
	Recommendations []string         `json:"recommendations"`
	Error           string           `json:"error,omitempty"`
}
