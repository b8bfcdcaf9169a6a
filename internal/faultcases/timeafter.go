package faultcases

import (
	"context"
	"errors"
	"time"
)

// consume reads messages until in is closed, noting idle minutes. The buggy
// variant calls time.After for every message: before Go 1.23 each timer
// stayed alive until it fired, a minute later; since Go 1.23 an unreferenced
// timer is garbage at once, so it only costs an allocation per message. The
// fix reuses one timer.
func consume(in <-chan []byte, buggy bool) (n, idle int) {
	if buggy {
		for {
			select {
			case m, ok := <-in:
				if !ok {
					return n, idle
				}
				n += len(m)
			case <-time.After(time.Minute): // want: alloc time-after-loop
				idle++
			}
		}
	}
	t := time.NewTimer(time.Minute)
	defer t.Stop()
	for {
		t.Reset(time.Minute)
		select {
		case m, ok := <-in:
			if !ok {
				return n, idle
			}
			n += len(m)
		case <-t.C:
			idle++
		}
	}
}

func runTimeAfterLoop(ctx context.Context, buggy bool) (func(), error) {
	in := make(chan []byte, 64)
	got := make(chan int, 1)
	go func() {
		n, _ := consume(in, buggy)
		got <- n
	}()
	msg := make([]byte, 64)
	err := paceSerial(ctx, runDuration, 30000, func(i int) { in <- msg })
	close(in)
	if n := <-got; err == nil && n == 0 {
		err = errors.New("time-after-loop: nothing consumed")
	}
	return noCleanup, err
}
