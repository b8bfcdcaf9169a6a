package plots

import (
	"bytes"
	"io"
	"math"
	"testing"

	"github.com/memprism/memprism/results"
)

// FuzzTicks checks the axis tickers on any range: a bounded number of ticks,
// quickly, never a loop (a timeline spanning -1e308..1e308 once hung plot).
func FuzzTicks(f *testing.F) {
	for _, r := range [][2]float64{{0, 1}, {-1e308, 1e308}, {1e20, 1e20 + 1e5}, {0, math.MaxFloat64}, {5, 5}, {1, -1}, {math.Inf(-1), math.NaN()}} {
		f.Add(r[0], r[1])
	}
	f.Fuzz(func(t *testing.T, lo, hi float64) {
		if n := len(niceTicks("").Ticks(lo, hi)); n > 200 {
			t.Fatalf("niceTicks(%g, %g): %d ticks", lo, hi, n)
		}
		if n := len(guardedTicker{niceTicks("")}.Ticks(lo, hi)); n > 200 {
			t.Fatalf("guarded niceTicks(%g, %g): %d ticks", lo, hi, n)
		}
	})
}

// FuzzPlotReport draws the charts `plot` draws for a report.json it read
// (decoded, bounded and validated as the command does); nothing may panic or
// hang. Reports are kept small so that each draw takes milliseconds.
func FuzzPlotReport(f *testing.F) {
	f.Add([]byte(`{"schema_version":1,"scenarios":[{"name":"a","baseline":"x","run":{"gogc":100},"variants":[{"name":"x","summary":{"peak_heap_bytes":{"median":1e308,"ci_low":-1e308,"ci_high":1e308,"n":9}},"timeline":{"t_seconds":[-1e308,1e308],"heap_bytes":[1,2],"rss_bytes":[1e308,1]}},{"name":"y","summary":{"peak_heap_bytes":{"median":5,"ci_low":4,"ci_high":6,"n":9}},"top_allocations":[{"function":"main.f","file":"x.go","line":1,"alloc_bytes":10,"share":0.5}]}],"targets":[{"metric":"peak_heap_bytes","reduction":0.33,"results":[{"variant":"y","verdict":"pass"}]}]}]}`))
	f.Add([]byte(`{"schema_version":1,"scenarios":[{"name":"b","variants":[{"name":"z","timeline":{"t_seconds":[1e20,1.0000000000000001e20],"heap_bytes":[0,0]}}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		r, err := results.DecodeReport(bytes.NewReader(data))
		if err != nil || len(r.Scenarios) == 0 || len(r.Scenarios) > 2 {
			return
		}
		for i := range r.Scenarios {
			s := &r.Scenarios[i]
			if len(s.Variants) > 4 {
				return
			}
			for _, draw := range []func(io.Writer, *results.Scenario) error{Timeline, Compare, Hotspots} {
				draw(io.Discard, s) // an error is fine (no data); a panic or a hang is not
			}
		}
	})
}
