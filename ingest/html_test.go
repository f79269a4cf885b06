package ingest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai"
)

func readHTMLFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "html", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// cellAt returns the cell at 1-based row and column of table n (1-based).
func cellAt(t *testing.T, doc *Document, n, row, col int) Cell {
	t.Helper()
	if n > len(doc.Tables) {
		t.Fatalf("table %d missing: document has %d tables", n, len(doc.Tables))
	}
	tb := doc.Tables[n-1]
	if row > len(tb.Rows) || col > len(tb.Rows[row-1]) {
		t.Fatalf("table %d row %d col %d outside the grid", n, row, col)
	}
	return tb.Rows[row-1][col-1]
}

func TestHTMLWordExport(t *testing.T) {
	doc, err := readHTML("word_export.html", readHTMLFixture(t, "word_export.html"))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Rendering != "html" || len(doc.Tables) != 2 {
		t.Fatalf("rendering %q, %d tables; want html, 2", doc.Rendering, len(doc.Tables))
	}
	cells := []struct {
		table, row, col int
		text            string
		spanned         bool
	}{
		{1, 1, 1, "第二十条第（一）项", false},
		{1, 1, 4, "第二十条第（一）项", true}, // colspan=4 copy
		{1, 2, 2, "本年制发件数", false},   // two <p> in one cell
		{1, 2, 3, "本年废止件数", false},   // <br> inside a header
		{1, 3, 2, "", false},         // &nbsp; is blank
		{1, 3, 3, "/", false},
		{1, 4, 1, "行政规范性文件", false}, // text split over spans
		{1, 4, 4, "25", false},      // digits split over spans
		{1, 7, 2, "1.5", false},
		{1, 7, 4, "1.5", true},
		{2, 2, 4, "自然人", false},
		{2, 3, 4, "自然人", true}, // rowspan=2 copy
		{2, 3, 5, "商业企业", false},
		{2, 3, 6, "科研机构", false},
		{2, 3, 10, "总计", true},
		{2, 4, 1, "一、本年新收政府信息公开申请数量", false},
		{2, 4, 4, "10", false},
		{2, 4, 10, "12", false},
		{2, 5, 1, "三、本年度办理结果", false},
		{2, 6, 1, "三、本年度办理结果", true},
		{2, 6, 2, "（三）不予公开", false},
		{2, 6, 3, "1.属于国家秘密", false},
		{2, 7, 2, "（三）不予公开", true},
		{2, 7, 3, "2.其他法律行政法规禁止公开", false},
		{2, 7, 10, "4", false},
		{2, 8, 1, "三、本年度办理结果", true},
		{2, 8, 2, "（七）总计", false},
		{2, 8, 4, "10", false},
		{2, 9, 1, "四、结转下年度继续办理", false},
	}
	for _, c := range cells {
		got := cellAt(t, doc, c.table, c.row, c.col)
		if got.Text != c.text || got.Spanned != c.spanned {
			t.Errorf("table %d row %d col %d = %q spanned=%v; want %q spanned=%v",
				c.table, c.row, c.col, got.Text, got.Spanned, c.text, c.spanned)
		}
	}
	if got := cellAt(t, doc, 2, 6, 3).Loc; got != "table 2 row 6 col 3" {
		t.Errorf("Loc = %q", got)
	}
	for i, row := range doc.Tables[1].Rows {
		if len(row) != 10 {
			t.Errorf("table 2 row %d has %d cells, want 10", i+1, len(row))
		}
	}
	var lines []string
	for _, l := range doc.Lines {
		lines = append(lines, l.Text)
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{
		"某某镇人民政府2023年政府信息公开\n工作年度报告", // <br> in prose ends a line
		"一、总体情况",
		"2023年，全年共收到政府信息公开申请12件。",
		"三、收到和处理政府信息公开申请情况",
		"五、存在的主要问题及改进情况",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("lines lack %q:\n%s", want, all)
		}
	}
	// The <title> is a property of the page (an identity clue), not a line.
	if len(doc.Properties) != 1 || doc.Properties[0].Value != "某某镇人民政府2023年政府信息公开工作年度报告" || doc.Properties[0].Kind != PropTitle {
		t.Errorf("properties = %+v, want the <title> as a title", doc.Properties)
	}
	if strings.Contains(all, "var nav") || strings.Contains(all, "border-collapse") || strings.Contains(all, "td {") {
		t.Errorf("script or style text leaked into lines:\n%s", all)
	}
}

