package metric

import (
	"fmt"
	"math"
	"strconv"
)

// signed lists the catalogue's metrics that can be negative: differences
// of two readings. Every other metric is a size, a count, a time, a rate or
// a fraction and is never negative.
var signed = map[string]bool{
	GrowthBytes:           true, // final minus baseline live heap: a workload may free what was live before it
	GrowthRateBytesPerSec: true, // growth_bytes divided by the duration
	RSSGrowthBytes:        true, // peak minus baseline RSS: off Linux the two come from different readings
}

// Largest values a run can report, by unit. They are what the sources can
// hold, not what is plausible: a figure past them did not come from a run.
const (
	// MaxBytes bounds sizes and counts: the runtime's and the kernel's
	// counters are uint64 (2^64).
	MaxBytes float64 = 1 << 64
	// MaxSeconds bounds times: the longest time.Duration, about 292 years.
	MaxSeconds float64 = math.MaxInt64 / 1e9
	// MaxRate bounds rates: a 2^64 count in one nanosecond.
	MaxRate float64 = MaxBytes * 1e9
	// MaxBytesSquared bounds variances of byte values: (2^64)^2.
	MaxBytesSquared float64 = MaxBytes * MaxBytes
)

// Range is the closed interval of values a metric can take.
type Range struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Contains reports whether x is a finite value in r.
func (r Range) Contains(x float64) bool { return x >= r.Min && x <= r.Max }

// String is "[0, 1]" or "[0, 1.8446744073709552e+19]".
func (r Range) String() string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	return "[" + f(r.Min) + ", " + f(r.Max) + "]"
}

// CanBeNegative reports whether the metric is a difference of two readings
// (growth_bytes, growth_rate_bytes_per_sec, rss_growth_bytes) and so may be
// negative; sizes, counts, times, rates and fractions never are.
func (i Info) CanBeNegative() bool { return signed[i.Name] }

// Allowed returns the values the metric can take: [0, 1] for a ratio;
// otherwise from 0 (or minus the bound for a difference, see CanBeNegative)
// up to the largest value its source can hold: MaxBytes for sizes and
// counts, MaxSeconds for times, MaxRate for rates, MaxBytesSquared for a
// variance. A workload's own metrics (declared with a unit) get their
// unit's range.
func (i Info) Allowed() Range {
	var hi float64
	switch i.Unit {
	case Ratio:
		return Range{0, 1}
	case Seconds:
		hi = MaxSeconds
	case BytesPerSecond, PerSecond:
		hi = MaxRate
	case BytesSquared:
		hi = MaxBytesSquared
	default: // Bytes, Count
		hi = MaxBytes
	}
	if i.CanBeNegative() {
		return Range{-hi, hi}
	}
	return Range{0, hi}
}

// CheckValue returns an error when x is not a value the metric can take,
// saying what is allowed: "-5 is negative; a peak heap (bytes) is never
// negative: allowed [0, 1.8446744073709552e+19]".
func (i Info) CheckValue(x float64) error {
	r := i.Allowed()
	shown := strconv.FormatFloat(x, 'g', -1, 64)
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return fmt.Errorf("%s is not a finite number; allowed: %s in %s", shown, i.Unit, r)
	case x < 0 && r.Min == 0:
		return fmt.Errorf("%s is negative; %s is never negative: allowed %s in %s", shown, i.Name, i.Unit, r)
	case !r.Contains(x):
		return fmt.Errorf("%s is out of range for %s: allowed %s in %s", shown, i.Name, i.Unit, r)
	}
	return nil
}
