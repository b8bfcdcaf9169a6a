package results

import "fmt"

// ProvenanceNote says, when the binary's own VCS information and the
// checkout it ran in disagree (another commit, or one modified and the
// other not), where each points, e.g. "binary built from `1a2b3c4`
// (modified), run in checkout `5d6e7f8`"; "" when they agree or one is
// unknown.
func ProvenanceNote(e Env) string {
	var build, git *Provenance
	for i := range e.Provenance {
		switch p := &e.Provenance[i]; p.Source {
		case "build":
			build = p
		case "git":
			git = p
		}
	}
	if build == nil || git == nil || build.Commit == "" || git.Commit == "" {
		return ""
	}
	sameDirty := build.Dirty == nil || git.Dirty == nil || *build.Dirty == *git.Dirty
	if build.Commit == git.Commit && sameDirty {
		return ""
	}
	return fmt.Sprintf("binary built from `%s`%s, run in checkout `%s`%s", mdCell(ShortCommit(build.Commit)), modifiedMark(build.Dirty), mdCell(ShortCommit(git.Commit)), modifiedMark(git.Dirty))
}

func modifiedMark(dirty *bool) string {
	if dirty != nil && *dirty {
		return " (modified)"
	}
	return ""
}
