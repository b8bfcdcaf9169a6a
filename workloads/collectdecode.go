package workloads

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/memprism/memprism/pools"
)

// The compact decoder of the collector reads fields straight out of the raw
// message bytes: each field is found by its `"key":` pattern (the first one
// in the message; exchange messages do not repeat a key with another
// meaning) and its value is returned without copying.

var errNoField = errors.New("missing field")

// jsonValue returns the raw value of the first member named by pat (`"key":`):
// a string without its quotes, an array or object with its brackets, or a
// bare scalar. ok is false when the key is absent or the value is cut off.
func jsonValue(msg, pat []byte) (val []byte, ok bool) {
	i := bytes.Index(msg, pat)
	if i < 0 {
		return nil, false
	}
	j := i + len(pat)
	if j >= len(msg) {
		return nil, false
	}
	switch msg[j] {
	case '"':
		end := bytes.IndexByte(msg[j+1:], '"')
		if end < 0 {
			return nil, false
		}
		return msg[j+1 : j+1+end], true
	case '[', '{':
		end := matchBracket(msg, j)
		if end < 0 {
			return nil, false
		}
		return msg[j : end+1], true
	}
	end := j
	for end < len(msg) && msg[end] != ',' && msg[end] != '}' && msg[end] != ']' {
		end++
	}
	return msg[j:end], end > j
}

