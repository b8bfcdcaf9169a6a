package load

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestConstantPacer(t *testing.T) {
	p := ConstantPacer{PerSecond: 20_000}
	for _, tc := range []struct {
		i    int64
		want time.Duration
	}{{0, 0}, {1, 50 * time.Microsecond}, {20_000, time.Second}, {40_001, 2*time.Second + 50*time.Microsecond}} {
		if got := p.Offset(tc.i); got != tc.want {
			t.Errorf("Offset(%d) = %s, want %s", tc.i, got, tc.want)
		}
	}
	if p.Rate() != 20_000 {
		t.Errorf("Rate = %v", p.Rate())
	}
}

func TestPoissonPacer(t *testing.T) {
	const rate, n = 1000.0, 20_000
	a, b := NewPoissonPacer(rate, 7), NewPoissonPacer(rate, 7)
	var prev time.Duration
	for i := int64(0); i < n; i++ {
		x := a.Offset(i)
		if x < prev {
			t.Fatalf("Offset(%d) = %s < Offset(%d) = %s", i, x, i-1, prev)
		}
		prev = x
	}
	if got := b.Offset(n - 1); got != prev {
		t.Errorf("same seed, skipping ahead: %s, want %s", got, prev)
	}
	if got := a.Offset(10); got != b.Offset(10) {
		t.Errorf("replay from the start: %s, want %s", got, b.Offset(10))
	}
	// n arrivals of a Poisson process take n/rate seconds on average, with a
	// relative standard deviation of 1/sqrt(n) (0.7%); allow 5 of them.
	mean := float64(n-1) / rate
	if got := prev.Seconds(); math.Abs(got-mean)/mean > 5/math.Sqrt(n) {
		t.Errorf("%d arrivals took %.3fs, want about %.3fs", n, got, mean)
	}
	if c := NewPoissonPacer(rate, 8); c.Offset(100) == a.Offset(100) {
		t.Error("different seeds gave the same arrivals")
	}
}

func TestPlanCheck(t *testing.T) {
	for _, tc := range []struct {
		name     string
		give     Plan
		wantErr  string
		wantWarn string
	}{
		{name: "count only", give: Plan{Rate: 100, Messages: 10}},
		{name: "window only", give: Plan{Rate: 100, Duration: time.Second}},
		{name: "count ends at the window", give: Plan{Rate: 100, Messages: 100, Duration: time.Second}},
		{name: "closed loop with both", give: Plan{Messages: 10, Duration: time.Second}},
		{name: "no end", give: Plan{Rate: 100}, wantErr: "messages and duration are both 0"},
		{name: "negative rate", give: Plan{Rate: -1, Messages: 1}, wantErr: "rate must be a finite number >= 0"},
		{name: "NaN rate", give: Plan{Rate: math.NaN(), Messages: 1}, wantErr: "rate must be"},
		{name: "negative count", give: Plan{Messages: -1, Duration: time.Second}, wantErr: "messages must be >= 0"},
		{name: "count ends early", give: Plan{Rate: 10_000, Messages: 20_000, Duration: 3 * time.Second},
			wantWarn: "messages 20000 at rate 10000/s are all sent after 2s, before duration 3s ends"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			warns, err := tc.give.Check()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
			if tc.wantWarn == "" && len(warns) > 0 {
				t.Fatalf("warnings %v", warns)
			}
			if tc.wantWarn != "" && (len(warns) != 1 || !strings.Contains(warns[0].Error(), tc.wantWarn)) {
				t.Fatalf("warnings %v, want one containing %q", warns, tc.wantWarn)
			}
		})
	}
	if _, err := New(Plan{Rate: 1}); err == nil {
		t.Error("New accepted a plan without an end")
	}
}

