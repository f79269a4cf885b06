package ingest

import (
	"bytes"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gongkai"
	"gongkai/msg"
)

// glued_text is page text saved by a crawler that dropped the table's cell
// borders: a row is its label immediately followed by its numbers run
// together ("行政规范性文件77132470", "二、上年结转政府信息公开申请数量0000000"),
// often with the whole report on one line, crawler header lines on top
// and site navigation around it.
//
// The reader finds each row's label in the order the layout gives them,
// takes the run of digits after it, and cuts the run into the row's cells
// with splitGluedRun: by the number of cells the row must have and the
// rules its numbers obey (R2 per section 三 row, R4 per section 四 block),
// then by the column rules R1 and R3 across rows. A cell that more than one
// reading leaves open is handed on empty (null) and the Document carries a
// READ finding naming it. It never picks one reading of several.
//
// Rules only choose between readings; they never change a number. A run
// whose length alone fixes its cells ("0000000" for seven) is read as
// printed even when it breaks R2, so the rule check reports the break. The
// column rules settle a row only when exactly the readings that agree on
// it satisfy R1 and R3 together; a report that breaks them as printed
// (006 of the corpus) settles nothing that way.
//
// Labels are located in the running text by their distinctive words, in
// layout order (the recognizer's matchRowLabel needs a label already cut
// out of the text, which is the very thing glued text lacks); the Document
// then carries the official labels, so the recognizer maps them as it maps
// any other rendering.

// gluedSniffLabels are row labels that, in glued text, are followed right
// away by a digit. Other renderings put a cell border, a tab or a line
// break there.
var gluedSniffLabels = []string{
	"本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "予以公开", "属于国家秘密",
	"其他法律行政法规禁止公开", "保护第三方合法权益", "属于行政执法案卷", "本机关不掌握相关政府信息",
	"重复申请", "结转下年度继续办理", "规章", "规范性文件", "行政许可", "行政处罚", "行政强制",
	"行政事业性收费",
}

// sniffGlued accepts text in which at least four row labels are directly
// followed by a digit run.
func sniffGlued(h *sniffHead) bool {
	head := h.head
	if len(head) == 0 || bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	first := head[:min(len(head), 1024)]
	if hasFold(first, []byte("<html")) || hasFold(first, []byte("<table")) ||
		hasFold(first, []byte("<!doctype")) || bytes.HasPrefix(head, []byte("%PDF")) ||
		bytes.HasPrefix(head, []byte("PK")) {
		return false
	}
	// What gluedFold would make of the text is read off the text itself
	// (no []rune copies of the head): the labels are ideographs, which it
	// keeps and no other rune becomes, so they occur where they occur in
	// the folded text; after one, the runes it folds to ' ' are skipped,
	// and a digit is one it folds to an ASCII digit.
	//
	// The search goes from the digits back, not from each label forth:
	// one pass over the text, where sixteen searches for labels whose
	// first byte starts most Chinese characters cost a tenth of a glued
	// parse. A label counts when one of its occurrences ends where the
	// spaces before a digit start (no label overlaps itself, so the
	// occurrences are those a forward search finds).
	text := h.headText()
	var hit uint32 // bit i: gluedSniffLabels[i] found before a digit
	for i := 0; i < len(text); i++ {
		c := text[i]
		digit := c >= '0' && c <= '9'
		if !digit && c == 0xEF && i+2 < len(text) && text[i+1] == 0xBC && text[i+2] >= 0x90 && text[i+2] <= 0x99 {
			digit = true // ０–９
		}
		if !digit {
			continue
		}
		end := i // where the glued spaces before the digit start
		for end > 0 {
			r, size := utf8.DecodeLastRuneInString(text[:end])
			if !gluedSpace(r) {
				break
			}
			end -= size
		}
		if end == 0 || !gluedSniffLast[text[end-1]] {
			continue
		}
		for j, l := range gluedSniffLabels {
			if hit&(1<<j) == 0 && strings.HasSuffix(text[:end], l) {
				hit |= 1 << j
			}
		}
		if bits.OnesCount32(hit) >= 4 {
			return true
		}
	}
	return false
}

// gluedSniffLast marks the last bytes of gluedSniffLabels: a digit after
// any other byte follows none of them.
var gluedSniffLast = func() (last [256]bool) {
	for _, l := range gluedSniffLabels {
		last[l[len(l)-1]] = true
	}
	return last
}()

// gluedSpace says whether gluedFold makes r a space.
func gluedSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\u3000', '\u00a0', '\u2002', '\u2003', '\u2009', '\u200b', '\ufeff':
		return true
	}
	return false
}

// gluedFold maps each rune to its half-width form (digits, signs, points,
// brackets, spaces) one for one, so positions in the folded text are
// positions in the original.
func gluedFold(rs []rune) []rune {
	out := make([]rune, len(rs))
	copy(out, rs)
	gluedFoldInPlace(out)
	return out
}

// gluedFoldInPlace is gluedFold writing over rs. Folding in place reads
// the already folded rs[i-1]: no rune turns into a digit or stops being
// one, so the comma rule sees the same neighbours either way.
func gluedFoldInPlace(rs []rune) {
	for i, r := range rs {
		if r < 0x80 && r != '\t' {
			continue // only tabs and runes beyond ASCII fold
		}
		if r == '，' {
			// Between two digits a full-width comma may be a thousands
			// separator ("1，234"); keep it in the run, where the splitter
			// accepts it only in a well-formed grouping, rather than cut
			// the number in two.
			if i > 0 && i+1 < len(rs) && isDigitRune(rs[i-1]) && isDigitRune(rs[i+1]) {
				rs[i] = ','
			}
			continue
		}
		rs[i] = gluedFoldRune(r)
	}
}

