package faultcases

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// maxPooled is the largest buffer the fixed variant returns to its pool.
const maxPooled = 64 << 10

// renderer encodes responses into pooled buffers.
type renderer struct {
	pool  sync.Pool
	bytes atomic.Int64
}

func newRenderer() *renderer {
	r := &renderer{}
	r.pool.New = func() any { return new(bytes.Buffer) }
	return r
}

// render encodes a response of n bytes. The buggy variant puts every buffer
// back, so a buffer grown once for a rare huge response (a full order-book
// snapshot) is handed out again and again: the pool's buffers grow to the
// largest response ever seen. The fix drops buffers above maxPooled.
func (r *renderer) render(n int, buggy bool) {
	b := r.pool.Get().(*bytes.Buffer)
	b.Reset()
	chunk := [256]byte{}
	for b.Len() < n {
		b.Write(chunk[:]) // want: alloc pool-oversized
	}
	r.bytes.Add(int64(b.Len()))
	if buggy || b.Cap() <= maxPooled {
		r.pool.Put(b)
	}
}

func runPoolOversized(ctx context.Context, buggy bool) (func(), error) {
	r := newRenderer()
	err := pace(ctx, runDuration, 6000, func(i int) {
		n := 2 << 10
		if i%100 == 7 { // one response in a hundred is a full snapshot
			n = 4 << 20
		}
		r.render(n, buggy)
	})
	if err == nil && r.bytes.Load() == 0 {
		err = errors.New("pool-oversized: nothing rendered")
	}
	return keep(r), err
}
