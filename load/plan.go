package load

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// DefaultInterval is the width of the over-time buckets of a run's Stats.
const DefaultInterval = 100 * time.Millisecond

// OverloadRatio is the share of the offered rate below which an achieved
// rate marks a run overloaded.
const OverloadRatio = 0.95

// Plan is the shape of one open-model run. The zero value is invalid: a run
// needs an end (Messages or Duration).
type Plan struct {
	// Rate is the offered rate in messages per second. 0 is a closed loop:
	// each message is sent as soon as the previous one was accepted, and its
	// latency runs from that send (there is no schedule to fall behind).
	Rate float64
	// Messages is how many messages to send; 0 is no count limit.
	Messages int64
	// Duration is the send window: no message due after it is sent, and one
	// due within it but not sent one Interval after its end is counted
	// unsent. 0 is no time limit.
	Duration time.Duration
	// Pacer is the arrival process at Rate; nil means ConstantPacer{Rate}.
	Pacer Pacer
	// Interval is the width of Stats.Intervals and the send lag above which a
	// message counts as late; 0 means DefaultInterval.
	Interval time.Duration
}

// Check returns an error when the plan cannot run (no end, negative or
// non-finite values) and warnings for a plan that runs but probably not as
// meant: Messages ending the run before Duration at Rate.
func (p Plan) Check() (warnings []error, err error) {
	var errs []error
	if p.Messages == 0 && p.Duration == 0 {
		errs = append(errs, errors.New("messages and duration are both 0: set messages (a count), duration (a send window) or both"))
	}
	if p.Messages < 0 {
		errs = append(errs, fmt.Errorf("messages must be >= 0, got %d", p.Messages))
	}
	if p.Duration < 0 {
		errs = append(errs, fmt.Errorf("duration must be >= 0, got %s", p.Duration))
	}
	if p.Rate < 0 || math.IsNaN(p.Rate) || math.IsInf(p.Rate, 0) {
		errs = append(errs, fmt.Errorf("rate must be a finite number >= 0, got %v", p.Rate))
	}
	if p.Interval < 0 {
		errs = append(errs, fmt.Errorf("interval must be >= 0, got %s", p.Interval))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if p.Messages > 0 && p.Duration > 0 && p.Rate > 0 {
		if last := float64(p.Messages) / p.Rate; last < p.Duration.Seconds() {
			warnings = append(warnings, fmt.Errorf("messages %d at rate %g/s are all sent after %s, before duration %s ends: the run stops early; set messages: 0 to send for the whole duration",
				p.Messages, p.Rate, roundDuration(last), p.Duration))
		}
	}
	return warnings, nil
}

// roundDuration renders seconds as a Go duration rounded to 3 significant places.
func roundDuration(s float64) time.Duration {
	d := time.Duration(s * 1e9)
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(time.Microsecond)
	}
	return d
}

// interval returns the effective bucket width.
func (p Plan) interval() time.Duration {
	if p.Interval > 0 {
		return p.Interval
	}
	return DefaultInterval
}

// pacer returns the effective arrival process, nil for a closed loop.
func (p Plan) pacer() Pacer {
	switch {
	case p.Rate <= 0:
		return nil
	case p.Pacer != nil:
		return p.Pacer
	}
	return ConstantPacer{PerSecond: p.Rate}
}
