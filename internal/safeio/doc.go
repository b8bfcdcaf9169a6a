// Package safeio reads and prints outside input safely: bounded reads of
// regular files only (never a FIFO, a device or /dev/zero), and text with
// terminal control sequences escaped before it reaches a terminal.
package safeio
