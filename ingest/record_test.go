package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

// A site's JSON answer that carries the report as HTML is not a record:
// it must reach the HTML reader instead of failing as a bad record.
func TestJSONThatIsNotARecordGoesToTheReaders(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "html", "embedded.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := ParseBytes(t.Context(), "embedded.json", data)
	if p.Rendering != "html" {
		t.Fatalf("rendering = %q, want html", p.Rendering)
	}
	if p.Report == nil || p.Report.Applications["1_new"][6].String() != "6" {
		t.Fatalf("1_new total not read from the embedded HTML: %+v", p.Report)
	}
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{`{"format_version":"2021","organization":"x"}`, true},
		{"\xef\xbb\xbf {\"format_version\":\"2019\"}", true},
		{`{"code":0,"data":{}}`, false},
		{`[1,2]`, false},
		{`{"format_version":`, false},
	} {
		if got := isRecord([]byte(tc.in)); got != tc.want {
			t.Errorf("isRecord(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
