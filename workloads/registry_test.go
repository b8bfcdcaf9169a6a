package workloads

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/memprism/memprism/internal/golden"
)

func nopRun(context.Context, *Run) error { return nil }

// testRegistry has one kind with a param of every type.
func testRegistry(t *testing.T) *Registry {
	t.Helper()
	r := NewRegistry()
	r.MustRegister(Kind{Name: "trade-churn", Doc: "test kind", Run: nopRun, Params: []ParamSpec{
		{Name: "trades", Type: Int, Default: int64(10), Min: 1, Max: 100_000_000, Scales: true},
		{Name: "ratio", Type: Float, Default: 0.5, Min: 0, Max: 1},
		{Name: "layout", Type: String, Default: "naive", Enum: []string{"naive", "compact"}},
		{Name: "label", Type: String, Default: ""},
		{Name: "verbose", Type: Bool, Default: false},
		{Name: "duration", Type: Duration, Default: time.Second, Min: 0.001, Max: 60, Scales: true},
		{Name: "chunk", Type: Size, Default: int64(4096), Min: 16, Max: 1 << 30},
	}})
	return r
}

func TestRegisterErrors(t *testing.T) {
	good := ParamSpec{Name: "n", Type: Int, Default: int64(1)}
	tests := []struct {
		name string
		give Kind
		want string // substring of the error; "" for success
	}{
		{"ok", Kind{Name: "ok-1", Run: nopRun, Params: []ParamSpec{good}}, ""},
		{"empty name", Kind{Run: nopRun}, "invalid kind name"},
		{"upper case", Kind{Name: "Trade", Run: nopRun}, "invalid kind name"},
		{"trailing dash", Kind{Name: "trade-", Run: nopRun}, "invalid kind name"},
		{"nil run", Kind{Name: "k"}, "nil Run"},
		{"bad param name", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "N", Type: Int, Default: int64(1)}}}, "invalid param name"},
		{"duplicate param", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{good, good}}, `duplicate param "n"`},
		{"unknown type", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "n", Type: "decimal", Default: 1}}}, "unknown type"},
		{"int default as string", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "n", Type: Int, Default: "1000"}}}, `param "n": default 1000 (string) is not an int`},
		{"int default as fraction", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "n", Type: Int, Default: 1.5}}}, "is not an int"},
		{"int default missing", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "n", Type: Int}}}, "default <nil> (<nil>) is not an int"},
		{"uint64 default too large", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "n", Type: Int, Default: uint64(1 << 63)}}}, "is not an int"},
		{"duration default as int", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "d", Type: Duration, Default: 5}}}, "is not a duration"},
		{"duration default as bad string", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "d", Type: Duration, Default: "soon"}}}, "is not a duration"},
		{"size default as bad string", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "s", Type: Size, Default: "big"}}}, "is not a size"},
		{"float default as bool", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "f", Type: Float, Default: true}}}, "is not a float"},
		{"bool default as string", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "b", Type: Bool, Default: "yes"}}}, "is not a bool"},
		{"negative size default", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "buf", Type: Size, Default: -5}}}, `param "buf" is a size and cannot be negative, got -5; allowed: sizes from 0 to 8EiB`},
		{"default below min", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "n", Type: Int, Default: int64(0), Min: 1, Max: 5}}}, "must be in [1, 5], got 0"},
		{"default outside enum", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "m", Type: String, Default: "x", Enum: []string{"a", "b"}}}}, "must be one of a, b"},
		{"enum on int", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "n", Type: Int, Default: int64(1), Enum: []string{"1"}}}}, "Enum is only for string"},
		{"min above max", Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "n", Type: Int, Default: int64(1), Min: 5, Max: 1}}}, "Min 5 > Max 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := NewRegistry().Register(tt.give)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Register: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Register error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	t.Run("defaults normalized", func(t *testing.T) {
		r := NewRegistry()
		r.MustRegister(Kind{Name: "k", Run: nopRun, Params: []ParamSpec{
			{Name: "a", Type: Int, Default: 1000},
			{Name: "b", Type: Int, Default: int32(7)},
			{Name: "c", Type: Int, Default: uint16(9)},
			{Name: "d", Type: Int, Default: 1e6}, // an untyped constant with an exponent is a float64
			{Name: "e", Type: Size, Default: "512KiB"},
			{Name: "f", Type: Size, Default: uint(64)},
			{Name: "g", Type: Float, Default: 2},
			{Name: "h", Type: Duration, Default: "250ms"},
			{Name: "i", Type: Int, Default: uintptr(5)}, // uintptr is a Go integer type too
			{Name: "j", Type: Int, Default: int8(-3)},
			{Name: "k", Type: Int, Default: uint64(42)},
		}})
		p, err := r.Resolve("k", nil)
		if err != nil {
			t.Fatal(err)
		}
		want := Params{"a": int64(1000), "b": int64(7), "c": int64(9), "d": int64(1e6), "e": int64(512 << 10), "f": int64(64), "g": 2.0, "h": 250 * time.Millisecond, "i": int64(5), "j": int64(-3), "k": int64(42)}
		for name, w := range want {
			if p[name] != w {
				t.Errorf("param %s resolved to %v (%T), want %v (%T)", name, p[name], p[name], w, w)
			}
		}
		if got := p.Int("a"); got != 1000 { // no panic: the default is int64 now
			t.Errorf("Int(a) = %d", got)
		}
		k, _ := r.Lookup("k")
		if _, ok := k.Params[0].Default.(int64); !ok {
			t.Errorf("registered default is %T, want int64 (what list and Scale see)", k.Params[0].Default)
		}
	})
	t.Run("negative size value", func(t *testing.T) {
		// An unbounded size param takes sizes from 0 up: -5 is refused as
		// "-5KiB" is, not passed to the workload.
		r := NewRegistry()
		r.MustRegister(Kind{Name: "k", Run: nopRun, Params: []ParamSpec{{Name: "buf", Type: Size, Default: 0}}})
		for _, v := range []any{-5, int64(-1), -4096.0, "-5KiB"} {
			if err := r.CheckParam("k", "buf", v); err == nil {
				t.Errorf("CheckParam(buf=%v) accepted a negative size", v)
			}
		}
		for _, v := range []any{0, 5, "5KiB"} {
			if err := r.CheckParam("k", "buf", v); err != nil {
				t.Errorf("CheckParam(buf=%v) = %v", v, err)
			}
		}
	})
	t.Run("duplicate kind", func(t *testing.T) {
		r := NewRegistry()
		k := Kind{Name: "k", Run: nopRun}
		r.MustRegister(k)
		if err := r.Register(k); err == nil || !strings.Contains(err.Error(), "already registered") {
			t.Fatalf("second Register = %v, want already registered", err)
		}
	})
	t.Run("MustRegister panics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Fatal("MustRegister of an invalid kind did not panic")
			}
		}()
		NewRegistry().MustRegister(Kind{Name: "k"})
	})
}

