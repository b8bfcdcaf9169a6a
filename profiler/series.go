package profiler

import "math"

// bounded keeps at most cap(buf) values of a series. When it is full it reduces the
// buffer to half with reduce and doubles its stride, so later values are kept one in
// stride: the retained points stay spread evenly over the whole run.
type bounded[T any] struct {
	buf    []T
	stride int
	skip   int
	total  int
	reduce func(buf []T, m int) []T
}

func newBounded[T any](capacity int, reduce func([]T, int) []T) bounded[T] {
	return bounded[T]{buf: make([]T, 0, capacity), stride: 1, reduce: reduce}
}

// add offers a value; it is kept when the stride allows.
func (b *bounded[T]) add(v T) {
	b.total++
	b.skip++
	if b.skip < b.stride {
		return
	}
	b.skip = 0
	b.push(v)
}

// push keeps v regardless of the stride (used for the final sample).
func (b *bounded[T]) push(v T) {
	if len(b.buf) == cap(b.buf) {
		b.buf = b.reduce(b.buf, cap(b.buf)/2)
		b.stride *= 2
		b.skip = 0
	}
	b.buf = append(b.buf, v)
}

// decimate keeps m evenly spaced values of buf (first and last included), in place.
func decimate[T any](buf []T, m int) []T {
	n := len(buf)
	if m >= n || m < 2 {
		return buf
	}
	for k := 0; k < m; k++ {
		i := int(math.Round(float64(k) * float64(n-1) / float64(m-1)))
		buf[k] = buf[i]
	}
	return buf[:m]
}

// lttbIndices appends to out the indices of the m points that Largest-Triangle-
// Three-Buckets keeps of n points (x(i), y(i)); first and last are always kept and
// the indices are increasing. It allocates only if out is too small.
func lttbIndices(n, m int, x, y func(int) float64, out []int) []int {
	out = out[:0]
	if m >= n || m < 3 {
		for i := 0; i < n; i++ {
			if m < 3 && i > 0 && i < n-1 {
				continue
			}
			out = append(out, i)
		}
		return out
	}
	every := float64(n-2) / float64(m-2)
	a := 0
	out = append(out, 0)
	for i := 0; i < m-2; i++ {
		// Average of the next bucket.
		ns := int(math.Floor(float64(i+1)*every)) + 1
		ne := int(math.Floor(float64(i+2)*every)) + 1
		if ne > n {
			ne = n
		}
		var ax, ay float64
		for j := ns; j < ne; j++ {
			ax += x(j)
			ay += y(j)
		}
		cnt := float64(ne - ns)
		ax /= cnt
		ay /= cnt
		// This bucket: the point making the largest triangle with a and the average.
		bs := int(math.Floor(float64(i)*every)) + 1
		be := int(math.Floor(float64(i+1)*every)) + 1
		xa, ya := x(a), y(a)
		best, bestArea := bs, -1.0
		for j := bs; j < be; j++ {
			area := math.Abs((xa-ax)*(y(j)-ya) - (xa-x(j))*(ay-ya))
			if area > bestArea {
				best, bestArea = j, area
			}
		}
		out = append(out, best)
		a = best
	}
	return append(out, n-1)
}

// sampleReducer downsamples Samples by LTTB on HeapBytes over Elapsed, in place,
// reusing idx for the selected indices.
type sampleReducer struct {
	idx []int
}

func (r *sampleReducer) reduce(buf []Sample, m int) []Sample {
	r.idx = lttbIndices(len(buf), m,
		func(i int) float64 { return float64(buf[i].Elapsed) },
		func(i int) float64 { return float64(buf[i].HeapBytes) }, r.idx)
	for k, i := range r.idx { // indices increase and i >= k: compaction in place is safe
		buf[k] = buf[i]
	}
	return buf[:len(r.idx)]
}

// Downsample returns at most m of the samples chosen by Largest-Triangle-Three-Buckets
// on HeapBytes over Elapsed (first and last kept), in a new slice.
func Downsample(samples []Sample, m int) []Sample {
	c := append([]Sample(nil), samples...)
	if m >= len(c) {
		return c
	}
	r := sampleReducer{}
	return r.reduce(c, m)
}
