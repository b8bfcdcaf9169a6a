package faultcases

import (
	"context"
	"fmt"
)

// session is a market-data subscription's state, stored by value.
type session struct {
	symbol [16]byte
	seq    uint64
	book   [104]byte
}

// sessions is a table of sessions by id.
type sessions struct {
	m    map[uint64]session
	peak int
}

func (s *sessions) open(id uint64) {
	s.m[id] = session{seq: id} // want: inuse map-never-shrinks
	s.peak = max(s.peak, len(s.m))
}

// close deletes a session. A Go map never gives back its buckets: the buggy
// variant keeps the table sized for the burst's peak for ever. The fix
// copies the survivors into a new map once the table is a quarter full.
func (s *sessions) close(id uint64, buggy bool) {
	delete(s.m, id)
	if !buggy && s.peak > 1024 && len(s.m) < s.peak/4 {
		m := make(map[uint64]session, len(s.m))
		for k, v := range s.m {
			m[k] = v
		}
		s.m, s.peak = m, len(m)
	}
}

func runMapNeverShrinks(ctx context.Context, buggy bool) (func(), error) {
	s := &sessions{m: map[uint64]session{}}
	// A reconnect storm opens 100k sessions, which then all close; after it
	// a steady trickle of 64 live sessions turns over.
	const burst = 100_000
	for id := uint64(0); id < burst; id++ {
		s.open(1_000_000 + id)
	}
	for id := uint64(0); id < burst; id++ {
		s.close(1_000_000+id, buggy)
	}
	err := paceSerial(ctx, runDuration, 3000, func(i int) {
		s.open(uint64(i))
		if i >= 64 {
			s.close(uint64(i-64), buggy)
		}
	})
	if err == nil && len(s.m) != 64 {
		err = fmt.Errorf("map-never-shrinks: %d sessions left, want 64", len(s.m))
	}
	return keep(s), err
}