// gluedFoldRune is gluedFold of one rune other than the full-width comma,
// whose folding depends on its neighbours.
func gluedFoldRune(r rune) rune {
	switch {
	case r >= '０' && r <= '９':
		r = r - '０' + '0'
	case r == '．':
		r = '.'
	case r == '－' || r == '−' || r == '﹣':
		r = '-'
	case r == '＋':
		r = '+'
	case r == '（':
		r = '('
	case r == '）':
		r = ')'
	case r == '\t' || r == '\u3000' || r == '\u00a0' || r == '\u2002' || r == '\u2003' || r == '\u2009':
		r = ' '
	case r == '\u200b' || r == '\ufeff':
		r = ' '
	}
	return r
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

// gluedText is a document's text with an index for label search: key holds
// only the letters and digits of the folded text (no spaces, punctuation,
// brackets, quotes), and keyAt maps each key position back to a position
// in text, so "3.危及“三安全一稳定”" is found as "3危及三安全一稳定".
type gluedText struct {
	text  []rune // folded
	key   []rune
	keyAt []int32 // int32: the text is at most gluedMaxBytes runes
	// lineStart holds the text position where each line starts.
	lineStart []int
	// budget is what is left of the splitting work allowed for the whole
	// document (steps of the enumeration), so that no input can make the
	// reader slow: runs beyond it are left null with a finding.
	budget int
	// scratch is the memory the document's enumerations reuse.
	scratch gluedScratch
}

// gluedMaxBytes bounds the input: a report page is well under a megabyte,
// and the reader keeps a few words per character.
const gluedMaxBytes = 16 << 20

// gluedDocBudget bounds the splitting work for one document: a real report
// needs a few thousand steps.
const gluedDocBudget = 2_000_000

// newGluedText decodes s into runes, folds them (gluedFold) and indexes
// them in one pass over s: a glued report is one long line, and these
// passes were a tenth of its parse.
func newGluedText(s string) *gluedText {
	n := utf8.RuneCountInString(s)
	text := make([]rune, n)
	g := &gluedText{text: text, budget: gluedDocBudget}
	g.lineStart = []int{0}
	g.key = make([]rune, 0, n)
	g.keyAt = make([]int32, 0, n)
	i := 0
	for _, r := range s { // as []rune(s): an invalid byte is one U+FFFD
		if r >= 0x80 || r == '\t' {
			r = gluedFoldRune(r)
		}
		// A full-width comma between two digits folds to ','
		// (gluedFoldInPlace), seen once the rune after it is known.
		if i >= 2 && text[i-1] == '，' && isDigitRune(r) && isDigitRune(text[i-2]) {
			text[i-1] = ','
		}
		text[i] = r
		if r == '\n' {
			g.lineStart = append(g.lineStart, i+1)
		}
		if letterOrDigit(r) {
			g.key = append(g.key, r)
			g.keyAt = append(g.keyAt, int32(i))
		}
		i++
	}
	return g
}

// letterOrDigit is unicode.IsLetter(r) || unicode.IsDigit(r), answered for
// ASCII and the common CJK block (nearly every rune of a report) without
// the Unicode tables' search: cjkLetterOrDigit holds their answers for
// U+4E00–U+9FFF, computed from them once.
func letterOrDigit(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	case r >= 0x4E00 && r <= 0x9FFF:
		i := r - 0x4E00
		return cjkLetterOrDigit[i/64]&(1<<(i%64)) != 0
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

var cjkLetterOrDigit = func() (bits [(0x9FFF - 0x4E00 + 64) / 64]uint64) {
	for r := rune(0x4E00); r <= 0x9FFF; r++ {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			i := r - 0x4E00
			bits[i/64] |= 1 << (i % 64)
		}
	}
	return bits
}()

// find returns the text positions [start, end) of the first occurrence of
// the key string k at or after text position from and before text
// position to; ok=false when there is none.
func (g *gluedText) find(k string, from, to int) (start, end int, ok bool) {
	// The key's runes on the stack: a search string is a label or a
	// label's words, and find runs hundreds of times a document.
	var buf [48]rune
	kr := buf[:0]
	for _, r := range k {
		kr = append(kr, r)
	}
	if len(kr) == 0 {
		return 0, 0, false
	}
	// Key positions [lo, hi): at or after from, before to; a match starts
	// there and fits in the key.
	lo, _ := slices.BinarySearch(g.keyAt, int32(min(from, math.MaxInt32)))
	hi, _ := slices.BinarySearch(g.keyAt, int32(min(to, math.MaxInt32)))
	hi = min(hi, len(g.key)-len(kr)+1)
	first, rest := kr[0], kr[1:]
	for i := lo; i < hi; i++ {
		if g.key[i] != first {
			continue
		}
		if slices.Equal(g.key[i+1:i+len(kr)], rest) {
			e := int(g.keyAt[i+len(kr)-1]) + 1
			if e > to {
				return 0, 0, false
			}
			return int(g.keyAt[i]), e, true
		}
	}
	return 0, 0, false
}

// findAny is find for the first of several spellings that occurs (the
// earliest position wins).
func (g *gluedText) findAny(keys []string, from, to int) (start, end int, ok bool) {
	best := -1
	for _, k := range keys {
		if s, e, found := g.find(k, from, to); found && (best < 0 || s < best) {
			best, start, end, ok = s, s, e, true
		}
	}
	return start, end, ok
}

func (g *gluedText) loc(pos int) string {
	if pos < 0 {
		pos = 0
	}
	if pos > len(g.text) {
		pos = len(g.text)
	}
	// The line is the number of line starts at or before pos.
	line, _ := slices.BinarySearch(g.lineStart, pos+1)
	return lineLoc(line - 1) // "line N", made once for the first lines
}

// gluedRow is a table row as the layout defines it, with the spellings of
// its label that locate it in glued text (letters and digits only).
type gluedRow struct {
	section string // gongkai.SecActive or SecApplications
	key     string
	label   string   // official label, written into the Document
	find    []string // key-form spellings, the first that occurs wins
	number  string   // the label's own leading number ("2" for "2.重复申请"), stripped from the run before it
}

// gluedApplicationFind spells each section 三 row's label as found in
// glued text: the distinctive part of the label, in key form.
var gluedApplicationFind = map[string][]string{
	"1_new":             {"本年新收", "新收政府信息公开申请"},
	"2_carried_over":    {"上年结转"},
	"3_1_disclosed":     {"予以公开"},
	"3_2_partially":     {"部分公开"},
	"3_3_1":             {"国家秘密"},
	"3_3_2":             {"禁止公开"},
	"3_3_3":             {"三安全一稳定"},
	"3_3_4":             {"第三方合法权益"},
	"3_3_5":             {"内部事务"},
	"3_3_6":             {"过程性信息"},
	"3_3_7":             {"行政执法案卷"},
	"3_3_8":             {"行政查询事项"},
	"3_4_1":             {"不掌握相关政府信息"},
	"3_4_2":             {"没有现成信息"},
	"3_4_3":             {"补正后申请内容仍不明确", "补正后申请内容"},
	"3_5_1":             {"信访举报投诉"},
	"3_5_2":             {"重复申请"},
	"3_5_3":             {"公开出版物"},
	"3_5_4":             {"大量反复申请"},
	"3_5_5":             {"确认或重新出具"},
	"3_6_1":             {"逾期不补正"},
	"3_6_2":             {"收费通知", "缴纳费用"},
	"3_6_3":             {"其他"},
	"3_6":               {"其他处理"},
	"3_7_total":         {"总计"},
	"4_carried_forward": {"结转下年度", "结转下一年度"},
}

// gluedRowsCache holds gluedRows per layout: the layouts are a few fixed
// values, and the rows were built anew on every parse (a tenth of a
// glued parse's allocations). Callers only read them.
var gluedRowsCache sync.Map // *gongkai.Layout → *[2][]gluedRow

// gluedRowsOf is gluedRows(l), made once per layout.
func gluedRowsOf(l *gongkai.Layout) (active, apps []gluedRow) {
	if v, ok := gluedRowsCache.Load(l); ok {
		rows := v.(*[2][]gluedRow)
		return rows[0], rows[1]
	}
	active, apps = gluedRows(l)
	gluedRowsCache.Store(l, &[2][]gluedRow{active, apps})
	return active, apps
}

// gluedRows lists the rows of section 二 and 三 of layout l in table order,
// leaving out the rows its printing does not have (Row.Unprinted).
func gluedRows(l *gongkai.Layout) (active, apps []gluedRow) {
	for _, a := range l.Active {
		find := []string{a.Label}
		if a.Key == "normative_documents" {
			find = append(find, "规范性文件") // 2021 reports often drop 行政
		}
		active = append(active, gluedRow{section: gongkai.SecActive, key: a.Key, label: a.Label, find: find})
	}
	for _, r := range l.Rows {
		if r.Unprinted {
			continue
		}
		apps = append(apps, gluedRow{section: gongkai.SecApplications, key: r.Key, label: r.Label,
			find: gluedApplicationFind[r.Key], number: leadingNumber(r.Label)})
	}
	return active, apps
}

// leadingNumber returns the ASCII digits a label starts with ("2" for
// "2.其他法律行政法规禁止公开"), or "".
func leadingNumber(label string) string {
	i := 0
	for i < len(label) && label[i] >= '0' && label[i] <= '9' {
		i++
	}
	return label[:i]
}

// gluedRun is a row's digit run and where it was.
type gluedRun struct {
	text string
	pos  int
}

// runsIn returns the digit runs in text[from:to]: maximal stretches of
// digits, signs, points, commas and spaces holding at least one digit,
// each with a unit 元 or 万元 that directly follows it. A number in
// brackets or followed by 年 is numbering or a year, not a run.
func (g *gluedText) runsIn(from, to int) []gluedRun {
	var out []gluedRun
	for i := from; i < to; {
		if !isGluedRunByte(g.text[i]) || g.text[i] == ' ' {
			i++
			continue
		}
		j := i
		digits := false
		for j < to && isGluedRunByte(g.text[j]) {
			if g.text[j] >= '0' && g.text[j] <= '9' {
				digits = true
			}
			j++
		}
		if !digits {
			i = j
			continue
		}
		// Numbering in brackets ("第二十条第(5)项") and years ("2023年")
		// are text, never cells.
		if (i > 0 && g.text[i-1] == '(' && j < len(g.text) && g.text[j] == ')') ||
			(j < len(g.text) && g.text[j] == '年') {
			i = j
			continue
		}
		run := strings.TrimRight(string(g.text[i:j]), " ")
		rest := string(g.text[j:min(j+2, to)])
		switch {
		case strings.HasPrefix(rest, "万元"):
			run += "万元"
		case strings.HasPrefix(rest, "元"):
			run += "元"
		}
		out = append(out, gluedRun{text: run, pos: i})
		i = j
	}
	return out
}

// gluedFound is a row located in the text: where its label is and the run
// that follows it ("" when none).
type gluedFound struct {
	row      *gluedRow // in the rows locate was given
	labelEnd int
	next     int // where the next row's label (or the region) starts
	run      gluedRun
	hasRun   bool
}

// locate finds rows in order within [from, to): each row's label is
// searched after the previous one; a row not found is skipped. The run of a
// row is the first digit run between its label and the next row's label,
// after removing the next label's own number ("2." of "2.重复申请"), which
// glued text puts right after the digits.
func (g *gluedText) locate(rows []gluedRow, from, to int) []gluedFound {
	type at struct {
		row        *gluedRow
		start, end int
	}
	hits := make([]at, 0, len(rows))
	pos := from
	found := make([]bool, len(rows))
	for i := range rows {
		r := &rows[i]
		s, e, ok := g.findAny(r.find, pos, to)
		if !ok {
			continue
		}
		hits = append(hits, at{r, s, e})
		found[i] = true
		pos = e
	}
	// Labels as printed: a row whose words were not found may carry a
	// misspelled label (FORMAT.md §8). It can only sit between the rows
	// found before and after it; there its official label is looked for
	// allowing a few characters dropped, added or changed.
	all := make([]at, 0, len(rows))
	next := 0
	lo := from
	for i := range rows {
		r := &rows[i]
		if found[i] {
			all = append(all, hits[next])
			lo = hits[next].end
			next++
			continue
		}
		hi := to
		if next < len(hits) {
			hi = hits[next].start
		}
		if s, e, ok := g.approxFind(r.label, lo, hi); ok {
			all = append(all, at{r, s, e})
			lo = e
		}
	}
	hits = all
	out := make([]gluedFound, 0, len(hits))
	for i, h := range hits {
		next := to
		var nextNum string
		if i+1 < len(hits) {
			next = hits[i+1].start
			nextNum = hits[i+1].row.number
		}
		f := gluedFound{row: h.row, labelEnd: h.end, next: next}
		if runs := g.runsIn(h.end, next); len(runs) > 0 {
			f.run, f.hasRun = g.stripNumber(runs[0], nextNum), true
		}
		out = append(out, f)
	}
	return out
}

// approxFind looks for an official label in [from, to) allowing about one
// edit in four characters (its numbering left out: glued text puts it
// against the digits before it). It returns the closest occurrence; labels
// shorter than four characters must be found exactly (find does that).
func (g *gluedText) approxFind(label string, from, to int) (start, end int, ok bool) {
	var pat []rune
	for _, r := range gluedFold([]rune(label)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			pat = append(pat, r)
		}
	}
	for len(pat) > 0 && pat[0] >= '0' && pat[0] <= '9' {
		pat = pat[1:]
	}
	if len(pat) < 4 || to <= from {
		return 0, 0, false
	}
	allowed := len(pat) / 4
	// Key positions of [from, to).
	a, _ := slices.BinarySearch(g.keyAt, int32(from))
	b, _ := slices.BinarySearch(g.keyAt, int32(to))
	text := g.key[a:b]
	if len(text) == 0 || len(text) > 4000 {
		return 0, 0, false
	}
	// Sellers' algorithm: d[j] is the least number of edits turning
	// pat[:i] into a substring of text ending at j; st[j] where it starts.
	// Two adjacent characters swapped count as one edit (Damerau), so
	// prev2 keeps the row before prev.
	prevD, curD, prev2D := make([]int, len(text)+1), make([]int, len(text)+1), make([]int, len(text)+1)
	prevS, curS, prev2S := make([]int, len(text)+1), make([]int, len(text)+1), make([]int, len(text)+1)
	for j := range prevS {
		prevS[j] = j
	}
	for i := 1; i <= len(pat); i++ {
		curD[0], curS[0] = i, 0
		for j := 1; j <= len(text); j++ {
			// A digit is never part of a label: the match may not take one
			// for a misspelled character (行政事业性收288.9434 is 行政事业性收费
			// without 费, then the run 288.9434, not 行政事业性收2 and 88.9434).
			digit := text[j-1] >= '0' && text[j-1] <= '9'
			cost := 1
			switch {
			case pat[i-1] == text[j-1]:
				cost = 0
			case digit:
				cost = len(pat) + 1
			}
			curD[j], curS[j] = prevD[j-1]+cost, prevS[j-1]
			if prevD[j]+1 < curD[j] {
				curD[j], curS[j] = prevD[j]+1, prevS[j]
			}
			if !digit && curD[j-1]+1 < curD[j] {
				curD[j], curS[j] = curD[j-1]+1, curS[j-1]
			}
			if i > 1 && j > 1 && pat[i-1] == text[j-2] && pat[i-2] == text[j-1] && prev2D[j-2]+1 < curD[j] {
				curD[j], curS[j] = prev2D[j-2]+1, prev2S[j-2]
			}
		}
		prev2D, prevD, curD = prevD, curD, prev2D
		prev2S, prevS, curS = prevS, curS, prev2S
	}
	best := -1
	for j := 1; j <= len(text); j++ {
		if prevD[j] <= allowed && (best < 0 || prevD[j] < prevD[best]) {
			best = j
		}
	}
	if best < 0 || prevS[best] >= best {
		return 0, 0, false
	}
	// A changed last character ties with dropping it: take the match
	// that includes it.
	for best+1 <= len(text) && prevD[best+1] == prevD[best] && prevS[best+1] == prevS[best] &&
		!(text[best] >= '0' && text[best] <= '9') {
		best++
	}
	return int(g.keyAt[a+prevS[best]]), int(g.keyAt[a+best-1]) + 1, true
}

