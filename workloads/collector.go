package workloads

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/memprism/memprism/load"
	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/pools"
)

// Collector dispatch modes.
const (
	DispatchPerMessage = "per-message"
	DispatchWorkerPool = "worker-pool"
)

// collectorShards is how many independently locked parts the per-symbol
// state is split into; publishedLevels is how many levels per side a
// published order book snapshot carries (a "depth10" snapshot).
const (
	collectorShards = 16
	publishedLevels = 10
)

func init() {
	Register(Kind{
		Name:     "collector",
		Doc:      "the seed's market-data collector: raw trades, depth updates, klines and tickers of three exchanges at an offered rate, decoded, normalized, kept per symbol (order books to a depth), batched and published",
		Messages: true,
		Params: append(LoadParams(20_000),
			ParamSpec{Name: "symbols", Type: Int, Default: int64(200), Doc: "distinct instruments", Min: 1, Max: 100_000},
			ParamSpec{Name: "exchanges", Type: Int, Default: int64(3), Doc: "message formats in rotation: 1 binance, 2 +okx, 3 +coinbase", Min: 1, Max: float64(len(genExchanges))},
			ParamSpec{Name: "depth", Type: Int, Default: int64(50), Doc: "price levels kept per order book side; deeper levels are dropped", Min: 1, Max: 10_000},
			ParamSpec{Name: "layout", Type: String, Default: LayoutNaive, Doc: "naive: encoding/json into a map, decimal strings, time.Time, string-keyed state, books as maps of price strings; compact: zero-copy field reads, fixed point, interned symbols, books as sorted level slices", Enum: []string{LayoutNaive, LayoutCompact}},
			ParamSpec{Name: "alloc", Type: String, Default: AllocNaive, Doc: "naive: a new record per message; pool: records from pools (pools.MessagePool's trade, orderbook, kline and ticker pools for compact records), returned after publishing", Enum: []string{AllocNaive, AllocPool}},
			ParamSpec{Name: "dispatch", Type: String, Default: DispatchPerMessage, Doc: "per-message: a goroutine per message; worker-pool: `workers` goroutines reading a channel of `queue` slots", Enum: []string{DispatchPerMessage, DispatchWorkerPool}},
			ParamSpec{Name: "workers", Type: Int, Default: int64(2), Doc: "worker-pool dispatch: worker goroutines", Min: 1, Max: 4096},
			ParamSpec{Name: "queue", Type: Int, Default: int64(1024), Doc: "worker-pool dispatch: channel capacity; a full queue blocks the sender", Min: 0, Max: 1_000_000},
			ParamSpec{Name: "batch", Type: Int, Default: int64(1), Doc: "records per published statement (1: each record alone); a partial batch is published once its oldest record is max_age old", Min: 1, Max: 100_000},
			ParamSpec{Name: "max_age", Type: Duration, Default: time.Second, Doc: "oldest record a partial batch may hold before it is published (the seed's flush_interval)", Min: 0.000001, Max: 3600},
			ParamSpec{Name: "ring", Type: Int, Default: int64(2_000), Doc: "distinct raw messages generated before sending and replayed in order (the exchange's side: dropped before the retained snapshot)", Min: 1, Max: 10_000_000},
			ParamSpec{Name: "seed", Type: Int, Default: int64(1), Doc: "random seed of the messages and of poisson arrivals", Min: 0, Max: 1 << 53},
		),
		Check:   CheckPlan,
		Metrics: []metric.Info{poolHitRate},
		Run:     runCollector,
	})
}

