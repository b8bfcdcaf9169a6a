package workloads

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/memprism/memprism/pools"
)

// Kinds of raw market-data messages the collector handles.
const (
	mdTrade  = iota // a trade
	mdDepth         // an order book depth update (changed price levels; quantity 0 removes a level)
	mdKline         // a 1-minute candlestick
	mdTicker        // a 24-hour ticker
	mdKinds
)

// mdKindNames names the kinds in errors and docs.
var mdKindNames = [mdKinds]string{"trade", "depth", "kline", "ticker"}

// rawMsg is one generated exchange message.
type rawMsg struct {
	kind, ex, sym int
	data          []byte
}

// marketGen produces seeded raw WebSocket messages of the four kinds in the
// formats Binance, OKX and Coinbase publish them: trades as tradeGen writes
// them; depth as Binance depthUpdate, OKX books (action update) and Coinbase
// l2update; klines as Binance kline, OKX candle1m and Coinbase Advanced
// Trade candles; tickers as Binance 24hrTicker, OKX tickers and Coinbase
// ticker. Of every 10 messages 4 are trades, 4 depth updates, 1 a kline and
// 1 a ticker, the exchanges in rotation.
type marketGen struct {
	trades    *tradeGen
	rng       *rand.Rand
	exchanges int
	bases     []string
	mid       []int64 // fixed point mid price per symbol, a random walk
	spread    int     // depth changes land 1..spread ticks from the mid price
	n         int64
	seq       uint64
}

// newMarketGen returns a generator whose depth updates change levels up to
// spread ticks (0.01% of the price each) away from the mid price, so that
// books fill to about spread levels a side.
func newMarketGen(seed uint64, symbols, exchanges, spread int) *marketGen {
	g := &marketGen{trades: newTradeGen(seed, symbols, exchanges), rng: rand.New(rand.NewPCG(seed^0x5bd1e995, seed)),
		exchanges: exchanges, bases: make([]string, symbols), mid: make([]int64, symbols), spread: max(spread, 1), seq: 1_000_000}
	for i := range g.bases {
		g.bases[i] = genBase(i)
		g.mid[i] = g.trades.prices[i]
	}
	return g
}

// mdMix is the kind of message i%10.
var mdMix = [10]int{mdTrade, mdDepth, mdTrade, mdDepth, mdKline, mdTrade, mdDepth, mdTrade, mdDepth, mdTicker}

// next returns a new message (its bytes freshly allocated: generation is
// done before a run, and the messages are read-only afterwards).
func (g *marketGen) next() rawMsg {
	kind := mdMix[g.n%10]
	ex := int(g.n/10) % g.exchanges
	if kind == mdTrade {
		g.n++
		data, tex := g.trades.next()
		// tradeGen picks its own symbol; the collector reads it from the message.
		return rawMsg{kind: mdTrade, ex: tex, sym: -1, data: append([]byte(nil), data...)}
	}
	sym := g.rng.IntN(len(g.bases))
	g.mid[sym] = roundTick(walk(g.rng, g.mid[sym]))
	ts := genEpochMs + g.n
	g.n++
	g.seq++
	var b []byte
	switch kind {
	case mdDepth:
		b = g.depth(ex, sym, ts)
	case mdKline:
		b = g.kline(ex, sym, ts)
	default:
		b = g.ticker(ex, sym, ts)
	}
	return rawMsg{kind: kind, ex: ex, sym: sym, data: b}
}

// symbol writes symbol sym as exchange ex spells it.
func (g *marketGen) symbol(b []byte, ex, sym int) []byte {
	b = append(b, g.bases[sym]...)
	if ex != 0 {
		b = append(b, '-')
	}
	return append(b, genQuote...)
}

