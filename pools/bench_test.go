package pools

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"
)

func BenchmarkPool(b *testing.B) {
	newTrade := func() *Trade { return new(Trade) }
	b.Run("impl=memprism", func(b *testing.B) {
		p := NewPool(PoolOptions[Trade]{New: newTrade, Reset: (*Trade).Reset})
		b.ReportAllocs()
		for b.Loop() {
			t := p.Get()
			t.Price = 1
			p.Put(t)
		}
	})
	b.Run("impl=sync.Pool", func(b *testing.B) {
		p := sync.Pool{New: func() any { return newTrade() }}
		b.ReportAllocs()
		for b.Loop() {
			t := p.Get().(*Trade)
			t.Price = 1
			t.Reset()
			p.Put(t)
		}
	})
	b.Run("parallel/impl=memprism", func(b *testing.B) {
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
	b.Run("parallel/impl=sync.Pool", func(b *testing.B) {
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

var sinkInt64 int64

func BenchmarkParseFixed(b *testing.B) {
	const s = "43250.12345678"
	bs := []byte(s)
	b.Run("string", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v, err := ParseFixed(s)
			if err != nil {
				b.Fatal(err)
			}
			sinkInt64 = v
		}
	})
	b.Run("bytes", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v, err := ParseFixedBytes(bs)
			if err != nil {
				b.Fatal(err)
			}
			sinkInt64 = v
		}
	})
	b.Run("strconv.ParseFloat", func(b *testing.B) { // the lossy float path, for comparison
		b.ReportAllocs()
		for b.Loop() {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				b.Fatal(err)
			}
			sinkInt64 = int64(f * Scale)
		}
	})
}

func BenchmarkFormatFixed(b *testing.B) {
	buf := make([]byte, 0, 32)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendFixed(buf[:0], 4325012345678)
	}
}

func BenchmarkIntern(b *testing.B) {
	s := NewSymbols()
	names := make([][]byte, 200)
	for i := range names {
		names[i] = fmt.Appendf(nil, "SYM%dUSDT", i)
		s.InternBytes(names[i])
	}
	for range 2 { // publish every name to the lock-free snapshot
		for _, n := range names {
			s.InternBytes(n)
		}
	}
	b.Run("bytes", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			s.InternBytes(names[i%len(names)])
			i++
		}
	})
	b.Run("string", func(b *testing.B) {
		strs := make([]string, len(names))
		for i, n := range names {
			strs[i] = string(n)
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			s.Intern(strs[i%len(strs)])
			i++
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				s.InternBytes(names[i%len(names)])
				i++
			}
		})
	})
}

func BenchmarkBatcher(b *testing.B) {
	flush := func(batch []Trade) error {
		sinkInt64 = batch[len(batch)-1].Price
		return nil
	}
	b.Run("Add", func(b *testing.B) {
		bt := NewBatcher(BatcherOptions{Size: 100, MaxAge: time.Second}, flush)
		b.ReportAllocs()
		tr := Trade{Price: 1}
		for b.Loop() {
			if err := bt.Add(tr); err != nil {
				b.Fatal(err)
			}
		}
		if err := bt.Close(); err != nil {
			b.Fatal(err)
		}
	})
	b.Run("Add/parallel", func(b *testing.B) {
		bt := NewBatcher(BatcherOptions{Size: 100, MaxAge: time.Second}, flush)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			tr := Trade{Price: 1}
			for pb.Next() {
				if err := bt.Add(tr); err != nil {
					b.Error(err)
					return
				}
			}
		})
		if err := bt.Close(); err != nil {
			b.Fatal(err)
		}
	})
}
