package faultcases

import (
	"bytes"
	"context"
	"fmt"
)

// conn is a long-lived client connection with its own write buffer.
type conn struct {
	buf  bytes.Buffer
	sent int
}

// send frames one message into the connection's buffer. The buggy variant
// only Resets the buffer, which keeps its capacity: one huge message (the
// snapshot sent on subscribe) sets the buffer's size for the life of the
// connection. The fix drops a buffer that grew past 64 KiB.
func (c *conn) send(msg []byte, buggy bool) {
	c.buf.Reset()
	if !buggy && c.buf.Cap() > 64<<10 {
		c.buf = bytes.Buffer{}
	}
	fmt.Fprintf(&c.buf, "%d\n", len(msg))
	c.buf.Write(msg) // want: inuse buffer-max-cap
	c.sent += c.buf.Len()
}

func runBufferMaxCap(ctx context.Context, buggy bool) (func(), error) {
	conns := make([]*conn, 8)
	for i := range conns {
		conns[i] = &conn{}
	}
	update := bytes.Repeat([]byte("u"), 512)
	snapshot := bytes.Repeat([]byte("s"), 4<<20)
	err := paceSerial(ctx, runDuration, 4000, func(i int) {
		c := conns[i%len(conns)]
		if i/len(conns) == 3 { // each connection's fourth message is its snapshot
			c.send(snapshot, buggy)
			return
		}
		c.send(update, buggy)
	})
	if err == nil && conns[0].sent == 0 {
		err = fmt.Errorf("buffer-max-cap: nothing sent")
	}
	return keep(conns), err
}
