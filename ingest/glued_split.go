package ingest

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"gongkai"
)

// Splitting glued digit runs.
//
// A crawler that saves a web page as text often drops the cell borders of
// a table row, so "行政规范性文件 | 77 | 132 | 470" arrives as
// "行政规范性文件77132470". The digits alone do not say where one cell ends;
// only the number of cells the row must have and the rules its numbers obey
// (R2: a section 三 row's 总计 is the sum of the six applicant columns; R4
// likewise for a section 四 block) can. splitGluedRun enumerates every reading
// and leaves it to the caller to keep a value only when all readings agree.

// gluedSpec says what a row's run must split into.
type gluedSpec struct {
	// Kinds has one entry per cell: Count (no sign, no fraction), Signed (a
	// leading '-' or '+' allowed) or Money (a fraction allowed).
	Kinds []gongkai.Kind
	// SumGroups lists cell ranges [start, end) whose last cell must equal
	// the sum of the others: R2 for a section 三 row, R4 for each block of
	// section 四. Empty means the cells are unconstrained.
	SumGroups [][2]int
}

// gluedSplit is one reading of a run: the text of each cell as written and
// its value.
type gluedSplit struct {
	Texts []string
	Vals  []gongkai.Num
}

var (
	// errGluedTooLong: the run has more possible readings than splitGluedRun is
	// willing to enumerate; the caller leaves the row null with a finding.
	errGluedTooLong = errors.New("too long to enumerate its splits")
	// errGluedChars: the run holds characters no cell can contain.
	errGluedChars = errors.New("holds characters that are not part of a number")
)

const (
	// gluedMaxRun bounds the characters of one run. A section 三 row of
	// seven four-digit counts is 28 digits; 160 leaves room for spaces and
	// decimals while keeping the enumeration finite.
	gluedMaxRun = 160
	// gluedMaxCell bounds one cell's text: twelve integer digits (what
	// gongkai.ParseNum accepts), a sign, a point and six decimals.
	gluedMaxCell = 20
	// gluedMaxSteps bounds the work of one enumeration (cells tried), so a
	// hostile or freak run cannot hang the reader.
	gluedMaxSteps = 300_000
	// gluedMaxSplits bounds the readings returned; more than this many readings
	// of one run are as good as none.
	gluedMaxSplits = 10_000
)

// splitGluedRun returns every way to cut run into len(spec.Kinds) cells that are
// well-formed numbers of their kind and satisfy spec.SumGroups.
//
// Spaces in the run are hard boundaries: a cell never spans one. A sign
// may only open a Signed cell; a point only sits inside a Money cell;
// counts have no leading zeros except "0" itself; a unit 元 or 万元 at the
// end of the run belongs to the last cell, which must be Money.
//
// Zero readings is not an error (the caller reports that the run fits
// nowhere); errGluedTooLong and errGluedChars are.
func splitGluedRun(run string, spec gluedSpec) ([]gluedSplit, error) {
	return enumerateGluedSplits(run, spec, true, gluedMaxSplits)
}

// plainGluedSplits counts the readings of run that ignore spec.SumGroups,
// stopping at limit. A run whose shape alone fixes its cells ("000" for
// three cells) is read that way even if its numbers break a rule: the rule
// check reports the break, the reader does not repair it.
func plainGluedSplits(run string, spec gluedSpec, limit int) ([]gluedSplit, error) {
	return enumerateGluedSplits(run, spec, false, limit)
}

func enumerateGluedSplits(run string, spec gluedSpec, constrained bool, limit int) ([]gluedSplit, error) {
	budget := gluedMaxSteps
	return enumerateGluedBudget(run, spec, constrained, limit, &budget)
}

// enumerateGluedBudget is enumerateGluedSplits drawing its steps from a
// shared budget, so one document's runs together stay bounded too. It
// returns errGluedTooLong when the budget runs out before the readings are
// all known.
func enumerateGluedBudget(run string, spec gluedSpec, constrained bool, limit int, budget *int) ([]gluedSplit, error) {
	return enumerateGluedWith(run, spec, constrained, limit, budget, nil)
}

