package pools

import (
	"errors"
	"math"
	"math/big"
	"regexp"
	"strings"
	"testing"
)

func TestParseFixed(t *testing.T) {
	tests := []struct {
		give    string
		want    int64
		wantErr error
	}{
		{give: "43250.12345678", want: 4325012345678},
		{give: "0", want: 0},
		{give: "-0", want: 0},
		{give: "1", want: Scale},
		{give: "+1", want: Scale},
		{give: "-1", want: -Scale},
		{give: "0.5", want: Scale / 2},
		{give: ".5", want: Scale / 2},
		{give: "5.", want: 5 * Scale},
		{give: "0.00000001", want: 1},
		{give: "-0.00000001", want: -1},
		{give: "1.10000000000", want: 110_000_000},
		{give: "007.0700", want: 707_000_000},
		{give: "92233720368.54775807", want: math.MaxInt64},
		{give: "-92233720368.54775808", want: math.MinInt64},
		{give: "92233720368.54775808", wantErr: ErrRange},
		{give: "-92233720368.54775809", wantErr: ErrRange},
		{give: "100000000000", wantErr: ErrRange},
		{give: "99999999999999999999999999", wantErr: ErrRange},
		{give: "0.000000001", wantErr: ErrSyntax},
		{give: "", wantErr: ErrSyntax},
		{give: "-", wantErr: ErrSyntax},
		{give: ".", wantErr: ErrSyntax},
		{give: "+.", wantErr: ErrSyntax},
		{give: "1.2.3", wantErr: ErrSyntax},
		{give: "1e5", wantErr: ErrSyntax},
		{give: " 1", wantErr: ErrSyntax},
		{give: "1 ", wantErr: ErrSyntax},
		{give: "--1", wantErr: ErrSyntax},
		{give: "0x10", wantErr: ErrSyntax},
		{give: "NaN", wantErr: ErrSyntax},
		{give: "1,5", wantErr: ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			check := func(name string, got int64, err error) {
				t.Helper()
				if tt.wantErr != nil {
					if !errors.Is(err, tt.wantErr) {
						t.Fatalf("%s(%q) error = %v, want %v", name, tt.give, err, tt.wantErr)
					}
					if !strings.Contains(err.Error(), tt.give) {
						t.Errorf("%s(%q) error %q does not quote the input", name, tt.give, err)
					}
					return
				}
				if err != nil || got != tt.want {
					t.Fatalf("%s(%q) = %d, %v; want %d", name, tt.give, got, err, tt.want)
				}
			}
			v, err := ParseFixed(tt.give)
			check("ParseFixed", v, err)
			v, err = ParseFixedBytes([]byte(tt.give))
			check("ParseFixedBytes", v, err)
		})
	}
}

func TestFormatFixed(t *testing.T) {
	tests := []struct {
		give int64
		want string
	}{
		{0, "0"},
		{1, "0.00000001"},
		{-1, "-0.00000001"},
		{Scale, "1"},
		{-Scale, "-1"},
		{Scale / 2, "0.5"},
		{1200, "0.000012"},
		{4325012345678, "43250.12345678"},
		{4325010000000, "43250.1"},
		{math.MaxInt64, "92233720368.54775807"},
		{math.MinInt64, "-92233720368.54775808"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := FormatFixed(tt.give); got != tt.want {
				t.Errorf("FormatFixed(%d) = %q, want %q", tt.give, got, tt.want)
			}
			if got := string(AppendFixed([]byte("x="), tt.give)); got != "x="+tt.want {
				t.Errorf("AppendFixed(%d) = %q, want %q", tt.give, got, "x="+tt.want)
			}
		})
	}
}

