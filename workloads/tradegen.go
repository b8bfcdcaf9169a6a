package workloads

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/memprism/memprism/pools"
)

// Exchanges whose trade streams the generator imitates, in the order the
// `exchanges` param enables them.
var genExchanges = []string{"binance", "okx", "coinbase"}

// realBases are the first symbols' base assets; further symbols are synthetic.
var realBases = []string{"BTC", "ETH", "SOL", "XRP", "BNB", "DOGE", "ADA", "AVAX", "LINK", "DOT",
	"TRX", "LTC", "MATIC", "ATOM", "UNI", "XLM", "ETC", "FIL", "APT", "ARB"}

// genQuote is every generated symbol's quote asset.
const genQuote = "USDT"

// genEpochMs is the first generated trade's exchange time (2023-11-14T22:13:20Z).
const genEpochMs int64 = 1_700_000_000_000

// tradeGen produces seeded raw exchange trade messages shaped like Binance,
// OKX and Coinbase WebSocket trade events. Messages are written into one
// reused buffer, so generating costs no allocation in steady state.
type tradeGen struct {
	rng       *rand.Rand
	exchanges int
	bases     []string
	prices    []int64 // fixed point, a random walk per symbol
	n         int64   // messages generated
	tradeID   uint64
	buf       []byte
}

func newTradeGen(seed uint64, symbols, exchanges int) *tradeGen {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	g := &tradeGen{rng: rng, exchanges: exchanges, tradeID: 1_000_000 + seed%1000*1_000_000,
		bases: make([]string, symbols), prices: make([]int64, symbols), buf: make([]byte, 0, 512)}
	for i := range g.bases {
		g.bases[i] = genBase(i)
		g.prices[i] = (1 + rng.Int64N(50_000)) * pools.Scale / int64(1+i%7) // 0.14 .. 50000
	}
	return g
}

// genBase is the base asset of symbol i: real names first, then T<i>.
func genBase(i int) string {
	if i < len(realBases) {
		return realBases[i]
	}
	return "T" + strconv.Itoa(i)
}

// walk moves a fixed-point price by a random step of at most ±0.05%.
func walk(rng *rand.Rand, p int64) int64 {
	return p + p/2000*(rng.Int64N(2001)-1000)/1000
}

// roundTick rounds a fixed-point price down to 0.01, and to at least 0.01.
func roundTick(p int64) int64 { return max(p/1_000_000*1_000_000, 1_000_000) }

// genQty draws a fixed-point quantity: 0.00001 .. 2 units.
func genQty(rng *rand.Rand) int64 { return (1 + rng.Int64N(200_000)) * 1_000 }

// next writes the next message and returns it with the index of its
// exchange in genExchanges. The bytes are valid until the following call.
func (g *tradeGen) next() (msg []byte, exchange int) {
	exchange = int(g.n % int64(g.exchanges))
	sym := g.rng.IntN(len(g.bases))
	// A random walk of at most ±0.05% per trade, rounded to 0.01.
	p := roundTick(walk(g.rng, g.prices[sym]))
	g.prices[sym] = p
	q := genQty(g.rng)
	buyerMaker := g.rng.IntN(2) == 0
	ts := genEpochMs + g.n
	g.tradeID++
	g.n++
	b := g.buf[:0]
	base := g.bases[sym]
	switch exchange {
	case 0: // binance: {"e":"trade","E":..,"s":"BTCUSDT","t":..,"p":"..","q":"..","T":..,"m":true,"M":true}
		b = append(b, `{"e":"trade","E":`...)
		b = strconv.AppendInt(b, ts+3, 10)
		b = append(b, `,"s":"`...)
		b = append(b, base...)
		b = append(b, genQuote...)
		b = append(b, `","t":`...)
		b = strconv.AppendUint(b, g.tradeID, 10)
		b = append(b, `,"p":"`...)
		b = pools.AppendFixed(b, p)
		b = append(b, `","q":"`...)
		b = pools.AppendFixed(b, q)
		b = append(b, `","T":`...)
		b = strconv.AppendInt(b, ts, 10)
		b = append(b, `,"m":`...)
		b = strconv.AppendBool(b, buyerMaker)
		b = append(b, `,"M":true}`...)
	case 1: // okx: {"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{...}]}
		b = append(b, `{"arg":{"channel":"trades","instId":"`...)
		b = append(b, base...)
		b = append(b, '-')
		b = append(b, genQuote...)
		b = append(b, `"},"data":[{"instId":"`...)
		b = append(b, base...)
		b = append(b, '-')
		b = append(b, genQuote...)
		b = append(b, `","tradeId":"`...)
		b = strconv.AppendUint(b, g.tradeID, 10)
		b = append(b, `","px":"`...)
		b = pools.AppendFixed(b, p)
		b = append(b, `","sz":"`...)
		b = pools.AppendFixed(b, q)
		b = append(b, `","side":"`...)
		b = append(b, takerSide(buyerMaker)...)
		b = append(b, `","ts":"`...)
		b = strconv.AppendInt(b, ts, 10)
		b = append(b, `"}]}`...)
	default: // coinbase: {"type":"match","trade_id":..,"product_id":"BTC-USDT",...,"time":"RFC3339"}
		b = append(b, `{"type":"match","trade_id":`...)
		b = strconv.AppendUint(b, g.tradeID, 10)
		b = append(b, `,"sequence":`...)
		b = strconv.AppendInt(b, g.n, 10)
		b = append(b, `,"product_id":"`...)
		b = append(b, base...)
		b = append(b, '-')
		b = append(b, genQuote...)
		b = append(b, `","size":"`...)
		b = pools.AppendFixed(b, q)
		b = append(b, `","price":"`...)
		b = pools.AppendFixed(b, p)
		b = append(b, `","side":"`...)
		b = append(b, takerSide(buyerMaker)...)
		b = append(b, `","time":"`...)
		b = time.UnixMilli(ts).UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
		b = append(b, `"}`...)
	}
	g.buf = b
	return b, exchange
}

// takerSide is the aggressor side: a buyer-maker trade was a taker sell.
func takerSide(buyerMaker bool) string {
	if buyerMaker {
		return "sell"
	}
	return "buy"
}
