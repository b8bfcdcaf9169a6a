package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/memprism/memprism/scenarios"
)

// shardFlag is `-shard K/N`: the K-th of N shares of a suite (1 <= K <= N).
type shardFlag struct {
	Index, Count int
}

func (s *shardFlag) String() string {
	if s == nil || s.Count == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

func (s *shardFlag) Set(v string) error {
	ks, ns, ok := strings.Cut(strings.TrimSpace(v), "/")
	k, errK := strconv.Atoi(ks)
	n, errN := strconv.Atoi(ns)
	if !ok || errK != nil || errN != nil || n < 1 || k < 1 || k > n {
		return fmt.Errorf("want K/N with 1 <= K <= N, such as 2/4; got %q", v)
	}
	s.Index, s.Count = k, n
	return nil
}

// Select returns the scenarios of shard K/N: every N-th scenario in suite
// order, starting at the K-th. Whole scenarios only, so the variants of a
// scenario always run on one machine, interleaved; the same suite and N give
// the same shares on every machine.
func (s *shardFlag) Select(suite *scenarios.Suite) *scenarios.Suite {
	out := &scenarios.Suite{}
	for i, sc := range suite.Scenarios {
		if i%s.Count == s.Index-1 {
			out.Scenarios = append(out.Scenarios, sc)
		}
	}
	return out
}
