package results

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/memprism/memprism/internal/safeio"
)

// TestValidate feeds reports whose names would reach the file system or the
// terminal and checks that each is rejected, saying where and why.
func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *Report)
		want   string // "" when the report is valid
	}{
		{"fixture", func(*Report) {}, ""},
		{"scenario path escape", func(r *Report) { r.Scenarios[0].Name = "../escaped" }, `scenarios[0].name: scenario name "../escaped" is invalid`},
		{"scenario absolute", func(r *Report) { r.Scenarios[0].Name = "/tmp/x" }, `scenario name "/tmp/x" is invalid`},
		{"scenario escape sequence", func(r *Report) { r.Scenarios[0].Name = "a\x1b[2J" }, `scenario name "a\x1b[2J" is invalid`},
		{"duplicate scenario", func(r *Report) { r.Scenarios[1].Name = r.Scenarios[0].Name }, "appears twice"},
		{"variant escape sequence", func(r *Report) { r.Scenarios[0].Variants[1].Name = "x\x1b]0;t\x07" }, `variants[1].name: variant name "x\x1b]0;t\a" is invalid`},
		{"variant empty", func(r *Report) { r.Scenarios[0].Variants[1].Name = "" }, `variant name "" is invalid`},
		{"workload", func(r *Report) { r.Scenarios[0].Workload = "Trade Churn" }, `.workload: workload name "Trade Churn" is invalid`},
		{"baseline", func(r *Report) { r.Scenarios[0].Baseline = "../nope" }, `.baseline: baseline name "../nope" is invalid`},
		{"run metric", func(r *Report) { r.Scenarios[0].Variants[0].Runs[0].Metrics["\x1b[31m"] = 1 }, `runs[0].metrics: metric name "\x1b[31m" is invalid`},
		{"summary metric", func(r *Report) { r.Scenarios[0].Variants[0].Summary["../x"] = Summary{} }, `.summary: metric name "../x" is invalid`},
		{"target metric", func(r *Report) { r.Scenarios[0].Targets[0].Metric = "a b" }, `targets[0].metric: metric name "a b" is invalid`},
		{"target variant", func(r *Report) { r.Scenarios[0].Targets[0].Results[0].Variant = "gh\x1bost" }, `variant name "gh\x1bost" is invalid`},
		{"verdict", func(r *Report) { r.Verdict = "pass\x1b[0m" }, `verdict: "pass\x1b[0m" is not a verdict word`},
		{"profile outside", func(r *Report) { r.Scenarios[0].Variants[0].Profile = "../../etc/x.pprof" }, `is not a heap profile file name`},
		{"profile absolute", func(r *Report) { r.Scenarios[0].Variants[0].Profile = "/dev/zero" }, `"/dev/zero" is not a heap profile file name`},
		{"profile not pprof", func(r *Report) { r.Scenarios[0].Variants[0].Profile = "report.json" }, `is not a heap profile file name`},
		{"profile hidden", func(r *Report) { r.Scenarios[0].Variants[0].Profile = "..pprof" }, `is not a heap profile file name`},
		{"profile shared", func(r *Report) {
			r.Scenarios[0].Variants[0].Profile = "a-b-c.pprof"
			r.Scenarios[1].Variants[0].Profile = "a-b-c.pprof"
		}, `"a-b-c.pprof" is also the profile of scenario "trade-records" variant "naive"`},
		{"many problems capped", func(r *Report) {
			for i := range r.Scenarios[0].Variants[0].Runs {
				r.Scenarios[0].Variants[0].Runs[i].Metrics["X"] = 1
			}
			for i := range r.Scenarios[0].Variants[1].Runs {
				r.Scenarios[0].Variants[1].Runs[i].Metrics["Y"] = 1
			}
			for i := range r.Scenarios[0].Variants[2].Runs {
				r.Scenarios[0].Variants[2].Runs[i].Metrics["Z"] = 1
			}
		}, "more problems"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := loadFixture(t)
			tt.change(r)
			err := Validate(r)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("valid report rejected: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidReport) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate = %v\nwant ErrInvalidReport mentioning %s", err, tt.want)
			}
			// The same report through the decoder every reader uses.
			var b bytes.Buffer
			if err := WriteJSON(&b, r); err != nil {
				t.Fatal(err)
			}
			if _, err := DecodeReport(&b); !errors.Is(err, ErrInvalidReport) {
				t.Errorf("DecodeReport accepted it: %v", err)
			}
		})
	}
}

