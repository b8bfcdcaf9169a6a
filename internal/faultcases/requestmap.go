package faultcases

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// call is an in-flight request, kept so a retry can replay it.
type call struct {
	id      uint64
	started time.Time
	raw     []byte
}

// tracker tracks in-flight requests by id.
type tracker struct {
	mu       sync.Mutex
	inflight map[uint64]*call
	total    float64
}

// handle decodes a trade message and tracks the call while it runs. The
// buggy variant never deletes the finished call from the map.
func (t *tracker) handle(id uint64, body []byte, buggy bool) error {
	var msg map[string]any
	if err := json.Unmarshal(body, &msg); err != nil { // want: alloc request-map
		return fmt.Errorf("request %d: %w", id, err)
	}
	c := &call{id: id, started: time.Now(), raw: append([]byte(nil), body...)} // want: inuse request-map
	t.mu.Lock()
	t.inflight[id] = c
	t.mu.Unlock()
	if p, err := strconv.ParseFloat(fmt.Sprint(msg["p"]), 64); err == nil {
		t.mu.Lock()
		t.total += p
		t.mu.Unlock()
	}
	if !buggy {
		t.mu.Lock()
		delete(t.inflight, id)
		t.mu.Unlock()
	}
	return nil
}

// tradeMessage is a Binance-like trade message of about 1 KiB.
func tradeMessage(id int) []byte {
	pad := make([]byte, 0, 900)
	for len(pad) < 880 {
		pad = append(pad, "abcdefghij"...)
	}
	return fmt.Appendf(nil, `{"e":"trade","E":%d,"s":"BTCUSDT","t":%d,"p":"64000.%02d","q":"0.010","b":88,"a":50,"T":%d,"m":true,"M":true,"x":"%s"}`,
		1700000000000+id, id, id%100, 1700000000000+id, pad)
}

func runRequestMap(ctx context.Context, buggy bool) (func(), error) {
	t := &tracker{inflight: map[uint64]*call{}}
	bodies := make([][]byte, 64)
	for i := range bodies {
		bodies[i] = tradeMessage(i)
	}
	var mu sync.Mutex
	var first error
	err := pace(ctx, runDuration, 8000, func(i int) {
		if err := t.handle(uint64(i), bodies[i%len(bodies)], buggy); err != nil {
			mu.Lock()
			first = err
			mu.Unlock()
		}
	})
	if err == nil {
		err = first
	}
	return keep(t), err
}
