package ingest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gongkai"
	"gongkai/gen"
)

// Titles as real reports print them (FORMAT.md §9), one per line or over
// two lines, with what they say. The organizations are made up; the forms
// are the ones seen.
func TestTitleForms(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		at    int // the line the title is read at
		org   string
		year  int
	}{
		{"org year", []string{"淮安市洪泽区人民政府2024年政府信息公开工作年度报告"}, 0, "淮安市洪泽区人民政府", 2024},
		{"org year 年度", []string{"平潭综合实验区2019年度政府信息公开工作年度报告"}, 0, "平潭综合实验区", 2019},
		{"year first", []string{"2019年上海市人民政府办公厅政府信息公开工作年度报告"}, 0, "上海市人民政府办公厅", 2019},
		{"year first, 政府 doubled", []string{"2023年丙县人民政府政府信息公开工作年度报告"}, 0, "丙县人民政府", 2023},
		{"year first, 政府 merged", []string{"2023年丙县人民政府信息公开工作年度报告"}, 0, "丙县人民政府", 2023},
		{"关于", []string{"盐边县新九镇人民政府关于2021年度政府信息公开工作的年度报告"}, 0, "盐边县新九镇人民政府", 2021},
		{"two lines, space before 年", []string{"淮安市洪泽区人民政府", "2024 年政府信息公开工作年度报告"}, 1, "淮安市洪泽区人民政府", 2024},
		{"two lines 关于", []string{"盐边县新九镇人民政府", "关于2021年度政府信息公开工作的年度报告"}, 1, "盐边县新九镇人民政府", 2021},
		{"Chinese numerals", []string{"甲乙镇人民政府二〇二三年政府信息公开工作年度报告"}, 0, "甲乙镇人民政府", 2023},
		{"Chinese numerals 零", []string{"二零二二年度甲市生态环境局政府信息公开工作年度报告"}, 0, "甲市生态环境局", 2022},
		{"Chinese numerals, two lines", []string{"乙街道办事处", "二〇二〇 年政府信息公开工作年度报告"}, 1, "乙街道办事处", 2020},
		{"wrapped title", []string{"淮安市洪泽区人民政府2024年政府信息公开工作年度", "报告"}, 0, "淮安市洪泽区人民政府", 2024},
		{"org broken over two lines", []string{"淮安市洪泽区", "人民政府", "2024年政府信息公开工作年度报告"}, 2, "淮安市洪泽区人民政府", 2024},
		{"org below in brackets", []string{"2023年政府信息公开工作年度报告", "(丁镇人民政府)"}, 0, "丁镇人民政府", 2023},
		{"bracketed alias", []string{"银川市民族事务委员会(宗教事务局)2022年政府信息公开工作年度报告"}, 0, "银川市民族事务委员会（宗教事务局）", 2022},
		{"page furniture before", []string{"当前位置: 首页政务公开政府信息公开年报 平潭综合实验区2021年度政府信息公开工作年度报告 来源:平潭县人民政府 时间:2022-02-08"}, 0, "平潭综合实验区", 2021},
		{"glued page text", []string{"平潭综合实验区2019年政府信息公开工作年度报告 根据《中华人民共和国政府信息公开条例》"}, 0, "平潭综合实验区", 2019},
		{"Markdown heading", []string{"# 戊局", "# 2021 年政府信息公开工作年度报告"}, 1, "", 2021},
		{"Markdown heading, long name", []string{"# 己市交通运输局", "# 2021 年政府信息公开工作年度报告"}, 1, "己市交通运输局", 2021},
		{"letter-spaced", []string{"庚 镇 人 民 政 府", "2021年政府信息公开工作年度报告"}, 1, "庚镇人民政府", 2021},
		{"year and no org", []string{"关于2021年度政府信息公开工作的年度报告"}, 0, "", 2021},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines := make([]string, len(c.lines))
			for i, l := range c.lines {
				lines[i] = cleanText(l)
			}
			got, ok := titleAt(lines, c.at)
			if !ok {
				t.Fatalf("no title read in %q", c.lines)
			}
			if got.org != c.org || got.year != c.year {
				t.Errorf("read %q %d, want %q %d", got.org, got.year, c.org, c.year)
			}
		})
	}
	// Not titles: a sentence citing another document, a title's words
	// inside prose.
	for _, l := range []string{
		"根据《国务院办公厅关于做好2023年政府信息公开工作年度报告编制工作的通知》要求",
		"按要求编制2023年政府信息公开工作年度报告并向社会公布，现将有关情况报告如下",
	} {
		if got, ok := titleAt([]string{cleanText(l)}, 0); ok {
			t.Errorf("%q read as a title: %+v", l, got)
		}
	}
}

