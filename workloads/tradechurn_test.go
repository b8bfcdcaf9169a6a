package workloads

import (
	"context"
	"testing"
)

func TestTradeChurnSmoke(t *testing.T) {
	for _, layout := range []string{"naive", "compact"} {
		for _, alloc := range []string{"naive", "pool"} {
			ctx, cancel := context.WithCancel(context.Background())
			res, err := Default.Run(ctx, "trade-churn", map[string]any{"layout": layout, "alloc": alloc, "exchanges": 3, "trades": 3000, "retain": 500, "leak_every": 100, "async_tasks": 2})
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s/%s: %+v %+v", layout, alloc, res, *res.Latency)
		}
	}
}
