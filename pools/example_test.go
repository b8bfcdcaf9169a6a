package pools_test

import (
	"fmt"
	"time"

	"github.com/memprism/memprism/pools"
)

// A Pool hands out reset objects and counts its traffic. Which Gets hit depends on the scheduler and
// the garbage collector, so this example prints only the counts that do not.
func ExamplePool() {
	type buffer struct{ b []byte }
	p := pools.NewPool(pools.PoolOptions[buffer]{
		New:   func() *buffer { return &buffer{b: make([]byte, 0, 512)} },
		Reset: func(x *buffer) { x.b = x.b[:0] },
		Keep:  func(x *buffer) bool { return cap(x.b) <= 64<<10 }, // don't pin grown buffers
	})

	x := p.Get()
	x.b = append(x.b, "hello"...)
	p.Put(x)

	y := p.Get()
	fmt.Println("len after reuse:", len(y.b))
	y.b = make([]byte, 0, 1<<20) // grew past Keep's limit
	p.Put(y)

	s := p.Stats()
	fmt.Printf("gets %d, puts %d, dropped %d\n", s.Gets, s.Puts, s.Dropped)
	// Output:
	// len after reuse: 0
	// gets 2, puts 2, dropped 1
}

// A Batcher flushes on size, on age, and on Close; the batch slice is reused, so copy what you keep.
func ExampleBatcher() {
	b := pools.NewBatcher(pools.BatcherOptions{Size: 3, MaxAge: time.Hour}, func(batch []string) error {
		fmt.Println("flush", batch)
		return nil
	})
	for _, id := range []string{"t1", "t2", "t3", "t4", "t5"} {
		if err := b.Add(id); err != nil {
			fmt.Println("add:", err)
		}
	}
	if err := b.Close(); err != nil {
		fmt.Println("close:", err)
	}
	s := b.Stats()
	fmt.Printf("%d batches, %d items, %d by size\n", s.Batches, s.Items, s.BySize)
	fmt.Println(b.Add("t6"))
	// Output:
	// flush [t1 t2 t3]
	// flush [t4 t5]
	// 2 batches, 5 items, 1 by size
	// pools: batcher closed
}

// A MessagePool holds the seed's four pools; order books keep their level capacity between uses.
func ExampleMessagePool() {
	m := pools.NewMessagePool()
	syms := pools.NewSymbols()

	t := m.Trades.Get()
	t.Exchange, t.Symbol = syms.Intern("binance"), syms.Intern("BTCUSDT")
	t.Price, _ = pools.ParseFixed("43250.5")
	t.Side = pools.SideBuy
	fmt.Println(syms.Name(t.Symbol), pools.FormatFixed(t.Price), t.Side)
	m.Trades.Put(t)

	ob := m.OrderBooks.Get()
	ob.Bids = append(ob.Bids, pools.Level{Price: 43250 * pools.Scale, Quantity: pools.Scale / 2})
	m.OrderBooks.Put(ob)

	stats := m.Stats()
	for _, name := range []string{"trade", "orderbook", "kline", "ticker"} {
		fmt.Printf("%s: gets %d, puts %d\n", name, stats[name].Gets, stats[name].Puts)
	}
	// Output:
	// BTCUSDT 43250.5 buy
	// trade: gets 1, puts 1
	// orderbook: gets 1, puts 1
	// kline: gets 0, puts 0
	// ticker: gets 0, puts 0
}

// Fixed-point amounts parse and print without float64 rounding.
func ExampleParseFixed() {
	p, err := pools.ParseFixed("43250.12345678")
	if err != nil {
		fmt.Println(err)
		return
	}
	q, _ := pools.ParseFixed("0.015")
	quote, _ := pools.MulFixed(p, q)
	fmt.Println(p, pools.FormatFixed(p), pools.FormatFixed(quote))
	_, err = pools.ParseFixed("1e5")
	fmt.Println(err)
	// Output:
	// 4325012345678 43250.12345678 648.75185185
	// pools: parse fixed "1e5": invalid decimal, want [+-]digits[.digits] with at most 8 significant decimals
}

// Symbols gives each distinct name one small id; bytes from a network buffer are looked up without
// allocating.
func ExampleSymbols() {
	s := pools.NewSymbols()
	a := s.Intern("BTCUSDT")
	b := s.InternBytes([]byte("BTCUSDT"))
	c := s.Intern("ETHUSDT")
	fmt.Println(a, b, c, s.Name(c), s.Len())
	// Output:
	// 1 1 2 ETHUSDT 2
}
