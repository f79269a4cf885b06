package ingest

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai"
)

// gluedWant is a fixture's expected record (FORMAT.md §5 shape, numbers
// chosen and written by hand) plus what must be reported.
type gluedWant struct {
	// ExpectedRead lists cells that must be null under a READ finding.
	ExpectedRead []string `json:"expected_read"`
	// ExpectedFailed lists the rules the printed numbers break.
	ExpectedFailed []string `json:"expected_failed"`
}

// TestGluedFixtures parses each testdata/glued/*.txt and compares every
// cell with the hand-written *.want.json: equal numbers, null where null.
func TestGluedFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "glued", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			wb, err := os.ReadFile(strings.TrimSuffix(file, ".txt") + ".want.json")
			if err != nil {
				t.Fatal(err)
			}
			var want gongkai.Report
			if err := json.Unmarshal(wb, &want); err != nil {
				t.Fatalf("want: %v", err)
			}
			var extra gluedWant
			if err := json.Unmarshal(wb, &extra); err != nil {
				t.Fatal(err)
			}
			p, err := ParseBytes(t.Context(), file, data)
			if err != nil {
				t.Fatalf("ParseBytes: %v", err)
			}
			if p.Rendering != "glued_text" {
				t.Errorf("rendering %q, want glued_text", p.Rendering)
			}
			r := p.Report
			if r.FormatVersion != want.FormatVersion {
				t.Fatalf("version %s, want %s", r.FormatVersion, want.FormatVersion)
			}
			if want.ReportYear != 0 && r.ReportYear != want.ReportYear {
				t.Errorf("year %d, want %d", r.ReportYear, want.ReportYear)
			}
			if want.Organization != "" && r.Organization != want.Organization {
				t.Errorf("organization %q, want %q", r.Organization, want.Organization)
			}
			for _, c := range want.Cells() {
				got, _ := r.Get(c.Path())
				if got != c.Value {
					t.Errorf("%s = %s, want %s (provenance %+v)", c.Path(), got, c.Value, r.Provenance[c.Path()])
				}
				if !got.Valid() && !readCovered(r, c.Path()) {
					t.Errorf("%s is null without a READ finding", c.Path())
				}
			}
			// Provenance: the line and the digit run each number was cut from.
			if v, _ := r.Get("applications.1_new.total"); v.Valid() {
				if src := r.Provenance["applications.1_new.total"]; !strings.HasPrefix(src.Loc, "line ") || !strings.Contains(src.Loc, ", run ") || src.Raw != v.String() {
					t.Errorf("provenance of 1_new.total = %+v, want the line, the run and the cell's text", src)
				}
			}
			for _, path := range extra.ExpectedRead {
				if got, _ := r.Get(path); got.Valid() || !readCovered(r, path) {
					t.Errorf("%s = %s, want null with a READ finding", path, got)
				}
			}
			var failed []string
			for _, f := range r.Findings {
				if f.Status == gongkai.Failed && !slices.Contains(failed, f.Rule) {
					failed = append(failed, f.Rule)
				}
			}
			slices.Sort(failed)
			wantFailed := slices.Clone(extra.ExpectedFailed)
			slices.Sort(wantFailed)
			if !slices.Equal(failed, wantFailed) {
				t.Errorf("failed rules %v, want %v; findings:\n%v", failed, wantFailed, r.Findings)
			}
		})
	}
}

