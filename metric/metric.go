// Package metric is memprism's catalogue of metrics: every figure a run
// reports is defined here once, with its name as spelled in report.json and
// in scenario targets, its unit, its benchstat unit, which direction is an
// improvement, whether it is an exact count, a short label and a one-line
// meaning. Scenario validation, the worker, results, plots, `memprism list`
// and the README's table all read it. It imports nothing of memprism.
//
// Besides the fixed catalogue, a run may report two open families whose
// entries carry their own unit and direction: labelled snapshots taken by a
// workload (snapshot.<label>.<field>, see SnapshotFields) and a workload's own
// metrics (declared by its kind, such as pool_hit_rate).
package metric

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Unit is the kind of quantity a metric measures; it decides how target
// values are read and how figures are printed.
type Unit int

// Metric units.
const (
	Count          Unit = iota // a plain number (allocations, GC cycles, goroutines, ops)
	Bytes                      // bytes: targets take sizes such as 5MiB or plain integers
	Seconds                    // seconds: targets take Go durations such as 100ms or plain seconds
	BytesPerSecond             // bytes per second: targets take sizes with an optional /s, e.g. 1MiB/s
	PerSecond                  // events per second: a plain number
	BytesSquared               // a variance of byte values: a plain number
	Ratio                      // a fraction in [0, 1]: targets take 80% or 0.8
)

// String names the unit as error messages and `memprism list` show it.
func (u Unit) String() string {
	switch u {
	case Count:
		return "count"
	case Bytes:
		return "bytes"
	case Seconds:
		return "seconds"
	case BytesPerSecond:
		return "bytes/s"
	case PerSecond:
		return "1/s"
	case BytesSquared:
		return "bytes²"
	case Ratio:
		return "ratio"
	}
	return "Unit(" + strconv.Itoa(int(u)) + ")"
}

// Symbol is the unit's short symbol in report.json and tables: "B", "sec",
// "B/s", "ops/s", "B^2", "ratio" or "" for a count.
func (u Unit) Symbol() string {
	switch u {
	case Bytes:
		return "B"
	case Seconds:
		return "sec"
	case BytesPerSecond:
		return "B/s"
	case PerSecond:
		return "ops/s"
	case BytesSquared:
		return "B^2"
	case Ratio:
		return "ratio"
	}
	return ""
}

// ParseUnit is the inverse of Symbol (and accepts String's names too).
func ParseUnit(s string) (Unit, error) {
	for u := Count; u <= Ratio; u++ {
		if s == u.Symbol() || s == u.String() {
			return u, nil
		}
	}
	return 0, fmt.Errorf("metric: unknown unit %q; allowed: B, sec, B/s, ops/s, B^2, ratio or empty for a count", s)
}

// MarshalText writes the unit's Symbol.
func (u Unit) MarshalText() ([]byte, error) { return []byte(u.Symbol()), nil }

// UnmarshalText reads a unit written by MarshalText.
func (u *Unit) UnmarshalText(b []byte) error {
	v, err := ParseUnit(string(b))
	if err != nil {
		return err
	}
	*u = v
	return nil
}

// Direction says which way a metric improves.
type Direction int

// Directions.
const (
	Neither        Direction = iota // neither way is better (the op count)
	LowerIsBetter                   // a smaller value is an improvement (memory, time)
	HigherIsBetter                  // a larger value is an improvement (throughput, hit rate)
)

// String is "lower", "higher" or "neither", as report.json spells it.
func (d Direction) String() string {
	switch d {
	case LowerIsBetter:
		return "lower"
	case HigherIsBetter:
		return "higher"
	}
	return "neither"
}

// MarshalText writes String.
func (d Direction) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "lower", "higher" or "neither".
func (d *Direction) UnmarshalText(b []byte) error {
	switch string(b) {
	case "lower":
		*d = LowerIsBetter
	case "higher":
		*d = HigherIsBetter
	case "neither", "":
		*d = Neither
	default:
		return fmt.Errorf("metric: unknown direction %q; allowed: lower, higher, neither", b)
	}
	return nil
}

// Info describes one metric.
type Info struct {
	// Name is the metric as spelled in report.json and in scenario targets.
	Name string `json:"name"`
	// Unit is what the value measures.
	Unit Unit `json:"unit"`
	// BenchUnit is the hyphenated unit used in bench.txt (benchfmt); empty
	// when the metric is not written as a value (ops is the iteration count).
	BenchUnit string `json:"bench_unit,omitempty"`
	// Direction says which way is an improvement.
	Direction Direction `json:"direction"`
	// Exact is true for deterministic counts that do not vary between runs
	// of a seeded workload; a verdict on them may be exact.
	Exact bool `json:"exact,omitempty"`
	// Label is a short human label for tables and charts ("peak heap").
	Label string `json:"label"`
	// Doc says in one line what the metric measures and where the figure comes from.
	Doc string `json:"doc"`
}