func TestCheckParam(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		name  string
		param string
		give  any
		want  string // exact error text; "" for nil
	}{
		{"int", "trades", 5, ""},
		{"int64", "trades", int64(5), ""},
		{"json float integral", "trades", float64(20000), ""},
		{"json float fraction", "trades", 1.5, `param "trades" must be an int, got float 1.5`},
		{"int from string", "trades", "abc", `param "trades" must be an int, got string "abc"`},
		{"int below range", "trades", 0, `param "trades" must be in [1, 100000000], got 0`},
		{"int above range", "trades", int64(100_000_001), `param "trades" must be in [1, 100000000], got 100000001`},
		{"float from int", "ratio", 1, ""},
		{"float out of range", "ratio", 1.5, `param "ratio" must be in [0, 1], got 1.5`},
		{"float from bool", "ratio", true, `param "ratio" must be a float, got bool true`},
		{"enum ok", "layout", "compact", ""},
		{"enum bad", "layout", "wide", `param "layout" must be one of naive, compact; got "wide"`},
		{"string from int", "label", 3, `param "label" must be a string, got int 3`},
		{"free string", "label", "anything", ""},
		{"bool", "verbose", true, ""},
		{"bool from string", "verbose", "yes", `param "verbose" must be a bool, got string "yes"`},
		{"duration", "duration", "250ms", ""},
		{"duration zero int", "duration", 0, `param "duration" must be in [1ms, 1m0s], got 0s`},
		{"duration bad text", "duration", "fast", `param "duration" must be a duration such as 250ms or 2s, got string "fast"`},
		{"duration bare number", "duration", 5, `param "duration" must be a duration such as 250ms or 2s, got int 5`},
		{"duration too long", "duration", "2m", `param "duration" must be in [1ms, 1m0s], got 2m0s`},
		{"size text", "chunk", "512KiB", ""},
		{"size int", "chunk", 4096, ""},
		{"size json float", "chunk", float64(4096), ""},
		{"size too small", "chunk", "8B", `param "chunk" must be in [16B, 1GiB], got 8B`},
		{"size bad text", "chunk", "lots", `param "chunk" must be a size such as 512KiB, 5MiB, 1GB or bytes, got string "lots"`},
		{"unknown param", "x", 1, `unknown param "x" for kind trade-churn; allowed: chunk, duration, label, layout, ratio, trades, verbose`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.CheckParam("trade-churn", tt.param, tt.give)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Fatalf("CheckParam(%q, %#v)\n got: %s\nwant: %s", tt.param, tt.give, got, tt.want)
			}
		})
	}
	t.Run("unknown kind", func(t *testing.T) {
		err := r.CheckParam("nope", "trades", 1)
		if err == nil || !strings.Contains(err.Error(), `unknown workload kind "nope"; known: trade-churn`) {
			t.Fatalf("CheckParam on unknown kind = %v", err)
		}
	})
}

