package workloads

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/pools"
)

// Allocation strategies and record layouts of trade-churn.
const (
	AllocNaive    = "naive"
	AllocPool     = "pool"
	LayoutNaive   = "naive"
	LayoutCompact = "compact"
)

// ctxCheckEvery is how many messages a loop handles between context checks.
const ctxCheckEvery = 256

func init() {
	Register(Kind{
		Name:     "trade-churn",
		Doc:      "decode seeded raw exchange trade messages, normalize them into naive or compact records, aggregate VWAP per symbol and retain the last N",
		Messages: true,
		Params: []ParamSpec{
			{Name: "trades", Type: Int, Default: int64(20_000), Doc: "trade messages to process", Min: 1, Max: 100_000_000, Scales: true},
			{Name: "retain", Type: Int, Default: int64(10_000), Doc: "most recent records kept alive in a ring (0: none)", Min: 0, Max: 10_000_000, Scales: true},
			{Name: "symbols", Type: Int, Default: int64(20), Doc: "distinct instruments traded", Min: 1, Max: 100_000},
			{Name: "exchanges", Type: Int, Default: int64(1), Doc: "message formats in rotation: 1 binance, 2 +okx, 3 +coinbase", Min: 1, Max: float64(len(genExchanges))},
			{Name: "alloc", Type: String, Default: AllocNaive, Doc: "naive: a new record per trade; pool: records from a pools.Pool, recycled when they leave the ring", Enum: []string{AllocNaive, AllocPool}},
			{Name: "layout", Type: String, Default: LayoutNaive, Doc: "naive: strings, time.Time and the raw message map (encoding/json); compact: fixed-point, interned, no pointers (zero-copy scanner)", Enum: []string{LayoutNaive, LayoutCompact}},
			{Name: "leak_every", Type: Int, Default: int64(0), Doc: "every Nth record is also appended to a never-freed slice (0: off)", Min: 0, Max: 1_000_000_000},
			{Name: "seed", Type: Int, Default: int64(1), Doc: "random seed of the message generator", Min: 0, Max: 1 << 53},
			{Name: "async_tasks", Type: Int, Default: int64(0), Doc: "goroutines sharing the trades, as the seed's async tasks (0: the calling goroutine alone)", Min: 0, Max: 1024},
		},
		Metrics: []metric.Info{poolHitRate},
		Run:     runTradeChurn,
	})
}

// churnShared is what the tasks of one trade-churn run share.
type churnShared struct {
	syms        *pools.Symbols
	exSyms      []pools.Sym
	naivePool   *pools.Pool[pools.NaiveTrade]
	compactPool *pools.Pool[pools.Trade]
	compact     bool
	leakEvery   int64
}

