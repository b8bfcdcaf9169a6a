package results

import (
	"bytes"
	"strings"
	"testing"
)

func TestProvenanceNote(t *testing.T) {
	yes, no := true, false
	p := func(src, commit string, dirty *bool) Provenance {
		return Provenance{Source: src, Commit: commit, Dirty: dirty}
	}
	tests := []struct {
		name string
		prov []Provenance
		want string
	}{
		{"agree", []Provenance{p("build", "aaaaaaaaaaaa", &no), p("git", "aaaaaaaaaaaa", &no)}, ""},
		{"modified binary, clean checkout", []Provenance{p("build", "aaaaaaaaaaaa", &yes), p("git", "aaaaaaaaaaaa", &no)},
			"binary built from `aaaaaaa` (modified), run in checkout `aaaaaaa`"},
		{"other commit", []Provenance{p("build", "aaaaaaaaaaaa", &no), p("git", "bbbbbbbbbbbb", &yes)},
			"binary built from `aaaaaaa`, run in checkout `bbbbbbb` (modified)"},
		{"no build info", []Provenance{p("build", "", nil), p("git", "bbbbbbbbbbbb", &no)}, ""},
		{"none", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ProvenanceNote(Env{Provenance: tt.prov}); got != tt.want {
				t.Errorf("ProvenanceNote = %q, want %q", got, tt.want)
			}
		})
	}
}

// An unknown dirty flag is never shown as a clean tree.
func TestDirtyUnknownLabels(t *testing.T) {
	r := &Report{Env: Env{Commit: "0123456789ab", DirtyUnknown: true}}
	if got := Trend([]*Report{r}, "peak_heap_bytes").Points[0].Label; got != "0123456?" {
		t.Errorf("trend label %q, want 0123456?", got)
	}
	var b strings.Builder
	if err := writeBenchHeader(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "0123456789ab (dirty tree unknown)") {
		t.Errorf("bench header %q does not say the dirty flag is unknown", b.String())
	}
	var md bytes.Buffer
	writeEnv(&md, r)
	if !strings.Contains(md.String(), "(uncommitted changes: unknown)") {
		t.Errorf("summary env %q does not say the dirty flag is unknown", md.String())
	}
}