// stripNumber removes from a run the number of the label that follows it
// in glued text: "00000002." before "其他法律行政法规禁止公开" is the run
// "0000000" and the numbering "2.". Only the number the layout gives that
// label is removed, and only when it ends the run with its point (or is
// followed by "、").
func (g *gluedText) stripNumber(r gluedRun, num string) gluedRun {
	if num == "" {
		return r
	}
	if t, ok := strings.CutSuffix(r.text, num+"."); ok && strings.TrimSpace(t) != "" {
		r.text = strings.TrimRight(t, " ")
		return r
	}
	end := r.pos + len([]rune(r.text))
	if end < len(g.text) && g.text[end] == '、' {
		if t, ok := strings.CutSuffix(r.text, num); ok && strings.TrimSpace(t) != "" {
			r.text = strings.TrimRight(t, " ")
		}
	}
	return r
}

// gluedRegions are the text spans of the three tables.
type gluedRegions struct {
	sec2, sec3, sec4, sec5 int // starts; -1 when not found
}

func (g *gluedText) regions() gluedRegions {
	n := len(g.text)
	r := gluedRegions{-1, -1, -1, n}
	if s, _, ok := g.findAny([]string{"二主动公开政府信息情况"}, 0, n); ok {
		r.sec2 = s
	} else if s, _, ok := g.findAny([]string{"第二十条第一项信息内容", "项信息内容"}, 0, n); ok {
		// No heading: the table's own first header, which prose that
		// merely cites 第二十条 does not have.
		r.sec2 = s
	}
	from := max(r.sec2, 0)
	if s, _, ok := g.findAny([]string{"三收到和处理政府信息公开申请"}, from, n); ok {
		r.sec3 = s
	} else if s, _, ok := g.findAny([]string{"申请人情况", "本年新收"}, from, n); ok {
		r.sec3 = s
	}
	from = max(r.sec3, from)
	if r.sec3 >= 0 {
		// Section 四's heading names 行政复议; no section 三 label does. Its
		// numbering "四" also opens 四、结转下年度继续办理, so search the name.
		// 行政诉讼 heads the same table: it is found when 行政复议 is
		// misspelled beyond the known 行政法复议.
		if s, _, ok := g.findAny([]string{"行政复议", "行政法复议", "行政诉讼"}, from, n); ok {
			r.sec4 = s
		}
	}
	if r.sec4 >= 0 {
		if s, _, ok := g.findAny([]string{"存在的主要问题", "六其他需要报告"}, r.sec4, n); ok {
			r.sec5 = s
		}
	}
	return r
}

