package pools

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/memprism/memprism/internal/golden"
)

// checkFile compares got with testdata/name, or rewrites the file with -update.
func checkFile(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), []byte(got))
}

func TestSide(t *testing.T) {
	tests := []struct {
		give    string
		want    Side
		wantErr bool
	}{
		{give: "buy", want: SideBuy},
		{give: "BUY", want: SideBuy},
		{give: "Sell", want: SideSell},
		{give: "", wantErr: true},
		{give: "bid", wantErr: true},
		{give: "unknown", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			got, err := ParseSide(tt.give)
			if tt.wantErr {
				if !errors.Is(err, ErrSide) || got != SideUnknown {
					t.Fatalf("ParseSide(%q) = %v, %v; want SideUnknown, ErrSide", tt.give, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseSide(%q) = %v, %v; want %v", tt.give, got, err, tt.want)
			}
			if back, err := ParseSide(got.String()); err != nil || back != got {
				t.Errorf("ParseSide(%v.String()) = %v, %v", got, back, err)
			}
		})
	}
	for s, want := range map[Side]string{SideUnknown: "unknown", SideBuy: "buy", SideSell: "sell", 7: "Side(7)"} {
		if got := s.String(); got != want {
			t.Errorf("Side(%d).String() = %q, want %q", uint8(s), got, want)
		}
	}
}

// layout renders the field offsets and sizes of a struct type, one field a line.
func layout(v any) string {
	typ := reflect.TypeOf(v)
	var b strings.Builder
	fmt.Fprintf(&b, "%s: size %d, align %d\n", typ.Name(), typ.Size(), typ.Align())
	for i := range typ.NumField() {
		f := typ.Field(i)
		fmt.Fprintf(&b, "  %-14s %-16s offset %3d size %3d\n", f.Name, f.Type, f.Offset, f.Type.Size())
	}
	return b.String()
}

func TestSizes(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are pinned for 64-bit platforms")
	}
	tests := []struct {
		name string
		got  uintptr
		want uintptr
	}{
		{"Trade", unsafe.Sizeof(Trade{}), 64},            // 6*8 + 2*4 + 2*1 = 58, rounded to the 8-byte alignment
		{"NaiveTrade", unsafe.Sizeof(NaiveTrade{}), 176}, // 7 strings, 2 time.Time, a pointer, a map header pointer
		{"OrderBook", unsafe.Sizeof(OrderBook{}), 64},
		{"Kline", unsafe.Sizeof(Kline{}), 88},
		{"Ticker", unsafe.Sizeof(Ticker{}), 88},
		{"Level", unsafe.Sizeof(Level{}), 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Logf("unsafe.Sizeof(%s{}) = %d", tt.name, tt.got)
			if tt.got != tt.want {
				t.Errorf("unsafe.Sizeof(%s{}) = %d, want %d", tt.name, tt.got, tt.want)
			}
		})
	}
	checkFile(t, "layout.golden", layout(Trade{})+layout(NaiveTrade{})+layout(OrderBook{})+layout(Kline{})+layout(Ticker{}))
}

// TestTradeHasNoPointers checks that []Trade is noscan memory for the garbage collector.
func TestTradeHasNoPointers(t *testing.T) {
	var walk func(reflect.Type) bool
	walk = func(typ reflect.Type) bool {
		switch typ.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice, reflect.String, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
			return true
		case reflect.Struct:
			for i := range typ.NumField() {
				if walk(typ.Field(i).Type) {
					return true
				}
			}
		case reflect.Array:
			return walk(typ.Elem())
		}
		return false
	}
	for _, v := range []any{Trade{}, Kline{}, Ticker{}, Level{}} {
		if walk(reflect.TypeOf(v)) {
			t.Errorf("%T contains a pointer", v)
		}
	}
}

// rawTrade is a Binance-style trade message as a collector receives it.
func rawTrade(i int) []byte {
	return fmt.Appendf(nil, `{"e":"trade","E":%d,"s":"BTCUSDT","t":%d,"p":"43250.%02d","q":"0.%05d","T":%d,"m":%t,"M":true}`,
		1700000000000+i, 3000000000+i, i%100, 1+i%99999, 1700000000000+i, i%2 == 0)
}

// naiveFromRaw decodes a raw message the way the seed did: into a map, then into a NaiveTrade.
func naiveFromRaw(tb testing.TB, raw []byte) NaiveTrade {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		tb.Fatal(err)
	}
	price, qty := m["p"].(string), m["q"].(string)
	p, err := ParseFixed(price)
	if err != nil {
		tb.Fatal(err)
	}
	q, err := ParseFixed(qty)
	if err != nil {
		tb.Fatal(err)
	}
	quote, err := MulFixed(p, q)
	if err != nil {
		tb.Fatal(err)
	}
	side := "buy"
	if m["m"].(bool) {
		side = "sell" // the buyer was the maker
	}
	best := m["M"].(bool)
	return NaiveTrade{
		Exchange:      "binance",
		Symbol:        m["s"].(string),
		TradeID:       strconv.FormatFloat(m["t"].(float64), 'f', -1, 64),
		Price:         price,
		Quantity:      qty,
		QuoteQuantity: FormatFixed(quote),
		Timestamp:     time.UnixMilli(int64(m["T"].(float64))).UTC(),
		Side:          side,
		IsBestMatch:   &best,
		RawData:       m,
		CollectedAt:   time.Unix(1700000000, 0).UTC(),
	}
}