// runTradeChurn splits the trades over max(1, async_tasks) tasks, each with
// its own generator (seed+task), ring (retain/tasks) and aggregates; one
// op is one trade message, latency runs from generating a message to its
// record being normalized, aggregated and retained. Records leaked with
// leak_every stay reachable after Run returns, until ctx ends.
func runTradeChurn(ctx context.Context, r *Run) error {
	p := r.Params
	sh := &churnShared{
		syms:      pools.NewSymbols(),
		compact:   p.String("layout") == LayoutCompact,
		leakEvery: p.Int("leak_every"),
	}
	for _, e := range genExchanges {
		sh.exSyms = append(sh.exSyms, sh.syms.Intern(e))
	}
	if p.String("alloc") == AllocPool {
		if sh.compact {
			sh.compactPool = pools.NewPool(pools.PoolOptions[pools.Trade]{
				New:   func() *pools.Trade { return new(pools.Trade) },
				Reset: (*pools.Trade).Reset,
			})
		} else {
			sh.naivePool = pools.NewPool(pools.PoolOptions[pools.NaiveTrade]{
				New:   func() *pools.NaiveTrade { return new(pools.NaiveTrade) },
				Reset: resetNaiveTrade,
			})
		}
	}
	tasks := max(1, p.Int("async_tasks"))
	trades, retain := p.Int("trades"), p.Int("retain")
	seed, symbols, exchanges := uint64(p.Int("seed")), int(p.Int("symbols")), int(p.Int("exchanges"))
	ts := make([]*churnTask, tasks)
	// share is task i's part of total, the remainder going to the first tasks.
	share := func(total int64, i int) int64 {
		n := total / tasks
		if int64(i) < total%tasks {
			n++
		}
		return n
	}
	for i := range ts {
		ts[i] = newChurnTask(sh, newTradeGen(seed+uint64(i), symbols, exchanges), share(trades, i), share(retain, i))
	}
	errs := make([]error, tasks)
	if p.Int("async_tasks") == 0 {
		errs[0] = ts[0].run(ctx)
	} else {
		var wg sync.WaitGroup
		for i, t := range ts {
			wg.Go(func() { errs[i] = t.run(ctx) })
		}
		wg.Wait()
	}
	lat := newLatencyRecorder()
	var leaked []any
	for _, t := range ts {
		r.AddOps(t.done)
		lat.merge(t.lat)
		if t.leaked != nil {
			leaked = append(leaked, t.leaked)
		}
	}
	r.ReportLatency(lat.summary())
	if sh.naivePool != nil {
		reportPoolHitRate(r, sh.naivePool.Stats())
	} else if sh.compactPool != nil {
		reportPoolHitRate(r, sh.compactPool.Stats())
	}
	if leaked != nil {
		holdUntilDone(ctx, leaked)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// The retained records are still referenced by the tasks' rings: the
	// snapshot's live heap is what retaining them costs.
	r.Snapshot(RetainedSnapshot)
	runtime.KeepAlive(ts)
	return nil
}

func resetNaiveTrade(t *pools.NaiveTrade) {
	m, bm := t.RawData, t.IsBestMatch
	clear(m)
	*t = pools.NaiveTrade{RawData: m, IsBestMatch: bm}
}

// vwap accumulates a volume-weighted average price.
type vwap struct {
	pq, q float64
	n     int64
}

// add counts one trade of quote quantity pq and quantity q.
func (a *vwap) add(pq, q float64) {
	a.pq += pq
	a.q += q
	a.n++
}

// addVWAP adds one trade to m's aggregate for k, made on k's first trade.
func addVWAP[K comparable](m map[K]*vwap, k K, pq, q float64) {
	a := m[k]
	if a == nil {
		a = new(vwap)
		m[k] = a
	}
	a.add(pq, q)
}

// churnTask is one goroutine's share of a trade-churn run.
type churnTask struct {
	sh     *churnShared
	gen    *tradeGen
	trades int64
	done   int64
	lat    *latencyRecorder

	naiveRing   ring[pools.NaiveTrade]
	compactRing ring[pools.Trade]
	leaked      any // []*pools.NaiveTrade or []*pools.Trade

	naiveAgg   map[string]*vwap
	compactAgg []vwap      // by Sym
	norm       []pools.Sym // raw exchange symbol Sym -> normalized Sym; 0 = not yet known
	sc         fieldScanner
}

func newChurnTask(sh *churnShared, gen *tradeGen, trades, retain int64) *churnTask {
	t := &churnTask{sh: sh, gen: gen, trades: trades, lat: newLatencyRecorder()}
	if sh.compact {
		t.compactRing = newRing(retain, sh.compactPool)
	} else {
		t.naiveRing = newRing(retain, sh.naivePool)
		t.naiveAgg = make(map[string]*vwap)
	}
	return t
}

func (t *churnTask) run(ctx context.Context) error {
	var naiveLeak []*pools.NaiveTrade
	var compactLeak []*pools.Trade
	defer func() {
		if naiveLeak != nil {
			t.leaked = naiveLeak
		} else if compactLeak != nil {
			t.leaked = compactLeak
		}
	}()
	for i := int64(0); i < t.trades; i++ {
		if i%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		genAt := time.Now()
		msg, ex := t.gen.next()
		leak := t.sh.leakEvery > 0 && (t.done+1)%t.sh.leakEvery == 0
		if t.sh.compact {
			rec := t.compactRing.get()
			if err := t.normalizeCompact(msg, ex, rec); err != nil {
				return fmt.Errorf("trade %d: %w", i, err)
			}
			t.compactAgg[rec.Symbol].add(float64(rec.QuoteQuantity), float64(rec.Quantity))
			t.compactRing.keep(rec, leak)
			if leak {
				compactLeak = append(compactLeak, rec)
			}
		} else {
			rec := t.naiveRing.get()
			pq, q, err := normalizeNaive(msg, ex, rec)
			if err != nil {
				return fmt.Errorf("trade %d: %w", i, err)
			}
			addVWAP(t.naiveAgg, rec.Symbol, pq, q)
			t.naiveRing.keep(rec, leak)
			if leak {
				naiveLeak = append(naiveLeak, rec)
			}
		}
		t.lat.record(time.Since(genAt))
		t.done++
	}
	return nil
}

// ring keeps the last records alive; with a pool, records that leave it
// go back to the pool unless they were leaked on purpose.
type ring[R any] struct {
	slots  []*R
	leaked []bool
	at     int
	pool   *pools.Pool[R]
}

func newRing[R any](n int64, pool *pools.Pool[R]) ring[R] {
	r := ring[R]{slots: make([]*R, n), pool: pool}
	if pool != nil { // leaked marks are read only to decide what goes back to the pool
		r.leaked = make([]bool, n)
	}
	return r
}

// get returns a record to fill: from the pool, or new.
func (r *ring[R]) get() *R {
	if r.pool != nil {
		return r.pool.Get()
	}
	return new(R)
}

// keep stores rec as the newest record, releasing the oldest.
func (r *ring[R]) keep(rec *R, leaked bool) {
	if len(r.slots) == 0 {
		if r.pool != nil && !leaked {
			r.pool.Put(rec)
		}
		return
	}
	if old := r.slots[r.at]; old != nil && r.pool != nil && !r.leaked[r.at] {
		r.pool.Put(old)
	}
	r.slots[r.at] = rec
	if r.leaked != nil {
		r.leaked[r.at] = leaked
	}
	r.at = (r.at + 1) % len(r.slots)
}

// normalizeNaive decodes msg the way the seed did (a generic map, then
// fields picked out of it) into rec and returns price*quantity and quantity;
// trade-churn and the collector's naive layout share it.
func normalizeNaive(msg []byte, ex int, rec *pools.NaiveTrade) (pq, q float64, err error) {
	if err := json.Unmarshal(msg, &rec.RawData); err != nil {
		return 0, 0, fmt.Errorf("decode %s message: %w", genExchanges[ex], err)
	}
	rec.Exchange = genExchanges[ex]
	r := mapReader{m: rec.RawData}
	var tsMs int64
	switch ex {
	case 0:
		rec.Symbol = strings.TrimSuffix(r.str("s"), genQuote) + "-" + genQuote
		rec.TradeID = r.idText("t")
		rec.Price, rec.Quantity = r.str("p"), r.str("q")
		tsMs = int64(r.num("T"))
		rec.Side = takerSide(r.boolean("m"))
		if rec.IsBestMatch == nil {
			rec.IsBestMatch = new(bool)
		}
		*rec.IsBestMatch = r.boolean("M")
	case 1:
		data, ok := r.m["data"].([]any)
		if !ok || len(data) == 0 {
			return 0, 0, errors.New("okx message without data")
		}
		if r.m, ok = data[0].(map[string]any); !ok {
			return 0, 0, errors.New("okx data[0] is not an object")
		}
		rec.Symbol, rec.TradeID = r.str("instId"), r.str("tradeId")
		rec.Price, rec.Quantity, rec.Side = r.str("px"), r.str("sz"), r.str("side")
		if ts := r.str("ts"); r.err == nil {
			tsMs, r.err = strconv.ParseInt(ts, 10, 64)
		}
		rec.IsBestMatch = nil
	default:
		rec.Symbol, rec.TradeID = r.str("product_id"), r.idText("trade_id")
		rec.Price, rec.Quantity, rec.Side = r.str("price"), r.str("size"), r.str("side")
		if text := r.str("time"); r.err == nil {
			var ts time.Time
			ts, r.err = time.Parse(time.RFC3339Nano, text)
			tsMs = ts.UnixMilli()
		}
		rec.IsBestMatch = nil
	}
	if r.err == nil {
		_, r.err = pools.ParseSide(rec.Side)
	}
	if r.err != nil {
		return 0, 0, fmt.Errorf("%s message: %w", genExchanges[ex], r.err)
	}
	rec.Timestamp = time.UnixMilli(tsMs).UTC()
	price, err := strconv.ParseFloat(rec.Price, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("%s price: %w", genExchanges[ex], err)
	}
	q, err = strconv.ParseFloat(rec.Quantity, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("%s quantity: %w", genExchanges[ex], err)
	}
	pq = price * q
	rec.QuoteQuantity = strconv.FormatFloat(pq, 'f', -1, 64)
	rec.CollectedAt = time.Now()
	return pq, q, nil
}

// mapReader picks typed fields out of a decoded JSON object, remembering
// the first problem.
type mapReader struct {
	m   map[string]any
	err error
}

func (r *mapReader) fail(k, want string) {
	if r.err == nil {
		r.err = fmt.Errorf("field %q: want %s, got %T", k, want, r.m[k])
	}
}

func (r *mapReader) str(k string) string {
	s, ok := r.m[k].(string)
	if !ok {
		r.fail(k, "a string")
	}
	return s
}

func (r *mapReader) num(k string) float64 {
	f, ok := r.m[k].(float64)
	if !ok {
		r.fail(k, "a number")
	}
	return f
}

func (r *mapReader) boolean(k string) bool {
	b, ok := r.m[k].(bool)
	if !ok {
		r.fail(k, "a bool")
	}
	return b
}

// idText renders an integral JSON number as the decimal text a naive
// record keeps as its trade id.
func (r *mapReader) idText(k string) string {
	f := r.num(k)
	if f != math.Trunc(f) || f < 0 || f > 1<<53 {
		r.fail(k, "a whole number")
		return ""
	}
	return strconv.FormatInt(int64(f), 10)
}
