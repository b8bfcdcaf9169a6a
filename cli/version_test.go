package cli

import (
	"bytes"
	"testing"

	"github.com/memprism/memprism/harness"
)

func TestWriteVersion(t *testing.T) {
	tests := []struct {
		name string
		give harness.BuildInfo
		want string
	}{
		{"checkout build", harness.BuildInfo{Module: "github.com/memprism/memprism", Version: "(devel)", Commit: "9a498eb33bf823d5a697cf5f55851a84ec7d40a0",
			Modified: true, Time: "2026-11-26T23:52:29Z", GoVersion: "go1.26.8", Platform: "linux/amd64"},
			"memprism     (devel)\nmodule       github.com/memprism/memprism\ncommit       9a498eb33bf823d5a697cf5f55851a84ec7d40a0 (modified)\ncommit time  2026-11-26T23:52:29Z\ngo           go1.26.8 linux/amd64\n"},
		{"custom binary without vcs", harness.BuildInfo{Module: "example.com/quotes", Version: "v1.2.0", Memprism: "v0.3.0", GoVersion: "go1.26.8", Platform: "darwin/arm64"},
			"memprism     v1.2.0\nmodule       example.com/quotes\nmemprism     v0.3.0\ncommit       -\ncommit time  -\ngo           go1.26.8 darwin/arm64\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			writeVersion(&b, "memprism", tt.give)
			if b.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), tt.want)
			}
		})
	}
}
