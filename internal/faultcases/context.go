package faultcases

import (
	"context"
	"errors"
	"runtime"
)

type reqKey struct{}

// request is an incoming request kept in its context.
type request struct {
	id     int
	body   []byte
	cancel context.CancelFunc // kept "to cancel later": the buggy variant never does
}

// ctxServer handles requests under one long-lived server context.
type ctxServer struct {
	base context.Context
	sum  int
}

// handle derives a cancellable child context per request. The buggy variant
// stores the cancel function and never calls it: a child of a cancellable
// parent stays in the parent's children set until cancelled, and with it
// the request its context carries.
func (s *ctxServer) handle(id int, buggy bool) {
	req := &request{id: id, body: make([]byte, 2048)} // want: inuse context-no-cancel
	ctx := context.WithValue(s.base, reqKey{}, req)
	ctx, cancel := context.WithCancel(ctx)
	req.cancel = cancel
	if !buggy {
		defer cancel()
	}
	s.sum += process(ctx)
}

func process(ctx context.Context) int {
	if r, ok := ctx.Value(reqKey{}).(*request); ok {
		r.body[0] = byte(r.id)
		return len(r.body)
	}
	return 0
}

func runContextNoCancel(ctx context.Context, buggy bool) (func(), error) {
	base, cancel := context.WithCancel(ctx)
	s := &ctxServer{base: base}
	err := paceSerial(ctx, runDuration, 6000, func(i int) { s.handle(i, buggy) })
	if err == nil && s.sum == 0 {
		err = errors.New("context-no-cancel: nothing handled")
	}
	return func() { cancel(); runtime.KeepAlive(s) }, err
}
