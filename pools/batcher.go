package pools

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrClosed is returned by Add and Flush after Close.
var ErrClosed = errors.New("pools: batcher closed")

// BatcherOptions configures a Batcher; the zero value means the seed's defaults.
type BatcherOptions struct {
	Size   int           // flush when this many items are buffered; <= 0 means 100
	MaxAge time.Duration // flush when the oldest buffered item is this old; 0 means 1s, < 0 disables
}

// FlushFunc writes one batch. The batch slice is reused as soon as FlushFunc returns: copy what must
// outlive the call. FlushFunc runs with the Batcher locked, so it must not call the Batcher's methods.
type FlushFunc[T any] func(batch []T) error

// BatcherStats counts a Batcher's work.
type BatcherStats struct {
	Batches  uint64 // flush calls made, failed ones included
	Items    uint64 // items handed to flush
	BySize   uint64 // flushes because the batch was full
	ByAge    uint64 // flushes by the timer because the oldest item reached MaxAge
	Explicit uint64 // flushes by Flush or Close
	Errors   uint64 // flushes that returned an error
}

// Batcher groups items and hands them to a FlushFunc when Size are buffered or the oldest is MaxAge old.
// A timer goroutine flushes aged batches even when no Add comes (the seed only checked age inside add,
// so a quiet stream never flushed). Add is safe for concurrent use; batches are flushed one at a time
// and in order. A batch whose flush fails is discarded, not retried.
//
// Errors: Add returns the error of the flush it triggered. Errors of timer flushes are kept until
// reported by Err, Flush or Close, whichever comes first, so none is lost; Close reports any left.
type Batcher[T any] struct {
	flush  FlushFunc[T]
	size   int
	maxAge time.Duration

	mu       sync.Mutex
	buf      []T
	oldest   time.Time // when buf's first item was added
	closed   bool
	asyncErr error // first unreported timer flush error
	asyncN   int   // further unreported timer flush errors
	stats    BatcherStats

	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// NewBatcher returns a running Batcher; it panics when flush is nil, a programming error. Call Close to
// flush the rest and stop its timer goroutine.
func NewBatcher[T any](opts BatcherOptions, flush FlushFunc[T]) *Batcher[T] {
	if flush == nil {
		panic("pools: NewBatcher needs a FlushFunc")
	}
	if opts.Size <= 0 {
		opts.Size = 100
	}
	if opts.MaxAge == 0 {
		opts.MaxAge = time.Second
	}
	b := &Batcher[T]{
		flush:  flush,
		size:   opts.Size,
		maxAge: opts.MaxAge,
		buf:    make([]T, 0, opts.Size),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	if b.maxAge > 0 {
		go b.timerLoop()
	} else {
		close(b.done)
	}
	return b
}

// Add buffers x and, when the batch is full, flushes it and returns the flush's error. After Close it
// returns ErrClosed.
func (b *Batcher[T]) Add(x T) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	if len(b.buf) == 0 && b.maxAge > 0 {
		b.oldest = time.Now()
	}
	b.buf = append(b.buf, x)
	if len(b.buf) >= b.size {
		b.stats.BySize++
		return b.flushLocked()
	}
	return nil
}

// Flush flushes the buffered items now and returns the flush's error joined with any unreported timer
// flush errors. After Close it returns ErrClosed.
func (b *Batcher[T]) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	var err error
	if len(b.buf) > 0 {
		b.stats.Explicit++
		err = b.flushLocked()
	}
	return errors.Join(err, b.takeAsyncErrLocked())
}

// Close flushes the rest, stops the timer goroutine and returns the final flush's error joined with any
// unreported timer flush errors. Later calls return nil.
func (b *Batcher[T]) Close() (err error) {
	b.closeOnce.Do(func() {
		err = b.closeAndFlush()
		close(b.stop)
		<-b.done // the timer goroutine has finished any flush it started
		b.mu.Lock()
		defer b.mu.Unlock()
		err = errors.Join(err, b.takeAsyncErrLocked())
	})
	return err
}

// closeAndFlush marks the Batcher closed and flushes the rest.
func (b *Batcher[T]) closeAndFlush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	if len(b.buf) == 0 {
		return nil
	}
	b.stats.Explicit++
	return b.flushLocked()
}

// Err returns, and clears, the unreported errors of timer flushes: the first one, wrapped with a count
// when more followed. It returns nil when there are none.
func (b *Batcher[T]) Err() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.takeAsyncErrLocked()
}

// Stats returns a snapshot of the counters.
func (b *Batcher[T]) Stats() BatcherStats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stats
}

// Len returns the number of items buffered and not yet flushed.
func (b *Batcher[T]) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.buf)
}

func (b *Batcher[T]) takeAsyncErrLocked() error {
	err := b.asyncErr
	if err != nil && b.asyncN > 0 {
		err = fmt.Errorf("%w (and %d more timer flush errors)", err, b.asyncN)
	}
	b.asyncErr, b.asyncN = nil, 0
	return err
}

// flushLocked hands the buffer to flush and empties it, zeroing the items so the buffer pins no memory.
func (b *Batcher[T]) flushLocked() error {
	n := len(b.buf)
	b.stats.Batches++
	b.stats.Items += uint64(n)
	err := b.flush(b.buf)
	clear(b.buf)
	b.buf = b.buf[:0]
	if err != nil {
		b.stats.Errors++
		return fmt.Errorf("pools: flush batch of %d: %w", n, err)
	}
	return nil
}

// timerLoop flushes the buffer whenever its oldest item reaches maxAge, until stop is closed.
func (b *Batcher[T]) timerLoop() {
	defer close(b.done)
	t := time.NewTimer(b.maxAge)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			t.Reset(b.flushIfOld())
		}
	}
}

// flushIfOld flushes an aged batch and returns how long to wait before the next check.
func (b *Batcher[T]) flushIfOld() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || len(b.buf) == 0 {
		return b.maxAge
	}
	if age := time.Since(b.oldest); age < b.maxAge {
		return b.maxAge - age
	}
	b.stats.ByAge++
	if err := b.flushLocked(); err != nil {
		if b.asyncErr == nil {
			b.asyncErr = err
		} else {
			b.asyncN++
		}
	}
	return b.maxAge
}
