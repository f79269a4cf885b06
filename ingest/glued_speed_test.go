package ingest

import (
	"slices"
	"strings"
	"testing"

	"gongkai"
)

// Reference forms of the glued reader's parts rewritten for parse speed
// (issue 11), each as it was, and the tests that compare the new forms
// with them.

// gluedFoldRef is gluedFold as it was: a new slice, neighbours read from
// the input.
func gluedFoldRef(rs []rune) []rune {
	out := make([]rune, len(rs))
	for i, r := range rs {
		switch {
		case r >= '０' && r <= '９':
			r = r - '０' + '0'
		case r == '．':
			r = '.'
		case r == '，':
			if i > 0 && i+1 < len(rs) && isDigitRune(rs[i-1]) && isDigitRune(rs[i+1]) {
				r = ','
			}
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
		out[i] = r
	}
	return out
}

// newGluedTextRef is newGluedText as it was: the text folded into a copy,
// the index grown by appending.
func newGluedTextRef(s string) *gluedText {
	g := &gluedText{text: gluedFoldRef([]rune(s)), budget: gluedDocBudget}
	g.lineStart = []int{0}
	for i, r := range g.text {
		if r == '\n' {
			g.lineStart = append(g.lineStart, i+1)
		}
		if letterOrDigit(r) {
			g.key = append(g.key, r)
			g.keyAt = append(g.keyAt, int32(i))
		}
	}
	return g
}

// gluedCellValueRef is gluedCellValue's last step as it was: the number
// written out and read by gongkai.ParseNum.
func gluedCellValueRef(text string, kind gongkai.Kind, unit string) (gongkai.Num, bool) {
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
	if !ok || len(digits) > 12 || len(digits) > 1 && digits[0] == '0' {
		return gongkai.Null, false
	}
	if neg && digits == "0" && strings.Trim(frac, "0") == "" {
		return gongkai.Null, false
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
		m := v.Micros()
		if m > 9_000_000_000_000_000/10_000 || m < -9_000_000_000_000_000/10_000 {
			return gongkai.Null, false
		}
		v = gongkai.FromMicros(m * 10_000)
	}
	return v, true
}

// gluedSpeedTexts are texts the fold and the index must treat as before,
// beyond the generated ones: commas between digits of either width, every
// rune the fold maps, invalid UTF-8.
var gluedSpeedTexts = []string{
	"", "1，234", "１，２３４", "1，，2", "，1，", "1，", "，2", "１，2", "1，２", "a，b", "１２．５", "－１", "−2", "﹣3", "＋4",
	"（5）", "\t6\u3000７\u00a08\u20029\u20030\u2009", "\u200b1\ufeff", "本年新收１，２３４\n二、上年结转０\r\n3", "\xff１，\xfe２",
	"行政规范性文件77132470\n规章000", "ａｂｃＡＢＣ\n\n", "\n", "中\n文\n",
}

func TestGluedTextAgrees(t *testing.T) {
	texts := append(slices.Clone(gluedSpeedTexts), fastPathLines(t)...)
	for _, s := range texts {
		rs := []rune(s)
		if got, want := gluedFold(rs), gluedFoldRef(rs); !slices.Equal(got, want) {
			t.Errorf("gluedFold(%q) = %q, was %q", s, string(got), string(want))
		}
		got, want := newGluedText(s), newGluedTextRef(s)
		if !slices.Equal(got.text, want.text) || !slices.Equal(got.key, want.key) || !slices.Equal(got.keyAt, want.keyAt) ||
			!slices.Equal(got.lineStart, want.lineStart) || got.budget != want.budget {
			t.Errorf("newGluedText(%.80q) = %+v, was %+v", s, *got, *want)
		}
	}
}

func TestGluedCellValueAgrees(t *testing.T) {
	cells := []string{"", "0", "00", "07", "7", "12", "1,234", "1,23", ",123", "1,234,567", "123456789012", "1234567890123",
		"0.5", "12.25", "12.", ".5", "1.1234567", "1.123456", "-1", "+1", "-0", "-0.0", "-0.5", "+0", "--1", "1-", "1.2.3",
		"999999999999.999999", "-999999999999.999999", "9,999", "1a", "1,2a4", "0,123"}
	kinds := []gongkai.Kind{gongkai.Count, gongkai.Signed, gongkai.Money}
	for _, c := range cells {
		for _, k := range kinds {
			for _, u := range []string{"", "元", "万元"} {
				v, ok := gluedCellValue(c, k, u)
				w, wok := gluedCellValueRef(c, k, u)
				if v != w || ok != wok {
					t.Errorf("gluedCellValue(%q, %v, %q) = %v %v, was %v %v", c, k, u, v, ok, w, wok)
				}
			}
		}
	}
	if gongkai.Int(1).Micros() != gluedMicros {
		t.Errorf("gluedMicros is %d, a Num holds %d micros in one", gluedMicros, gongkai.Int(1).Micros())
	}
}

// sniffGlued searches from the digits back; that finds what a search for
// each label from the start finds only while no label overlaps itself (a
// forward search skips an occurrence that starts inside the previous one).
func TestGluedSniffLabelsDoNotOverlapThemselves(t *testing.T) {
	for _, l := range gluedSniffLabels {
		for k := 1; k < len(l); k++ {
			if strings.HasPrefix(l, l[len(l)-k:]) {
				t.Errorf("label %q ends as it starts (%q)", l, l[len(l)-k:])
			}
		}
	}
	if len(gluedSniffLabels) > 32 {
		t.Errorf("%d labels: sniffGlued keeps their hits in 32 bits", len(gluedSniffLabels))
	}
}