// TestGluedOneFindingPerRun: an ambiguous run gives one READ finding that
// names every open cell, with the run and the readings in its message.
func TestGluedOneFindingPerRun(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "glued", "2021_ambiguous.txt"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := readGlued("2021_ambiguous.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	var got []gongkai.Finding
	for _, f := range doc.Findings {
		if strings.Contains(f.Message, `"452310"`) {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("findings for run 452310: %v", got)
	}
	f := got[0]
	want := gongkai.Paths{"active.normative_documents.issued", "active.normative_documents.repealed", "active.normative_documents.in_force"}
	if !slices.Equal(f.Where, want) || f.Rule != gongkai.RuleRead || f.Status != gongkai.Uncertain || f.Severity != gongkai.SevWarning {
		t.Errorf("finding %v, want READ warning uncertain at %v", f, want)
	}
	// 452310 into three counts: 4|5|2310 … 4523|1|0: every cut of the
	// five gaps choosing two, except those leaving "0x" (none here: the
	// only 0 is last and "0" alone is a count): C(5,2) = 10.
	if !strings.Contains(f.Message, "splits 10 ways") || !strings.Contains(f.Message, "45|2|310") || !strings.Contains(f.Message, "line 4") {
		t.Errorf("message %q should give the line, the count of readings and the readings", f.Message)
	}
}

// TestGluedSniff: the glued reader claims glued text and nothing that
// another text rendering writes.
func TestGluedSniff(t *testing.T) {
	yes := []string{
		"规章000行政规范性文件77132470行政许可2629行政处罚1330行政强制54行政事业性收费5949.088667",
		"一、本年新收政府信息公开申请数量640020470二、上年结转政府信息公开申请数量0000000（一）予以公开270020130重复申请0000000",
	}
	no := []string{
		"规章 | 0 | 0 | 0 |\n行政规范性文件 | 1 | 2 | 3 |\n行政许可 | 5 |\n行政处罚 | 6 |\n",
		"\t规章\n\t0\n\t0\n\t0\n\n\t行政规范性文件\n\t1\n\t2\n\t3\n\n\t行政许可\n\t5\n",
		"<html><body><table><tr><td>规章</td><td>0</td></tr></table></body></html>",
		"行政许可2629",
		"",
	}
	for _, s := range yes {
		if !sniffGlued(newSniffHead("x.txt", []byte(s))) {
			t.Errorf("sniffGlued refused glued text %q", s)
		}
	}
	for _, s := range no {
		if sniffGlued(newSniffHead("x.txt", []byte(s))) {
			t.Errorf("sniffGlued claimed %q", s)
		}
	}
}

// TestGluedGBK: a page saved in GB18030 reads like its UTF-8 twin.
func TestGluedGBK(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "glued", "2021_unique.txt"))
	if err != nil {
		t.Fatal(err)
	}
	gbk, err := gluedEncodeGB18030(string(data))
	if err != nil {
		t.Fatal(err)
	}
	a, err := readGlued("u.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	b, err := readGlued("g.txt", gbk)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Tables) != 3 || len(b.Tables) != 3 {
		t.Fatalf("tables: %d and %d, want 3", len(a.Tables), len(b.Tables))
	}
	for i := range a.Tables {
		if len(a.Tables[i].Rows) != len(b.Tables[i].Rows) {
			t.Fatalf("table %d: %d rows vs %d", i, len(a.Tables[i].Rows), len(b.Tables[i].Rows))
		}
		for j := range a.Tables[i].Rows {
			for k := range a.Tables[i].Rows[j] {
				if a.Tables[i].Rows[j][k].Text != b.Tables[i].Rows[j][k].Text {
					t.Errorf("table %d row %d cell %d: %q vs %q", i, j, k, a.Tables[i].Rows[j][k].Text, b.Tables[i].Rows[j][k].Text)
				}
			}
		}
	}
}

func gluedEncodeGB18030(s string) ([]byte, error) {
	out, err := simplifiedchinese.GB18030.NewEncoder().String(s)
	return []byte(out), err
}

// FuzzGlued: any text: readGlued returns, without panic or hang, and
// every cell it writes is a number or empty.
func FuzzGlued(f *testing.F) {
	// The whole fixtures are seeds of the normal test run; when fuzzing
	// they make the engine crawl (it minimizes every large input it finds
	// interesting), so it gets only the small seeds below.
	if fl := flag.Lookup("test.fuzz"); fl == nil || fl.Value.String() == "" {
		files, _ := filepath.Glob(filepath.Join("testdata", "glued", "*.txt"))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("二、主动公开政府信息情况规章000行政规范性文件77132470行政许可12三、收到和处理政府信息公开申请本年新收1000001（七）总计220000325四、结转下年度1.0行政复议10203120001200000"))
	f.Add([]byte("二、主动公开政府信息情况上一年项目数量行政处罚2648-18538政府集中采购2 15.5万元三、收到和处理政府信息公开申请本年新收200 000121重复申请0 0 0 0 0 0 0行政复议1 0 0 0 1"))
	f.Add([]byte("二、主动公开政府信息情况规章0000三、收到和处理政府信息公开申请数量" + strings.Repeat("9", 300)))
	f.Add([]byte("三、收到和处理政府信息公开申请本年新收1-2.3元行政复议" + strings.Repeat("1 ", 80)))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := readGlued("fuzz.txt", data)
		if err != nil {
			return
		}
		for _, tb := range doc.Tables {
			for _, row := range tb.Rows {
				for _, c := range row {
					if c.Text == "" || !strings.Contains(c.Loc, ", run ") {
						continue
					}
					if classify(c.Text) != kindNumber {
						t.Fatalf("value cell %q is neither a number nor empty", c.Text)
					}
				}
			}
		}
		_, _ = ParseBytes(t.Context(), "fuzz.txt", data)
	})
}

