package load

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Msg is one message of a run as the sender hands it out; times are
// nanoseconds since the run's start (Run.Now).
type Msg struct {
	Seq      int64 // 0, 1, 2, ... in send order
	Intended int64 // when it was due; latency is measured from here
	Sent     int64 // when the sender handed it out
}

// Run is one open-model run: its schedule, its sender's state and the
// recorders of its handlers. Make one with New, call Send once, and Stats
// after every handler has finished.
type Run struct {
	plan     Plan
	pacer    Pacer // nil for a closed loop
	interval int64 // nanoseconds
	t0       time.Time
	iv       *intervals

	sendLag *hdrhistogram.Histogram // written by the sender only
	sent    int64
	late    int64
	offered int64

	mu   sync.Mutex
	recs []*Recorder
}

// New checks plan and returns a Run whose clock starts now; Send restarts
// it when sending begins. Warnings of Plan.Check are not errors here.
func New(plan Plan) (*Run, error) {
	if _, err := plan.Check(); err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	r := &Run{plan: plan, pacer: plan.pacer(), interval: int64(plan.interval()), t0: time.Now(), sendLag: newHist()}
	planned := int64(plan.Duration)
	if planned == 0 && plan.Rate > 0 {
		planned = int64(float64(plan.Messages) / plan.Rate * 1e9)
	}
	r.iv = newIntervals(r.interval, planned+int64(time.Second))
	return r, nil
}

// Now returns the time since the run's start in nanoseconds (monotonic).
func (r *Run) Now() int64 { return int64(time.Since(r.t0)) }

// NewRecorder returns a recorder for one goroutine; Stats merges it.
func (r *Run) NewRecorder() *Recorder {
	rec := &Recorder{run: r, latency: newHist(), service: newHist()}
	r.mu.Lock()
	r.recs = append(r.recs, rec)
	r.mu.Unlock()
	return rec
}

// NewSyncRecorder returns a recorder safe for concurrent use; Stats merges it.
func (r *Run) NewSyncRecorder() *SyncRecorder {
	return &SyncRecorder{r: r.NewRecorder()}
}

// The sender sleeps on a timer when the next message is more than sleepAbove
// away, waking sleepEarly before it is due, and yields the processor
// (runtime.Gosched) in between: Go's timers round sleeps shorter than 1 ms
// up to about 1 ms on Linux (the network poller waits in whole
// milliseconds), which would be the send lag of every message at rates above
// 1000/s. The price is that a sender at such rates keeps one core busy.
const (
	sleepAbove = 2 * time.Millisecond
	sleepEarly = 1500 * time.Microsecond
)

// Send starts the run's clock and hands out its messages: message i at its
// due time t0 + Pacer.Offset(i), until Plan.Messages were sent, the send
// window (Plan.Duration) ended or ctx was cancelled. Messages due within the
// window are still sent up to one Interval after its end; those
// still waiting then are counted unsent. A sender that falls
// behind (emit blocked) sends the overdue messages back to back; they keep
// their intended times. In a closed loop (Rate 0) each message is intended
// when it is sent. Send returns emit's first error, or ctx.Err() when
// cancelled, and must be called once.
func (r *Run) Send(ctx context.Context, emit func(Msg) error) error {
	r.t0 = time.Now()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	window := int64(r.plan.Duration)
	var err error
	var i int64
	for ; r.plan.Messages == 0 || i < r.plan.Messages; i++ {
		if i%64 == 0 {
			if err = ctx.Err(); err != nil {
				break
			}
		}
		now := r.Now()
		due := now
		if r.pacer != nil {
			due = int64(r.pacer.Offset(i))
			if window > 0 && due >= window {
				break // due after the window: not part of the run
			}
			if due > now {
				if err = r.wait(ctx, timer, due); err != nil {
					break
				}
				now = r.Now()
			}
		} else if window > 0 && now >= window {
			break
		}
		if window > 0 && now >= window+r.interval {
			break // due within the window but still unsent an interval after its end: unsent
		}
		lag := now - due
		recordClamped(r.sendLag, lag)
		if lag > r.interval {
			r.late++
		}
		r.iv.sent(now)
		if err = emit(Msg{Seq: i, Intended: due, Sent: now}); err != nil {
			i++ // emit saw it
			break
		}
	}
	r.sent = i
	r.offered = r.offeredCount()
	return err
}

// wait blocks until due (nanoseconds since the start) or ctx ends.
func (r *Run) wait(ctx context.Context, timer *time.Timer, due int64) error {
	for {
		d := time.Duration(due - r.Now())
		if d <= 0 {
			return nil
		}
		if d <= sleepAbove {
			runtime.Gosched()
			continue
		}
		timer.Reset(d - sleepEarly)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		}
	}
}

// offeredCount is how many messages the plan offered: all of Messages
// without a window; with one, those due within it (counted from the pacer,
// or for more than maxOfferedScan of them, rate x window); in a closed loop,
// those sent.
func (r *Run) offeredCount() int64 {
	if r.pacer == nil {
		return r.sent
	}
	if r.plan.Duration == 0 {
		return r.plan.Messages
	}
	limit := r.plan.Messages
	if limit == 0 {
		limit = math.MaxInt64
	}
	window := r.plan.Duration
	if c, ok := r.pacer.(ConstantPacer); ok {
		return min(int64(math.Ceil(c.PerSecond*window.Seconds())), limit)
	}
	n := r.sent
	for n < limit && r.pacer.Offset(n) < window {
		if n-r.sent >= maxOfferedScan {
			return max(min(int64(math.Ceil(r.pacer.Rate()*window.Seconds())), limit), r.sent)
		}
		n++
	}
	return n
}
