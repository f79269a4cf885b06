package ingest

import (
	"errors"
	"fmt"
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
	gluedMaxSteps = 2_000_000
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
	segs := strings.Fields(body)
	if len(segs) == 0 {
		return nil, nil
	}
	e := gluedSplitter{spec: spec, segs: segs, unit: unit, constrained: constrained, limit: limit,
		texts: make([]string, n), vals: make([]gongkai.Num, n)}
	e.groupOf = make([]int, n)
	for i := range e.groupOf {
		e.groupOf[i] = -1
	}
	if constrained {
		for g, r := range spec.SumGroups {
			if r[0] < 0 || r[1] > n || r[1]-r[0] < 2 {
				return nil, fmt.Errorf("bad sum group %v for %d cells", r, n)
			}
			for i := r[0]; i < r[1]; i++ {
				e.groupOf[i] = g
			}
		}
	}
	// Characters left from each segment on, for pruning.
	e.charsFrom = make([]int, len(segs)+1)
	for i := len(segs) - 1; i >= 0; i-- {
		e.charsFrom[i] = e.charsFrom[i+1] + len(segs[i])
	}
	e.walk(0, 0, 0)
	if e.steps > gluedMaxSteps {
		return nil, errGluedTooLong
	}
	return e.out, nil
}

type gluedSplitter struct {
	spec        gluedSpec
	segs        []string
	unit        string
	constrained bool
	limit       int
	groupOf     []int
	charsFrom   []int
	texts       []string
	vals        []gongkai.Num
	out         []gluedSplit
	steps       int
}

// walk places cell ci starting at offset off of segment si.
func (e *gluedSplitter) walk(si, off, ci int) {
	n := len(e.spec.Kinds)
	if e.steps > gluedMaxSteps || len(e.out) >= e.limit {
		return
	}
	if si == len(e.segs) {
		if ci == n {
			e.emit()
		}
		return
	}
	if ci == n {
		return
	}
	// Every remaining segment needs at least one cell and every cell one
	// character.
	if n-ci < len(e.segs)-si {
		return
	}
	left := e.charsFrom[si] - off
	if left < n-ci || left > (n-ci)*gluedMaxCell {
		return
	}
	seg := e.segs[si]
	kind := e.spec.Kinds[ci]
	for end := off + 1; end <= len(seg) && end-off <= gluedMaxCell; end++ {
		e.steps++
		if e.steps > gluedMaxSteps {
			return
		}
		text := seg[off:end]
		last := ci == n-1
		if last && e.unit != "" {
			// The unit is written after the whole run; it can only close the
			// last cell.
			if end != len(seg) || si != len(e.segs)-1 {
				continue
			}
		}
		v, ok := gluedCellValue(text, kind, gluedUnitFor(last, e.unit))
		if !ok {
			continue
		}
		if e.constrained && !e.groupOK(ci, v) {
			continue
		}
		e.texts[ci] = text
		e.vals[ci] = v
		if last && e.unit != "" {
			e.texts[ci] = text + e.unit
		}
		if end == len(seg) {
			e.walk(si+1, 0, ci+1)
		} else {
			e.walk(si, end, ci+1)
		}
	}
}

func gluedUnitFor(last bool, unit string) string {
	if last {
		return unit
	}
	return ""
}

// groupOK checks cell ci's value against its sum group: the group's last
// cell must equal the sum of the cells before it in the group.
func (e *gluedSplitter) groupOK(ci int, v gongkai.Num) bool {
	g := e.groupOf[ci]
	if g < 0 {
		return true
	}
	r := e.spec.SumGroups[g]
	if ci != r[1]-1 {
		return true
	}
	sum := gongkai.Int(0)
	for i := r[0]; i < ci; i++ {
		sum = sum.Add(e.vals[i])
	}
	return sum == v
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
	num := digits
	if hasDot {
		num += "." + frac
	}
	if neg {
		num = "-" + num
	}
	v, err := gongkai.ParseNum(num)
	if err != nil {
		return gongkai.Null, false
	}
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
