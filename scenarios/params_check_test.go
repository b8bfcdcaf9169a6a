package scenarios_test

import (
	"strings"
	"testing"

	"github.com/memprism/memprism/scenarios"
	"github.com/memprism/memprism/workloads"
)

// TestParamsCheck: params that cannot run together are load errors, and
// params that run but not as meant are warnings, each at file:line:col.
func TestParamsCheck(t *testing.T) {
	for _, tc := range []struct {
		name      string
		give      string
		wantErrs  []string
		wantWarns []string
	}{
		{
			name:     "no end is an error at the shared params",
			give:     "name: x\nworkload: fanout\nparams: {messages: 0, duration: 0s}\nvariants:\n  - {name: a}\n  - {name: b, params: {mode: worker-pool}}\nbaseline: a\n",
			wantErrs: []string{"x.yaml:3:1: params: messages and duration are both 0"},
		},
		{
			name:     "no end in one variant is an error at its params",
			give:     "name: x\nworkload: fanout\nparams: {duration: 1s, messages: 0}\nvariants:\n  - {name: a}\n  - {name: b, params: {duration: 0s}}\nbaseline: a\n",
			wantErrs: []string{`x.yaml:6:15: variant "b" params: messages and duration are both 0`},
		},
		{
			name:      "a default count that ends the window early is one warning",
			give:      "name: x\nworkload: fanout\nparams: {rate: 10000, duration: 3s}\nvariants:\n  - {name: a, params: {mode: per-message}}\n  - {name: b, params: {mode: worker-pool}}\nbaseline: a\n",
			wantWarns: []string{"x.yaml:3:1: warning: params: messages 20000 at rate 10000/s are all sent after 2s, before duration 3s ends"},
		},
		{
			name: "count and window that agree are fine",
			give: "name: x\nworkload: fanout\nparams: {rate: 10000, duration: 2s, messages: 20000}\nvariants:\n  - {name: a}\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := scenarios.Parse("x.yaml", []byte(tc.give), workloads.Default)
			var got []string
			for _, e := range scenarios.Errors(err) {
				got = append(got, e.Error())
			}
			checkLines(t, "errors", got, tc.wantErrs)
			if err != nil {
				return
			}
			got = nil
			for _, w := range sc.Warnings {
				got = append(got, w.Error())
			}
			checkLines(t, "warnings", got, tc.wantWarns)
		})
	}
}

func checkLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %q, want %d starting %q", what, got, len(want), want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("%s[%d] = %q, want prefix %q", what, i, got[i], want[i])
		}
	}
}