// gluedVersion decides the layout from labels only one layout has.
func (g *gluedText) version(from, to int) gongkai.Version {
	v19, v21 := 0, 0
	for _, k := range []string{"本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "其他对外管理服务事项", "政府集中采购", "采购项目数量"} {
		if _, _, ok := g.find(k, from, to); ok {
			v19++
		}
	}
	for _, k := range []string{"本年制发件数", "本年废止件数", "现行有效件", "本年收费金额", "行政规范性文件", "逾期不补正", "缴纳费用"} {
		if _, _, ok := g.find(k, from, to); ok {
			v21++
		}
	}
	// 2019 has a single row （六）其他处理 with numbers; in 2021 it only
	// heads its three sub-rows.
	for pos := from; ; {
		_, e, ok := g.find("其他处理", pos, to)
		if !ok {
			break
		}
		i := e
		for i < to && (g.text[i] == ' ' || g.text[i] == ')' || g.text[i] == ':') {
			i++
		}
		if i < to && g.text[i] >= '0' && g.text[i] <= '9' && !(i+1 < to && (g.text[i+1] == '.' || g.text[i+1] == '、') && g.text[i] == '1') {
			v19++
		}
		pos = e
	}
	if v19 > v21 {
		return gongkai.V2019
	}
	return gongkai.V2021
}

