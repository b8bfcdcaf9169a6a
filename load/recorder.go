package load

import (
	"sync"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Histogram range and precision: two significant digits (1%), values from
// 0 to ten minutes (longer ones are recorded as ten minutes). Resolution at
// the low end is 64 ns. Each histogram costs about 27 KiB inside the measured
// process; three significant digits from 1 ns would cost 1.3 MiB.
const (
	histLowest = 100
	histMax    = int64(10 * time.Minute)
	histSig    = 2
)

func newHist() *hdrhistogram.Histogram {
	return hdrhistogram.New(histLowest, histMax, histSig)
}

// recordClamped adds v (nanoseconds) to h, clamped into the histogram's range.
func recordClamped(h *hdrhistogram.Histogram, v int64) {
	_ = h.RecordValue(min(max(v, 0), histMax)) // in range by construction
}

// Recorder records finished messages of one run: end-to-end latency from the
// intended time and service time from the start of handling, each in an HDR
// histogram, plus the run's per-interval series. It is not safe for
// concurrent use: give each goroutine its own (Run.NewRecorder) or share a
// SyncRecorder. Recording allocates nothing.
type Recorder struct {
	run       *Run
	latency   *hdrhistogram.Histogram
	service   *hdrhistogram.Histogram
	completed int64
	lastDone  int64 // latest completion, nanoseconds since the start
}

// Start returns the time to pass to Done as the start of handling: now, in
// nanoseconds since the run's start.
func (r *Recorder) Start() int64 { return r.run.Now() }

// Done records message m finished now, its handling having started at
// started (a Start or Run.Now value).
func (r *Recorder) Done(m Msg, started int64) {
	r.Record(m.Intended, started, r.run.Now())
}

// Record records a message intended at intended, whose handling started at
// started and finished at done, all in nanoseconds since the run's start.
func (r *Recorder) Record(intended, started, done int64) {
	lat := done - intended
	recordClamped(r.latency, lat)
	recordClamped(r.service, done-started)
	r.run.iv.done(done, lat)
	r.completed++
	r.lastDone = max(r.lastDone, done)
}

// SyncRecorder is a Recorder behind a mutex, for code that starts a
// goroutine per message, where a recorder per goroutine would cost more than
// the lock.
type SyncRecorder struct {
	mu sync.Mutex
	r  *Recorder
}

// Start returns now in nanoseconds since the run's start.
func (s *SyncRecorder) Start() int64 { return s.r.run.Now() }

// Done records message m finished now; see Recorder.Done.
func (s *SyncRecorder) Done(m Msg, started int64) {
	done := s.r.run.Now()
	s.mu.Lock()
	s.r.Record(m.Intended, started, done)
	s.mu.Unlock()
}
