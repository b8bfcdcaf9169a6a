package pools

// Level is one price level of an order book side, in fixed point (Scale).
type Level struct {
	Price    int64
	Quantity int64
}

// OrderBook is a compact order book snapshot; Bids and Asks keep their capacity across reuse.
type OrderBook struct {
	Exchange  Sym
	Symbol    Sym
	Timestamp int64 // unix nanoseconds
	Bids      []Level
	Asks      []Level
}

// Reset empties the book and keeps the capacity of its level slices for the next snapshot.
func (b *OrderBook) Reset() {
	*b = OrderBook{Bids: b.Bids[:0], Asks: b.Asks[:0]}
}

// Kline is one compact candlestick; amounts are fixed point (Scale), times unix nanoseconds.
type Kline struct {
	OpenTime    int64
	CloseTime   int64
	Open        int64
	High        int64
	Low         int64
	Close       int64
	Volume      int64
	QuoteVolume int64
	Trades      uint32 // number of trades in the interval
	Exchange    Sym
	Symbol      Sym
	IntervalSec uint32 // interval length in seconds: 60 for a 1m kline
	Closed      bool   // the interval is final
}

// Reset zeroes the kline so that it can be reused.
func (k *Kline) Reset() { *k = Kline{} }

// Ticker is a compact 24-hour ticker; amounts are fixed point (Scale), the timestamp unix nanoseconds.
type Ticker struct {
	Timestamp int64
	Last      int64
	BidPrice  int64
	BidQty    int64
	AskPrice  int64
	AskQty    int64
	Open24h   int64
	High24h   int64
	Low24h    int64
	Volume24h int64
	Exchange  Sym
	Symbol    Sym
}

// Reset zeroes the ticker so that it can be reused.
func (t *Ticker) Reset() { *t = Ticker{} }

// The seed's pool sizes (max_size of its ObjectPools). A sync.Pool has no count cap: it keeps what is
// put back until the garbage collector empties it over two cycles, so an idle pool costs nothing and a
// busy one holds about what is in flight. The sizes are therefore documentation of the seed, not
// limits; what a cap protected against, an object whose memory grew, is what Keep guards: MessagePool
// drops order books whose level slices grew past MaxBookLevels instead of pinning their arrays.
const (
	SeedTradePoolSize     = 200
	SeedOrderBookPoolSize = 100
	SeedKlinePoolSize     = 150
	SeedTickerPoolSize    = 100
)

// MaxBookLevels is the level capacity per side above which MessagePool drops an order book on Put.
const MaxBookLevels = 1000

// MessagePool is the seed's MessagePool: one Pool per message type.
type MessagePool struct {
	Trades     *Pool[Trade]
	OrderBooks *Pool[OrderBook]
	Klines     *Pool[Kline]
	Tickers    *Pool[Ticker]
}

// NewMessagePool returns pools for trades, order books, klines and tickers that reset objects on Put
// and drop order books with more than MaxBookLevels levels of capacity on a side.
func NewMessagePool() *MessagePool {
	return &MessagePool{
		Trades: NewPool(PoolOptions[Trade]{New: func() *Trade { return new(Trade) }, Reset: (*Trade).Reset}),
		OrderBooks: NewPool(PoolOptions[OrderBook]{
			New:   func() *OrderBook { return new(OrderBook) },
			Reset: (*OrderBook).Reset,
			Keep: func(b *OrderBook) bool {
				return cap(b.Bids) <= MaxBookLevels && cap(b.Asks) <= MaxBookLevels
			},
		}),
		Klines:  NewPool(PoolOptions[Kline]{New: func() *Kline { return new(Kline) }, Reset: (*Kline).Reset}),
		Tickers: NewPool(PoolOptions[Ticker]{New: func() *Ticker { return new(Ticker) }, Reset: (*Ticker).Reset}),
	}
}

// Stats returns each pool's statistics keyed "trade", "orderbook", "kline" and "ticker", the seed's names.
func (m *MessagePool) Stats() map[string]PoolStats {
	return map[string]PoolStats{
		"trade":     m.Trades.Stats(),
		"orderbook": m.OrderBooks.Stats(),
		"kline":     m.Klines.Stats(),
		"ticker":    m.Tickers.Stats(),
	}
}
