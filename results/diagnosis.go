package results

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
)

// GroupsShown is how many goroutine groups per variant summary.md lists.
const GroupsShown = 3

// siteWhere is a site's "file:line" with its function and the library call
// it went through, for a table row: "`decode` (handler.go:88) via `encoding/json.Unmarshal`".
func siteWhere(fn, file string, line int64, user, attributed bool, via string) string {
	s := fmt.Sprintf("%s:%d `%s`", mdCell(filepath.Base(file)), line, ShortFunc(fn))
	if file == "" {
		s = "`" + ShortFunc(fn) + "`"
	}
	if via != "" {
		s += " via `" + via + "`"
	}
	return s + SiteOrigin(fn, user, attributed)
}

// SiteOrigin is the mark a site's line gets for people: " (runtime)" or
// " (library)" for a line outside the user's code, and "" for the user's own
// line or when attributed is false (the variant's rankings charge nothing
// to the user's code: see Variant.ChargesUserLines).
func SiteOrigin(fn string, user, attributed bool) string {
	switch {
	case user || !attributed:
		return ""
	case strings.HasPrefix(fn, "runtime.") || strings.Contains(fn, "(runtime."):
		return " (runtime)"
	default:
		return " (library)"
	}
}

// ChargesUserLines reports whether v's heap-profile rankings (TopInUse,
// TopAllocations) charge anything to the user's code: reports written
// before sites were charged to user lines have none, and their lines are
// not marked as libraries.
func (v *Variant) ChargesUserLines() bool {
	return anyUser(v.TopInUse) || anyUser(v.TopAllocations)
}

// anyUser reports whether a site list charges anything to the user's code.
func anyUser(sites []Site) bool {
	for _, s := range sites {
		if s.User {
			return true
		}
	}
	return false
}

// writeSitesMD writes the two rankings of the median runs' lines: what they
// hold at the end and what they allocated, the user's lines first.
func writeSitesMD(b *bytes.Buffer, s *Scenario) {
	inuse, alloc := false, false
	for _, v := range s.Variants {
		inuse = inuse || len(v.TopInUse) > 0
		alloc = alloc || len(v.TopAllocations) > 0
	}
	if inuse {
		writeSiteTable(b, s, "### Held at the end (bytes in use, retained)\n\nLines of the code under test first; a library line only where no line of it was in the stacks.\n\n"+
			"| variant | line | in use | objects | share |\n|---|---|---:|---:|---:|\n",
			func(v Variant) []Site { return v.TopInUse },
			func(x Site) (int64, int64, float64) { return x.InuseBytes, x.InuseObjects, x.InuseShare })
	}
	if alloc {
		writeSiteTable(b, s, "### Allocated (churn)\n\n| variant | line | allocated | objects | share |\n|---|---|---:|---:|---:|\n",
			func(v Variant) []Site { return v.TopAllocations },
			func(x Site) (int64, int64, float64) { return x.AllocBytes, x.AllocObjects, x.Share })
	}
}

// writeSiteTable writes one ranking of s's variants (the sites ranked picks,
// at most TopSitesShown each) under head, with bytes, objects and share as
// figures gives them.
func writeSiteTable(b *bytes.Buffer, s *Scenario, head string, ranked func(Variant) []Site, figures func(Site) (int64, int64, float64)) {
	b.WriteString(head)
	for _, v := range s.Variants {
		attributed := v.ChargesUserLines()
		for i, site := range ranked(v) {
			if i == TopSitesShown {
				break
			}
			bytes, objects, share := figures(site)
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", v.Name, siteWhere(site.Function, site.File, site.Line, site.User, attributed, site.Via),
				FormatBytes(float64(bytes)), formatCount(float64(objects)), trimPct(share))
		}
	}
	b.WriteString("\n")
}

// writeChangedMD writes, per variant, the lines whose held and allocated
// bytes changed most against the baseline.
func writeChangedMD(b *bytes.Buffer, s *Scenario) {
	any := false
	for _, v := range s.Variants {
		any = any || len(v.ChangedVsBaseline) > 0
	}
	if !any {
		return
	}
	fmt.Fprintf(b, "### Changed most against the baseline (`%s`)\n\n| variant | line | Δ in use | Δ allocated |\n|---|---|---:|---:|\n", s.Baseline)
	for _, v := range s.Variants {
		for _, c := range v.ChangedVsBaseline {
			fmt.Fprintf(b, "| %s | %s | %s | %s |\n", v.Name, siteWhere(c.Function, c.File, c.Line, c.User, true, ""),
				signedBytes(c.InuseBytesDelta), signedBytes(c.AllocBytesDelta))
		}
	}
	b.WriteString("\n")
}

