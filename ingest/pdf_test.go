package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"gongkai"
)

// A tiny PDF writer for fixtures: one Type0 font with Identity-H codes and
// a ToUnicode map (as Word and WPS write CJK text), text shown one string
// per cell, and rulings drawn as stroked lines or per-cell boxes.

type pdfText struct {
	x, y, size float64
	s          string
}

type pdfPageSpec struct {
	texts []pdfText
	ops   []string // raw graphics operators (rulings, clips, cm)
	// form puts the page's content in a Form XObject shifted by
	// (formDX, formDY), drawn with Do; image adds a page-filling image.
	form           bool
	formDX, formDY float64
	image          bool
}

func buildPDF(t testing.TB, pages []pdfPageSpec) []byte {
	t.Helper()
	codes := map[rune]int{}
	var runes []rune
	for _, p := range pages {
		for _, tx := range p.texts {
			for _, r := range tx.s {
				if _, ok := codes[r]; !ok {
					runes = append(runes, r)
					codes[r] = len(runes)
				}
			}
		}
	}
	var objs []string
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	stream := func(dict, body string) string {
		return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(body), body)
	}
	// 1 catalog, 2 pages: filled in at the end.
	add("")
	add("")
	var cmap strings.Builder
	cmap.WriteString("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Fixture def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n")
	for i := 0; i < len(runes); i += 100 {
		end := min(i+100, len(runes))
		fmt.Fprintf(&cmap, "%d beginbfchar\n", end-i)
		for j := i; j < end; j++ {
			u := utf16.Encode([]rune{runes[j]})
			fmt.Fprintf(&cmap, "<%04X> <", j+1)
			for _, x := range u {
				fmt.Fprintf(&cmap, "%04X", x)
			}
			cmap.WriteString(">\n")
		}
		cmap.WriteString("endbfchar\n")
	}
	cmap.WriteString("endcmap CMapName currentdict /CMap defineresource pop end end")
	toUni := add(stream("", cmap.String()))
	cid := add("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 >>")
	font := add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", cid, toUni))
	// F2: a subset TrueType font with one-byte codes, as LibreOffice
	// writes digits: code 0x0A is "5", 0x07 is "3", 0x0C is "-".
	f2uni := add(stream("", "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /F2 def 1 begincodespacerange <00> <FF> endcodespacerange\n"+
		"4 beginbfchar\n<07> <0033>\n<0A> <0035>\n<0C> <002D>\n<01> <0032>\nendbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end"))
	font2 := add(fmt.Sprintf("<< /Type /Font /Subtype /TrueType /BaseFont /CAAAAA+DejaVuSans /FirstChar 0 /LastChar 13 /Widths [0 636 636 636 636 636 636 636 636 636 636 336 360 317] /ToUnicode %d 0 R >>", f2uni))
	var kids []string
	for _, p := range pages {
		var c strings.Builder
		for _, op := range p.ops {
			c.WriteString(op + "\n")
		}
		for _, tx := range p.texts {
			fmt.Fprintf(&c, "BT /F1 %g Tf %g %g Td <", tx.size, tx.x, tx.y)
			for _, r := range tx.s {
				fmt.Fprintf(&c, "%04X", codes[r])
			}
			c.WriteString("> Tj ET\n")
		}
		fontRes := fmt.Sprintf("/Font << /F1 %d 0 R /F2 %d 0 R >>", font, font2)
		body := c.String()
		xobj := ""
		if p.form {
			fm := add(stream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Matrix [1 0 0 1 %g %g] /Resources << %s >>",
				p.formDX, p.formDY, fontRes), body))
			xobj = fmt.Sprintf("/Fm1 %d 0 R", fm)
			body = "q /Fm1 Do Q"
		}
		if p.image {
			im := add(stream("/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8", "\x80"))
			xobj += fmt.Sprintf(" /Im1 %d 0 R", im)
			body += "\nq 595 0 0 842 0 0 cm /Im1 Do Q"
		}
		content := add(stream("", body))
		res := fontRes
		if xobj != "" {
			res += " /XObject << " + xobj + " >>"
		}
		page := add(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s >> /Contents %d 0 R >>", res, content))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	objs[0] = "<< /Type /Catalog /Pages 2 0 R >>"
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// gridOps draws a table's rulings as stroked lines: every horizontal line
// at ys across [x0,x1], every vertical line at xs across [y0,y1], except
// the pieces listed in gaps (merged cells), given as "h y xa xb" or
// "v x ya yb" ranges that are left undrawn.
func gridOps(xs, ys []float64, skip func(vertical bool, at, from, to float64) bool) []string {
	var ops []string
	for i := 0; i+1 < len(xs); i++ {
		for _, y := range ys {
			if skip != nil && skip(false, y, xs[i], xs[i+1]) {
				continue
			}
			ops = append(ops, fmt.Sprintf("%g %g m %g %g l S", xs[i], y, xs[i+1], y))
		}
	}
	for i := 0; i+1 < len(ys); i++ {
		for _, x := range xs {
			if skip != nil && skip(true, x, ys[i+1], ys[i]) {
				continue
			}
			ops = append(ops, fmt.Sprintf("%g %g m %g %g l S", x, ys[i+1], x, ys[i]))
		}
	}
	return ops
}

// samplePDF is a two-page report fragment: a heading, a table whose label
// column holds a cell merged over three rows printed one character per
// line, a header broken mid-word, and the table running on to page 2.
func samplePDF(t testing.TB) []byte {
	xs := []float64{50, 100, 250, 320, 390}
	// page 1 rows: header, 3 rows; page 2: 2 rows
	ys1 := []float64{700, 670, 650, 630, 610}
	// col 0 is merged over rows 1..3 on page 1 and continues on page 2.
	skip1 := func(vertical bool, at, from, to float64) bool {
		// no horizontal line inside the merged cell (rows 1-3, col 0),
		// and the header's first two columns are one cell.
		if !vertical && from == 50 && (at == 650 || at == 630) {
			return true
		}
		if vertical && at == 100 && from >= 670 {
			return true
		}
		return false
	}
	p1 := pdfPageSpec{
		ops: append([]string{"0.5 w"}, gridOps(xs, ys1, skip1)...),
		texts: []pdfText{
			{60, 760, 16, "三、收到和处理政府信息公开申请情况"},
			{60, 680, 9, "（本列数据的勾稽关系）"},
			{260, 685, 9, "商业企"}, {260, 674, 9, "业"},
			{330, 680, 9, "总计"},
			{70, 655, 9, "三"}, {70, 640, 9, "本"}, {70, 625, 9, "年"},
			{105, 656, 9, "（一）予以公开"}, {270, 656, 9, "12"}, {340, 656, 9, "1,234"},
			{105, 636, 9, "（二）部分公开"}, {270, 636, 9, "0"}, {340, 636, 9, "/"},
			{105, 616, 9, "（三）不予公开"}, {270, 616, 9, "3"}, {340, 616, 9, "3"},
			{290, 60, 9, "-1-"},
		},
	}
	// page 2: the merged cell goes on (top edge open), then a last row.
	ys2 := []float64{780, 760, 740}
	// the last row's label spans the first two columns.
	skip2 := func(vertical bool, at, from, to float64) bool {
		return vertical && at == 100 && from == 740
	}
	p2 := pdfPageSpec{
		ops: append([]string{"1 0 0 1 0 0 cm"}, gridOps(xs, ys2, skip2)...),
		texts: []pdfText{
			{70, 765, 9, "度"},
			{105, 765, 9, "（七）总计"}, {270, 765, 9, "15"}, {340, 765, 9, "4"},
			{60, 745, 9, "四、结转下年度继续办理"}, {270, 745, 9, "0"}, {340, 745, 9, "0"},
			{60, 700, 12, "四、政府信息公开行政复议、行政诉讼情况"},
		},
	}
	return buildPDF(t, []pdfPageSpec{p1, p2})
}

func TestPDFTablesFromRulings(t *testing.T) {
	data := samplePDF(t)
	if !sniffPDF(newSniffHead("x.bin", data)) {
		t.Fatal("sniffPDF does not accept the fixture")
	}
	doc, err := readPDF("fixture.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Tables) != 1 {
		for _, tb := range doc.Tables {
			t.Log(gridText(tb))
		}
		t.Fatalf("%d tables, want 1 (the page-2 part is a continuation)", len(doc.Tables))
	}
	want := [][]string{
		{"（本列数据的勾稽关系）", "^（本列数据的勾稽关系）", "商业企业", "总计"},
		{"三本年度", "（一）予以公开", "12", "1,234"},
		{"^三本年度", "（二）部分公开", "0", "/"},
		{"^三本年度", "（三）不予公开", "3", "3"},
		{"^三本年度", "（七）总计", "15", "4"},
		{"四、结转下年度继续办理", "^四、结转下年度继续办理", "0", "0"},
	}
	if diff := cmp.Diff(want, gridText(doc.Tables[0])); diff != "" {
		t.Errorf("grid (-want +got):\n%s", diff)
	}
	if got := doc.Tables[0].Rows[4][1].Loc; got != "table 1 row 5 col 2" {
		t.Errorf("Loc = %q", got)
	}
	var lines []string
	for _, l := range doc.Lines {
		lines = append(lines, l.Loc+": "+l.Text)
	}
	wantLines := []string{
		"page 1 line 1: 三、收到和处理政府信息公开申请情况",
		"page 1 line 2: -1-",
		"page 2 line 1: 四、政府信息公开行政复议、行政诉讼情况",
	}
	if diff := cmp.Diff(wantLines, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

// TestPDFCellBoxes reads a table drawn the WPS way: each cell is a clip
// box ("re W n") in a flipped coordinate system (cm), not a stroked line.
func TestPDFCellBoxes(t *testing.T) {
	// y-down user space: cm 1 0 0 -1 0 842; boxes in that space.
	box := func(x, y, w, h float64) string { return fmt.Sprintf("q %g %g %g %g re W n Q", x, y, w, h) }
	ops := []string{"q 0 0 595 842 re W n", "1 0 0 -1 0 842 cm",
		box(50, 100, 100, 20), box(150, 100, 60, 20), box(210, 100, 60, 20),
		box(50, 120, 100, 20), box(150, 120, 120, 20), // second row: merged value
		"Q"}
	// page space: row 1 is y 742..722, row 2 y 722..702
	data := buildPDF(t, []pdfPageSpec{{ops: ops, texts: []pdfText{
		{55, 728, 9, "行政规范性文件"}, {160, 728, 9, "8"}, {220, 728, 9, "26"},
		{55, 708, 9, "行政许可"}, {160, 708, 9, "447228"},
	}}})
	doc, err := readPDF("boxes.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Tables) != 1 {
		t.Fatalf("%d tables, want 1", len(doc.Tables))
	}
	want := [][]string{{"行政规范性文件", "8", "26"}, {"行政许可", "447228", "^447228"}}
	if diff := cmp.Diff(want, gridText(doc.Tables[0])); diff != "" {
		t.Errorf("grid (-want +got):\n%s", diff)
	}
}

// TestPDFNumberOverCellBorder: a number printed across a ruling must not
// become two numbers; both cells are marked unsure.
func TestPDFNumberOverCellBorder(t *testing.T) {
	xs := []float64{50, 150, 200, 260}
	ys := []float64{700, 680}
	var texts []pdfText
	texts = append(texts, pdfText{55, 686, 9, "行政处罚"})
	// seven digits, 4.5pt apart, starting 20pt before the border at 200.
	for i, d := range "3985758" {
		texts = append(texts, pdfText{180 + 4.5*float64(i), 686, 9, string(d)})
	}
	texts = append(texts, pdfText{230, 686, 9, "7"})
	doc, err := readPDF("overflow.pdf", buildPDF(t, []pdfPageSpec{{ops: gridOps(xs, ys, nil), texts: texts}}))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Tables) != 1 {
		t.Fatalf("%d tables", len(doc.Tables))
	}
	row := doc.Tables[0].Rows[0]
	if row[1].Unsure == "" || row[2].Unsure == "" {
		t.Errorf("cells %q and %q not marked unsure", row[1].Text, row[2].Text)
	}
	if row[0].Unsure != "" {
		t.Errorf("label cell marked unsure: %q", row[0].Unsure)
	}
}

// TestPDFFormXObject: content drawn through a Form XObject (with its own
// matrix and resources) is read like page content.
func TestPDFFormXObject(t *testing.T) {
	xs := []float64{50, 150, 250}
	ys := []float64{700, 680, 660}
	spec := pdfPageSpec{form: true, formDX: 10, formDY: -20, ops: gridOps(xs, ys, nil), texts: []pdfText{
		{55, 686, 9, "规章"}, {160, 686, 9, "1"}, {55, 666, 9, "行政规范性文件"}, {160, 666, 9, "26"},
		{55, 760, 12, "二、主动公开政府信息情况"},
	}}
	doc, err := readPDF("form.pdf", buildPDF(t, []pdfPageSpec{spec}))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Tables) != 1 {
		t.Fatalf("%d tables", len(doc.Tables))
	}
	if diff := cmp.Diff([][]string{{"规章", "1"}, {"行政规范性文件", "26"}}, gridText(doc.Tables[0])); diff != "" {
		t.Errorf("grid (-want +got):\n%s", diff)
	}
	if len(doc.Lines) != 1 || doc.Lines[0].Text != "二、主动公开政府信息情况" {
		t.Errorf("lines %v", doc.Lines)
	}
}

// TestPDFBrokenPage: a page whose content cannot be parsed is skipped with
// a READ finding; the other pages are read.
func TestPDFBrokenPage(t *testing.T) {
	good := pdfPageSpec{texts: []pdfText{{55, 760, 12, "一、总体情况"}}}
	bad := pdfPageSpec{ops: []string{"end end"}} // the library panics: mismatched begin/end
	doc, err := readPDF("broken.pdf", buildPDF(t, []pdfPageSpec{good, bad}))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Lines) != 1 || doc.Lines[0].Text != "一、总体情况" {
		t.Errorf("lines %v", doc.Lines)
	}
	if len(doc.Findings) != 1 || !strings.Contains(doc.Findings[0].Message, "page 2") || doc.Findings[0].Rule != gongkai.RuleRead {
		t.Errorf("findings %v, want one READ finding naming page 2", doc.Findings)
	}
	if _, err := readPDF("broken.pdf", buildPDF(t, []pdfPageSpec{bad})); !errors.Is(err, gongkai.ErrUnreadable) {
		t.Errorf("all pages broken: err = %v, want ErrUnreadable", err)
	}
}

