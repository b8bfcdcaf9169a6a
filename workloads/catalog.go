package workloads

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/memprism/memprism/metric"
)

// Registry is a concurrency-safe set of workload kinds keyed by name.
type Registry struct {
	mu    sync.RWMutex
	kinds map[string]Kind
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{kinds: make(map[string]Kind)}
}

// Default holds the built-in workload kinds, registered in init.
var Default = NewRegistry()

// Register adds k to the Default registry and panics if k is invalid.
func Register(k Kind) { Default.MustRegister(k) }

// Lookup finds a kind in the Default registry.
func Lookup(name string) (Kind, bool) { return Default.Lookup(name) }

// Register adds k after checking its name, Run function and every ParamSpec
// (names unique, known types, defaults of the declared type inside the bounds
// and the enum); it fails on a duplicate name.
func (r *Registry) Register(k Kind) error {
	k.Params = cloneSpecs(k.Params)
	if err := validateKind(k); err != nil {
		return err
	}
	k.Metrics = slices.Clone(k.Metrics)
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.kinds[k.Name]; dup {
		return fmt.Errorf("workloads: kind %q already registered", k.Name)
	}
	r.kinds[k.Name] = k
	return nil
}

// MustRegister is Register that panics on error; for init-time registration.
func (r *Registry) MustRegister(k Kind) {
	if err := r.Register(k); err != nil {
		panic(err)
	}
}

// Lookup returns the kind registered under name.
func (r *Registry) Lookup(name string) (Kind, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	k, ok := r.kinds[name]
	if ok {
		k.Params = cloneSpecs(k.Params)
		k.Metrics = slices.Clone(k.Metrics)
	}
	return k, ok
}

// Kinds returns every registered kind sorted by name.
func (r *Registry) Kinds() []Kind {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Kind, 0, len(r.kinds))
	for _, k := range r.kinds {
		k.Params = cloneSpecs(k.Params)
		k.Metrics = slices.Clone(k.Metrics)
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// KindNames returns the registered kind names, sorted.
func (r *Registry) KindNames() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.kinds))
	for n := range r.kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// HasKind reports whether a kind of that name is registered.
func (r *Registry) HasKind(name string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.kinds[name]
	return ok
}

// Run resolves raw against the kind's specs and executes the kind once,
// returning its handle (ops, snapshots, metrics, latency) with the
// workload's error and any misuse of the handle joined.
func (r *Registry) Run(ctx context.Context, kind string, raw map[string]any) (*Run, error) {
	k, ok := r.Lookup(kind)
	if !ok {
		return nil, r.unknownKind(kind)
	}
	p, err := resolve(k, raw)
	if err != nil {
		return nil, err
	}
	return k.Execute(ctx, p, RunOptions{})
}

// Execute runs the kind once with resolved params p and returns its
// handle; the error joins the workload's own (wrapped with the kind's name)
// and the handle's misuses (Run.Err). o.Metrics defaults to k.Metrics.
func (k Kind) Execute(ctx context.Context, p Params, o RunOptions) (*Run, error) {
	if o.Metrics == nil {
		o.Metrics = k.Metrics
	}
	run := NewRun(p, o)
	if k.Check != nil {
		if _, err := k.Check(p); err != nil {
			return run, fmt.Errorf("workload %s: %w", k.Name, err)
		}
	}
	err := k.Run(ctx, run)
	if err != nil {
		err = fmt.Errorf("workload %s: %w", k.Name, err)
	}
	return run, errors.Join(err, run.Err())
}

// CheckParams resolves raw against the kind's specs and runs the kind's
// Check on the result: the error says why the params cannot run (joined with
// any param's own error), the warnings what probably does not run as meant.
// Kinds without a Check only get their params resolved.
func (r *Registry) CheckParams(kind string, raw map[string]any) (warnings []error, err error) {
	k, ok := r.Lookup(kind)
	if !ok {
		return nil, r.unknownKind(kind)
	}
	p, err := resolve(k, raw)
	if err != nil || k.Check == nil {
		return nil, err
	}
	return k.Check(p)
}

// Scale returns a copy of p whose work-size params (ParamSpec.Scales) are
// multiplied by factor (0 < factor <= 1 for `run -quick`), never below the
// spec's minimum nor below 1 when they were positive. Durations shrink too,
// but not below one second (or their own length when shorter): a leak
// judge needs enough GC cycles to see a trend.
func (r *Registry) Scale(kind string, p Params, factor float64) (Params, error) {
	k, ok := r.Lookup(kind)
	if !ok {
		return nil, r.unknownKind(kind)
	}
	if !(factor > 0) || math.IsInf(factor, 0) {
		return nil, fmt.Errorf("workloads: scale factor must be > 0, got %v", factor)
	}
	out := make(Params, len(p))
	for n, v := range p {
		out[n] = v
	}
	for _, s := range k.Params {
		v, ok := out[s.Name]
		if !ok || !s.Scales {
			continue
		}
		switch x := v.(type) {
		case int64:
			if x <= 0 {
				continue
			}
			y := max(int64(math.Round(float64(x)*factor)), 1, int64(math.Ceil(s.Min)))
			if s.bounded() && float64(y) > s.Max {
				y = int64(s.Max)
			}
			out[s.Name] = y
		case time.Duration:
			if x <= 0 {
				continue
			}
			y := max(time.Duration(float64(x)*factor), min(x, time.Second), time.Duration(s.Min*float64(time.Second)))
			out[s.Name] = y
		case float64:
			if x > 0 {
				out[s.Name] = max(x*factor, s.Min)
			}
		}
	}
	return out, nil
}

