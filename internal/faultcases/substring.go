package faultcases

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// readFrame returns one 16 KiB websocket frame as a string, as a decoder
// that converts its read buffer would.
func readFrame(i int, scratch []byte) string {
	n := copy(scratch, fmt.Sprintf("id=%016d;", i))
	for j := n; j < len(scratch); j++ {
		scratch[j] = 'x'
	}
	return string(scratch) // want: inuse substring-pin
}

// dedup remembers the trade ids it has seen.
type dedup struct {
	seen map[string]struct{}
}

// observe records the id of a frame. The buggy variant keeps the id as a
// substring of the frame: the 16-byte key pins the whole 16 KiB frame.
func (d *dedup) observe(frame string, buggy bool) bool {
	id := frame[3:19]
	if !buggy {
		id = strings.Clone(id)
	}
	if _, dup := d.seen[id]; dup {
		return false
	}
	d.seen[id] = struct{}{}
	return true
}

func runSubstringPin(ctx context.Context, buggy bool) (func(), error) {
	d := &dedup{seen: map[string]struct{}{}}
	scratch := make([]byte, 16<<10)
	fresh := 0
	err := paceSerial(ctx, runDuration, 1200, func(i int) {
		if d.observe(readFrame(i, scratch), buggy) {
			fresh++
		}
	})
	if err == nil && fresh != 1200 {
		err = errors.New("substring-pin: ids were not unique")
	}
	return keep(d), err
}
