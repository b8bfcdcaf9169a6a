package workloads

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// Fault modes.
const (
	FaultNone  = "none"
	FaultPanic = "panic"
	FaultHang  = "hang"
	FaultOOM   = "oom"
	FaultExit  = "exit"
)

// exit is os.Exit, swappable in tests.
var exit = os.Exit

func init() {
	Register(Kind{
		Name: "fault",
		Doc:  "a worker that fails on purpose (panic, hang, out of memory, exit) so the harness's fault handling can be tested",
		Params: []ParamSpec{
			{Name: "mode", Type: String, Default: FaultNone, Doc: "fault to inject: none returns normally; hang ignores cancellation; oom retains memory until the process dies", Enum: []string{FaultNone, FaultPanic, FaultHang, FaultOOM, FaultExit}},
			{Name: "after", Type: Duration, Default: time.Duration(0), Doc: "delay before the fault", Min: 0, Max: 3600},
			{Name: "exit_code", Type: Int, Default: int64(3), Doc: "exit mode: the process exit status", Min: 0, Max: 255},
			{Name: "oom_chunk", Type: Size, Default: int64(64 << 20), Doc: "oom mode: bytes allocated, touched and retained per step", Min: 4096, Max: 1 << 40},
		},
		Run: runFault,
	})
}

// ErrInjectedPanic is the value the fault kind panics with.
var ErrInjectedPanic = errors.New("memprism: injected panic")

// runFault waits `after` (returning early on cancellation, except in hang
// mode) and then injects the fault. hang never returns, whatever ctx says:
// that is what a hang is, and the harness must kill the process. oom
// allocates, touches and retains memory until the runtime or the kernel kills
// the process; it stops only if ctx ends first.
func runFault(ctx context.Context, r *Run) error {
	p := r.Params
	mode := p.String("mode")
	if after := p.Duration("after"); after > 0 {
		if mode == FaultHang {
			time.Sleep(after)
		} else {
			t := time.NewTimer(after)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
	}
	switch mode {
	case FaultNone:
		r.AddOps(1)
		return nil
	case FaultPanic:
		panic(ErrInjectedPanic)
	case FaultExit:
		exit(int(p.Int("exit_code")))
		return fmt.Errorf("fault: exit(%d) returned", p.Int("exit_code"))
	case FaultHang:
		for {
			// A sleeping loop, not select{}: with every goroutine blocked the
			// runtime would report a deadlock and exit instead of hanging.
			time.Sleep(time.Hour)
		}
	case FaultOOM:
		return runOOM(ctx, r, p.Int("oom_chunk"))
	}
	return fmt.Errorf("fault: unknown mode %q", mode)
}

func runOOM(ctx context.Context, r *Run, chunk int64) error {
	var kept [][]byte
	for {
		if err := ctx.Err(); err != nil {
			r.AddOps(int64(len(kept)))
			return err
		}
		b := make([]byte, chunk)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1 // touch every page so it is resident, not just reserved
		}
		kept = append(kept, b)
	}
}