// gluedScratch is the working memory of enumerations that one document's
// runs take in turn (sc of enumerateGluedWith): a glued report has dozens
// of runs, each enumerated twice, and each enumeration made its arrays
// anew. The readings found are copied out (emit), never kept in it.
type gluedScratch struct {
	texts []string
	vals  []gongkai.Num
	ints  []int
	dead  []bool
}

// enumerateGluedWith is enumerateGluedBudget working in sc (nil: memory of
// its own).
func enumerateGluedWith(run string, spec gluedSpec, constrained bool, limit int, budget *int, sc *gluedScratch) ([]gluedSplit, error) {
	if sc == nil {
		sc = &gluedScratch{}
	}
	n := len(spec.Kinds)
	if n == 0 {
		return nil, fmt.Errorf("no cells to split into")
	}
	body, unit := gluedCutUnit(strings.TrimSpace(run))
	if unit != "" && spec.Kinds[n-1] != gongkai.Money {
		return nil, fmt.Errorf("unit %q after a count: %w", unit, errGluedChars)
	}
	if len(body) > gluedMaxRun {
		return nil, errGluedTooLong
	}
	for _, c := range body {
		if !isGluedRunByte(c) {
			return nil, fmt.Errorf("%q %w", c, errGluedChars)
		}
	}
	if body == "" {
		return nil, nil
	}
	// Flatten the segments; a space becomes a cut every reading must make.
	// body holds no other white space (every byte passed isGluedRunByte)
	// and is trimmed, so its segments are what strings.Fields would give;
	// most runs are one segment, read in place.
	sc.texts, sc.vals = scratchOf(sc.texts, n), scratchOf(sc.vals, n)
	e := gluedSplitter{spec: spec, unit: unit, constrained: constrained, limit: limit, budget: budget,
		s: body, texts: sc.texts, vals: sc.vals}
	var cuts []int
	if strings.IndexByte(body, ' ') >= 0 {
		segs := strings.Fields(body)
		e.s = strings.Join(segs, "")
		cuts = make([]int, 0, len(segs))
		end := 0
		for _, sg := range segs {
			end += len(sg)
			cuts = append(cuts, end)
		}
	}
	// nextCut and groupEnd share one array.
	sc.ints = scratchOf(sc.ints, len(e.s)+1+n)
	ints := sc.ints
	e.nextCut, e.groupEnd = ints[:len(e.s)+1:len(e.s)+1], ints[len(e.s)+1:]
	ci := 0
	for i := 0; i <= len(e.s); i++ {
		for ci < len(cuts) && cuts[ci] <= i {
			ci++
		}
		if ci < len(cuts) {
			e.nextCut[i] = cuts[ci]
		} else {
			e.nextCut[i] = len(e.s)
		}
	}
	for i := range e.groupEnd {
		e.groupEnd[i] = -1
	}
	if constrained {
		last := 0
		groups := spec.SumGroups
		byStart := func(x, y [2]int) int { return x[0] - y[0] }
		if !slices.IsSortedFunc(groups, byStart) { // the specs in use are
			groups = slices.Clone(groups)
			slices.SortFunc(groups, byStart)
		}
		for _, r := range groups {
			if r[0] < last || r[1] > n || r[1]-r[0] < 2 {
				return nil, fmt.Errorf("bad sum group %v for %d cells", r, n)
			}
			for i := r[0]; i < r[1]; i++ {
				if spec.Kinds[i] != gongkai.Count {
					return nil, fmt.Errorf("sum group %v holds a cell that is no count", r)
				}
			}
			e.groupEnd[r[0]] = r[1]
			last = r[1]
		}
	}
	sc.dead = scratchOf(sc.dead, (len(e.s)+1)*(n+1))
	e.dead = sc.dead
	e.walk(0, 0)
	if e.exhausted {
		return nil, errGluedTooLong
	}
	return e.out, nil
}

