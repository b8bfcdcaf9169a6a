package workloads

import (
	"strconv"
	"time"

	"github.com/memprism/memprism/pools"
)

// Statement heads of the collector's published batches.
const (
	insertTrades  = "INSERT INTO trades (exchange,symbol,trade_id,price,quantity,quote_quantity,side,ts) VALUES "
	insertKlines  = "INSERT INTO klines (exchange,symbol,open_time,open,high,low,close,volume,quote_volume,closed) VALUES "
	insertTickers = "INSERT INTO tickers (exchange,symbol,ts,last,bid,bid_qty,ask,ask_qty,open_24h,high_24h,low_24h,volume_24h) VALUES "
	publishBooks  = `{"topic":"orderbook","books":[`
)

// flush publishes a batch: one multi-row INSERT per record kind for trades,
// klines and tickers, one bus message for order books; then it records each
// message's latency (from its intended time) and service time, and returns
// pooled records. It runs under the batcher's lock.
func (c *collector) flush(batch []pubItem) error {
	for kind := range mdKinds {
		b := c.scratch[:0]
		n := 0
		for i := range batch {
			it := &batch[i]
			if int(it.kind) != kind {
				continue
			}
			if n == 0 {
				b = append(b, [mdKinds]string{insertTrades, publishBooks, insertKlines, insertTickers}[kind]...)
			} else {
				b = append(b, ',')
			}
			n++
			b = c.appendRecord(b, it)
		}
		if n == 0 {
			continue
		}
		if kind == mdDepth {
			b = append(b, "]}"...)
		} else {
			b = append(b, ';')
		}
		c.pub.publish(b)
		c.scratch = b
	}
	now := c.rec.Start()
	for i := range batch {
		c.rec.Record(batch[i].intended, batch[i].started, now)
		c.release(&batch[i])
	}
	c.done += int64(len(batch))
	return nil
}

// appendRecord encodes one record as a SQL row or a JSON book.
func (c *collector) appendRecord(b []byte, it *pubItem) []byte {
	quote := func(b []byte, s string) []byte {
		b = append(b, '\'')
		b = append(b, s...)
		return append(b, '\'')
	}
	fx := pools.AppendFixed
	ms := func(b []byte, ns int64) []byte { return strconv.AppendInt(b, ns/int64(time.Millisecond), 10) }
	name := c.syms.Name
	// pair writes the quoted exchange and symbol every row starts with.
	pair := func(b []byte, ex, sym string) []byte { return quote(append(quote(b, ex), ','), sym) }
	switch {
	case it.b != nil:
		return c.appendBook(b, it.b)
	case it.nb != nil:
		return appendNaiveBook(b, it.nb)
	}
	b = append(b, '(')
	switch {
	case it.t != nil:
		t := it.t
		b = pair(b, name(t.Exchange), name(t.Symbol))
		b = append(b, ',')
		b = strconv.AppendUint(b, t.TradeID, 10)
		for _, v := range []int64{t.Price, t.Quantity, t.QuoteQuantity} {
			b = fx(append(b, ','), v)
		}
		b = append(b, ',')
		b = quote(b, t.Side.String())
		b = ms(append(b, ','), t.Timestamp)
	case it.nt != nil:
		t := it.nt
		b = pair(b, t.Exchange, t.Symbol)
		for _, s := range []string{t.TradeID, t.Price, t.Quantity, t.QuoteQuantity, t.Side} {
			b = quote(append(b, ','), s)
		}
		b = append(b, ',')
		b = quote(b, t.Timestamp.Format(time.RFC3339Nano))
	case it.k != nil:
		k := it.k
		b = pair(b, name(k.Exchange), name(k.Symbol))
		b = ms(append(b, ','), k.OpenTime)
		for _, v := range []int64{k.Open, k.High, k.Low, k.Close, k.Volume, k.QuoteVolume} {
			b = fx(append(b, ','), v)
		}
		b = strconv.AppendBool(append(b, ','), k.Closed)
	case it.nk != nil:
		k := it.nk
		b = pair(b, k.Exchange, k.Symbol)
		b = append(b, ',')
		b = quote(b, k.OpenTime.Format(time.RFC3339Nano))
		for _, s := range []string{k.Open, k.High, k.Low, k.Close, k.Volume, k.QuoteVolume} {
			b = quote(append(b, ','), s)
		}
		b = strconv.AppendBool(append(b, ','), k.Closed)
	case it.tk != nil:
		t := it.tk
		b = pair(b, name(t.Exchange), name(t.Symbol))
		b = ms(append(b, ','), t.Timestamp)
		for _, v := range []int64{t.Last, t.BidPrice, t.BidQty, t.AskPrice, t.AskQty, t.Open24h, t.High24h, t.Low24h, t.Volume24h} {
			b = fx(append(b, ','), v)
		}
	case it.ntk != nil:
		t := it.ntk
		b = pair(b, t.Exchange, t.Symbol)
		b = append(b, ',')
		b = quote(b, t.Timestamp.Format(time.RFC3339Nano))
		for _, s := range []string{t.Last, t.BidPrice, t.BidQty, t.AskPrice, t.AskQty, t.Open24h, t.High24h, t.Low24h, t.Volume24h} {
			b = quote(append(b, ','), s)
		}
	}
	return append(b, ')')
}

// appendBook encodes a compact book snapshot as JSON.
func (c *collector) appendBook(b []byte, o *pools.OrderBook) []byte {
	b = append(b, `{"exchange":"`...)
	b = append(b, c.syms.Name(o.Exchange)...)
	b = append(b, `","symbol":"`...)
	b = append(b, c.syms.Name(o.Symbol)...)
	b = append(b, `","ts":`...)
	b = strconv.AppendInt(b, o.Timestamp/int64(time.Millisecond), 10)
	for side, lv := range [2][]pools.Level{o.Bids, o.Asks} {
		b = append(b, [2]string{`,"bids":[`, `,"asks":[`}[side]...)
		for i, l := range lv {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `["`...)
			b = pools.AppendFixed(b, l.Price)
			b = append(b, `","`...)
			b = pools.AppendFixed(b, l.Quantity)
			b = append(b, `"]`...)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// appendNaiveBook encodes a naive book snapshot as JSON.
func appendNaiveBook(b []byte, o *naiveBook) []byte {
	b = append(b, `{"exchange":"`...)
	b = append(b, o.Exchange...)
	b = append(b, `","symbol":"`...)
	b = append(b, o.Symbol...)
	b = append(b, `","ts":"`...)
	b = append(b, o.Timestamp.Format(time.RFC3339Nano)...)
	b = append(b, '"')
	for side, lv := range [2][][2]string{o.Bids, o.Asks} {
		b = append(b, [2]string{`,"bids":[`, `,"asks":[`}[side]...)
		for i, l := range lv {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `["`...)
			b = append(b, l[0]...)
			b = append(b, `","`...)
			b = append(b, l[1]...)
			b = append(b, `"]`...)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}
