package scenarios

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/memprism/memprism/internal/golden"
)

func testFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files in testdata/%s: %v", dir, err)
	}
	return files
}

func TestParseInvalid(t *testing.T) {
	for _, path := range testFiles(t, "invalid") {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := Parse(filepath.ToSlash(path), data, testCatalog)
			if err == nil {
				t.Fatalf("Parse succeeded, want errors; got %+v", sc)
			}
			if sc != nil {
				t.Errorf("Parse returned a scenario with an error")
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, filepath.ToSlash(path)+":") {
					t.Errorf("error line without file:line:col prefix: %q", line)
				}
			}
			if n := len(Errors(err)); n != strings.Count(err.Error(), "\n")+1 {
				t.Errorf("Errors() found %d errors in %d lines", n, strings.Count(err.Error(), "\n")+1)
			}
			golden.Check(t, strings.TrimSuffix(path, ".yaml")+".err", []byte(err.Error()+"\n"))
		})
	}
}

func TestParseValid(t *testing.T) {
	for _, path := range testFiles(t, "valid") {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := Parse(path, data, testCatalog)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if sc.Source != path {
				t.Errorf("Source = %q, want %q", sc.Source, path)
			}
			golden.Check(t, strings.TrimSuffix(path, ".yaml")+".golden", dump(sc))

			// Round trip: the canonical YAML of the scenario parses to the same scenario.
			out, err := Format(sc)
			if err != nil {
				t.Fatalf("Format: %v", err)
			}
			again, err := Parse(path, out, testCatalog)
			if err != nil {
				t.Fatalf("Parse(Format(s)): %v\n%s", err, out)
			}
			if got, want := dump(again), dump(sc); !bytes.Equal(got, want) {
				t.Errorf("round trip changed the scenario\n--- formatted\n%s\n--- got\n%s\n--- want\n%s", out, got, want)
			}
		})
	}
}

// dump prints every field of a scenario with the Go types of param values.
func dump(sc *Scenario) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "name: %s\ndescription: %q\nworkload: %s\nparams: %s\n", sc.Name, sc.Description, sc.Workload, dumpParams(sc.Params))
	for _, v := range sc.Variants {
		fmt.Fprintf(&b, "variant %s: expect_leak=%v params=%s resolved=%s\n", v.Name, v.ExpectLeak, dumpParams(v.Params), dumpParams(sc.VariantParams(v.Name)))
	}
	fmt.Fprintf(&b, "baseline: %q\n", sc.Baseline)
	for _, t := range sc.Targets {
		fmt.Fprintf(&b, "target: %s variants=%v", t.Metric, t.Variants)
		if t.Reduction != nil {
			fmt.Fprintf(&b, " reduction=%v", float64(*t.Reduction))
		}
		if t.Increase != nil {
			fmt.Fprintf(&b, " increase=%v", float64(*t.Increase))
		}
		if t.Expect != "" {
			fmt.Fprintf(&b, " expect=%s", t.Expect)
		}
		if t.Max != nil {
			fmt.Fprintf(&b, " max=%v", *t.Max)
		}
		if t.Min != nil {
			fmt.Fprintf(&b, " min=%v", *t.Min)
		}
		fmt.Fprintf(&b, " (%s)\n", t)
	}
	fmt.Fprintf(&b, "run: %+v\nleak: %+v\n", sc.Run, sc.Leak)
	if len(sc.UserPrefixes) > 0 {
		fmt.Fprintf(&b, "user_prefixes: %q\n", sc.UserPrefixes)
	}
	return b.Bytes()
}

func dumpParams(p map[string]any) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%T(%v)", k, p[k], p[k])
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func TestParseDefaults(t *testing.T) {
	sc, err := Parse("min.yaml", []byte("name: m\nworkload: trade-churn\nvariants: [{name: a}]\n"), testCatalog)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Run != DefaultRun || sc.Leak != DefaultLeak {
		t.Errorf("defaults: got %+v %+v, want %+v %+v", sc.Run, sc.Leak, DefaultRun, DefaultLeak)
	}
	want := RunSettings{Repetitions: 10, Warmup: 1, SampleInterval: time.Millisecond, Timeout: time.Minute, GOGC: 100}
	if DefaultRun != want || DefaultLeak.Threshold != 5*MiB {
		t.Errorf("DefaultRun = %+v, DefaultLeak = %+v", DefaultRun, DefaultLeak)
	}
	if sc.Baseline != "" || sc.Params == nil || sc.Variants[0].Params == nil {
		t.Errorf("single variant: baseline %q, params %v, variant params %v", sc.Baseline, sc.Params, sc.Variants[0].Params)
	}
}