func TestResolve(t *testing.T) {
	r := testRegistry(t)
	check := func(t *testing.T, p Params, name string, want any) {
		t.Helper()
		if got, ok := p[name]; !ok || got != want {
			t.Errorf("param %s = %#v (%T), want %#v (%T)", name, got, got, want, want)
		}
	}
	t.Run("defaults", func(t *testing.T) {
		p, err := r.Resolve("trade-churn", nil)
		if err != nil {
			t.Fatal(err)
		}
		check(t, p, "trades", int64(10))
		check(t, p, "ratio", 0.5)
		check(t, p, "layout", "naive")
		check(t, p, "verbose", false)
		check(t, p, "duration", time.Second)
		check(t, p, "chunk", int64(4096))
		if len(p) != 7 {
			t.Errorf("resolved %d params, want 7", len(p))
		}
	})
	t.Run("normalization from JSON", func(t *testing.T) {
		p, err := r.Resolve("trade-churn", map[string]any{
			"trades": float64(20000), "ratio": float64(1), "duration": "1.5s", "chunk": "1MiB", "verbose": true,
		})
		if err != nil {
			t.Fatal(err)
		}
		check(t, p, "trades", int64(20000))
		check(t, p, "ratio", 1.0)
		check(t, p, "duration", 1500*time.Millisecond)
		check(t, p, "chunk", int64(1<<20))
		check(t, p, "verbose", true)
		if p.Int("trades") != 20000 || p.Duration("duration") != 1500*time.Millisecond || p.String("layout") != "naive" || p.Float("ratio") != 1 || !p.Bool("verbose") {
			t.Errorf("accessors disagree with the map: %v", p)
		}
	})
	t.Run("every problem joined", func(t *testing.T) {
		_, err := r.Resolve("trade-churn", map[string]any{"trades": "x", "layout": "wide", "bogus": 1})
		if err == nil {
			t.Fatal("Resolve accepted bad params")
		}
		for _, want := range []string{`param "trades" must be an int`, `param "layout" must be one of`, `unknown param "bogus"`} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
		}
	})
	t.Run("unknown kind", func(t *testing.T) {
		if _, err := r.Resolve("nope", nil); err == nil {
			t.Fatal("Resolve of unknown kind succeeded")
		}
	})
}

