package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/results"
)

// TestCustomWorkloadBinary builds this example and runs its scenario through
// the full CLI: the binary must serve as its own isolated worker and judge the
// registered kind like a built-in one.
func TestCustomWorkloadBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "custom-workload")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	list, err := exec.Command(bin, "list").Output()
	kinds, embedded, _ := strings.Cut(string(list), "Embedded scenarios")
	if err != nil || !strings.Contains(kinds, "quote-format:") {
		t.Fatalf("list does not show the registered kind (err %v):\n%s", err, list)
	}
	// The embedded scenarios are the binary's own, not memprism's suite.
	if !strings.Contains(embedded, "quote-format") || strings.Contains(embedded, "trade-records") {
		t.Fatalf("list shows other embedded scenarios than quotes.yaml:\n%s", embedded)
	}
	// A bare run runs the embedded quotes.yaml.
	cmd := exec.Command(bin, "run", "-quick", "-no-plots", "-out", dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("run: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	last := strings.TrimSpace(stdout.String())
	path, ok := strings.CutPrefix(last[strings.LastIndex(last, "\n")+1:], "report: ")
	if !ok {
		t.Fatalf("last line is not the report path:\n%s", stdout.String())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep results.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	sc := rep.Scenarios[0]
	if sc.Workload != "quote-format" || sc.Verdict != results.Pass {
		t.Errorf("scenario %s verdict %s, want quote-format pass; targets %+v", sc.Workload, sc.Verdict, sc.Targets)
	}
	for _, v := range sc.Variants {
		if len(v.Runs) != 6 || v.Summary["allocs_per_op"].Median <= 0 && v.Name == "concat" {
			t.Errorf("variant %s: %d runs, allocs/op %v", v.Name, len(v.Runs), v.Summary["allocs_per_op"])
		}
		// The snapshot and the kind's own metric reach the report.
		for _, m := range []string{"snapshot.recent.live_heap_bytes", "write_calls_per_quote"} {
			if v.Summary[m].N != 6 {
				t.Errorf("variant %s: metric %s summarized over %d runs, want 6", v.Name, m, v.Summary[m].N)
			}
		}
	}
	// The report describes them with unit and direction.
	for _, m := range []string{"snapshot.recent.live_heap_bytes", "write_calls_per_quote"} {
		info, ok := sc.MetricInfo(m)
		if !ok || info.Direction != metric.LowerIsBetter {
			t.Errorf("report describes %s as %+v (found %v), want lower is better", m, info, ok)
		}
	}
}