// singleOther reports whether section 三, in [from, to), prints
// （六）其他处理 as one row with its numbers and none of its sub-rows (a 2021
// printing seen in real PDFs, FORMAT.md §3). Read with the 2021 rows, its
// run would land in 3_6_3 (whose label is "其他"), silently wrong.
func (g *gluedText) singleOther(from, to int) bool {
	if to <= from {
		to = len(g.text)
	}
	for _, k := range []string{"逾期不补正", "收费通知", "缴纳费用"} {
		if _, _, ok := g.find(k, from, to); ok {
			return false
		}
	}
	_, e, ok := g.find("其他处理", from, to)
	if !ok {
		// The heading misspelled: look for it as printed.
		if _, e, ok = g.approxFind("（六）其他处理", from, to); !ok {
			return false
		}
	}
	i := e
	for i < to && i < e+2 && !(g.text[i] >= '0' && g.text[i] <= '9') && !unicode.IsSpace(g.text[i]) && g.text[i] != '(' {
		i++ // a trailing character the match left out (其他处理理)
	}
	for i < to && (g.text[i] == ' ' || g.text[i] == ')' || g.text[i] == ':' || g.text[i] == '\n') {
		i++
	}
	// A run follows, and it is no "1." numbering a sub-row would start with.
	return i < to && g.text[i] >= '0' && g.text[i] <= '9' &&
		!(i+1 < to && g.text[i] == '1' && (g.text[i+1] == '.' || g.text[i+1] == '、'))
}

// gluedCells is one row's cells after splitting: texts[i] is "" for a
// cell left open, open lists those cells and reason says why.
type gluedCells struct {
	texts  []string
	open   []int
	reason string
	cands  []gluedSplit // the readings still possible (section 三 rows)
	run    string
	loc    string
}

// splitRow splits one run by spec and settles what it can. what names the
// rule that ties the cells together, for the finding's message.
func splitRow(run string, spec gluedSpec, what string, budget *int) gluedCells {
	return splitRowWith(run, spec, what, budget, nil)
}

