package workloads

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/memprism/memprism/pools"
)

// TestCollectorVariants runs every variant axis small and checks that every
// message is published and recorded, and that pooled runs report their hit
// rate.
func TestCollectorVariants(t *testing.T) {
	for _, tc := range []map[string]any{
		{"layout": "naive", "alloc": "naive", "dispatch": "per-message", "batch": 1},
		{"layout": "naive", "alloc": "pool", "dispatch": "worker-pool", "batch": 7},
		{"layout": "compact", "alloc": "naive", "dispatch": "per-message", "batch": 50},
		{"layout": "compact", "alloc": "pool", "dispatch": "worker-pool", "batch": 100, "arrivals": "poisson"},
	} {
		t.Run(fmt.Sprint(tc["layout"], "/", tc["alloc"], "/", tc["dispatch"], "/", tc["batch"]), func(t *testing.T) {
			tc["rate"], tc["messages"], tc["symbols"], tc["depth"], tc["ring"] = 5000, 1200, 20, 20, 500
			res, err := runKind(t, "collector", tc)
			if err != nil {
				t.Fatal(err)
			}
			st := res.LoadStats()
			if res.Ops() != 1200 || st.Completed != 1200 || st.Sent != 1200 {
				t.Errorf("ops %d, completed %d, sent %d; want 1200", res.Ops(), st.Completed, st.Sent)
			}
			checkLatency(t, res)
			var hit float64
			var found bool
			for _, m := range res.Metrics() {
				if m.Name == PoolHitRate {
					hit, found = m.Value, true
				}
			}
			if pooled := tc["alloc"] == "pool"; found != pooled || pooled && !(hit > 0 && hit <= 1) {
				t.Errorf("pool_hit_rate reported %v (%v), pooled %v", found, hit, pooled)
			}
			snaps := res.Snapshots()
			if len(snaps) != 1 || snaps[0].Label != RetainedSnapshot || snaps[0].LiveHeapBytes == 0 {
				t.Errorf("snapshots %+v", snaps)
			}
		})
	}
}

