package ingest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai"
)

// TestDocumentLimits checks that a document no report could be is refused
// with ErrTooLarge, before a reader spends memory per line or tag, and
// that a real report just under nothing of the kind still parses.
func TestDocumentLimits(t *testing.T) {
	report, err := os.ReadFile(filepath.Join("..", "testdata", "word_text_2021", "input.txt"))
	if err != nil {
		t.Fatal(err)
	}
	html := []byte("<html><body><p>威海市文登区泽库镇人民政府2023年政府信息公开工作年度报告</p><table>")
	cases := []struct {
		name    string
		file    string
		data    []byte
		tooBig  bool
		mention string
	}{
		{"report", "r.txt", report, false, ""},
		{"report padded to the line limit", "r.txt", append(bytes.Clone(report), bytes.Repeat([]byte("\n"), maxDocLines-bytes.Count(report, []byte("\n"))-1)...), false, ""},
		{"four million \\t0 lines", "r.txt", append(bytes.Clone(report), bytes.Repeat([]byte("\t0\n"), 20*maxDocLines)...), true, "lines"},
		{"one line past the limit", "r.txt", append(bytes.Clone(report), bytes.Repeat([]byte("\n"), maxDocLines)...), true, "lines"},
		{"a million table cells on one line", "r.html", append(bytes.Clone(html), bytes.Repeat([]byte("<td>0</td>"), maxDocTags/2+1)...), true, "tags"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseBytes(t.Context(), c.file, c.data)
			if got := errors.Is(err, gongkai.ErrTooLarge); got != c.tooBig {
				t.Fatalf("ErrTooLarge = %v, want %v (err: %v)", got, c.tooBig, err)
			}
			if c.tooBig {
				if !strings.Contains(err.Error(), c.mention) || gongkai.HintOf(err) == "" {
					t.Errorf("error %q should say how many %s and carry a hint", err, c.mention)
				}
			} else if err != nil {
				t.Errorf("a report within the limits failed: %v", err)
			}
		})
	}
}

func TestCheckDocumentCells(t *testing.T) {
	row := make([]Cell, 1000)
	d := &Document{Tables: []Table{{Rows: make([][]Cell, maxDocCells/1000)}}}
	for i := range d.Tables[0].Rows {
		d.Tables[0].Rows[i] = row
	}
	if err := checkDocument(d); err != nil {
		t.Fatalf("exactly the limit refused: %v", err)
	}
	d.Tables = append(d.Tables, Table{Rows: [][]Cell{{{Text: "1"}}}})
	if err := checkDocument(d); !errors.Is(err, gongkai.ErrTooLarge) {
		t.Fatalf("one cell past the limit: %v, want ErrTooLarge", err)
	}
}

// TestRunSurvivesHostileDocument: a document past the limits fails alone;
// the good reports beside it are stored and the run goes on.
func TestRunSurvivesHostileDocument(t *testing.T) {
	report, err := os.ReadFile(filepath.Join("..", "testdata", "word_text_2021", "input.txt"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.txt"), report)
	write(t, filepath.Join(dir, "b.zip"), zipOf(t, member{name: "lines.txt", data: bytes.Repeat([]byte("\t0\n"), 2*maxDocLines)}))
	sum, err := Run(t.Context(), Options{Inputs: []string{dir}}, newMemSink())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 1 || sum.Failed+sum.Skipped != 1 {
		t.Fatalf("summary %+v, want the report added and the hostile member refused", sum)
	}
	bad := append(sum.Failures, sum.Skips...)
	if !errors.Is(bad[0].Err, gongkai.ErrTooLarge) {
		t.Errorf("hostile member: %v, want ErrTooLarge", bad[0].Err)
	}
}