func TestTradeNaiveRoundTrip(t *testing.T) {
	syms := NewSymbols()
	for i := range 50 {
		n := naiveFromRaw(t, rawTrade(i))
		var c Trade
		if err := c.FromNaive(&n, syms); err != nil {
			t.Fatal(err)
		}
		back := c.Naive(syms)
		back.RawData = n.RawData
		// Amounts come back in canonical form: "43250.00" returns as "43250".
		for _, amount := range []*string{&n.Price, &n.Quantity, &n.QuoteQuantity} {
			v, err := ParseFixed(*amount)
			if err != nil {
				t.Fatal(err)
			}
			*amount = FormatFixed(v)
		}
		if !reflect.DeepEqual(back, n) {
			t.Fatalf("round trip of trade %d:\n got %+v\nwant %+v", i, back, n)
		}
	}
	if got := syms.Len(); got != 2 {
		t.Errorf("syms.Len() = %d, want 2 (binance, BTCUSDT)", got)
	}
}

func TestTradeFromNaiveErrors(t *testing.T) {
	syms := NewSymbols()
	n := NaiveTrade{TradeID: "x1", Price: "1.2.3", Quantity: "abc", Side: "hold"}
	var c Trade
	c.Price = 42
	err := c.FromNaive(&n, syms)
	for _, want := range []error{ErrSyntax, ErrSide} {
		if !errors.Is(err, want) {
			t.Errorf("FromNaive error %v does not wrap %v", err, want)
		}
	}
	for _, part := range []string{"trade id", "price", "quantity"} {
		if err == nil || !strings.Contains(err.Error(), part) {
			t.Errorf("FromNaive error %v does not mention %s", err, part)
		}
	}
	if c.Price != 42 || syms.Len() != 0 {
		t.Errorf("a failed FromNaive changed the trade or interned names: %+v, %d names", c, syms.Len())
	}
}

func TestTradeAccessors(t *testing.T) {
	tr := Trade{Price: 4325012345678, Quantity: Scale / 4, QuoteQuantity: 3 * Scale, Timestamp: 1_700_000_000_123_000_000}
	if got := tr.PriceFloat(); got != 43250.12345678 {
		t.Errorf("PriceFloat = %v", got)
	}
	if got := tr.QuantityFloat(); got != 0.25 {
		t.Errorf("QuantityFloat = %v", got)
	}
	if got := tr.QuoteQuantityFloat(); got != 3 {
		t.Errorf("QuoteQuantityFloat = %v", got)
	}
	if got := tr.Time(); !got.Equal(time.Unix(1_700_000_000, 123_000_000)) {
		t.Errorf("Time = %v", got)
	}
	tr.SetBestMatch(true)
	if !tr.IsBestMatch() || tr.Flags != FlagBestMatch {
		t.Errorf("SetBestMatch(true): flags %b", tr.Flags)
	}
	tr.SetBestMatch(false)
	if tr.IsBestMatch() {
		t.Error("SetBestMatch(false) left the flag set")
	}
	tr.Reset()
	if tr != (Trade{}) {
		t.Errorf("Reset left %+v", tr)
	}
}

// retainedPerItem returns the live heap bytes per item that build keeps reachable, measured with
// runtime.MemStats after forced collections (two each time: a sync.Pool's victim cache survives one).
func retainedPerItem(n int, build func() any) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	keep := build()
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(keep)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
}

// TestRetainedBytesPerTrade measures what a retained trade really costs, strings and maps included,
// which unsafe.Sizeof cannot show.
func TestRetainedBytesPerTrade(t *testing.T) {
	const n = 20_000
	raws := make([][]byte, n)
	for i := range raws {
		raws[i] = rawTrade(i)
	}
	naive := retainedPerItem(n, func() any {
		out := make([]NaiveTrade, n)
		for i, raw := range raws {
			out[i] = naiveFromRaw(t, raw)
		}
		return out
	})
	noRaw := retainedPerItem(n, func() any {
		out := make([]NaiveTrade, n)
		for i, raw := range raws {
			out[i] = naiveFromRaw(t, raw)
			out[i].RawData = nil
		}
		return out
	})
	syms := NewSymbols()
	compact := retainedPerItem(n, func() any {
		out := make([]Trade, n)
		for i, raw := range raws {
			nt := naiveFromRaw(t, raw)
			if err := out[i].FromNaive(&nt, syms); err != nil {
				t.Fatal(err)
			}
		}
		return out
	})
	runtime.KeepAlive(raws) // the inputs must stay live across both measurements
	t.Logf("retained bytes per trade (%d trades): NaiveTrade %.0f, NaiveTrade without RawData %.0f, Trade %.0f (%.1fx smaller, -%.1f%%)",
		n, naive, noRaw, compact, naive/compact, 100*(1-compact/naive))
	if compact < 60 || compact > 72 {
		t.Errorf("compact trade retains %.0f B, want about unsafe.Sizeof(Trade{}) = 64", compact)
	}
	if noRaw < float64(unsafe.Sizeof(NaiveTrade{})) || noRaw >= naive {
		t.Errorf("naive trade without RawData retains %.0f B, want between its struct size and the %.0f B with it", noRaw, naive)
	}
	if naive < 5*compact {
		t.Errorf("naive trade retains %.0f B, want at least 5x the compact %.0f B", naive, compact)
	}
}
