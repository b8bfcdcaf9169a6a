package workloads

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/memprism/memprism/pools"
)

// scanAll returns "key=value" for every member fieldScanner yields.
func scanAll(b []byte) ([]string, error) {
	var s fieldScanner
	s.reset(b)
	var out []string
	for {
		k, v, str, ok := s.next()
		if !ok {
			return out, s.err
		}
		q := ""
		if str {
			q = `"`
		}
		out = append(out, string(k)+"="+q+string(v)+q)
	}
}

func TestFieldScanner(t *testing.T) {
	tests := []struct {
		name, give string
		want       string // members joined by spaces
		wantErr    bool
	}{
		{"flat", `{"e":"trade","t":12,"m":true,"x":null}`, `e="trade" t=12 m=true x=null`, false},
		{"nested", `{"arg":{"instId":"BTC-USDT"},"data":[{"px":"1.5","n":-2e3}]}`, `instId="BTC-USDT" px="1.5" n=-2e3`, false},
		{"array scalars skipped", `{"a":[1,"x",true],"b":2}`, `b=2`, false},
		{"empty containers", ` { "a" : { } , "b" : [ ] , "c" : [ [ ] , { } ] , "d" : 0 } `, `d=0`, false},
		{"escapes kept raw", `{"k\"":"v\\n"}`, `k\"="v\\n"`, false},
		{"top-level array", `[{"a":1}]`, `a=1`, false},
		{"scalar document", `42`, ``, false},
		{"empty", ``, ``, true},
		{"unterminated", `{"a":"b`, ``, true},
		{"missing colon", `{"a" 1}`, ``, true},
		{"bad literal", `{"a":tru}`, ``, true},
		{"leading zero", `{"a":01}`, ``, true},
		{"trailing comma", `{"a":1,}`, `a=1`, true},
		{"mismatched", `{"a":[1}`, ``, true},
		{"trailing data", `{} {}`, ``, true},
		{"unclosed", `{"a":1`, `a=1`, true},
		{"control char", "{\"a\":\"x\ny\"}", ``, true},
		{"too deep", strings.Repeat("[", maxJSONDepth+1), ``, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := scanAll([]byte(tt.give))
			if (err != nil) != tt.wantErr {
				t.Fatalf("scan(%s) error = %v, want error %v", tt.give, err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, errJSONSyntax) {
				t.Errorf("error %v does not wrap errJSONSyntax", err)
			}
			if tt.want != "" || !tt.wantErr {
				if g := strings.Join(got, " "); !strings.HasPrefix(g, tt.want) || (!tt.wantErr && g != tt.want) {
					t.Errorf("scan(%s) = %q, want %q", tt.give, g, tt.want)
				}
			}
		})
	}
}

func TestFieldScannerNoAllocs(t *testing.T) {
	g := newTradeGen(1, 5, 3)
	var msgs [][]byte
	for range 3 {
		m, _ := g.next()
		msgs = append(msgs, append([]byte(nil), m...))
	}
	var s fieldScanner
	allocs := testing.AllocsPerRun(100, func() {
		for _, m := range msgs {
			s.reset(m)
			for {
				if _, _, _, ok := s.next(); !ok {
					break
				}
			}
		}
	})
	if allocs != 0 {
		t.Fatalf("fieldScanner allocates %.1f times per 3 messages", allocs)
	}
}

