package workloads

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Naive records, as the seed's Python collector kept them: decimal strings,
// time.Time, string symbols and the decoded message map.
type (
	naiveBook struct {
		Exchange, Symbol string
		Timestamp        time.Time
		Bids, Asks       [][2]string // price, quantity as sent; best first in a published snapshot
		RawData          map[string]any
		CollectedAt      time.Time
	}
	naiveKline struct {
		Exchange, Symbol, Interval                  string
		OpenTime, CloseTime                         time.Time
		Open, High, Low, Close, Volume, QuoteVolume string
		Closed                                      bool
		RawData                                     map[string]any
		CollectedAt                                 time.Time
	}
	naiveTicker struct {
		Exchange, Symbol                         string
		Timestamp                                time.Time
		Last, BidPrice, BidQty, AskPrice, AskQty string
		Open24h, High24h, Low24h, Volume24h      string
		RawData                                  map[string]any
		CollectedAt                              time.Time
	}
)

// naiveDecode decodes msg into a generic map, as the seed did.
func naiveDecode(msg []byte, into *map[string]any) error {
	if err := json.Unmarshal(msg, into); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return nil
}

// normalSymbol normalizes an exchange's symbol spelling to BASE-QUOTE
// (Binance's BTCUSDT becomes BTC-USDT); both layouts use it.
func normalSymbol(ex int, s string) string {
	if ex == 0 && strings.HasSuffix(s, genQuote) && len(s) > len(genQuote) {
		return strings.TrimSuffix(s, genQuote) + "-" + genQuote
	}
	return s
}

// sub returns the object at m[k] (or the first element of the array there).
func (r *mapReader) sub(k string) *mapReader {
	v := r.m[k]
	if arr, ok := v.([]any); ok && len(arr) > 0 {
		v = arr[0]
	}
	m, ok := v.(map[string]any)
	if !ok {
		r.fail(k, "an object")
		return &mapReader{m: map[string]any{}, err: r.err}
	}
	return &mapReader{m: m}
}

// millisText reads a millisecond time sent as a number or a string of digits.
func (r *mapReader) millisText(k string) time.Time {
	var ms int64
	switch v := r.m[k].(type) {
	case float64:
		ms = int64(v)
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			r.fail(k, "a millisecond time")
		}
		ms = n
	default:
		r.fail(k, "a millisecond time")
	}
	return time.UnixMilli(ms).UTC()
}

func (r *mapReader) isoTime(k string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, r.str(k))
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("field %q: %w", k, err)
	}
	return t
}

// levelsOf reads [[price, qty, ...], ...] (or, with sided, [[side, price, qty], ...]).
func levelsOf(v any, sided bool, bids, asks [][2]string) ([][2]string, [][2]string, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, nil, fmt.Errorf("levels: want an array, got %T", v)
	}
	for _, x := range arr {
		lv, ok := x.([]any)
		if !ok || len(lv) < 2+b2i(sided) {
			return nil, nil, fmt.Errorf("level: want an array of %d strings", 2+b2i(sided))
		}
		off := b2i(sided)
		p, ok1 := lv[off].(string)
		q, ok2 := lv[off+1].(string)
		if !ok1 || !ok2 {
			return nil, nil, errors.New("level: price and quantity must be strings")
		}
		if sided && lv[0] == "sell" {
			asks = append(asks, [2]string{p, q})
		} else if !sided || lv[0] == "buy" {
			bids = append(bids, [2]string{p, q})
		} else {
			return nil, nil, fmt.Errorf("level side %v", lv[0])
		}
	}
	return bids, asks, nil
}

// naiveDepthOf decodes a depth update into b.RawData and normalizes it into
// b (its changed levels).
func naiveDepthOf(ex int, msg []byte, b *naiveBook) error {
	if err := naiveDecode(msg, &b.RawData); err != nil {
		return err
	}
	m := b.RawData
	b.Exchange = genExchanges[ex]
	r := &mapReader{m: m}
	var err error
	switch ex {
	case 0:
		b.Symbol, b.Timestamp = normalSymbol(ex, r.str("s")), r.millisText("E")
		if b.Bids, _, err = levelsOf(m["b"], false, b.Bids[:0], nil); err == nil {
			b.Asks, _, err = levelsOf(m["a"], false, b.Asks[:0], nil)
		}
	case 1:
		d := r.sub("data")
		b.Symbol, b.Timestamp = r.sub("arg").str("instId"), d.millisText("ts")
		r.err = errors.Join(r.err, d.err)
		if b.Bids, _, err = levelsOf(d.m["bids"], false, b.Bids[:0], nil); err == nil {
			b.Asks, _, err = levelsOf(d.m["asks"], false, b.Asks[:0], nil)
		}
	default:
		b.Symbol, b.Timestamp = r.str("product_id"), r.isoTime("time")
		b.Bids, b.Asks, err = levelsOf(m["changes"], true, b.Bids[:0], b.Asks[:0])
	}
	b.CollectedAt = time.Now()
	return errors.Join(r.err, err)
}

