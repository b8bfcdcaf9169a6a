package profiler

import (
	"math"
	"testing"
	"time"
	"unsafe"
)

func TestLTTBIndices(t *testing.T) {
	y := make([]float64, 1000)
	for i := range y {
		y[i] = math.Sin(float64(i) / 50)
	}
	y[537] = 100 // a spike LTTB must keep
	x := func(i int) float64 { return float64(i) }
	yf := func(i int) float64 { return y[i] }
	tests := []struct {
		name string
		n, m int
		want int
	}{
		{"fewer points than asked", 10, 20, 10},
		{"halve", 1000, 500, 500},
		{"strong reduction", 1000, 50, 50},
		{"m below 3 keeps ends", 1000, 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lttbIndices(tt.n, tt.m, x, yf, nil)
			if len(got) != tt.want {
				t.Fatalf("kept %d, want %d", len(got), tt.want)
			}
			if got[0] != 0 || got[len(got)-1] != tt.n-1 {
				t.Errorf("ends %d..%d, want 0..%d", got[0], got[len(got)-1], tt.n-1)
			}
			for i := 1; i < len(got); i++ {
				if got[i] <= got[i-1] {
					t.Fatalf("indices not increasing at %d: %v", i, got[i-1:i+1])
				}
			}
			if tt.n == 1000 && tt.m >= 3 {
				found := false
				for _, i := range got {
					found = found || i == 537
				}
				if !found {
					t.Errorf("spike at 537 dropped")
				}
			}
		})
	}
}

// TestBoundedMemory feeds ten minutes of 1 ms samples (600k) through a profiler's
// series and checks what is retained: bounded, spread over the whole run, and under
// 2 MB of memory held.
func TestBoundedMemory(t *testing.T) {
	p := New(Options{Interval: time.Millisecond})
	capBefore := cap(p.samples.buf)
	const n = 600_000
	var gc uint64
	for i := range n {
		if i%7 == 0 {
			gc++
		}
		p.mu.Lock()
		s := Sample{Elapsed: time.Duration(i) * time.Millisecond, HeapBytes: uint64(1e6 + i%1000), GCCycles: gc, LiveHeapBytes: uint64(i)}
		if i == n-1 {
			p.recordFinal(s)
		} else {
			p.record(s)
		}
		p.mu.Unlock()
	}
	buf := p.samples.buf
	if got := len(buf); got > DefaultMaxSamples || got < DefaultMaxSamples/2 {
		t.Errorf("retained %d samples, want within [%d, %d]", got, DefaultMaxSamples/2, DefaultMaxSamples)
	}
	if cap(buf) != capBefore || cap(p.gcs.buf) != DefaultMaxSamples {
		t.Errorf("buffers grew: samples cap %d -> %d, gc cap %d", capBefore, cap(buf), cap(p.gcs.buf))
	}
	if buf[0].Elapsed != 0 || buf[len(buf)-1].Elapsed != (n-1)*time.Millisecond {
		t.Errorf("retained span %v..%v, want 0..%v", buf[0].Elapsed, buf[len(buf)-1].Elapsed, (n-1)*time.Millisecond)
	}
	// Evenly spread: no gap much larger than the mean gap.
	mean := buf[len(buf)-1].Elapsed / time.Duration(len(buf)-1)
	for i := 1; i < len(buf); i++ {
		if gap := buf[i].Elapsed - buf[i-1].Elapsed; gap > 4*mean {
			t.Fatalf("gap %v at %d, mean gap %v: retained series not spread evenly", gap, i, mean)
		}
	}
	held := uintptr(cap(p.samples.buf))*unsafe.Sizeof(Sample{}) +
		uintptr(cap(p.gcs.buf))*unsafe.Sizeof(gcPoint{}) +
		uintptr(cap(p.reducer.idx))*unsafe.Sizeof(int(0))
	t.Logf("retained %d samples, %d GC points; memory held by the series %d bytes", len(buf), len(p.gcs.buf), held)
	if held >= 2<<20 {
		t.Errorf("series hold %d bytes, want < 2 MiB", held)
	}
	if sum := p.Summary(); sum.Samples != n || sum.PeakHeapBytes != 1e6+999 {
		t.Errorf("summary over every sample: n=%d peak=%d, want %d and %d", sum.Samples, sum.PeakHeapBytes, n, int(1e6+999))
	}
}

func TestDownsample(t *testing.T) {
	s := make([]Sample, 100)
	for i := range s {
		s[i] = Sample{Elapsed: time.Duration(i), HeapBytes: uint64(i * i)}
	}
	got := Downsample(s, 10)
	if len(got) != 10 || got[0].Elapsed != 0 || got[9].Elapsed != 99 {
		t.Errorf("Downsample kept %d, ends %v %v", len(got), got[0].Elapsed, got[len(got)-1].Elapsed)
	}
	if s[1].Elapsed != 1 {
		t.Errorf("Downsample modified its input")
	}
	if got := Downsample(s, 200); len(got) != 100 {
		t.Errorf("Downsample to more points kept %d, want 100", len(got))
	}
}
