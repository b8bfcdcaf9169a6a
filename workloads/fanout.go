package workloads

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/memprism/memprism/load"
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
		Doc:      "messages at an offered rate dispatched to a goroutine each or to a bounded worker pool; per-message CPU work; latency from each message's intended time",
		Messages: true,
		Params: append(LoadParams(20_000),
			ParamSpec{Name: "mode", Type: String, Default: FanoutPerMessage, Doc: "per-message: go func per message; worker-pool: `workers` goroutines reading a channel of `queue` slots", Enum: []string{FanoutPerMessage, FanoutWorkerPool}},
			ParamSpec{Name: "workers", Type: Int, Default: int64(4), Doc: "worker-pool mode: worker goroutines", Min: 1, Max: 4096},
			ParamSpec{Name: "queue", Type: Int, Default: int64(256), Doc: "worker-pool mode: channel capacity; a full queue blocks the sender, whose messages keep their intended times", Min: 0, Max: 1_000_000},
			ParamSpec{Name: "alloc", Type: String, Default: AllocNaive, Doc: "naive: a new message buffer each; pool: buffers from a pools.Pool", Enum: []string{AllocNaive, AllocPool}},
			ParamSpec{Name: "work", Type: Int, Default: int64(4), Doc: "CPU work per message: rounds of FNV-1a hashing over the payload", Min: 0, Max: 1_000_000},
			ParamSpec{Name: "payload", Type: Size, Default: int64(512), Doc: "message payload size", Min: 1, Max: 64 << 20},
			ParamSpec{Name: "seed", Type: Int, Default: int64(1), Doc: "random seed of the payload bytes and of poisson arrivals", Min: 0, Max: 1 << 53},
		),
		Check:   CheckPlan,
		Metrics: []metric.Info{poolHitRate},
		Run:     runFanout,
	})
}

// fanMsg is one message in flight.
type fanMsg struct {
	load load.Msg
	buf  []byte
}

// fanout holds one fan-out run's shared state.
type fanout struct {
	work   int
	pool   *pools.Pool[fanMsg]
	digest atomic.Uint64 // keeps the hashing from being dead code
	done   atomic.Int64
}

// runFanout offers messages at `rate` (open model: message i is due at
// start + i/rate, until `messages` were sent or the `duration` window ended)
// to handlers. Per-message mode starts a goroutine per message, so with slow
// work goroutines pile up; worker-pool mode bounds them and blocks the sender
// when the queue is full. Either way latency runs from each message's
// intended time to the end of its work, so a backlog shows whether it builds
// up in goroutines or in front of a blocked sender. On cancellation the
// sender stops and the messages already sent are finished first.
func runFanout(ctx context.Context, r *Run) error {
	p := r.Params
	run, err := r.Load(PlanOf(p))
	if err != nil {
		return fmt.Errorf("fanout: %w", err)
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
	newMsg := func(lm load.Msg) *fanMsg {
		var m *fanMsg
		if f.pool != nil {
			m = f.pool.Get()
		} else {
			m = alloc()
		}
		m.load = lm
		off := int(lm.Seq % 64)
		copy(m.buf, src[off:off+size])
		return m
	}
	var sendErr error
	if p.String("mode") == FanoutPerMessage {
		rec := run.NewSyncRecorder()
		var wg sync.WaitGroup
		sendErr = run.Send(ctx, func(lm load.Msg) error {
			m := newMsg(lm)
			wg.Go(func() { f.handle(m, rec.Start(), rec.Done) })
			return nil
		})
		wg.Wait()
	} else {
		ch := make(chan *fanMsg, p.Int("queue"))
		var wg sync.WaitGroup
		for range p.Int("workers") {
			rec := run.NewRecorder()
			wg.Go(func() {
				for m := range ch {
					f.handle(m, rec.Start(), rec.Done)
				}
			})
		}
		sendErr = run.Send(ctx, func(lm load.Msg) error {
			m := newMsg(lm)
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
	}
	r.AddOps(f.done.Load())
	if f.pool != nil {
		reportPoolHitRate(r, f.pool.Stats())
	}
	if sendErr != nil {
		return fmt.Errorf("fanout: %w", sendErr)
	}
	return nil
}

// handle does a message's work, records it as finished and releases it.
func (f *fanout) handle(m *fanMsg, started int64, done func(load.Msg, int64)) {
	h := uint64(fnvOffset)
	for range f.work {
		h = fnv1a(h, m.buf)
	}
	f.digest.Add(h)
	done(m.load, started)
	f.done.Add(1)
	f.release(m)
}

func (f *fanout) release(m *fanMsg) {
	if f.pool != nil {
		f.pool.Put(m)
	}
}