// naiveKlineOf decodes a candle into k.RawData and normalizes it into k.
func naiveKlineOf(ex int, msg []byte, k *naiveKline) error {
	if err := naiveDecode(msg, &k.RawData); err != nil {
		return err
	}
	m := k.RawData
	k.Exchange, k.Interval = genExchanges[ex], "1m"
	r := &mapReader{m: m}
	switch ex {
	case 0:
		c := r.sub("k")
		k.Symbol = normalSymbol(ex, r.str("s"))
		k.OpenTime = c.millisText("t")
		k.Open, k.High, k.Low, k.Close, k.Volume, k.QuoteVolume = c.str("o"), c.str("h"), c.str("l"), c.str("c"), c.str("v"), c.str("q")
		k.Closed = c.boolean("x")
		r.err = errors.Join(r.err, c.err)
	case 1:
		k.Symbol = r.sub("arg").str("instId")
		rows, _ := m["data"].([]any)
		var row []any
		if len(rows) > 0 {
			row, _ = rows[0].([]any)
		}
		if len(row) < 9 {
			return errors.New("okx candle: want 9 fields")
		}
		f := make([]string, 9)
		for i, x := range row[:9] {
			s, ok := x.(string)
			if !ok {
				return errors.New("okx candle: want strings")
			}
			f[i] = s
		}
		ms, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return fmt.Errorf("okx candle time: %w", err)
		}
		k.OpenTime = time.UnixMilli(ms).UTC()
		k.Open, k.High, k.Low, k.Close, k.Volume, k.QuoteVolume = f[1], f[2], f[3], f[4], f[5], f[7]
		k.Closed = f[8] == "1"
	default:
		ev := r.sub("events")
		c := ev.sub("candles")
		k.Symbol = c.str("product_id")
		sec, err := strconv.ParseInt(c.str("start"), 10, 64)
		if err != nil && c.err == nil {
			c.err = fmt.Errorf("candle start: %w", err)
		}
		k.OpenTime = time.Unix(sec, 0).UTC()
		k.Open, k.High, k.Low, k.Close, k.Volume = c.str("open"), c.str("high"), c.str("low"), c.str("close"), c.str("volume")
		v, err1 := strconv.ParseFloat(k.Volume, 64)
		cl, err2 := strconv.ParseFloat(k.Close, 64)
		k.QuoteVolume = strconv.FormatFloat(v*cl, 'f', -1, 64)
		r.err = errors.Join(r.err, ev.err, c.err, err1, err2)
	}
	k.CloseTime = k.OpenTime.Add(time.Minute - time.Nanosecond)
	k.CollectedAt = time.Now()
	return r.err
}

// naiveTickerOf decodes a ticker into t.RawData and normalizes it into t.
func naiveTickerOf(ex int, msg []byte, t *naiveTicker) error {
	if err := naiveDecode(msg, &t.RawData); err != nil {
		return err
	}
	m := t.RawData
	t.Exchange = genExchanges[ex]
	r := &mapReader{m: m}
	switch ex {
	case 0:
		t.Symbol, t.Timestamp = normalSymbol(ex, r.str("s")), r.millisText("E")
		t.Last, t.BidPrice, t.BidQty, t.AskPrice, t.AskQty = r.str("c"), r.str("b"), r.str("B"), r.str("a"), r.str("A")
		t.Open24h, t.High24h, t.Low24h, t.Volume24h = r.str("o"), r.str("h"), r.str("l"), r.str("v")
	case 1:
		d := r.sub("data")
		t.Symbol, t.Timestamp = d.str("instId"), d.millisText("ts")
		t.Last, t.BidPrice, t.BidQty, t.AskPrice, t.AskQty = d.str("last"), d.str("bidPx"), d.str("bidSz"), d.str("askPx"), d.str("askSz")
		t.Open24h, t.High24h, t.Low24h, t.Volume24h = d.str("open24h"), d.str("high24h"), d.str("low24h"), d.str("vol24h")
		r.err = errors.Join(r.err, d.err)
	default:
		t.Symbol, t.Timestamp = r.str("product_id"), r.isoTime("time")
		t.Last, t.BidPrice, t.BidQty, t.AskPrice, t.AskQty = r.str("price"), r.str("best_bid"), r.str("best_bid_size"), r.str("best_ask"), r.str("best_ask_size")
		t.Open24h, t.High24h, t.Low24h, t.Volume24h = r.str("open_24h"), r.str("high_24h"), r.str("low_24h"), r.str("volume_24h")
	}
	t.CollectedAt = time.Now()
	return r.err
}
