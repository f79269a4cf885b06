package gen

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai"
)

var update = flag.Bool("update", false, "rewrite testdata/sample from SampleOptions")

func testOptions() Options {
	return Options{District: "威海市文登区", Townships: 6, Departments: 4, FirstYear: 2019, LastYear: 2024, Seed: 99}
}

func failedRules(fs []gongkai.Finding) []string {
	var out []string
	for _, f := range fs {
		if f.Status == gongkai.Failed && !slices.Contains(out, f.Rule) {
			out = append(out, f.Rule)
		}
	}
	return out
}

// byBody groups items per organization, in year order.
func byBody(items []*Item) map[string][]*Item {
	out := map[string][]*Item{}
	for _, it := range items {
		out[it.Record.Organization] = append(out[it.Record.Organization], it)
	}
	return out
}

func TestCleanReportsPassEveryRule(t *testing.T) {
	items, err := Build(testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 11*6 {
		t.Fatalf("got %d reports, want 66 (11 bodies × 6 years)", len(items))
	}
	for _, it := range items {
		if fs := gongkai.Check(it.Record); len(fs) != 0 {
			t.Errorf("%s: Check found %v", it.Base, fs)
		}
		if len(it.Record.Findings) != 0 || it.Violation != "" {
			t.Errorf("%s: clean report carries findings %v / violation %q", it.Base, it.Record.Findings, it.Violation)
		}
		want := gongkai.V2021
		if it.Record.ReportYear <= 2020 {
			want = gongkai.V2019
		}
		if it.Record.FormatVersion != want {
			t.Errorf("%s: version %s, want %s", it.Base, it.Record.FormatVersion, want)
		}
		for _, c := range it.Record.Cells() {
			if !c.Value.Valid() {
				t.Errorf("%s: %s is null", it.Base, c.Path())
			}
		}
	}
}

// r6Breaks lists the applicant columns where this year's 上年结转 differs
// from last year's 结转下年度.
func r6Breaks(prev, cur *gongkai.Report) []int {
	var out []int
	for i := range gongkai.NumColumns {
		if prev.Applications[gongkai.RowCarriedForward][i] != cur.Applications[gongkai.RowCarriedOver][i] {
			out = append(out, i)
		}
	}
	return out
}

func TestViolationsBreakExactlyTheNamedRule(t *testing.T) {
	o := testOptions()
	o.Violations = 0.5
	items, err := Build(o)
	if err != nil {
		t.Fatal(err)
	}
	n, seen := 0, map[string]bool{}
	for _, it := range items {
		got := failedRules(gongkai.Check(it.Record))
		switch it.Violation {
		case "", gongkai.R6:
			if len(got) != 0 {
				t.Errorf("%s (violation %q): Check fails %v", it.Base, it.Violation, got)
			}
		default:
			if !slices.Equal(got, []string{it.Violation}) {
				t.Errorf("%s: violation %s, Check fails %v", it.Base, it.Violation, got)
			}
		}
		if it.Violation != "" {
			n++
			seen[it.Violation] = true
			if fr := failedRules(it.Record.Findings); !slices.Equal(fr, []string{it.Violation}) {
				t.Errorf("%s: truth findings name %v, want %s", it.Base, fr, it.Violation)
			}
		}
	}
	if n != len(items)/2 {
		t.Errorf("%d of %d reports violate a rule, want exactly half", n, len(items))
	}
	if len(seen) != len(violationRules) {
		t.Errorf("rules broken: %v, want all of %v", seen, violationRules)
	}
	// R6 is found by comparing years, and only where injected.
	for org, its := range byBody(items) {
		for i := 1; i < len(its); i++ {
			breaks := r6Breaks(its[i-1].Record, its[i].Record)
			if (len(breaks) > 0) != (its[i].Violation == gongkai.R6) {
				t.Errorf("%s %d: R6 breaks in columns %v, violation %q", org, its[i].Record.ReportYear, breaks, its[i].Violation)
			}
		}
		if its[0].Violation == gongkai.R6 {
			t.Errorf("%s: R6 injected in the first year", org)
		}
	}
}

func TestCrossYearLinks(t *testing.T) {
	items, err := Build(testOptions())
	if err != nil {
		t.Fatal(err)
	}
	i64 := func(n gongkai.Num) int64 { v, _ := n.Int64(); return v }
	for org, its := range byBody(items) {
		for i := 1; i < len(its); i++ {
			prev, cur := its[i-1].Record, its[i].Record
			if b := r6Breaks(prev, cur); len(b) != 0 {
				t.Errorf("%s %d: 上年结转 ≠ last year's 结转下年度 in columns %v", org, cur.ReportYear, b)
			}
			switch {
			case prev.FormatVersion == gongkai.V2021 && cur.FormatVersion == gongkai.V2021:
				for _, item := range []string{"regulations", "normative_documents"} {
					p, c := prev.Active[item], cur.Active[item]
					if i64(c["in_force"]) != i64(p["in_force"])+i64(c["issued"])-i64(c["repealed"]) {
						t.Errorf("%s %d %s: in_force %v ≠ %v + %v − %v", org, cur.ReportYear, item,
							c["in_force"], p["in_force"], c["issued"], c["repealed"])
					}
				}
			case prev.FormatVersion == gongkai.V2019 && cur.FormatVersion == gongkai.V2019:
				for _, item := range []string{"licensing", "other_services", "punishment", "enforcement", "fees"} {
					p, c := prev.Active[item], cur.Active[item]
					if i64(c["prev_year_items"]) != i64(p["prev_year_items"])+i64(p["change"]) {
						t.Errorf("%s %d %s: prev_year_items %v ≠ %v + %v", org, cur.ReportYear, item,
							c["prev_year_items"], p["prev_year_items"], p["change"])
					}
				}
				p, c := prev.Active["normative_documents"], cur.Active["normative_documents"]
				if i64(c["total_published"]) != i64(p["total_published"])+i64(c["new_published"]) {
					t.Errorf("%s %d: total_published does not carry over", org, cur.ReportYear)
				}
			}
		}
	}
}

func TestRequestScale(t *testing.T) {
	items, err := Build(testOptions())
	if err != nil {
		t.Fatal(err)
	}
	var townshipZero, townshipTotal int
	maxDept := int64(0)
	for _, it := range items {
		n, _ := it.Record.Applications[gongkai.RowNew][totalCol].Int64()
		switch it.BodyType {
		case TypeTownship, TypeStreet:
			townshipTotal++
			if n == 0 {
				townshipZero++
			}
			if n > 10 {
				t.Errorf("%s: a township with %d requests", it.Base, n)
			}
		case TypeDepartment:
			maxDept = max(maxDept, n)
		}
	}
	if townshipZero*2 < townshipTotal {
		t.Errorf("only %d of %d township reports have no request; most should", townshipZero, townshipTotal)
	}
	if maxDept < 100 {
		t.Errorf("busiest department has %d requests; some should have hundreds", maxDept)
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	o := testOptions()
	o.Townships, o.Departments, o.FirstYear = 2, 1, 2020
	o.Violations, o.Noise = 0.3, 0.5
	o.Renderings = slices.DeleteFunc(AllRenderings(), func(s string) bool { return s == PDF })
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		o.Out = dir
		if _, err := Generate(t.Context(), o); err != nil {
			t.Fatal(err)
		}
	}
	fa, fb := readDir(t, a), readDir(t, b)
	if len(fa) != len(fb) || len(fa) == 0 {
		t.Fatalf("%d vs %d files", len(fa), len(fb))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	o.Seed++
	o.Out = t.TempDir()
	if _, err := Generate(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	same := 0
	for name, data := range readDir(t, o.Out) {
		if bytes.Equal(data, fa[name]) {
			same++
		}
	}
	if same > 1 { // truth.csv may coincide
		t.Errorf("%d files identical under another seed", same)
	}
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = data
	}
	return out
}

// TestSampleIsReproducible regenerates testdata/sample with the options it
// was made with and compares every file byte for byte. Regenerate after a
// deliberate change with `go generate ./gen/` or
// `go test ./gen/ -run TestSampleIsReproducible -update`.
func TestSampleIsReproducible(t *testing.T) {
	sample := filepath.Join("..", "testdata", "sample")
	if *update {
		if err := os.RemoveAll(sample); err != nil {
			t.Fatal(err)
		}
		if _, err := Generate(t.Context(), SampleOptions(sample)); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	if _, err := Generate(t.Context(), SampleOptions(dir)); err != nil {
		t.Fatal(err)
	}
	got, want := readDir(t, dir), readDir(t, sample)
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("testdata/sample/%s is not generated any more", name)
		}
	}
	for name, data := range got {
		w, ok := want[name]
		switch {
		case !ok:
			t.Errorf("testdata/sample lacks %s", name)
		case !bytes.Equal(data, w):
			t.Errorf("testdata/sample/%s differs from a fresh generation (run go generate ./gen/)", name)
		}
	}
}

func TestGoGenerateLineMatchesSampleOptions(t *testing.T) {
	src, err := os.ReadFile("gen.go")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`//go:generate .* gen (.*)`).FindSubmatch(src)
	if m == nil {
		t.Fatal("no go:generate line in gen.go")
	}
	o := SampleOptions("../testdata/sample")
	want := fmt.Sprintf("--out %s --district %s --townships %d --departments %d --years %d-%d --seed %d --violations %v --rendering %s",
		o.Out, o.District, o.Townships, o.Departments, o.FirstYear, o.LastYear, o.Seed, o.Violations, strings.Join(o.Renderings, ","))
	if string(m[1]) != want {
		t.Errorf("go:generate flags\n %s\nSampleOptions\n %s", m[1], want)
	}
}

