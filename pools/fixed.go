package pools

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
)

// Errors wrapped by ParseFixed, ParseFixedBytes and MulFixed.
var (
	ErrSyntax = errors.New("invalid decimal, want [+-]digits[.digits] with at most 8 significant decimals")
	ErrRange  = errors.New("value out of fixed-point range (about ±92233720368.54775807)")
)

// scaleDigits is the number of decimal places of Scale.
const scaleDigits = 8

// ParseFixed converts a decimal string such as "43250.12345678" or "-0.5" to fixed point (Scale) without
// going through float64. It accepts an optional sign, digits, and an optional point with up to eight
// fractional digits (further digits must be zeros); at least one digit is required. Junk and values
// outside the int64 range are errors wrapping ErrSyntax or ErrRange.
func ParseFixed(s string) (int64, error) {
	v, err := parseFixed(s)
	if err != nil {
		return 0, fmt.Errorf("pools: parse fixed %q: %w", s, err)
	}
	return v, nil
}

// ParseFixedBytes is ParseFixed for bytes straight from a network buffer; it does not allocate unless it
// fails.
func ParseFixedBytes(b []byte) (int64, error) {
	v, err := parseFixed(b)
	if err != nil {
		return 0, fmt.Errorf("pools: parse fixed %q: %w", b, err)
	}
	return v, nil
}

func parseFixed[S string | []byte](s S) (int64, error) {
	i, neg := 0, false
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		i++
	}
	var intPart uint64
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if intPart > (math.MaxUint64-9)/10 {
			return 0, ErrRange
		}
		intPart = intPart*10 + uint64(s[i]-'0')
		digits++
	}
	var frac uint64
	if i < len(s) && s[i] == '.' {
		i++
		n := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			d := uint64(s[i] - '0')
			if n < scaleDigits {
				frac = frac*10 + d
			} else if d != 0 {
				return 0, ErrSyntax
			}
			n++
			digits++
		}
		for ; n < scaleDigits; n++ {
			frac *= 10
		}
	}
	if i != len(s) || digits == 0 {
		return 0, ErrSyntax
	}
	hi, lo := bits.Mul64(intPart, Scale)
	mag, carry := bits.Add64(lo, frac, 0)
	if hi != 0 || carry != 0 {
		return 0, ErrRange
	}
	if neg {
		if mag > 1<<63 {
			return 0, ErrRange
		}
		return int64(-mag), nil // -(1<<63) wraps to math.MinInt64, as wanted
	}
	if mag > math.MaxInt64 {
		return 0, ErrRange
	}
	return int64(mag), nil
}

// FormatFixed renders a fixed-point value as the shortest decimal that ParseFixed reads back exactly:
// "43250.12345678", "0.5", "-3", never an exponent.
func FormatFixed(v int64) string {
	var buf [24]byte
	return string(AppendFixed(buf[:0], v))
}

// AppendFixed appends the FormatFixed text of v to dst and returns the extended slice.
func AppendFixed(dst []byte, v int64) []byte {
	mag := uint64(v)
	if v < 0 {
		dst = append(dst, '-')
		mag = -mag // also right for math.MinInt64
	}
	dst = strconv.AppendUint(dst, mag/Scale, 10)
	frac := mag % Scale
	if frac == 0 {
		return dst
	}
	var digits [scaleDigits]byte
	n := scaleDigits
	for frac%10 == 0 {
		frac /= 10
		n--
	}
	for k := scaleDigits - 1; k >= 0; k-- {
		digits[k] = byte('0' + frac%10)
		frac /= 10
	}
	// digits holds all eight places, leading zeros included; the last n are significant.
	dst = append(dst, '.')
	return append(dst, digits[scaleDigits-n:]...)
}

// MulFixed multiplies two fixed-point values (price times quantity), truncating toward zero to Scale;
// a product outside the int64 range is an error wrapping ErrRange.
func MulFixed(a, b int64) (int64, error) {
	neg := (a < 0) != (b < 0)
	ua, ub := uint64(a), uint64(b)
	if a < 0 {
		ua = -ua
	}
	if b < 0 {
		ub = -ub
	}
	hi, lo := bits.Mul64(ua, ub)
	if hi >= Scale {
		return 0, fmt.Errorf("pools: multiply fixed %s by %s: %w", FormatFixed(a), FormatFixed(b), ErrRange)
	}
	q, _ := bits.Div64(hi, lo, Scale)
	if neg {
		if q > 1<<63 {
			return 0, fmt.Errorf("pools: multiply fixed %s by %s: %w", FormatFixed(a), FormatFixed(b), ErrRange)
		}
		return int64(-q), nil
	}
	if q > math.MaxInt64 {
		return 0, fmt.Errorf("pools: multiply fixed %s by %s: %w", FormatFixed(a), FormatFixed(b), ErrRange)
	}
	return int64(q), nil
}
