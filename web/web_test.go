package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai"
	"gongkai/store"
	"gongkai/web"
)

// newPage serves the page alone (no API) over the sample store.
func newPage(t *testing.T) *httptest.Server {
	t.Helper()
	open := func(ctx context.Context) (*store.Store, func(), error) {
		st, err := store.OpenReadOnly(ctx, sampleDB)
		if err != nil {
			return nil, nil, err
		}
		return st, func() { st.Close() }, nil
	}
	mux := http.NewServeMux()
	web.New(open, nil).Mount(mux)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

func get(t *testing.T, ts *httptest.Server, path string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// TestPages checks each page's status and what it must say, in Chinese by
// default and in English with ?lang=en.
func TestPages(t *testing.T) {
	ts := newPage(t)
	tests := []struct {
		name, path string
		status     int
		want       []string
		not        []string
	}{
		{"first visit lists the divisions with data", "/", 200,
			[]string{`<html lang="zh-CN">`, `<option value="370000">山东省 (78)</option>`, `href="/?division=371003">山东省威海市文登区</a>`, "请选择一个行政区划"},
			[]string{"table-applications"}},
		{"english", "/?lang=en", 200, []string{`<html lang="en">`, "Choose a division", `name="lang" value="en"`}, nil},
		// The 2020 sample has an R4 failure in 行政诉讼·未经复议直接起诉 (总计 3, its
		// four results 0): its message is Chinese on the Chinese page
		// (html/template writes + as &#43;).
		{"finding messages in the page's language", "/?division=371003&year=2020", 200,
			[]string{"行政诉讼·未经复议直接起诉：总计为 3，但结果维持 &#43; 结果纠正 &#43; 其他结果 &#43; 尚未审结 = 0，二者不相等"},
			[]string{"总计 is 3 but"}},
		{"finding messages in English", "/?division=371003&year=2020&lang=en", 200,
			[]string{"litigation_direct (行政诉讼·未经复议直接起诉): 总计 is 3 but 维持 &#43; 纠正 &#43; 其他 &#43; 尚未审结 = 0"},
			[]string{"总计为 3"}},
		{"division by name, latest year by default", "/?division=文登区", 200,
			[]string{"山东省威海市文登区 2024年政府信息公开工作年度报告 汇总", `<option value="2024" selected>`}, nil},
		{"compiled 2023", "/?division=371003&year=2023", 200,
			[]string{"山东省威海市文登区 2023年政府信息公开工作年度报告 汇总（13个机关）",
				// 本年新收 总计: 365 + 118 + 46 + 28 + 10 + 2 + 2, read from the 2023 reports.
				`data-path="applications.1_new.total">571</td>`,
				`id="table-active"`, `id="table-review"`, gongkai.HeadingApplications, gongkai.R1Note,
				`id="chart-trend"`, `id="chart-compare"`, `id="chart-rate"`, `<b id="n-bodies">13</b>`,
				// 8 of 文登区's townships in the divisions data have no report.
				`<b id="n-missing">8</b>`, "区划数据中有此乡镇（街道），未见其报告",
				`href="/ui/download/compile.xlsx?division=371003&amp;year=2023"`,
				`href="/v1/rollups/levels?year=2023&amp;division=371003&amp;format=parquet"`},
			nil},
		{"picker fields, a stale county dropped", "/?d1=370000&d2=371000&d3=110101&year=2023", 200,
			[]string{"山东省威海市 2023年政府信息公开工作年度报告 汇总", `<option value="371000" selected>`}, []string{"山东省威海市文登区 2023"}},
		{"a year without reports", "/?division=371003&year=2010", 200, []string{`id="noyear"`}, nil},
		{"unknown division", "/?division=火星区", 400, []string{`id="error"`, "火星区"}, nil},
		{"bad year", "/?division=371003&year=abc", 400, []string{"year", "abc", "页面：用法错误：", "年度须为 2008 年及以后"}, nil},
		{"bad year in English", "/?division=371003&year=abc&lang=en", 400, []string{"page: usage: ", "a year from 2008 on"}, []string{"年度须为"}},
		{"no such report", "/ui/report/99999", 404, []string{"99999"}, nil},
		{"report id not a number", "/ui/report/x", 400, []string{"x"}, nil},
		{"style sheet", "/ui/static/style.css", 200, []string{"table.form td.flag"}, nil},
		{"no such download", "/ui/download/everything.zip", 404, []string{"everything.zip"}, nil},
		{"download without year", "/ui/download/compile.csv?division=371003", 400, []string{"year"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := get(t, ts, tt.path)
			if status != tt.status {
				t.Errorf("GET %s: status %d, want %d\n%.600s", tt.path, status, tt.status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s: no %q in the page", tt.path, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(body, n) {
					t.Errorf("GET %s: %q should not be in the page", tt.path, n)
				}
			}
		})
	}
}

// TestBodyReport opens a body's report from the compiled page's list, as
// a user clicks it: 侯家镇 2020 fails R4 on its 行政诉讼·未经复议直接起诉 block
// (总计 3, the parts 0: testdata/sample/2020_威海市文登区侯家镇人民政府.txt).
func TestBodyReport(t *testing.T) {
	ts := newPage(t)
	_, _, page := get(t, ts, "/?division=371003&year=2020")
	m := regexp.MustCompile(`<a href="(/ui/report/\d+)\?division=371003&amp;year=2020">威海市文登区侯家镇人民政府</a>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no link to 侯家镇's report in the bodies list")
	}
	status, _, body := get(t, ts, m[1]+"?division=371003&year=2020")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	for _, w := range []string{
		"<h2 id=\"title\">威海市文登区侯家镇人民政府 2020</h2>",
		// The finding, its block linked, the block's first cell the anchor.
		`<tr class="finding" data-rule="R4">`,
		`<a href="#cell-review_litigation.litigation_direct">四 · 行政诉讼·未经复议直接起诉</a>`,
		`<a class="row-anchor" id="cell-review_litigation.litigation_direct"></a>`,
		// Every cell of the block is marked, the total read from its line
		// (the place in the page's language).
		`class="n flag" id="cell-review_litigation.litigation_direct.total" data-path="review_litigation.litigation_direct.total" title="第 `,
		`id="list-provenance"`, "返回汇总", `href="/?division=371003&amp;year=2020"`,
	} {
		if !strings.Contains(body, w) {
			t.Errorf("no %q in the report page", w)
		}
	}
	// The rule's own statement beside its name, as the domain states it
	// (html/template writes + as &#43;).
	if w := `<td>R4<div class="note">` + ruleStatement(t, "R4") + `</div></td>`; !strings.Contains(html.UnescapeString(body), w) {
		t.Errorf("no %q in the report page", w)
	}
	if n := strings.Count(body, `class="n flag"`); n != 5 {
		t.Errorf("%d cells marked, want the block's 5", n)
	}
	if strings.Contains(body, `title="line `) {
		t.Error("the Chinese page names a place in English")
	}
	_, _, en := get(t, ts, m[1]+"?division=371003&year=2020&lang=en")
	if !strings.Contains(en, `data-path="review_litigation.litigation_direct.total" title="line `) {
		t.Error("the English page does not name the place in English")
	}
}

func ruleStatement(t *testing.T, rule string) string {
	for _, r := range gongkai.Rules {
		if r.Rule == rule {
			return r.Statement
		}
	}
	t.Fatalf("no rule %s", rule)
	return ""
}

// TestDownloads checks the compiled CSV (BOM, official labels, one row per
// cell) and the workbook (the compile command's sheets).
func TestDownloads(t *testing.T) {
	ts := newPage(t)
	status, h, body := get(t, ts, "/ui/download/compile.csv?division=371003&year=2023")
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	if !strings.HasPrefix(body, "\ufeff") {
		t.Error("the CSV has no byte-order mark (Excel on Chinese Windows would show mojibake)")
	}
	if cd := h.Get("Content-Disposition"); !strings.Contains(cd, "compile-371003-2023.csv") || !strings.Contains(cd, "filename*=UTF-8''%E6%96%87%E7%99%BB%E5%8C%BA2023") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	// The same bytes as the command line's.
	cliCSV, err := runCLI(t.Context(), "compile", "--db", sampleDB, "--division", "371003", "--year", "2023", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if string(cliCSV) != body {
		t.Error("the page's CSV differs from gongkai compile --format csv")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cells := gongkai.NewReport(gongkai.V2021).Cells()
	if len(rows) != len(cells)+1 {
		t.Errorf("%d rows, want a header and %d cells", len(rows), len(cells))
	}
	found := false
	for _, r := range rows {
		if r[4] == "applications.1_new.total" {
			found = true
			want := []string{gongkai.HeadingApplications, "一、本年新收政府信息公开申请数量", "总计", "571"}
			if strings.Join(r[:4], "|") != strings.Join(want, "|") {
				t.Errorf("row %q, want %q", r, want)
			}
		}
	}
	if !found {
		t.Error("no row for applications.1_new.total")
	}

	status, h, body = get(t, ts, "/ui/download/compile.xlsx?division=文登区&year=2023")
	if status != 200 || !strings.Contains(h.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("status %d, type %s", status, h.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 4 || got[1] != gongkai.HeadingApplications {
		t.Errorf("sheets %q", got)
	}
}
