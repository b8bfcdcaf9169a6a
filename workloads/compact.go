package workloads

import (
	"errors"
	"fmt"
	"time"

	"github.com/memprism/memprism/pools"
)

// normalizeCompact scans msg without allocating into the compact rec and
// grows the aggregate table to cover its symbol.
func (t *churnTask) normalizeCompact(msg []byte, ex int, rec *pools.Trade) error {
	t.sc.reset(msg)
	var rawSym []byte
	var side pools.Side
	var err error
	seen := 0
	for {
		k, v, _, ok := t.sc.next()
		if !ok {
			break
		}
		var e error
		switch ex {
		case 0:
			switch string(k) {
			case "s":
				rawSym = v
			case "t":
				rec.TradeID, e = parseUintBytes(v)
			case "p":
				rec.Price, e = pools.ParseFixedBytes(v)
			case "q":
				rec.Quantity, e = pools.ParseFixedBytes(v)
			case "T":
				var ms uint64
				ms, e = parseUintBytes(v)
				rec.Timestamp = int64(ms) * int64(time.Millisecond)
			case "m":
				side = pools.SideBuy
				if string(v) == "true" { // the buyer was the maker
					side = pools.SideSell
				}
			case "M":
				rec.SetBestMatch(string(v) == "true")
			default:
				continue
			}
		case 1:
			switch string(k) {
			case "instId":
				rawSym = v
			case "tradeId":
				rec.TradeID, e = parseUintBytes(v)
			case "px":
				rec.Price, e = pools.ParseFixedBytes(v)
			case "sz":
				rec.Quantity, e = pools.ParseFixedBytes(v)
			case "side":
				side, e = parseSideBytes(v)
			case "ts":
				var ms uint64
				ms, e = parseUintBytes(v)
				rec.Timestamp = int64(ms) * int64(time.Millisecond)
			default:
				continue
			}
		default:
			switch string(k) {
			case "product_id":
				rawSym = v
			case "trade_id":
				rec.TradeID, e = parseUintBytes(v)
			case "price":
				rec.Price, e = pools.ParseFixedBytes(v)
			case "size":
				rec.Quantity, e = pools.ParseFixedBytes(v)
			case "side":
				side, e = parseSideBytes(v)
			case "time":
				rec.Timestamp, e = parseISOMillis(v)
			default:
				continue
			}
		}
		if e != nil && err == nil {
			err = fmt.Errorf("field %q: %w", k, e)
		}
		seen++
	}
	if t.sc.err != nil {
		return fmt.Errorf("decode %s message: %w", genExchanges[ex], t.sc.err)
	}
	if err != nil {
		return fmt.Errorf("%s message: %w", genExchanges[ex], err)
	}
	if rawSym == nil || side == pools.SideUnknown || seen < 6 {
		return fmt.Errorf("%s message: missing fields", genExchanges[ex])
	}
	rec.Side = side
	if rec.QuoteQuantity, err = pools.MulFixed(rec.Price, rec.Quantity); err != nil {
		return fmt.Errorf("%s message: quote quantity: %w", genExchanges[ex], err)
	}
	rec.Exchange = t.sh.exSyms[ex]
	rec.Symbol = t.normalSym(ex, rawSym)
	rec.CollectedAt = time.Now().UnixNano()
	return nil
}

// normalSym maps an exchange's symbol spelling to the interned normalized
// one ("BTCUSDT" -> "BTC-USDT"), caching the mapping by raw Sym. Every
// normalized Sym the task sees passes its miss path once, so that is where
// the task's per-symbol aggregates grow to hold it.
func (t *churnTask) normalSym(ex int, raw []byte) pools.Sym {
	rs := t.sh.syms.InternBytes(raw)
	if int(rs) < len(t.norm) && t.norm[rs] != 0 {
		return t.norm[rs]
	}
	ns := t.sh.syms.Intern(normalSymbol(ex, string(raw)))
	if need := int(rs) + 1; need > len(t.norm) {
		t.norm = append(t.norm, make([]pools.Sym, need-len(t.norm))...)
	}
	t.norm[rs] = ns
	if need := int(ns) + 1; need > len(t.compactAgg) {
		t.compactAgg = append(t.compactAgg, make([]vwap, need-len(t.compactAgg))...)
	}
	return ns
}

// parseSideBytes reads "buy" or "sell" without allocating.
func parseSideBytes(b []byte) (pools.Side, error) {
	switch string(b) {
	case "buy":
		return pools.SideBuy, nil
	case "sell":
		return pools.SideSell, nil
	}
	return pools.SideUnknown, pools.ErrSide
}

var errDigits = errors.New("want decimal digits")

// parseUintBytes parses a non-negative decimal integer without allocating.
func parseUintBytes(b []byte) (uint64, error) {
	if len(b) == 0 || len(b) > 19 {
		return 0, errDigits
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, errDigits
		}
		n = n*10 + uint64(c-'0')
	}
	return n, nil
}

var errISOTime = errors.New("want a UTC time like 2006-01-02T15:04:05.000Z")

// parseISOMillis parses "2006-01-02T15:04:05.000Z" (fraction optional, one
// to nine digits) into unix nanoseconds without allocating.
func parseISOMillis(b []byte) (int64, error) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' || b[len(b)-1] != 'Z' {
		return 0, errISOTime
	}
	num := func(s []byte) (int, bool) {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(b[0:4])
	mo, ok2 := num(b[5:7])
	d, ok3 := num(b[8:10])
	h, ok4 := num(b[11:13])
	mi, ok5 := num(b[14:16])
	s, ok6 := num(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 {
		return 0, errISOTime
	}
	ns := 0
	if frac := b[19 : len(b)-1]; len(frac) > 0 {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return 0, errISOTime
		}
		f, ok := num(frac[1:])
		if !ok {
			return 0, errISOTime
		}
		for range 9 - (len(frac) - 1) {
			f *= 10
		}
		ns = f
	}
	return time.Date(y, time.Month(mo), d, h, mi, s, ns, time.UTC).UnixNano(), nil
}