// scratchOf returns s resized to n elements, all zero, reusing its array
// when it is large enough.
func scratchOf[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

type gluedSplitter struct {
	spec        gluedSpec
	s           string // the run's characters without its spaces
	nextCut     []int  // nextCut[i]: the first forced cut after position i
	unit        string
	constrained bool
	limit       int
	budget      *int
	exhausted   bool
	groupEnd    []int  // for a sum group's first cell, the group's end; else -1
	dead        []bool // dead[pos*(cells+1)+ci]: walk(pos, ci) led nowhere
	texts       []string
	vals        []gongkai.Num
	out         []gluedSplit
}

// step spends one unit of the budget and reports whether to go on.
func (e *gluedSplitter) step() bool {
	if *e.budget <= 0 {
		e.exhausted = true
		return false
	}
	*e.budget--
	return len(e.out) < e.limit
}

// fits reports whether cells ci.. can cover the characters from pos on,
// going by lengths alone.
func (e *gluedSplitter) fits(pos, ci int) bool {
	rem, left := len(e.spec.Kinds)-ci, len(e.s)-pos
	return left >= rem && left <= rem*gluedMaxCell
}

// walk places cell ci at position pos. States that led nowhere are
// remembered (unconstrained walks only: a sum group's state also depends
// on the sums) so the search stays polynomial.
func (e *gluedSplitter) walk(pos, ci int) {
	n := len(e.spec.Kinds)
	if ci == n {
		if pos == len(e.s) {
			e.emit()
		}
		return
	}
	if !e.fits(pos, ci) || e.dead[pos*(n+1)+ci] {
		return
	}
	if e.constrained && e.groupEnd[ci] > 0 {
		e.group(pos, ci, e.groupEnd[ci])
		return
	}
	before := len(e.out)
	kind := e.spec.Kinds[ci]
	last := ci == n-1
	for end := pos + 1; end <= e.nextCut[pos] && end-pos <= gluedMaxCell; end++ {
		if !e.step() {
			return
		}
		if last && end != len(e.s) {
			continue
		}
		text := e.s[pos:end]
		v, ok := gluedCellValue(text, kind, gluedUnitFor(last, e.unit))
		if !ok {
			continue
		}
		e.texts[ci], e.vals[ci] = text, v
		if last && e.unit != "" {
			e.texts[ci] = text + e.unit
		}
		e.walk(end, ci+1)
	}
	if len(e.out) == before && !e.exhausted && len(e.out) < e.limit {
		e.dead[pos*(n+1)+ci] = true
	}
}

// group places a sum group's cells gs..ge-1 from pos on: it picks where the
// group ends and where its total starts first, then fills the parts before
// the total with counts that add up to it.
func (e *gluedSplitter) group(pos, gs, ge int) {
	n := len(e.spec.Kinds)
	cells := ge - gs
	first, maxEnd := pos+cells, min(len(e.s), pos+cells*gluedMaxCell)
	if ge == n {
		first = max(first, len(e.s)) // the last group ends the run
	}
	for gend := first; gend <= maxEnd; gend++ {
		if ge < n && !e.fits(gend, ge) {
			continue
		}
		// The total: s[a:gend], inside one space-separated piece.
		for a := gend - 1; a >= pos+cells-1 && gend-a <= gluedMaxCell; a-- {
			if !e.step() {
				return
			}
			if e.nextCut[a] < gend {
				break
			}
			t, ok := gluedCount(e.s[a:gend])
			if !ok {
				continue
			}
			e.texts[ge-1], e.vals[ge-1] = e.s[a:gend], gongkai.Int(t)
			e.parts(pos, gs, ge, a, gend, 0, t)
			if e.exhausted {
				return
			}
		}
	}
}

// parts fills cells ci..ge-2 over s[pos:lim] with counts that add up to
// total-sum; the last part is whatever the others leave, and must be
// exactly that.
func (e *gluedSplitter) parts(pos, ci, ge, lim, gend int, sum, total int64) {
	rem := ge - 1 - ci
	left := lim - pos
	tl := gend - lim // no part is longer than the total
	if left < rem || left > rem*tl {
		return
	}
	if ci == ge-2 {
		if !e.step() {
			return
		}
		if e.nextCut[pos] < lim {
			return
		}
		v, ok := gluedCount(e.s[pos:lim])
		if !ok || sum+v != total {
			return
		}
		e.texts[ci], e.vals[ci] = e.s[pos:lim], gongkai.Int(v)
		e.walk(gend, ge)
		return
	}
	for end := pos + 1; end <= e.nextCut[pos] && end-pos <= tl && end <= lim-(rem-1); end++ {
		if !e.step() {
			return
		}
		v, ok := gluedCount(e.s[pos:end])
		if !ok {
			continue
		}
		if sum+v > total {
			break // longer parts from here are larger still
		}
		e.texts[ci], e.vals[ci] = e.s[pos:end], gongkai.Int(v)
		e.parts(end, ci+1, ge, lim, gend, sum+v, total)
	}
}

// gluedCount reads a count cell quickly: digits (with thousands
// separators), no leading zero, at most 12 digits.
func gluedCount(text string) (int64, bool) {
	digits, ok := gluedDigits(text)
	if !ok || len(digits) > 12 || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	var v int64
	for i := 0; i < len(digits); i++ {
		v = v*10 + int64(digits[i]-'0')
	}
	return v, true
}

func gluedUnitFor(last bool, unit string) string {
	if last {
		return unit
	}
	return ""
}

func (e *gluedSplitter) emit() {
	s := gluedSplit{Texts: append([]string(nil), e.texts...), Vals: append([]gongkai.Num(nil), e.vals...)}
	e.out = append(e.out, s)
}

// isGluedRunByte reports whether c may sit inside a digit run.
func isGluedRunByte(c rune) bool {
	return c >= '0' && c <= '9' || c == '.' || c == ',' || c == '-' || c == '+' || c == ' '
}

// gluedCutUnit removes a trailing 万元 or 元 from a run.
func gluedCutUnit(run string) (body, unit string) {
	for _, u := range []string{"万元", "元"} {
		if b, ok := strings.CutSuffix(run, u); ok {
			return strings.TrimSpace(b), u
		}
	}
	return run, ""
}

// gluedCellValue reads one cell's text as a number of the given kind, and
// false when the text is not a well-formed number of that kind: a leading
// zero ("07"), a sign on a count, a point in a count, a thousands
// separator out of place. unit is "", "元" or "万元"; 万元 multiplies by
// 10,000 (gongkai keeps procurement amounts in yuan).
func gluedCellValue(text string, kind gongkai.Kind, unit string) (gongkai.Num, bool) {
	if unit == "" {
		// Digits alone, what nearly every cell tried is: read at once (the
		// checks below take such a text the same way, as a whole number of
		// any kind).
		if v, ok, digits := gluedWhole(text); digits {
			return v, ok
		}
	}
	s := text
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		if kind != gongkai.Signed {
			return gongkai.Null, false
		}
		neg = s[0] == '-'
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if hasDot && (kind != gongkai.Money || frac == "" || len(frac) > gongkai.Scale) {
		return gongkai.Null, false
	}
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return gongkai.Null, false
		}
	}
	digits, ok := gluedDigits(intPart)
	if !ok || len(digits) > 12 {
		return gongkai.Null, false
	}
	if len(digits) > 1 && digits[0] == '0' {
		return gongkai.Null, false
	}
	if neg && digits == "0" && strings.Trim(frac, "0") == "" {
		return gongkai.Null, false // "-0" is no way to write a change
	}
	// What gongkai.ParseNum makes of the sign, digits and fraction
	// checked above (at most 12 digits, at most Scale decimals), without
	// writing them out as one string first: this runs for every cell of
	// every reading tried.
	var m int64
	for i := 0; i < len(digits); i++ {
		m = m*10 + int64(digits[i]-'0')
	}
	m *= gluedMicros
	for i, mul := 0, int64(gluedMicros/10); i < len(frac); i, mul = i+1, mul/10 {
		m += int64(frac[i]-'0') * mul
	}
	if neg {
		m = -m
	}
	v := gongkai.FromMicros(m)
	if unit == "万元" {
		// Scale by 10^4 exactly: shift the micros; the int part has at most
		// 12 digits, so 10^12·10^6·10^4 would overflow. Refuse amounts that
		// large rather than wrap.
		m := v.Micros()
		if m > 9_000_000_000_000_000/10_000 || m < -9_000_000_000_000_000/10_000 {
			return gongkai.Null, false
		}
		v = gongkai.FromMicros(m * 10_000)
	}
	return v, true
}

