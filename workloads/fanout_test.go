package workloads

import (
	"strings"
	"testing"
	"time"
)

// TestFanoutOpenModel is the co-check of issue 10 in-process: 20k msg/s
// offered to two workers behind a 16-slot queue, each message hashed 400
// times over 1KiB (about 0.4ms of CPU: the pool serves a few thousand a
// second at most). The sender blocks, so a closed-loop measurement would
// report the service time; measured from the intended times, p95 latency
// shows the backlog, the run is overloaded and the achieved rate says how
// far short it fell.
func TestFanoutOpenModel(t *testing.T) {
	for _, mode := range []string{FanoutWorkerPool, FanoutPerMessage} {
		t.Run(mode, func(t *testing.T) {
			res, err := runKind(t, "fanout", map[string]any{"rate": 20000, "duration": "500ms", "messages": 0,
				"work": 400, "payload": "1KiB", "mode": mode, "workers": 2, "queue": 16})
			if err != nil {
				t.Fatal(err)
			}
			st := res.LoadStats()
			if st == nil {
				t.Fatal("no load stats")
			}
			if !st.Overloaded || st.OfferedRate != 20000 || st.AchievedRate >= 0.95*20000 {
				t.Errorf("overloaded %v: offered %.0f/s, achieved %.0f/s", st.Overloaded, st.OfferedRate, st.AchievedRate)
			}
			if st.Latency.P95 < 200*time.Millisecond {
				t.Errorf("p95 latency %s hides a backlog of %.0f%% of the offered load (service p95 %s)",
					st.Latency.P95, 100*(1-st.AchievedRate/st.OfferedRate), st.Service.P95)
			}
			if res.Latency().P95 != st.Latency.P95 || res.Ops() != st.Completed {
				t.Errorf("result latency p95 %s ops %d, load p95 %s completed %d", res.Latency().P95, res.Ops(), st.Latency.P95, st.Completed)
			}
			checkLatency(t, res)
		})
	}
}

// TestFanoutPoisson: Poisson arrivals offer what fell within the window,
// and every message sent is finished and recorded.
func TestFanoutPoisson(t *testing.T) {
	res, err := runKind(t, "fanout", map[string]any{"rate": 2000, "duration": "300ms", "messages": 0, "mode": FanoutWorkerPool, "arrivals": ArrivalsPoisson})
	if err != nil {
		t.Fatal(err)
	}
	st := res.LoadStats()
	if st.Sent+st.Unsent != st.Offered || st.Completed != st.Sent || st.Latency.Count != st.Sent || res.Ops() != st.Sent {
		t.Errorf("offered %d sent %d completed %d unsent %d, latency count %d, ops %d", st.Offered, st.Sent, st.Completed, st.Unsent, st.Latency.Count, res.Ops())
	}
	if st.Offered < 450 || st.Offered > 750 {
		t.Errorf("%d Poisson arrivals in 300ms at 2000/s", st.Offered)
	}
}

func TestFanoutPlanChecks(t *testing.T) {
	for _, tc := range []struct {
		name     string
		give     map[string]any
		wantErr  string
		wantWarn string
	}{
		{name: "count", give: map[string]any{"messages": 100}},
		{name: "window", give: map[string]any{"messages": 0, "duration": "3s", "rate": 1000}},
		{name: "no end", give: map[string]any{"messages": 0, "duration": "0s"}, wantErr: "messages and duration are both 0"},
		{name: "default count ends a 3s window at 2s", give: map[string]any{"duration": "3s", "rate": 10000},
			wantWarn: "messages 20000 at rate 10000/s are all sent after 2s, before duration 3s ends"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			warns, err := Default.CheckParams("fanout", tc.give)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			if tc.wantWarn == "" && len(warns) != 0 || tc.wantWarn != "" && (len(warns) != 1 || !strings.Contains(warns[0].Error(), tc.wantWarn)) {
				t.Fatalf("warnings %v, want %q", warns, tc.wantWarn)
			}
		})
	}
}