// levels writes 1-3 changed levels on one side around the mid price, a
// quarter of them removals (quantity 0); step is -1 for bids, +1 for asks.
// okx adds OKX's two extra fields; cbSide prefixes Coinbase's side.
func (g *marketGen) levels(b []byte, sym int, step int64, okx bool, cbSide string) []byte {
	n := 1 + g.rng.IntN(3)
	tick := max(g.mid[sym]/10_000, 1_000_000) // 0.01% of the price, at least 0.01
	for i := range n {
		if i > 0 || cbSide != "" && len(b) > 0 && b[len(b)-1] == ']' {
			b = append(b, ',')
		}
		price := roundTick(g.mid[sym] + step*tick*int64(1+g.rng.IntN(g.spread)))
		qty := int64(0)
		if g.rng.IntN(4) != 0 {
			qty = genQty(g.rng)
		}
		b = append(b, '[')
		if cbSide != "" {
			b = append(b, '"')
			b = append(b, cbSide...)
			b = append(b, `",`...)
		}
		b = append(b, '"')
		b = pools.AppendFixed(b, price)
		b = append(b, `","`...)
		b = pools.AppendFixed(b, qty)
		b = append(b, '"')
		if okx {
			b = append(b, `,"0","`...)
			b = strconv.AppendInt(b, int64(1+g.rng.IntN(9)), 10)
			b = append(b, '"')
		}
		b = append(b, ']')
	}
	return b
}

func (g *marketGen) depth(ex, sym int, ts int64) []byte {
	b := make([]byte, 0, 256)
	switch ex {
	case 0: // {"e":"depthUpdate","E":..,"s":"BTCUSDT","U":..,"u":..,"b":[["p","q"]],"a":[["p","q"]]}
		b = append(b, `{"e":"depthUpdate","E":`...)
		b = strconv.AppendInt(b, ts, 10)
		b = append(b, `,"s":"`...)
		b = g.symbol(b, ex, sym)
		b = append(b, `","U":`...)
		b = strconv.AppendUint(b, g.seq, 10)
		b = append(b, `,"u":`...)
		b = strconv.AppendUint(b, g.seq+2, 10)
		b = append(b, `,"b":[`...)
		b = g.levels(b, sym, -1, false, "")
		b = append(b, `],"a":[`...)
		b = g.levels(b, sym, 1, false, "")
		b = append(b, "]}"...)
	case 1: // {"arg":{"channel":"books","instId":".."},"action":"update","data":[{"asks":[[p,q,"0",n]],"bids":[..],"ts":"..","checksum":..,"seqId":..}]}
		b = append(b, `{"arg":{"channel":"books","instId":"`...)
		b = g.symbol(b, ex, sym)
		b = append(b, `"},"action":"update","data":[{"asks":[`...)
		b = g.levels(b, sym, 1, true, "")
		b = append(b, `],"bids":[`...)
		b = g.levels(b, sym, -1, true, "")
		b = append(b, `],"ts":"`...)
		b = strconv.AppendInt(b, ts, 10)
		b = append(b, `","checksum":`...)
		b = strconv.AppendInt(b, int64(g.rng.Int32())-1<<30, 10)
		b = append(b, `,"seqId":`...)
		b = strconv.AppendUint(b, g.seq, 10)
		b = append(b, "}]}"...)
	default: // {"type":"l2update","product_id":"..","changes":[["buy","p","q"],["sell","p","q"]],"time":".."}
		b = append(b, `{"type":"l2update","product_id":"`...)
		b = g.symbol(b, ex, sym)
		b = append(b, `","changes":[`...)
		b = g.levels(b, sym, -1, false, "buy")
		b = g.levels(b, sym, 1, false, "sell")
		b = append(b, `],"time":"`...)
		b = time.UnixMilli(ts).UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
		b = append(b, `"}`...)
	}
	return b
}

// candle returns open, high, low, close, volume and quote volume around the mid price.
func (g *marketGen) candle(sym int) (o, h, l, c, v, q int64) {
	m := g.mid[sym]
	spread := max(m/500, 1_000_000)
	o = roundTick(m - spread/2 + g.rng.Int64N(spread))
	c = m
	h = roundTick(max(o, c) + g.rng.Int64N(spread))
	l = roundTick(max(min(o, c)-g.rng.Int64N(spread), 1_000_000))
	v = genQty(g.rng) * int64(1+g.rng.IntN(100))
	q, _ = pools.MulFixed(v, c)
	return o, h, l, c, v, q
}