// doc builds a document of prose lines.
func proseDoc(rendering string, lines ...string) *Document {
	d := &Document{Path: "x", Rendering: rendering}
	for i, l := range lines {
		d.Lines = append(d.Lines, Line{Text: l, Loc: lineLoc(i)})
	}
	return d
}

func findingsAt(fs []gongkai.Finding, where string) []gongkai.Finding {
	var out []gongkai.Finding
	for _, f := range fs {
		if slices.Contains(f.Where, where) {
			out = append(out, f)
		}
	}
	return out
}

// When the places disagree, the title wins and a finding names both; an
// office of the organization, or its name without 人民, is no
// disagreement; a publisher (来源) never makes one.
func TestIdentityDisagreement(t *testing.T) {
	d := proseDoc("word_text",
		"甲县人民政府",
		"2023年政府信息公开工作年度报告",
		"来源：乙县人民政府",
		"本报告由甲县人民政府办公室编制。结合2022年甲县政府信息公开工作实际，编制本报告。",
		"一、总体情况",
		"丙县人民政府",
		"2024年1月22日",
	)
	m := readMeta(d)
	if m.organization != "甲县人民政府" || m.year != 2023 || m.published != "2024-01-22" {
		t.Fatalf("read %q %d %q", m.organization, m.year, m.published)
	}
	r := gongkai.NewReport(gongkai.V2021)
	applyMeta(r, m)
	org := findingsAt(r.Findings, "organization")
	if len(org) != 1 || !strings.Contains(org[0].Message, "丙县人民政府") || !strings.Contains(org[0].Message, "signature") ||
		!strings.Contains(org[0].Message, "title") {
		t.Errorf("organization findings %v, want one naming the signature's 丙县人民政府 against the title", org)
	}
	year := findingsAt(r.Findings, "report_year")
	if len(year) != 1 || !strings.Contains(year[0].Message, "2022") || !strings.Contains(year[0].Message, "2023 is kept") {
		t.Errorf("year findings %v, want one naming the body's 2022", year)
	}
	if p := r.Provenance["organization"]; p.Loc != "title (line 2)" {
		t.Errorf("organization provenance %+v", p)
	}
	if p := r.Provenance["published_on"]; p.Loc != "signature (line 6)" {
		t.Errorf("date provenance %+v", p)
	}

	// What the user states wins; the document's title then disagrees.
	d.Given = Identity{Organization: "丁县人民政府", Year: 2023, Source: "--organization/--year"}
	m = readMeta(d)
	r = gongkai.NewReport(gongkai.V2021)
	applyMeta(r, m)
	if m.organization != "丁县人民政府" || m.year != 2023 {
		t.Errorf("given identity not kept: %q %d", m.organization, m.year)
	}
	if org := findingsAt(r.Findings, "organization"); len(org) < 2 || !strings.Contains(org[0].Message, "--organization/--year names 丁县人民政府, title (line 2) names 甲县人民政府") {
		t.Errorf("findings %v", org)
	}
}

