package ingest

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"gongkai/gen"
)

// The readers' hot paths are written out instead of going through a
// regexp or a general algorithm (issue 11: parsing was dominated by them).
// Each written-out form must answer exactly as the form it replaced: these
// tests compare them on every line of a generated district in every text
// and HTML rendering, and on edge cases.

// fuzzyContainsRef is fuzzyContains as it was before its pre-filter: the
// plain edit-distance match on every call.
func fuzzyContainsRef(n, h string) bool {
	if strings.Contains(n, h) {
		return true
	}
	return utf8.RuneCountInString(h) >= 4 && withinOneEdit(n, h)
}

// normLabelRef is normLabel as it was: every rune through the Unicode
// tables.
func normLabelRef(s string) string {
	s = foldWidth(dropBookmarks(s))
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// looksEscapedRef is looksEscaped as it was: the whole page lower-cased.
func looksEscapedRef(text string) bool {
	l := strings.ToLower(text)
	if strings.Contains(l, "<script") {
		return false
	}
	return strings.Contains(l, `=\"`) || strings.Contains(l, `=\'`) ||
		strings.Contains(l, `\u003ctd`) || strings.Contains(l, `\u003ctable`)
}

// fastPathLines returns every line of a generated district in every text
// and HTML rendering, and the edge cases the written-out forms must get
// right.
func fastPathLines(t *testing.T) []string {
	t.Helper()
	items, err := gen.Build(gen.Options{
		District: "威海市文登区", Townships: 3, Departments: 2, FirstYear: 2020, LastYear: 2021,
		Seed: 3, Violations: 0.1, Noise: 0.5, Typos: 0.5, SingleOther: 0.3, Blanks: 0.2,
	})
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{
		"", " ", "|", " | ", "a|", "a |  ", " a|b", "a||", "||", "| |", "\t|\t", "a|\u3000", "\u3000|",
		"---", "|---|---|", "| --- | :---: |", "|:--|--:|", "---|---", "-- | --", "| a | b |",
		"本年制发件", "本年制发件数", "本年製发件数", "年制发件数", "本年制件数", "本本年制发件数",
		"上一年项目数量", "上年项目数量", "上一年项目数", "一年项目", "采购总金额（万元）", "采购金额",
		`<SCRIPT>`, `<ScRiPt`, "<TABLE", "<TᴬBLE", "<\u212aTD", "<\u0130TD", "<T\xffD", "<HtMl", `\U003CTABLE`, "&LT;TD", `\U003CTD`, `x=\"2\"`, `\u003cTable`, `<scrİpt`, `\u003c`, "<", "<scrip",
		"（三）不予公开 1.属于国家秘密", "(三)不予公开\n1、属于国家秘密", "\xff\xfe本年", "a\xffb", "ＡＢＣ１２３",
	}
	for _, rn := range gen.AllRenderings() {
		if rn == gen.PDF || rn == gen.DOCX {
			continue
		}
		docs, err := gen.RenderBatch(t.Context(), rn, items)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			text := decodeText(d)
			lines = append(lines, text) // the whole document too
			lines = append(lines, strings.Split(text, "\n")...)
		}
	}
	return lines
}

func TestWrittenOutMatchersAgree(t *testing.T) {
	hints := append(append([]string{"申请人情况", "结果维持", "复议后起诉"}, hints2019...), hints2021...)
	lines := fastPathLines(t)
	for _, l := range lines {
		if got, want := cellLine(l), cellLineRE.MatchString(l); got != want {
			t.Errorf("cellLine(%q) = %v, cellLineRE says %v", l, got, want)
		}
		if got, want := barsLine(l), barsRE.MatchString(l); got != want {
			t.Errorf("barsLine(%q) = %v, barsRE says %v", l, got, want)
		}
		if got, want := mdSep(l), mdSepRE.MatchString(l); got != want {
			t.Errorf("mdSep(%q) = %v, mdSepRE says %v", l, got, want)
		}
		if got, want := looksEscaped(l), looksEscapedRef(l); got != want {
			t.Errorf("looksEscaped(%.80q) = %v, was %v", l, got, want)
		}
		for _, m := range htmlNeedles { // htmlishLower looks for three of them
			if got, want := bytes.Contains(asciiLower([]byte(l)), m), bytes.Contains(bytes.ToLower([]byte(l)), m); got != want {
				t.Errorf("asciiLower(%.80q) has %q: %v, bytes.ToLower says %v", l, m, got, want)
			}
		}
		if got, want := normLabel(l), normLabelRef(l); got != want {
			t.Errorf("normLabel(%q) = %q, was %q", l, got, want)
		}
		n := normLabel(l)
		for _, h := range hints {
			if got, want := fuzzyContains(n, h), fuzzyContainsRef(n, h); got != want {
				t.Errorf("fuzzyContains(%q, %q) = %v, the full match says %v", n, h, got, want)
			}
		}
		if !(strings.Contains(l, "年") && strings.Contains(l, "公开")) && titleRE.MatchString(normYears(l)) {
			t.Errorf("titleMatch(%q) would skip a title", l)
		}
		if !strings.ContainsAny(l, ":：") && headerKeyRE.MatchString(l) {
			t.Errorf("headerFields(%q) would skip a header field", l)
		}
	}
	// Misspellings one edit away, made from the hints themselves: every
	// single-rune drop, change and insertion must still be found.
	for _, h := range hints {
		r := []rune(h)
		for i := range r {
			for _, v := range []string{
				string(r[:i]) + string(r[i+1:]),
				string(r[:i]) + "某" + string(r[i+1:]),
				string(r[:i]) + "某" + string(r[i:]),
				"前" + string(r[:i]) + "某某" + string(r[i+1:]) + "后",
			} {
				if got, want := fuzzyContains(v, h), fuzzyContainsRef(v, h); got != want {
					t.Errorf("fuzzyContains(%q, %q) = %v, the full match says %v", v, h, got, want)
				}
			}
		}
	}
}
