package scenarios

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/memprism/memprism/metric"
	"gopkg.in/yaml.v3"
)

// Size is a number of bytes, written in scenarios as 5MiB, 512KiB, 1GB, 1.5GiB or a plain integer.
type Size int64

// Decimal (1000^n) and binary (1024^n) size units.
const (
	B   Size = 1         // one byte
	KB  Size = 1000 * B  // kilobyte, 10^3 bytes
	MB  Size = 1000 * KB // megabyte, 10^6 bytes
	GB  Size = 1000 * MB // gigabyte, 10^9 bytes
	TB  Size = 1000 * GB // terabyte, 10^12 bytes
	KiB Size = 1 << 10   // kibibyte, 2^10 bytes
	MiB Size = 1 << 20   // mebibyte, 2^20 bytes
	GiB Size = 1 << 30   // gibibyte, 2^30 bytes
	TiB Size = 1 << 40   // tebibyte, 2^40 bytes
)

// sizeUnits maps every accepted unit suffix (matched case-insensitively) to its size.
var sizeUnits = map[string]Size{
	"b": B, "kb": KB, "mb": MB, "gb": GB, "tb": TB,
	"kib": KiB, "mib": MiB, "gib": GiB, "tib": TiB,
}

// sizeSyntax is the part of size error messages that says what is allowed.
const sizeSyntax = "a size is a whole number of bytes or a number with a unit: B, KB, MB, GB, TB (powers of 1000) " +
	"or KiB, MiB, GiB, TiB (powers of 1024), e.g. 512KiB, 5MiB, 1.5GiB"

// ParseSize parses a non-negative byte size such as "5MiB", "512KiB", "1GB", "1.5GiB" or "1024".
// Units are matched case-insensitively; a fractional result is rounded to the nearest byte.
func ParseSize(s string) (Size, error) {
	text := strings.TrimSpace(s)
	if text == "" {
		return 0, fmt.Errorf("empty size; %s", sizeSyntax)
	}
	end := len(text)
	for end > 0 && isLetter(text[end-1]) {
		end--
	}
	num, unitText := strings.TrimSpace(text[:end]), text[end:]
	unit := B
	if unitText != "" {
		u, ok := sizeUnits[strings.ToLower(unitText)]
		if !ok {
			return 0, fmt.Errorf("size %q has unknown unit %q; %s", s, unitText, sizeSyntax)
		}
		unit = u
	}
	if num == "" || strings.ContainsAny(num, "/_") || strings.HasPrefix(num, "+") {
		return 0, fmt.Errorf("size %q is not a number with an optional unit; %s", s, sizeSyntax)
	}
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		return 0, fmt.Errorf("size %q is not a number with an optional unit; %s", s, sizeSyntax)
	}
	if r.Sign() < 0 {
		return 0, fmt.Errorf("size %q is negative; sizes are >= 0", s)
	}
	r.Mul(r, new(big.Rat).SetInt64(int64(unit)))
	// Round half up to the nearest byte: floor(r + 1/2).
	r.Add(r, big.NewRat(1, 2))
	n := new(big.Int).Quo(r.Num(), r.Denom())
	if !n.IsInt64() {
		return 0, outOfRange(fmt.Sprintf("size %q is too large; the maximum is %d bytes (about 8EiB)", s, int64(math.MaxInt64)))
	}
	return Size(n.Int64()), nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// String prints the size in the largest binary unit that shows it exactly with at most
// three decimals (5MiB, 1.5GiB, 1000B), so that ParseSize(s.String()) == s.
func (s Size) String() string {
	if s < 0 {
		if s == math.MinInt64 {
			return "-8EiB"
		}
		return "-" + (-s).String()
	}
	for _, u := range []struct {
		size Size
		name string
	}{{TiB, "TiB"}, {GiB, "GiB"}, {MiB, "MiB"}, {KiB, "KiB"}} {
		if s < u.size {
			continue
		}
		// s*1000 must be a multiple of the unit for three decimals to be exact.
		whole, rem := s/u.size, s%u.size
		if rem == 0 {
			return strconv.FormatInt(int64(whole), 10) + u.name
		}
		milli := big.NewInt(int64(rem))
		milli.Mul(milli, big.NewInt(1000))
		q, m := new(big.Int).QuoRem(milli, big.NewInt(int64(u.size)), new(big.Int))
		if m.Sign() != 0 {
			continue
		}
		frac := strings.TrimRight(fmt.Sprintf("%03d", q.Int64()), "0")
		return strconv.FormatInt(int64(whole), 10) + "." + frac + u.name
	}
	return strconv.FormatInt(int64(s), 10) + "B"
}

// Set parses a size for flag.Value.
func (s *Size) Set(text string) error {
	v, err := ParseSize(text)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// UnmarshalText parses a size for encoding.TextUnmarshaler users (JSON strings, env config).
func (s *Size) UnmarshalText(text []byte) error { return s.Set(string(text)) }

// UnmarshalYAML decodes a size from a YAML integer or a size string.
func (s *Size) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || n.ShortTag() == nullTag {
		return fmt.Errorf("line %d: want a size, got %s; %s", n.Line, describe(n), sizeSyntax)
	}
	v, err := sizeOf(n)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*s = v
	return nil
}

