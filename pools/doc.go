// Package pools holds the market-data code that memprism measures: wide and compact trade records, a generic
// object pool with statistics, the seed's message pools, a size-or-age batcher and symbol interning.
//
// Each type targets one source of memory or GC cost in a trade collector:
//
//  1. [NaiveTrade] is the baseline: the seed's Python NormalizedTrade carried over literally, with decimal
//     strings, time.Time values, a pointer and a raw map per trade. Every field that holds a pointer is
//     something the garbage collector must scan and something the allocator must create.
//  2. [Trade] is the compact record: fixed-point int64 prices ([Scale] = 1e8, see [ParseFixed] and
//     [FormatFixed]), unix-nanosecond times, interned symbols ([Sym]) and one-byte enums, ordered so that
//     there is no padding. It contains no pointers, so a []Trade is a single noscan allocation.
//  3. [Symbols] interns exchange and symbol names: a stream of a few hundred instruments keeps one copy of
//     each name instead of one per message, and [Symbols.InternBytes] looks up bytes from a network buffer
//     without allocating.
//  4. [Pool] wraps sync.Pool with a Reset hook, a Keep filter (drop oversized objects instead of pinning
//     their memory, golang/go#23199) and cheap counters ([PoolStats]) so a run can prove its hit rate.
//  5. [MessagePool] is the seed's set of pools for trades, order books, klines and tickers.
//  6. [Batcher] groups items and flushes them on size or on age, with a real timer so that a quiet stream
//     still flushes, amortizing the per-write cost of a sink over many messages.
package pools