// appendFixedMember writes the JSON member ,"k":"x" with fixed point x as
// a decimal string, as the exchanges send prices and quantities.
func appendFixedMember(b []byte, k string, x int64) []byte {
	b = append(b, `,"`...)
	b = append(b, k...)
	b = append(b, `":"`...)
	b = pools.AppendFixed(b, x)
	return append(b, '"')
}

func (g *marketGen) kline(ex, sym int, ts int64) []byte {
	b := make([]byte, 0, 320)
	o, h, l, c, v, q := g.candle(sym)
	start := ts / 60_000 * 60_000
	switch ex {
	case 0: // {"e":"kline","E":..,"s":"..","k":{"t":..,"T":..,"s":"..","i":"1m","f":..,"L":..,"o":"..","c":"..","h":"..","l":"..","v":"..","n":..,"x":false,"q":"..","V":"..","Q":"..","B":"0"}}
		b = append(b, `{"e":"kline","E":`...)
		b = strconv.AppendInt(b, ts, 10)
		b = append(b, `,"s":"`...)
		b = g.symbol(b, ex, sym)
		b = append(b, `","k":{"t":`...)
		b = strconv.AppendInt(b, start, 10)
		b = append(b, `,"T":`...)
		b = strconv.AppendInt(b, start+59_999, 10)
		b = append(b, `,"s":"`...)
		b = g.symbol(b, ex, sym)
		b = append(b, `","i":"1m","f":`...)
		b = strconv.AppendUint(b, g.seq, 10)
		b = append(b, `,"L":`...)
		b = strconv.AppendUint(b, g.seq+99, 10)
		for _, kv := range []struct {
			k string
			v int64
		}{{"o", o}, {"c", c}, {"h", h}, {"l", l}, {"v", v}} {
			b = appendFixedMember(b, kv.k, kv.v)
		}
		b = append(b, `,"n":100,"x":false,"q":"`...)
		b = pools.AppendFixed(b, q)
		b = append(b, `","V":"0","Q":"0","B":"0"}}`...)
	case 1: // {"arg":{"channel":"candle1m","instId":".."},"data":[["ts","o","h","l","c","vol","volCcy","volCcyQuote","0"]]}
		b = append(b, `{"arg":{"channel":"candle1m","instId":"`...)
		b = g.symbol(b, ex, sym)
		b = append(b, `"},"data":[["`...)
		b = strconv.AppendInt(b, start, 10)
		for _, x := range []int64{o, h, l, c, v, v, q} {
			b = append(b, `","`...)
			b = pools.AppendFixed(b, x)
		}
		b = append(b, `","0"]]}`...)
	default: // {"channel":"candles","timestamp":"..","sequence_num":..,"events":[{"type":"update","candles":[{"start":"<unix s>","high":..,"low":..,"open":..,"close":..,"volume":..,"product_id":".."}]}]}
		b = append(b, `{"channel":"candles","timestamp":"`...)
		b = time.UnixMilli(ts).UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
		b = append(b, `","sequence_num":`...)
		b = strconv.AppendUint(b, g.seq, 10)
		b = append(b, `,"events":[{"type":"update","candles":[{"start":"`...)
		b = strconv.AppendInt(b, start/1000, 10)
		for _, kv := range []struct {
			k string
			v int64
		}{{"high", h}, {"low", l}, {"open", o}, {"close", c}, {"volume", v}} {
			b = append(b, `","`...)
			b = append(b, kv.k...)
			b = append(b, `":"`...)
			b = pools.AppendFixed(b, kv.v)
		}
		b = append(b, `","product_id":"`...)
		b = g.symbol(b, ex, sym)
		b = append(b, `"}]}]}`...)
	}
	return b
}