// Percent is a fraction written as "33%" or 0.33; both mean 0.33.
type Percent float64

// ParsePercent parses "33%", "33.5%" or a plain fraction such as "0.33".
// It does not limit the range: callers decide what is sensible.
func ParsePercent(s string) (Percent, error) {
	text := strings.TrimSpace(s)
	scale := 1.0
	if t, ok := strings.CutSuffix(text, "%"); ok {
		text, scale = strings.TrimSpace(t), 100
	}
	if text == "" || strings.Contains(text, "_") {
		return 0, fmt.Errorf("percent %q is not a number; write 33%% or 0.33", s)
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("percent %q is not a finite number; write 33%% or 0.33", s)
	}
	return Percent(f / scale), nil
}

// String prints the fraction as a percentage with up to six decimals: 0.33 -> "33%".
func (p Percent) String() string {
	v := math.Round(float64(p)*100*1e6) / 1e6
	return strconv.FormatFloat(v, 'f', -1, 64) + "%"
}

// Set parses a percent for flag.Value.
func (p *Percent) Set(text string) error {
	v, err := ParsePercent(text)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// UnmarshalText parses a percent for encoding.TextUnmarshaler users.
func (p *Percent) UnmarshalText(text []byte) error { return p.Set(string(text)) }

// UnmarshalYAML decodes a percent from a YAML number (a fraction) or a "33%" string.
func (p *Percent) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || n.ShortTag() == nullTag {
		return fmt.Errorf("line %d: want a percent such as 33%% or 0.33, got %s", n.Line, describe(n))
	}
	v, err := ParsePercent(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*p = v
	return nil
}

// Unit is the kind of quantity a metric measures; it decides how target
// values are read. It is package metric's Unit.
type Unit = metric.Unit

// Metric units (forwards of package metric's).
const (
	Count          = metric.Count          // a plain number (allocations, GC cycles, goroutines, ops)
	Bytes          = metric.Bytes          // bytes: targets take sizes such as 5MiB or plain integers
	Seconds        = metric.Seconds        // seconds: targets take Go durations such as 100ms or plain seconds
	BytesPerSecond = metric.BytesPerSecond // bytes per second: targets take sizes with an optional /s, e.g. 1MiB/s
	PerSecond      = metric.PerSecond      // events per second: a plain number
	BytesSquared   = metric.BytesSquared   // a variance of byte values: a plain number
	Ratio          = metric.Ratio          // a fraction: targets take 80% or 0.8
)

// Metrics lists every fixed metric a run reports (package metric's
// catalogue) with its unit. Targets may also name labelled snapshots
// (snapshot.<label>.<field>) and the metrics a workload kind declares.
var Metrics = func() map[string]Unit {
	out := map[string]Unit{}
	for _, m := range metric.All() {
		out[m.Name] = m.Unit
	}
	return out
}()

// MetricNames returns the names in Metrics, sorted.
func MetricNames() []string {
	names := make([]string, 0, len(Metrics))
	for n := range Metrics {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// errNotNumber reports a target value that is not a number of the metric's unit.
var errNotNumber = errors.New("not a number")

// parseMetricValue reads a target bound written in unit u; the result is in the unit's base
// (bytes, seconds, count). text is the scalar text, tag its YAML short tag.
func parseMetricValue(u Unit, text, tag string) (float64, error) {
	switch u {
	case Bytes:
		s, err := ParseSize(text)
		return float64(s), err
	case BytesPerSecond:
		t := strings.TrimSpace(text)
		t, _ = strings.CutSuffix(t, "/s")
		s, err := ParseSize(t)
		return float64(s), err
	case Seconds:
		if tag == intTag || tag == floatTag {
			return parseFiniteFloat(text)
		}
		d, err := parseDuration(text)
		return d.Seconds(), err
	case Ratio:
		p, err := ParsePercent(text)
		return float64(p), err
	}
	return parseFiniteFloat(text)
}

// checkAllowed returns an error when v is not a value the named metric of
// unit u can take (metric.Info.Allowed).
func checkAllowed(name string, u Unit, v float64) error {
	return metric.Info{Name: name, Unit: u}.CheckValue(v)
}

// outOfRange is the error of a value written in its type's syntax but past
// what the type holds (1e400, 300000000h, 99999999TiB).
type outOfRange string

func (e outOfRange) Error() string { return string(e) }

// numberOverflows reports whether text is a number too large for a float64 (1e400).
func numberOverflows(text string) bool {
	f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(text), "_", ""), 64)
	return errors.Is(err, strconv.ErrRange) && math.IsInf(f, 0)
}

func parseFiniteFloat(text string) (float64, error) {
	if numberOverflows(text) {
		return 0, outOfRange(fmt.Sprintf("%q is out of range: numbers are at most ±1.8e308", text))
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(text), "_", ""), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q: %w", text, errNotNumber)
	}
	return f, nil
}
