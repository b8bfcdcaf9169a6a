package worker

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// FuzzDecodeResult feeds the parent's result decoder arbitrary bytes: it
// must never panic, and whatever it accepts must survive a round trip
// through the worker's encoder unchanged.
func FuzzDecodeResult(f *testing.F) {
	for _, seed := range []string{
		`{"protocol":1,"runtime":{"gogc":0,"memory_limit":9223372036854775807,"gomaxprocs":2},"metrics":{"ops":3,"peak_heap_bytes":1e9},` +
			`"timeline":{"t_seconds":[0,0.5],"heap_bytes":[1,2],"rss_bytes":[3,4],"goroutines":[1,1]},` +
			`"top_allocations":[{"function":"f","file":"a.go","line":3,"alloc_bytes":10,"alloc_objects":1,"share":0.5}],` +
			`"leak":{"detected":true,"severity":"high","growth_bytes":1,"slope_bytes_per_sec":2,"p_value":0.01,"threshold_bytes":5,"goroutine_growth":0,"runs":1,"runs_detected":1},` +
			`"recommendations":["x"],"error":"boom"}`,
		`{"protocol":1}`,
		`{"protocol":2}`,
		`{"protocol":1,"metrics":{"a":1e999}}`,
		`{"protocol":1,"timeline":{"t_seconds":[1],"heap_bytes":[]}}`,
		`{"protocol":1} trailing`,
		`null`,
		`{"protocol":1,"metrics":null,"top_allocations":[null]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := decodeResult(bytes.NewReader(data))
		if err != nil {
			if res != nil {
				t.Fatalf("a result with the error %v", err)
			}
			return
		}
		var first bytes.Buffer
		if err := encode(&first, res); err != nil {
			t.Fatalf("accepted result does not encode: %v", err)
		}
		again, err := decodeResult(bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("re-decoding an accepted result: %v\n%s", err, first.String())
		}
		var second bytes.Buffer
		if err := encode(&second, again); err != nil {
			t.Fatal(err)
		}
		if first.String() != second.String() {
			t.Fatalf("round trip changed the result:\n%s\n%s", first.String(), strings.TrimSpace(second.String()))
		}
	})
}

// FuzzDecodeJob feeds the worker's job decoder arbitrary bytes: it must
// never panic, and whatever it accepts must survive a round trip.
func FuzzDecodeJob(f *testing.F) {
	for _, seed := range []string{
		`{"protocol":1,"scenario":"s","variant":"v","workload":"fault","params":{"mode":"none","n":3,"x":[1,{"a":null}]},` +
			`"sample_interval":1000000,"leak_threshold":5242880,"timeout":20000000000,"memory_limit":0,"profile_rate":65536,` +
			`"result_path":"/tmp/r.json","profile_path":"/tmp/p.pprof","top_n":10,"leak_probe":true}`,
		`{"protocol":1,"result_path":"r"}`,
		`{"protocol":1,"result_path":"r","timeout":-1}`,
		`{"protocol":2,"result_path":"r"}`,
		`{"protocol":1,"result_path":"r","timeout":9223372036854775807}`,
		`{"protocol":1,"result_path":"r","params":{"a":1e400}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		j, err := decodeJob(bytes.NewReader(data))
		if err != nil {
			return
		}
		if j.ResultPath == "" || j.Timeout < 0 || j.SampleInterval < 0 {
			t.Fatalf("accepted an invalid job: %+v", j)
		}
		first := mustJSON(t, j)
		again, err := decodeJob(strings.NewReader(first))
		if err != nil {
			t.Fatalf("re-decoding an accepted job: %v\n%s", err, first)
		}
		if second := mustJSON(t, again); first != second {
			t.Fatalf("round trip changed the job:\n%s\n%s", first, second)
		}
	})
}
