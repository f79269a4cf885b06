package gen

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode/utf8"

	"gongkai"
)

// applyVariants seeds what Options.Typos, Blanks and Mismatches ask for
// (SingleOther is decided when a report's numbers are made). Each draws
// from its own stream, so a variant left at zero changes nothing.
func applyVariants(opts Options, items []*Item) error {
	if opts.Typos > 0 {
		tr := rngFor(opts.Seed, "typos")
		for _, it := range items {
			if tr.Float64() < opts.Typos {
				it.Typos = makeTypos(tr, it.Record)
			}
		}
	}
	if opts.Blanks > 0 {
		br := rngFor(opts.Seed, "blanks")
		for _, it := range items {
			if br.Float64() < opts.Blanks {
				it.said = map[string]gongkai.Num{}
				for _, k := range []string{gongkai.RowNew, gongkai.RowCarriedOver, gongkai.RowTotal, gongkai.RowCarriedForward} {
					it.said[k] = it.Record.Applications[k][gongkai.NumColumns-1]
				}
				blankCells(br, it.Record)
			}
		}
	}
	if opts.Mismatches > 0 {
		mr := rngFor(opts.Seed, "mismatches")
		var free []*Item
		for _, it := range items {
			if it.Violation == "" {
				free = append(free, it)
			}
		}
		k := int(math.Round(opts.Mismatches * float64(len(items))))
		for _, i := range mr.Perm(len(free))[:min(k, len(free))] {
			it := free[i]
			total := it.Record.Applications[gongkai.RowNew][gongkai.NumColumns-1]
			if !total.Valid() {
				continue // a blank total has nothing to contradict
			}
			d := int64(1 + mr.IntN(5))
			if t, _ := total.Int64(); t >= d && mr.IntN(2) == 0 {
				d = -d
			}
			it.Record.Narrative[NarrRequests] = total.Add(gongkai.Int(d))
			it.Violation = gongkai.R8
		}
	}
	return nil
}

// makeTypos picks one to three labels of the report's tables (row labels,
// item labels, column headers) and misspells each once.
func makeTypos(r *rand.Rand, rep *gongkai.Report) map[string]string {
	l := rep.Layout()
	var labels []string
	for _, row := range l.Rows {
		if !row.Unprinted {
			labels = append(labels, row.Label)
		}
	}
	for _, a := range l.Active {
		labels = append(labels, a.Label)
		for _, m := range a.Metrics {
			labels = append(labels, m.Label)
		}
	}
	for _, c := range l.Columns {
		labels = append(labels, c.Label)
	}
	for _, c := range l.ReviewColumns {
		labels = append(labels, c.Label)
	}
	// Section 四's first block title (行政复议; 行政法复议 is a typo seen).
	first, _, _ := strings.Cut(l.ReviewBlocks[0].Label, "·")
	labels = append(labels, first)
	labels = slices.Compact(slices.Sorted(slices.Values(labels)))
	labels = slices.DeleteFunc(labels, func(s string) bool { return utf8.RuneCountInString(labelBody(s)) < 4 })
	out := map[string]string{}
	for range 1 + r.IntN(3) {
		s := labels[r.IntN(len(labels))]
		if _, done := out[s]; done {
			continue
		}
		if t := misspell(r, s); t != s {
			out[s] = t
		}
	}
	return out
}

// labelBody is a label without its numbering ("1.", "（三）", "一、").
func labelBody(s string) string {
	rs := []rune(s)
	i := numberingEnd(rs)
	return string(rs[i:])
}

func numberingEnd(rs []rune) int {
	i := 0
	if i < len(rs) && (rs[i] == '（' || rs[i] == '(') {
		for i < len(rs) && rs[i] != '）' && rs[i] != ')' {
			i++
		}
		return min(i+1, len(rs))
	}
	for i < len(rs) && (rs[i] >= '0' && rs[i] <= '9' || strings.ContainsRune("一二三四五六七八九十", rs[i])) {
		i++
	}
	if i > 0 && i < len(rs) && strings.ContainsRune(".、．", rs[i]) {
		return i + 1
	}
	return 0
}

// misspell changes a label as real typists did: one character dropped,
// doubled, swapped with its neighbour, replaced, or three in a row
// dropped. The numbering is kept; so are brackets and quotes, which the
// readers ignore anyway.
func misspell(r *rand.Rand, s string) string {
	rs := []rune(s)
	start := numberingEnd(rs)
	var pos []int
	for i := start; i < len(rs); i++ {
		if !strings.ContainsRune("（）()“”、，.：", rs[i]) {
			pos = append(pos, i)
		}
	}
	if len(pos) < 4 {
		return s
	}
	i := pos[r.IntN(len(pos))]
	switch k := r.IntN(5); {
	case k == 0: // drop
		return string(slices.Delete(slices.Clone(rs), i, i+1))
	case k == 1: // double
		return string(slices.Insert(slices.Clone(rs), i, rs[i]))
	case k == 2 && i+1 < len(rs) && slices.Contains(pos, i+1) && rs[i] != rs[i+1]: // swap
		out := slices.Clone(rs)
		out[i], out[i+1] = out[i+1], out[i]
		return string(out)
	case k == 3 && len(pos) >= 8 && i+3 <= len(rs) && slices.Contains(pos, i+2): // drop three
		return string(slices.Delete(slices.Clone(rs), i, i+3))
	default: // replace with a character common in labels
		subst := []rune("的行政公开信息申请处理数量件")
		c := subst[r.IntN(len(subst))]
		if c == rs[i] {
			return string(slices.Delete(slices.Clone(rs), i, i+1))
		}
		out := slices.Clone(rs)
		out[i] = c
		return string(out)
	}
}

// blankCells leaves one to three table cells of a report blank, as some
// publishers leave a cell they had no figure for.
func blankCells(r *rand.Rand, rep *gongkai.Report) {
	var cells []gongkai.Cell
	l := rep.Layout()
	for _, c := range rep.Cells() {
		if row, ok := l.Row(c.RowKey); c.Section == gongkai.SecApplications && ok && row.Unprinted {
			continue
		}
		cells = append(cells, c)
	}
	for range 1 + r.IntN(3) {
		c := cells[r.IntN(len(cells))]
		_ = rep.Set(c.Path(), gongkai.Null)
	}
}
