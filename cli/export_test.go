package cli

// SyncBuffer is syncBuffer for the external tests (package cli_test), which
// read a child process's output while it writes.
type SyncBuffer = syncBuffer