// collector is one run's shared state.
type collector struct {
	compact, pooled bool
	depth           int
	syms            *pools.Symbols
	exSyms          []pools.Sym
	normMu          sync.RWMutex
	norm            map[pools.Sym]pools.Sym // raw exchange symbol -> normalized

	mp       *pools.MessagePool // compact + pool
	nTrades  *pools.Pool[pools.NaiveTrade]
	nBooks   *pools.Pool[naiveBook]
	nKlines  *pools.Pool[naiveKline]
	nTickers *pools.Pool[naiveTicker]
	shards   [collectorShards]colShard
	batcher  *pools.Batcher[pubItem]
	pub      publisher
	scratch  []byte
	rec      *load.Recorder // used by flush only, under the batcher's lock
	done     int64          // records published, under the batcher's lock
	errMu    sync.Mutex
	err      error
}

// colShard is one part of the per-symbol state.
type colShard struct {
	mu sync.Mutex
	// compact layout
	books   map[pools.Sym]*bookState
	vwaps   map[pools.Sym]*vwap
	klines  map[pools.Sym]pools.Kline
	tickers map[pools.Sym]pools.Ticker
	// naive layout
	nbooks   map[string]*naiveBookState
	nvwaps   map[string]*vwap
	nklines  map[string]naiveKline
	ntickers map[string]naiveTicker
}

// bookState is a compact order book: bids best (highest) first, asks best (lowest) first.
type bookState struct{ bids, asks []pools.Level }

// naiveBookState is an order book as a Python dict would keep it: price string -> quantity string.
type naiveBookState struct{ bids, asks map[string]string }

// pubItem is one record waiting in the batch, with its message's times.
type pubItem struct {
	kind              uint8
	intended, started int64
	t                 *pools.Trade
	nt                *pools.NaiveTrade
	b                 *pools.OrderBook
	nb                *naiveBook
	k                 *pools.Kline
	nk                *naiveKline
	tk                *pools.Ticker
	ntk               *naiveTicker
}

