package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gongkai"
)

// TestRowWriterAsWrite checks that rows written one at a time give the
// text Write gives for the whole Result, in every format RowWriter takes,
// and that the streamed JSON document is valid JSON.
func TestRowWriterAsWrite(t *testing.T) {
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	results := map[string]*gongkai.Result{
		"rows": {
			Columns: []string{"名称", "n", "rate", "num", "when", "list"},
			Types:   []string{"VARCHAR", "BIGINT", "DOUBLE", "DECIMAL(18,6)", "DATE", "INTEGER[]"},
			Rows: [][]any{
				{"文登区, \"引号\"", int64(3), 0.25, gongkai.FromMicros(1_500_000), day, []any{int64(1), nil}},
				{nil, nil, nil, nil, nil, nil},
				{"short row"},
			},
		},
		"no rows":    {Columns: []string{"a"}, Types: []string{"VARCHAR"}, Rows: [][]any{}},
		"no columns": {},
	}
	for name, res := range results {
		for _, f := range []Format{CSV, JSONLines, JSON} {
			var whole, streamed bytes.Buffer
			if err := Write(&whole, res, f); err != nil {
				t.Fatal(err)
			}
			rw, err := NewRowWriter(&streamed, f, res.Columns, res.Types)
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range res.Rows {
				if err := rw.Write(row); err != nil {
					t.Fatal(err)
				}
			}
			if err := rw.Flush(); err != nil {
				t.Fatal(err)
			}
			if streamed.String() != whole.String() {
				t.Errorf("%s as %s: streamed\n%s\nwhole\n%s", name, f, streamed.String(), whole.String())
			}
			if f == JSON && !json.Valid(streamed.Bytes()) {
				t.Errorf("%s: streamed JSON document is not valid JSON:\n%s", name, streamed.String())
			}
		}
	}
	// By hand: the document's shape.
	var b bytes.Buffer
	rw, _ := NewRowWriter(&b, JSON, []string{"a", "b"}, []string{"BIGINT", "VARCHAR"})
	rw.Write([]any{int64(1), "x"})
	rw.Write([]any{int64(2), nil})
	rw.Flush()
	if want := `{"columns":["a","b"],"types":["BIGINT","VARCHAR"],"rows":[[1,"x"],[2,null]],"truncated":false}` + "\n"; b.String() != want {
		t.Errorf("JSON document %q, want %q", b.String(), want)
	}
	if _, err := NewRowWriter(&b, Table, []string{"a"}, nil); err == nil || !strings.Contains(err.Error(), "not table") {
		t.Errorf("a table is not written row by row: %v", err)
	}
}
