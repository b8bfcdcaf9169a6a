package pools

import (
	"sync"
	"testing"
)

func BenchmarkPool(b *testing.B) {
	newTrade := func() *Trade { return new(Trade) }
	b.Run("memprism", func(b *testing.B) {
		p := NewPool(PoolOptions[Trade]{New: newTrade, Reset: (*Trade).Reset})
		b.ReportAllocs()
		for b.Loop() {
			t := p.Get()
			t.Price = 1
			p.Put(t)
		}
	})
	b.Run("sync.Pool", func(b *testing.B) {
		p := sync.Pool{New: func() any { return newTrade() }}
		b.ReportAllocs()
		for b.Loop() {
			t := p.Get().(*Trade)
			t.Price = 1
			t.Reset()
			p.Put(t)
		}
	})
	b.Run("parallel/memprism", func(b *testing.B) {
		p := NewPool(PoolOptions[Trade]{New: newTrade, Reset: (*Trade).Reset})
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				t := p.Get()
				t.Price = 1
				p.Put(t)
			}
		})
	})
	b.Run("parallel/sync.Pool", func(b *testing.B) {
		p := sync.Pool{New: func() any { return newTrade() }}
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				t := p.Get().(*Trade)
				t.Price = 1
				t.Reset()
				p.Put(t)
			}
		})
	})
}