// splitRow splits a run of g's text, drawing on g's budget and scratch.
func (g *gluedText) splitRow(run string, spec gluedSpec, what string) gluedCells {
	return splitRowWith(run, spec, what, &g.budget, &g.scratch)
}

// splitRowWith is splitRow working in sc (see enumerateGluedWith).
func splitRowWith(run string, spec gluedSpec, what string, budget *int, sc *gluedScratch) gluedCells {
	n := len(spec.Kinds)
	c := gluedCells{texts: make([]string, n), run: run}
	openAll := func(reason string) {
		c.open = c.open[:0]
		for i := range n {
			c.texts[i] = ""
			c.open = append(c.open, i)
		}
		c.reason = reason
	}
	plain, err := enumerateGluedWith(run, spec, false, 2, budget, sc)
	if err != nil {
		openAll(fmt.Sprintf("digit run %q %v; its cells are left null", run, err))
		return c
	}
	if len(plain) == 1 {
		// The run's shape alone fixes every cell; rules are checked later,
		// on the numbers as printed.
		c.cands = plain
		copy(c.texts, plain[0].Texts)
		return c
	}
	if len(plain) == 0 {
		openAll(fmt.Sprintf("digit run %q cannot be cut into %d numbers; its cells are left null", run, n))
		return c
	}
	splits, err := enumerateGluedWith(run, spec, true, gluedMaxSplits, budget, sc)
	if err != nil {
		openAll(fmt.Sprintf("digit run %q %v; its cells are left null", run, err))
		return c
	}
	c.cands = splits
	c.settle(what)
	return c
}

// settle fills texts, open and reason from the readings in c.cands.
func (c *gluedCells) settle(what string) {
	n := len(c.texts)
	c.open = nil
	if len(c.cands) == 0 {
		for i := range n {
			c.texts[i] = ""
			c.open = append(c.open, i)
		}
		c.reason = fmt.Sprintf("digit run %q has no reading into %d cells%s; its cells are left null", c.run, n, what)
		return
	}
	_, texts, amb := settleGluedCells(c.cands, n)
	copy(c.texts, texts)
	c.open = amb
	c.reason = fmt.Sprintf("digit run %q splits %d ways%s: %s; the cells that differ between them are left null",
		c.run, len(c.cands), what, describeGluedSplits(c.cands, 6))
}

// readGlued reads glued page text into a Document: one table per section
// (二, 三, 四) with the official labels and split cells, and the prose
// around them as Lines.
func readGlued(path string, data []byte) (*Document, error) {
	return readGluedText(path, data, decodedText(data))
}

// readGluedText is readGlued given text() = decodeText(data), asked for
// only once data passed the size bound.
func readGluedText(path string, data []byte, text func() string) (*Document, error) {
	if len(data) > gluedMaxBytes {
		return nil, fmt.Errorf("%w: %d bytes is too large for a page of glued text (at most %d)", gongkai.ErrUnreadable, len(data), gluedMaxBytes)
	}
	s := text()
	g := newGluedText(s)
	doc := &Document{Path: path, Rendering: "glued_text"}
	reg := g.regions()
	if reg.sec2 < 0 && reg.sec3 < 0 {
		return nil, fmt.Errorf("%w: no 主动公开 or 依申请公开 table found in the glued text", gongkai.ErrUnreadable)
	}
	tableStart, tableEnd := reg.sec2, reg.sec5
	if tableStart < 0 {
		tableStart = reg.sec3
	}
	v := g.version(tableStart, tableEnd)
	l := gongkai.LayoutOf(v)
	if v == gongkai.V2021 && reg.sec3 >= 0 && g.singleOther(reg.sec3, max(reg.sec4, reg.sec3)) {
		l = gongkai.LayoutSingleOther()
	}
	activeRows, appRows := gluedRowsOf(l)

	// Section 二.
	if reg.sec2 >= 0 {
		end := reg.sec3
		if end < 0 {
			end = tableEnd
		}
		doc.Tables = append(doc.Tables, g.activeTable(activeRows, l, reg.sec2, end, &doc.Findings))
	}
	// Section 三.
	if reg.sec3 >= 0 {
		end := reg.sec4
		if end < 0 {
			end = tableEnd
		}
		doc.Tables = append(doc.Tables, g.applicationTable(appRows, l, reg.sec3, end, &doc.Findings))
	}
	// Section 四.
	if reg.sec4 >= 0 {
		doc.Tables = append(doc.Tables, g.reviewTable(l, reg.sec4, reg.sec5, &doc.Findings))
	}
	doc.Lines = g.prose(tableStart, tableEnd)
	return doc, nil
}

// appendCells appends split cells to out as Document cells at loc (into
// the row being built, which callers size for them), and adds one READ
// finding naming the paths of the cells left open.
func appendCells(out []Cell, c *gluedCells, loc string, paths []string, findings *[]gongkai.Finding) []Cell {
	for i := range c.texts {
		out = append(out, Cell{Text: c.texts[i], Loc: loc})
	}
	if len(c.open) == 0 {
		return out
	}
	var where gongkai.Paths
	for _, i := range c.open {
		if i < len(paths) {
			where = append(where, paths[i])
		}
	}
	*findings = append(*findings, readCoded(where, msg.ReadGlued, msg.A("loc", loc, "detail", c.reason)))
	return out
}

func (g *gluedText) runLoc(r gluedRun) string {
	return g.loc(r.pos) + ", run " + strconv.Quote(r.text) // what "%s, run %q" gives, without fmt
}