// gluedWhole reads text when it is ASCII digits only (digits=true): a
// whole number, refused (ok=false) with a leading zero or more than 12
// digits, as gluedCellValue refuses them.
func gluedWhole(text string) (v gongkai.Num, ok, digits bool) {
	if text == "" {
		return gongkai.Null, false, false
	}
	var n int64
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c < '0' || c > '9' {
			return gongkai.Null, false, false
		}
		if i < 12 {
			n = n*10 + int64(c-'0')
		}
	}
	if len(text) > 12 || len(text) > 1 && text[0] == '0' {
		return gongkai.Null, false, true
	}
	return gongkai.Int(n), true, true
}

// gluedMicros is the number of micros in one: gongkai.Num holds Scale
// decimals.
const gluedMicros = 1_000_000

// gluedDigits accepts "1234" or "1,234" (groups of three after the
// first) and returns the bare digits.
func gluedDigits(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	if !strings.Contains(s, ",") {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return "", false
			}
		}
		return s, true
	}
	parts := strings.Split(s, ",")
	if len(parts[0]) == 0 || len(parts[0]) > 3 {
		return "", false
	}
	var b strings.Builder
	for i, p := range parts {
		if i > 0 && len(p) != 3 {
			return "", false
		}
		for j := 0; j < len(p); j++ {
			if p[j] < '0' || p[j] > '9' {
				return "", false
			}
		}
		b.WriteString(p)
	}
	return b.String(), true
}

