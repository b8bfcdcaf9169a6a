package workloads

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// CheckParam validates one raw parameter value of a kind as YAML or JSON
// decodes it (int, int64, float64, string or bool). The error says what is
// allowed. Bounds of Duration params (ParamSpec.Min/Max) are in seconds; those
// of Size params in bytes.
func (r *Registry) CheckParam(kind, name string, value any) error {
	k, ok := r.Lookup(kind)
	if !ok {
		return r.unknownKind(kind)
	}
	_, err := normalizeFor(k, name, value)
	return err
}

// Resolve checks every raw parameter of a kind, fills the defaults of the
// missing ones and returns values normalized to int64, float64, string, bool
// or time.Duration (Size as int64 bytes). All problems are joined.
func (r *Registry) Resolve(kind string, raw map[string]any) (Params, error) {
	k, ok := r.Lookup(kind)
	if !ok {
		return nil, r.unknownKind(kind)
	}
	return resolve(k, raw)
}

// resolve is Resolve for a kind already looked up.
func resolve(k Kind, raw map[string]any) (Params, error) {
	names := make([]string, 0, len(raw))
	for n := range raw {
		names = append(names, n)
	}
	sort.Strings(names)
	p := make(Params, len(k.Params))
	var errs []error
	for _, n := range names {
		v, err := normalizeFor(k, n, raw[n])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p[n] = v
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, s := range k.Params {
		if _, ok := p[s.Name]; !ok {
			p[s.Name] = s.Default
		}
	}
	return p, nil
}

func normalizeFor(k Kind, name string, value any) (any, error) {
	for _, s := range k.Params {
		if s.Name == name {
			v, err := s.normalize(value)
			if err != nil {
				return nil, err
			}
			return v, s.check(v)
		}
	}
	allowed := make([]string, len(k.Params))
	for i, s := range k.Params {
		allowed[i] = s.Name
	}
	sort.Strings(allowed)
	return nil, fmt.Errorf("unknown param %q for kind %s; allowed: %s", name, k.Name, joinNames(allowed))
}

func joinNames(names []string) string {
	if len(names) == 0 {
		return "(none)"
	}
	return strings.Join(names, ", ")
}

// article returns "a" or "an" for a type name.
func article(t ParamType) string {
	if t == Int {
		return "an"
	}
	return "a"
}

func (s ParamSpec) typeErr(value any) error {
	return fmt.Errorf("param %q must be %s %s, got %s", s.Name, article(s.Type), s.Type, describe(value))
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("string %q", x)
	case float64:
		return "float " + strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return fmt.Sprintf("%T %v", v, v)
	}
}

// asInt converts integral numbers of any Go numeric type, including float64
// holding a whole number as JSON decodes it.
func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint:
		return int64(x), uint64(x) <= math.MaxInt64
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint64:
		return int64(x), x <= math.MaxInt64
	case uintptr:
		return int64(x), uint64(x) <= math.MaxInt64
	case float32:
		return asInt(float64(x))
	case float64:
		if x != math.Trunc(x) || math.IsInf(x, 0) || math.IsNaN(x) || math.Abs(x) >= 1<<63 {
			return 0, false
		}
		return int64(x), true
	}
	return 0, false
}

func (s ParamSpec) normalize(value any) (any, error) {
	if err := s.rangeErr(value); err != nil {
		return nil, err
	}
	switch s.Type {
	case Int:
		if n, ok := asInt(value); ok {
			return n, nil
		}
	case Float:
		switch x := value.(type) {
		case float64:
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				return x, nil
			}
		case float32:
			return float64(x), nil
		case uint:
			return float64(x), nil
		case uint64:
			return float64(x), nil
		default:
			if n, ok := asInt(value); ok {
				return float64(n), nil
			}
		}
	case String:
		if x, ok := value.(string); ok {
			return x, nil
		}
	case Bool:
		if x, ok := value.(bool); ok {
			return x, nil
		}
	case Duration:
		switch x := value.(type) {
		case time.Duration:
			return x, nil
		case string:
			d, err := time.ParseDuration(strings.TrimSpace(x))
			if err != nil {
				return nil, fmt.Errorf("param %q must be a duration such as 250ms or 2s, got string %q", s.Name, x)
			}
			return d, nil
		default:
			if n, ok := asInt(value); ok && n == 0 {
				return time.Duration(0), nil
			}
			return nil, fmt.Errorf("param %q must be a duration such as 250ms or 2s, got %s", s.Name, describe(value))
		}
	case Size:
		if x, ok := value.(string); ok {
			n, err := ParseSize(x)
			if err != nil {
				return nil, fmt.Errorf("param %q must be a size such as 512KiB, 5MiB, 1GB or bytes, got string %q", s.Name, x)
			}
			return n, nil
		}
		if n, ok := asInt(value); ok {
			if n < 0 {
				return nil, fmt.Errorf("param %q is a size and cannot be negative, got %d; allowed: %s", s.Name, n, s.allowedRange())
			}
			return n, nil
		}
		return nil, fmt.Errorf("param %q must be a size such as 512KiB, 5MiB, 1GB or bytes, got %s", s.Name, describe(value))
	}
	if x, ok := value.(string); ok && s.Type != String && isNumber(x) {
		return nil, fmt.Errorf("%w; write the number without quotes", s.typeErr(value))
	}
	return nil, s.typeErr(value)
}