// TestCollectorDecodersAgree decodes every generated message with both
// layouts and compares the normalized values: the compact decoder reads
// what encoding/json reads.
func TestCollectorDecodersAgree(t *testing.T) {
	gen := newMarketGen(3, 30, 3, 40)
	c := &collector{syms: pools.NewSymbols(), norm: map[pools.Sym]pools.Sym{}}
	for _, e := range genExchanges {
		c.exSyms = append(c.exSyms, c.syms.Intern(e))
	}
	fixed := func(s string) int64 {
		t.Helper()
		v, err := pools.ParseFixed(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return v
	}
	seen := map[[2]int]int{}
	for i := range 3000 {
		m := gen.next()
		seen[[2]int{m.kind, m.ex}]++
		var raw map[string]any
		if err := naiveDecode(m.data, &raw); err != nil {
			t.Fatalf("message %d not JSON: %v\n%s", i, err, m.data)
		}
		where := fmt.Sprintf("%s %s %s", genExchanges[m.ex], mdKindNames[m.kind], m.data)
		switch m.kind {
		case mdTrade:
			var n pools.NaiveTrade
			var k pools.Trade
			if _, _, err := normalizeNaive(m.data, m.ex, &n); err != nil {
				t.Fatalf("naive %s: %v", where, err)
			}
			if err := c.compactTrade(m.ex, m.data, &k); err != nil {
				t.Fatalf("compact %s: %v", where, err)
			}
			if c.syms.Name(k.Symbol) != n.Symbol || k.Price != fixed(n.Price) || k.Quantity != fixed(n.Quantity) ||
				strconv.FormatUint(k.TradeID, 10) != n.TradeID || k.Side.String() != n.Side || k.Timestamp != n.Timestamp.UnixNano() {
				t.Fatalf("%s: naive %+v, compact %+v", where, n, k)
			}
		case mdDepth:
			var n naiveBook
			var k pools.OrderBook
			if err := naiveDepthOf(m.ex, m.data, &n); err != nil {
				t.Fatalf("naive %s: %v", where, err)
			}
			if err := c.compactDepth(m.ex, m.data, &k); err != nil {
				t.Fatalf("compact %s: %v", where, err)
			}
			same := func(a [][2]string, b []pools.Level) bool {
				if len(a) != len(b) || len(a) == 0 {
					return false
				}
				for i := range a {
					if fixed(a[i][0]) != b[i].Price || fixed(a[i][1]) != b[i].Quantity {
						return false
					}
				}
				return true
			}
			if c.syms.Name(k.Symbol) != n.Symbol || !same(n.Bids, k.Bids) || !same(n.Asks, k.Asks) || k.Timestamp != n.Timestamp.UnixNano() {
				t.Fatalf("%s: naive %+v, compact %+v", where, n, k)
			}
		case mdKline:
			var n naiveKline
			var k pools.Kline
			if err := naiveKlineOf(m.ex, m.data, &n); err != nil {
				t.Fatalf("naive %s: %v", where, err)
			}
			if err := c.compactKline(m.ex, m.data, &k); err != nil {
				t.Fatalf("compact %s: %v", where, err)
			}
			qv, _ := strconv.ParseFloat(n.QuoteVolume, 64)
			if c.syms.Name(k.Symbol) != n.Symbol || k.Open != fixed(n.Open) || k.High != fixed(n.High) || k.Low != fixed(n.Low) ||
				k.Close != fixed(n.Close) || k.Volume != fixed(n.Volume) || k.OpenTime != n.OpenTime.UnixNano() ||
				math.Abs(float64(k.QuoteVolume)/pools.Scale-qv) > 1e-6*math.Max(1, qv) {
				t.Fatalf("%s: naive %+v, compact %+v", where, n, k)
			}
		default:
			var n naiveTicker
			var k pools.Ticker
			if err := naiveTickerOf(m.ex, m.data, &n); err != nil {
				t.Fatalf("naive %s: %v", where, err)
			}
			if err := c.compactTicker(m.ex, m.data, &k); err != nil {
				t.Fatalf("compact %s: %v", where, err)
			}
			if c.syms.Name(k.Symbol) != n.Symbol || k.Last != fixed(n.Last) || k.BidPrice != fixed(n.BidPrice) || k.AskQty != fixed(n.AskQty) ||
				k.Volume24h != fixed(n.Volume24h) || k.Low24h != fixed(n.Low24h) || k.Timestamp != n.Timestamp.UnixNano() {
				t.Fatalf("%s: naive %+v, compact %+v", where, n, k)
			}
		}
	}
	if len(seen) != mdKinds*len(genExchanges) {
		t.Errorf("generated %d of the %d kind/exchange formats: %v", len(seen), mdKinds*len(genExchanges), seen)
	}
}

func TestApplyLevels(t *testing.T) {
	lv := func(p, q int64) pools.Level { return pools.Level{Price: p, Quantity: q} }
	var bids []pools.Level
	bids = applyLevels(bids, []pools.Level{lv(10, 1), lv(12, 1), lv(11, 1), lv(9, 1)}, 3, true)
	if fmt.Sprint(bids) != "[{12 1} {11 1} {10 1}]" {
		t.Fatalf("bids %v: want best 3, highest first", bids)
	}
	bids = applyLevels(bids, []pools.Level{lv(11, 0), lv(12, 5), lv(8, 1)}, 3, true)
	if fmt.Sprint(bids) != "[{12 5} {10 1} {8 1}]" {
		t.Fatalf("bids %v after remove, update, insert", bids)
	}
	asks := applyLevels(nil, []pools.Level{lv(12, 1), lv(10, 1), lv(11, 1), lv(13, 0)}, 2, false)
	if fmt.Sprint(asks) != "[{10 1} {11 1}]" {
		t.Fatalf("asks %v: want best 2, lowest first", asks)
	}
	naive := map[string]string{}
	applyNaive(naive, [][2]string{{"10", "1"}, {"12", "1"}, {"11", "1"}, {"9", "1"}}, 3, true)
	applyNaive(naive, [][2]string{{"11", "0"}, {"12", "5"}, {"8", "1"}}, 3, true)
	if got := fmt.Sprint(topNaive(naive, 5, true)); got != "[[12 5] [10 1] [8 1]]" {
		t.Fatalf("naive bids %v", got)
	}
}

// FuzzCollectorCompact: the compact decoders return an error, never panic,
// on any input (seeded with every generated format and cut-off messages).
func FuzzCollectorCompact(f *testing.F) {
	gen := newMarketGen(1, 5, 3, 40)
	for range 24 {
		m := gen.next()
		f.Add(m.kind, m.ex, m.data)
	}
	f.Add(mdDepth, 0, []byte(`{"b":[["1","2"`))
	f.Add(mdKline, 1, []byte(`{"instId":"X","data":[[`))
	c := &collector{syms: pools.NewSymbols(), norm: map[pools.Sym]pools.Sym{}}
	for _, e := range genExchanges {
		c.exSyms = append(c.exSyms, c.syms.Intern(e))
	}
	f.Fuzz(func(t *testing.T, kind, ex int, msg []byte) {
		kind, ex = ((kind%mdKinds)+mdKinds)%mdKinds, ((ex%3)+3)%3
		switch kind {
		case mdTrade:
			_ = c.compactTrade(ex, msg, new(pools.Trade))
		case mdDepth:
			_ = c.compactDepth(ex, msg, new(pools.OrderBook))
		case mdKline:
			_ = c.compactKline(ex, msg, new(pools.Kline))
		default:
			_ = c.compactTicker(ex, msg, new(pools.Ticker))
		}
	})
}

// TestCollectorCancel: a cancelled run ends promptly with an error.
func TestCollectorCancel(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := Default.Run(ctx, "collector", map[string]any{"rate": 1000, "duration": "10s", "ring": 100, "dispatch": "worker-pool"})
	if err == nil {
		t.Fatal("a cancelled collector returned no error")
	}
}
