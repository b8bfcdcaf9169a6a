// Command custom-workload shows how a team measures its own code with
// memprism: register a workload kind, hand the registry to cli.Main, and the
// binary is a full memprism (run, validate, list, compare, trend, plot),
// re-executing itself for every isolated run.
//
// The kind uses the whole run handle: it counts ops, takes a labelled
// snapshot while the lines it keeps are still referenced
// (snapshot.recent.live_heap_bytes) and reports a metric of its own
// (write_calls_per_quote, declared with its unit and direction); the
// scenario's targets name both.
//
// The binary embeds its own scenarios (quotes.yaml, through
// cli.Options.Scenarios): its `list` shows them and a bare `run` runs them.
// Reports carry the commit the binary was built from.
//
//	go run ./examples/custom-workload run          # the embedded quotes.yaml
//	go run ./examples/custom-workload run examples/custom-workload/quotes.yaml
package main

import (
	"context"
	"embed"
	"os"
	"runtime"
	"strconv"

	"github.com/memprism/memprism/cli"
	"github.com/memprism/memprism/metric"
	"github.com/memprism/memprism/workloads"
)

// quote is the team's own record under test.
type quote struct {
	Symbol   string
	Bid, Ask float64
	Venue    string
}

// countingWriter stands for a socket or file: it counts calls and bytes.
type countingWriter struct{ calls, n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.calls++
	c.n += int64(len(p))
	return len(p), nil
}

// writeCalls is the kind's own metric: Write calls per quote (fewer
// syscalls is better).
var writeCalls = metric.Info{
	Name: "write_calls_per_quote", Unit: metric.Count, BenchUnit: "writes/quote",
	Direction: metric.LowerIsBetter, Label: "writes/quote",
	Doc: "Write calls on the output per quote formatted",
}

// lineSize is the fixed slot of a kept line in buffer mode.
const lineSize = 32

// formatQuotes writes quote lines to a writer and keeps the most recent
// `retain` of them, either building each line as a new string (one Write
// each) or appending into one reused 4 KiB buffer flushed when full, with
// the kept lines copied into one fixed-slot arena: the optimization this
// example measures.
func formatQuotes(ctx context.Context, r *workloads.Run) error {
	n, retain := r.Params.Int("quotes"), r.Params.Int("retain")
	reuse := r.Params.String("mode") == "buffer"
	w := &countingWriter{}
	var (
		buf    = make([]byte, 0, 4096)
		line   []byte
		recent = make([]string, retain) // concat: the kept lines
		arena  = make([]byte, 0)        // buffer: the kept lines, lineSize bytes each
		done   int64
	)
	if reuse {
		recent, arena = nil, make([]byte, retain*lineSize)
	}
	defer func() { r.AddOps(done) }()
	for i := int64(0); i < n; i++ {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		q := quote{Symbol: symbols[i%int64(len(symbols))], Bid: float64(i) * 0.01, Ask: float64(i)*0.01 + 0.02, Venue: "X"}
		if reuse {
			line = append(line[:0], q.Symbol...)
			line = append(line, ' ')
			line = strconv.AppendFloat(line, q.Bid, 'f', 2, 64)
			line = append(line, ' ')
			line = strconv.AppendFloat(line, q.Ask, 'f', 2, 64)
			line = append(line, '\n')
			if len(buf)+len(line) > cap(buf) {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
			buf = append(buf, line...)
			if retain > 0 {
				slot := arena[(i%retain)*lineSize:][:lineSize]
				clear(slot[copy(slot, line):])
			}
		} else {
			s := q.Symbol + " " + strconv.FormatFloat(q.Bid, 'f', 2, 64) + " " + strconv.FormatFloat(q.Ask, 'f', 2, 64) + "\n"
			if _, err := w.Write([]byte(s)); err != nil {
				return err
			}
			if retain > 0 {
				recent[i%retain] = s
			}
		}
		done++
	}
	if len(buf) > 0 {
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	// The kept lines are still referenced here: the snapshot's live heap is their cost.
	r.Snapshot("recent")
	runtime.KeepAlive(recent)
	runtime.KeepAlive(arena)
	r.Metric(writeCalls.Name, float64(w.calls)/float64(max(n, 1)), writeCalls.Unit, writeCalls.Direction)
	return nil
}

var symbols = []string{"BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "ADAUSDT", "DOGEUSDT", "BNBUSDT", "LTCUSDT"}

// ownScenarios are the scenarios this binary runs when given no files.
//
//go:embed *.yaml
var ownScenarios embed.FS

func main() {
	// The built-in kinds stay; ours joins them in the default registry.
	workloads.Register(workloads.Kind{
		Name: "quote-format",
		Doc:  "formats quotes as text lines, concatenating strings or reusing one buffer, keeping the most recent",
		Params: []workloads.ParamSpec{
			{Name: "quotes", Type: workloads.Int, Default: 200000, Doc: "quotes to format", Min: 1, Max: 1e9, Scales: true},
			{Name: "retain", Type: workloads.Int, Default: 50000, Doc: "most recent lines kept", Min: 0, Max: 1e8, Scales: true},
			{Name: "mode", Type: workloads.String, Default: "concat", Doc: "how lines are built and kept", Enum: []string{"concat", "buffer"}},
		},
		Metrics: []metric.Info{writeCalls},
		Run:     formatQuotes,
	})
	os.Exit(cli.Main(os.Args[1:], cli.Options{Name: "custom-workload", Scenarios: ownScenarios}))
}
