package ingest

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai"
	"gongkai/internal/sharedtest"
)

// expectedRecord is a hand-written expected record: the §5 shape read by
// gongkai.Report, plus the findings that must be reported.
type expectedRecord struct {
	report   *gongkai.Report
	findings []gongkai.Finding
}

func readExpected(t *testing.T, path string) expectedRecord {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r gongkai.Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return expectedRecord{report: &r, findings: r.Findings}
}

// compareRecord checks the metadata, every cell and the narrative, and
// that the findings that matter (failed rules, uncertain readings) are
// exactly the expected ones. Not-checkable findings follow from nulls and
// are not listed in expectations.
func compareRecord(t *testing.T, got *gongkai.Report, want expectedRecord) {
	t.Helper()
	w := want.report
	if got.Organization != w.Organization || got.ReportYear != w.ReportYear ||
		got.FormatVersion != w.FormatVersion || got.PublishedOn != w.PublishedOn {
		t.Errorf("metadata: got %q %d %s %q, want %q %d %s %q", got.Organization, got.ReportYear, got.FormatVersion,
			got.PublishedOn, w.Organization, w.ReportYear, w.FormatVersion, w.PublishedOn)
	}
	if got.FormatVersion != w.FormatVersion {
		return
	}
	if got.SingleOther != w.SingleOther {
		t.Errorf("single （六）其他处理 row: got %v, want %v", got.SingleOther, w.SingleOther)
		return
	}
	gc, wc := got.Cells(), w.Cells()
	for i := range wc {
		if gc[i].Value != wc[i].Value {
			src := got.Provenance[gc[i].Path()]
			t.Errorf("%s = %s, want %s (read at %s from %q)", gc[i].Path(), gc[i].Value, wc[i].Value, src.Loc, src.Raw)
		}
	}
	if diff := cmp.Diff(w.Narrative, got.Narrative); diff != "" {
		t.Errorf("narrative (-want +got):\n%s", diff)
	}
	type key struct{ rule, status, where string }
	wantF := map[key]bool{}
	for _, f := range want.findings {
		wantF[key{f.Rule, string(f.Status), f.Where.String()}] = true
	}
	gotF := map[key]bool{}
	for _, f := range got.Findings {
		k := key{f.Rule, string(f.Status), f.Where.String()}
		gotF[k] = true
		if f.Status != gongkai.NotCheckable && !wantF[k] {
			t.Errorf("unexpected finding: %s", f)
		}
	}
	for k := range wantF {
		if !gotF[k] {
			t.Errorf("missing finding %s %s at %s", k.rule, k.status, k.where)
		}
	}
}

