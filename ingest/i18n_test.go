package ingest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai"
	"gongkai/msg"
)

// checkChinese fails on a finding that cannot be shown in Chinese: one
// without a code, whose code's English is not the stored message, or
// whose Chinese leaves English words (data aside: quoted values, keys,
// paths).
func checkChinese(t *testing.T, where string, f gongkai.Finding) {
	t.Helper()
	if f.Code == "" {
		t.Errorf("%s: finding has no code: %s", where, f.Message)
		return
	}
	if en := msg.Finding(msg.EN, f.Code, f.Args, ""); en != "" {
		t.Errorf("%s: English of a code comes from the stored message, got %q", where, en)
	}
	if en := msg.T(msg.EN, msg.ID(f.Code), f.Args); en != f.Message {
		t.Errorf("%s: %s in English is\n  %q\nbut the stored message is\n  %q", where, f.Code, en, f.Message)
	}
	zh := f.Text(msg.ZH)
	if w := msg.EnglishWords(zh); len(w) > 0 {
		t.Errorf("%s: %s in Chinese leaves English %q:\n  %s\n  (English: %s)", where, f.Code, w, zh, f.Message)
	}
}

// Every finding the readers write on the golden cases (every rendering:
// PDF, GBK HTML, glued text, a misspelled label, a noisy text…) and on the
// sample district can be shown in Chinese, whole.
func TestFindingsInChinese(t *testing.T) {
	inputs, _ := filepath.Glob(filepath.Join("..", "testdata", "*", "input.*"))
	sample, _ := filepath.Glob(filepath.Join("..", "testdata", "sample", "*"))
	for _, p := range sample {
		if !strings.HasSuffix(p, ".truth.json") && !strings.HasSuffix(p, ".csv") {
			inputs = append(inputs, p)
		}
	}
	if len(inputs) < 50 {
		t.Fatalf("only %d inputs under testdata", len(inputs))
	}
	codes := map[string]int{}
	for _, p := range inputs {
		parsed, err := ParseFile(t.Context(), p)
		if err != nil {
			continue // a case of a refused file: its error is checked by the CLI's tests
		}
		for _, f := range parsed.Report.Findings {
			checkChinese(t, p, f)
			codes[f.Code]++
		}
	}
	// Readings that disagree, and damaged bytes, on the sample's first text.
	txt, _ := filepath.Glob(filepath.Join("..", "testdata", "sample", "*.txt"))
	data, err := os.ReadFile(txt[0])
	if err != nil {
		t.Fatal(err)
	}
	damaged := append(bytes.Clone(data[:200]), append([]byte{0xff, 0xfe}, data[200:]...)...)
	// A count cell that is no number.
	unclean := bytes.Replace(data, []byte("\n\t3\n"), []byte("\n\t3x\n"), 1)
	if bytes.Equal(unclean, data) {
		t.Fatal("the sample's first text has no cell \"3\" to spoil")
	}
	for i := 0; i < 7; i++ {
		damaged = append(damaged, '\n', 0xc3)
	}
	for _, c := range []struct {
		name string
		data []byte
		id   Identity
	}{
		{"disagree.txt", data, Identity{Organization: "威海市文登区泽头镇人民政府", Year: 2001, Source: "--organization/--year"}},
		{"damaged.txt", damaged, Identity{}},
		{"unclean.txt", unclean, Identity{}},
	} {
		parsed, err := ParseBytesAs(t.Context(), c.name, c.data, c.id)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, f := range parsed.Report.Findings {
			checkChinese(t, c.name, f)
			codes[f.Code]++
		}
	}
	// A JSON record given another identity.
	rec, _ := json.Marshal(mustParse(t, txt[0]))
	parsed, err := ParseBytesAs(t.Context(), "record.json", rec, Identity{Organization: "威海市文登区泽头镇人民政府", Year: 2001})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range parsed.Report.Findings {
		checkChinese(t, "record.json", f)
		codes[f.Code]++
	}
	// The test must see the kinds it is about, or it proves nothing.
	for _, want := range []msg.ID{msg.ReadGlued, msg.ReadLabelMisspelled, msg.ReadUTF8DamageMore, msg.ReadOrgDisagree,
		msg.ReadYearDisagree, msg.ReadGivenOrg, msg.ReadGivenYear, msg.ReadCell} {
		if codes[string(want)] == 0 {
			t.Errorf("no %s finding among the inputs (seen: %v)", want, codes)
		}
	}
}