// Largest values of the numeric param types, for range errors.
const (
	maxDurationText = "2562047h47m16.854775807s, about 292 years" // math.MaxInt64 nanoseconds
	maxSizeText     = "8EiB, 9223372036854775807 bytes"           // math.MaxInt64 bytes
)

// rangeErr returns an error when value is a number written in the param's
// syntax but beyond what its type can hold: an int past int64 (1e19,
// 99999999999999999999, or 1e400, which YAML reads as text because no
// float holds it), a float past ±1.8e308, a duration past about 292 years
// (300000000h), a size past 8EiB (99999999TiB). The error names the value,
// the type's limit and the param's own allowed range.
func (s ParamSpec) rangeErr(value any) error {
	var text, limit string
	switch s.Type {
	case Int:
		text, limit = outOfInt(value), "an int (a 64-bit integer)"
	case Float:
		if x, ok := value.(string); ok && floatOverflows(x) {
			text, limit = strings.TrimSpace(x), "a float (at most ±1.8e308)"
		}
	case Duration:
		if x, ok := value.(string); ok && durationOverflows(x) {
			text, limit = strings.TrimSpace(x), "a duration (at most "+maxDurationText+")"
		}
	case Size:
		if x, ok := value.(string); ok {
			if _, err := ParseSize(x); errors.Is(err, errSizeRange) || (err != nil && floatOverflows(x)) {
				text = strings.TrimSpace(x)
			}
		} else {
			text = outOfInt(value)
		}
		limit = "a size (at most " + maxSizeText + ")"
	}
	if text == "" {
		return nil
	}
	return fmt.Errorf("param %q is %s, out of range for %s; allowed: %s", s.Name, text, limit, s.allowedRange())
}

// allowedRange says which values the param takes: its bounds, or its type's range.
func (s ParamSpec) allowedRange() string {
	if s.bounded() {
		what := map[ParamType]string{Int: "integers", Float: "numbers", Duration: "durations", Size: "sizes"}[s.Type]
		return fmt.Sprintf("%s in [%s, %s]", what, fmtBound(s.Min, s.Type), fmtBound(s.Max, s.Type))
	}
	switch s.Type {
	case Int:
		return fmt.Sprintf("integers in [%d, %d]", int64(math.MinInt64), int64(math.MaxInt64))
	case Float:
		return "finite numbers"
	case Duration:
		return "durations up to " + maxDurationText
	}
	return "sizes from 0 to " + maxSizeText
}

