package workloads

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/pools"
)

// Fan-out modes.
const (
	FanoutPerMessage = "per-message"
	FanoutWorkerPool = "worker-pool"
)

func init() {
	Register(Kind{
		Name:     "fanout",
		Doc:      "dispatch messages to a goroutine each or to a bounded worker pool; per-message CPU work; end-to-end latency",
		Messages: true,
		Params: []ParamSpec{
			{Name: "messages", Type: Int, Default: int64(20_000), Doc: "messages to send (0: no count limit, duration must be set); the run stops at messages or duration, whichever comes first", Min: 0, Max: 100_000_000, Scales: true},
			{Name: "duration", Type: Duration, Default: time.Duration(0), Doc: "send for this long (0: no time limit, messages must be set)", Min: 0, Max: 3600, Scales: true},
			{Name: "rate", Type: Int, Default: int64(0), Doc: "messages per second (0: as fast as possible)", Min: 0, Max: 100_000_000},
			{Name: "mode", Type: String, Default: FanoutPerMessage, Doc: "per-message: go func per message; worker-pool: `workers` goroutines reading a channel of `queue` slots", Enum: []string{FanoutPerMessage, FanoutWorkerPool}},
			{Name: "workers", Type: Int, Default: int64(4), Doc: "worker-pool mode: worker goroutines", Min: 1, Max: 4096},
			{Name: "queue", Type: Int, Default: int64(256), Doc: "worker-pool mode: channel capacity; a full queue blocks the sender", Min: 0, Max: 1_000_000},
			{Name: "alloc", Type: String, Default: AllocNaive, Doc: "naive: a new message buffer each; pool: buffers from a pools.Pool", Enum: []string{AllocNaive, AllocPool}},
			{Name: "work", Type: Int, Default: int64(4), Doc: "CPU work per message: rounds of FNV-1a hashing over the payload", Min: 0, Max: 1_000_000},
			{Name: "payload", Type: Size, Default: int64(512), Doc: "message payload size", Min: 1, Max: 64 << 20},
			{Name: "seed", Type: Int, Default: int64(1), Doc: "random seed of the payload bytes", Min: 0, Max: 1 << 53},
		},
		Metrics: []metric.Info{poolHitRate},
		Run:     runFanout,
	})
}

// fanMsg is one message in flight.
type fanMsg struct {
	born time.Time
	buf  []byte
}

// fanout holds one fan-out run's shared state.
type fanout struct {
	work   int
	pool   *pools.Pool[fanMsg]
	digest atomic.Uint64 // keeps the hashing from being dead code
	done   atomic.Int64
}

// runFanout sends messages (at `rate`, until `messages` were sent or
// `duration` passed) to handlers. Per-message mode starts a goroutine per
// message, so with slow work goroutines pile up; worker-pool mode bounds
// them and pushes back on the sender when the queue is full. Latency runs
// from the message's creation to the end of its work. On cancellation the
// sender stops and the messages already sent are finished first.
func runFanout(ctx context.Context, r *Run) error {
	p := r.Params
	limit, dur := p.Int("messages"), p.Duration("duration")
	if limit == 0 && dur == 0 {
		return errors.New("fanout: set messages or duration (both are 0)")
	}
	f := &fanout{work: int(p.Int("work"))}
	size := int(p.Int("payload"))
	alloc := func() *fanMsg { return &fanMsg{buf: make([]byte, size)} }
	if p.String("alloc") == AllocPool {
		f.pool = pools.NewPool(pools.PoolOptions[fanMsg]{New: alloc})
	}
	// Payload bytes come from a seeded block, at a rotating offset.
	seed := uint64(p.Int("seed"))
	rng := rand.New(rand.NewPCG(seed, ^seed))
	src := make([]byte, size+64)
	for i := range src {
		src[i] = byte(rng.Uint32())
	}
	newMsg := func(i int64) *fanMsg {
		var m *fanMsg
		if f.pool != nil {
			m = f.pool.Get()
		} else {
			m = alloc()
		}
		m.born = time.Now()
		off := int(i % 64)
		copy(m.buf, src[off:off+size])
		return m
	}
	start := time.Now()
	pace := pacer{start: start, rate: float64(p.Int("rate"))}
	var deadline time.Time
	if dur > 0 {
		deadline = start.Add(dur)
	}
	// send produces messages until a limit or cancellation and reports why it stopped.
	send := func(emit func(*fanMsg) error) error {
		for i := int64(0); limit == 0 || i < limit; i++ {
			if err := pace.wait(ctx, i); err != nil {
				return err
			}
			if !deadline.IsZero() && !time.Now().Before(deadline) {
				return nil
			}
			if err := emit(newMsg(i)); err != nil {
				return err
			}
		}
		return nil
	}
	var sendErr error
	lat := newLatencyRecorder()
	if p.String("mode") == FanoutPerMessage {
		locked := &lockedRecorder{r: lat}
		var wg sync.WaitGroup
		sendErr = send(func(m *fanMsg) error {
			wg.Go(func() { f.handle(m, locked.record) })
			return nil
		})
		wg.Wait()
	} else {
		workers := int(p.Int("workers"))
		ch := make(chan *fanMsg, p.Int("queue"))
		recs := make([]*latencyRecorder, workers)
		var wg sync.WaitGroup
		for w := range recs {
			recs[w] = newLatencyRecorder()
			wg.Go(func() {
				for m := range ch {
					f.handle(m, recs[w].record)
				}
			})
		}
		sendErr = send(func(m *fanMsg) error {
			select {
			case ch <- m:
				return nil
			case <-ctx.Done():
				f.release(m)
				return ctx.Err()
			}
		})
		close(ch)
		wg.Wait()
		for _, r := range recs {
			lat.merge(r)
		}
	}
	r.AddOps(f.done.Load())
	r.ReportLatency(lat.summary())
	if f.pool != nil {
		reportPoolHitRate(r, f.pool.Stats())
	}
	if sendErr != nil {
		return fmt.Errorf("fanout: %w", sendErr)
	}
	return nil
}

// handle does a message's work, records its latency and releases it.
func (f *fanout) handle(m *fanMsg, record func(time.Duration)) {
	h := uint64(fnvOffset)
	for range f.work {
		h = fnv1a(h, m.buf)
	}
	f.digest.Add(h)
	record(time.Since(m.born))
	f.done.Add(1)
	f.release(m)
}

func (f *fanout) release(m *fanMsg) {
	if f.pool != nil {
		f.pool.Put(m)
	}
}
