package harness

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/memprism/memprism/internal/worker"
	"github.com/memprism/memprism/scenarios"
)

// suiteOf is a suite of one scenario with n variants and the run settings rs.
func suiteOf(n int, rs scenarios.RunSettings, probes int) *scenarios.Suite {
	sc := &scenarios.Scenario{Name: "big", Workload: "fault", Run: rs, Leak: scenarios.LeakSettings{Threshold: scenarios.MiB, ProbeRuns: probes}}
	sc.Variants = make([]scenarios.Variant, n)
	for i := range sc.Variants {
		sc.Variants[i].Name = "v" + strconv.Itoa(i)
	}
	return &scenarios.Suite{Scenarios: []*scenarios.Scenario{sc}}
}

func TestCheckPlan(t *testing.T) {
	rs := scenarios.DefaultRun
	tests := []struct {
		name  string
		suite *scenarios.Suite
		opts  Options
		want  int
		err   string
	}{
		{"default", suiteOf(3, rs, 3), Options{}, 3 * (10 + 1 + 3), ""},
		{"reps override", suiteOf(2, rs, 0), Options{Repetitions: 20}, 2 * 21, ""},
		{"quick", suiteOf(2, rs, 1), Options{Quick: true}, 2 * (QuickRepetitions + 1), ""},
		{"-reps 2000000000", suiteOf(2, rs, 3), Options{Repetitions: 2_000_000_000}, 0, "-reps) 2000000000 is more than the 10000"},
		{"negative -reps", suiteOf(2, rs, 3), Options{Repetitions: -1}, 0, "negative"},
		{"40000 variants x 10000 reps", suiteOf(40_000, scenarios.RunSettings{Repetitions: 10_000}, 0), Options{}, 0,
			"plans 400000000 runs, more than the 100000 a suite may have (big: 400000000 runs = 40000 variants × (10000 repetitions + 0 warm-up + 0 leak probes))"},
		{"at the bound", suiteOf(10, scenarios.RunSettings{Repetitions: 10_000}, 0), Options{}, MaxRuns, ""},
		{"one past the bound", suiteOf(10, scenarios.RunSettings{Repetitions: 9_999, Warmup: 1}, 1), Options{}, 0, "plans 100010 runs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			got, err := CheckPlan(tt.suite, tt.opts)
			if tt.err == "" && (err != nil || got != tt.want) {
				t.Errorf("CheckPlan = %d, %v; want %d", got, err, tt.want)
			}
			if tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("CheckPlan = %d, %v; want an error containing %q", got, err, tt.err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("CheckPlan took %s", d)
			}
		})
	}
}

// TestRunRefusesHugePlanAtOnce: Run refuses a plan past the bounds before
// starting or writing anything.
func TestRunRefusesHugePlanAtOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	for _, tt := range []struct {
		name  string
		suite *scenarios.Suite
		opts  Options
	}{
		{"40000 variants x 10000 reps", suiteOf(40_000, scenarios.RunSettings{Repetitions: 10_000, Timeout: time.Second}, 0), Options{Dir: dir}},
		{"-reps 2000000000", suiteOf(2, scenarios.DefaultRun, 3), Options{Dir: dir, Repetitions: 2_000_000_000}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			rep, err := Run(context.Background(), tt.suite, tt.opts)
			if err == nil || rep != nil {
				t.Fatalf("Run = %v, %v; want no report and an error", rep, err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("refusing took %s", d)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("run directory created for a refused plan: %v", err)
			}
		})
	}
}

func TestPlanRunsOrderAndLaziness(t *testing.T) {
	var got []string
	for pr := range planRuns([]string{"a", "b"}, 1, 2, 1) {
		s := pr.variant + strconv.Itoa(pr.index)
		switch {
		case pr.warmup:
			s = "w" + s
		case pr.probe:
			s = "p" + s
		}
		got = append(got, s)
	}
	if g, want := strings.Join(got, " "), "wa0 wb0 a1 b1 a2 b2 pa0 pb0"; g != want {
		t.Errorf("plan %q, want %q", g, want)
	}
	// A plan of 4e8 runs yields its first runs at once, holding none of it.
	variants := make([]string, 40_000)
	for i := range variants {
		variants[i] = "v" + strconv.Itoa(i)
	}
	n := 0
	for range planRuns(variants, 0, 10_000, 0) {
		if n++; n == 5 {
			break
		}
	}
	if n != 5 {
		t.Errorf("yielded %d runs before stopping, want 5", n)
	}
}

// The scenario schema and the worker seam bound timeouts alike.
func TestTimeoutBoundsAgree(t *testing.T) {
	if scenarios.MaxTimeout != worker.MaxTimeout {
		t.Errorf("scenarios.MaxTimeout %s, worker.MaxTimeout %s", scenarios.MaxTimeout, worker.MaxTimeout)
	}
}
