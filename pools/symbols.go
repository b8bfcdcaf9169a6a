package pools

import (
	"maps"
	"sync"
	"sync/atomic"
)

// Sym is an interned name: an index into a Symbols table. The zero Sym is the empty name.
type Sym uint32

// symTable is an immutable snapshot of the interned names that readers use without locking.
type symTable struct {
	ids   map[string]Sym
	names []string // names[0] == ""
}

// Symbols interns exchange and symbol names. It is safe for concurrent use: lookups of names that are
// already published read an immutable snapshot without locks and without allocating; new names go into
// a mutex-guarded table that is published again once lookups have missed the snapshot about half as
// often as the table has entries (as sync.Map promotes its dirty map), so publishing costs amortized O(1) per miss.
// The zero value is not ready for use: call NewSymbols.
type Symbols struct {
	read atomic.Pointer[symTable]

	mu     sync.Mutex
	ids    map[string]Sym // every name, guarded by mu
	names  []string       // every name by Sym, guarded by mu
	misses int            // slow-path lookups since the last publish, guarded by mu
}

// NewSymbols returns an empty table in which only the empty name (Sym 0) exists.
func NewSymbols() *Symbols {
	s := &Symbols{ids: map[string]Sym{"": 0}, names: []string{""}}
	s.publishLocked()
	return s
}

// Intern returns the Sym of name, adding name to the table the first time it is seen.
func (s *Symbols) Intern(name string) Sym {
	if id, ok := s.read.Load().ids[name]; ok {
		return id
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.ids[name]
	if !ok {
		id = s.addLocked(name)
	}
	s.missLocked()
	return id
}

// InternBytes is Intern for bytes from a network buffer; it does not allocate when the name is already
// in the table, and copies the bytes when it is not.
func (s *Symbols) InternBytes(b []byte) Sym {
	if id, ok := s.read.Load().ids[string(b)]; ok { // the compiler does not copy b for a map index
		return id
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.ids[string(b)]
	if !ok {
		id = s.addLocked(string(b))
	}
	s.missLocked()
	return id
}

// Lookup returns the Sym of name without adding it; ok is false when name is not interned.
func (s *Symbols) Lookup(name string) (id Sym, ok bool) {
	if id, ok := s.read.Load().ids[name]; ok {
		return id, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok = s.ids[name]
	return id, ok
}

// Name returns the name interned as id, or "" for an id this table never issued.
func (s *Symbols) Name(id Sym) string {
	if t := s.read.Load(); int(id) < len(t.names) {
		return t.names[id]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if int(id) < len(s.names) {
		return s.names[id]
	}
	return ""
}

// Len returns how many distinct non-empty names have been interned.
func (s *Symbols) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.names) - 1
}

func (s *Symbols) addLocked(name string) Sym {
	id := Sym(len(s.names))
	s.names = append(s.names, name)
	s.ids[name] = id
	return id
}

// missLocked counts a lookup that the snapshot could not answer and publishes a new snapshot once such
// misses add up to half the size of the table.
func (s *Symbols) missLocked() {
	s.misses++
	if s.misses >= len(s.ids)/2+1 {
		s.publishLocked()
	}
}

func (s *Symbols) publishLocked() {
	ids := maps.Clone(s.ids)
	// Readers see names only up to their snapshot's length; later appends write past it.
	s.read.Store(&symTable{ids: ids, names: s.names[:len(s.names):len(s.names)]})
	s.misses = 0
}