// TestHTMLEncodings reads the same page served in other encodings and
// expects the same document.
func TestHTMLEncodings(t *testing.T) {
	utf := readHTMLFixture(t, "word_export.html")
	want, err := readHTML("x", utf)
	if err != nil {
		t.Fatal(err)
	}
	gbk := func(b []byte) []byte {
		out, err := simplifiedchinese.GBK.NewEncoder().Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	gb18030 := func(b []byte) []byte {
		out, err := simplifiedchinese.GB18030.NewEncoder().Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	meta := []byte(`<meta http-equiv="Content-Type" content="text/html; charset=utf-8">`)
	withMeta := func(cs string) []byte {
		return bytes.Replace(utf, meta, []byte(`<meta charset="`+cs+`">`), 1)
	}
	cases := []struct {
		name string
		data []byte
	}{
		{"gbk meta charset", gbk(withMeta("gbk"))},
		{"gb2312 http-equiv", gbk(bytes.Replace(utf, []byte("charset=utf-8"), []byte("charset=gb2312"), 1))},
		{"gb18030 undeclared", gb18030(bytes.Replace(utf, meta, nil, 1))},
		{"utf-8 with stale gbk meta", withMeta("gbk")},
		{"utf-8 bom", append([]byte{0xef, 0xbb, 0xbf}, utf...)},
		{"meta after a long style block", gbk(bytes.Replace(withMeta("GBK"), []byte("<head>"),
			[]byte("<head><style>"+strings.Repeat("p{margin:0}\n", 200)+"</style>"), 1))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := readHTML("x", c.data)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.Tables, got.Tables); diff != "" {
				t.Errorf("tables differ (-utf8 +this):\n%s", diff)
			}
			if len(got.Lines) == 0 || got.Lines[len(got.Lines)-2].Text != "五、存在的主要问题及改进情况" {
				t.Errorf("lines not decoded: %v", got.Lines)
			}
		})
	}
}

// TestHTMLGBKLabelGB18030Bytes: a page labelled gbk that holds a
// character only GB18030 encodes (a CJK Extension A ideograph) is decoded
// whole, as browsers do.
func TestHTMLGBKLabelGB18030Bytes(t *testing.T) {
	page := `<html><head><meta charset="gbk"></head><body><table><tr><td>䶮镇</td><td>1</td></tr></table></body></html>`
	data, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := readHTML("x.html", data)
	if err != nil {
		t.Fatal(err)
	}
	if got := cellAt(t, doc, 1, 1, 1).Text; got != "䶮镇" {
		t.Errorf("cell = %q, want 䶮镇", got)
	}
}

// TestHTMLEmbedded reads a report carried in a JavaScript string with
// escaped quotes and \u escapes, inside a page's script and as a JSON
// answer of a site's API.
func TestHTMLEmbedded(t *testing.T) {
	for _, name := range []string{"embedded_script.html", "embedded.json"} {
		t.Run(name, func(t *testing.T) {
			data := readHTMLFixture(t, name)
			if !sniffHTML(newSniffHead(name, data)) {
				t.Errorf("sniffHTML(%s) = false", name)
			}
			doc, err := readHTML(name, data)
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Tables) != 1 {
				t.Fatalf("%d tables, want 1", len(doc.Tables))
			}
			want := [][]string{
				{"一、本年新收政府信息公开申请数量", "^一、本年新收政府信息公开申请数量", "^一、本年新收政府信息公开申请数量", "5", "1", "0", "0", "0", "0", "6"},
				{"三、本年度办理结果", "（一）予以公开", "^（一）予以公开", "4", "1", "0", "0", "0", "0", "5"},
				{"^三、本年度办理结果", "（七）总计", "^（七）总计", "5", "1", "0", "0", "0", "0", "6"},
			}
			got := gridText(doc.Tables[0])
			if name == "embedded.json" {
				// \u0028 \u0029 are half-width brackets in that file.
				want[1][1], want[1][2] = "(一)予以公开", "^(一)予以公开"
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("grid (-want +got):\n%s", diff)
			}
		})
	}
}