func TestTruthFilesAndManifest(t *testing.T) {
	o := testOptions()
	o.Townships, o.Departments, o.Violations = 3, 1, 0.25
	o.Out = t.TempDir()
	sum, err := Generate(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	items, _ := Build(o)
	if sum.Reports != len(items) || sum.Files != len(items) || sum.Bodies != 5 {
		t.Errorf("summary %+v for %d items", sum, len(items))
	}
	f, err := os.Open(filepath.Join(o.Out, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], ManifestHeader) || len(rows) != len(items)+1 {
		t.Fatalf("manifest header %v, %d rows", rows[0], len(rows))
	}
	violated := 0
	for i, row := range rows[1:] {
		it := items[i]
		if row[0] != it.Base+".txt" || row[1] != it.Record.Organization || row[5] != it.Violation {
			t.Errorf("manifest row %v for %s", row, it.Base)
		}
		if row[5] != "" {
			violated++
		}
		data, err := os.ReadFile(filepath.Join(o.Out, row[7]))
		if err != nil {
			t.Fatal(err)
		}
		var rec gongkai.Report
		if err := json.Unmarshal(data, &rec); err != nil {
			t.Fatalf("%s: %v", row[7], err)
		}
		if rec.Organization != it.Record.Organization || rec.ReportYear != it.Record.ReportYear {
			t.Errorf("%s: truth names %s %d", row[7], rec.Organization, rec.ReportYear)
		}
		for _, c := range it.Record.Cells() {
			if v, _ := rec.Get(c.Path()); v != c.Value {
				t.Errorf("%s: %s = %v in the truth file, %v generated", row[7], c.Path(), v, c.Value)
			}
		}
		if fr := failedRules(rec.Findings); row[5] != "" && !slices.Equal(fr, []string{row[5]}) {
			t.Errorf("%s: findings %v for violated rule %s", row[7], fr, row[5])
		}
	}
	if violated != sum.Violations || violated == 0 {
		t.Errorf("manifest lists %d violations, summary %d", violated, sum.Violations)
	}
}

func TestMixed(t *testing.T) {
	o := testOptions()
	o.Renderings = []string{WordText, HTML, DOCX, GluedText}
	o.Mixed, o.Out = true, t.TempDir()
	sum, err := Generate(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files != sum.Reports {
		t.Errorf("mixed: %d files for %d reports", sum.Files, sum.Reports)
	}
	exts := map[string]int{}
	for name := range readDir(t, o.Out) {
		exts[filepath.Ext(name)]++
	}
	if exts[".html"] == 0 || exts[".docx"] == 0 || exts[".txt"] == 0 || exts[".json"] != sum.Reports {
		t.Errorf("mixed folder: %v", exts)
	}
}

func oneItem(t *testing.T, year int) *Item {
	t.Helper()
	o := testOptions()
	o.Townships, o.Departments, o.FirstYear, o.LastYear = 1, 1, year, year
	items, err := Build(o)
	if err != nil {
		t.Fatal(err)
	}
	return items[len(items)-1] // the department: it has requests
}

// TestWordTextHasTheSeedsShape checks the features of the seed's rendering
// that readers must cope with.
func TestWordTextHasTheSeedsShape(t *testing.T) {
	for _, year := range []int{2020, 2023} {
		it := oneItem(t, year)
		data, err := Render(t.Context(), WordText, it)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if !strings.Contains(s, "[bookmark: _Hlk") {
			t.Errorf("%d: no bookmark markers", year)
		}
		s = regexp.MustCompile(`\[bookmark: _Hlk\d+\]`).ReplaceAllString(s, "")
		lines := strings.Split(s, "\n")
		if lines[0] != "" || lines[1] != it.Record.Organization || lines[2] != fmt.Sprintf("%d年政府信息公开工作年度报告", year) {
			t.Errorf("%d: head %q", year, lines[:3])
		}
		for _, want := range []string{
			"\t第二十条第（一）项\n\n\t信息内容\n",
			"\t（本列数据的勾稽关系为：第一项加第二项之和，\n等于第三项加第四项之和）\n\t申请人情况\n\n\t\n\t自然人\n\t法人或其他组织\n\t总计\n\n",
			"[bookmark: _GoBack]五、存在的主要问题及改进情况\n",
			"\n\t0\n\t", // a stray value in the merged label column
		} {
			if !strings.Contains(s, want) {
				t.Errorf("%d: no %q", year, want)
			}
		}
		if !strings.HasSuffix(s, "日    \n") {
			t.Errorf("%d: tail %q", year, s[len(s)-30:])
		}
		// Every value of the record appears as its own tab-indented line
		// (the row 1_new as an example).
		var row []string
		for _, v := range it.Record.Applications[gongkai.RowNew] {
			row = append(row, "\t"+v.String())
		}
		if !strings.Contains(s, "一、本年新收政府信息公开申请数量\n"+strings.Join(row, "\n")+"\n\n") {
			t.Errorf("%d: row 1_new not written as %q", year, row)
		}
		// The narrative restates the table.
		m := regexp.MustCompile(`共收到政府信息公开申请(\d+)件，上年结转(\d+)件，办结(\d+)件，结转下年度继续办理(\d+)件`).FindStringSubmatch(s)
		app := it.Record.Applications
		if m == nil || m[1] != app[gongkai.RowNew][totalCol].String() || m[2] != app[gongkai.RowCarriedOver][totalCol].String() ||
			m[3] != app[gongkai.RowTotal][totalCol].String() || m[4] != app[gongkai.RowCarriedForward][totalCol].String() {
			t.Errorf("%d: narrative %q does not restate the table", year, m)
		}
		if !strings.Contains(s, "公开政府信息"+it.Record.Narrative[NarrDisclosed].String()+"条") {
			t.Errorf("%d: narrative disclosed_items missing", year)
		}
	}
}

func TestRenderingShapes(t *testing.T) {
	it := oneItem(t, 2023)
	render := func(name string) string {
		data, err := Render(t.Context(), name, it)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return string(data)
	}
	checks := map[string][]string{
		HTML:      {`rowspan="22"`, `colspan="3"`, "&nbsp;", "商业<br>企业", `style="`, `<div class="nav">`},
		PipeText:  {"第二十条第（一）项 | |||\n", "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n", "\n| （二）部分公开"},
		CellLines: {"第二十条第（一）项 |\n||||\n信息内容 |\n"},
		Paragraph: {"\n\n商业\n\n企业\n\n", "\n\n0\n\n"},
		Markdown:  {"| 第二十条第（一）项 |  |  |  |\n|---|---|---|---|\n"},
		GluedText: {"标题: ", "\n发布时间: ", "\n原文链接: https://", "规章000行政规范性文件"},
		HTMLJS:    {`var content = "`, `class=\"MsoNormalTable\"`, `<\/table>`},
	}
	for name, wants := range checks {
		s := render(name)
		for _, w := range wants {
			if !strings.Contains(s, w) {
				t.Errorf("%s: no %q", name, w)
			}
		}
	}
	// 2019 layout: 三、本年度办理结果 spans 20 rows, （六） is one row.
	old := render2019(t)
	if !strings.Contains(old, `rowspan="20"`) || !strings.Contains(old, "第二十条第（九）项") {
		t.Error("2019 HTML lacks its 20-row span or 第二十条第（九）项")
	}

	gbk := render(HTMLGBK)
	if strings.Contains(gbk, "政府信息") {
		t.Error("html_gbk is not GBK-encoded")
	}
	dec, err := simplifiedchinese.GBK.NewDecoder().String(gbk)
	if err != nil || !strings.Contains(dec, `charset=gbk`) || !strings.Contains(dec, "三、本年度办理结果") {
		t.Errorf("html_gbk does not decode to the page: %v", err)
	}

	doc := render(DOCX)
	zr, err := zip.NewReader(strings.NewReader(doc), int64(len(doc)))
	if err != nil {
		t.Fatal(err)
	}
	var xml string
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			xml = string(b)
		}
	}
	for _, w := range []string{`<w:gridSpan w:val="3"/>`, `<w:vMerge w:val="restart"/>`, `<w:vMerge/>`, "<w:tbl>"} {
		if !strings.Contains(xml, w) {
			t.Errorf("docx: no %s", w)
		}
	}
	if strings.Count(xml, "</w:r><w:r>") == 0 {
		t.Error("docx: no text split over runs")
	}
}

