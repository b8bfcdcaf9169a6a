package workloads

// This file is the contract other packages code against. Keep the exported
// names stable; implementation details may change.

import (
	"context"

	"github.com/memprism/memprism/metric"
)

// ParamType names the type of a workload parameter as a scenario spells it.
type ParamType string

// Parameter types a workload may declare.
const (
	Int      ParamType = "int"      // whole number, YAML int
	Float    ParamType = "float"    // real number
	String   ParamType = "string"   // text; Enum limits the choices
	Bool     ParamType = "bool"     // true or false
	Duration ParamType = "duration" // Go duration text such as 10ms
	Size     ParamType = "size"     // bytes: 512KiB, 5MiB, 1GB or a plain integer
)

// ParamSpec declares one parameter of a workload kind: the single source of
// validation, defaults and `memprism list` documentation.
type ParamSpec struct {
	Name    string
	Type    ParamType
	Default any      // int64, float64, string, bool, time.Duration or int64 bytes
	Doc     string   // one line: what it means
	Min     float64  // inclusive lower bound for numeric params; Min == Max == 0 means unbounded
	Max     float64  // inclusive upper bound for numeric params
	Enum    []string // allowed values of a String param; empty means any
	Scales  bool     // a work size (count or duration) that `run -quick` scales down
}

// Params holds resolved parameter values keyed by name: int64, float64,
// string, bool or time.Duration (Size params are int64 bytes).
type Params map[string]any

// RunFunc executes a workload once with the handle r (its params are
// r.Params) until done or ctx ends. It counts its ops with r.AddOps and may
// take snapshots, report its own metrics and its latency through r. It
// returns ctx.Err() (possibly wrapped) when cancelled.
type RunFunc func(ctx context.Context, r *Run) error

// Kind is a registered workload kind.
type Kind struct {
	Name     string
	Doc      string // one line
	Params   []ParamSpec
	Messages bool // reports per-message latency
	// Metrics declares the kind's own metrics (Run.Metric), with unit and
	// direction, so that scenarios may name them in targets.
	Metrics []metric.Info
	// Check, when set, validates the resolved params together (combinations
	// no single ParamSpec can express): an error means the params cannot run,
	// warnings that they run but probably not as meant.
	Check func(p Params) (warnings []error, err error)
	Run   RunFunc
}