// gridText renders a table as text, span copies prefixed with ^.
func gridText(tb Table) [][]string {
	var out [][]string
	for _, row := range tb.Rows {
		var r []string
		for _, c := range row {
			if c.Spanned {
				r = append(r, "^"+c.Text)
			} else {
				r = append(r, c.Text)
			}
		}
		out = append(out, r)
	}
	return out
}

func TestHTMLSpans(t *testing.T) {
	cases := []struct {
		name string
		html string
		want [][]string
	}{
		{"rowspan beyond the last row is cut",
			`<table><tr><td rowspan="9">a</td><td>1</td></tr><tr><td>2</td></tr></table>`,
			[][]string{{"a", "1"}, {"^a", "2"}}},
		{"escaped quotes in span values",
			`<table><tr><td colspan=\"2\">a</td></tr><tr><td>1</td><td>2</td></tr></table>`,
			[][]string{{"a", "^a"}, {"1", "2"}}},
		{"garbage and zero spans read as 1",
			`<table><tr><td colspan="x">a</td><td rowspan="0">b</td></tr></table>`,
			[][]string{{"a", "b"}}},
		{"overlapping spans keep the first cell",
			`<table><tr><td rowspan="2">a</td><td>b</td></tr><tr><td colspan="2">c</td></tr></table>`,
			[][]string{{"a", "b"}, {"^a", "c", "^c"}}},
		{"th and thead",
			`<table><thead><tr><th>h1</th><th>h2</th></tr></thead><tbody><tr><td>x</td><td>&nbsp;</td></tr></tbody></table>`,
			[][]string{{"h1", "h2"}, {"x", ""}}},
		{"a table holding a table is layout: the inner one is the table",
			`<table><tr><td>outer<table><tr><td>in</td><td>ner</td></tr></table></td></tr></table>`,
			[][]string{{"in", "ner"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := readHTML("x.html", []byte(c.html))
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Tables) == 0 {
				t.Fatal("no table")
			}
			if diff := cmp.Diff(c.want, gridText(doc.Tables[0])); diff != "" {
				t.Errorf("grid (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHTMLLayoutTables: older sites lay the page out with tables; the
// prose in them stays running text and only data tables become tables.
func TestHTMLLayoutTables(t *testing.T) {
	article := strings.Repeat("2023年，本机关认真贯彻落实《条例》，", 20)
	page := `<table width="100%"><tr><td><a href="/">首页</a><br><a href="/x">政务公开</a></td><td>` +
		`<p>一、总体情况</p><p>` + article + `</p><p>三、收到和处理政府信息公开申请情况</p>` +
		`<table border="1"><tr><td colspan="2">一、本年新收政府信息公开申请数量</td><td>5</td></tr>` +
		`<tr><td>三、本年度办理结果</td><td>（一）予以公开</td><td>5</td></tr></table>` +
		`<p>四、政府信息公开行政复议、行政诉讼情况</p></td></tr></table>` +
		`<table><tr><td>版权所有：某某镇人民政府</td></tr></table>`
	doc, err := readHTML("layout.html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"一、本年新收政府信息公开申请数量", "^一、本年新收政府信息公开申请数量", "5"},
		{"三、本年度办理结果", "（一）予以公开", "5"},
	}
	if len(doc.Tables) != 1 {
		t.Fatalf("%d tables, want 1", len(doc.Tables))
	}
	if diff := cmp.Diff(want, gridText(doc.Tables[0])); diff != "" {
		t.Errorf("grid (-want +got):\n%s", diff)
	}
	if doc.Tables[0].Loc != "table 1" {
		t.Errorf("Loc %q", doc.Tables[0].Loc)
	}
	var lines []string
	for _, l := range doc.Lines {
		lines = append(lines, l.Text)
	}
	wantLines := []string{"首页", "政务公开", "一、总体情况", strings.TrimSuffix(article, ""),
		"三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", "版权所有：某某镇人民政府"}
	if diff := cmp.Diff(wantLines, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

func TestHTMLColspanBombIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("<table>")
	for i := 0; i < 2000; i++ {
		b.WriteString(`<tr><td colspan="1000" rowspan="65534">x</td><td>y</td></tr>`)
	}
	b.WriteString("</table>")
	doc, err := readHTML("bomb.html", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Tables) != 1 {
		t.Fatalf("%d tables, want 1", len(doc.Tables))
	}
	n := 0
	for _, row := range doc.Tables[0].Rows {
		n += len(row)
	}
	if n > maxTableCells {
		t.Errorf("%d cells, limit %d", n, maxTableCells)
	}
}

func TestHTMLTooLarge(t *testing.T) {
	_, err := readHTML("big.html", make([]byte, maxHTMLBytes+1))
	if !errors.Is(err, gongkai.ErrUnreadable) {
		t.Errorf("err = %v, want ErrUnreadable", err)
	}
}

func TestHTMLSniff(t *testing.T) {
	cases := []struct {
		name string
		head string
		want bool
	}{
		{"a.txt", "<!DOCTYPE html><html>", true},
		{"a", "  <TABLE border=1>", true},
		{"a.js", `var s="\u003ctable\u003e"`, true},
		{"page.htm", "纯文本", true},
		{"a.txt", "一、总体情况\n\t规章\t0", false},
		{"a.pdf", "%PDF-1.7", false},
	}
	for _, c := range cases {
		if got := sniffHTML(newSniffHead(c.name, []byte(c.head))); got != c.want {
			t.Errorf("sniffHTML(%q, %q) = %v, want %v", c.name, c.head, got, c.want)
		}
	}
}

// TestHTMLCorpus010 reads the real Word-exported page of the corpus and
// checks every hand-read cell against the grid.
func TestHTMLCorpus010(t *testing.T) {
	dir := corpusDir(t)
	data, err := os.ReadFile(filepath.Join(dir, "raw", "010.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := readHTML("010.html", data)
	if err != nil {
		t.Fatal(err)
	}
	n := checkGridAgainstTruth(t, doc, loadTruth(t, "010.json"))
	// 25 rows × 7 + 10 active cells + 15 review cells, none null in 010.
	if n != 25*7+10+15 {
		t.Errorf("%d truth cells matched, want %d", n, 25*7+10+15)
	}
}

func FuzzHTML(f *testing.F) {
	for _, name := range []string{"word_export.html", "embedded_script.html", "embedded.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "html", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<table><tr><td rowspan=3 colspan=2>a<td>b<tr><td>c</table>`))
	f.Add([]byte(`<script>x="<td colspan=\"2\">\u4e00</td>"</script>`))
	f.Add([]byte(`<p>1</span>2<b>3<table><caption>c<tr><td>a<p>b<td><select><option>x</select><tr><th>1<th>2</table></b>4<!--x-->5`))
	f.Add([]byte(`<head><title>t</title></head><body><h1>一<li>二<pre>
三</pre><svg><desc>d</desc></svg><form>f</form></body></html>后`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		doc, err := readHTML("fuzz.html", data)
		if err != nil {
			return
		}
		assertTableSizes(t, doc)
		// The stream reads what it reads as the tree does.
		htmlSame(t, "fuzz.html", data)
	})
}

// TestHTMLParseBytes010 runs the real page through detection, this reader
// and the recognizer: every hand-read cell must come out right.
func TestHTMLParseBytes010(t *testing.T) {
	parseCorpusAgainstTruth(t, "010.html", "html", "010.json")
}

// TestHTMLParseBytesFixtures: the fixtures are detected as HTML by content
// whatever their name (they are report fragments, so only detection is
// tested here).
func TestHTMLParseBytesFixtures(t *testing.T) {
	for _, name := range []string{"word_export.html", "embedded_script.html"} {
		p, err := ParseBytes(t.Context(), "download.bin", readHTMLFixture(t, name))
		if p.Rendering != "html" {
			t.Errorf("%s: rendering %q (err %v), want html", name, p.Rendering, err)
		}
	}
}