// outOfInt returns the text of value when it is a whole number that no
// int64 holds (a float, an unsigned integer, or a numeric string such as
// "1e400"), else "".
func outOfInt(value any) string {
	switch x := value.(type) {
	case float64:
		if math.IsInf(x, 0) || x == math.Trunc(x) && math.Abs(x) >= 1<<63 {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
	case float32:
		return outOfInt(float64(x))
	case uint:
		if uint64(x) > math.MaxInt64 {
			return strconv.FormatUint(uint64(x), 10)
		}
	case uint64:
		if x > math.MaxInt64 {
			return strconv.FormatUint(x, 10)
		}
	case uintptr:
		return outOfInt(uint64(x))
	case string:
		t := strings.TrimSpace(x)
		if _, err := strconv.ParseInt(strings.ReplaceAll(t, "_", ""), 10, 64); errors.Is(err, strconv.ErrRange) {
			return t
		}
		f, err := strconv.ParseFloat(t, 64)
		if errors.Is(err, strconv.ErrRange) && math.IsInf(f, 0) || err == nil && f == math.Trunc(f) && math.Abs(f) >= 1<<63 {
			return t
		}
	}
	return ""
}

// isNumber reports whether text is a number as YAML or Go writes one.
func isNumber(text string) bool {
	_, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}

// floatOverflows reports whether text is a number too large for a float64 (1e400).
func floatOverflows(text string) bool {
	f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	return errors.Is(err, strconv.ErrRange) && math.IsInf(f, 0)
}

// durationText is Go's duration syntax (time.ParseDuration).
var durationText = regexp.MustCompile(`^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$`)

// durationOverflows reports whether text is written as a Go duration but
// time.ParseDuration refuses it, which then means it is too long.
func durationOverflows(text string) bool {
	t := strings.TrimSpace(text)
	if !durationText.MatchString(t) {
		return false
	}
	_, err := time.ParseDuration(t)
	return err != nil
}

// check tests a normalized value against the bounds and the enum.
func (s ParamSpec) check(v any) error {
	if len(s.Enum) > 0 {
		x, _ := v.(string)
		for _, e := range s.Enum {
			if x == e {
				return nil
			}
		}
		return fmt.Errorf("param %q must be one of %s; got %q", s.Name, strings.Join(s.Enum, ", "), x)
	}
	if !s.bounded() {
		return nil
	}
	var f float64
	var shown string
	switch x := v.(type) {
	case int64:
		f, shown = float64(x), strconv.FormatInt(x, 10)
		if s.Type == Size {
			shown = sizeText(f)
		}
	case float64:
		f, shown = x, strconv.FormatFloat(x, 'g', -1, 64)
	case time.Duration:
		f, shown = x.Seconds(), x.String()
	default:
		return nil
	}
	if f >= s.Min && f <= s.Max {
		return nil
	}
	lo, hi := fmtBound(s.Min, s.Type), fmtBound(s.Max, s.Type)
	return fmt.Errorf("param %q must be in [%s, %s], got %s", s.Name, lo, hi, shown)
}

func fmtBound(b float64, t ParamType) string {
	switch t {
	case Duration:
		return time.Duration(b * float64(time.Second)).String()
	case Size:
		return sizeText(b)
	}
	return strconv.FormatFloat(b, 'f', -1, 64)
}

// sizeText writes a size bound in the largest binary unit that divides it
// (1TiB, 4KiB), else in bytes (1000B).
func sizeText(b float64) string {
	for _, u := range []struct {
		suffix string
		mult   float64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if b >= u.mult && b == math.Trunc(b/u.mult)*u.mult {
			return strconv.FormatFloat(b/u.mult, 'f', -1, 64) + u.suffix
		}
	}
	return strconv.FormatFloat(b, 'f', -1, 64) + "B"
}

var sizeUnits = []struct {
	suffix string
	mult   float64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"kB", 1e3}, {"B", 1},
}

// errSizeRange is wrapped by ParseSize for a size past math.MaxInt64 bytes.
var errSizeRange = errors.New("out of range: at most " + maxSizeText)

// ParseSize parses a byte size: a plain integer, or a number with one of the
// suffixes B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers
// of 1024), such as 512KiB, 5MiB, 1.5GB.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := 1.0
	for _, u := range sizeUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	if mult == 1 {
		if n, err := strconv.ParseInt(t, 10, 64); err == nil {
			if n < 0 {
				return 0, fmt.Errorf("size %q is negative", s)
			}
			return n, nil
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || t == "" || strings.ContainsAny(t, "eEnNiIxX") {
		return 0, fmt.Errorf("invalid size %q: want bytes or a number with B, KB, MB, GB, KiB, MiB or GiB", s)
	}
	v := f * mult
	if v < 0 || math.IsNaN(v) {
		return 0, fmt.Errorf("size %q is negative", s)
	}
	if v >= math.MaxInt64 {
		return 0, fmt.Errorf("size %q: %w", s, errSizeRange)
	}
	return int64(math.Round(v)), nil
}

// Int returns an int or size param; it panics if name is missing or not int64.
func (p Params) Int(name string) int64 { return get[int64](p, name) }

// Float returns a float param; it panics if name is missing or not float64.
func (p Params) Float(name string) float64 { return get[float64](p, name) }

// String returns a string param; it panics if name is missing or not a string.
func (p Params) String(name string) string { return get[string](p, name) }

// Bool returns a bool param; it panics if name is missing or not a bool.
func (p Params) Bool(name string) bool { return get[bool](p, name) }

// Duration returns a duration param; it panics if name is missing or not a time.Duration.
func (p Params) Duration(name string) time.Duration { return get[time.Duration](p, name) }

func get[T any](p Params, name string) T {
	v, ok := p[name]
	if !ok {
		panic(fmt.Sprintf("workloads: param %q not resolved", name))
	}
	x, ok := v.(T)
	if !ok {
		var zero T
		panic(fmt.Sprintf("workloads: param %q is %T, not %T", name, v, zero))
	}
	return x
}