func TestIntervalBuckets(t *testing.T) {
	prev := -1
	for v := int64(0); v < 1<<41; v = v*9/8 + 1 {
		b := ivBucket(v)
		if b < prev || b >= ivBuckets {
			t.Fatalf("ivBucket(%d) = %d after %d (buckets %d)", v, b, prev, ivBuckets)
		}
		prev = b
		if v >= 1<<ivMaxExp {
			continue
		}
		mid := ivValue(b)
		if ivBucket(mid) != b {
			t.Fatalf("ivValue(%d) = %d is in bucket %d", b, mid, ivBucket(mid))
		}
		if v >= 16 && math.Abs(float64(mid-v))/float64(v) > 1.0/16+1e-9 {
			t.Fatalf("value %d read back as %d: more than 6.25%% off", v, mid)
		}
	}
	if got := ivBucket(-5); got != 0 {
		t.Errorf("ivBucket(-5) = %d, want 0", got)
	}
}

func TestSlotQuantile(t *testing.T) {
	var s ivSlot
	if s.quantile(0.5) != 0 {
		t.Fatal("empty slot has a quantile")
	}
	for i := int64(1); i <= 100; i++ {
		s.done.Add(1)
		s.lat[ivBucket(i*int64(time.Millisecond))].Add(1)
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {0.01, time.Millisecond}, {1, 100 * time.Millisecond}} {
		got := time.Duration(s.quantile(tc.q))
		if math.Abs(float64(got-tc.want))/float64(tc.want) > 1.0/16 {
			t.Errorf("quantile(%v) = %s, want %s within 6.25%%", tc.q, got, tc.want)
		}
	}
}

