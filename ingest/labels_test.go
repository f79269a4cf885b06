package ingest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gongkai"
)

func mustParseBytes(t *testing.T, name string, data []byte) *gongkai.Report {
	t.Helper()
	p, err := ParseBytes(t.Context(), name, data)
	if err != nil {
		t.Fatal(err)
	}
	return p.Report
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "labels", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func row(vals ...int64) [gongkai.NumColumns]gongkai.Num {
	var out [gongkai.NumColumns]gongkai.Num
	for i, v := range vals {
		if v >= 0 {
			out[i] = gongkai.Int(v)
		}
	}
	return out
}

var nullRow [gongkai.NumColumns]gongkai.Num

// findingsFor lists r's findings of rule with status that name path.
func findingsFor(r *gongkai.Report, rule string, status gongkai.Status, path string) []gongkai.Finding {
	var out []gongkai.Finding
	for _, f := range r.Findings {
		if f.Rule != rule || f.Status != status {
			continue
		}
		for _, w := range f.Where {
			if covers(w, path) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// TestLabelsAsPrinted reads a 2021 report in | text whose labels are
// misspelled as real PDFs misspell them (FORMAT.md §8) and which prints
// （六）其他处理 as one row (§3). Expected numbers are read off the fixture
// by eye: line 35 "2.其他法律行政止公开 | 5 | 0 | 0 | 0 | 0 | 0 | 5", line 37
// "4.保护第三方合法权 | 4 | 0 | 0 | 0 | 1 | 0 | 5", line 21 "行政处法 | 193",
// line 50 "（六）其他处理 | | 20 | 1 | 0 | 0 | 0 | 0 | 21"; its prose says
// 共收到…318件 where the table's 本年新收 总计 is 313.
func TestLabelsAsPrinted(t *testing.T) {
	r := mustParseBytes(t, "typos_single_other.pipe.txt", readFixture(t, "typos_single_other.pipe.txt"))
	if r.FormatVersion != gongkai.V2021 || !r.SingleOther {
		t.Fatalf("version %s, single （六） %v; want 2021 printed with a single （六）", r.FormatVersion, r.SingleOther)
	}
	for _, tc := range []struct {
		key  string
		want [gongkai.NumColumns]gongkai.Num
	}{
		{"3_3_2", row(5, 0, 0, 0, 0, 0, 5)},
		{"3_3_4", row(4, 0, 0, 0, 1, 0, 5)},
		{"3_6", row(20, 1, 0, 0, 0, 0, 21)},
		{"3_6_1", nullRow}, {"3_6_2", nullRow}, {"3_6_3", nullRow},
		{"3_7_total", row(258, 38, 3, 3, 9, 3, 314)},
	} {
		if got := *r.Applications[tc.key]; got != tc.want {
			t.Errorf("%s = %v, want %v", tc.key, got, tc.want)
		}
	}
	if got := r.Active["punishment"]["decisions"]; got != gongkai.Int(193) {
		t.Errorf("行政处法 (行政处罚) decisions = %v, want 193", got)
	}
	// The misspelled labels are named, and nothing fails but R8.
	for _, p := range []string{"applications.3_3_2", "applications.3_3_4", "active.punishment"} {
		if len(findingsFor(r, gongkai.RuleRead, gongkai.Uncertain, p+".total")) == 0 &&
			len(findingsFor(r, gongkai.RuleRead, gongkai.Uncertain, p+".decisions")) == 0 {
			t.Errorf("no READ note on the misspelled label of %s", p)
		}
	}
	for _, f := range r.Findings {
		if f.Status == gongkai.Failed && f.Rule != gongkai.R8 {
			t.Errorf("unexpected failure: %v", f)
		}
		if f.Rule == gongkai.RuleRead && f.Severity != gongkai.SevInfo {
			t.Errorf("unexpected READ warning: %v", f)
		}
	}
	if len(findingsFor(r, gongkai.R8, gongkai.Failed, "narrative.requests_received")) != 1 {
		t.Errorf("R8 did not report 318 against 313: %v", r.Findings)
	}
}

// TestSingleOtherGlued: glued page text of a 2021 report printed with one
// （六）其他处理 row ("（六）其他处理110000011（七）总计…"). Read with the 2021
// sub-rows, its run went into 3.其他 (3_6_3) with no finding; it belongs
// in 3_6. "110000011" splits as 11|0|0|0|0|0|11 or 1|10|0|0|0|0|11 by R2;
// the column rules keep the first (the truth file beside the generated
// report says 11 natural persons).
func TestSingleOtherGlued(t *testing.T) {
	r := mustParseBytes(t, "single_other_2022.glued.txt", readFixture(t, "single_other_2022.glued.txt"))
	if !r.SingleOther {
		t.Fatal("single （六） row not recognized")
	}
	if got, want := *r.Applications["3_6"], row(11, 0, 0, 0, 0, 0, 11); got != want {
		t.Errorf("3_6 = %v, want %v", got, want)
	}
	for _, k := range []string{"3_6_1", "3_6_2", "3_6_3"} {
		if got := *r.Applications[k]; got != nullRow {
			t.Errorf("%s = %v, want null", k, got)
		}
	}
	if fs := gongkai.Check(r); len(findingsOfRule(fs, gongkai.R3)) != 0 {
		t.Errorf("R3 on the single （六） row: %v", findingsOfRule(fs, gongkai.R3))
	}
}

func findingsOfRule(fs []gongkai.Finding, rule string) []gongkai.Finding {
	var out []gongkai.Finding
	for _, f := range fs {
		if f.Rule == rule && f.Status != gongkai.NotCheckable {
			out = append(out, f)
		}
	}
	return out
}

// TestShiftedWordTextRow: Word's text export writes one line per cell, so
// a row of 1.属于国家秘密 with its 自然人 cell blank and one stray value line
// has eight value lines. Dropping the blank one read the row one column
// off (自然人 0 instead of blank) with nothing to say so; the row is now
// null under a READ finding.
func TestShiftedWordTextRow(t *testing.T) {
	base := string(readFixture(t, "single_other_2022.word.txt"))
	// Lines 119–126: the label, then 1 0 0 0 0 0 1.
	orig := "\t1.属于国家秘密\n\t1\n\t0\n\t0\n\t0\n\t0\n\t0\n\t1\n\n"
	if !strings.Contains(base, orig) {
		t.Fatal("fixture changed: 1.属于国家秘密 row not found")
	}
	blank := "\t1.属于国家秘密\n\t\n\t0\n\t0\n\t0\n\t0\n\t0\n\t1\n\n"
	r := mustParseBytes(t, "blank.txt", []byte(strings.Replace(base, orig, blank, 1)))
	if got, want := *r.Applications["3_3_1"], row(-1, 0, 0, 0, 0, 0, 1); got != want {
		t.Fatalf("blank cell: 3_3_1 = %v, want %v", got, want)
	}
	stray := "\t1.属于国家秘密\n\t\n\t0\n\t0\n\t0\n\t0\n\t0\n\t1\n\t0\n\n"
	r = mustParseBytes(t, "stray.txt", []byte(strings.Replace(base, orig, stray, 1)))
	if got := *r.Applications["3_3_1"]; got != nullRow {
		t.Errorf("stray line: 3_3_1 = %v, want null (the row may be shifted)", got)
	}
	if len(findingsFor(r, gongkai.RuleRead, gongkai.Uncertain, "applications.3_3_1.natural_person")) == 0 {
		t.Errorf("no READ finding names the shifted row: %v", r.Findings)
	}
}

func TestResolveLabel(t *testing.T) {
	cands := []labelCandidate{
		{"3_3_1", "1.属于国家秘密"}, {"3_3_2", "2.其他法律行政法规禁止公开"}, {"3_3_3", "3.危及“三安全一稳定”"},
	}
	for _, tc := range []struct {
		printed string
		cands   []labelCandidate
		want    string
		amb     int
	}{
		{"2.其他法律行政止公开", cands, "3_3_2", 0}, // three characters dropped (FORMAT.md §8)
		{"其他法律行政法规禁公开", cands, "3_3_2", 0}, // no numbering, one dropped
		{"1.属于家国秘密", cands, "3_3_1", 0},    // swapped
		// The printed numbering "3." rules out 3_3_2, and 3_3_3's wording
		// is too far: nothing is placed (the row stays null, named as
		// not found).
		{"3.其他法律行政法规禁止公开", cands, "", 0},
		{"本年收费金额", cands, "", 0}, // no row of this table
		// Two rows the label fits equally: null, never a guess.
		{"申请公开", []labelCandidate{{"a", "申请公开甲"}, {"b", "申请公开乙"}}, "", 2},
	} {
		got, amb := resolveLabel(tc.printed, tc.cands)
		if got != tc.want || len(amb) != tc.amb {
			t.Errorf("resolveLabel(%q) = %q, %v; want %q with %d ambiguous", tc.printed, got, amb, tc.want, tc.amb)
		}
	}
}

func TestFuzzyContains(t *testing.T) {
	for _, tc := range []struct {
		n, h string
		want bool
	}{
		{"本年制发件", "本年制发件数", true},
		{"本年制作发件数", "本年制发件数", true},
		{"本年废止件数", "本年制发件数", false},
		{"自然", "自然人", false},
		{"申请人情况", "申请人情况", true},
	} {
		if got := fuzzyContains(tc.n, tc.h); got != tc.want {
			t.Errorf("fuzzyContains(%q, %q) = %v", tc.n, tc.h, got)
		}
	}
}

// TestAmbiguousLabel: a 2021 | table whose two （六） sub-rows 1 and 2 are
// both printed "申请人逾期、行政机关不再处理其政府信息公开申请" (no numbering). The
// label fits 3_6_1 and 3_6_2 about equally (it shares the whole 行政机关…申请
// tail with both): both rows stay null under a READ finding naming both,
// never a guess; 3.其他 (8 0 0 0 0 0 8, line 52) is read as printed.
func TestAmbiguousLabel(t *testing.T) {
	r := mustParseBytes(t, "ambiguous_label.pipe.txt", readFixture(t, "ambiguous_label.pipe.txt"))
	for _, k := range []string{"3_6_1", "3_6_2"} {
		if got := *r.Applications[k]; got != nullRow {
			t.Errorf("%s = %v, want null", k, got)
		}
		found := false
		for _, f := range findingsFor(r, gongkai.RuleRead, gongkai.Uncertain, "applications."+k+".total") {
			found = found || strings.Contains(f.Message, "equally")
		}
		if !found {
			t.Errorf("no READ finding says %s is ambiguous: %v", k, r.Findings)
		}
	}
	if got, want := *r.Applications["3_6_3"], row(8, 0, 0, 0, 0, 0, 8); got != want {
		t.Errorf("3_6_3 = %v, want %v", got, want)
	}
}

// TestGluedMisspelledLabel: in glued text a misspelled label runs straight
// into its digits. 行政事业性收费 printed without 费 before 288.9434 must be
// found as "行政事业性收", leaving the run whole (the match once took the
// digit 2 for the missing 费 and the amount came out 88.9434, silently).
func TestGluedMisspelledLabel(t *testing.T) {
	for _, tc := range []struct{ text, label, want string }{
		{"第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收288.9434 三、", "行政事业性收费", "行政事业性收"},
		{"（五）不予处理…0000000（六）其处他理0000000（七）总计", "（六）其他处理", "六)其处他理"},              // swapped: one edit
		{"1.属于国家秘密00000002.其他法律行政止公开00000003.危及", "2.其他法律行政法规禁止公开", "其他法律行政止公开"}, // three dropped
	} {
		g := newGluedText(tc.text)
		s, e, ok := g.approxFind(tc.label, 0, len(g.text))
		if !ok || string(g.text[s:e]) != tc.want {
			t.Errorf("approxFind(%q) in %q = %q, %v; want %q", tc.label, tc.text, string(g.text[s:min(max(e, s), len(g.text))]), ok, tc.want)
		}
	}
}

// FuzzResolveLabel: any printed label gives one of the candidates, or none,
// never both a key and an ambiguity.
func FuzzResolveLabel(f *testing.F) {
	for _, s := range []string{"2.其他法律行政止公开", "申请公开", "", "（六）其他处理", "3.其他"} {
		f.Add(s)
	}
	var cands []labelCandidate
	for _, r := range gongkai.LayoutSingleOther().Rows {
		cands = append(cands, labelCandidate{r.Key, r.Label})
	}
	f.Fuzz(func(t *testing.T, printed string) {
		key, amb := resolveLabel(printed, cands)
		if key != "" && len(amb) > 0 {
			t.Fatalf("%q: both %q and ambiguous %v", printed, key, amb)
		}
		if key != "" && !slices.ContainsFunc(cands, func(c labelCandidate) bool { return c.key == key }) {
			t.Fatalf("%q: %q is no candidate", printed, key)
		}
	})
}

// FuzzGluedApproxFind: a match lies inside the text searched and, for a
// label without digits of its own, holds no digit (digits belong to runs).
func FuzzGluedApproxFind(f *testing.F) {
	f.Add("行政事业性收288.9434 三、", "行政事业性收费")
	f.Add("（六）其处他理0000000（七）总计", "（六）其他处理")
	f.Fuzz(func(t *testing.T, text, label string) {
		if len(text) > 2000 || len(label) > 200 {
			return
		}
		g := newGluedText(text)
		s, e, ok := g.approxFind(label, 0, len(g.text))
		if !ok {
			return
		}
		if s < 0 || e > len(g.text) || s >= e {
			t.Fatalf("match [%d, %d) outside the text of %d runes", s, e, len(g.text))
		}
		body := strings.TrimLeft(string(gluedFold([]rune(label))), "0123456789")
		if strings.ContainsAny(body, "0123456789") {
			return // a label with digits of its own may match them
		}
		for _, r := range g.text[s:e] {
			if r >= '0' && r <= '9' {
				t.Fatalf("match %q holds a digit", string(g.text[s:e]))
			}
		}
	})
}
