package render

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"
	"time"

	"gongkai"
)

// csvOracle is what encoding/csv writes for the same rows, each value
// spelt by Text: the output RowWriter's own CSV spelling must equal.
func csvOracle(t testing.TB, cols, types []string, rows [][]any) string {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(cols); err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		rec := make([]string, len(cols))
		for i := range rec {
			if i < len(row) {
				rec[i] = Text(row[i], types[i])
			}
		}
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	return b.String()
}

func rowWriterCSV(t testing.TB, cols, types []string, rows [][]any) string {
	t.Helper()
	var b bytes.Buffer
	rw, err := NewRowWriter(&b, CSV, cols, types)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		if err := rw.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := rw.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestCSVAsEncodingCSV(t *testing.T) {
	cols := []string{"名称", "a,b", `say "hi"`, " lead", "n", "f", "num", "when"}
	types := []string{"VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "BIGINT", "DOUBLE", "DECIMAL(18,6)", "DATE"}
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	rows := [][]any{
		{"文登区", "x,y", `he said "no"`, " 前导空格", int64(-42), 0.1, gongkai.FromMicros(12_500_000), day},
		{"", "", "", "", int64(0), math.Inf(1), gongkai.Num{}, nil},
		{`\.`, "line\nbreak", "cr\rhere", "\u3000全角空格", int64(math.MinInt64), math.NaN(), nil, nil},
		{"\ttab", `"`, `""`, ",", int64(math.MaxInt64), -0.0, nil, nil},
		{nil, nil}, // shorter than the columns: the rest empty
		{"trailing", "x", "y", "z", int64(1), 1e21, nil, nil, "extra value beyond the columns"},
	}
	got := rowWriterCSV(t, cols, types, rows)
	want := csvOracle(t, cols, types, rows)
	if got != want {
		t.Errorf("RowWriter CSV:\n%q\nencoding/csv:\n%q", got, want)
	}
	// By hand, for the rules the oracle could share with us by mistake.
	if !strings.Contains(got, `"say ""hi"""`) || !strings.Contains(got, `" lead"`) || !strings.Contains(got, `"\."`) {
		t.Errorf("quoting not as RFC 4180 and encoding/csv spell it:\n%s", got)
	}
}

func FuzzAppendCSVRecord(f *testing.F) {
	for _, s := range []string{"", "plain", "a,b", `q"q`, "\r\n", " x", `\.`, "\u00a0nbsp", "\xff\xfe", "中文,逗号"} {
		f.Add(s, s+"2", int64(7), 1.5)
	}
	f.Fuzz(func(t *testing.T, a, b string, n int64, x float64) {
		cols := []string{a, "b"}
		types := []string{"VARCHAR", "VARCHAR", "BIGINT", "DOUBLE"}
		cols = append(cols, "n", "x")
		rows := [][]any{{a, b, n, x}, {b, a, nil, nil}}
		if got, want := rowWriterCSV(t, cols, types, rows), csvOracle(t, cols, types, rows); got != want {
			t.Fatalf("RowWriter CSV %q, encoding/csv %q", got, want)
		}
	})
}
