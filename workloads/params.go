package workloads

import (
	"errors"
	"fmt"
	"math"
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
			return n, nil
		}
		return nil, fmt.Errorf("param %q must be a size such as 512KiB, 5MiB, 1GB or bytes, got %s", s.Name, describe(value))
	}
	return nil, s.typeErr(value)
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
	if t == Duration {
		return time.Duration(b * float64(time.Second)).String()
	}
	return strconv.FormatFloat(b, 'f', -1, 64)
}

var sizeUnits = []struct {
	suffix string
	mult   float64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"kB", 1e3}, {"B", 1},
}

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
	if v < 0 || v >= math.MaxInt64 || math.IsNaN(v) {
		return 0, fmt.Errorf("size %q out of range", s)
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
