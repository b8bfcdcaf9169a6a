package profiler

import (
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