func TestParseNilCatalog(t *testing.T) {
	sc, err := Parse("x.yaml", []byte("name: m\nworkload: anything\nparams: {whatever: 1}\nvariants: [{name: a}]\n"), nil)
	if err != nil {
		t.Fatalf("nil catalog: %v", err)
	}
	if sc.Workload != "anything" || sc.Params["whatever"] != 1 {
		t.Errorf("got %+v", sc)
	}
}

func TestVariantParams(t *testing.T) {
	sc := &Scenario{
		Params:   map[string]any{"trades": 10, "layout": "naive"},
		Variants: []Variant{{Name: "a", Params: map[string]any{"layout": "compact"}}, {Name: "b"}},
	}
	tests := []struct {
		name string
		give string
		want map[string]any
	}{
		{"override", "a", map[string]any{"trades": 10, "layout": "compact"}},
		{"no params", "b", map[string]any{"trades": 10, "layout": "naive"}},
		{"unknown", "zzz", map[string]any{"trades": 10, "layout": "naive"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sc.VariantParams(tt.give)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("VariantParams(%q) = %v, want %v", tt.give, got, tt.want)
			}
			got["new"] = 1
			if _, leaked := sc.Params["new"]; leaked {
				t.Errorf("VariantParams returned the shared map, not a copy")
			}
		})
	}
	if _, ok := sc.Variant("a"); !ok {
		t.Errorf("Variant(a) not found")
	}
	if _, ok := sc.Variant("c"); ok {
		t.Errorf("Variant(c) found")
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		give    string
		want    Size
		wantErr string
	}{
		{give: "0", want: 0},
		{give: "1024", want: 1024},
		{give: "5MiB", want: 5 << 20},
		{give: "512KiB", want: 512 << 10},
		{give: "1GB", want: 1e9},
		{give: "1.5GiB", want: 3 << 29},
		{give: "2TiB", want: 2 << 40},
		{give: "3TB", want: 3e12},
		{give: "10B", want: 10},
		{give: " 5 mib ", want: 5 << 20},
		{give: "1kb", want: 1000},
		{give: "0.1KiB", want: 102},
		{give: "1e3", want: 1000},
		{give: "8EiB", wantErr: "unknown unit"},
		{give: "", wantErr: "empty size"},
		{give: "MiB", wantErr: "not a number"},
		{give: "-1MiB", wantErr: "negative"},
		{give: "+1MiB", wantErr: "not a number"},
		{give: "1/2GiB", wantErr: "not a number"},
		{give: "5 MegaBytes", wantErr: "unknown unit"},
		{give: "1_000", wantErr: "not a number"},
		{give: "9999999TiB", wantErr: "too large"},
		{give: "9223372036854775807", want: 1<<63 - 1},
		{give: "9223372036854775808", wantErr: "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			got, err := ParseSize(tt.give)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseSize(%q) = %v, %v; want error containing %q", tt.give, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseSize(%q) = %d, %v; want %d", tt.give, got, err, tt.want)
			}
		})
	}
}

func TestSizeString(t *testing.T) {
	tests := []struct {
		give Size
		want string
	}{
		{0, "0B"},
		{1, "1B"},
		{1000, "1000B"},
		{1024, "1KiB"},
		{1536, "1.5KiB"},
		{5 * MiB, "5MiB"},
		{3 << 29, "1.5GiB"},
		{1e9, "976562.5KiB"},
		{1000000, "1000000B"},
		{TiB + GiB, "1025GiB"}, {TiB + TiB/2, "1.5TiB"},
		{-2 * MiB, "-2MiB"},
		{1<<63 - 1, "9223372036854775807B"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.give.String(); got != tt.want {
				t.Errorf("Size(%d).String() = %q, want %q", int64(tt.give), got, tt.want)
			}
			if tt.give >= 0 {
				back, err := ParseSize(tt.give.String())
				if err != nil || back != tt.give {
					t.Errorf("ParseSize(%q) = %d, %v; want %d", tt.give.String(), back, err, tt.give)
				}
			}
		})
	}
}