func (g *marketGen) ticker(ex, sym int, ts int64) []byte {
	b := make([]byte, 0, 480)
	o, h, l, c, v, q := g.candle(sym)
	tick := max(c/20_000, 1_000_000)
	bid, ask := roundTick(c-tick), roundTick(c+tick)
	bq, aq := genQty(g.rng), genQty(g.rng)
	str := appendFixedMember
	switch ex {
	case 0: // {"e":"24hrTicker","E":..,"s":"..","p":..,"P":..,"w":..,"x":..,"c":..,"Q":..,"b":..,"B":..,"a":..,"A":..,"o":..,"h":..,"l":..,"v":..,"q":..,"O":..,"C":..,"F":..,"L":..,"n":..}
		b = append(b, `{"e":"24hrTicker","E":`...)
		b = strconv.AppendInt(b, ts, 10)
		b = append(b, `,"s":"`...)
		b = g.symbol(b, ex, sym)
		b = append(b, '"')
		b = str(b, "p", c-o)
		b = append(b, `,"P":"0.00"`...)
		b = str(b, "w", c)
		b = str(b, "x", o)
		b = str(b, "c", c)
		b = str(b, "Q", bq)
		b = str(b, "b", bid)
		b = str(b, "B", bq)
		b = str(b, "a", ask)
		b = str(b, "A", aq)
		b = str(b, "o", o)
		b = str(b, "h", h)
		b = str(b, "l", l)
		b = str(b, "v", v)
		b = str(b, "q", q)
		b = append(b, `,"O":`...)
		b = strconv.AppendInt(b, ts-86_400_000, 10)
		b = append(b, `,"C":`...)
		b = strconv.AppendInt(b, ts, 10)
		b = append(b, `,"F":0,"L":18150,"n":18151}`...)
	case 1: // {"arg":{"channel":"tickers","instId":".."},"data":[{"instType":"SPOT","instId":"..","last":..,"lastSz":..,"askPx":..,"askSz":..,"bidPx":..,"bidSz":..,"open24h":..,"high24h":..,"low24h":..,"volCcy24h":..,"vol24h":..,"ts":".."}]}
		b = append(b, `{"arg":{"channel":"tickers","instId":"`...)
		b = g.symbol(b, ex, sym)
		b = append(b, `"},"data":[{"instType":"SPOT","instId":"`...)
		b = g.symbol(b, ex, sym)
		b = append(b, '"')
		b = str(b, "last", c)
		b = str(b, "lastSz", bq)
		b = str(b, "askPx", ask)
		b = str(b, "askSz", aq)
		b = str(b, "bidPx", bid)
		b = str(b, "bidSz", bq)
		b = str(b, "open24h", o)
		b = str(b, "high24h", h)
		b = str(b, "low24h", l)
		b = str(b, "volCcy24h", q)
		b = str(b, "vol24h", v)
		b = append(b, `,"ts":"`...)
		b = strconv.AppendInt(b, ts, 10)
		b = append(b, `"}]}`...)
	default: // {"type":"ticker","sequence":..,"product_id":"..","price":..,"open_24h":..,"volume_24h":..,"low_24h":..,"high_24h":..,"best_bid":..,"best_bid_size":..,"best_ask":..,"best_ask_size":..,"side":"buy","time":"..","trade_id":..,"last_size":..}
		b = append(b, `{"type":"ticker","sequence":`...)
		b = strconv.AppendUint(b, g.seq, 10)
		b = append(b, `,"product_id":"`...)
		b = g.symbol(b, ex, sym)
		b = append(b, '"')
		b = str(b, "price", c)
		b = str(b, "open_24h", o)
		b = str(b, "volume_24h", v)
		b = str(b, "low_24h", l)
		b = str(b, "high_24h", h)
		b = str(b, "best_bid", bid)
		b = str(b, "best_bid_size", bq)
		b = str(b, "best_ask", ask)
		b = str(b, "best_ask_size", aq)
		b = append(b, `,"side":"buy","time":"`...)
		b = time.UnixMilli(ts).UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
		b = append(b, `","trade_id":`...)
		b = strconv.AppendUint(b, g.seq, 10)
		b = str(b, "last_size", bq)
		b = append(b, '}')
	}
	return b
}
