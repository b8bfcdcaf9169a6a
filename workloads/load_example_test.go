package workloads_test

import (
	"context"
	"fmt"

	"github.com/memprism/memprism/load"
	"github.com/memprism/memprism/workloads"
)

// A workload at an offered rate: the run handle opens the load generator,
// the workload sends through it and records each finished message; the host
// reads offered and achieved rate, latency from intended times, service
// time and send lag afterwards.
func ExampleRun_Load() {
	run := func(ctx context.Context, r *workloads.Run) error {
		lr, err := r.Load(load.Plan{Rate: 1000, Messages: 100})
		if err != nil {
			return err
		}
		rec := lr.NewRecorder()
		return lr.Send(ctx, func(m load.Msg) error {
			start := rec.Start()
			_ = fmt.Sprint(m.Seq) // the work for message m.Seq
			rec.Done(m, start)
			r.AddOps(1)
			return nil
		})
	}
	r := workloads.NewRun(workloads.Params{}, workloads.RunOptions{})
	if err := run(context.Background(), r); err != nil {
		fmt.Println(err)
		return
	}
	st := r.LoadStats()
	fmt.Println("offered", st.Offered, "at", st.OfferedRate, "msg/s; sent", st.Sent, "finished", st.Completed, "ops", r.Ops())
	// Output: offered 100 at 1000 msg/s; sent 100 finished 100 ops 100
}
