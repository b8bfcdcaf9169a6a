// Command custom-workload shows how a team measures its own code with
// memprism: register a workload kind, hand the registry to cli.Main, and the
// binary is a full memprism (run, validate, list, compare, trend, plot),
// re-executing itself for every isolated run.
//
//	go run ./examples/custom-workload run examples/custom-workload/quotes.yaml
package main

import (
	"context"
	"io"
	"os"
	"strconv"

	"github.com/memprism/memprism/cli"
	"github.com/memprism/memprism/workloads"
)

// quote is the team's own record under test.
type quote struct {
	Symbol   string
	Bid, Ask float64
	Venue    string
}

// countingWriter stands for a socket or file: it only counts bytes.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// formatQuotes writes quote lines to a writer, either building each line as a
// new string or appending into one reused buffer: the optimization this
// example measures.
func formatQuotes(ctx context.Context, p workloads.Params) (workloads.Result, error) {
	n := p.Int("quotes")
	reuse := p.String("mode") == "buffer"
	var w io.Writer = &countingWriter{}
	var buf []byte
	for i := int64(0); i < n; i++ {
		if i%4096 == 0 && ctx.Err() != nil {
			return workloads.Result{Ops: i}, ctx.Err()
		}
		q := quote{Symbol: symbols[i%int64(len(symbols))], Bid: float64(i) * 0.01, Ask: float64(i)*0.01 + 0.02, Venue: "X"}
		if reuse {
			buf = append(buf[:0], q.Symbol...)
			buf = append(buf, ' ')
			buf = strconv.AppendFloat(buf, q.Bid, 'f', 2, 64)
			buf = append(buf, ' ')
			buf = strconv.AppendFloat(buf, q.Ask, 'f', 2, 64)
			buf = append(buf, '\n')
			if _, err := w.Write(buf); err != nil {
				return workloads.Result{Ops: i}, err
			}
			continue
		}
		line := q.Symbol + " " + strconv.FormatFloat(q.Bid, 'f', 2, 64) + " " + strconv.FormatFloat(q.Ask, 'f', 2, 64) + "\n"
		if _, err := io.WriteString(w, line); err != nil {
			return workloads.Result{Ops: i}, err
		}
	}
	return workloads.Result{Ops: n}, nil
}

var symbols = []string{"BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "ADAUSDT", "DOGEUSDT", "BNBUSDT", "LTCUSDT"}

func main() {
	reg := workloads.Default // keep the built-in kinds, add ours
	reg.MustRegister(workloads.Kind{
		Name: "quote-format",
		Doc:  "formats quotes as text lines, concatenating strings or reusing one buffer",
		Params: []workloads.ParamSpec{
			{Name: "quotes", Type: workloads.Int, Default: int64(200000), Doc: "quotes to format", Min: 1, Max: 1e9, Scales: true},
			{Name: "mode", Type: workloads.String, Default: "concat", Doc: "how lines are built", Enum: []string{"concat", "buffer"}},
		},
		Run: formatQuotes,
	})
	os.Exit(cli.Main(os.Args[1:], cli.Options{Name: "custom-workload", Registry: reg}))
}