func (r *Registry) unknownKind(name string) error {
	return fmt.Errorf("unknown workload kind %q; known: %s", name, joinNames(r.KindNames()))
}

func (s ParamSpec) bounded() bool { return s.Min != 0 || s.Max != 0 }

func cloneSpecs(in []ParamSpec) []ParamSpec {
	out := slices.Clone(in)
	for i := range out {
		out[i].Enum = slices.Clone(out[i].Enum)
	}
	return out
}

func validName(name string) bool {
	if name == "" || name[0] == '-' || name[len(name)-1] == '-' {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func validParamName(name string) bool {
	if name == "" {
		return false
	}
	for i, c := range name {
		if !(c >= 'a' && c <= 'z' || i > 0 && (c >= '0' && c <= '9' || c == '_')) {
			return false
		}
	}
	return true
}

func validateKind(k Kind) error {
	if !validName(k.Name) {
		return fmt.Errorf("workloads: invalid kind name %q: want [a-z0-9-]+", k.Name)
	}
	if k.Run == nil {
		return fmt.Errorf("workloads: kind %s: nil Run", k.Name)
	}
	var errs []error
	seenMetric := make(map[string]bool, len(k.Metrics))
	for _, m := range k.Metrics {
		switch _, fixed := metric.Lookup(m.Name); {
		case !metric.ValidName(m.Name):
			errs = append(errs, fmt.Errorf("workloads: kind %s: invalid metric name %q: want [a-z][a-z0-9_]*", k.Name, m.Name))
		case fixed:
			errs = append(errs, fmt.Errorf("workloads: kind %s: metric %q is already in the catalogue (package metric)", k.Name, m.Name))
		case seenMetric[m.Name]:
			errs = append(errs, fmt.Errorf("workloads: kind %s: duplicate metric %q", k.Name, m.Name))
		case m.Doc == "":
			errs = append(errs, fmt.Errorf("workloads: kind %s: metric %q needs a one-line Doc", k.Name, m.Name))
		}
		seenMetric[m.Name] = true
	}
	seen := make(map[string]bool, len(k.Params))
	for i := range k.Params {
		s := &k.Params[i]
		if err := validateSpec(s); err != nil {
			errs = append(errs, fmt.Errorf("workloads: kind %s: %w", k.Name, err))
		}
		if seen[s.Name] {
			errs = append(errs, fmt.Errorf("workloads: kind %s: duplicate param %q", k.Name, s.Name))
		}
		seen[s.Name] = true
	}
	return errors.Join(errs...)
}

// validateSpec checks s and normalizes its Default to the type Resolve
// gives the param (Int and Size: int64 from any Go integer type, or a whole
// float; Size also from "5MiB"; Float: float64 from any number; Duration:
// time.Duration or "250ms"), so that a default of 1000 needs no int64(...).
func validateSpec(s *ParamSpec) error {
	if !validParamName(s.Name) {
		return fmt.Errorf("invalid param name %q: want [a-z][a-z0-9_]*", s.Name)
	}
	if s.Min > s.Max {
		return fmt.Errorf("param %q: Min %v > Max %v", s.Name, s.Min, s.Max)
	}
	if len(s.Enum) > 0 && s.Type != String {
		return fmt.Errorf("param %q: Enum is only for string params, type is %s", s.Name, s.Type)
	}
	switch s.Type {
	case Int, Size, Float, String, Bool, Duration:
	default:
		return fmt.Errorf("param %q: unknown type %q; known: int, float, string, bool, duration, size", s.Name, s.Type)
	}
	v, err := s.normalize(s.Default)
	if err != nil {
		return fmt.Errorf("param %q: default %v (%T) is not %s %s: %w", s.Name, s.Default, s.Default, article(s.Type), s.Type, err)
	}
	s.Default = v
	if err := s.check(s.Default); err != nil {
		return fmt.Errorf("bad default: %w", err)
	}
	return nil
}

// ReportsLatency reports whether kind measures per-message latency
// (Kind.Messages); scenario validation refuses latency targets on a kind
// that does not.
func (r *Registry) ReportsLatency(kind string) bool {
	k, ok := r.Lookup(kind)
	return ok && k.Messages
}

// KindMetrics returns the metrics a kind declares for itself (Kind.Metrics),
// or nil for an unknown kind; scenario validation accepts them in targets.
func (r *Registry) KindMetrics(kind string) []metric.Info {
	k, ok := r.Lookup(kind)
	if !ok {
		return nil
	}
	return k.Metrics
}
