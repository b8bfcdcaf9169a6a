package faultcases

import (
	"context"
	"errors"
	"time"
)

// quote is a backend answer.
type quote struct {
	symbol string
	book   []byte
}

// fetchQuote asks a slow backend for a quote and gives up when ctx ends.
// The buggy variant's result channel is unbuffered: once the caller has
// timed out nobody receives, and the backend goroutine blocks on its send
// for ever, holding its result. The fix is a buffer of one.
func fetchQuote(ctx context.Context, symbol string, backend time.Duration, buggy bool) (*quote, error) {
	ch := make(chan *quote, 1)
	if buggy {
		ch = make(chan *quote)
	}
	go func() { // want: created timeout-send
		time.Sleep(backend)                                   // the backend is slower than the caller's deadline
		q := &quote{symbol: symbol, book: make([]byte, 4096)} // want: inuse timeout-send
		ch <- q                                               // want: blocked timeout-send
	}()
	select {
	case q := <-ch:
		return q, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func runTimeoutSend(ctx context.Context, buggy bool) (func(), error) {
	const calls = 1500
	timeouts := 0
	err := paceSerial(ctx, runDuration, calls/5, func(i int) {
		// Five callers at a time, each with a deadline shorter than the backend.
		done := make(chan error, 5)
		for range 5 {
			go func() {
				cctx, cancel := context.WithTimeout(ctx, 200*time.Microsecond)
				defer cancel()
				_, err := fetchQuote(cctx, "BTC-USDT", time.Millisecond, buggy)
				done <- err
			}()
		}
		for range 5 {
			if err := <-done; errors.Is(err, context.DeadlineExceeded) {
				timeouts++
			}
		}
	})
	if err == nil && timeouts == 0 {
		return noCleanup, errors.New("timeout-send: no call timed out")
	}
	// The buggy variant's goroutines can never be woken: that is the fault.
	return noCleanup, err
}
