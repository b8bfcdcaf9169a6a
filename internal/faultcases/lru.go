package faultcases

import (
	"container/list"
	"context"
	"fmt"
)

// lru is a least-recently-used cache of a fixed number of entries.
type lru struct {
	max   int
	order *list.List
	items map[string]*list.Element
}

type lruEntry struct {
	key   string
	value []byte
}

func newLRU(n int) *lru { return &lru{max: n, order: list.New(), items: map[string]*list.Element{}} }

func (c *lru) add(key string, value []byte) {
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		e.Value.(*lruEntry).value = value
		return
	}
	c.items[key] = c.order.PushFront(&lruEntry{key, value})
	if c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.items, old.Value.(*lruEntry).key)
	}
}

// rawRequest is a whole 32 KiB request as read from the wire: headers then body.
func rawRequest(i int) []byte {
	req := make([]byte, 32<<10) // want: inuse lru-subslice
	copy(req, fmt.Sprintf("GET /book/%d HTTP/1.1\r\nX-Session: %032d\r\n\r\n", i%2000, i))
	return req
}

// cacheSession caches a request's 32-byte session token. The buggy variant
// caches a sub-slice of the request, so the bounded cache holds whole requests.
func cacheSession(c *lru, req []byte, buggy bool) {
	start := 0
	for start < len(req)-11 && string(req[start:start+11]) != "X-Session: " {
		start++
	}
	token := req[start+11 : start+43]
	if !buggy {
		token = append([]byte(nil), token...)
	}
	c.add(string(req[4:16]), token)
}

func runLRUSubslice(ctx context.Context, buggy bool) (func(), error) {
	c := newLRU(512)
	err := paceSerial(ctx, runDuration, 3000, func(i int) { cacheSession(c, rawRequest(i), buggy) })
	if err == nil && c.order.Len() != 512 {
		err = fmt.Errorf("lru-subslice: cache holds %d entries, want 512", c.order.Len())
	}
	return keep(c), err
}