// With no year stated anywhere, the publication date (January to June)
// gives the year before it, under a finding; a date later in the year
// gives nothing, and the error then names every place tried.
func TestIdentityYearFromDate(t *testing.T) {
	m := readMeta(proseDoc("html", "甲镇人民政府政府信息公开工作年度报告", "一、总体情况", "甲镇人民政府", "2024年3月2日"))
	if m.organization != "甲镇人民政府" || m.year != 2023 {
		t.Fatalf("read %q %d", m.organization, m.year)
	}
	if fs := findingsAt(m.id.findings, "report_year"); len(fs) != 1 || !strings.Contains(fs[0].Message, "2024-03-02") {
		t.Errorf("findings %v", fs)
	}
	m = readMeta(proseDoc("html", "甲镇人民政府", "一、总体情况", "2024年9月2日"))
	if m.year != 0 {
		t.Fatalf("a September date gave the year %d", m.year)
	}
	err := m.id.missing()
	if !errors.Is(err, gongkai.ErrNoIdentity) {
		t.Fatalf("err %v", err)
	}
	for _, want := range []string{"no year found", "the title", "HTML <title>", "header lines", "signature", "the body", "has only the date 2024-09-02"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

// A saved page's header lines: 标题 gives a title, 发布机构 and 来源 a
// publisher, 发布时间 a date; several on one line are split.
func TestHeaderFields(t *testing.T) {
	got := headerFields(cleanText("www.panzhihua.gov.cn     发布时间:2022-01-25     来源:新九镇党政办      选择阅读字号:[ ]"), "line 2")
	want := []Property{
		{Source: "发布时间 line", Kind: PropDate, Value: "2022-01-25", Loc: "line 2"},
		{Source: "来源 line", Kind: PropOrg, Value: "新九镇党政办", Loc: "line 2"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	m := readMeta(&Document{Rendering: "glued_text", Properties: rawHeaderFields([]byte(
		"标题: 平潭综合实验区2023年度政府信息公开工作年度报告\n发布时间: 2024-03-08 15:34\n发布机构: 平潭综合实验区管委会办公室\n"))})
	if m.organization != "平潭综合实验区" || m.year != 2023 {
		t.Errorf("read %q %d from the header lines", m.organization, m.year)
	}
	if len(m.id.findings) != 0 {
		t.Errorf("an office of the organization as publisher is no disagreement: %v", m.id.findings)
	}
}

// PDF strings in metadata: UTF-16 big-endian (the standard), little-endian
// (as WPS writes it: seen in a real report), UTF-8, PDFDocEncoding.
func TestPDFString(t *testing.T) {
	for raw, want := range map[string]string{
		"\xfe\xff\x6d\xee\x5b\x89":                 "淮安",
		"\xff\xfe\x3f\x65\x9c\x5e":                 "政府",
		"淮安市人民政府":                                  "淮安市人民政府",
		"Report 2023":                              "Report 2023",
		"\xff\xfe\x8b\x73\x88\x5b\x3a\x5f":         "王守强",
		"\xfe\xff\x00\x32\x00\x30\x00\x32\x00\x33": "2023",
	} {
		if got := pdfString(raw); got != want {
			t.Errorf("pdfString(%q) = %q, want %q", raw, got, want)
		}
	}
}

// A damaged byte loses nothing else: one invalid byte appended (a download
// cut mid-character) or inserted in the middle of a character in the prose,
// in Word text, | text, glued page text, an HTML page and a page carrying
// the report in a JavaScript string, still reads every cell, the identity
// and the narrative, and a finding names the damage. A page served in GBK
// is still read as GBK.
func TestDamagedByte(t *testing.T) {
	items, err := gen.Build(gen.Options{District: "威海市文登区", Townships: 1, Departments: 1, FirstYear: 2020, LastYear: 2023, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	damage := map[string]func([]byte) []byte{
		"appended": func(b []byte) []byte { return append(bytes.Clone(b), 0xe6, 0x96) },
		"inserted": func(b []byte) []byte {
			// inside the first character of 扎实做好 in section 一's prose
			i := bytes.Index(b, []byte("扎实做好"))
			if i < 0 {
				return nil
			}
			return slices.Concat(b[:i+1], []byte{0xff}, b[i+1:])
		},
	}
	for _, rendering := range []string{gen.WordText, gen.PipeText, gen.CellLines, gen.Paragraph, gen.GluedText, gen.HTML, gen.HTMLJS} {
		for how, spoil := range damage {
			t.Run(rendering+"/"+how, func(t *testing.T) {
				for _, it := range items {
					clean, err := gen.Render(t.Context(), rendering, it)
					if err != nil {
						t.Fatal(err)
					}
					data := spoil(clean)
					if data == nil {
						t.Fatalf("%s: nowhere to insert the byte", it.Base)
					}
					want, err := ParseBytes(t.Context(), "clean", clean)
					if err != nil {
						t.Fatal(err)
					}
					got, err := ParseBytes(t.Context(), it.Base, data)
					if err != nil {
						t.Fatalf("%s: %v", it.Base, err)
					}
					if got.Report.Organization != it.Record.Organization || got.Report.ReportYear != it.Record.ReportYear {
						t.Errorf("%s: identity %q %d", it.Base, got.Report.Organization, got.Report.ReportYear)
					}
					for _, c := range want.Report.Cells() {
						if v, _ := got.Report.Get(c.Path()); v != c.Value {
							t.Errorf("%s: %s = %v, undamaged %v", it.Base, c.Path(), v, c.Value)
						}
					}
					if !maps2Equal(want.Report.Narrative, got.Report.Narrative) {
						t.Errorf("%s: narrative %v, undamaged %v", it.Base, got.Report.Narrative, want.Report.Narrative)
					}
					found := false
					for _, f := range got.Report.Findings {
						found = found || f.Rule == gongkai.RuleRead && strings.Contains(f.Message, "damaged byte")
					}
					if !found {
						t.Errorf("%s: no finding names the damaged byte", it.Base)
					}
				}
			})
		}
	}
	// GBK stays GBK: no damage reported, the same report read.
	for _, it := range items[:1] {
		gbk, err := gen.Render(t.Context(), gen.HTMLGBK, it)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ParseBytes(t.Context(), it.Base, gbk)
		if err != nil || p.Report.Organization != it.Record.Organization {
			t.Fatalf("GBK page: %v %+v", err, p.Report)
		}
		for _, f := range p.Report.Findings {
			if strings.Contains(f.Message, "damaged byte") {
				t.Errorf("GBK page reported as damaged UTF-8: %s", f)
			}
		}
	}
}

func maps2Equal(a, b map[string]gongkai.Num) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// The decision between damaged UTF-8 and GB18030 weighs the evidence.
func TestUTF8Damage(t *testing.T) {
	utf := []byte(strings.Repeat("政府信息公开工作年度报告", 10))
	if _, n, ok := utf8Damage(append(bytes.Clone(utf), 0xe6)); !ok || n != 1 {
		t.Errorf("one byte cut off: %d damaged, UTF-8 %v", n, ok)
	}
	gbk, err := os.ReadFile(filepath.Join("testdata", "html", "word_export_gbk.html"))
	if err == nil {
		if _, _, ok := utf8Damage(gbk); ok {
			t.Errorf("a GBK page taken for damaged UTF-8")
		}
	}
	short := []byte("年报\xff")
	if _, _, ok := utf8Damage(short); ok {
		t.Errorf("two characters and a bad byte are no evidence for UTF-8")
	}
}

// A reader whose records the store would refuse has them fail at parse
// time, each named, and the run goes on: none of it is a store fault.
func TestRunRefusesInvalidRecords(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt", "g.txt"} {
		os.WriteFile(filepath.Join(dir, n), []byte(n), 0o644)
	}
	parse := func(_ context.Context, name string, data []byte) (gongkai.Parsed, error) {
		r := gongkai.NewReport(gongkai.V2021)
		r.Organization, r.ReportYear = "甲镇人民政府"+string(data[:1]), 2023
		switch filepath.Base(name) {
		case "a.txt":
			r.Organization = ""
		case "b.txt":
			r.ReportYear = 0
		}
		return gongkai.Parsed{Report: r}, nil
	}
	sink := newMemSink()
	sum, err := Run(t.Context(), Options{Inputs: []string{dir}, Parse: parse, BatchSize: 2, Workers: 1}, sink)
	if err != nil {
		t.Fatalf("run ended: %v", err)
	}
	if sum.Added != 5 || sum.Failed != 2 || len(sum.Failures) != 2 {
		t.Fatalf("summary %+v", sum)
	}
	for i, want := range []string{"names no organization", "has no year"} {
		f := sum.Failures[i]
		if !errors.Is(f.Err, gongkai.ErrInvalidRecord) || !strings.Contains(f.Err.Error(), want) || !strings.HasSuffix(f.Name, []string{"a.txt", "b.txt"}[i]) {
			t.Errorf("failure %d: %s: %v", i, f.Name, f.Err)
		}
	}
}
