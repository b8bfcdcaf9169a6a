package pools

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Scale is the fixed-point scale of compact prices and quantities: 1e8, eight decimal places, as exchanges use.
const Scale = 100_000_000

// Side is the aggressor side of a trade.
type Side uint8

// The trade sides; the zero value is SideUnknown.
const (
	SideUnknown Side = iota // not reported or not recognised
	SideBuy                 // the buyer was the taker
	SideSell                // the seller was the taker
)

// String returns "buy", "sell", "unknown" or "Side(n)" for values out of range.
func (s Side) String() string {
	switch s {
	case SideUnknown:
		return "unknown"
	case SideBuy:
		return "buy"
	case SideSell:
		return "sell"
	default:
		return "Side(" + strconv.Itoa(int(s)) + ")"
	}
}

// ErrSide is wrapped by the error ParseSide returns for text that names no side.
var ErrSide = errors.New("unknown side, want buy or sell")

// ParseSide reads "buy" or "sell" in any letter case; anything else is an error wrapping ErrSide.
func ParseSide(s string) (Side, error) {
	switch {
	case strings.EqualFold(s, "buy"):
		return SideBuy, nil
	case strings.EqualFold(s, "sell"):
		return SideSell, nil
	default:
		return SideUnknown, fmt.Errorf("pools: parse side %q: %w", s, ErrSide)
	}
}

// NaiveTrade mirrors the seed's Python NormalizedTrade field for field: strings, decimal strings, time.Time
// values, a pointer and the raw exchange message as a map. It is the baseline the compact Trade is judged by.
type NaiveTrade struct {
	Exchange      string
	Symbol        string
	TradeID       string
	Price         string // decimal string as the exchange sent it
	Quantity      string // decimal string as the exchange sent it
	QuoteQuantity string // decimal string, price times quantity
	Timestamp     time.Time
	Side          string
	IsBestMatch   *bool          // nil when the exchange does not report it
	RawData       map[string]any // the decoded exchange message
	CollectedAt   time.Time
}

// FlagBestMatch is the bit of Trade.Flags that records IsBestMatch.
const FlagBestMatch uint8 = 1 << 0

// Trade is the compact trade record: no pointers, fixed-point int64 amounts, unix-nanosecond times,
// interned names and one-byte enums, ordered from widest to narrowest so the struct has no inner padding.
type Trade struct {
	Price         int64 // fixed point, Scale
	Quantity      int64 // fixed point, Scale
	QuoteQuantity int64 // fixed point, Scale
	Timestamp     int64 // exchange time, unix nanoseconds
	CollectedAt   int64 // local receive time, unix nanoseconds
	TradeID       uint64
	Exchange      Sym
	Symbol        Sym
	Side          Side
	Flags         uint8 // bit 0 (FlagBestMatch): IsBestMatch
}

// Reset zeroes the trade so that it can be reused.
func (t *Trade) Reset() { *t = Trade{} }

// PriceFloat returns the price as a float64, for display and statistics only.
func (t *Trade) PriceFloat() float64 { return float64(t.Price) / Scale }

// QuantityFloat returns the quantity as a float64, for display and statistics only.
func (t *Trade) QuantityFloat() float64 { return float64(t.Quantity) / Scale }

// QuoteQuantityFloat returns the quote quantity as a float64, for display and statistics only.
func (t *Trade) QuoteQuantityFloat() float64 { return float64(t.QuoteQuantity) / Scale }

// IsBestMatch reports whether FlagBestMatch is set.
func (t *Trade) IsBestMatch() bool { return t.Flags&FlagBestMatch != 0 }

// SetBestMatch sets or clears FlagBestMatch.
func (t *Trade) SetBestMatch(v bool) {
	if v {
		t.Flags |= FlagBestMatch
	} else {
		t.Flags &^= FlagBestMatch
	}
}

// Time returns the exchange timestamp as a time.Time in UTC.
func (t *Trade) Time() time.Time { return time.Unix(0, t.Timestamp).UTC() }

// FromNaive fills t from a wide record, interning its names in syms. The trade id must be a decimal
// integer and the amounts decimal strings that ParseFixed accepts; an empty QuoteQuantity is computed as
// Price*Quantity. Every problem is reported, joined.
func (t *Trade) FromNaive(n *NaiveTrade, syms *Symbols) error {
	var errs []error
	var out Trade
	var err error
	if out.TradeID, err = strconv.ParseUint(n.TradeID, 10, 64); err != nil {
		errs = append(errs, fmt.Errorf("trade id: %w", err))
	}
	if out.Price, err = ParseFixed(n.Price); err != nil {
		errs = append(errs, fmt.Errorf("price: %w", err))
	}
	if out.Quantity, err = ParseFixed(n.Quantity); err != nil {
		errs = append(errs, fmt.Errorf("quantity: %w", err))
	}
	if n.QuoteQuantity == "" {
		if out.QuoteQuantity, err = MulFixed(out.Price, out.Quantity); err != nil {
			errs = append(errs, fmt.Errorf("quote quantity: %w", err))
		}
	} else if out.QuoteQuantity, err = ParseFixed(n.QuoteQuantity); err != nil {
		errs = append(errs, fmt.Errorf("quote quantity: %w", err))
	}
	if n.Side != "" {
		if out.Side, err = ParseSide(n.Side); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("pools: trade %q: %w", n.TradeID, errors.Join(errs...))
	}
	out.Timestamp = n.Timestamp.UnixNano()
	out.CollectedAt = n.CollectedAt.UnixNano()
	out.Exchange = syms.Intern(n.Exchange)
	out.Symbol = syms.Intern(n.Symbol)
	if n.IsBestMatch != nil && *n.IsBestMatch {
		out.Flags |= FlagBestMatch
	}
	*t = out
	return nil
}

// Naive converts t back into a wide record, looking its names up in syms. RawData stays nil and
// IsBestMatch is set only when the flag is.
func (t *Trade) Naive(syms *Symbols) NaiveTrade {
	n := NaiveTrade{
		Exchange:      syms.Name(t.Exchange),
		Symbol:        syms.Name(t.Symbol),
		TradeID:       strconv.FormatUint(t.TradeID, 10),
		Price:         FormatFixed(t.Price),
		Quantity:      FormatFixed(t.Quantity),
		QuoteQuantity: FormatFixed(t.QuoteQuantity),
		Timestamp:     time.Unix(0, t.Timestamp).UTC(),
		CollectedAt:   time.Unix(0, t.CollectedAt).UTC(),
	}
	if t.Side != SideUnknown {
		n.Side = t.Side.String()
	}
	if t.IsBestMatch() {
		v := true
		n.IsBestMatch = &v
	}
	return n
}
