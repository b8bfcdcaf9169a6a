package workloads

import (
	"fmt"
	"time"

	"github.com/memprism/memprism/pools"
)

// compactSym interns an exchange's symbol spelling, normalized to BASE-QUOTE
// (Binance's BTCUSDT becomes BTC-USDT), without allocating once seen.
func (c *collector) compactSym(ex int, raw []byte) pools.Sym {
	rs := c.syms.InternBytes(raw)
	c.normMu.RLock()
	ns, ok := c.norm[rs]
	c.normMu.RUnlock()
	if ok {
		return ns
	}
	ns = c.syms.Intern(normalSymbol(ex, string(raw)))
	c.normMu.Lock()
	c.norm[rs] = ns
	c.normMu.Unlock()
	return ns
}

// compactTrade decodes a trade into t.
func (c *collector) compactTrade(ex int, msg []byte, t *pools.Trade) error {
	r := fieldReader{msg: msg}
	var rawSym []byte
	var side pools.Side
	var err error
	switch ex {
	case 0:
		rawSym, t.TradeID, t.Price, t.Quantity, t.Timestamp = r.raw(pS), r.uint(pT), r.fixed(pP), r.fixed(pQ), r.millis(pTT)
		side = pools.SideBuy
		if string(r.raw(pM)) == "true" { // the buyer was the maker: a taker sell
			side = pools.SideSell
		}
	case 1:
		rawSym, t.TradeID, t.Price, t.Quantity, t.Timestamp = r.raw(pInstID), r.uint(pTradeID), r.fixed(pPx), r.fixed(pSz), r.millis(pTs)
		side, err = parseSideBytes(r.raw(pSide))
	default:
		rawSym, t.TradeID, t.Price, t.Quantity, t.Timestamp = r.raw(pProduct), r.uint(pCbTradeID), r.fixed(pPrice), r.fixed(pSize), r.iso(pTime)
		side, err = parseSideBytes(r.raw(pSide))
	}
	if r.err == nil && err != nil {
		r.err = err
	}
	if r.err != nil {
		return r.err
	}
	t.Side = side
	if t.QuoteQuantity, err = pools.MulFixed(t.Price, t.Quantity); err != nil {
		return fmt.Errorf("quote quantity: %w", err)
	}
	t.Exchange, t.Symbol = c.exSyms[ex], c.compactSym(ex, rawSym)
	t.CollectedAt = time.Now().UnixNano()
	return nil
}

// compactDepth decodes a depth update's changed levels into b.Bids and b.Asks.
func (c *collector) compactDepth(ex int, msg []byte, b *pools.OrderBook) error {
	r := fieldReader{msg: msg}
	var rawSym []byte
	var err error
	switch ex {
	case 0:
		rawSym, b.Timestamp = r.raw(pS), r.millis(pE)
		bids, asks := r.raw(pB), r.raw(pA)
		if r.err == nil {
			if b.Bids, _, err = parseLevels(bids, false, b.Bids, nil); err == nil {
				b.Asks, _, err = parseLevels(asks, false, b.Asks, nil)
			}
		}
	case 1:
		rawSym, b.Timestamp = r.raw(pInstID), r.millis(pTs)
		bids, asks := r.raw(pBids), r.raw(pAsks)
		if r.err == nil {
			if b.Bids, _, err = parseLevels(bids, false, b.Bids, nil); err == nil {
				b.Asks, _, err = parseLevels(asks, false, b.Asks, nil)
			}
		}
	default:
		rawSym, b.Timestamp = r.raw(pProduct), r.iso(pTime)
		changes := r.raw(pChanges)
		if r.err == nil {
			b.Bids, b.Asks, err = parseLevels(changes, true, b.Bids, b.Asks)
		}
	}
	if r.err != nil {
		return r.err
	}
	if err != nil {
		return fmt.Errorf("levels: %w", err)
	}
	b.Exchange, b.Symbol = c.exSyms[ex], c.compactSym(ex, rawSym)
	return nil
}

// compactKline decodes a 1-minute candle into k.
func (c *collector) compactKline(ex int, msg []byte, k *pools.Kline) error {
	r := fieldReader{msg: msg}
	var rawSym []byte
	switch ex {
	case 0:
		rawSym = r.raw(pS)
		k.OpenTime = r.millis(pT)
		k.Open, k.High, k.Low, k.Close, k.Volume, k.QuoteVolume = r.fixed(pO), r.fixed(pH), r.fixed(pL), r.fixed(pC), r.fixed(pV), r.fixed(pQ)
		k.Closed = string(r.raw(pX)) == "true"
	case 1:
		rawSym = r.raw(pInstID)
		if data := r.raw(pData); r.err == nil {
			if err := okxCandle(data, k); err != nil {
				return err
			}
		}
	default:
		rawSym = r.raw(pProduct)
		k.OpenTime = int64(r.uint(pStart)) * int64(time.Second)
		k.Open, k.High, k.Low, k.Close, k.Volume = r.fixed(pOpen), r.fixed(pHigh), r.fixed(pLow), r.fixed(pClose), r.fixed(pVolume)
		if r.err == nil {
			k.QuoteVolume, r.err = pools.MulFixed(k.Volume, k.Close)
		}
	}
	if r.err != nil {
		return r.err
	}
	k.CloseTime = k.OpenTime + int64(time.Minute) - 1
	k.IntervalSec = 60
	k.Exchange, k.Symbol = c.exSyms[ex], c.compactSym(ex, rawSym)
	return nil
}

// compactTicker decodes a 24-hour ticker into t.
func (c *collector) compactTicker(ex int, msg []byte, t *pools.Ticker) error {
	r := fieldReader{msg: msg}
	var rawSym []byte
	switch ex {
	case 0:
		rawSym, t.Timestamp = r.raw(pS), r.millis(pE)
		t.Last, t.BidPrice, t.BidQty, t.AskPrice, t.AskQty = r.fixed(pC), r.fixed(pB), r.fixed(pBB), r.fixed(pA), r.fixed(pAA)
		t.Open24h, t.High24h, t.Low24h, t.Volume24h = r.fixed(pO), r.fixed(pH), r.fixed(pL), r.fixed(pV)
	case 1:
		rawSym, t.Timestamp = r.raw(pInstID), r.millis(pTs)
		t.Last, t.BidPrice, t.BidQty, t.AskPrice, t.AskQty = r.fixed(pLast), r.fixed(pBidPx), r.fixed(pBidSz), r.fixed(pAskPx), r.fixed(pAskSz)
		t.Open24h, t.High24h, t.Low24h, t.Volume24h = r.fixed(pOpen24h), r.fixed(pHigh24h), r.fixed(pLow24h), r.fixed(pVol24h)
	default:
		rawSym, t.Timestamp = r.raw(pProduct), r.iso(pTime)
		t.Last, t.BidPrice, t.BidQty, t.AskPrice, t.AskQty = r.fixed(pPrice), r.fixed(pBestBid), r.fixed(pBestBidSize), r.fixed(pBestAsk), r.fixed(pBestAskSize)
		t.Open24h, t.High24h, t.Low24h, t.Volume24h = r.fixed(pOpen24), r.fixed(pHigh24), r.fixed(pLow24), r.fixed(pVolume24)
	}
	if r.err != nil {
		return r.err
	}
	t.Exchange, t.Symbol = c.exSyms[ex], c.compactSym(ex, rawSym)
	return nil
}
