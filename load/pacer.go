package load

import (
	"math"
	"math/rand/v2"
	"time"
)

// Pacer is an arrival process: when each message of a run is due.
type Pacer interface {
	// Offset returns when message i (counted from 0) is due, measured from
	// the run's start. Offsets never decrease with i.
	Offset(i int64) time.Duration
	// Rate returns the mean offered rate in messages per second.
	Rate() float64
}

var (
	_ Pacer = ConstantPacer{}
	_ Pacer = (*PoissonPacer)(nil)
)

// ConstantPacer spaces messages evenly: message i is due at i/PerSecond.
type ConstantPacer struct {
	PerSecond float64 // messages per second; must be > 0
}

// Offset returns i/PerSecond seconds.
func (p ConstantPacer) Offset(i int64) time.Duration {
	return time.Duration(float64(i) * 1e9 / p.PerSecond)
}

// Rate returns PerSecond.
func (p ConstantPacer) Rate() float64 { return p.PerSecond }

// PoissonPacer draws exponential gaps of mean 1/PerSecond from a seeded
// generator: Poisson arrivals at PerSecond on average, the same for a seed.
// It is stateful and not safe for concurrent use; Offsets asked in order cost
// one draw each, and asking for an earlier message replays from the start.
type PoissonPacer struct {
	perSecond float64
	seed      uint64
	rng       *rand.Rand
	next      int64   // the message whose offset at holds
	at        float64 // offset of message next, in nanoseconds
}

// NewPoissonPacer returns a PoissonPacer of the given mean rate (> 0) and seed.
func NewPoissonPacer(perSecond float64, seed uint64) *PoissonPacer {
	p := &PoissonPacer{perSecond: perSecond, seed: seed}
	p.restart()
	return p
}

func (p *PoissonPacer) restart() {
	p.rng = rand.New(rand.NewPCG(p.seed, p.seed^0x6a09e667f3bcc909))
	p.next, p.at = 0, 0 // the first message is due at the start
}

// Offset returns the arrival time of message i.
func (p *PoissonPacer) Offset(i int64) time.Duration {
	if i < p.next {
		p.restart()
	}
	for p.next < i {
		p.at += p.rng.ExpFloat64() * 1e9 / p.perSecond
		p.next++
	}
	return time.Duration(math.Min(p.at, math.MaxInt64))
}

// Rate returns the mean rate.
func (p *PoissonPacer) Rate() float64 { return p.perSecond }