// TestPDFKernedDigits: LibreOffice writes "-3" as [<0C>5<07>]TJ in a
// one-byte subset font whose code 0x0A is "5"; the text must read "-3"
// (the library's Content() added a phantom "5" after every TJ).
func TestPDFKernedDigits(t *testing.T) {
	xs := []float64{50, 150, 250}
	ys := []float64{700, 680}
	ops := append(gridOps(xs, ys, nil), "BT /F2 11 Tf 160 686 Td [<0C>5<07>]TJ ET", "BT /F2 11 Tf 0 0 Td ET")
	doc, err := readPDF("kern.pdf", buildPDF(t, []pdfPageSpec{{ops: ops, texts: []pdfText{{55, 686, 9, "行政许可"}}}}))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Tables) != 1 {
		t.Fatalf("%d tables", len(doc.Tables))
	}
	if diff := cmp.Diff([][]string{{"行政许可", "-3"}}, gridText(doc.Tables[0])); diff != "" {
		t.Errorf("grid (-want +got):\n%s", diff)
	}
}

func TestPDFErrors(t *testing.T) {
	scanned := buildPDF(t, []pdfPageSpec{{image: true}, {image: true}})
	cases := []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"scanned", scanned, gongkai.ErrScanned, "OCR"},
		{"empty pages", buildPDF(t, []pdfPageSpec{{ops: []string{"q 1 0 0 1 0 0 cm Q"}}, {}}), gongkai.ErrScanned, "OCR"},
		{"garbage", []byte("%PDF-1.4\nthis is not a pdf"), gongkai.ErrUnreadable, ""},
		{"truncated", samplePDF(t)[:300], gongkai.ErrUnreadable, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readPDF("bad.pdf", c.data)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			var ge *gongkai.Error
			if !errors.As(err, &ge) || ge.Path != "bad.pdf" {
				t.Errorf("error %v does not name the file", err)
			}
			if c.msg != "" && !strings.Contains(gongkai.HintOf(err), c.msg) {
				t.Errorf("hint %q does not mention %q", gongkai.HintOf(err), c.msg)
			}
		})
	}
}

