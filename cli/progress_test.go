package cli

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/memprism/memprism/harness"
)

// syncBuffer is a bytes.Buffer safe for one goroutine to write while another
// reads it (the ticker and the test; a child process and the test).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fakeClock advances only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func TestProgressCILines(t *testing.T) {
	var out syncBuffer
	clk := &fakeClock{t: time.Unix(1e9, 0)}
	p := &progress{w: &out, now: clk.now}
	p.start = clk.now()
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	go p.tick(5 * time.Millisecond)

	p.update(harness.Progress{Scenario: "trade-records", Variant: "naive", Run: 1, Runs: 1, Warmup: true, Total: 40})
	clk.add(30 * time.Second)
	p.update(harness.Progress{Scenario: "trade-records", Variant: "compact", Run: 3, Runs: 10, Done: true, Completed: 10, Total: 40})
	// 10 of 40 runs in 30 s: 90 s to go.
	tickLine := "progress: 10/40 runs (25%), trade-records/compact run 3 of 10, elapsed 30s, ETA 1m30s"
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), tickLine) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	p.finish()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if want := "progress: 0/40 runs (0%), trade-records/naive warm-up 1 of 1, elapsed 0s, ETA ?"; lines[0] != want {
		t.Errorf("first line\n got %q\nwant %q", lines[0], want)
	}
	if !strings.Contains(out.String(), tickLine+"\n") {
		t.Errorf("no tick line %q in:\n%s", tickLine, out.String())
	}
	if strings.Contains(out.String(), "\r") {
		t.Error("a CI log got a carriage return")
	}
	n := strings.Count(out.String(), "\n")
	time.Sleep(20 * time.Millisecond)
	if strings.Count(out.String(), "\n") != n {
		t.Error("lines printed after finish")
	}
}

func TestProgressTerminalLine(t *testing.T) {
	tests := []struct {
		name  string
		width int
	}{
		{"wide", 200},
		{"narrow", 40},
		{"tiny", 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			clk := &fakeClock{t: time.Unix(1e9, 0)}
			p := &progress{w: &out, tty: true, width: func() int { return tt.width }, now: clk.now}
			p.start = clk.now()
			clk.add(65 * time.Second)
			p.update(harness.Progress{Scenario: "trade-records", Variant: "compact", Run: 4, Runs: 10, Completed: 13, Total: 26})
			p.finish()
			frames := strings.Split(out.String(), "\r")
			if len(frames) < 2 {
				t.Fatalf("no live line: %q", out.String())
			}
			line := frames[1]
			if n := utf8.RuneCountInString(line); n > tt.width-1 {
				t.Errorf("line of %d columns on a %d-column terminal: %q", n, tt.width, line)
			}
			if tt.width >= 100 && !strings.Contains(line, "[13/26 1m05s ETA 1m05s] trade-records/compact run 4 of 10") {
				t.Errorf("live line %q lacks counts, elapsed, ETA and place", line)
			}
			if last := frames[len(frames)-1]; strings.TrimSpace(last) != "" {
				t.Errorf("finish left %q on the line", last)
			}
		})
	}
}

func TestClock(t *testing.T) {
	for _, tt := range []struct {
		give time.Duration
		want string
	}{{0, "0s"}, {59 * time.Second, "59s"}, {61 * time.Second, "1m01s"}, {3725 * time.Second, "1h02m05s"}} {
		if got := clock(tt.give); got != tt.want {
			t.Errorf("clock(%v) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

// TestProgressETAWindows: runs that declare a send window last at least it,
// so the estimate adds the windows left to the runs left times the time a
// finished run took beyond its window. Counting runs alone would put a
// suite whose long runs come last far too close to its end.
func TestProgressETAWindows(t *testing.T) {
	tests := []struct {
		name string
		pr   harness.Progress
		want time.Duration
	}{
		// 20 s for 40 short runs: 0.5 s each; 10 runs left.
		{"no windows", harness.Progress{Completed: 40, Total: 50}, 5 * time.Second},
		// 40 short runs done in 20 s; 10 runs of a 3 s window left: 30 s of
		// windows plus 10 x 0.5 s.
		{"long runs left", harness.Progress{Completed: 40, Total: 50, WindowLeft: 30 * time.Second}, 35 * time.Second},
		// 10 runs of 1.5 s windows (15 s) took 20 s: 0.5 s beyond each; 10
		// short runs left.
		{"long runs done", harness.Progress{Completed: 10, Total: 20, WindowDone: 15 * time.Second}, 5 * time.Second},
		{"nothing done", harness.Progress{Total: 20, WindowLeft: time.Minute}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &fakeClock{t: time.Unix(1e9, 0)}
			p := &progress{now: clk.now, start: clk.now(), last: tt.pr}
			clk.add(20 * time.Second)
			if _, eta := p.counts(); eta != tt.want {
				t.Errorf("ETA %v, want %v", eta, tt.want)
			}
		})
	}
}