func (g *gluedText) activeTable(rows []gluedRow, l *gongkai.Layout, from, to int, findings *[]gongkai.Finding) Table {
	t := Table{Loc: g.loc(from)}
	t.Rows = append(t.Rows, []Cell{{Text: "二、主动公开政府信息情况", Loc: g.loc(from)}})
	block := ""
	for _, f := range g.locate(rows, from, to) {
		item, _ := l.ActiveItem(f.row.key)
		if item.Block != block {
			block = item.Block
			hdr := []Cell{{Text: "信息内容", Loc: g.loc(f.labelEnd)}}
			for _, m := range item.Metrics {
				label := m.Label
				if m.Key == "amount_yuan" && g.wanInHeader(from, f.labelEnd) {
					label += "（万元）"
				}
				hdr = append(hdr, Cell{Text: label, Loc: g.loc(f.labelEnd)})
			}
			t.Rows = append(t.Rows, []Cell{{Text: block, Loc: g.loc(f.labelEnd)}}, hdr)
		}
		row := make([]Cell, 1, 1+len(item.Metrics))
		row[0] = Cell{Text: f.row.label, Loc: g.loc(f.labelEnd)}
		if f.hasRun {
			spec := gluedSpec{Kinds: make([]gongkai.Kind, 0, len(item.Metrics))}
			for _, m := range item.Metrics {
				spec.Kinds = append(spec.Kinds, m.Kind)
			}
			// the item's paths, made once per layout (appendCells only reads them)
			paths := rowPathsOf(l, gongkai.SecActive, item.Key).paths
			c := g.splitRow(f.run.text, spec, " (no rule ties these cells together)")
			row = appendCells(row, &c, g.runLoc(f.run), paths, findings)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// wanInHeader reports whether the procurement header before the 政府集中采购
// row gives the amount in 万元.
func (g *gluedText) wanInHeader(from, to int) bool {
	s, _, ok := g.find("采购总金额", from, to)
	return ok && strings.Contains(string(g.text[s:to]), "万元")
}

// sec3Spec is a section 三 row: seven counts, the last the sum of the six.
var sec3Spec = gluedSpec{
	Kinds:     []gongkai.Kind{gongkai.Count, gongkai.Count, gongkai.Count, gongkai.Count, gongkai.Count, gongkai.Count, gongkai.Count},
	SumGroups: [][2]int{{0, gongkai.NumColumns}},
}

const r2What = " with 总计 = the sum of the six applicant columns (R2)"

func (g *gluedText) applicationTable(rows []gluedRow, l *gongkai.Layout, from, to int, findings *[]gongkai.Finding) Table {
	t := Table{Loc: g.loc(from)}
	hdr := []Cell{{Text: "申请人情况", Loc: g.loc(from)}}
	for _, c := range l.Columns {
		hdr = append(hdr, Cell{Text: c.Label, Loc: g.loc(from)})
	}
	t.Rows = append(t.Rows, hdr)
	found := g.locate(rows, from, to)
	cells := map[string]*gluedCells{}
	for _, f := range found {
		if !f.hasRun {
			continue
		}
		c := g.splitRow(f.run.text, sec3Spec, r2What)
		c.loc = g.runLoc(f.run)
		cells[f.row.key] = &c
	}
	settleColumns(l, cells)
	for _, f := range found {
		row := make([]Cell, 1, 1+len(l.Columns))
		row[0] = Cell{Text: f.row.label, Loc: g.loc(f.labelEnd)}
		if c, ok := cells[f.row.key]; ok {
			// the row's paths, made once per layout (appendCells only reads them)
			paths := rowPathsOf(l, gongkai.SecApplications, f.row.key).paths
			if paths == nil {
				for _, col := range l.Columns {
					paths = append(paths, gongkai.CellPath(gongkai.SecApplications, f.row.key, col.Key))
				}
			}
			row = appendCells(row, c, c.loc, paths, findings)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// gluedMaxCombos bounds the joint readings settleColumns tries.
const gluedMaxCombos = 50_000

// settleColumns narrows the readings of section 三 rows that R2 left open
// by the column rules: R1 (本年新收 + 上年结转 = （七）总计 + 结转下年度) and
// R3 ((七)总计 = the sum of the outcome rows), in every column. It tries
// every joint choice of readings; when some satisfy every rule that can be
// checked, a cell is settled if it reads the same in all of them. When none
// does, the report breaks a column rule as printed and nothing is settled
// (the rule check reports it). Rows without readings make the rules they
// sit in uncheckable.
func settleColumns(l *gongkai.Layout, cells map[string]*gluedCells) {
	const cols = gongkai.NumColumns
	// vals[k][c] are row k's readings as integers, one array per reading.
	rowIdx := map[string]int{}
	vals := make([][][cols]int64, len(l.Rows))
	var open []int
	combos := 1
	for i, r := range l.Rows {
		rowIdx[r.Key] = i
		c, ok := cells[r.Key]
		if !ok || len(c.cands) == 0 {
			continue
		}
		for _, s := range c.cands {
			var v [cols]int64
			for j := range cols {
				v[j] = s.Vals[j].Micros()
			}
			vals[i] = append(vals[i], v)
		}
		if len(c.cands) > 1 {
			open = append(open, i)
			combos *= len(c.cands)
			if combos > gluedMaxCombos {
				return
			}
		}
	}
	if len(open) == 0 {
		return
	}
	has := func(k string) bool { return len(vals[rowIdx[k]]) > 0 }
	checkR1 := has(gongkai.RowNew) && has(gongkai.RowCarriedOver) && has(gongkai.RowTotal) && has(gongkai.RowCarriedForward)
	checkR3 := has(gongkai.RowTotal)
	var outcome []int
	for i, r := range l.Rows {
		if r.Outcome {
			outcome = append(outcome, i)
			if len(vals[i]) == 0 {
				checkR3 = false
			}
		}
	}
	if !checkR1 && !checkR3 {
		return
	}
	iNew, iOver, iTot, iFwd := rowIdx[gongkai.RowNew], rowIdx[gongkai.RowCarriedOver], rowIdx[gongkai.RowTotal], rowIdx[gongkai.RowCarriedForward]
	choice := make([]int, len(l.Rows)) // reading chosen per row (0 for settled rows)
	keep := make([][]bool, len(l.Rows))
	for _, i := range open {
		keep[i] = make([]bool, len(vals[i]))
	}
	fits := false
	for {
		ok := true
		for c := 0; c < cols && ok; c++ {
			v := func(i int) int64 { return vals[i][choice[i]][c] }
			if checkR1 && v(iNew)+v(iOver) != v(iTot)+v(iFwd) {
				ok = false
				break
			}
			if checkR3 {
				var sum int64
				for _, i := range outcome {
					sum += v(i)
				}
				if sum != v(iTot) {
					ok = false
				}
			}
		}
		if ok {
			fits = true
			for _, i := range open {
				keep[i][choice[i]] = true
			}
		}
		// Next combination.
		k := 0
		for ; k < len(open); k++ {
			i := open[k]
			choice[i]++
			if choice[i] < len(vals[i]) {
				break
			}
			choice[i] = 0
		}
		if k == len(open) {
			break
		}
	}
	if !fits {
		return
	}
	for _, i := range open {
		c := cells[l.Rows[i].Key]
		var kept []gluedSplit
		for j, s := range c.cands {
			if keep[i][j] {
				kept = append(kept, s)
			}
		}
		if len(kept) < len(c.cands) {
			c.cands = kept
			c.settle(r2What + " and the column rules R1/R3")
		}
	}
}

// review15 is section 四 glued whole: three blocks of five, each block's
// 总计 the sum of its first four (R4).
var review15 = gluedSpec{
	Kinds:     []gongkai.Kind{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	SumGroups: [][2]int{{0, 5}, {5, 10}, {10, 15}},
}

var review5 = gluedSpec{Kinds: []gongkai.Kind{0, 0, 0, 0, 0}, SumGroups: [][2]int{{0, 5}}}

const r4What = " with each block's 总计 = 维持 + 纠正 + 其他 + 尚未审结 (R4)"

func (g *gluedText) reviewTable(l *gongkai.Layout, from, to int, findings *[]gongkai.Finding) Table {
	t := Table{Loc: g.loc(from)}
	hdr := []Cell{{Text: "四、政府信息公开行政复议、行政诉讼情况", Loc: g.loc(from)}}
	for _, b := range l.ReviewBlocks {
		hdr = append(hdr, Cell{Text: b.Label, Loc: g.loc(from)})
	}
	t.Rows = append(t.Rows, hdr)
	// The table ends where prose starts: its headers have no sentence
	// punctuation, so digits after a 。 or ， belong to the text below it
	// (a missing 五、 heading must not feed years and counts into it).
	for i := from; i < to; i++ {
		if g.text[i] == '。' || g.text[i] == '，' || g.text[i] == '；' {
			to = i
			break
		}
	}
	runs := g.runsIn(from, to)
	var paths []string
	for _, b := range l.ReviewBlocks {
		for _, c := range l.ReviewColumns {
			paths = append(paths, gongkai.CellPath(gongkai.SecReview, b.Key, c.Key))
		}
	}
	var data []Cell
	switch {
	case len(runs) == 0:
		return t
	case len(runs) == 3:
		data = make([]Cell, 0, 15)
		for i, r := range runs {
			c := g.splitRow(r.text, review5, r4What)
			data = appendCells(data, &c, g.runLoc(r), paths[5*i:5*i+5], findings)
		}
	default:
		parts := make([]string, len(runs))
		for i, r := range runs {
			parts[i] = r.text
		}
		r := gluedRun{text: strings.Join(parts, " "), pos: runs[0].pos}
		c := g.splitRow(r.text, review15, r4What)
		data = appendCells(make([]Cell, 0, len(c.texts)), &c, g.runLoc(r), paths, findings)
	}
	t.Rows = append(t.Rows, data)
	return t
}

// prose returns the text outside the tables as Lines, without the
// crawler's header lines (标题: is kept without its tag: it is the title).
func (g *gluedText) prose(tableStart, tableEnd int) []Line {
	var out []Line
	add := func(from, to int) {
		if from >= to {
			return
		}
		start := from
		for i := from; i <= to; i++ {
			if i == to || g.text[i] == '\n' {
				if text := strings.TrimSpace(string(g.text[start:i])); text != "" {
					if t, ok := gluedProseLine(text); ok {
						out = append(out, Line{Text: t, Loc: g.loc(start)})
					}
				}
				start = i + 1
			}
		}
	}
	if tableStart < 0 {
		add(0, len(g.text))
		return out
	}
	add(0, tableStart)
	add(tableEnd, len(g.text))
	return out
}

// gluedCrawlerTags open the header lines a crawler writes above the page.
var gluedCrawlerTags = []string{"发布时间:", "文号:", "发布机构:", "栏目:", "原文链接:", "本地目录:", "页面链接", "来源:"}

// gluedProseLine drops crawler header lines and separator rules and
// returns the title line without its "标题:" tag.
func gluedProseLine(s string) (string, bool) {
	tagged := strings.ReplaceAll(s, "：", ":")
	if t, ok := strings.CutPrefix(tagged, "标题:"); ok {
		return strings.TrimSpace(t), true
	}
	for _, tag := range gluedCrawlerTags {
		if strings.HasPrefix(tagged, tag) {
			return "", false
		}
	}
	if strings.Trim(s, "=-—* 正文") == "" {
		return "", false
	}
	return s, true
}
