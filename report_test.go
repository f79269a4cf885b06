package gongkai

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"gongkai/internal/sharedtest"
)

// The truth files of the real corpus are records in the §5 shape: each
// must read, and write back to a record that reads to the same cells.
func TestReportJSONRoundTripOnCorpusTruth(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedtest.Path(t, "corpus", "truth"), "*.json"))
	if len(files) == 0 {
		t.Fatal("no truth files in the shared corpus (corpus/truth/*.json)")
	}
	testRoundTrip(t, files)
}

// The expected records of the golden cases (testdata/<case>/expected.json) are
// records in the §5 shape too; they are in every clone.
func TestReportJSONRoundTripOnGolden(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "expected.json"))
	if len(files) == 0 {
		t.Fatal("no golden records under testdata/*/expected.json")
	}
	testRoundTrip(t, files)
}

func testRoundTrip(t *testing.T, files []string) {
	t.Helper()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r Report
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out, err := json.Marshal(&r)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var back Report
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%s: re-read: %v", f, err)
		}
		a, b := r.Cells(), back.Cells()
		for i := range a {
			if a[i].Value != b[i].Value {
				t.Errorf("%s: %s: %v != %v", f, a[i].Path(), a[i].Value, b[i].Value)
			}
		}
	}
}