// LowerIsBetter reports whether a smaller value is an improvement.
func (i Info) LowerIsBetter() bool { return i.Direction == LowerIsBetter }

// HigherIsBetter reports whether a larger value is an improvement.
func (i Info) HigherIsBetter() bool { return i.Direction == HigherIsBetter }

// namePattern is what catalogue and custom metric names look like.
var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// labelPattern is what snapshot labels look like.
var labelPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_]*$`)

// maxNameLen bounds metric names and snapshot labels.
const maxNameLen = 64

// ValidName reports whether name may name a custom metric: [a-z][a-z0-9_]*,
// at most 64 characters.
func ValidName(name string) bool { return len(name) <= maxNameLen && namePattern.MatchString(name) }

// ValidLabel reports whether label may label a snapshot: [a-z0-9][a-z0-9_]*,
// at most 64 characters.
func ValidLabel(label string) bool {
	return len(label) <= maxNameLen && labelPattern.MatchString(label)
}

// SnapshotPrefix starts the name of every snapshot metric.
const SnapshotPrefix = "snapshot."

// Snapshot field names: the figures a labelled snapshot records, each
// reported as snapshot.<label>.<field>.
const (
	SnapLiveHeapBytes       = "live_heap_bytes"
	SnapLiveHeapGrowthBytes = "live_heap_growth_bytes"
	SnapHeapObjects         = "heap_objects"
	SnapRSSBytes            = "rss_bytes"
	SnapGoroutines          = "goroutines"
)

// SnapshotFields lists what a labelled snapshot records, in report order.
var SnapshotFields = []Info{
	{Name: SnapLiveHeapBytes, Unit: Bytes, BenchUnit: "live-heap-B", Direction: LowerIsBetter, Label: "live heap",
		Doc: "heap marked live by the GC the snapshot ran (/gc/heap/live:bytes)"},
	{Name: SnapLiveHeapGrowthBytes, Unit: Bytes, BenchUnit: "live-heap-growth-B", Direction: LowerIsBetter, Label: "live heap growth",
		Doc: "live_heap_bytes minus baseline_heap_bytes (the live heap settled by a GC just before the workload): what the workload itself references at the snapshot, without the host's own heap; set by the harness's worker"},
	{Name: SnapHeapObjects, Unit: Count, BenchUnit: "heap-objects", Direction: LowerIsBetter, Label: "heap objects",
		Doc: "heap objects right after the snapshot's GC (/gc/heap/objects:objects)"},
	{Name: SnapRSSBytes, Unit: Bytes, BenchUnit: "RSS-B", Direction: LowerIsBetter, Label: "RSS",
		Doc: "resident set size after the snapshot's GC (/proc/self/statm)"},
	{Name: SnapGoroutines, Unit: Count, BenchUnit: "goroutines", Direction: LowerIsBetter, Label: "goroutines",
		Doc: "live goroutines at the snapshot (/sched/goroutines:goroutines)"},
}

// SnapshotName returns the metric name of a snapshot field: snapshot.<label>.<field>.
func SnapshotName(label, field string) string { return SnapshotPrefix + label + "." + field }

// ParseSnapshotName splits snapshot.<label>.<field>; ok is false when name is
// not of that form, the label is not valid or the field is not a SnapshotFields name.
func ParseSnapshotName(name string) (label, field string, ok bool) {
	rest, found := strings.CutPrefix(name, SnapshotPrefix)
	if !found {
		return "", "", false
	}
	label, field, found = strings.Cut(rest, ".")
	if !found || !ValidLabel(label) {
		return "", "", false
	}
	for _, f := range SnapshotFields {
		if f.Name == field {
			return label, field, true
		}
	}
	return "", "", false
}

// SnapshotInfo returns the catalogue entry of a snapshot metric name.
func SnapshotInfo(name string) (Info, bool) {
	label, field, ok := ParseSnapshotName(name)
	if !ok {
		return Info{}, false
	}
	for _, f := range SnapshotFields {
		if f.Name == field {
			f.Name = name
			f.Label = label + " " + f.Label
			f.BenchUnit = label + "-" + f.BenchUnit
			f.Doc = "at snapshot " + strconv.Quote(label) + ": " + f.Doc
			return f, true
		}
	}
	return Info{}, false
}
