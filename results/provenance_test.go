package results

import "testing"

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
