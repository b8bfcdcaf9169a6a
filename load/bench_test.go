package load

import (
	"context"
	"testing"
	"time"
)

// BenchmarkRecord is the cost of recording one finished message: two HDR
// histograms and the interval series (one op = one message).
func BenchmarkRecord(b *testing.B) {
	r, _ := New(Plan{Rate: 1000, Duration: time.Second})
	rec := r.NewRecorder()
	b.ReportAllocs()
	var i int64
	for b.Loop() {
		i++
		rec.Record(i*1000, i*1000+500, i*1000+(i%4096)*1000)
	}
}

// BenchmarkRecordSync is Record through a SyncRecorder shared by parallel goroutines.
func BenchmarkRecordSync(b *testing.B) {
	r, _ := New(Plan{Rate: 1000, Duration: time.Second})
	rec := r.NewSyncRecorder()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec.Done(Msg{}, 0)
		}
	})
}

// BenchmarkSend50k offers 50,000 msg/s for one second per op to one handler
// goroutine doing trivial work (recording the message), and reports how much
// of the offered rate was achieved and the sender's send-lag percentiles:
// the generator's own ability to hold a rate on this machine.
func BenchmarkSend50k(b *testing.B) {
	const rate = 50_000
	var ratio, p99, p50, late float64
	n := 0
	for b.Loop() {
		r, err := New(Plan{Rate: rate, Duration: time.Second})
		if err != nil {
			b.Fatal(err)
		}
		ch := make(chan Msg, 1024)
		done := make(chan struct{})
		rec := r.NewRecorder()
		go func() {
			defer close(done)
			for m := range ch {
				rec.Done(m, rec.Start())
			}
		}()
		if err := r.Send(context.Background(), func(m Msg) error { ch <- m; return nil }); err != nil {
			b.Fatal(err)
		}
		close(ch)
		<-done
		s := r.Stats()
		ratio += s.AchievedRate / s.OfferedRate
		p99 += float64(s.SendLag.P99) / 1e3
		p50 += float64(s.SendLag.P50) / 1e3
		late += float64(s.Late)
		n++
	}
	b.ReportMetric(ratio/float64(n), "achieved/offered")
	b.ReportMetric(p50/float64(n), "send-lag-p50-µs")
	b.ReportMetric(p99/float64(n), "send-lag-p99-µs")
	b.ReportMetric(late/float64(n), "late-msgs/op")
}