func TestParamsAccessorPanics(t *testing.T) {
	p := Params{"n": int64(1)}
	for _, tt := range []struct {
		name string
		call func()
	}{
		{"missing", func() { p.Int("m") }},
		{"wrong type", func() { p.String("n") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			tt.call()
		})
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		give    string
		want    int64
		wantErr bool
	}{
		{"0", 0, false},
		{"4096", 4096, false},
		{"512KiB", 512 << 10, false},
		{"5MiB", 5 << 20, false},
		{"1GB", 1_000_000_000, false},
		{"1.5MiB", 3 << 19, false},
		{"2 KB", 2000, false},
		{"10B", 10, false},
		{"", 0, true},
		{"MiB", 0, true},
		{"-5", 0, true},
		{"-1KiB", 0, true},
		{"1e3", 0, true},
		{"5 parsecs", 0, true},
		{"NaNMiB", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			got, err := ParseSize(tt.give)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("ParseSize(%q) = %d, %v; want %d, error %v", tt.give, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestScale(t *testing.T) {
	r := testRegistry(t)
	p, err := r.Resolve("trade-churn", map[string]any{"trades": 1000, "duration": "20s", "chunk": "1MiB"})
	if err != nil {
		t.Fatal(err)
	}
	q, err := r.Scale("trade-churn", p, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	if q.Int("trades") != 100 || q.Duration("duration") != 2*time.Second || q.Int("chunk") != 1<<20 {
		t.Errorf("Scale(0.1) = %v; want trades 100, duration 2s, chunk unchanged", q)
	}
	if p.Int("trades") != 1000 {
		t.Errorf("Scale modified its input: %v", p)
	}
	tiny, _ := r.Scale("trade-churn", p, 1e-9)
	if tiny.Int("trades") != 1 || tiny.Duration("duration") != time.Second {
		t.Errorf("Scale(1e-9) = %v; want trades 1 and the 1s duration floor", tiny)
	}
	short, _ := r.Resolve("trade-churn", map[string]any{"duration": "300ms"})
	if q, _ := r.Scale("trade-churn", short, 0.1); q.Duration("duration") != 300*time.Millisecond {
		t.Errorf("a duration under 1s must not shrink, got %v", q.Duration("duration"))
	}
	if _, err := r.Scale("trade-churn", p, 0); err == nil {
		t.Error("Scale(0) succeeded")
	}
}

func TestRegistryConcurrent(t *testing.T) {
	r := NewRegistry()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			name := fmt.Sprintf("k%d", i)
			r.MustRegister(Kind{Name: name, Run: nopRun})
			if !r.HasKind(name) {
				t.Errorf("kind %s missing after Register", name)
			}
			_ = r.Kinds()
		})
	}
	wg.Wait()
	if got := len(r.KindNames()); got != 8 {
		t.Fatalf("%d kinds, want 8", got)
	}
}

// TestDefaultKinds renders every built-in kind's params (what `memprism list`
// shows) and compares with testdata/kinds.golden; run with -update to rewrite.
func TestDefaultKinds(t *testing.T) {
	var b strings.Builder
	names := Default.KindNames()
	want := []string{"batch", "collector", "fanout", "fault", "leak", "trade-churn"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("Default kinds = %v, want %v", names, want)
	}
	for _, k := range Default.Kinds() {
		fmt.Fprintf(&b, "%s (messages=%v): %s\n", k.Name, k.Messages, k.Doc)
		for _, s := range k.Params {
			if s.Doc == "" {
				t.Errorf("kind %s param %s has no Doc", k.Name, s.Name)
			}
			fmt.Fprintf(&b, "  %-15s %-8s default=%v", s.Name, s.Type, s.Default)
			if s.bounded() {
				fmt.Fprintf(&b, " range=[%s, %s]", fmtBound(s.Min, s.Type), fmtBound(s.Max, s.Type))
			}
			if len(s.Enum) > 0 {
				fmt.Fprintf(&b, " enum=%s", strings.Join(s.Enum, "|"))
			}
			if s.Scales {
				b.WriteString(" scales")
			}
			fmt.Fprintf(&b, "\n      %s\n", s.Doc)
		}
		if _, err := Default.Resolve(k.Name, nil); err != nil {
			t.Errorf("kind %s: defaults do not resolve: %v", k.Name, err)
		}
	}
	golden.Check(t, filepath.Join("testdata", "kinds.golden"), []byte(b.String()))
}

func ExampleParseSize() {
	n, _ := ParseSize("5MiB")
	fmt.Println(n)
	// Output: 5242880
}

func ExampleRegistry_CheckParam() {
	fmt.Println(Default.CheckParam("trade-churn", "layout", "wide"))
	fmt.Println(Default.CheckParam("trade-churn", "trades", 0))
	// Output:
	// param "layout" must be one of naive, compact; got "wide"
	// param "trades" must be in [1, 100000000], got 0
}

func ExampleRegistry_Resolve() {
	p, _ := Default.Resolve("leak", map[string]any{"mode": "heap-leak", "rate": "1MiB", "duration": "50ms"})
	fmt.Println(p.String("mode"), p.Int("rate"), p.Duration("duration"), p.Int("chunk"))
	// Output: heap-leak 1048576 50ms 8192
}