func render2019(t *testing.T) string {
	data, err := Render(context.Background(), HTML, oneItem(t, 2020))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestNoise(t *testing.T) {
	it := oneItem(t, 2023)
	it.Record.Active["licensing"]["decisions"] = gongkai.Int(12345)
	it.Noise = Noise{FullWidthDigits: true, HalfWidthBrackets: true, ThousandsSeparators: true, LabelTypos: true, RepeatedHeading: true}
	data, err := Render(t.Context(), PipeText, it)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, w := range []string{"１２,３４５", "第二十条第(一)项", "(七)总计", "| 现行有效件 |", "行政法复议 |"} {
		if !strings.Contains(s, w) {
			t.Errorf("noise: no %q", w)
		}
	}
	if n := strings.Count(s, "三、本年度办理结果 |"); n != 2 {
		t.Errorf("RepeatedHeading: 三、本年度办理结果 appears %d times", n)
	}
	html, err := Render(t.Context(), HTML, it)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), `rowspan="10"`) || !strings.Contains(string(html), `rowspan="12"`) {
		t.Error("RepeatedHeading: the 22-row span is not split 10 + 12")
	}
	if got := thousands("-1234567.5"); got != "-1,234,567.5" {
		t.Errorf("thousands: %s", got)
	}
}

func TestOptionErrors(t *testing.T) {
	for name, mut := range map[string]func(*Options){
		"years":        func(o *Options) { o.FirstYear = 2015 },
		"violations":   func(o *Options) { o.Violations = 2 },
		"rendering":    func(o *Options) { o.Renderings = []string{"rtf"} },
		"names":        func(o *Options) { o.TownshipNames = []string{"泽库镇"} },
		"too many":     func(o *Options) { o.Departments = 99 },
		"way too many": func(o *Options) { o.Townships = 5000 },
	} {
		o := testOptions()
		mut(&o)
		if _, err := Build(o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestBodies(t *testing.T) {
	o := testOptions()
	o.TownshipNames = []string{"泽库镇", "龙山街道", "石门乡", "柳河镇", "东湖街道", "南岭乡"}
	bs, err := makeBodies(o)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"威海市文登区人民政府办公室": TypeOffice, "威海市文登区泽库镇人民政府": TypeTownship,
		"文登区龙山街道办事处": TypeStreet, "威海市文登区石门乡人民政府": TypeTownship, "文登区教育和体育局": TypeDepartment,
	}
	got := map[string]string{}
	for _, b := range bs {
		got[b.org] = b.typ
	}
	for org, typ := range want {
		if got[org] != typ {
			t.Errorf("%s: type %q, want %q", org, got[org], typ)
		}
	}
	names := townshipNames(400)
	if len(names) != 400 || len(slices.Compact(slices.Sorted(slices.Values(names)))) != 400 {
		t.Errorf("townshipNames(400): %d names, not all distinct", len(names))
	}
	if c, d := splitDistrict("文登区"); c != "" || d != "文登区" {
		t.Errorf("splitDistrict(文登区) = %q %q", c, d)
	}
}

// FuzzBuild checks the generator's promises for any seed and size: every
// report breaks exactly its named rule (or none), and every rendering
// writes without error.
func FuzzBuild(f *testing.F) {
	f.Add(uint64(1), uint8(2), uint8(1), uint8(30))
	f.Add(uint64(20240122), uint8(8), uint8(4), uint8(5))
	f.Add(uint64(0), uint8(0), uint8(0), uint8(100))
	f.Fuzz(func(t *testing.T, seed uint64, towns, depts, viol uint8) {
		o := Options{District: "某某市某某区", Townships: int(towns % 6), Departments: int(depts % 5),
			FirstYear: 2019 + int(seed%3), LastYear: 2022, Seed: seed, Violations: float64(viol%101) / 100, Noise: 0.5}
		items, err := Build(o)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			got := failedRules(gongkai.Check(it.Record))
			want := []string{it.Violation}
			if it.Violation == "" || it.Violation == gongkai.R6 {
				want = nil
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%s: violation %q, Check fails %v", it.Base, it.Violation, got)
			}
			for _, r := range AllRenderings() {
				if r == PDF {
					continue
				}
				if _, err := Render(t.Context(), r, it); err != nil {
					t.Fatalf("%s as %s: %v", it.Base, r, err)
				}
			}
		}
	})
}
