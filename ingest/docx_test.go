package ingest

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
)

const wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`

// buildDOCX zips a minimal Word package around body (the inside of
// w:body); extra parts are added as given.
func buildDOCX(t testing.TB, body string, extra map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := map[string][]byte{
		"[Content_Types].xml": []byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`),
		"word/document.xml":   []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + wordNS + `><w:body>` + body + `</w:body></w:document>`),
	}
	for k, v := range extra {
		parts[k] = v
	}
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(parts[name]); err != nil {
			t.Fatal(err)
		}
		delete(parts, name)
	}
	for name, data := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Small builders for WordprocessingML.
func wp(runs ...string) string {
	var b strings.Builder
	b.WriteString(`<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs><w:jc w:val="center"/></w:pPr>`)
	for _, r := range runs {
		if r == "\n" {
			b.WriteString(`<w:r><w:br/></w:r>`)
			continue
		}
		b.WriteString(`<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">` + r + `</w:t></w:r>`)
	}
	b.WriteString(`</w:p>`)
	return b.String()
}

func wtc(props string, paras ...string) string {
	return `<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/>` + props + `</w:tcPr>` + strings.Join(paras, "") + `</w:tc>`
}

func wtr(cells ...string) string {
	return `<w:tr><w:trPr><w:jc w:val="center"/></w:trPr>` + strings.Join(cells, "") + `</w:tr>`
}

func wtbl(rows ...string) string {
	return `<w:tbl><w:tblPr><w:tblW w:w="9000"/></w:tblPr><w:tblGrid><w:gridCol w:w="1000"/></w:tblGrid>` + strings.Join(rows, "") + `</w:tbl>`
}

const (
	span3   = `<w:gridSpan w:val="3"/>`
	restart = `<w:vMerge w:val="restart"/>`
	cont    = `<w:vMerge/>`
)

func sampleDOCXBody() string {
	return wp("一、总体", "情况") +
		wp("全年共收到申请", "12", "件。") +
		`<w:p><w:r><w:t>删</w:t></w:r><w:del w:id="1"><w:r><w:delText>已删除</w:delText></w:r></w:del><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>留</w:t></w:r></w:p>` +
		wp("三、收到和处理政府信息公开申请情况") +
		wtbl(
			wtr(wtc(span3+restart, wp("（本列数据的勾稽关系为：", "第一项加第二项之和，等于第三项加第四项之和）")), wtc(restart, wp("自然人")), wtc(`<w:gridSpan w:val="2"/>`, wp("法人或其他组织")), wtc(restart, wp("总计"))),
			wtr(wtc(span3+cont, wp("")), wtc(cont), wtc("", wp("商业", "\n", "企业")), wtc("", wp("科研"), wp("机构")), wtc(cont)),
			wtr(wtc(span3, wp("一、本年新收政府信息公开申请数量")), wtc("", wp("1", "0")), wtc("", wp("2")), wtc("", wp("0")), wtc("", wp("12"))),
			wtr(wtc(restart, wp("三、本年度办理结果")), wtc(restart, wp("（三）不予公开")), wtc("", wp("1.属于", "国家秘密")), wtc("", wp("1")), wtc("", wp("")), wtc("", wp("/")), wtc("", wp("1"))),
			wtr(wtc(cont), wtc(cont), wtc("", wp("2.其他法律行政法规禁止公开")), wtc("", wp("3")), wtc("", wp("1")), wtc("", wp("0")), wtc("", wp("4"))),
			`<w:tr><w:trPr><w:gridBefore w:val="2"/></w:trPr>`+wtc("", wp("x"))+wtc(`<w:gridSpan w:val="4"/>`, wp("y"))+`</w:tr>`,
		) +
		wp("四、政府信息公开行政复议、行政诉讼情况") +
		wtbl(wtr(wtc("", wp("外"), wtbl(wtr(wtc("", wp("内")))), wp("层")))) +
		`<mc:AlternateContent><mc:Choice Requires="wps"><w:p><w:r><w:t>选择</w:t></w:r></w:p></mc:Choice><mc:Fallback><w:p><w:r><w:t>备用</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent>` +
		wp("五、存在的主要问题及改进情况")
}

