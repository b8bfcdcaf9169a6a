package plots

import (
	"codeberg.org/go-fonts/liberation/liberationmonobold"
	"codeberg.org/go-fonts/liberation/liberationmonobolditalic"
	"codeberg.org/go-fonts/liberation/liberationmonoitalic"
	"codeberg.org/go-fonts/liberation/liberationmonoregular"
	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansbolditalic"
	"codeberg.org/go-fonts/liberation/liberationsansitalic"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"codeberg.org/go-fonts/liberation/liberationserifbold"
	"codeberg.org/go-fonts/liberation/liberationserifbolditalic"
	"codeberg.org/go-fonts/liberation/liberationserifitalic"
	"codeberg.org/go-fonts/liberation/liberationserifregular"
)

// ReleaseFontPages takes the pages of the embedded chart fonts out of this
// process's resident set and returns how many bytes it released (0 where it
// cannot). gonum.org/v1/plot parses all twelve Liberation fonts (4.4 MB of
// TrueType data embedded in the binary) in its package init, in every
// process that links it, so a memprism worker, which draws nothing, would
// carry their pages in its RSS. The font bytes are never written, so the
// kernel refills a released page from the binary if a chart is drawn later.
func ReleaseFontPages() int64 {
	var n int64
	for _, ttf := range [][]byte{
		liberationmonobold.TTF, liberationmonobolditalic.TTF, liberationmonoitalic.TTF, liberationmonoregular.TTF,
		liberationsansbold.TTF, liberationsansbolditalic.TTF, liberationsansitalic.TTF, liberationsansregular.TTF,
		liberationserifbold.TTF, liberationserifbolditalic.TTF, liberationserifitalic.TTF, liberationserifregular.TTF,
	} {
		n += releasePages(ttf)
	}
	return n
}
