package worker

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/results"
)

// Command is the hidden subcommand with which the memprism binary
// re-executes itself to run one job in a fresh process.
const Command = "__memprism-worker"

// Version is the protocol version; a job or result of another version is
// refused by both sides with an error naming both versions.
const Version = 1

// Bounds of what either side reads from the other, in bytes.
const (
	MaxJobSize    = 4 << 20  // the job read from the worker's standard input
	MaxResultSize = 64 << 20 // the result file read by the parent
)

// Job is what the parent sends a worker process on its standard input.
type Job struct {
	Protocol       int            `json:"protocol"` // Version; set by Exec
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
	// UserPrefixes are package path prefixes of the user's code besides the
	// main module (profiler.Options.UserPrefixes).
	UserPrefixes []string `json:"user_prefixes,omitempty"`
}

// Result is what a worker process writes back for its job.
type Result struct {
	Protocol int                `json:"protocol"` // Version; set by Serve
	Runtime  Runtime            `json:"runtime"`  // the Go runtime settings the worker ran with
	Metrics  map[string]float64 `json:"metrics"`
	// MetricInfo describes the workload's own metrics in Metrics (unit,
	// direction); catalogue and snapshot metrics are described by package metric.
	MetricInfo      []metric.Info       `json:"metric_info,omitempty"`
	Timeline        results.Timeline    `json:"timeline"`
	Top             []results.Site      `json:"top_allocations"`
	TopInUse        []results.Site      `json:"top_in_use,omitempty"`
	Goroutines      *results.Goroutines `json:"goroutines,omitempty"`
	Leak            results.Leak        `json:"leak"`
	Recommendations []string            `json:"recommendations"`
	// Load is a rate-driven run's interval series; Overloaded is true when
	// its achieved rate was below 95% of the offered rate.
	Load       *results.LoadSeries `json:"load,omitempty"`
	Overloaded bool                `json:"overloaded,omitempty"`
	Error      string              `json:"error,omitempty"`
}

// Runtime is the Go runtime configuration a worker process actually ran
// with, read back from the runtime (runtime/metrics /gc/gogc:percent and
// /gc/gomemlimit:bytes, runtime.GOMAXPROCS(0)) before the workload starts.
type Runtime struct {
	GOGC        int   `json:"gogc"`         // percent; -1 when the collector is off
	MemoryLimit int64 `json:"memory_limit"` // bytes; math.MaxInt64 when there is none
	GOMAXPROCS  int   `json:"gomaxprocs"`
}

// versionError says that the two sides of the seam speak different protocol versions.
func versionError(what string, got int) error {
	return fmt.Errorf("%s speaks worker protocol version %d, this binary speaks %d (the harness and the worker binary differ)", what, got, Version)
}

// decodeStrict decodes exactly one JSON object of at most limit bytes from r
// into v: unknown fields, trailing data and a protocol version other than
// Version are errors.
func decodeStrict(r io.Reader, limit int64, what string, v any) error {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return fmt.Errorf("reading %s: %w", what, err)
	}
	if int64(len(data)) > limit {
		return fmt.Errorf("%s is larger than %d bytes", what, limit)
	}
	// The version first, so a peer of another version gets that error
	// rather than one about a field it does not know.
	var head struct {
		Protocol *int `json:"protocol"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return fmt.Errorf("decoding %s: %w", what, err)
	}
	if head.Protocol == nil {
		return fmt.Errorf("decoding %s: no protocol version (want %d)", what, Version)
	}
	if *head.Protocol != Version {
		return versionError(what, *head.Protocol)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decoding %s: %w", what, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("decoding %s: data after the object", what)
	}
	return nil
}

// decodeJob reads and checks a job.
func decodeJob(r io.Reader) (Job, error) {
	var j Job
	if err := decodeStrict(r, MaxJobSize, "job", &j); err != nil {
		return Job{}, err
	}
	switch {
	case j.ResultPath == "":
		return Job{}, errors.New("job: no result_path")
	case j.Timeout < 0:
		return Job{}, fmt.Errorf("job: negative timeout %d", j.Timeout)
	case j.SampleInterval < 0:
		return Job{}, fmt.Errorf("job: negative sample_interval %d", j.SampleInterval)
	}
	return j, nil
}

// decodeResult reads and checks a worker's result: the protocol version,
// finite metrics within what each catalogue metric can take, and a timeline whose series have one value per time.
func decodeResult(r io.Reader) (*Result, error) {
	var res Result
	if err := decodeStrict(r, MaxResultSize, "result", &res); err != nil {
		return nil, err
	}
	for name, v := range res.Metrics {
		if name == "" {
			return nil, errors.New("result: a metric without a name")
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("result: metric %s is %v", name, v)
		}
		// A figure report readers would refuse (a negative size, 1e308 bytes) is a fault here.
		if m, ok := metric.Lookup(name); ok {
			if err := m.CheckValue(v); err != nil {
				return nil, fmt.Errorf("result: metric %s: %w", name, err)
			}
		}
	}
	tl := res.Timeline
	n := len(tl.TSeconds)
	for _, s := range []struct {
		name string
		len  int
	}{{"heap_bytes", len(tl.HeapBytes)}, {"rss_bytes", len(tl.RSSBytes)}, {"goroutines", len(tl.Goroutines)}} {
		if s.len != n && s.len != 0 {
			return nil, fmt.Errorf("result: timeline has %d times but %d %s", n, s.len, s.name)
		}
	}
	return &res, nil
}

// encode writes v as one JSON object.
func encode(w io.Writer, v any) error {
	return json.NewEncoder(w).Encode(v)
}
