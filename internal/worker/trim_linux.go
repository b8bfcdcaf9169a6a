//go:build linux

package worker

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// dropCleanFilePages takes the executable's read-only file-backed pages
// (code, read-only data such as embedded fonts) out of this process's
// resident set with madvise(MADV_DONTNEED). They stay in the page cache: a
// page touched again comes back with a minor fault and counts then. Writable
// mappings are left alone (dropping them would lose their contents). It
// returns the bytes of address space advised.
func dropCleanFilePages() (int64, error) {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return 0, fmt.Errorf("worker: finding the executable: %w", err)
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return 0, fmt.Errorf("worker: reading /proc/self/maps: %w", err)
	}
	var total int64
	sc := bufio.NewScanner(bytes.NewReader(maps))
	for sc.Scan() {
		// start-end perms offset dev inode path
		f := bytes.Fields(sc.Bytes())
		if len(f) < 6 || string(f[5]) != exe || f[1][1] == 'w' || f[1][3] != 'p' {
			continue
		}
		lo, hi, ok := bytes.Cut(f[0], []byte("-"))
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(string(lo), 16, 64)
		end, err2 := strconv.ParseUint(string(hi), 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), syscall.MADV_DONTNEED); errno != 0 {
			return total, fmt.Errorf("worker: madvise %x-%x: %w", start, end, errno)
		}
		total += int64(end - start)
	}
	return total, sc.Err()
}

// resetPeakRSS resets this process's VmHWM to its current RSS (writing 5 to
// /proc/self/clear_refs, Linux 4.0+), so peak_rss_bytes is the peak since
// the baseline, not the worker's own setup.
func resetPeakRSS() error {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return fmt.Errorf("worker: resetting VmHWM: %w", err)
	}
	return nil
}
