package profiler

import (
	"runtime"
	"slices"
	"testing"
	"time"
)

// BenchmarkSample is one background sample: runtime/metrics read, RSS read, record.
func BenchmarkSample(b *testing.B) {
	p := New(Options{})
	p.start = time.Now()
	var s Sample
	b.ReportAllocs()
	for b.Loop() {
		p.sample(&s)
	}
}

// BenchmarkSnapshot is a labelled snapshot without a heap profile.
func BenchmarkSnapshot(b *testing.B) {
	p := MustStart(Options{Interval: time.Hour})
	defer p.Stop()
	b.ReportAllocs()
	for b.Loop() {
		p.Snapshot("bench")
		p.mu.Lock()
		p.snapshots = p.snapshots[:0]
		p.mu.Unlock()
	}
}

// BenchmarkDetectLeaks judges a full profiler (4096 samples, 4096 GC points).
func BenchmarkDetectLeaks(b *testing.B) {
	p := New(Options{})
	for i := range 20000 {
		p.record(Sample{Elapsed: time.Duration(i) * time.Millisecond, GCCycles: uint64(i / 3), LiveHeapBytes: uint64(1e7 + i%977), Goroutines: 10})
	}
	b.ReportAllocs()
	for b.Loop() {
		p.DetectLeaks(LeakOptions{})
	}
}

type rec struct {
	id    int
	price float64
	sym   string
	tags  []byte
}

var benchSink int

// liveBook is the workload's long-lived state: 16 MiB in 4 KiB records, like an
// order book or symbol cache. Without it the benchmark's live heap would be tiny and
// the GC's 4 MiB minimum heap would dominate: any extra live memory (the profiler's
// 0.5 MB series) would then shrink the allocation headroom between GCs and show up
// as a several-percent "overhead" that no real service with a live heap would see.
var liveBook [][]byte

func keepBook() {
	if liveBook == nil {
		liveBook = make([][]byte, (16<<20)/4096)
		for i := range liveBook {
			liveBook[i] = make([]byte, 4096)
		}
	}
}

// overheadWork is a CPU- and allocation-heavy unit: build, sort and fold 512 records.
func overheadWork() int {
	recs := make([]*rec, 0, 512)
	for i := range 512 {
		recs = append(recs, &rec{id: i, price: float64((i*7919)%1000) * 1.5, sym: "BTC-USDT", tags: make([]byte, 48)})
	}
	slices.SortFunc(recs, func(a, b *rec) int {
		switch {
		case a.price < b.price:
			return -1
		case a.price > b.price:
			return 1
		}
		return a.id - b.id
	})
	sum := 0
	for _, r := range recs {
		sum += r.id + len(r.tags) + len(r.sym)
	}
	return sum
}

// BenchmarkOverhead runs the same workload without and with the profiler sampling at
// 1 ms; compare the two with benchstat.
func BenchmarkOverhead(b *testing.B) {
	keepBook()
	b.Run("off", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchSink += overheadWork()
		}
	})
	b.Run("on-1ms", func(b *testing.B) {
		p := MustStart(Options{Interval: time.Millisecond})
		b.ReportAllocs()
		for b.Loop() {
			benchSink += overheadWork()
		}
		b.StopTimer()
		p.Stop()
		if s := p.Summary(); s.Samples < 2 && b.N > 1000 {
			b.Fatalf("profiler took %d samples", s.Samples)
		}
	})
}

// timeBlock times n workload ops, starting from a freshly collected heap so that
// garbage left by whatever ran before (a profiler's Start parses a heap profile) is
// not billed to the block.
func timeBlock(n int) time.Duration {
	runtime.GC()
	t0 := time.Now()
	for range n {
		benchSink += overheadWork()
	}
	return time.Since(t0)
}

// BenchmarkOverheadPaired measures the profiler's cost as paired blocks: each
// iteration times 1000 workload ops (about 0.15 s) without and 1000 with a profiler
// sampling at 1 ms, order alternating, so machine drift hits both sides alike. It
// reports the median per-pair time ratio as on/off-ratio (1.02 = 2% slower) and both
// sides' time per workload op; its own ns/op is the time of a whole pair.
func BenchmarkOverheadPaired(b *testing.B) {
	keepBook()
	const block = 1000
	var ratios []float64
	var offT, onT time.Duration
	i := 0
	for b.Loop() {
		var off, on time.Duration
		if i%2 == 0 {
			off = timeBlock(block)
		}
		p := MustStart(Options{Interval: time.Millisecond})
		on = timeBlock(block)
		p.Stop()
		if i%2 == 1 {
			off = timeBlock(block)
		}
		i++
		offT += off
		onT += on
		ratios = append(ratios, float64(on)/float64(off))
	}
	b.ReportMetric(median(ratios), "on/off-ratio")
	b.ReportMetric(float64(offT.Nanoseconds())/float64(i*block), "off-ns/op")
	b.ReportMetric(float64(onT.Nanoseconds())/float64(i*block), "on-ns/op")
}