// FuzzFieldScanner checks the scanner never panics, always terminates and
// accepts every document encoding/json considers valid.
func FuzzFieldScanner(f *testing.F) {
	g := newTradeGen(3, 4, 3)
	for range 3 {
		m, _ := g.next()
		f.Add(append([]byte(nil), m...))
	}
	for _, s := range []string{`{}`, `[]`, `{"a":[{"b":{"c":"d"}}]}`, `{"a":1e-5,"b":-0.5}`, `"x"`, `{"a":"\u00e9"}`, `{`, `{"a":}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var s fieldScanner
		s.reset(b)
		for n := 0; ; n++ {
			if n > len(b) {
				t.Fatalf("scanner yielded more members (%d) than input bytes", n)
			}
			if _, _, _, ok := s.next(); !ok {
				break
			}
		}
		if json.Valid(b) && s.err != nil {
			t.Fatalf("valid JSON %q rejected: %v", b, s.err)
		}
	})
}

func TestParseISOMillis(t *testing.T) {
	tests := []struct {
		give    string
		wantErr bool
	}{
		{"2023-11-14T22:13:20.123Z", false},
		{"2023-11-14T22:13:20Z", false},
		{"2023-11-14T22:13:20.123456789Z", false},
		{"2023-11-14T22:13:20.1Z", false},
		{"2023-11-14 22:13:20Z", true},
		{"2023-13-14T22:13:20Z", true},
		{"2023-11-14T22:13:20.Z", true},
		{"2023-11-14T22:13:20.1234567890Z", true},
		{"2023-11-14T22:13:20+01:00", true},
		{"", true},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			got, err := parseISOMillis([]byte(tt.give))
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseISOMillis(%q) error = %v, want error %v", tt.give, err, tt.wantErr)
			}
			if err == nil {
				want, perr := time.Parse(time.RFC3339Nano, tt.give)
				if perr != nil || want.UnixNano() != got {
					t.Fatalf("parseISOMillis(%q) = %d, time.Parse = %d (%v)", tt.give, got, want.UnixNano(), perr)
				}
			}
		})
	}
}

// FuzzParseISOMillis checks parseISOMillis against time.Parse: when both
// accept a text they agree, and a canonical millisecond text time.Parse
// accepts (in the int64 nanosecond range) is accepted too.
func FuzzParseISOMillis(f *testing.F) {
	f.Add("2023-11-14T22:13:20.123Z")
	f.Add("1999-01-01T00:00:00Z")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseISOMillis([]byte(s))
		want, perr := time.Parse("2006-01-02T15:04:05.999999999Z", s)
		if perr != nil || want.Year() < 1678 || want.Year() > 2261 {
			return
		}
		if err == nil && got != want.UnixNano() {
			t.Fatalf("parseISOMillis(%q) = %d; time.Parse = %d", s, got, want.UnixNano())
		}
		if canonical := want.Format("2006-01-02T15:04:05.000Z"); s == canonical && err != nil {
			t.Fatalf("parseISOMillis(%q) rejected a canonical time: %v", s, err)
		}
	})
}

// TestLayoutsAgree decodes the same generated messages both ways and
// checks the naive and compact records carry the same trade.
func TestLayoutsAgree(t *testing.T) {
	sh := &churnShared{syms: pools.NewSymbols()}
	for _, e := range genExchanges {
		sh.exSyms = append(sh.exSyms, sh.syms.Intern(e))
	}
	task := newChurnTask(sh, nil, 0, 0)
	g := newTradeGen(11, 30, len(genExchanges))
	for i := range 300 {
		msg, ex := g.next()
		if !json.Valid(msg) {
			t.Fatalf("message %d is not valid JSON: %s", i, msg)
		}
		var n pools.NaiveTrade
		if _, _, err := normalizeNaive(msg, ex, &n); err != nil {
			t.Fatalf("naive %s: %v", msg, err)
		}
		var c pools.Trade
		if err := task.normalizeCompact(msg, ex, &c); err != nil {
			t.Fatalf("compact %s: %v", msg, err)
		}
		price, _ := pools.ParseFixed(n.Price)
		qty, _ := pools.ParseFixed(n.Quantity)
		best := n.IsBestMatch != nil && *n.IsBestMatch
		switch {
		case sh.syms.Name(c.Symbol) != n.Symbol, sh.syms.Name(c.Exchange) != n.Exchange:
			t.Fatalf("%s: names %s/%s vs %s/%s", msg, sh.syms.Name(c.Exchange), sh.syms.Name(c.Symbol), n.Exchange, n.Symbol)
		case c.Price != price || c.Quantity != qty:
			t.Fatalf("%s: amounts %d/%d vs %s/%s", msg, c.Price, c.Quantity, n.Price, n.Quantity)
		case c.Timestamp != n.Timestamp.UnixNano():
			t.Fatalf("%s: time %d vs %v", msg, c.Timestamp, n.Timestamp)
		case c.Side.String() != n.Side || c.IsBestMatch() != best:
			t.Fatalf("%s: side %v/%v vs %s/%v", msg, c.Side, c.IsBestMatch(), n.Side, best)
		case pools.FormatFixed(int64(c.TradeID)*pools.Scale) != n.TradeID:
			t.Fatalf("%s: trade id %d vs %s", msg, c.TradeID, n.TradeID)
		}
		if !strings.Contains(n.Symbol, "-"+genQuote) {
			t.Fatalf("symbol %q not normalized", n.Symbol)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	task := newChurnTask(&churnShared{syms: pools.NewSymbols(), exSyms: make([]pools.Sym, 3)}, nil, 0, 0)
	for _, tt := range []struct {
		name string
		ex   int
		msg  string
	}{
		{"not json", 0, `{"e":`},
		{"missing fields", 0, `{"e":"trade","s":"BTCUSDT"}`},
		{"bad price", 0, `{"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"x","q":"1","T":1,"m":true,"M":true}`},
		{"bad side", 1, `{"data":[{"instId":"BTC-USDT","tradeId":"1","px":"1","sz":"1","side":"hold","ts":"1"}]}`},
		{"okx without data", 1, `{"arg":{}}`},
		{"bad time", 2, `{"trade_id":1,"product_id":"BTC-USDT","size":"1","price":"1","side":"buy","time":"yesterday"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var c pools.Trade
			var n pools.NaiveTrade
			errC := task.normalizeCompact([]byte(tt.msg), tt.ex, &c)
			_, _, errN := normalizeNaive([]byte(tt.msg), tt.ex, &n)
			if errC == nil || errN == nil {
				t.Fatalf("compact error %v, naive error %v; want both to fail", errC, errN)
			}
		})
	}
}