// settleGluedCells reduces a run's readings to one value per cell: a cell that
// reads the same in every reading is kept, any other cell is null and its
// index listed in ambiguous. With no readings every cell is null.
func settleGluedCells(splits []gluedSplit, n int) (vals []gongkai.Num, texts []string, ambiguous []int) {
	vals = make([]gongkai.Num, n)
	texts = make([]string, n)
	if len(splits) == 0 {
		for i := range n {
			ambiguous = append(ambiguous, i)
		}
		return vals, texts, ambiguous
	}
	for i := range n {
		same := true
		for _, s := range splits[1:] {
			if s.Vals[i] != splits[0].Vals[i] {
				same = false
				break
			}
		}
		if same {
			vals[i] = splits[0].Vals[i]
			texts[i] = splits[0].Texts[i]
		} else {
			ambiguous = append(ambiguous, i)
		}
	}
	return vals, texts, ambiguous
}

// describeGluedSplits renders up to max readings as "77|13|2470, 77|132|470".
func describeGluedSplits(splits []gluedSplit, max int) string {
	var parts []string
	for i, s := range splits {
		if i == max {
			parts = append(parts, fmt.Sprintf("… (%d more)", len(splits)-max))
			break
		}
		parts = append(parts, strings.Join(s.Texts, "|"))
	}
	return strings.Join(parts, ", ")
}