// gluedDoc2021 builds a small 2021 glued page: section 二 as given, every
// section 三 row zero, section 四 and what follows as given.
func gluedDoc2021(sec2, sec4 string) []byte {
	var b strings.Builder
	b.WriteString("示例乡人民政府2022年政府信息公开工作年度报告\n二、主动公开政府信息情况")
	b.WriteString(sec2)
	b.WriteString("三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他")
	for _, r := range gongkai.LayoutOf(gongkai.V2021).Rows {
		b.WriteString(r.Label)
		b.WriteString("0000000")
	}
	b.WriteString("四、政府信息公开行政复议、行政诉讼情况")
	b.WriteString(sec4)
	return []byte(b.String())
}

// TestGluedVariants: spellings and noise seen in real pages.
func TestGluedVariants(t *testing.T) {
	const sec2 = "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000"
	const zeros4 = "行政复议结果维持结果纠正其他结果尚未审结总计000000000000000"
	tests := []struct {
		name string
		data []byte
		want map[string]string // path → value, "null" for null
	}{
		{"full-width thousands separator", gluedDoc2021(sec2+"行政规范性文件000行政许可1，234行政处罚5行政强制0行政事业性收费0", zeros4+"五、存在的主要问题"),
			map[string]string{"active.licensing.decisions": "1234", "active.punishment.decisions": "5"}},
		{"full-width comma as punctuation", gluedDoc2021(sec2+"行政规范性文件000行政许可12，行政处罚5行政强制0行政事业性收费0", zeros4+"五、存在的主要问题"),
			map[string]string{"active.licensing.decisions": "12"}},
		{"2021 without 行政", gluedDoc2021(sec2+"规范性文件000行政许可7行政处罚5行政强制0行政事业性收费0", zeros4+"五、存在的主要问题"),
			map[string]string{"active.normative_documents.in_force": "0", "active.licensing.decisions": "7"}},
		{"no 五 heading after table 四", gluedDoc2021(sec2+"行政规范性文件000行政许可7行政处罚5行政强制0行政事业性收费0", zeros4+"今年，我乡将在2023年做好10项工作。"),
			map[string]string{"review_litigation.review.total": "0", "review_litigation.litigation_after_review.total": "0"}},
		{"table 四 in three runs", gluedDoc2021(sec2+"行政规范性文件000行政许可7行政处罚5行政强制0行政事业性收费0",
			"行政复议结果维持结果纠正其他结果尚未审结总计21003行政诉讼未经复议直接起诉00000复议后起诉10001五、存在的主要问题"),
			map[string]string{"review_litigation.review.upheld": "2", "review_litigation.review.corrected": "1", "review_litigation.review.total": "3",
				"review_litigation.litigation_after_review.upheld": "1", "review_litigation.litigation_after_review.total": "1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseBytes(t.Context(), "v.txt", tc.data)
			if err != nil {
				t.Fatalf("ParseBytes: %v", err)
			}
			if p.Rendering != "glued_text" {
				t.Fatalf("rendering %q", p.Rendering)
			}
			for path, want := range tc.want {
				got, _ := p.Report.Get(path)
				if got.String() != want {
					t.Errorf("%s = %s, want %s", path, got, want)
				}
			}
		})
	}
}

// TestGluedVersionWithoutSection2: with no section 二 to tell the layouts
// apart, a （六）其他处理 row with numbers means 2019, one heading the
// sub-rows 1. 2. 3. means 2021.
func TestGluedVersionWithoutSection2(t *testing.T) {
	for _, tc := range []struct {
		text string
		want gongkai.Version
	}{
		{"三、收到和处理政府信息公开申请情况重复申请0000000（六）其他处理1000001（七）总计1000001", gongkai.V2019},
		{"三、收到和处理政府信息公开申请情况重复申请0000000（六）其他处理1.申请人无正当理由0000000", gongkai.V2021},
	} {
		g := newGluedText(tc.text)
		if got := g.version(0, len(g.text)); got != tc.want {
			t.Errorf("version of %q = %s, want %s", tc.text, got, tc.want)
		}
	}
}

// TestGluedRunsSkipNumbering: bracketed numbering and years are no cells,
// so a row whose value is missing does not take them.
func TestGluedRunsSkipNumbering(t *testing.T) {
	g := newGluedText("行政许可第二十条第（6）项信息内容2023年本年处理决定数量行政处罚12")
	runs := g.runsIn(0, len(g.text))
	if len(runs) != 1 || runs[0].text != "12" {
		t.Errorf("runs %+v, want only 12", runs)
	}
}