func mustParse(t *testing.T, path string) *gongkai.Report {
	t.Helper()
	p, err := ParseFile(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	return p.Report
}

// Every reason a reader gives for a null cell (the {detail} of READ.cell,
// READ.row, READ.glued and table 四's findings) has its Chinese: made here
// by the readers' own functions, so a reason reworded or added without its
// Chinese fails.
func TestDetailsInChinese(t *testing.T) {
	var details []string
	add := func(s string) {
		if s == "" {
			t.Errorf("expected a reason, got none (details so far: %q)", details)
		}
		details = append(details, s)
	}
	cells := func(texts ...string) []Cell {
		var out []Cell
		for _, s := range texts {
			out = append(out, Cell{Text: s})
		}
		return out
	}
	_, p := fit(cells("1", "2", "3"), 2, alignExact)
	add(p)
	_, p = fit(cells("1", "2", "3"), 2, alignLeft)
	add(p)
	_, p = fit(cells("1", "2"), 3, alignLeft)
	add(p)
	for _, c := range []struct {
		text string
		u    unit
	}{{"一二", unitNone}, {"1.2.3", unitNone}, {"12元", unitNone}, {"1.1234567元", unitWanYuan},
		{"99999999999999万元", unitYuan}} {
		_, p := cellValue(c.text, c.u)
		add(p)
	}
	// A number printed across a PDF cell border.
	a, b := &pdfCell{}, &pdfCell{}
	tbl := &pdfTable{placed: []pdfGlyph{{s: "1", x: 10, y: 10, size: 10, cell: a}, {s: "2", x: 11, y: 10, size: 10, cell: b}}}
	tbl.markOverflow()
	add(a.unsure)
	// Glued digit runs: characters, too long, no cut, several readings.
	budget := 1 << 20
	add(splitRow("12x4", review5, r4What, &budget).reason)
	add(splitRow("1", review5, r4What, &budget).reason)
	add(splitRow("101012", review5, r4What, &budget).reason)
	add(splitRow("2002224", review5, r4What, &budget).reason)
	c := splitRow("1", sec3Spec, r2What, &budget)
	c.settle(r2What + " and the column rules R1/R3")
	add(c.reason)
	small := 1
	add(splitRow("12345678901234567890", review15, r4What, &small).reason)
	for _, d := range details {
		zh := msg.Phrase(msg.ZH, d)
		if zh == d {
			t.Errorf("reason %q has no Chinese (msg/read.go's phraseList)", d)
			continue
		}
		if w := msg.EnglishWords(zh); len(w) > 0 {
			t.Errorf("reason %q in Chinese leaves English %q: %s", d, w, zh)
		}
	}
}

// Every place a reader names ("table 2 row 5 col 3", "page 1 line 4",
// "line 12 cell 2", "paragraph 7") and every clue of an author is in
// Chinese, as the golden cases and the sample write them.
func TestPlacesInChinese(t *testing.T) {
	inputs, _ := filepath.Glob(filepath.Join("..", "testdata", "*", "input.*"))
	seen := map[string]bool{}
	for _, p := range inputs {
		parsed, err := ParseFile(t.Context(), p)
		if err != nil {
			continue
		}
		for path, src := range parsed.Report.Provenance {
			if src.Loc == "" || seen[src.Loc] {
				continue
			}
			seen[src.Loc] = true
			if zh := msg.Phrase(msg.ZH, src.Loc); zh == src.Loc || len(msg.EnglishWords(zh)) > 0 {
				t.Errorf("%s %s: place %q in Chinese is %q", p, path, src.Loc, zh)
			}
		}
	}
	if len(seen) < 20 {
		t.Fatalf("only %d places seen", len(seen))
	}
}