func signedBytes(v int64) string {
	if v > 0 {
		return "+" + FormatBytes(float64(v))
	}
	return FormatBytes(float64(v))
}

// writeGoroutinesMD writes the goroutines of each variant's median run at
// its start and end, the stack memory, and the groups that grew: where they
// were created and where they are blocked.
func writeGoroutinesMD(b *bytes.Buffer, s *Scenario) {
	// Shown when some variant's goroutines changed: the counts and stacks
	// of the others are then the comparison.
	any, leakProfile := false, false
	for _, v := range s.Variants {
		if g := v.Goroutines; g != nil {
			any = any || g.Final != g.Baseline || g.Leaked > 0
			leakProfile = leakProfile || g.LeakProfile
		}
	}
	if !any {
		return
	}
	b.WriteString("### Goroutines\n\n| variant | at start | at end | growth | stacks (start → end) | grown groups |\n|---|---:|---:|---:|---:|---|\n")
	for _, v := range s.Variants {
		g := v.Goroutines
		if g == nil {
			continue
		}
		var groups []string
		for _, gr := range g.Groups {
			if len(groups) == GroupsShown || gr.Count <= gr.Baseline {
				break
			}
			groups = append(groups, GroupSentence(gr))
		}
		grown := "—"
		if len(groups) > 0 {
			grown = strings.Join(groups, "<br>")
		}
		fmt.Fprintf(b, "| %s | %d | %d | %+d | %s → %s | %s |\n", v.Name, g.Baseline, g.Final, g.Final-g.Baseline,
			FormatBytes(float64(g.StackBytesBaseline)), FormatBytes(float64(g.StackBytesFinal)), grown)
	}
	if leakProfile {
		b.WriteString("\nBuilt with the goroutineleak profile (GOEXPERIMENT=goroutineleakprofile): \"can never wake\" counts goroutines blocked on something no running goroutine can reach.\n")
	}
	b.WriteString("\n")
}

// String reads like "412 goroutines created at client.go:88, blocked in
// chan send at client.go:97".
func (g GoroutineGroup) String() string {
	created := "the main goroutine"
	if g.CreatedAt != "" {
		created = "created at " + g.CreatedAt
	}
	s := fmt.Sprintf("%d goroutines %s, blocked in %s", g.Count, created, g.State)
	if g.BlockedAt != "" {
		s += " at " + g.BlockedAt
	}
	if g.Leaked > 0 {
		s += fmt.Sprintf(" (%d can never wake)", g.Leaked)
	}
	return s
}

// GroupSentence reads like "412 created at `client.go:88`, blocked in chan
// send at `client.go:97`".
func GroupSentence(g GoroutineGroup) string {
	created := "the main goroutine"
	if g.CreatedAt != "" {
		created = "created at `" + g.CreatedAt + "`"
		if !g.CreatedUser {
			created += " (library)"
		}
	}
	s := fmt.Sprintf("%+d (%d) %s, blocked in %s", g.Count-g.Baseline, g.Count, created, mdCell(g.State))
	if g.BlockedAt != "" {
		s += " at `" + g.BlockedAt + "`"
	}
	if g.Leaked > 0 {
		s += fmt.Sprintf(", **%d can never wake**", g.Leaked)
	}
	return s
}

// writeDiffCommandsMD prints, per variant, the pprof command that compares
// its heap profile with the baseline's.
func writeDiffCommandsMD(b *bytes.Buffer, s *Scenario) {
	var base string
	for _, v := range s.Variants {
		if v.Name == s.Baseline {
			base = v.Profile
		}
	}
	if base == "" {
		return
	}
	var lines []string
	for _, v := range s.Variants {
		if v.Name != s.Baseline && v.Profile != "" {
			lines = append(lines, fmt.Sprintf("go tool pprof -sample_index=inuse_space -top -diff_base %s %s", base, v.Profile))
		}
	}
	if len(lines) == 0 {
		return
	}
	b.WriteString("### Differential heap profiles\n\nFrom the run directory (`-sample_index=alloc_space` for what was allocated):\n\n```sh\n")
	b.WriteString(strings.Join(lines, "\n"))
	b.WriteString("\n```\n\n")
}