// matchBracket returns the index of the bracket closing the one at i, or -1.
func matchBracket(b []byte, i int) int {
	depth, inStr := 0, false
	for k := i; k < len(b); k++ {
		c := b[k]
		switch {
		case inStr:
			if c == '\\' {
				k++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '[' || c == '{':
			depth++
			if depth > maxJSONDepth {
				return -1
			}
		case c == ']' || c == '}':
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

// arrayItems calls f with each element of a JSON array (raw, strings
// without quotes, nested arrays with brackets), stopping at f's error.
func arrayItems(arr []byte, f func(item []byte) error) error {
	if len(arr) < 2 || arr[0] != '[' || arr[len(arr)-1] != ']' {
		return errJSONSyntax
	}
	in := arr[1 : len(arr)-1]
	for len(in) > 0 {
		for len(in) > 0 && (in[0] == ' ' || in[0] == ',') {
			in = in[1:]
		}
		if len(in) == 0 {
			break
		}
		var item []byte
		switch in[0] {
		case '"':
			end := bytes.IndexByte(in[1:], '"')
			if end < 0 {
				return errJSONSyntax
			}
			item, in = in[1:1+end], in[2+end:]
		case '[', '{':
			end := matchBracket(in, 0)
			if end < 0 {
				return errJSONSyntax
			}
			item, in = in[:end+1], in[end+1:]
		default:
			end := bytes.IndexByte(in, ',')
			if end < 0 {
				end = len(in)
			}
			item, in = in[:end], in[end:]
		}
		if err := f(item); err != nil {
			return err
		}
	}
	return nil
}

// field patterns of the compact decoder, allocated once.
var (
	pS, pT, pP, pQ, pTT, pM, pE, pB, pA          = pat("s"), pat("t"), pat("p"), pat("q"), pat("T"), pat("m"), pat("E"), pat("b"), pat("a")
	pC, pBB, pAA, pO, pH, pL, pV, pX, pK         = pat("c"), pat("B"), pat("A"), pat("o"), pat("h"), pat("l"), pat("v"), pat("x"), pat("k")
	pInstID, pTradeID, pPx, pSz, pSide, pTs      = pat("instId"), pat("tradeId"), pat("px"), pat("sz"), pat("side"), pat("ts")
	pBids, pAsks, pData, pLast, pBidPx, pBidSz   = pat("bids"), pat("asks"), pat("data"), pat("last"), pat("bidPx"), pat("bidSz")
	pAskPx, pAskSz, pOpen24h, pHigh24h, pLow24h  = pat("askPx"), pat("askSz"), pat("open24h"), pat("high24h"), pat("low24h")
	pVol24h, pProduct, pCbTradeID, pPrice, pSize = pat("vol24h"), pat("product_id"), pat("trade_id"), pat("price"), pat("size")
	pTime, pChanges, pStart, pHigh, pLow, pOpen  = pat("time"), pat("changes"), pat("start"), pat("high"), pat("low"), pat("open")
	pClose, pVolume, pBestBid, pBestBidSize      = pat("close"), pat("volume"), pat("best_bid"), pat("best_bid_size")
	pBestAsk, pBestAskSize, pOpen24, pHigh24     = pat("best_ask"), pat("best_ask_size"), pat("open_24h"), pat("high_24h")
	pLow24, pVolume24                            = pat("low_24h"), pat("volume_24h")
)

func pat(key string) []byte { return []byte(`"` + key + `":`) }

// fieldReader reads fields of one message, remembering the first problem.
type fieldReader struct {
	msg []byte
	err error
}

func (r *fieldReader) fail(p []byte, err error) {
	if r.err == nil {
		r.err = fmt.Errorf("field %s %w", p[:len(p)-1], err)
	}
}

func (r *fieldReader) raw(p []byte) []byte {
	v, ok := jsonValue(r.msg, p)
	if !ok {
		r.fail(p, errNoField)
	}
	return v
}

func (r *fieldReader) fixed(p []byte) int64 {
	v, err := pools.ParseFixedBytes(r.raw(p))
	if err != nil {
		r.fail(p, err)
	}
	return v
}

func (r *fieldReader) uint(p []byte) uint64 {
	v, err := parseUintBytes(r.raw(p))
	if err != nil {
		r.fail(p, err)
	}
	return v
}

// millis reads a millisecond timestamp (a number or a string of digits) as unix nanoseconds.
func (r *fieldReader) millis(p []byte) int64 { return int64(r.uint(p)) * int64(time.Millisecond) }

// iso reads an RFC 3339 UTC time as unix nanoseconds.
func (r *fieldReader) iso(p []byte) int64 {
	v, err := parseISOMillis(r.raw(p))
	if err != nil {
		r.fail(p, err)
	}
	return v
}

// parseLevels appends the [price, quantity, ...] levels of arr to dst;
// with sided, each level starts with "buy" or "sell" and goes to bids or asks.
func parseLevels(arr []byte, sided bool, bids, asks []pools.Level) ([]pools.Level, []pools.Level, error) {
	err := arrayItems(arr, func(level []byte) error {
		var lv pools.Level
		idx, side := 0, pools.SideBuy
		err := arrayItems(level, func(x []byte) error {
			var err error
			switch {
			case sided && idx == 0:
				side, err = parseSideBytes(x)
			case idx == 0 || sided && idx == 1:
				lv.Price, err = pools.ParseFixedBytes(x)
			case idx == 1 || sided && idx == 2:
				lv.Quantity, err = pools.ParseFixedBytes(x)
			}
			idx++
			return err
		})
		if err != nil {
			return err
		}
		if want := 2 + b2i(sided); idx < want {
			return fmt.Errorf("level with %d fields, want at least %d", idx, want)
		}
		if side == pools.SideBuy {
			bids = append(bids, lv)
		} else {
			asks = append(asks, lv)
		}
		return nil
	})
	return bids, asks, err
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// okxCandle reads OKX's candle array [ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm] into k.
func okxCandle(data []byte, k *pools.Kline) error {
	row, ok := firstItem(data)
	if !ok {
		return fmt.Errorf("okx candle: %w", errNoField)
	}
	idx := 0
	err := arrayItems(row, func(x []byte) error {
		var err error
		switch idx {
		case 0:
			var ms uint64
			ms, err = parseUintBytes(x)
			k.OpenTime = int64(ms) * int64(time.Millisecond)
		case 1:
			k.Open, err = pools.ParseFixedBytes(x)
		case 2:
			k.High, err = pools.ParseFixedBytes(x)
		case 3:
			k.Low, err = pools.ParseFixedBytes(x)
		case 4:
			k.Close, err = pools.ParseFixedBytes(x)
		case 5:
			k.Volume, err = pools.ParseFixedBytes(x)
		case 7:
			k.QuoteVolume, err = pools.ParseFixedBytes(x)
		case 8:
			k.Closed = string(x) == "1"
		}
		idx++
		return err
	})
	if err == nil && idx < 9 {
		err = fmt.Errorf("okx candle with %d fields, want 9", idx)
	}
	return err
}

// firstItem returns the first element of a JSON array.
func firstItem(arr []byte) ([]byte, bool) {
	var first []byte
	err := arrayItems(arr, func(x []byte) error { first = x; return errStopItems })
	return first, err == errStopItems && first != nil
}

// errStopItems ends an arrayItems walk early.
var errStopItems = errors.New("stop")
