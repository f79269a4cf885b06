package ingest

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/internal/sharedtest"
)

// fixtureInputs are the seeds of the fuzz targets: pieces of 40 lines of
// the text golden cases' documents (testdata/<case>/input.txt, .md) and
// of the seed report, and, when the seed corpus runs as a plain test, the
// whole documents too (whole documents
// make the fuzzing engine crawl: it minimizes every input it finds
// interesting).
func fixtureInputs(f *testing.F) [][]byte {
	var out [][]byte
	// HTML, DOCX and PDF have fuzz targets of their own (FuzzHTML,
	// FuzzDOCX, FuzzPDF).
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "*", "input.txt"))
	md, _ := filepath.Glob(filepath.Join("..", "testdata", "*", "input.md"))
	files = append(files, md...)
	if shared, err := sharedtest.Find(); err == nil {
		files = append(files, filepath.Join(append([]string{shared}, sharedtest.Seed...)...))
	}
	fuzzing := false
	if fl := flag.Lookup("test.fuzz"); fl != nil && fl.Value.String() != "" {
		fuzzing = true
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if !fuzzing {
			out = append(out, data)
		}
		lines := strings.SplitAfter(string(data), "\n")
		for i := 0; i < len(lines); i += 40 {
			out = append(out, []byte(strings.Join(lines[i:min(i+40, len(lines))], "")))
		}
	}
	if len(out) == 0 {
		f.Fatal("no fuzz seeds found")
	}
	return out
}

// FuzzParseBytes: no input may panic or hang; a report returned without
// error has a known layout and every value under its layout's cells.
func FuzzParseBytes(f *testing.F) {
	for _, d := range fixtureInputs(f) {
		f.Add(d)
	}
	f.Add([]byte("{}"))
	f.Add([]byte(`{"format_version":"2019","applications":{"3_6":[1,null,0,0,0,0,1]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseBytes(t.Context(), "fuzz.txt", data)
		if err == nil && (p.Report == nil || p.Report.Layout() == nil) {
			t.Fatalf("no report and no error")
		}
	})
}

// FuzzRecognize feeds the recognizer arbitrary grids: lines are rows,
// "|" separates cells, a leading "~" marks a spanned copy.
func FuzzRecognize(f *testing.F) {
	for _, d := range fixtureInputs(f) {
		f.Add(string(d))
	}
	f.Add("规章|1|2|3\n行政许可|１,234\n一、本年新收政府信息公开申请数量|1|/|—|0|0|0|1\n行政复议\n0|0|0|0|0|0|0|0|0|0|0|0|0|0|0")
	f.Fuzz(func(t *testing.T, s string) {
		doc := &Document{Path: "fuzz"}
		var tb Table
		for i, line := range strings.Split(s, "\n") {
			var row []Cell
			for _, c := range strings.Split(line, "|") {
				cell := Cell{Text: strings.TrimPrefix(c, "~"), Loc: lineLoc(i), Spanned: strings.HasPrefix(c, "~")}
				row = append(row, cell)
			}
			tb.Rows = append(tb.Rows, row)
			doc.Lines = append(doc.Lines, Line{Text: line, Loc: lineLoc(i)})
		}
		doc.Tables = []Table{tb}
		r, err := recognize(t.Context(), doc)
		if err == nil && r == nil {
			t.Fatal("no report and no error")
		}
		if r != nil {
			for _, c := range r.Cells() {
				if c.Value.Valid() {
					if _, ok := r.Provenance[c.Path()]; !ok {
						t.Fatalf("%s has a value but no provenance", c.Path())
					}
				}
			}
		}
	})
}
