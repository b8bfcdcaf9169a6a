package workloads

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestParamOutOfRange checks that a number past what a param's type holds
// is named as out of range, with the type's limit and the param's allowed
// range, for every numeric param type, and is never read as a type mistake
// ("must be an int, got string"). Values as YAML gives them: 1e400 arrives
// as text (no float holds it), 1e19 as a float, 2^64-1 as a uint64.
func TestParamOutOfRange(t *testing.T) {
	r := NewRegistry()
	err := r.Register(Kind{Name: "ranges", Doc: "range test", Run: func(context.Context, *Run) error { return nil },
		Params: []ParamSpec{
			{Name: "n", Type: Int, Default: 1, Doc: "bounded int", Min: 1, Max: 1000},
			{Name: "free", Type: Int, Default: 1, Doc: "unbounded int"},
			{Name: "x", Type: Float, Default: 0.5, Doc: "bounded float", Min: 0, Max: 10},
			{Name: "fx", Type: Float, Default: 0.5, Doc: "unbounded float"},
			{Name: "d", Type: Duration, Default: time.Second, Doc: "bounded duration", Min: 0.001, Max: 3600},
			{Name: "fd", Type: Duration, Default: time.Second, Doc: "unbounded duration"},
			{Name: "sz", Type: Size, Default: 1024, Doc: "bounded size", Min: 1, Max: 1 << 40},
			{Name: "fsz", Type: Size, Default: 1024, Doc: "unbounded size"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		param string
		give  any
		want  string // "" when accepted
	}{
		{"int ok", "n", 5, ""},
		{"int text overflow", "n", "1e400", `param "n" is 1e400, out of range for an int (a 64-bit integer); allowed: integers in [1, 1000]`},
		{"int negative text overflow", "n", "-1e400", `param "n" is -1e400, out of range for an int`},
		{"int huge digits", "free", "99999999999999999999", `param "free" is 99999999999999999999, out of range for an int (a 64-bit integer); allowed: integers in [-9223372036854775808, 9223372036854775807]`},
		{"int whole float past int64", "n", 1e19, `param "n" is 1e+19, out of range for an int`},
		{"int uint64 past int64", "free", uint64(1<<64 - 1), `param "free" is 18446744073709551615, out of range for an int`},
		{"int in int64 but past bounds", "n", 5000, `param "n" must be in [1, 1000], got 5000`},
		{"int fraction is a type mistake", "n", 1.5, `param "n" must be an int, got float 1.5`},
		{"int quoted number", "n", "12", `param "n" must be an int, got string "12"; write the number without quotes`},
		{"int text", "n", "many", `param "n" must be an int, got string "many"`},
		{"float ok", "x", 2.5, ""},
		{"float from an integer past int64", "fx", uint64(1<<64 - 1), ""},
		{"size uint64 past int64", "fsz", uint64(1 << 63), `param "fsz" is 9223372036854775808, out of range for a size`},
		{"float text overflow", "x", "1e400", `param "x" is 1e400, out of range for a float (at most ±1.8e308); allowed: numbers in [0, 10]`},
		{"float unbounded overflow", "fx", "-1e999", `param "fx" is -1e999, out of range for a float (at most ±1.8e308); allowed: finite numbers`},
		{"float past bounds", "x", 1e300, `param "x" must be in [0, 10], got 1e+300`},
		{"duration ok", "d", "2s", ""},
		{"duration overflow", "d", "300000000h", `param "d" is 300000000h, out of range for a duration (at most 2562047h47m16.854775807s, about 292 years); allowed: durations in [1ms, 1h0m0s]`},
		{"duration overflow unbounded", "fd", "9999999999999s", `param "fd" is 9999999999999s, out of range for a duration (at most 2562047h47m16.854775807s, about 292 years); allowed: durations up to 2562047h47m16.854775807s`},
		{"duration past bounds", "d", "2h", `param "d" must be in [1ms, 1h0m0s], got 2h0m0s`},
		{"duration not one", "d", "soon", `param "d" must be a duration such as 250ms or 2s, got string "soon"`},
		{"size ok", "sz", "5MiB", ""},
		{"size overflow", "sz", "99999999TiB", `param "sz" is 99999999TiB, out of range for a size (at most 8EiB, 9223372036854775807 bytes); allowed: sizes in [1B, 1TiB]`},
		{"size text overflow", "fsz", "1e400", `param "fsz" is 1e400, out of range for a size (at most 8EiB, 9223372036854775807 bytes); allowed: sizes from 0 to 8EiB`},
		{"size float overflow", "sz", 1e30, `param "sz" is 1e+30, out of range for a size`},
		{"size past bounds", "sz", "2TiB", `param "sz" must be in [1B, 1TiB], got 2TiB`},
		{"size not one", "sz", "big", `param "sz" must be a size such as 512KiB, 5MiB, 1GB or bytes, got string "big"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.CheckParam("ranges", tt.param, tt.give)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckParam(%v) = %v, want nil", tt.give, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("CheckParam(%v) = %v\nwant %s", tt.give, err, tt.want)
			}
		})
	}
}
