package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/memprism/memprism/results"
)

// TestCoCheck runs issue 10's co-check scenario through the CLI: the
// overloaded worker pool's p95 latency shows the backlog (hundreds of ms),
// its runs are marked overloaded in report.json, the terminal table and
// summary.md, its achieved rate is reported, and a target that its figures
// would meet (ops_per_sec >= 1) is not a pass.
func TestCoCheck(t *testing.T) {
	out := t.TempDir()
	res := memprism(t, "run", "-q", "-out", out, filepath.Join("testdata", "e2e", "co-check.yaml"))
	if res.code != 1 || res.report == nil {
		t.Fatalf("exit %d, want 1 with a report\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	sc := res.report.Scenarios[0]
	pool := sc.VariantByName("worker-pool")
	if pool == nil || len(pool.Runs) != 1 {
		t.Fatalf("worker-pool variant: %+v", pool)
	}
	run := pool.Runs[0]
	m := run.Metrics
	if !run.Overloaded {
		t.Errorf("worker-pool run not marked overloaded: offered %v achieved %v", m[results.OfferedRate], m[results.AchievedRate])
	}
	if m[results.OfferedRate] != 20000 || !(m[results.AchievedRate] > 0 && m[results.AchievedRate] < 0.95*20000) {
		t.Errorf("offered %v, achieved %v", m[results.OfferedRate], m[results.AchievedRate])
	}
	if p95 := m[results.LatencyP95Seconds]; p95 < 0.2 {
		t.Errorf("worker-pool p95 latency %.3fs hides the backlog (service p95 %.4fs)", p95, m[results.ServiceP95Seconds])
	}
	for _, k := range []string{results.LatencyP999Seconds, results.ServiceP95Seconds, results.SendLagP95Seconds, results.MessagesLate, results.MessagesUnsent} {
		if _, ok := m[k]; !ok {
			t.Errorf("metric %s missing", k)
		}
	}
	if pool.Load == nil || len(pool.Load.TSeconds) < 10 || len(pool.Load.LatencyP99) != len(pool.Load.TSeconds) {
		t.Errorf("load series: %+v", pool.Load)
	}
	for _, tg := range sc.Targets {
		for _, r := range tg.Results {
			if r.Verdict == results.Pass {
				t.Errorf("target %s passed on an overloaded run: %s", tg.Metric, r.Reason)
			}
		}
	}
	if tg := sc.Targets[1]; tg.Results[0].Verdict != results.Fail || !strings.Contains(tg.Results[0].Reason, "overloaded") {
		t.Errorf("ops_per_sec >= 1 on an overloaded run: %s (%s), want fail because overloaded", tg.Results[0].Verdict, tg.Results[0].Reason)
	}
	if !strings.Contains(res.stdout, "overloaded") || !strings.Contains(res.stdout, "achieved") {
		t.Errorf("terminal table does not show the overload:\n%s", res.stdout)
	}
	md, err := os.ReadFile(filepath.Join(res.dir, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "### Load") || !strings.Contains(string(md), "| worker-pool | 20.0k ops/s |") || !strings.Contains(string(md), "**yes** (1 of 1 runs)") {
		t.Errorf("summary.md does not show the load table with the overload:\n%s", md)
	}
	if !strings.Contains(string(md), "![co-check-latency](co-check-latency.png)") {
		t.Error("summary.md does not show the latency chart")
	}
	if fi, err := os.Stat(filepath.Join(res.dir, "co-check-latency.png")); err != nil || fi.Size() < 1000 {
		t.Errorf("latency chart: %v", err)
	}
}

// TestValidateMessagesDuration: messages and duration both 0 is a load
// error (exit 2); a count that ends the run before its duration is a warning
// (exit 0) at file:line:col.
func TestValidateMessagesDuration(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.yaml", "name: bad\nworkload: fanout\nparams: {messages: 0, duration: 0s}\nvariants:\n  - {name: a}\n")
	res := memprism(t, "validate", bad)
	if res.code != 2 || !strings.Contains(res.stderr, "bad.yaml:3:1: params: messages and duration are both 0") {
		t.Errorf("exit %d, stderr %q", res.code, res.stderr)
	}
	warn := write("warn.yaml", "name: warn\nworkload: fanout\nparams: {rate: 10000, duration: 3s}\nvariants:\n  - {name: a}\n")
	res = memprism(t, "validate", warn)
	if res.code != 0 || !strings.Contains(res.stderr, "warn.yaml:3:1: warning: params: messages 20000 at rate 10000/s are all sent after 2s, before duration 3s ends") {
		t.Errorf("exit %d, stderr %q", res.code, res.stderr)
	}
}
