package pools

import (
	"fmt"
	"sync"
	"testing"
)

func TestSymbols(t *testing.T) {
	s := NewSymbols()
	tests := []struct {
		give string
		want Sym
	}{
		{"", 0},
		{"binance", 1},
		{"BTCUSDT", 2},
		{"binance", 1},
		{"ETHUSDT", 3},
		{"BTCUSDT", 2},
		{"btcusdt", 4}, // case matters
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			if got := s.Intern(tt.give); got != tt.want {
				t.Fatalf("Intern(%q) = %d, want %d", tt.give, got, tt.want)
			}
			if got := s.InternBytes([]byte(tt.give)); got != tt.want {
				t.Fatalf("InternBytes(%q) = %d, want %d", tt.give, got, tt.want)
			}
			if got := s.Name(tt.want); got != tt.give {
				t.Fatalf("Name(%d) = %q, want %q", tt.want, got, tt.give)
			}
			if got, ok := s.Lookup(tt.give); !ok || got != tt.want {
				t.Fatalf("Lookup(%q) = %d, %v; want %d, true", tt.give, got, ok, tt.want)
			}
		})
	}
	if got := s.Len(); got != 4 {
		t.Errorf("Len() = %d, want 4", got)
	}
	if got := s.Name(99); got != "" {
		t.Errorf("Name(99) = %q, want empty for an id never issued", got)
	}
	if _, ok := s.Lookup("kraken"); ok {
		t.Error("Lookup of a new name reported ok")
	}
	if s.Len() != 4 {
		t.Error("Lookup added a name")
	}
}

func TestInternBytesCopiesNewNames(t *testing.T) {
	s := NewSymbols()
	buf := []byte("BTCUSDT")
	id := s.InternBytes(buf)
	copy(buf, "XXXXXXX") // the network buffer is reused
	if got := s.Name(id); got != "BTCUSDT" {
		t.Fatalf("Name after the buffer changed = %q, want BTCUSDT", got)
	}
}

func TestInternNoAlloc(t *testing.T) {
	s := NewSymbols()
	b := []byte("BTCUSDT")
	s.InternBytes(b)
	// Warm up until the name is in the published snapshot.
	for range 4 {
		s.InternBytes(b)
	}
	tests := []struct {
		name string
		fn   func()
	}{
		{"Intern", func() { s.Intern("BTCUSDT") }},
		{"InternBytes", func() { s.InternBytes(b) }},
		{"Name", func() { _ = s.Name(1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(200, tt.fn); n != 0 {
				t.Errorf("%s of a present name allocates %v times, want 0", tt.name, n)
			}
		})
	}
	// Also when the name is known but not yet published: the slow path must not copy the bytes either.
	s2 := NewSymbols()
	for i := range 100 {
		s2.Intern(fmt.Sprint("SYM", i))
	}
	late := []byte("SYM99")
	if n := testing.AllocsPerRun(1, func() { s2.InternBytes(late) }); n != 0 {
		t.Errorf("InternBytes of a known, unpublished name allocates %v times, want 0", n)
	}
}

func TestSymbolsConcurrent(t *testing.T) {
	s := NewSymbols()
	const workers, names = 8, 300
	ids := make([][]Sym, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[w] = make([]Sym, names)
			for round := range 3 {
				for i := range names {
					n := (i*7 + w*13 + round) % names // every worker in its own order
					name := fmt.Sprint("SYM", n)
					var id Sym
					if i%2 == 0 {
						id = s.Intern(name)
					} else {
						id = s.InternBytes([]byte(name))
					}
					if got := s.Name(id); got != name {
						t.Errorf("Name(Intern(%q)) = %q", name, got)
						return
					}
					ids[w][n] = id
				}
			}
		}()
	}
	wg.Wait()
	if got := s.Len(); got != names {
		t.Fatalf("Len() = %d, want %d", got, names)
	}
	seen := map[Sym]bool{}
	for i := range names {
		id := ids[0][i]
		if seen[id] {
			t.Fatalf("id %d issued twice", id)
		}
		seen[id] = true
		for w := range workers {
			if ids[w][i] != id {
				t.Fatalf("worker %d got id %d for SYM%d, worker 0 got %d", w, ids[w][i], i, id)
			}
		}
	}
}
