package ingest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gongkai"
	"gongkai/internal/sharedtest"
)

// Helpers that check a reader's Document against a hand-read truth file
// of ../shared/corpus without the recognizer: rows are found by their
// official labels and the numbers must sit in the last cells of the row,
// one per grid column. They test that the grid is right (merged cells
// resolved, columns lined up), which is what the readers promise.

// corpusDir is the real corpus in the shared folder (../shared/corpus);
// the test skips when the folder is absent.
func corpusDir(t *testing.T) string {
	t.Helper()
	return sharedtest.Path(t, "corpus")
}

type truthFile struct {
	Active           map[string]map[string]*float64 `json:"active"`
	Applications     map[string][]*float64          `json:"applications"`
	ReviewLitigation map[string]map[string]*float64 `json:"review_litigation"`
}

func loadTruth(t *testing.T, name string) truthFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir(t), "truth", name))
	if err != nil {
		t.Fatal(err)
	}
	var tr truthFile
	if err := json.Unmarshal(data, &tr); err != nil {
		t.Fatal(err)
	}
	return tr
}

// htmlTestLabel makes labels comparable across renderings: no blanks,
// half-width brackets, "1、" numbering as "1.".
func htmlTestLabel(s string) string {
	s = strings.NewReplacer("(", "（", ")", "）").Replace(cleanSpace(s))
	s = strings.ReplaceAll(s, " ", "")
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if r == '、' && i > 0 && rs[i-1] >= '0' && rs[i-1] <= '9' {
			r = '.'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// findRow returns the first table row that has a cell whose text is label
// (normalised), searching tables in order.
func findRow(doc *Document, label string) []Cell {
	want := htmlTestLabel(label)
	for _, tb := range doc.Tables {
		for _, row := range tb.Rows {
			for _, c := range row {
				if htmlTestLabel(c.Text) == want {
					return row
				}
			}
		}
	}
	return nil
}

func cellNumber(t *testing.T, c Cell) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.ReplaceAll(cleanSpace(c.Text), ",", ""), 64)
	if err != nil {
		t.Errorf("%s: %q is not a number", c.Loc, c.Text)
	}
	return v
}

// checkGridAgainstTruth checks every non-null truth cell of sections 二, 三
// and 四 against the document's grid; it returns how many cells matched.
func checkGridAgainstTruth(t *testing.T, doc *Document, tr truthFile) int {
	t.Helper()
	matched := 0
	layout := gongkai.LayoutOf(gongkai.V2021)
	for _, r := range layout.Rows {
		want := tr.Applications[r.Key]
		row := findRow(doc, r.Label)
		if row == nil {
			t.Errorf("section 三 row %s %q not found", r.Key, r.Label)
			continue
		}
		if len(row) < len(want) {
			t.Errorf("row %s has %d cells", r.Key, len(row))
			continue
		}
		vals := row[len(row)-len(want):]
		for i, w := range want {
			if w == nil {
				continue
			}
			if vals[i].Spanned {
				t.Errorf("row %s col %d: value cell %s is a span copy", r.Key, i, vals[i].Loc)
			}
			if got := cellNumber(t, vals[i]); got != *w {
				t.Errorf("row %s col %d (%s): got %q, truth %v", r.Key, i, vals[i].Loc, vals[i].Text, *w)
				continue
			}
			matched++
		}
	}
	for _, item := range layout.Active {
		row := findRow(doc, item.Label)
		if row == nil {
			t.Errorf("section 二 item %q not found", item.Label)
			continue
		}
		var vals []Cell
		for _, c := range row {
			if !c.Spanned && htmlTestLabel(c.Text) != htmlTestLabel(item.Label) {
				vals = append(vals, c)
			}
		}
		if len(vals) != len(item.Metrics) {
			t.Errorf("item %s: %d value cells, want %d: %v", item.Key, len(vals), len(item.Metrics), vals)
			continue
		}
		for i, m := range item.Metrics {
			w := tr.Active[item.Key][m.Key]
			if w == nil {
				continue
			}
			if got := cellNumber(t, vals[i]); got != *w {
				t.Errorf("active %s.%s (%s): got %q, truth %v", item.Key, m.Key, vals[i].Loc, vals[i].Text, *w)
				continue
			}
			matched++
		}
	}
	// Section 四: the one row of 15 numbers after the header rows.
	var review []Cell
	for _, tb := range doc.Tables {
		for _, row := range tb.Rows {
			if len(row) != 15 {
				continue
			}
			numeric := true
			for _, c := range row {
				if _, err := strconv.ParseFloat(cleanSpace(c.Text), 64); err != nil {
					numeric = false
				}
			}
			if numeric {
				review = row
			}
		}
	}
	if review == nil {
		t.Errorf("section 四 row of 15 numbers not found")
		return matched
	}
	i := 0
	for _, b := range []string{"review", "litigation_direct", "litigation_after_review"} {
		for _, k := range []string{"upheld", "corrected", "other", "pending", "total"} {
			w := tr.ReviewLitigation[b][k]
			if w != nil {
				if got := cellNumber(t, review[i]); got != *w {
					t.Errorf("review %s.%s (%s): got %q, truth %v", b, k, review[i].Loc, review[i].Text, *w)
				} else {
					matched++
				}
			}
			i++
		}
	}
	return matched
}

// checkReportAgainstTruth compares a parsed report with every non-null
// cell of a truth file; a truth cell the report leaves null or gets wrong
// is an error. It returns how many cells matched.
func checkReportAgainstTruth(t *testing.T, rep *gongkai.Report, tr truthFile) int {
	t.Helper()
	matched := 0
	check := func(path string, want *float64) {
		if want == nil {
			return
		}
		got, ok := rep.Get(path)
		switch {
		case !ok:
			t.Errorf("%s: no such cell", path)
		case !got.Valid():
			t.Errorf("%s: null, truth %v", path, *want)
		case got.Float64() != *want:
			t.Errorf("%s: %v, truth %v", path, got, *want)
		default:
			matched++
		}
	}
	layout := rep.Layout()
	for key, vals := range tr.Applications {
		for i, c := range layout.Columns {
			if i < len(vals) {
				check(gongkai.CellPath(gongkai.SecApplications, key, c.Key), vals[i])
			}
		}
	}
	for item, ms := range tr.Active {
		for m, v := range ms {
			check(gongkai.CellPath(gongkai.SecActive, item, m), v)
		}
	}
	for block, cs := range tr.ReviewLitigation {
		for c, v := range cs {
			check(gongkai.CellPath(gongkai.SecReview, block, c), v)
		}
	}
	return matched
}