func TestDOCXTablesAndParagraphs(t *testing.T) {
	data := buildDOCX(t, sampleDOCXBody(), nil)
	if !sniffDOCX(newSniffHead("report.bin", data[:min(len(data), 512)])) {
		t.Error("sniffDOCX does not accept a Word zip")
	}
	doc, err := readDOCX("r.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range doc.Lines {
		lines = append(lines, l.Text)
	}
	wantLines := []string{"一、总体情况", "全年共收到申请12件。", "删留", "三、收到和处理政府信息公开申请情况",
		"四、政府信息公开行政复议、行政诉讼情况", "选择", "五、存在的主要问题及改进情况"}
	if diff := cmp.Diff(wantLines, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if len(doc.Tables) != 3 {
		t.Fatalf("%d tables, want 3 (one nested)", len(doc.Tables))
	}
	h := "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
	want := [][]string{
		{h, "^" + h, "^" + h, "自然人", "法人或其他组织", "^法人或其他组织", "总计"},
		{"^" + h, "^" + h, "^" + h, "^自然人", "商业企业", "科研机构", "^总计"},
		{"一、本年新收政府信息公开申请数量", "^一、本年新收政府信息公开申请数量", "^一、本年新收政府信息公开申请数量", "10", "2", "0", "12"},
		{"三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "1", "", "/", "1"},
		{"^三、本年度办理结果", "^（三）不予公开", "2.其他法律行政法规禁止公开", "3", "1", "0", "4"},
		{"", "", "x", "y", "^y", "^y", "^y"},
	}
	if diff := cmp.Diff(want, gridText(doc.Tables[0])); diff != "" {
		t.Errorf("table 1 (-want +got):\n%s", diff)
	}
	if got := doc.Tables[0].Rows[3][2].Loc; got != "table 1 row 4 col 3" {
		t.Errorf("Loc = %q", got)
	}
	if diff := cmp.Diff([][]string{{"外层"}}, gridText(doc.Tables[1])); diff != "" {
		t.Errorf("outer table (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([][]string{{"内"}}, gridText(doc.Tables[2])); diff != "" {
		t.Errorf("nested table (-want +got):\n%s", diff)
	}
	if doc.Tables[2].Loc != "table 3" || doc.Tables[2].Rows[0][0].Loc != "table 3 row 1 col 1" {
		t.Errorf("nested table Loc %q / %q", doc.Tables[2].Loc, doc.Tables[2].Rows[0][0].Loc)
	}
}

func TestDOCXErrors(t *testing.T) {
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < maxDocXMLBytes>>20+1; i++ {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	good := buildDOCX(t, wp("x"), nil)
	cases := []struct {
		name string
		file string
		data []byte
		want error
		msg  string
	}{
		{"truncated zip", "a.docx", good[:len(good)/2], gongkai.ErrUnreadable, "not a readable DOCX"},
		{"not a zip", "a.docx", []byte("PK\x03\x04garbage"), gongkai.ErrUnreadable, "not a readable DOCX"},
		{"zip without document.xml", "a.docx", buildZip(t, map[string]string{"a.txt": "x"}), gongkai.ErrUnreadable, "no word/document.xml"},
		{"zip bomb", "a.docx", bomb.Bytes(), gongkai.ErrUnreadable, "limit"},
		{"bad XML", "a.docx", buildZip(t, map[string]string{"word/document.xml": "<w:document><w:body><w:p>"}), gongkai.ErrUnreadable, "bad XML"},
		{"legacy .doc", "a.doc", append(append([]byte{}, oleMagic...), make([]byte, 512)...), gongkai.ErrUnsupported, "legacy Word"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readDOCX(c.file, c.data)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			var ge *gongkai.Error
			if !errors.As(err, &ge) || ge.Path != c.file {
				t.Errorf("error %v does not name the file", err)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q does not say %q", err, c.msg)
			}
		})
	}
}

func buildZip(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, s := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDOCXTemplate013 reads the blank national template of the corpus: the
// three tables come out with their labels and every value cell empty.
func TestDOCXTemplate013(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpusDir(t), "raw", "013-template.docx"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := readDOCX("013-template.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Tables) != 3 {
		t.Fatalf("%d tables, want 3", len(doc.Tables))
	}
	layout := gongkai.LayoutOf(gongkai.V2021)
	for _, r := range layout.Rows {
		row := findRow(doc, r.Label)
		if len(row) != 10 {
			t.Errorf("row %s: %d cells, want 10", r.Key, len(row))
			continue
		}
		for _, c := range row[3:] {
			if c.Text != "" {
				t.Errorf("row %s: value cell %s = %q, want empty", r.Key, c.Loc, c.Text)
			}
		}
	}
	for _, item := range layout.Active {
		row := findRow(doc, item.Label)
		if len(row) != 4 {
			t.Errorf("item %s: %d cells", item.Key, len(row))
			continue
		}
		for _, c := range row[1:] {
			if c.Text != "" {
				t.Errorf("item %s: %s = %q", item.Key, c.Loc, c.Text)
			}
		}
	}
	review := doc.Tables[2].Rows
	if last := review[len(review)-1]; len(last) != 15 {
		t.Errorf("review value row has %d cells", len(last))
	}
	if got := cellAt(t, doc, 2, 3, 5).Text; got != "商业企业" {
		t.Errorf("header 商业企业 read as %q", got)
	}
}

func FuzzDOCX(f *testing.F) {
	f.Add(buildDOCX(f, sampleDOCXBody(), nil))
	f.Add(buildDOCX(f, wtbl(wtr(wtc(span3+restart, wp("a"))), wtr(wtc(cont), wtc(`<w:gridSpan w:val="99999"/>`))), nil))
	f.Add([]byte("PK\x03\x04"))
	// Seeds that are no zip go straight to the document.xml parser, so
	// the fuzzer can work on the XML without breaking zip checksums.
	f.Add([]byte(`<w:document ` + wordNS + `><w:body>` + sampleDOCXBody() + `</w:body></w:document>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		doc, err := readDOCX("fuzz.docx", data)
		if !bytes.HasPrefix(data, zipMagic) {
			doc, err = parseDocumentXML("fuzz.xml", data)
			// The scanner reads what encoding/xml read, the same way.
			old, oldErr := parseDocumentXMLRef("fuzz.xml", bytes.NewReader(data))
			if err == nil && oldErr == nil {
				if diff := cmp.Diff(old, doc, cmp.AllowUnexported(Document{})); diff != "" {
					t.Fatalf("scanner and encoding/xml differ (-old +new):\n%s", diff)
				}
			} else if (err == nil) != (oldErr == nil) {
				t.Fatalf("scanner error %v, encoding/xml error %v", err, oldErr)
			}
		}
		if err != nil {
			return
		}
		assertTableSizes(t, doc)
	})
}

// TestDOCXParseBytesTemplate013: the blank template parses, and every cell
// of the report is null, none 0.
func TestDOCXParseBytesTemplate013(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpusDir(t), "raw", "013-template.docx"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseBytes(t.Context(), "013-template.docx", data)
	if p.Rendering != "docx" {
		t.Errorf("rendering %q, want docx", p.Rendering)
	}
	if p.Report == nil {
		t.Fatalf("no report: %v", err)
	}
	if p.Report.FormatVersion != gongkai.V2021 {
		t.Errorf("version %q, want 2021", p.Report.FormatVersion)
	}
	cells := p.Report.Cells()
	if len(cells) != 10+25*7+15 {
		t.Errorf("%d cells", len(cells))
	}
	for _, c := range cells {
		if c.Value.Valid() {
			t.Errorf("%s = %v, want null", c.Path(), c.Value)
		}
	}
}

// TestDOCXParseBytesBuilt: a DOCX built here, named .bin, is detected by
// content (its tables are only a fragment of a report, so the recognizer
// may refuse it; detection is what is tested).
func TestDOCXParseBytesBuilt(t *testing.T) {
	p, err := ParseBytes(t.Context(), "download.bin", buildDOCX(t, sampleDOCXBody(), nil))
	if p.Rendering != "docx" {
		t.Fatalf("rendering %q (err %v), want docx", p.Rendering, err)
	}
}
