package scenarios_test

import (
	"strings"
	"testing"

	"github.com/memprism/memprism/scenarios"
	"github.com/memprism/memprism/workloads"
)

// TestLatencyTargetNeedsLatency checks that a latency target on a workload
// kind that measures no per-message latency is a load error with its
// position (it used to validate and then read "inconclusive: no successful
// runs" with a median of 0 s), while the same target on a message workload
// is accepted.
func TestLatencyTargetNeedsLatency(t *testing.T) {
	reg := workloads.Default
	var without, with string
	for _, k := range reg.Kinds() {
		switch {
		case k.Messages && with == "":
			with = k.Name
		case !k.Messages && without == "":
			without = k.Name
		}
	}
	if without == "" || with == "" {
		t.Fatalf("want kinds with and without latency, have with=%q without=%q", with, without)
	}
	doc := func(kind, metric string) string {
		return "name: lat\nworkload: " + kind + "\nvariants:\n  - name: a\ntargets:\n  - metric: " + metric + "\n    max: 100ms\n"
	}
	for _, m := range []string{"latency_p50_seconds", "latency_p95_seconds", "latency_p99_seconds", "latency_p999_seconds", "service_p95_seconds", "send_lag_p95_seconds"} {
		t.Run(m, func(t *testing.T) {
			_, err := scenarios.Parse("lat.yaml", []byte(doc(without, m)), reg)
			want := "lat.yaml:6:13: metric " + m + " is measured per message, and workload " + without + " measures no per-message latency; latency targets are allowed on the workloads "
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), with) {
				t.Errorf("Parse error %v\nwant %s... naming %s", err, want, with)
			}
		})
	}
	if _, err := scenarios.Parse("lat.yaml", []byte(doc(with, "latency_p95_seconds")), reg); err != nil && strings.Contains(err.Error(), "measured per message") {
		t.Errorf("latency target refused on %s, which measures latency: %v", with, err)
	}
}
