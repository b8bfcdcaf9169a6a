package profiler_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/memprism/memprism/profiler"
)

var buffers [][]byte

// The one-line form for a service or a test: start, defer Stop, analyse.
func Example() {
	p := profiler.MustStart(profiler.Options{Interval: time.Millisecond})
	for range 20 {
		buffers = append(buffers, make([]byte, 64<<10))
		time.Sleep(time.Millisecond)
	}
	p.Stop()
	sum := p.Summary()
	fmt.Println("sampled:", sum.Samples > 1)
	fmt.Println("allocated at least 1 MiB:", sum.TotalAllocBytes >= 20*64<<10)
	buffers = nil
	// Output:
	// sampled: true
	// allocated at least 1 MiB: true
}

// Run profiles one function and returns the stopped profiler.
func ExampleRun() {
	p, err := profiler.Run(context.Background(), profiler.Options{}, func(ctx context.Context) error {
		buffers = append(buffers, make([]byte, 1<<20))
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	buffers = nil
	fmt.Println(p.Summary().TotalAllocBytes >= 1<<20)
	// Output: true
}

// DetectLeakSeries judges a live-heap series on its own, for example a timeline
// collected elsewhere: here 60 s of a heap leaking 1 MiB/s past a 5 MiB floor, with a
// GC every 0.5 s.
func ExampleDetectLeakSeries() {
	var t, live []float64
	for i := 0; i <= 120; i++ {
		sec := float64(i) / 2
		t = append(t, sec)
		live = append(live, 50<<20+sec*(1<<20)+float64(i%3)*(100<<10))
	}
	leak := profiler.DetectLeakSeries(t, live, profiler.LeakOptions{Threshold: 5 << 20})
	fmt.Printf("detected=%v severity=%s window=%.0fs..%.0fs cycles=%d growth=%.0f MiB\n",
		leak.Detected, leak.Severity, leak.Window.StartSeconds, leak.Window.EndSeconds,
		leak.Window.GCCycles, leak.GrowthBytes/(1<<20))
	// Output: detected=true severity=medium window=12s..60s cycles=97 growth=48 MiB
}

// A series with too few GC cycles is not judged: no leak is claimed, and the reason
// says why.
func ExampleDetectLeakSeries_tooFewCycles() {
	t := []float64{0, 10, 20, 30, 40, 50, 60}
	live := []float64{10 << 20, 20 << 20, 30 << 20, 40 << 20, 50 << 20, 60 << 20, 70 << 20}
	leak := profiler.DetectLeakSeries(t, live, profiler.LeakOptions{})
	fmt.Println(leak.Detected, leak.Inconclusive)
	fmt.Println(leak.Reason)
	// Output:
	// false true
	// too few GC cycles in the steady state to judge: 5 GC cycles in the window, 10 needed
}

// Compare two snapshots: deltas, elapsed time and growth rate.
func ExampleCompare() {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := profiler.Snapshot{Label: "before", Sample: profiler.Sample{UnixNano: t0.UnixNano(), Elapsed: time.Second, HeapBytes: 10 << 20}}
	b := profiler.Snapshot{Label: "after", Sample: profiler.Sample{UnixNano: t0.Add(2 * time.Second).UnixNano(), Elapsed: 3 * time.Second, HeapBytes: 14 << 20}}
	c := profiler.Compare(a, b)
	fmt.Printf("%s -> %s: %+d MiB in %v, %.0f MiB/s\n", c.From, c.To, c.Delta.HeapBytes>>20, c.Delta.Elapsed, c.GrowthRateBytesPerSec/(1<<20))
	// Output: before -> after: +4 MiB in 2s, 2 MiB/s
}

// MannKendall and TheilSen are the trend test and slope behind leak detection.
func ExampleMannKendall() {
	y := []float64{1, 2, 3, 5, 4, 6, 7, 8}
	s, _, p := profiler.MannKendall(y)
	x := []float64{0, 1, 2, 3, 4, 5, 6, 7}
	fmt.Printf("S=%.0f p=%.4f slope=%.2f\n", s, p, profiler.TheilSen(x, y))
	// Output: S=26 p=0.0002 slope=1.00
}

// WriteHeapProfile writes the raw profile for `go tool pprof`.
func ExampleProfiler_WriteHeapProfile() {
	p := profiler.New(profiler.Options{})
	f, err := os.CreateTemp("", "heap-*.pprof")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.Remove(f.Name())
	defer f.Close()
	fmt.Println(p.WriteHeapProfile(f))
	// Output: <nil>
}
