package workloads

import (
	"testing"

	"github.com/memprism/memprism/pools"
)

// BenchmarkNormalize decodes one generated message per op into a reused
// record, the naive way and the compact way.
func BenchmarkNormalize(b *testing.B) {
	sh := &churnShared{syms: pools.NewSymbols()}
	for _, e := range genExchanges {
		sh.exSyms = append(sh.exSyms, sh.syms.Intern(e))
	}
	g := newTradeGen(1, 20, len(genExchanges))
	msgs := make([][]byte, 64)
	exs := make([]int, len(msgs))
	for i := range msgs {
		m, ex := g.next()
		msgs[i], exs[i] = append([]byte(nil), m...), ex
	}
	b.Run("layout=naive", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			var rec pools.NaiveTrade
			if _, _, err := normalizeNaive(msgs[i%len(msgs)], exs[i%len(msgs)], &rec); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("layout=compact", func(b *testing.B) {
		t := newChurnTask(sh, nil, 0, 0)
		b.ReportAllocs()
		i := 0
		var rec pools.Trade
		for b.Loop() {
			if err := t.normalizeCompact(msgs[i%len(msgs)], exs[i%len(msgs)], &rec); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