// The seed report: every table cell is 0 (checked by eye against the
// document: section 二 lines 23–58, section 三 lines 81–344, section 四
// lines 384–398), and the prose gives the body, year, date and counts.
func TestParseSeed(t *testing.T) {
	path := sharedtest.Path(t, sharedtest.Seed...)
	p, err := ParseFile(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Rendering != "word_text" {
		t.Errorf("rendering %q, want word_text", p.Rendering)
	}
	want := gongkai.NewReport(gongkai.V2021)
	want.Organization = "威海市文登区泽库镇人民政府"
	want.ReportYear = 2023
	want.PublishedOn = "2024-01-22"
	for _, c := range want.Cells() {
		if err := want.Set(c.Path(), gongkai.Int(0)); err != nil {
			t.Fatal(err)
		}
	}
	want.Narrative = map[string]gongkai.Num{
		"disclosed_items":   gongkai.Int(532), // 公开政府信息532条
		"wechat_posts":      gongkai.Int(357), // 微信公众号发布消息357条
		"new_media_reports": gongkai.Int(101), // 新媒体发表报道101篇
		"website_posts":     gongkai.Int(75),  // 网站发布动态政务信息75篇
		"requests_received": gongkai.Int(0),   // 我镇未收到政府信息公开申请
	}
	compareRecord(t, p.Report, expectedRecord{report: want})
	if len(p.Hash) != 64 {
		t.Errorf("hash %q is not sha256 hex", p.Hash)
	}
	// The stray "0" on line 196 sits in the label columns before
	// 8.属于行政查询事项; the row's values are lines 199–205.
	if src := p.Report.Provenance["applications.3_3_8.natural_person"]; src.Loc != "line 199" {
		t.Errorf("3_3_8 natural_person read at %q, want line 199", src.Loc)
	}
	if src := p.Report.Provenance["review_litigation.litigation_after_review.total"]; src.Loc != "line 398" {
		t.Errorf("litigation_after_review.total read at %q, want line 398", src.Loc)
	}
}

// A JSON record is accepted as input, and its rules are checked again.
func TestParseRecordJSON(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "pipe_text_2019", "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseBytes(t.Context(), "x.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if p.Rendering != RenderingRecord || p.Report.Organization != "示例县丙丁局" {
		t.Fatalf("got %q %q", p.Rendering, p.Report.Organization)
	}
	if v, _ := p.Report.Get("active.licensing.change"); v != gongkai.Int(-18) {
		t.Errorf("licensing.change = %s, want -18", v)
	}
	bad := []byte(`{"format_version":"2021","applications":{"1_new":[1,2]}}`)
	if _, err := ParseBytes(t.Context(), "bad.json", bad); !errors.Is(err, gongkai.ErrUnreadable) || !strings.Contains(err.Error(), "bad.json") {
		t.Errorf("bad record: error %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, text string
		is         error
		contains   string
	}{
		{"prose.txt", strings.Repeat("这是一段没有表格的文字。\n", 20), gongkai.ErrUnsupported, "prose.txt"},
		{"nolabels.txt", strings.Repeat("\t甲\n\t1\n\n", 20), gongkai.ErrUnreadable, "no table"},
		{"empty.txt", "", gongkai.ErrUnsupported, "empty.txt"},
	}
	for _, c := range cases {
		p, err := ParseBytes(t.Context(), c.name, []byte(c.text))
		if !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.contains) {
			t.Errorf("%s: error %v, want %v containing %q", c.name, err, c.is, c.contains)
		}
		var ge *gongkai.Error
		if !errors.As(err, &ge) || ge.Path != c.name {
			t.Errorf("%s: error %v is not a *gongkai.Error naming the file", c.name, err)
		}
		if p.Hash == "" {
			t.Errorf("%s: no hash", c.name)
		}
	}
}

func TestCellValue(t *testing.T) {
	cases := []struct {
		text   string
		target unit
		want   string // Num.String(); "null"
		bad    bool   // a READ problem expected
	}{
		{"0", unitNone, "0", false},
		{" 12 ", unitNone, "12", false},
		{"１２３", unitNone, "123", false},
		{"1,234", unitNone, "1234", false},
		{"1，234", unitNone, "1234", false},
		{"-18", unitNone, "-18", false},
		{"－18", unitNone, "-18", false},
		{"+3", unitNone, "3", false},
		{"5件", unitNone, "5", false},
		{"", unitNone, "null", false},
		{"/", unitNone, "null", false},
		{"-", unitNone, "null", false},
		{"—", unitNone, "null", false},
		{"——", unitNone, "null", false},
		{"无", unitNone, "null", false},
		{"不适用", unitNone, "null", false},
		{"／", unitNone, "null", false},
		{"12.35", unitWanYuan, "12.35", false},
		{"96171.6万元", unitWanYuan, "96171.6", false},
		{"5000元", unitWanYuan, "0.5", false},
		{"75394432.52元", unitYuan, "75394432.52", false},
		{"12.5万元", unitYuan, "125000", false},
		{"75,394,432.52元", unitYuan, "75394432.52", false},
		{"1 234", unitNone, "1234", false},
		{"5 件", unitNone, "5", false},
		{"1 2", unitNone, "null", true},
		{"0 0", unitNone, "null", true},
		{"约10", unitNone, "null", true},
		{"3.5%", unitNone, "null", true},
		{"12万元", unitNone, "null", true},
	}
	for _, c := range cases {
		v, problem := cellValue(c.text, c.target)
		if v.String() != c.want || (problem != "") != c.bad {
			t.Errorf("cellValue(%q) = %s, %q; want %s, problem=%v", c.text, v, problem, c.want, c.bad)
		}
	}
}

func TestMatchRowLabel(t *testing.T) {
	cases := []struct{ label, section, key string }{
		{"一、本年新收政府信息公开申请数量", "applications", "1_new"},
		{"[bookmark: _Hlk66973412]一、本年新收政府信息公开申请数量", "applications", "1_new"},
		{"二、上年结转政府信息公开申请数量", "applications", "2_carried_over"},
		{"（一）予以公开", "applications", "3_1_disclosed"},
		{"(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "applications", "3_2_partially"},
		{"（三）不予公开 1.属于国家秘密", "applications", "3_3_1"},
		{"1、属于国家 秘密", "applications", "3_3_1"},
		{"3.危及“三安全一稳定”", "applications", "3_3_3"},
		{"3.危及\"三安全一稳定\"", "applications", "3_3_3"},
		{"2.重复申请", "applications", "3_5_2"},
		{"4.无正当理由大量反复申请", "applications", "3_5_4"},
		{"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "applications", "3_6_1"},
		{"3.其他", "applications", "3_6_3"},
		{"３．其他", "applications", "3_6_3"},
		{"（六）其他处理", "applications", "3_6"},
		{"(七)总计", "applications", "3_7_total"},
		{"四、结转下年度继续办理", "applications", "4_carried_forward"},
		{"规章", "active", "regulations"},
		{"行政规范性文件", "active", "normative_documents"},
		{"规范性文件", "active", "normative_documents"},
		{"行政许可", "active", "licensing"},
		{"其他对外管理服务事项", "active", "other_services"},
		{"行政事业性收费", "active", "fees"},
		{"政府集中采购", "active", "procurement"},
		{"行政复议", "review_litigation", "review"},
		{"行政法复议", "review_litigation", "review"},
		{"未经复议直接起诉", "review_litigation", "litigation_direct"},
		{"复议后起诉", "review_litigation", "litigation_after_review"},
		{"二、上年度结转政府信息公开申请数量", "applications", "2_carried_over"},
		{"一、本年度新收政府信息公开申请数量", "applications", "1_new"},
		{"四、结转下一年度继续办理", "applications", "4_carried_forward"},
		{"1.本机关不掌握相关信息", "applications", "3_4_1"},
		{"3.补正后申请内容仍然不明确", "applications", "3_4_3"},
		{"3.补正后仍不明确", "applications", "3_4_3"},
		{"总计", "", ""},
		{"其他", "", ""},
		{"部门规章制度", "", ""},
		{"信息内容", "", ""},
	}
	for _, c := range cases {
		sec, key, ok := matchRowLabel(c.label)
		if sec != c.section || key != c.key || ok != (c.key != "") {
			t.Errorf("matchRowLabel(%q) = %q %q %v, want %q %q", c.label, sec, key, ok, c.section, c.key)
		}
	}
}

// wordRow renders one table row of the seed's Word text.
func wordRow(cells ...string) string {
	var b strings.Builder
	for _, c := range cells {
		b.WriteString("\t" + c + "\n")
	}
	return b.String() + "\n"
}

// smallWordReport is a minimal Word-text report with the given section 三
// rows (other tables complete and zero).
func smallWordReport(rows ...string) string {
	var b strings.Builder
	b.WriteString("某某县某某镇人民政府\n2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n")
	b.WriteString(wordRow("第二十条第（一）项") + wordRow("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"))
	b.WriteString(wordRow("规章", "0", "0", "0") + wordRow("行政规范性文件", "0", "0", "0"))
	b.WriteString(wordRow("行政许可", "0") + wordRow("行政处罚", "0") + wordRow("行政强制", "0") + wordRow("行政事业性收费", "0"))
	b.WriteString("三、收到和处理政府信息公开申请情况\n" + wordRow("申请人情况"))
	for _, r := range rows {
		b.WriteString(r)
	}
	b.WriteString("四、政府信息公开行政复议、行政诉讼情况\n" + wordRow("行政复议", "行政诉讼"))
	b.WriteString(wordRow(strings.Split(strings.Repeat("0 ", 15), " ")[:15]...))
	return b.String()
}

// Placeholders are null, never 0; stray values in the label columns do not
// shift the row; full-width digits and half-width brackets are read.
func TestRecognizeCells(t *testing.T) {
	doc := smallWordReport(
		wordRow("一、本年新收政府信息公开申请数量", "１", "/", "—", "——", "无", "不适用", ""),
		wordRow("0", "", "二、上年结转政府信息公开申请数量", "2", "0", "0", "0", "0", "0", "2"),
		wordRow("0", "(三)不予公开", "1.属于国家秘密", "3", "0", "0", "0", "0", "0", "3"),
		wordRow("(七)总计", "4", "0", "0", "0", "0", "0", "约4"),
		wordRow("四、结转下年度继续办理", "1", "2", "3"),
	)
	p, err := ParseBytes(t.Context(), "small.txt", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	r := p.Report
	get := func(path string) string { v, _ := r.Get(path); return v.String() }
	want := map[string]string{
		"applications.1_new.natural_person":             "1",
		"applications.1_new.commercial":                 "null",
		"applications.1_new.research":                   "null",
		"applications.1_new.social_welfare":             "null",
		"applications.1_new.legal_services":             "null",
		"applications.1_new.other":                      "null",
		"applications.1_new.total":                      "null",
		"applications.2_carried_over.natural_person":    "2",
		"applications.2_carried_over.total":             "2",
		"applications.3_3_1.natural_person":             "3",
		"applications.3_3_1.total":                      "3",
		"applications.3_7_total.natural_person":         "4",
		"applications.3_7_total.total":                  "null",
		"applications.4_carried_forward.natural_person": "null",
		"applications.3_1_disclosed.total":              "null",
	}
	for path, w := range want {
		if g := get(path); g != w {
			t.Errorf("%s = %s, want %s", path, g, w)
		}
	}
	mustFind := []string{"applications.3_7_total.total", "applications.4_carried_forward"}
	for _, w := range mustFind {
		found := false
		for _, f := range r.Findings {
			if f.Rule == gongkai.RuleRead && f.Where.String() == w {
				found = true
			}
		}
		if !found {
			t.Errorf("no READ finding at %s; findings: %v", w, r.Findings)
		}
	}
}

// gridOf builds a Document from "|"-separated lines, one table row each;
// lines starting with "#" are prose.
func gridOf(lines ...string) *Document {
	doc := &Document{Path: "grid"}
	var tb Table
	for i, l := range lines {
		if rest, ok := strings.CutPrefix(l, "#"); ok {
			doc.Lines = append(doc.Lines, Line{Text: rest, Loc: lineLoc(i)})
			continue
		}
		var row []Cell
		for j, c := range strings.Split(l, "|") {
			row = append(row, Cell{Text: c, Loc: lineLoc(i) + " cell " + itoa(j+1)})
		}
		tb.Rows = append(tb.Rows, row)
	}
	doc.Tables = []Table{tb}
	return doc
}

func hasRead(r *gongkai.Report, cell string) bool { return coveredByRead(r, cell) }

func TestRecognizeLayoutsAndUnits(t *testing.T) {
	t.Run("2019 labels decide, not the year", func(t *testing.T) {
		r, _ := recognize(t.Context(), gridOf("#某局2021年政府信息公开工作年度报告",
			"信息内容|本年新制作数量|本年新公开数量|对外公开总数量", "规范性文件|1|2|3",
			"信息内容|采购项目数量|采购总金额（万元）", "政府集中采购|2|1.5",
			"（六）其他处理|1|0|0|0|0|0|1"))
		if r.FormatVersion != gongkai.V2019 || r.ReportYear != 2021 {
			t.Fatalf("got %s %d", r.FormatVersion, r.ReportYear)
		}
		for path, want := range map[string]string{
			"active.normative_documents.total_published": "3",
			"active.procurement.amount_yuan":             "15000", // 1.5 万元 under a 万元 header
			"applications.3_6.total":                     "1",
		} {
			if v, _ := r.Get(path); v.String() != want {
				t.Errorf("%s = %s, want %s", path, v, want)
			}
		}
	})
	t.Run("2021 labels decide, not the year", func(t *testing.T) {
		r, _ := recognize(t.Context(), gridOf("#某镇2020年政府信息公开工作年度报告",
			"信息内容|本年制发件数|本年废止件数|现行有效件数", "行政规范性文件|1|0|5",
			"（六）其他处理|1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请|0|0|0|0|0|0|0"))
		if r.FormatVersion != gongkai.V2021 {
			t.Fatalf("got %s", r.FormatVersion)
		}
		if v, _ := r.Get("active.normative_documents.in_force"); v != gongkai.Int(5) {
			t.Errorf("in_force = %s", v)
		}
	})
	t.Run("section 四 one block per row", func(t *testing.T) {
		r, _ := recognize(t.Context(), gridOf("行政复议|结果维持|结果纠正|其他结果|尚未审结|总计",
			"行政复议|1|0|0|1|2", "行政诉讼·未经复议直接起诉|0|0|0|0|0", "复议后起诉|0|1|0"))
		if v, _ := r.Get("review_litigation.review.total"); v != gongkai.Int(2) {
			t.Errorf("review.total = %s", v)
		}
		if v, _ := r.Get("review_litigation.litigation_direct.upheld"); v != gongkai.Int(0) {
			t.Errorf("litigation_direct.upheld = %s", v)
		}
		if v, _ := r.Get("review_litigation.litigation_after_review.corrected"); v.Valid() || !hasRead(r, "review_litigation.litigation_after_review.corrected") {
			t.Errorf("3 values for 5 columns: got %s without a READ finding", v)
		}
	})
	t.Run("a row repeated at a page break", func(t *testing.T) {
		r, _ := recognize(t.Context(), gridOf("申请人情况",
			"一、本年新收政府信息公开申请数量|1|0|0|0|0|0|1",
			"二、上年结转政府信息公开申请数量|0|0|0|0|0|0|0",
			"申请人情况", "一、本年新收政府信息公开申请数量|1|0|0|0|0|0|1",
			"二、上年结转政府信息公开申请数量|0|0|0|0|0|0|2"))
		if v, _ := r.Get("applications.1_new.total"); v != gongkai.Int(1) {
			t.Errorf("1_new.total = %s", v)
		}
		if v, _ := r.Get("applications.2_carried_over.total"); v.Valid() || !hasRead(r, "applications.2_carried_over.total") {
			t.Errorf("conflicting repeat: 2_carried_over.total = %s without a READ finding", v)
		}
		if v, _ := r.Get("applications.2_carried_over.natural_person"); v != gongkai.Int(0) {
			t.Errorf("agreeing cell of a repeated row = %s", v)
		}
	})
}

func TestReadNarrative(t *testing.T) {
	cases := []struct {
		text string
		want map[string]int64
	}{
		{"一、总体情况\n2023年度通过各类媒体渠道公开政府信息532条，其中通过“扬帆泽库”微信公众号发布消息357条，在学习强国等新媒体发表报道101篇，通过某区人民政府网站发布动态政务信息75篇。我镇未收到政府信息公开申请。\n二、主动公开政府信息情况\n公开政府信息9条",
			map[string]int64{"disclosed_items": 532, "wechat_posts": 357, "new_media_reports": 101, "website_posts": 75, "requests_received": 0}},
		{"本年度全区共收到70件申请，及时依法依规办结69件。", map[string]int64{"requests_received": 70}},
		{"全年收到依申请公开信息3条,主动公开信息25条。", map[string]int64{"requests_received": 3, "disclosed_items": 25}},
		{"全年共受理政府信息公开申请１,２０５件。", map[string]int64{"requests_received": 1205}},
		{"本年度未收到行政复议申请，收到行政复议申请2件。", map[string]int64{}},
	}
	for _, c := range cases {
		got := readNarrative(strings.Split(cleanText(c.text), "\n"))
		want := map[string]gongkai.Num{}
		for k, v := range c.want {
			want[k] = gongkai.Int(v)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", c.text, diff)
		}
	}
}

func TestFootDate(t *testing.T) {
	for in, want := range map[string]string{
		"2024年1月22日":     "2024-01-22",
		"二〇二一年一月二十日":     "2021-01-20",
		"二〇二三年十二月三十一日":   "2023-12-31",
		"2024年13月1日":     "",
		"统计期限为2023年1月1日": "2023-01-01",
	} {
		got, _ := footDate(in)
		if got != want {
			t.Errorf("footDate(%q) = %q, want %q", in, got, want)
		}
	}
	// a long line: the date is looked for in its last 60 runes, and
	// where it starts is a byte offset into the line
	long := strings.Repeat("某", 100) + "落款2024年1月22日"
	if d, at, ok := footDateAt(long); !ok || d != "2024-01-22" || !strings.HasPrefix(long[at:], "2024年") {
		t.Errorf("footDateAt(long) = %q, %d, %v", d, at, ok)
	}
	if _, _, ok := footDateAt("2024年1月22日" + strings.Repeat("某", 60)); ok {
		t.Error("a date before the last 60 runes was found")
	}
}

// A heading repeated at a page break right under a value line is prose,
// not the continuation of the value's cell.
func TestWordTextHeadingAfterValue(t *testing.T) {
	doc := smallWordReport(
		wordRow("一、本年新收政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"),
		"\t二、上年结转政府信息公开申请数量\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n三、收到和处理政府信息公开申请情况（续）\n\n",
		wordRow("（七）总计", "1", "0", "0", "0", "0", "0", "1"),
	)
	p, err := ParseBytes(t.Context(), "pagebreak.txt", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := p.Report.Get("applications.2_carried_over.total"); v != gongkai.Int(0) {
		t.Errorf("2_carried_over.total = %s, want 0", v)
	}
	if v, _ := p.Report.Get("applications.3_7_total.total"); v != gongkai.Int(1) {
		t.Errorf("3_7_total.total = %s, want 1", v)
	}
}

// Text saved as GB18030 (GBK) with CRLF line ends reads like UTF-8.
func TestParseGB18030Text(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "pipe_text_2019", "input.txt"))
	if err != nil {
		t.Fatal(err)
	}
	crlf := strings.ReplaceAll(string(data), "\n", "\r\n")
	gbk, err := simplifiedchinese.GB18030.NewEncoder().String(crlf)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseBytes(t.Context(), "gbk.txt", []byte(gbk))
	if err != nil {
		t.Fatal(err)
	}
	compareRecord(t, p.Report, readExpected(t, filepath.Join("..", "testdata", "pipe_text_2019", "expected.json")))
}

// Values wrapped onto the row under their label still belong to it.
func TestRecognizeWrappedValues(t *testing.T) {
	r, _ := recognize(t.Context(), gridOf("申请人情况",
		"一、本年新收政府信息公开申请数量", "3|0|0|0|0|0|3",
		"二、上年结转政府信息公开申请数量|0|0|0|0|0|0|0", "5|5|5"))
	if v, _ := r.Get("applications.1_new.total"); v != gongkai.Int(3) {
		t.Errorf("1_new.total = %s, want 3", v)
	}
	if v, _ := r.Get("applications.2_carried_over.total"); v != gongkai.Int(0) {
		t.Errorf("2_carried_over.total = %s, want 0 (the stray row after a full row is not its)", v)
	}
}

// TestReadNarrativeBounded: the patterns read at most narrativeSpan bytes
// of section 一 and look for its heading in the first narrativeHead bytes;
// a statement past the window is not read, one inside it still is.
func TestReadNarrativeBounded(t *testing.T) {
	filler := strings.Repeat("某", narrativeSpan/3+10) // past the span
	for _, c := range []struct {
		name  string
		lines []string
		want  map[string]gongkai.Num
	}{
		{"inside the span", []string{"一、总体情况", "公开政府信息5条", filler}, map[string]gongkai.Num{"disclosed_items": gongkai.Int(5)}},
		{"past the span", []string{"一、总体情况", filler, "公开政府信息5条"}, map[string]gongkai.Num{}},
		{"no heading, one long paragraph", []string{"公开政府信息7条" + filler + "公开政府信息5条"}, map[string]gongkai.Num{"disclosed_items": gongkai.Int(7)}},
		{"heading past the head", []string{strings.Repeat("某", narrativeHead/3+10), "一、总体情况", "公开政府信息5条"}, map[string]gongkai.Num{}},
	} {
		if diff := cmp.Diff(c.want, readNarrative(c.lines)); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", c.name, diff)
		}
	}
	for _, c := range []struct {
		in   []string
		n    int
		want string
	}{
		{[]string{"ab", "中文"}, 5, "ab\n"},
		{[]string{"ab", "中文"}, 6, "ab\n中"},
		{[]string{"ab", "中文"}, 8, "ab\n中"},
		{[]string{"ab", "中文"}, 9, "ab\n中文"},
		{[]string{"ab", "中文"}, 99, "ab\n中文"},
		{[]string{"中"}, 0, ""},
	} {
		if got := joinAtMost(c.in, "\n", c.n); got != c.want {
			t.Errorf("joinAtMost(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