func TestParsePercent(t *testing.T) {
	tests := []struct {
		give    string
		want    Percent
		str     string
		wantErr bool
	}{
		{give: "33%", want: 0.33, str: "33%"},
		{give: "0.33", want: 0.33, str: "33%"},
		{give: "33.5%", want: 0.335, str: "33.5%"},
		{give: " 5 % ", want: 0.05, str: "5%"},
		{give: "0", want: 0, str: "0%"},
		{give: "150%", want: 1.5, str: "150%"},
		{give: "-10%", want: -0.1, str: "-10%"},
		{give: "%", wantErr: true},
		{give: "abc%", wantErr: true},
		{give: "NaN", wantErr: true},
		{give: "Inf%", wantErr: true},
		{give: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			got, err := ParsePercent(tt.give)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParsePercent(%q) = %v, want error", tt.give, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParsePercent(%q) = %v, %v; want %v", tt.give, float64(got), err, float64(tt.want))
			}
			if s := got.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
		})
	}
}

func TestFlagValues(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(new(bytes.Buffer))
	var size Size
	var pct Percent
	fs.Var(&size, "mem", "memory limit")
	fs.Var(&pct, "threshold", "threshold")
	if err := fs.Parse([]string{"-mem", "512MiB", "-threshold", "5%"}); err != nil {
		t.Fatal(err)
	}
	if size != 512*MiB || pct != 0.05 {
		t.Errorf("flags: size %v pct %v", size, pct)
	}
	if err := fs.Parse([]string{"-mem", "lots"}); err == nil {
		t.Errorf("bad size flag accepted")
	}
	if err := size.UnmarshalText([]byte("1KiB")); err != nil || size != KiB {
		t.Errorf("UnmarshalText: %v %v", size, err)
	}
	if err := pct.UnmarshalText([]byte("x")); err == nil {
		t.Errorf("Percent.UnmarshalText accepted x")
	}
}