// TestKeepsUp: a handler far faster than the offered rate finishes every
// message, the run is not overloaded, and latency is about service time.
func TestKeepsUp(t *testing.T) {
	r, err := New(Plan{Rate: 2000, Duration: 250 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	rec := r.NewRecorder()
	err = r.Send(context.Background(), func(m Msg) error {
		rec.Done(m, rec.Start())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s := r.Stats()
	if s.Offered != 500 || s.Sent != 500 || s.Completed != 500 || s.Unsent != 0 {
		t.Fatalf("offered %d sent %d completed %d unsent %d, want 500 500 500 0", s.Offered, s.Sent, s.Completed, s.Unsent)
	}
	if s.Overloaded || s.OfferedRate != 2000 || s.AchievedRate < 0.95*2000 {
		t.Errorf("overloaded %v, offered %.0f/s, achieved %.0f/s", s.Overloaded, s.OfferedRate, s.AchievedRate)
	}
	if s.Latency.Count != 500 || s.SendLag.Count != 500 || s.Service.Count != 500 {
		t.Errorf("counts latency %d send lag %d service %d", s.Latency.Count, s.SendLag.Count, s.Service.Count)
	}
	if len(s.Intervals) != 3 {
		t.Fatalf("%d intervals, want 3 for 250ms", len(s.Intervals))
	}
	var offered, sent float64
	for _, iv := range s.Intervals {
		offered += iv.Offered * iv.Width.Seconds()
		sent += iv.Sent * iv.Width.Seconds()
	}
	if math.Round(offered) != 500 || math.Round(sent) != 500 {
		t.Errorf("intervals hold %v offered and %v sent, want 500 each", offered, sent)
	}
	if s.Intervals[0].Offered != 2000 {
		t.Errorf("first interval offered %v/s, want 2000/s", s.Intervals[0].Offered)
	}
	// The last interval covers the run's last 50 ms (and until the last
	// message finished): its rates are per second over that time, not
	// diluted over a whole 100 ms.
	if last := s.Intervals[2]; last.Width < 50*time.Millisecond || last.Width > 100*time.Millisecond || last.Offered < 1000 {
		t.Errorf("last interval width %v offered %v/s, want 50-100ms at about 2000/s", last.Width, last.Offered)
	}
}

// TestBacklogShows is the coordinated-omission check: a handler that takes
// 2ms per message behind a one-slot queue serves about 500/s of the 2000/s
// offered; the blocked sender falls behind, and the latency measured from
// the intended time shows the backlog while the service time stays small.
func TestBacklogShows(t *testing.T) {
	r, err := New(Plan{Rate: 2000, Duration: 400 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan Msg, 1)
	done := make(chan struct{})
	rec := r.NewRecorder()
	go func() {
		defer close(done)
		for m := range ch {
			start := rec.Start()
			time.Sleep(2 * time.Millisecond)
			rec.Done(m, start)
		}
	}()
	err = r.Send(context.Background(), func(m Msg) error { ch <- m; return nil })
	close(ch)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	s := r.Stats()
	if !s.Overloaded {
		t.Errorf("not overloaded: offered %.0f/s achieved %.0f/s", s.OfferedRate, s.AchievedRate)
	}
	if s.Unsent == 0 || s.Sent+s.Unsent != s.Offered || s.Offered != 800 {
		t.Errorf("offered %d sent %d unsent %d", s.Offered, s.Sent, s.Unsent)
	}
	if s.Latency.P95 < 150*time.Millisecond {
		t.Errorf("latency p95 %s hides the backlog (service p95 %s)", s.Latency.P95, s.Service.P95)
	}
	if s.Latency.P95 < 10*s.Service.P95 {
		t.Errorf("latency p95 %s is not far above service p95 %s", s.Latency.P95, s.Service.P95)
	}
	if s.SendLag.P95 < 100*time.Millisecond || s.Late == 0 {
		t.Errorf("send lag p95 %s, late %d: the blocked sender's lag is not seen", s.SendLag.P95, s.Late)
	}
	// The backlog grows over the run: the last interval's median is far
	// above the first's.
	first, last := s.Intervals[0], s.Intervals[3]
	if last.P50 < first.P50+100*time.Millisecond {
		t.Errorf("interval p50 %s at 0s, %s at 300ms: no growing backlog", first.P50, last.P50)
	}
}

func TestClosedLoop(t *testing.T) {
	r, err := New(Plan{Messages: 1000})
	if err != nil {
		t.Fatal(err)
	}
	rec := r.NewSyncRecorder()
	if err := r.Send(context.Background(), func(m Msg) error {
		if m.Intended != m.Sent {
			t.Fatalf("closed loop message intended at %d, sent at %d", m.Intended, m.Sent)
		}
		rec.Done(m, rec.Start())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s := r.Stats()
	if s.Sent != 1000 || s.Completed != 1000 || s.Offered != 1000 || s.OfferedRate != 0 || s.Overloaded || s.AchievedRate <= 0 {
		t.Errorf("%+v", s)
	}
}

func TestSendStops(t *testing.T) {
	t.Run("emit error", func(t *testing.T) {
		r, _ := New(Plan{Rate: 100_000, Messages: 100})
		boom := errors.New("boom")
		err := r.Send(context.Background(), func(m Msg) error {
			if m.Seq == 9 {
				return boom
			}
			return nil
		})
		if !errors.Is(err, boom) || r.Stats().Sent != 10 {
			t.Errorf("err %v, sent %d; want boom after 10", err, r.Stats().Sent)
		}
	})
	t.Run("cancelled while waiting", func(t *testing.T) {
		r, _ := New(Plan{Rate: 1, Messages: 10})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := r.Send(ctx, func(Msg) error { return nil })
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
			t.Errorf("err %v after %s", err, time.Since(start))
		}
	})
}

func TestRecordAllocatesNothing(t *testing.T) {
	r, _ := New(Plan{Rate: 1000, Duration: time.Second})
	rec := r.NewRecorder()
	sr := r.NewSyncRecorder()
	var i int64
	allocs := testing.AllocsPerRun(1000, func() {
		i++
		rec.Record(i, i+10, i*1000)
		sr.Done(Msg{Intended: i}, i)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per recorded message", allocs)
	}
}

// TestPoissonOffered: with Poisson arrivals, the offered count is the
// arrivals that fell within the window, not their expected number.
func TestPoissonOffered(t *testing.T) {
	pacer := NewPoissonPacer(1000, 3)
	want := int64(0)
	for pacer.Offset(want) < 200*time.Millisecond {
		want++
	}
	r, _ := New(Plan{Rate: 1000, Duration: 200 * time.Millisecond, Pacer: NewPoissonPacer(1000, 3)})
	rec := r.NewRecorder()
	if err := r.Send(context.Background(), func(m Msg) error { rec.Done(m, rec.Start()); return nil }); err != nil {
		t.Fatal(err)
	}
	s := r.Stats()
	if s.Offered != want || s.Sent != want || s.Unsent != 0 {
		t.Errorf("offered %d sent %d unsent %d, want %d arrivals in the window", s.Offered, s.Sent, s.Unsent, want)
	}
}
