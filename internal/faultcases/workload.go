package faultcases

import (
	"context"
	"fmt"

	"github.com/memprism/memprism/workloads"
)

// Kind is the workload kind "fault-case": one case's buggy or fixed variant
// as a memprism workload, for running the cases through the harness. What
// the variant holds stays reachable until the run's context ends, as the
// leak workload's does, so the worker measures it at the end.
func Kind() workloads.Kind {
	var names []string
	for _, c := range All() {
		names = append(names, c.Name)
	}
	return workloads.Kind{
		Name: "fault-case",
		Doc:  "a reproduction of a real Go memory fault (internal/faultcases), buggy or fixed",
		Params: []workloads.ParamSpec{
			{Name: "case", Type: workloads.String, Default: names[0], Doc: "which fault", Enum: names},
			{Name: "variant", Type: workloads.String, Default: "fixed", Doc: "the faulty code or its fix", Enum: []string{"fixed", "buggy"}},
		},
		Run: func(ctx context.Context, r *workloads.Run) error {
			c, ok := Lookup(r.Params.String("case"))
			if !ok {
				return fmt.Errorf("fault-case: no case %q", r.Params.String("case"))
			}
			cleanup, err := c.Run(ctx, r.Params.String("variant") == "buggy")
			context.AfterFunc(ctx, cleanup)
			r.AddOps(1)
			return err
		},
	}
}
