package profiler

// rssSource reads the process's resident and virtual memory sizes and the
// file-backed (shared) part of the resident set, 0 where unknown.
type rssSource interface {
	read() (rss, vms, file uint64, err error)
}
