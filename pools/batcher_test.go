package pools

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// sink records flushed batches; it copies each batch because the Batcher reuses the slice.
type sink struct {
	mu      sync.Mutex
	batches [][]int
	fail    func(batch []int) error
	flushed chan struct{}
}

func newSink() *sink { return &sink{flushed: make(chan struct{}, 1000)} }

func (s *sink) flush(batch []int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batches = append(s.batches, slices.Clone(batch))
	s.flushed <- struct{}{}
	if s.fail != nil {
		return s.fail(batch)
	}
	return nil
}

func (s *sink) got() [][]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.batches)
}

// waitFlush waits for one flush, failing the test after a generous deadline.
func (s *sink) waitFlush(t *testing.T) {
	t.Helper()
	select {
	case <-s.flushed:
	case <-time.After(5 * time.Second):
		t.Fatal("no flush within 5s")
	}
}

func TestBatcherFlushes(t *testing.T) {
	tests := []struct {
		name      string
		opts      BatcherOptions
		add       int
		wantSizes []int // batch sizes after Close
		want      BatcherStats
	}{
		{
			name:      "by size then close",
			opts:      BatcherOptions{Size: 3, MaxAge: time.Hour},
			add:       7,
			wantSizes: []int{3, 3, 1},
			want:      BatcherStats{Batches: 3, Items: 7, BySize: 2, Explicit: 1},
		},
		{
			name:      "exact multiple leaves nothing for close",
			opts:      BatcherOptions{Size: 2, MaxAge: time.Hour},
			add:       4,
			wantSizes: []int{2, 2},
			want:      BatcherStats{Batches: 2, Items: 4, BySize: 2},
		},
		{
			name:      "nothing added",
			opts:      BatcherOptions{Size: 2, MaxAge: time.Hour},
			wantSizes: nil,
			want:      BatcherStats{},
		},
		{
			name:      "defaults",
			opts:      BatcherOptions{},
			add:       250,
			wantSizes: []int{100, 100, 50},
			want:      BatcherStats{Batches: 3, Items: 250, BySize: 2, Explicit: 1},
		},
		{
			name:      "age flush disabled",
			opts:      BatcherOptions{Size: 10, MaxAge: -1},
			add:       5,
			wantSizes: []int{5},
			want:      BatcherStats{Batches: 1, Items: 5, Explicit: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSink()
			b := NewBatcher(tt.opts, s.flush)
			for i := range tt.add {
				if err := b.Add(i); err != nil {
					t.Fatalf("Add(%d): %v", i, err)
				}
			}
			if err := b.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			var sizes []int
			var all []int
			for _, batch := range s.got() {
				sizes = append(sizes, len(batch))
				all = append(all, batch...)
			}
			if !slices.Equal(sizes, tt.wantSizes) {
				t.Errorf("batch sizes = %v, want %v", sizes, tt.wantSizes)
			}
			for i, v := range all {
				if v != i {
					t.Fatalf("items out of order or lost: %v", all)
				}
			}
			if got := b.Stats(); got != tt.want {
				t.Errorf("Stats() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestBatcherAgeFlushOnQuietStream(t *testing.T) {
	s := newSink()
	const maxAge = 20 * time.Millisecond
	b := NewBatcher(BatcherOptions{Size: 100, MaxAge: maxAge}, s.flush)
	defer b.Close()
	start := time.Now()
	for i := range 3 {
		if err := b.Add(i); err != nil {
			t.Fatal(err)
		}
	}
	s.waitFlush(t) // no further Add: only the timer can flush
	elapsed := time.Since(start)
	if elapsed < maxAge {
		t.Errorf("flushed after %v, before MaxAge %v", elapsed, maxAge)
	}
	if got := s.got(); len(got) != 1 || !slices.Equal(got[0], []int{0, 1, 2}) {
		t.Errorf("batches = %v, want [[0 1 2]]", got)
	}
	if st := b.Stats(); st.ByAge != 1 || st.Items != 3 || b.Len() != 0 {
		t.Errorf("Stats() = %+v, Len() = %d; want one age flush of 3 items", st, b.Len())
	}
	// A second quiet batch flushes by age too.
	if err := b.Add(3); err != nil {
		t.Fatal(err)
	}
	s.waitFlush(t)
	if st := b.Stats(); st.ByAge != 2 {
		t.Errorf("Stats() = %+v, want 2 age flushes", st)
	}
}

func TestBatcherErrors(t *testing.T) {
	errSink := errors.New("sink down")
	t.Run("size flush error returned by Add", func(t *testing.T) {
		s := newSink()
		s.fail = func([]int) error { return errSink }
		b := NewBatcher(BatcherOptions{Size: 2, MaxAge: time.Hour}, s.flush)
		if err := b.Add(1); err != nil {
			t.Fatalf("first Add: %v", err)
		}
		if err := b.Add(2); !errors.Is(err, errSink) {
			t.Fatalf("Add that filled the batch = %v, want %v", err, errSink)
		}
		if err := b.Add(3); err != nil {
			t.Fatalf("Add after a failed flush: %v (the failed batch is discarded)", err)
		}
		if err := b.Close(); !errors.Is(err, errSink) {
			t.Fatalf("Close with a failing final flush = %v, want %v", err, errSink)
		}
		if st := b.Stats(); st.Errors != 2 || st.Batches != 2 {
			t.Errorf("Stats() = %+v, want 2 batches, 2 errors", st)
		}
	})
	t.Run("timer flush errors reach Err once", func(t *testing.T) {
		s := newSink()
		s.fail = func([]int) error { return errSink }
		b := NewBatcher(BatcherOptions{Size: 100, MaxAge: 5 * time.Millisecond}, s.flush)
		defer b.Close()
		for i := range 2 {
			if err := b.Add(i); err != nil {
				t.Fatal(err)
			}
			s.waitFlush(t)
		}
		waitFor(t, func() bool { return b.Stats().Errors == 2 })
		err := b.Err()
		if !errors.Is(err, errSink) {
			t.Fatalf("Err() = %v, want %v", err, errSink)
		}
		if want := "(and 1 more timer flush errors)"; !strings.Contains(err.Error(), want) {
			t.Errorf("Err() = %q, want it to count the second error %q", err, want)
		}
		if err := b.Err(); err != nil {
			t.Errorf("second Err() = %v, want nil: errors are reported once", err)
		}
	})
	t.Run("timer flush error reported by Close", func(t *testing.T) {
		s := newSink()
		s.fail = func([]int) error { return errSink }
		b := NewBatcher(BatcherOptions{Size: 100, MaxAge: 5 * time.Millisecond}, s.flush)
		if err := b.Add(1); err != nil {
			t.Fatal(err)
		}
		s.waitFlush(t)
		waitFor(t, func() bool { return b.Stats().Errors == 1 })
		if err := b.Close(); !errors.Is(err, errSink) {
			t.Fatalf("Close() = %v, want the pending timer error %v", err, errSink)
		}
	})
	t.Run("timer flush error reported by Flush", func(t *testing.T) {
		s := newSink()
		s.fail = func([]int) error { return errSink }
		b := NewBatcher(BatcherOptions{Size: 100, MaxAge: 5 * time.Millisecond}, s.flush)
		defer b.Close()
		if err := b.Add(1); err != nil {
			t.Fatal(err)
		}
		s.waitFlush(t)
		waitFor(t, func() bool { return b.Stats().Errors == 1 })
		if err := b.Flush(); !errors.Is(err, errSink) {
			t.Fatalf("Flush() = %v, want the pending timer error %v", err, errSink)
		}
		if err := b.Err(); err != nil {
			t.Errorf("Err() after Flush reported it = %v, want nil", err)
		}
	})
}

func TestBatcherClose(t *testing.T) {
	s := newSink()
	b := NewBatcher(BatcherOptions{Size: 10, MaxAge: time.Hour}, s.flush)
	for i := range 4 {
		if err := b.Add(i); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Flush(); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if err := b.Flush(); err != nil {
		t.Fatalf("Flush of an empty batcher: %v", err)
	}
	if err := b.Add(4); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := b.Add(5); !errors.Is(err, ErrClosed) {
		t.Errorf("Add after Close = %v, want ErrClosed", err)
	}
	if err := b.Flush(); !errors.Is(err, ErrClosed) {
		t.Errorf("Flush after Close = %v, want ErrClosed", err)
	}
	if got, want := s.got(), [][]int{{0, 1, 2, 3}, {4}}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("batches = %v, want %v", got, want)
	}
}

func TestBatcherConcurrentAdd(t *testing.T) {
	s := newSink()
	b := NewBatcher(BatcherOptions{Size: 7, MaxAge: time.Millisecond}, s.flush)
	const workers, each = 8, 500
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if err := b.Add(w*each + i); err != nil {
					t.Errorf("Add: %v", err)
					return
				}
			}
		}()
	}
	var closers sync.WaitGroup
	wg.Wait()
	for range 3 { // concurrent Close calls: one flushes, the others wait and return nil
		closers.Add(1)
		go func() {
			defer closers.Done()
			if err := b.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		}()
	}
	closers.Wait()
	var all []int
	for _, batch := range s.got() {
		if len(batch) == 0 || len(batch) > 7 {
			t.Fatalf("batch of %d items, want 1..7", len(batch))
		}
		all = append(all, batch...)
	}
	slices.Sort(all)
	if len(all) != workers*each {
		t.Fatalf("flushed %d items, want %d", len(all), workers*each)
	}
	for i, v := range all {
		if v != i {
			t.Fatalf("item %d missing or duplicated", i)
		}
	}
	st := b.Stats()
	if st.Items != workers*each || st.Batches != st.BySize+st.ByAge+st.Explicit {
		t.Errorf("Stats() = %+v inconsistent", st)
	}
}

func TestBatcherReleasesItems(t *testing.T) {
	// Flushed items are zeroed so the reused buffer does not keep them alive.
	var seen []*int
	b := NewBatcher(BatcherOptions{Size: 2, MaxAge: -1}, func(batch []*int) error {
		seen = append(seen, batch...)
		return nil
	})
	x, y := new(int), new(int)
	if err := errors.Join(b.Add(x), b.Add(y)); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0] != x || seen[1] != y {
		t.Fatalf("flushed %v, want [x y]", seen)
	}
	if b.buf[:2][0] != nil || b.buf[:2][1] != nil {
		t.Error("the batch buffer still references flushed items")
	}
}

func TestNewBatcherWithoutFlushPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewBatcher without a FlushFunc did not panic")
		}
	}()
	NewBatcher[int](BatcherOptions{}, nil)
}

// waitFor polls cond until it holds, failing the test after 5s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(time.Millisecond)
	}
}