func TestMulFixed(t *testing.T) {
	tests := []struct {
		name    string
		a, b    int64
		want    int64
		wantErr bool
	}{
		{name: "units", a: 2 * Scale, b: 3 * Scale, want: 6 * Scale},
		{name: "price times qty", a: 4325012345678, b: 1_500_000, want: 64875185185}, // 43250.12345678 * 0.015 = 648.7518518517 truncated
		{name: "negative", a: -2 * Scale, b: Scale / 2, want: -Scale},
		{name: "both negative", a: -2 * Scale, b: -3 * Scale, want: 6 * Scale},
		{name: "truncates toward zero", a: 1, b: 1, want: 0},
		{name: "overflow", a: math.MaxInt64, b: 2 * Scale, wantErr: true},
		{name: "min int", a: math.MinInt64, b: Scale, want: math.MinInt64},
		{name: "min int negated", a: math.MinInt64, b: -Scale, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MulFixed(tt.a, tt.b)
			if tt.wantErr {
				if !errors.Is(err, ErrRange) {
					t.Fatalf("MulFixed(%d, %d) error = %v, want ErrRange", tt.a, tt.b, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("MulFixed(%d, %d) = %d, %v; want %d", tt.a, tt.b, got, err, tt.want)
			}
		})
	}
}

func TestParseFixedBytesNoAlloc(t *testing.T) {
	b := []byte("43250.12345678")
	if n := testing.AllocsPerRun(100, func() {
		if _, err := ParseFixedBytes(b); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("ParseFixedBytes allocates %v times per call, want 0", n)
	}
}

var plainDecimal = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)

// referenceFixed computes s*Scale exactly with math/big; ok is false when s is not a plain decimal or the
// result is not an int64.
func referenceFixed(s string) (v int64, syntaxOK, rangeOK bool) {
	if !plainDecimal.MatchString(s) {
		return 0, false, false
	}
	norm := strings.TrimSuffix(s, ".")
	norm = strings.Replace(norm, "-.", "-0.", 1)
	norm = strings.Replace(norm, "+.", "+0.", 1)
	if strings.HasPrefix(norm, ".") {
		norm = "0" + norm
	}
	r, ok := new(big.Rat).SetString(norm)
	if !ok {
		return 0, false, false
	}
	r.Mul(r, big.NewRat(Scale, 1))
	if !r.IsInt() {
		return 0, false, false // more than 8 significant decimals: a syntax error for ParseFixed
	}
	n := r.Num()
	if !n.IsInt64() {
		return 0, true, false
	}
	return n.Int64(), true, true
}

func FuzzParseFixed(f *testing.F) {
	for _, s := range []string{"43250.12345678", "0", "-0.00000001", ".5", "5.", "1e5", "92233720368.54775807",
		"-92233720368.54775808", "92233720368.54775808", "1.000000000", "1.0000000001", "+", "", "0.1.2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseFixed(s)
		want, syntaxOK, rangeOK := referenceFixed(s)
		switch {
		case syntaxOK && rangeOK:
			if err != nil || v != want {
				t.Fatalf("ParseFixed(%q) = %d, %v; want %d", s, v, err, want)
			}
		case syntaxOK:
			if !errors.Is(err, ErrRange) {
				t.Fatalf("ParseFixed(%q) = %d, %v; want ErrRange", s, v, err)
			}
		default:
			if err == nil {
				t.Fatalf("ParseFixed(%q) = %d, want an error", s, v)
			}
		}
		if err != nil {
			return
		}
		back, err := ParseFixed(FormatFixed(v))
		if err != nil || back != v {
			t.Fatalf("round trip of %q: FormatFixed(%d) = %q parses to %d, %v", s, v, FormatFixed(v), back, err)
		}
		bv, err := ParseFixedBytes([]byte(s))
		if err != nil || bv != v {
			t.Fatalf("ParseFixedBytes(%q) = %d, %v; ParseFixed gave %d", s, bv, err, v)
		}
	})
}

func FuzzFormatFixed(f *testing.F) {
	for _, v := range []int64{0, 1, -1, Scale, 4325012345678, math.MaxInt64, math.MinInt64} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v int64) {
		s := FormatFixed(v)
		back, err := ParseFixed(s)
		if err != nil || back != v {
			t.Fatalf("ParseFixed(FormatFixed(%d) = %q) = %d, %v", v, s, back, err)
		}
		if strings.ContainsAny(s, "eE") || (strings.Contains(s, ".") && strings.HasSuffix(s, "0")) {
			t.Fatalf("FormatFixed(%d) = %q is not the shortest plain decimal", v, s)
		}
	})
}