// runCollector generates `ring` raw messages, then offers them at `rate`
// (open model: latency from each message's intended time to the publishing
// of the statement that carries its record). Each message is decoded,
// normalized into a record, applied to the per-symbol state (VWAP for
// trades, the order book for depth updates, the latest kline and ticker)
// and its record (for a depth update, the book's top levels) is batched and
// published as a multi-row INSERT (trades, klines, tickers) or a bus message
// (books). When the stream stops it publishes the partial batch, takes the
// snapshot "retained" while the state is referenced, and reports
// pool_hit_rate when pooled.
func runCollector(ctx context.Context, r *Run) error {
	p := r.Params
	c := &collector{
		compact: p.String("layout") == LayoutCompact, pooled: p.String("alloc") == AllocPool,
		depth: int(p.Int("depth")), syms: pools.NewSymbols(), norm: map[pools.Sym]pools.Sym{},
		scratch: make([]byte, 0, 4096),
	}
	for _, e := range genExchanges {
		c.exSyms = append(c.exSyms, c.syms.Intern(e))
	}
	c.initPools()
	for i := range c.shards {
		s := &c.shards[i]
		if c.compact {
			s.books, s.vwaps, s.klines, s.tickers = map[pools.Sym]*bookState{}, map[pools.Sym]*vwap{}, map[pools.Sym]pools.Kline{}, map[pools.Sym]pools.Ticker{}
		} else {
			s.nbooks, s.nvwaps, s.nklines, s.ntickers = map[string]*naiveBookState{}, map[string]*vwap{}, map[string]naiveKline{}, map[string]naiveTicker{}
		}
	}
	gen := newMarketGen(uint64(p.Int("seed")), int(p.Int("symbols")), int(p.Int("exchanges")), int(p.Int("depth")))
	ring := make([]rawMsg, p.Int("ring"))
	for i := range ring {
		ring[i] = gen.next()
	}
	lr, err := r.Load(PlanOf(p))
	if err != nil {
		return fmt.Errorf("collector: %w", err)
	}
	c.rec = lr.NewRecorder()
	c.batcher = pools.NewBatcher(pools.BatcherOptions{Size: int(p.Int("batch")), MaxAge: p.Duration("max_age")}, c.flush)

	handle := func(m load.Msg) {
		started := lr.Now()
		if err := c.handle(ring[m.Seq%int64(len(ring))], m.Intended, started); err != nil {
			c.fail(fmt.Errorf("message %d: %w", m.Seq, err))
		}
	}
	var sendErr error
	if p.String("dispatch") == DispatchPerMessage {
		var wg sync.WaitGroup
		sendErr = lr.Send(ctx, func(m load.Msg) error {
			wg.Go(func() { handle(m) })
			return nil
		})
		wg.Wait()
	} else {
		ch := make(chan load.Msg, p.Int("queue"))
		var wg sync.WaitGroup
		for range p.Int("workers") {
			wg.Go(func() {
				for m := range ch {
					handle(m)
				}
			})
		}
		sendErr = lr.Send(ctx, func(m load.Msg) error {
			select {
			case ch <- m:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		close(ch)
		wg.Wait()
	}
	// The stream has stopped: publish the partial batch now (its records'
	// latency ends here, not after the snapshot's GC), then take what the
	// collector holds: books, latest klines and tickers, VWAPs, symbols. The
	// generated messages are the exchange's, not the collector's.
	closeErr := c.batcher.Close()
	ring = nil
	r.Snapshot(RetainedSnapshot)
	r.AddOps(c.done)
	if c.pooled {
		reportPoolHitRate(r, c.poolStats())
	}
	runtime.KeepAlive(c)
	c.errMu.Lock()
	err = c.err
	c.errMu.Unlock()
	if sendErr != nil || err != nil || closeErr != nil {
		return fmt.Errorf("collector: %w", errors.Join(sendErr, err, closeErr))
	}
	return nil
}

func (c *collector) fail(err error) {
	c.errMu.Lock()
	if c.err == nil {
		c.err = err
	}
	c.errMu.Unlock()
}

// initPools makes the record pools of a pooled run.
func (c *collector) initPools() {
	if !c.pooled {
		return
	}
	if c.compact {
		c.mp = pools.NewMessagePool()
		return
	}
	c.nTrades = pools.NewPool(pools.PoolOptions[pools.NaiveTrade]{New: func() *pools.NaiveTrade { return new(pools.NaiveTrade) }, Reset: resetNaiveTrade})
	c.nBooks = pools.NewPool(pools.PoolOptions[naiveBook]{New: func() *naiveBook { return new(naiveBook) }, Reset: func(b *naiveBook) {
		clear(b.RawData)
		*b = naiveBook{Bids: b.Bids[:0], Asks: b.Asks[:0], RawData: b.RawData}
	}})
	c.nKlines = pools.NewPool(pools.PoolOptions[naiveKline]{New: func() *naiveKline { return new(naiveKline) }, Reset: func(k *naiveKline) {
		clear(k.RawData)
		*k = naiveKline{RawData: k.RawData}
	}})
	c.nTickers = pools.NewPool(pools.PoolOptions[naiveTicker]{New: func() *naiveTicker { return new(naiveTicker) }, Reset: func(t *naiveTicker) {
		clear(t.RawData)
		*t = naiveTicker{RawData: t.RawData}
	}})
}

// poolStats sums the four pools' counters.
func (c *collector) poolStats() pools.PoolStats {
	if c.mp != nil {
		return pools.SumStats(slices.Collect(maps.Values(c.mp.Stats()))...)
	}
	return pools.SumStats(c.nTrades.Stats(), c.nBooks.Stats(), c.nKlines.Stats(), c.nTickers.Stats())
}

// get returns a record from pool, or a new one when the run is not pooled.
func getRec[T any](pool *pools.Pool[T]) *T {
	if pool != nil {
		return pool.Get()
	}
	return new(T)
}

func putRec[T any](pool *pools.Pool[T], x *T) {
	if pool != nil && x != nil {
		pool.Put(x)
	}
}

// handle processes one raw message and hands its record to the batcher.
func (c *collector) handle(m rawMsg, intended, started int64) error {
	it := pubItem{kind: uint8(m.kind), intended: intended, started: started}
	var err error
	if c.compact {
		err = c.handleCompact(m, &it)
	} else {
		err = c.handleNaive(m, &it)
	}
	if err != nil {
		c.release(&it)
		return fmt.Errorf("%s %s: %w", genExchanges[m.ex], mdKindNames[m.kind], err)
	}
	return c.batcher.Add(it)
}

func (c *collector) shardOf(sym pools.Sym) *colShard { return &c.shards[int(sym)%collectorShards] }

func (c *collector) shardOfName(sym string) *colShard {
	h := uint32(2166136261)
	for i := 0; i < len(sym); i++ {
		h = (h ^ uint32(sym[i])) * 16777619
	}
	return &c.shards[h%collectorShards]
}

func (c *collector) handleCompact(m rawMsg, it *pubItem) error {
	var (
		mt  *pools.Pool[pools.Trade]
		mb  *pools.Pool[pools.OrderBook]
		mk  *pools.Pool[pools.Kline]
		mtk *pools.Pool[pools.Ticker]
	)
	if c.mp != nil {
		mt, mb, mk, mtk = c.mp.Trades, c.mp.OrderBooks, c.mp.Klines, c.mp.Tickers
	}
	switch m.kind {
	case mdTrade:
		it.t = getRec(mt)
		if err := c.compactTrade(m.ex, m.data, it.t); err != nil {
			return err
		}
		s := c.shardOf(it.t.Symbol)
		s.mu.Lock()
		addVWAP(s.vwaps, it.t.Symbol, float64(it.t.QuoteQuantity), float64(it.t.Quantity))
		s.mu.Unlock()
	case mdDepth:
		it.b = getRec(mb)
		b := it.b
		if err := c.compactDepth(m.ex, m.data, b); err != nil {
			return err
		}
		s := c.shardOf(b.Symbol)
		s.mu.Lock()
		st := s.books[b.Symbol]
		if st == nil {
			st = &bookState{}
			s.books[b.Symbol] = st
		}
		st.bids = applyLevels(st.bids, b.Bids, c.depth, true)
		st.asks = applyLevels(st.asks, b.Asks, c.depth, false)
		// The record becomes the published snapshot: the book's top levels.
		b.Bids = append(b.Bids[:0], st.bids[:min(len(st.bids), publishedLevels)]...)
		b.Asks = append(b.Asks[:0], st.asks[:min(len(st.asks), publishedLevels)]...)
		s.mu.Unlock()
	case mdKline:
		it.k = getRec(mk)
		if err := c.compactKline(m.ex, m.data, it.k); err != nil {
			return err
		}
		s := c.shardOf(it.k.Symbol)
		s.mu.Lock()
		s.klines[it.k.Symbol] = *it.k
		s.mu.Unlock()
	default:
		it.tk = getRec(mtk)
		if err := c.compactTicker(m.ex, m.data, it.tk); err != nil {
			return err
		}
		s := c.shardOf(it.tk.Symbol)
		s.mu.Lock()
		s.tickers[it.tk.Symbol] = *it.tk
		s.mu.Unlock()
	}
	return nil
}

// applyLevels applies changed levels to a sorted side (descending for
// bids) and keeps at most depth levels: quantity 0 removes a level.
func applyLevels(side, changes []pools.Level, depth int, desc bool) []pools.Level {
	for _, ch := range changes {
		i, found := slices.BinarySearchFunc(side, ch.Price, func(l pools.Level, p int64) int {
			if desc {
				return cmp.Compare(p, l.Price)
			}
			return cmp.Compare(l.Price, p)
		})
		switch {
		case ch.Quantity == 0 && found:
			side = slices.Delete(side, i, i+1)
		case ch.Quantity == 0:
		case found:
			side[i].Quantity = ch.Quantity
		case i < depth:
			side = slices.Insert(side, i, ch)
		}
		if len(side) > depth {
			side = side[:depth]
		}
	}
	return side
}

func (c *collector) handleNaive(m rawMsg, it *pubItem) error {
	switch m.kind {
	case mdTrade:
		it.nt = getRec(c.nTrades)
		t := it.nt
		pq, q, err := normalizeNaive(m.data, m.ex, t)
		if err != nil {
			return err
		}
		s := c.shardOfName(t.Symbol)
		s.mu.Lock()
		addVWAP(s.nvwaps, t.Symbol, pq, q)
		s.mu.Unlock()
	case mdDepth:
		it.nb = getRec(c.nBooks)
		b := it.nb
		if err := naiveDepthOf(m.ex, m.data, b); err != nil {
			return err
		}
		s := c.shardOfName(b.Symbol)
		s.mu.Lock()
		st := s.nbooks[b.Symbol]
		if st == nil {
			st = &naiveBookState{bids: map[string]string{}, asks: map[string]string{}}
			s.nbooks[b.Symbol] = st
		}
		applyNaive(st.bids, b.Bids, c.depth, true)
		applyNaive(st.asks, b.Asks, c.depth, false)
		b.Bids = topNaive(st.bids, publishedLevels, true)
		b.Asks = topNaive(st.asks, publishedLevels, false)
		s.mu.Unlock()
	case mdKline:
		it.nk = getRec(c.nKlines)
		k := it.nk
		if err := naiveKlineOf(m.ex, m.data, k); err != nil {
			return err
		}
		s := c.shardOfName(k.Symbol)
		s.mu.Lock()
		s.nklines[k.Symbol] = *k
		s.mu.Unlock()
	default:
		it.ntk = getRec(c.nTickers)
		t := it.ntk
		if err := naiveTickerOf(m.ex, m.data, t); err != nil {
			return err
		}
		s := c.shardOfName(t.Symbol)
		s.mu.Lock()
		s.ntickers[t.Symbol] = *t
		s.mu.Unlock()
	}
	return nil
}

// applyNaive applies changed levels to a price->quantity map and, past
// depth levels, drops the worst ones: the seed's dict-and-sort order book.
func applyNaive(side map[string]string, changes [][2]string, depth int, desc bool) {
	for _, ch := range changes {
		if q, err := strconv.ParseFloat(ch[1], 64); err == nil && q == 0 {
			delete(side, ch[0])
		} else {
			side[ch[0]] = ch[1]
		}
	}
	if len(side) <= depth {
		return
	}
	for _, lv := range sortedNaive(side, desc)[depth:] {
		delete(side, lv[0])
	}
}

// sortedNaive returns the levels of side, best first.
func sortedNaive(side map[string]string, desc bool) [][2]string {
	out := make([][2]string, 0, len(side))
	for p, q := range side {
		out = append(out, [2]string{p, q})
	}
	sort.Slice(out, func(i, j int) bool {
		a, _ := strconv.ParseFloat(out[i][0], 64)
		b, _ := strconv.ParseFloat(out[j][0], 64)
		if desc {
			return a > b
		}
		return a < b
	})
	return out
}

// topNaive returns the best n levels of side.
func topNaive(side map[string]string, n int, desc bool) [][2]string {
	all := sortedNaive(side, desc)
	return all[:min(n, len(all))]
}

// release returns a record that will not be published to its pool.
func (c *collector) release(it *pubItem) {
	if !c.pooled {
		return
	}
	if c.mp != nil {
		putRec(c.mp.Trades, it.t)
		putRec(c.mp.OrderBooks, it.b)
		putRec(c.mp.Klines, it.k)
		putRec(c.mp.Tickers, it.tk)
		return
	}
	putRec(c.nTrades, it.nt)
	putRec(c.nBooks, it.nb)
	putRec(c.nKlines, it.nk)
	putRec(c.nTickers, it.ntk)
}
