//go:build !unix

package scenarios

import "errors"

func mkfifo(path string) error { return errors.New("no FIFOs here") }
