package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/memprism/memprism/harness"
)

// ciProgressEvery is how often a run without a terminal prints a progress line.
const ciProgressEvery = 10 * time.Second

// progress shows where a suite run is on stderr. With a terminal it redraws
// one live line (cut to the terminal's width) on every event; without one
// (a CI log) it prints a full line when the run starts and then one every
// `every`, so a log shows life without a flood.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	width func() int // terminal columns; only with tty
	now   func() time.Time
	start time.Time
	last  harness.Progress
	seen  bool
	drawn int // runes of the live line now on screen (tty)

	stop chan struct{} // closes the ticker goroutine (no tty)
	done chan struct{}
}

// newProgress starts a progress display on w; close it with finish.
func newProgress(w io.Writer, tty bool, width func() int, every time.Duration) *progress {
	p := &progress{w: w, tty: tty, width: width, now: time.Now}
	p.start = p.now()
	if !tty {
		p.stop, p.done = make(chan struct{}), make(chan struct{})
		go p.tick(every)
	}
	return p
}

func (p *progress) tick(every time.Duration) {
	defer close(p.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			if p.seen {
				fmt.Fprintln(p.w, p.ciLine())
			}
			p.mu.Unlock()
		}
	}
}

// update records an event from the harness and, at a terminal, redraws.
func (p *progress) update(pr harness.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	first := !p.seen
	p.last, p.seen = pr, true
	switch {
	case p.tty:
		p.redraw()
	case first:
		fmt.Fprintln(p.w, p.ciLine())
	}
}

// finish stops the display and clears the live line.
func (p *progress) finish() {
	if p.stop != nil {
		close(p.stop)
		<-p.done
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.drawn > 0 {
		p.control("\r")
		fmt.Fprint(p.w, strings.Repeat(" ", p.drawn))
		p.control("\r")
		p.drawn = 0
	}
}

// counts returns the elapsed time since the start and the estimated time
// left (negative when nothing has finished yet): the send windows of the
// runs left (which they last at least) plus the runs left times the mean
// time a finished run took beyond its own window (process start, set-up,
// drain, analysis). Without windows that is the mean run time times the
// runs left.
func (p *progress) counts() (elapsed, eta time.Duration) {
	elapsed = p.now().Sub(p.start)
	eta = -1
	if c := p.last.Completed; c > 0 {
		over := max(0, elapsed-p.last.WindowDone)
		eta = p.last.WindowLeft + time.Duration(float64(over)/float64(c)*float64(p.last.Total-c))
	}
	return elapsed, eta
}

// where describes the current run: "trade-records/naive run 3 of 10".
func (p *progress) where() string {
	pr := p.last
	kind := "run"
	switch {
	case pr.Warmup:
		kind = "warm-up"
	case pr.LeakProbe:
		kind = "leak probe"
	}
	if pr.LeakProbe {
		kind = "leak probe"
	}
	s := fmt.Sprintf("%s/%s %s %d of %d", pr.Scenario, pr.Variant, kind, pr.Run, pr.Runs)
	if pr.Done && pr.Fault != "" {
		s += " (" + pr.Fault + ")"
	}
	return s
}

// ciLine is one self-contained log line.
func (p *progress) ciLine() string {
	elapsed, eta := p.counts()
	return fmt.Sprintf("progress: %d/%d runs (%d%%), %s, elapsed %s, ETA %s",
		p.last.Completed, p.last.Total, percent(p.last.Completed, p.last.Total), p.where(), clock(elapsed), etaText(eta))
}

// redraw rewrites the live terminal line, cut to the terminal's width.
func (p *progress) redraw() {
	elapsed, eta := p.counts()
	line := fmt.Sprintf("[%d/%d %s ETA %s] %s", p.last.Completed, p.last.Total, clock(elapsed), etaText(eta), p.where())
	if !p.last.Done {
		line += " …"
	}
	if w := p.width(); w > 1 {
		line = cut(line, w-1) // the last column would wrap on some terminals
	}
	n := utf8.RuneCountInString(line)
	pad := ""
	if n < p.drawn {
		pad = strings.Repeat(" ", p.drawn-n)
	}
	p.control("\r")
	fmt.Fprintf(p.w, "%s%s", line, pad)
	p.drawn = n
}

// control writes the live line's own carriage return. Through the command's
// escaping stderr (safeio.Writer) it goes by WriteControl, so that stderr
// can escape every \r of other text (a hostile path cannot overwrite a line).
func (p *progress) control(s string) {
	if c, ok := p.w.(interface{ WriteControl(string) error }); ok {
		c.WriteControl(s)
		return
	}
	io.WriteString(p.w, s)
}

// cut shortens s to at most n runes, ending in "…" when it was longer.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func percent(a, b int) int {
	if b <= 0 {
		return 0
	}
	return 100 * a / b
}

// clock prints a duration to the second: 45s, 3m07s, 1h02m05s.
func clock(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return strconv.Itoa(s) + "s"
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm%02ds", s/3600, s/60%60, s%60)
}

func etaText(eta time.Duration) string {
	if eta < 0 {
		return "?"
	}
	return clock(eta)
}

// terminalWidth returns a function reporting w's terminal width in columns,
// read on every call so a resized window is followed; 80 when unknown. A
// writer that wraps another (the escaping stderr of every command) is
// unwrapped down to the terminal's file.
func terminalWidth(w io.Writer) func() int {
	for {
		u, ok := w.(interface{ Unwrap() io.Writer })
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	f, ok := w.(*os.File)
	return func() int {
		if ok {
			if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
				return cols
			}
		}
		if cols, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && cols > 0 {
			return cols
		}
		return 80
	}
}
