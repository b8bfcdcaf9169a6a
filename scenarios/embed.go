package scenarios

import "embed"

// defaultFS holds the default suite: every *.yaml file in this directory.
//
//go:embed *.yaml
var defaultFS embed.FS
