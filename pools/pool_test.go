package pools

import (
	"runtime/debug"
	"sync"
	"testing"
)

// checkStats compares pool statistics. sync.Pool may miss when the goroutine moves to another P between
// Put and Get (the object waits in the old P's private slot), and under -race it drops Puts at random;
// so News may exceed the ideal count, by at most 2 normally. Everything else must match exactly, and
// when News matches the whole snapshot must equal want, rates included.
func checkStats(t *testing.T, name string, got, want PoolStats) {
	t.Helper()
	slack := uint64(2)
	if raceEnabled {
		slack = got.Gets
	}
	if got.Gets != want.Gets || got.Puts != want.Puts || got.Dropped != want.Dropped ||
		got.News < want.News || got.News > want.News+slack || got.Reused != got.Gets-got.News {
		t.Errorf("%s = %+v\nwant %+v (News may be up to %d higher)", name, got, want, slack)
		return
	}
	if got.News == want.News {
		if got != want {
			t.Errorf("%s = %+v\nwant %+v", name, got, want)
		}
		return
	}
	t.Logf("%s: %d extra misses (goroutine migration or -race)", name, got.News-want.News)
	if got.Gets > 0 && got.HitRate != float64(got.Reused)/float64(got.Gets) {
		t.Errorf("%s: HitRate %v, want Reused/Gets", name, got.HitRate)
	}
}

// noGC turns the collector off for a test so that sync.Pool keeps every object it is given.
func noGC(t *testing.T) {
	t.Helper()
	old := debug.SetGCPercent(-1)
	t.Cleanup(func() { debug.SetGCPercent(old) })
}

func TestPoolStats(t *testing.T) {
	noGC(t)
	type buf struct{ b []byte }
	tests := []struct {
		name string
		run  func(p *Pool[buf])
		want PoolStats
	}{
		{
			name: "empty",
			run:  func(*Pool[buf]) {},
			want: PoolStats{},
		},
		{
			name: "get only",
			run: func(p *Pool[buf]) {
				p.Get()
				p.Get()
			},
			want: PoolStats{Gets: 2, News: 2},
		},
		{
			name: "put nil is ignored",
			run:  func(p *Pool[buf]) { p.Put(nil) },
			want: PoolStats{},
		},
		{
			name: "get put get",
			run: func(p *Pool[buf]) {
				x := p.Get()
				p.Put(x)
				p.Put(p.Get())
			},
			want: PoolStats{Gets: 2, Puts: 2, News: 1, Reused: 1, HitRate: 0.5, ReuseRate: 0.5},
		},
		{
			name: "oversized dropped",
			run: func(p *Pool[buf]) {
				x := p.Get()
				x.b = make([]byte, 0, 1<<20)
				p.Put(x)
				p.Get()
			},
			want: PoolStats{Gets: 2, Puts: 1, News: 2, Dropped: 1},
		},
		{
			name: "steady reuse",
			run: func(p *Pool[buf]) {
				for range 100 {
					p.Put(p.Get())
				}
			},
			want: PoolStats{Gets: 100, Puts: 100, News: 1, Reused: 99, HitRate: 0.99, ReuseRate: 0.99},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPool(PoolOptions[buf]{
				New:   func() *buf { return &buf{b: make([]byte, 0, 64)} },
				Reset: func(x *buf) { x.b = x.b[:0] },
				Keep:  func(x *buf) bool { return cap(x.b) <= 4096 },
			})
			tt.run(p)
			checkStats(t, "Stats()", p.Stats(), tt.want)
		})
	}
}

func TestPoolResetAndKeep(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops Puts at random under -race")
	}
	noGC(t)
	var resets, keeps int
	p := NewPool(PoolOptions[Trade]{
		New:   func() *Trade { return new(Trade) },
		Reset: func(x *Trade) { resets++; x.Reset() },
		Keep:  func(x *Trade) bool { keeps++; return x.TradeID != 13 },
	})
	x := p.Get()
	x.Price, x.TradeID = 5, 1
	p.Put(x)
	if y := p.Get(); y != x || *y != (Trade{}) {
		t.Fatalf("Get after Put = %p %+v, want the same object %p reset", y, *y, x)
	}
	x.TradeID = 13
	p.Put(x)
	if resets != 1 || keeps != 2 {
		t.Errorf("resets = %d, keeps = %d; want 1 and 2 (a dropped object is not reset)", resets, keeps)
	}
	if y := p.Get(); y == x {
		t.Error("a dropped object came back from the pool")
	}
}

func TestNewPoolWithoutNewPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewPool without New did not panic")
		}
	}()
	NewPool(PoolOptions[Trade]{})
}

func TestPoolConcurrent(t *testing.T) {
	p := NewPool(PoolOptions[Trade]{New: func() *Trade { return new(Trade) }, Reset: (*Trade).Reset})
	const workers, each = 8, 2000
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				x := p.Get()
				if *x != (Trade{}) {
					t.Errorf("Get returned a dirty trade %+v", *x)
					return
				}
				x.TradeID = uint64(w*each + i)
				p.Put(x)
			}
		}()
	}
	wg.Wait()
	s := p.Stats()
	if s.Gets != workers*each || s.Puts != workers*each {
		t.Fatalf("Gets, Puts = %d, %d; want %d each", s.Gets, s.Puts, workers*each)
	}
	if s.News < 1 || s.News > s.Gets || s.Reused != s.Gets-s.News {
		t.Fatalf("inconsistent stats %+v", s)
	}
	t.Logf("concurrent stats: %+v", s)
}

func TestPoolNoAlloc(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops Puts at random under -race, so Gets allocate")
	}
	noGC(t)
	p := NewPool(PoolOptions[Trade]{New: func() *Trade { return new(Trade) }, Reset: (*Trade).Reset})
	p.Put(p.Get())
	if n := testing.AllocsPerRun(1000, func() { p.Put(p.Get()) }); n != 0 {
		t.Errorf("Get+Put allocates %v times, want 0", n)
	}
}

func TestMessagePool(t *testing.T) {
	noGC(t)
	m := NewMessagePool()
	tr := m.Trades.Get()
	tr.Price = 1
	m.Trades.Put(tr)
	m.Trades.Put(m.Trades.Get())

	ob := m.OrderBooks.Get()
	ob.Bids = append(ob.Bids, Level{Price: 1, Quantity: 2})
	m.OrderBooks.Put(ob)
	ob = m.OrderBooks.Get()
	if len(ob.Bids) != 0 || (!raceEnabled && cap(ob.Bids) == 0) {
		t.Errorf("reused order book has bids len %d cap %d, want empty with capacity kept", len(ob.Bids), cap(ob.Bids))
	}
	ob.Asks = make([]Level, MaxBookLevels+1)
	m.OrderBooks.Put(ob) // grown past the cap: dropped

	m.Klines.Put(m.Klines.Get())
	m.Tickers.Get()

	got := m.Stats()
	want := map[string]PoolStats{
		"trade":     {Gets: 2, Puts: 2, News: 1, Reused: 1, HitRate: 0.5, ReuseRate: 0.5},
		"orderbook": {Gets: 2, Puts: 2, News: 1, Dropped: 1, Reused: 1, HitRate: 0.5, ReuseRate: 1},
		"kline":     {Gets: 1, Puts: 1, News: 1},
		"ticker":    {Gets: 1, News: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("Stats() has %d pools, want %d", len(got), len(want))
	}
	for name, w := range want {
		checkStats(t, "Stats()["+name+"]", got[name], w)
	}
}

func TestSumStats(t *testing.T) {
	tests := []struct {
		name string
		in   []PoolStats
		want PoolStats
	}{
		{"none", nil, PoolStats{}},
		{"one", []PoolStats{{Gets: 4, Puts: 4, News: 1, Reused: 3}}, PoolStats{Gets: 4, Puts: 4, News: 1, Reused: 3, HitRate: 0.75, ReuseRate: 0.75}},
		{"rates of the sums, not the mean of the rates", []PoolStats{
			{Gets: 10, Puts: 10, News: 10, HitRate: 0},
			{Gets: 90, Puts: 92, News: 0, Dropped: 2, Reused: 90, HitRate: 1, ReuseRate: 1},
		}, PoolStats{Gets: 100, Puts: 102, News: 10, Dropped: 2, Reused: 90, HitRate: 0.9, ReuseRate: 0.9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SumStats(tt.in...); got != tt.want {
				t.Fatalf("SumStats(%+v) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}
