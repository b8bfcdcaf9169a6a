package pools

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

// PoolOptions configures a Pool.
type PoolOptions[T any] struct {
	New   func() *T     // required: makes an object when the pool has none
	Reset func(*T)      // optional: called on Put before the object goes back into the pool
	Keep  func(*T) bool // optional: false drops the object instead of pooling it (e.g. oversized buffers, golang/go#23199)
}

// PoolStats is a snapshot of a Pool's counters.
type PoolStats struct {
	Gets    uint64 // calls to Get
	Puts    uint64 // calls to Put with a non-nil object, dropped ones included
	News    uint64 // objects made by New because the pool was empty
	Dropped uint64 // objects Put but refused by Keep
	Reused  uint64 // Gets served by a pooled object: Gets - News

	// HitRate is Reused/Gets: the share of Gets that did not allocate (0 before the first Get).
	HitRate float64
	// ReuseRate is Reused/(Puts-Dropped): the share of objects put back into the pool that were taken out
	// again. The rest are still pooled, or were freed by the garbage collector, which empties a sync.Pool
	// over two cycles (0 before the first pooled Put; at most 1).
	ReuseRate float64
}

// Pool is a typed sync.Pool with a reset hook, a keep filter and statistics. Its Get and Put cost a
// sync.Pool Get and Put plus one uncontended atomic add each: the Get and Put counters are striped over
// cache-line-padded shards chosen by goroutine stack, so parallel callers do not share a line.
// A Pool must not be copied after first use.
type Pool[T any] struct {
	pool    sync.Pool
	newFn   func() *T
	reset   func(*T)
	keep    func(*T) bool
	news    atomic.Uint64
	dropped atomic.Uint64
	_       [128]byte // keeps the read-mostly fields above off the shards' cache lines
	shards  [poolShards]poolShard
}

const (
	poolShardBits = 6
	poolShards    = 1 << poolShardBits
)

// poolShard holds one stripe of the hot counters, padded to two cache lines (adjacent-line prefetch).
type poolShard struct {
	gets atomic.Uint64
	puts atomic.Uint64
	_    [128 - 16]byte
}

// NewPool returns an empty pool; it panics when opts.New is nil, a programming error.
func NewPool[T any](opts PoolOptions[T]) *Pool[T] {
	if opts.New == nil {
		panic("pools: NewPool needs PoolOptions.New")
	}
	return &Pool[T]{newFn: opts.New, reset: opts.Reset, keep: opts.Keep}
}

// shard returns the counter stripe for the calling goroutine: goroutine stacks lie at distinct
// addresses, so hashing a stack address spreads goroutines over shards at almost no cost. A stack that
// moves only moves the goroutine to another shard; the sums stay exact.
func (p *Pool[T]) shard() *poolShard {
	var marker byte
	h := uint32(uintptr(unsafe.Pointer(&marker))>>11) * 0x9E3779B1
	return &p.shards[h>>(32-poolShardBits)]
}

// Get returns a pooled object, or a new one from New when the pool is empty.
func (p *Pool[T]) Get() *T {
	p.shard().gets.Add(1)
	if x, ok := p.pool.Get().(*T); ok {
		return x
	}
	p.news.Add(1)
	return p.newFn()
}

// Put resets x and returns it to the pool, or drops it when Keep refuses it. Put(nil) does nothing.
// The caller must not use x afterwards.
func (p *Pool[T]) Put(x *T) {
	if x == nil {
		return
	}
	p.shard().puts.Add(1)
	if p.keep != nil && !p.keep(x) {
		p.dropped.Add(1)
		return
	}
	if p.reset != nil {
		p.reset(x)
	}
	p.pool.Put(x)
}

// Stats sums the counters. Under concurrent use the counters are read one by one, so the snapshot is
// approximate while calls are in flight and exact once they stop.
func (p *Pool[T]) Stats() PoolStats {
	var s PoolStats
	s.News = p.news.Load()
	s.Dropped = p.dropped.Load()
	for i := range p.shards {
		s.Gets += p.shards[i].gets.Load()
		s.Puts += p.shards[i].puts.Load()
	}
	if s.Gets > s.News {
		s.Reused = s.Gets - s.News
	}
	s.derive()
	return s
}

// SumStats adds the counters of several pools (a MessagePool's four, say)
// and derives HitRate and ReuseRate from the sums, as Stats does for one.
func SumStats(all ...PoolStats) PoolStats {
	var s PoolStats
	for _, x := range all {
		s.Gets += x.Gets
		s.Puts += x.Puts
		s.News += x.News
		s.Dropped += x.Dropped
		s.Reused += x.Reused
	}
	s.derive()
	return s
}

// derive sets HitRate and ReuseRate from the counters.
func (s *PoolStats) derive() {
	if s.Gets > 0 {
		s.HitRate = float64(s.Reused) / float64(s.Gets)
	}
	if pooled := s.Puts - min(s.Dropped, s.Puts); pooled > 0 {
		s.ReuseRate = min(1, float64(s.Reused)/float64(pooled))
	}
}
