package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

// assertTableSizes fails when a reader built a table past the cell limit
// that bounds its memory (fuzz targets of every grid reader).
func assertTableSizes(t *testing.T, doc *Document) {
	t.Helper()
	for _, tb := range doc.Tables {
		n := 0
		for _, row := range tb.Rows {
			n += len(row)
		}
		if n > maxTableCells {
			t.Fatalf("table of %d cells", n)
		}
	}
}

// parseCorpusAgainstTruth runs a real corpus file through detection, its
// reader and the recognizer: it must be read as rendering, and every one
// of the 2021 layout's 200 hand-read cells must come out right.
func parseCorpusAgainstTruth(t *testing.T, file, rendering, truth string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir(t), "raw", file))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseBytes(t.Context(), file, data)
	if err != nil {
		t.Fatal(err)
	}
	if p.Rendering != rendering {
		t.Errorf("rendering %q, want %s", p.Rendering, rendering)
	}
	if n := checkReportAgainstTruth(t, p.Report, loadTruth(t, truth)); n != 25*7+10+15 {
		t.Errorf("%d cells matched, want %d", n, 25*7+10+15)
	}
}