func TestPDFSniff(t *testing.T) {
	for head, want := range map[string]bool{
		"%PDF-1.7\n":              true,
		"\r\n\x00junk %PDF-1.4\n": true,
		"PK\x03\x04word/%PDF-1.4": false,
		"<html>":                  false,
	} {
		if got := sniffPDF(newSniffHead("x", []byte(head))); got != want {
			t.Errorf("sniffPDF(%q) = %v, want %v", head, got, want)
		}
	}
}

func TestPDFPageMark(t *testing.T) {
	for s, want := range map[string]bool{"-3-": true, "— 12 —": true, "第3页": true, "3/6": true, "7": true,
		"三、收到": false, "2024年": false, "-3-x": false} {
		if got := pageMark.MatchString(s); got != want {
			t.Errorf("pageMark(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestPDFCorpus012 reads the real PDF of the corpus (WPS, CJK fonts with
// ToUnicode maps, a label printed one character per line, headers broken
// mid-word, tables across page breaks) and checks every hand-read cell.
func TestPDFCorpus012(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpusDir(t), "raw", "012.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := readPDF("012.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Tables) != 3 {
		t.Errorf("%d tables, want 3", len(doc.Tables))
	}
	n := checkGridAgainstTruth(t, doc, loadTruth(t, "012.json"))
	if n != 25*7+10+15 {
		t.Errorf("%d truth cells matched, want %d", n, 25*7+10+15)
	}
	if got := findRow(doc, "（三）不予公开"); got == nil {
		t.Error("label broken over two lines （三）不/予公开 not joined")
	}
	if got := cellAt(t, doc, 2, 3, 5).Text; got != "商业企业" {
		t.Errorf("header broken mid-word read as %q", got)
	}
}

func FuzzPDF(f *testing.F) {
	f.Add(samplePDF(f))
	f.Add(buildPDF(f, []pdfPageSpec{{ops: []string{"1 0 0 -1 0 842 cm", "10 10 100 20 re W n", "110 10 50 20 re f"},
		texts: []pdfText{{20, 820, 9, "规章"}}}}))
	f.Add([]byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		doc, err := readPDF("fuzz.pdf", data)
		if err != nil {
			return
		}
		assertTableSizes(t, doc)
	})
}

// TestPDFParseBytes012 runs the real PDF through detection, this reader
// and the recognizer: every hand-read cell must come out right.
func TestPDFParseBytes012(t *testing.T) {
	parseCorpusAgainstTruth(t, "012.pdf", "pdf", "012.json")
}