// TestReadReportRefusesUnboundedInput checks that ReadReport refuses a FIFO
// and /dev/zero before reading, and that DecodeReport stops at its bound.
func TestReadReportRefusesUnboundedInput(t *testing.T) {
	paths := map[string]string{}
	if _, err := os.Stat("/dev/zero"); err == nil {
		paths["/dev/zero"] = "character device"
		link := filepath.Join(t.TempDir(), "report.json")
		if err := os.Symlink("/dev/zero", link); err != nil {
			t.Fatal(err)
		}
		paths[link] = "character device"
	}
	if fifo := mkfifo(t); fifo != "" {
		paths[fifo] = "named pipe"
	}
	for p, want := range paths {
		t.Run(p, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := ReadReport(p)
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, safeio.ErrNotRegular) || !strings.Contains(err.Error(), want) {
					t.Errorf("ReadReport(%s) = %v, want a %s refused", p, err, want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("ReadReport did not return within 5 s")
			}
		})
	}
	// An endless stream through the decoder stops at its bound.
	_, err := decodeReport(io.MultiReader(strings.NewReader(`{"schema_version":1,"x":"`), zeros{}), 1<<20)
	if !errors.Is(err, safeio.ErrTooLarge) {
		t.Errorf("DecodeReport of an endless stream = %v, want ErrTooLarge", err)
	}
}

// zeros is an endless stream of '0'.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}

// TestWriteRunReportFirst checks the write order on a full disk: when
// report.json cannot be written, nothing else is; when a later file fails,
// the report is there and the failure is returned.
func TestWriteRunReportFirst(t *testing.T) {
	r := loadFixture(t)
	full := errors.New("no space left on device")
	tests := []struct {
		name     string
		failOn   string
		want     string // files in the directory afterwards
		noReport bool
	}{
		{"report fails", ReportFile, "", true},
		{"summary fails", SummaryFile, "bench.txt bmf.json gha.json report.json", false},
		{"gha fails", GHAFile, "bench.txt bmf.json report.json summary.md", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			var order []string
			err := writeRun(dir, r, func(path string, write func(io.Writer) error) error {
				order = append(order, filepath.Base(path))
				if filepath.Base(path) == tt.failOn {
					return WriteFileAtomic(path, func(w io.Writer) error {
						if err := write(w); err != nil {
							return err
						}
						return full
					})
				}
				return WriteFileAtomic(path, write)
			})
			if !errors.Is(err, full) {
				t.Fatalf("err = %v, want the disk-full error", err)
			}
			if errors.Is(err, ErrReportNotWritten) != tt.noReport {
				t.Errorf("errors.Is(err, ErrReportNotWritten) = %t, want %t", !tt.noReport, tt.noReport)
			}
			if order[0] != ReportFile {
				t.Errorf("wrote %v, want report.json first", order)
			}
			ents, _ := os.ReadDir(dir)
			var names []string
			for _, e := range ents {
				names = append(names, e.Name())
			}
			if got := strings.Join(names, " "); got != tt.want {
				t.Errorf("run directory holds %q, want %q", got, tt.want)
			}
		})
	}
}

// TestPercentDigits checks that percentages keep enough digits to tell the
// truth: a reduction of 0.999999 is not -100%, 0.04% is not -0%, and no
// change is "+0.0%", never "-0.0%".
func TestPercentDigits(t *testing.T) {
	tests := []struct {
		give    float64
		delta   string // FormatDelta
		trimmed string // trimPct, as target lines show a reduction
	}{
		{-0.999999, "-99.9999%", "-99.9999%"},
		{0.999999, "+99.9999%", "99.9999%"},
		{-0.004, "-0.4%", "-0.4%"},
		{-0.0004, "-0.04%", "-0.04%"},
		{0.33, "+33.0%", "33%"},
		{-1, "-100.0%", "-100%"},
		{0, "+0.0%", "0%"},
		{math.Copysign(0, -1), "+0.0%", "0%"},
		{-0.123456, "-12.3%", "-12.3%"},
		{1e-12, "+0.000000%", "0%"},
	}
	for _, tt := range tests {
		t.Run(tt.delta, func(t *testing.T) {
			if got := FormatDelta(tt.give); got != tt.delta {
				t.Errorf("FormatDelta(%g) = %s, want %s", tt.give, got, tt.delta)
			}
			if got := trimPct(tt.give); got != tt.trimmed {
				t.Errorf("trimPct(%g) = %s, want %s", tt.give, got, tt.trimmed)
			}
		})
	}
}
