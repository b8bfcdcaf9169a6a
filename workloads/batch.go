package workloads

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/memprism/memprism/pools"
)

// Batch modes.
const (
	BatchSingle  = "single"
	BatchBatched = "batched"
)

func init() {
	Register(Kind{
		Name:     "batch",
		Doc:      "write trades one INSERT per message, or in multi-row INSERTs through a pools.Batcher; latency until flushed",
		Messages: true,
		Params: []ParamSpec{
			{Name: "messages", Type: Int, Default: int64(20_000), Doc: "trades to write", Min: 1, Max: 100_000_000, Scales: true},
			{Name: "mode", Type: String, Default: BatchSingle, Doc: "single: one statement per trade; batched: multi-row statements via pools.Batcher", Enum: []string{BatchSingle, BatchBatched}},
			{Name: "batch_size", Type: Int, Default: int64(100), Doc: "batched mode: rows per statement", Min: 1, Max: 1_000_000},
			{Name: "max_age", Type: Duration, Default: time.Second, Doc: "batched mode: flush a partial batch once its oldest row is this old", Min: 0.000001, Max: 3600},
			{Name: "symbols", Type: Int, Default: int64(20), Doc: "distinct instruments traded", Min: 1, Max: 100_000},
			{Name: "seed", Type: Int, Default: int64(1), Doc: "random seed of the trades", Min: 0, Max: 1 << 53},
		},
		Run: runBatch,
	})
}

// insertHead starts every INSERT statement.
const insertHead = "INSERT INTO trades (exchange,symbol,trade_id,price,quantity,side,ts) VALUES "

// publisher stands for a database or broker client: like an asynchronous
// client that queues its payload, it copies every statement it is given
// (one allocation per call), then really reads it (FNV-1a) and drops it.
type publisher struct {
	calls, bytes int64
	digest       uint64
}

// publish takes one statement.
func (s *publisher) publish(stmt []byte) {
	queued := make([]byte, len(stmt))
	copy(queued, stmt)
	s.digest ^= fnv1a(fnvOffset, queued)
	s.calls++
	s.bytes += int64(len(queued))
}

// rowEncoder appends SQL rows for trades.
type rowEncoder struct {
	syms *pools.Symbols
}

func (e rowEncoder) appendRow(b []byte, t *pools.Trade) []byte {
	b = append(b, "('"...)
	b = append(b, e.syms.Name(t.Exchange)...)
	b = append(b, "','"...)
	b = append(b, e.syms.Name(t.Symbol)...)
	b = append(b, "',"...)
	b = strconv.AppendUint(b, t.TradeID, 10)
	b = append(b, ',')
	b = pools.AppendFixed(b, t.Price)
	b = append(b, ',')
	b = pools.AppendFixed(b, t.Quantity)
	b = append(b, ",'"...)
	b = append(b, t.Side.String()...)
	b = append(b, "',"...)
	b = strconv.AppendInt(b, t.Timestamp/int64(time.Millisecond), 10)
	return append(b, ')')
}

// runBatch encodes `messages` seeded trades as SQL and hands them to a
// publisher, one statement per trade (single) or one multi-row statement
// per batch (batched, flushed by size or age by a pools.Batcher). Both
// modes build statements in one reused buffer; the difference is the
// number of statements. Latency runs from a trade's creation to the
// publishing of the statement that carries it.
func runBatch(ctx context.Context, r *Run) error {
	p := r.Params
	syms := pools.NewSymbols()
	exchange := syms.Intern("binance")
	names := make([]pools.Sym, p.Int("symbols"))
	for i := range names {
		names[i] = syms.Intern(genBase(i) + "-" + genQuote)
	}
	seed := uint64(p.Int("seed"))
	rng := rand.New(rand.NewPCG(seed, seed+1))
	enc := rowEncoder{syms: syms}
	pub := &publisher{}
	lat := newLatencyRecorder()
	scratch := make([]byte, 0, 256)
	n := p.Int("messages")
	price := int64(43_250) * pools.Scale
	makeTrade := func(i int64) pools.Trade {
		price = walk(rng, price) // the walk keeps full precision; the trade's price is rounded
		t := pools.Trade{
			Price:       roundTick(price),
			Quantity:    genQty(rng),
			Timestamp:   (genEpochMs + i) * int64(time.Millisecond),
			CollectedAt: time.Now().UnixNano(),
			TradeID:     uint64(1_000_000 + i),
			Exchange:    exchange,
			Symbol:      names[rng.IntN(len(names))],
			Side:        pools.SideBuy + pools.Side(rng.IntN(2)),
		}
		t.QuoteQuantity, _ = pools.MulFixed(t.Price, t.Quantity) // in range by construction
		return t
	}
	if p.String("mode") == BatchSingle {
		for i := range n {
			if i%ctxCheckEvery == 0 {
				if err := ctx.Err(); err != nil {
					r.AddOps(i)
					r.ReportLatency(lat.summary())
					return err
				}
			}
			t := makeTrade(i)
			scratch = enc.appendRow(append(scratch[:0], insertHead...), &t)
			pub.publish(append(scratch, ';'))
			lat.record(time.Duration(time.Now().UnixNano() - t.CollectedAt))
		}
		r.AddOps(n)
		r.ReportLatency(lat.summary())
		return nil
	}
	var flushed int64
	// flush runs under the Batcher's lock, from Add or from its timer goroutine,
	// so scratch, lat and pub are never used concurrently.
	flush := func(batch []pools.Trade) error {
		scratch = append(scratch[:0], insertHead...)
		for i := range batch {
			if i > 0 {
				scratch = append(scratch, ',')
			}
			scratch = enc.appendRow(scratch, &batch[i])
		}
		pub.publish(append(scratch, ';'))
		now := time.Now().UnixNano()
		for i := range batch {
			lat.record(time.Duration(now - batch[i].CollectedAt))
		}
		flushed += int64(len(batch))
		return nil
	}
	b := pools.NewBatcher(pools.BatcherOptions{Size: int(p.Int("batch_size")), MaxAge: p.Duration("max_age")}, flush)
	var runErr error
	for i := range n {
		if i%ctxCheckEvery == 0 {
			if runErr = ctx.Err(); runErr != nil {
				break
			}
		}
		if runErr = b.Add(makeTrade(i)); runErr != nil {
			break
		}
	}
	// Close flushes the rest; after it returns the timer goroutine is gone.
	if err := b.Close(); err != nil {
		runErr = errors.Join(runErr, err)
	}
	r.AddOps(flushed)
	r.ReportLatency(lat.summary())
	if runErr != nil {
		return fmt.Errorf("batch: %w", runErr)
	}
	return nil
}