func TestYAMLUnmarshalers(t *testing.T) {
	var v struct {
		Limit Size    `yaml:"limit"`
		Plain Size    `yaml:"plain"`
		Cut   Percent `yaml:"cut"`
		Frac  Percent `yaml:"frac"`
	}
	if err := yamlUnmarshal("limit: 5MiB\nplain: 1024\ncut: 33%\nfrac: 0.25\n", &v); err != nil {
		t.Fatal(err)
	}
	if v.Limit != 5*MiB || v.Plain != 1024 || v.Cut != 0.33 || v.Frac != 0.25 {
		t.Errorf("got %+v", v)
	}
	for _, bad := range []string{"limit: [1]\n", "limit: 5 parsecs\n", "cut: {a: 1}\n", "cut: lots\n"} {
		if err := yamlUnmarshal(bad, &v); err == nil {
			t.Errorf("%q: want error", bad)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	e := &Error{File: "a.yaml", Line: 3, Col: 7, Msg: "bad"}
	if got := e.Error(); got != "a.yaml:3:7: bad" {
		t.Errorf("Error() = %q", got)
	}
	joined := errors.Join(e, fmt.Errorf("wrapped: %w", &Error{File: "b.yaml", Line: 1, Col: 1, Msg: "x"}))
	if got := Errors(joined); len(got) != 2 || got[1].File != "b.yaml" {
		t.Errorf("Errors() = %v", got)
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		give, want string
	}{
		{"varaints", ` (did you mean "variants"?)`},
		{"Name", ` (did you mean "name"?)`},
		{"zzzzzz", ""},
		{"run", ""},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			if got := suggest(tt.give, topKeys); got != tt.want {
				t.Errorf("suggest(%q) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	scen := func(name string) string {
		return "name: " + name + "\nworkload: trade-churn\nvariants: [{name: a}]\n"
	}
	a := write("suite/b.yaml", scen("bee"))
	write("suite/a.yml", scen("ay"))
	write("suite/notes.txt", "not a scenario")
	write("suite/sub/c.yaml", scen("sub"))
	single := write("single.yaml", scen("single"))
	dup := write("dup.yaml", "# comment\nname: bee\nworkload: trade-churn\nvariants: [{name: a}]\n")
	bad := write("bad.yaml", "name: bad\n")
	write("empty/readme.md", "")

	t.Run("dir and file", func(t *testing.T) {
		s, err := Load(testCatalog, filepath.Join(dir, "suite"), single)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := s.Names(), []string{"ay", "bee", "single"}; !reflect.DeepEqual(got, want) {
			t.Errorf("names = %v, want %v", got, want)
		}
		if s.Lookup("bee").Source != a || s.Lookup("nope") != nil {
			t.Errorf("Lookup: %+v", s.Lookup("bee"))
		}
		if got := s.Select(func(n string) bool { return n != "ay" }).Names(); !reflect.DeepEqual(got, []string{"bee", "single"}) {
			t.Errorf("Select = %v", got)
		}
	})
	t.Run("duplicate name", func(t *testing.T) {
		_, err := Load(testCatalog, filepath.Join(dir, "suite"), dup)
		want := dup + ":2:7: duplicate scenario name \"bee\"; first defined at " + a + ":1:7; names must be unique within a suite"
		if err == nil || err.Error() != want {
			t.Errorf("err = %v\nwant %s", err, want)
		}
	})
	t.Run("all errors", func(t *testing.T) {
		_, err := Load(testCatalog, bad, filepath.Join(dir, "missing.yaml"), filepath.Join(dir, "empty"), single)
		if err == nil {
			t.Fatal("want error")
		}
		msg := err.Error()
		for _, want := range []string{bad + ":1:1: variants is required", bad + ":1:1: workload is required", "missing.yaml: no such file", "has no *.yaml or *.yml files"} {
			if !strings.Contains(msg, want) {
				t.Errorf("error lacks %q:\n%s", want, msg)
			}
		}
	})
	t.Run("no paths", func(t *testing.T) {
		if _, err := Load(testCatalog); err == nil {
			t.Error("want error")
		}
	})
}

func TestDefaultFiles(t *testing.T) {
	files := DefaultFiles()
	if len(files) == 0 {
		t.Fatal("no embedded scenario files")
	}
	if !sort.StringsAreSorted(files) {
		t.Errorf("not sorted: %v", files)
	}
	for _, f := range files {
		data, err := DefaultFile(f)
		if err != nil || len(data) == 0 {
			t.Errorf("DefaultFile(%q): %v", f, err)
		}
		if _, err := DefaultFile("embedded:" + f); err != nil {
			t.Errorf("DefaultFile with prefix: %v", err)
		}
	}
	if _, err := DefaultFile("nope.yaml"); err == nil {
		t.Error("DefaultFile(nope.yaml) succeeded")
	}
}

// FuzzParse checks that Parse never panics and that every error carries a position.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"valid", "invalid"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.yaml"))
		for _, p := range files {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte("a: &a [*a, *a]\nname: *a\n"))
	f.Add([]byte("name: x\nworkload: trade-churn\nvariants: [{name: a, params: {<<: [{x: 1}, {y: 2}]}}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse("fuzz.yaml", data, testCatalog)
		if err == nil {
			if sc == nil || sc.Name == "" || len(sc.Variants) == 0 {
				t.Fatalf("nil error but incomplete scenario %+v", sc)
			}
			return
		}
		if sc != nil {
			t.Fatalf("error and scenario both returned")
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			var l, c int
			if n, _ := fmt.Sscanf(strings.TrimPrefix(line, "fuzz.yaml:"), "%d:%d:", &l, &c); n != 2 || !strings.HasPrefix(line, "fuzz.yaml:") || l < 1 || c < 1 {
				t.Fatalf("error line without file:line:col: %q", line)
			}
		}
	})
}

func TestFormatValueNoOverflow(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0.1, "100ms"},
		{97200000, "27000h0m0s"},
		{1e300, "1e+300s"},
		{-1e20, "-1e+20s"},
	}
	for _, tt := range tests {
		if got := formatValue(Seconds, tt.v); got != tt.want {
			t.Errorf("formatValue(Seconds, %g) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
