package worker

import (
	"fmt"
	"os"
)

// Binary is the executable Exec starts for each job, pinned when the suite
// starts so that every run of a suite runs the same code.
type Binary struct {
	path string   // what is executed
	name string   // argv[0] of the worker, and the binary's name in messages
	args []string // arguments placed before Command
	// identity is the file at path as it was when the Binary was made; nil
	// when path pins the running binary itself (/proc/self/exe).
	identity os.FileInfo
}

// Self returns the binary this process was started from, with args placed
// before Command. On Linux it is /proc/self/exe, which the kernel resolves
// to the very file this process runs even after its path was deleted or
// replaced (a rebuild mid-suite). Elsewhere it is os.Executable's path, and
// every run first checks that the file there is still the one this process
// found at start: a binary deleted or replaced mid-suite then fails the
// remaining runs with a clear error rather than mixing two code versions.
func Self(args ...string) (*Binary, error) {
	name := os.Args[0]
	if exe, err := os.Executable(); err == nil {
		name = exe
	}
	if p := pinnedSelf(); p != "" {
		return &Binary{path: p, name: name, args: args}, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding the binary to re-execute: %w", err)
	}
	return At(exe, args...)
}

// At returns the binary at path, with args placed before Command. Every run
// first checks that the file at path is still the one found here, and
// refuses to start another one.
func At(path string, args ...string) (*Binary, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("worker binary: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("worker binary %s is not a regular file", path)
	}
	return &Binary{path: path, name: path, args: args, identity: fi}, nil
}

// String returns the binary's name.
func (b *Binary) String() string { return b.name }

// check refuses a binary whose file changed since the Binary was made.
func (b *Binary) check() error {
	if b == nil {
		return fmt.Errorf("no worker binary")
	}
	if b.identity == nil {
		return nil
	}
	fi, err := os.Stat(b.path)
	if err != nil {
		return fmt.Errorf("the worker binary %s is gone since the suite started (%v); the remaining runs are not started", b.path, err)
	}
	if !os.SameFile(fi, b.identity) || fi.Size() != b.identity.Size() || !fi.ModTime().Equal(b.identity.ModTime()) {
		return fmt.Errorf("the worker binary %s changed since the suite started; the remaining runs are not started, so one report never mixes two code versions", b.path)
	}
	return nil
}
