package ingest

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"gongkai"
)

// placeholders are the ways a report writes "nothing here": such a cell is
// null (unknown), never 0.
var placeholders = map[string]bool{
	"": true, "/": true, "\\": true, "-": true, "--": true, "—": true, "——": true, "–": true,
	"无": true, "不适用": true, "空": true, "_": true, "—-": true, "-—": true, "…": true, "……": true,
	"x": true, "X": true, "×": true,
}

// cellKind classifies a cell's text.
type cellKind int

const (
	kindText   cellKind = iota // a label or other prose
	kindBlank                  // empty or a placeholder: null
	kindNumber                 // a number, with or without a unit
	// kindOdd is a short cell with digits that is no clean number ("约4",
	// "3.5%"): it stands where a value stands, and is read as null with a
	// READ finding rather than taken for a label.
	kindOdd
)

// numberedLabelRE is a numbered label: "1.属于国家秘密", "3、其他".
var numberedLabelRE = regexp.MustCompile(`^\d{1,2}\s*[.、．,，)）]\s*\D`)

// thousandsRE matches a number written with thousands separators.
var thousandsRE = regexp.MustCompile(`^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$`)

// spacedThousandsRE is a number grouped by spaces, with an optional
// unit after a space: "1 234", "12 345 678.5 元".
var spacedThousandsRE = regexp.MustCompile(`^[-+]?\d{1,3}( \d{3})+(\.\d+)?( ?(万元|元|件|条|个|项|次|篇))?$|^[-+]?\d+(\.\d+)? (万元|元|件|条|个|项|次|篇)$`)

// isDecimal says whether s is a plain signed decimal (`^[-+]?\d+(\.\d+)?$`)
// once units and separators are gone. Written out rather than as a regexp:
// every cell of every report passes here.
func isDecimal(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	return allDigits(intPart) && (!hasDot || allDigits(frac))
}

// allDigits says whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// unit is what a value's text says about its unit.
type unit int

const (
	unitNone unit = iota
	unitYuan
	unitWanYuan
)

// splitNumber reads a cell's text as a number: full-width digits, spaces,
// thousands separators and a trailing unit (元, 万元, 件, 条, 个, 项) are
// accepted. It returns the plain decimal text and the unit; ok=false when
// the text is no number.
func splitNumber(s string) (num string, u unit, ok bool) {
	s = cleanText(s)
	if allDigits(s) {
		return s, unitNone, true // the common value cell: "0", "12"
	}
	// Spaces inside a number are only accepted as thousands separators
	// ("1 234"): "1 2" may be two cells run together, never 12. (Most
	// cells have no space: they skip Fields and its allocation.)
	if hasSpace(s) {
		if f := strings.Fields(s); len(f) > 1 {
			if !spacedThousandsRE.MatchString(strings.Join(f, " ")) {
				return "", unitNone, false
			}
			s = strings.Join(f, "")
		}
	}
	switch {
	case strings.HasSuffix(s, "万元"):
		u, s = unitWanYuan, strings.TrimSuffix(s, "万元")
	case strings.HasSuffix(s, "元"):
		u, s = unitYuan, strings.TrimSuffix(s, "元")
	default:
		for _, suf := range []string{"件", "条", "个", "项", "次", "篇"} {
			s = strings.TrimSuffix(s, suf)
		}
	}
	if strings.IndexByte(s, ',') >= 0 && thousandsRE.MatchString(s) {
		s = strings.ReplaceAll(s, ",", "")
	}
	if !isDecimal(s) {
		return "", unitNone, false
	}
	s = strings.TrimPrefix(s, "+")
	return s, u, true
}

// hasSpace says whether s holds a rune strings.Fields splits at.
func hasSpace(s string) bool {
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if asciiSpace[b] {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return true
		}
		i += size
	}
	return false
}

// asciiSpace are the ASCII bytes unicode.IsSpace accepts.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// classify says whether a cell holds a label, a blank or a number.
func classify(text string) cellKind {
	if allDigits(text) {
		return kindNumber // the common value cell, as splitNumber reads it
	}
	c := cleanText(text)
	if placeholders[strings.ReplaceAll(c, " ", "")] {
		return kindBlank
	}
	if _, _, ok := splitNumber(c); ok {
		return kindNumber
	}
	if utf8.RuneCountInString(c) <= 8 && strings.ContainsAny(c, "0123456789") && !numberedLabelRE.MatchString(c) {
		return kindOdd
	}
	return kindText
}

// cellValue turns a value cell's text into a Num for a cell of the given
// kind. target says the unit the cell is kept in (unitYuan for 2019
// procurement amounts, unitWanYuan for 2021 fees, unitNone for counts).
// A blank or placeholder is Null with no problem; text that is no clean
// number is Null with a problem that the caller turns into a READ finding.
func cellValue(text string, target unit) (gongkai.Num, string) {
	s, u, ok := text, unitNone, true // the common cell, "0" or "12", as splitNumber reads it
	if !allDigits(text) {
		c := cleanText(text)
		if placeholders[strings.ReplaceAll(c, " ", "")] {
			return gongkai.Null, ""
		}
		s, u, ok = splitNumber(c)
	}
	if !ok {
		return gongkai.Null, fmt.Sprintf("not a number: %q", strings.TrimSpace(text))
	}
	v, err := gongkai.ParseNum(s)
	if err != nil {
		return gongkai.Null, fmt.Sprintf("not a number: %q (%v)", strings.TrimSpace(text), err)
	}
	switch {
	case u == unitNone || u == target:
		return v, ""
	case u == unitWanYuan && target == unitYuan:
		return scale(v, 10000, text)
	case u == unitYuan && target == unitWanYuan:
		m := v.Micros()
		if m%10000 != 0 {
			return gongkai.Null, fmt.Sprintf("%q in 万元 needs more than 6 decimals", strings.TrimSpace(text))
		}
		return gongkai.FromMicros(m / 10000), ""
	case target == unitNone:
		return gongkai.Null, fmt.Sprintf("unexpected money unit in a count: %q", strings.TrimSpace(text))
	}
	return v, ""
}

// scale multiplies v by f exactly, or fails when it would overflow.
func scale(v gongkai.Num, f int64, text string) (gongkai.Num, string) {
	m := v.Micros()
	if m > (1<<62)/f || m < -(1<<62)/f {
		return gongkai.Null, fmt.Sprintf("amount too large: %q", strings.TrimSpace(text))
	}
	return gongkai.FromMicros(m * f), ""
}
