package store

import (
	"bytes"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
)

// TestArrowTypes checks the Arrow type and value every DuckDB type becomes
// without the driver's Arrow interface. The wanted types are what DuckDB's
// own Arrow export gives (read off 'duckdb -c' with arrow output and the
// driver's tagged interface), except where arrow.go documents otherwise
// (ENUM, BIT, UNION, TIMETZ as text).
func TestArrowTypes(t *testing.T) {
	s, err := Open(t.Context(), t.TempDir()+"/a.duckdb")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cases := []struct {
		expr, typ, val string
	}{
		{"true", "bool", "true"},
		{"-1::TINYINT", "int8", "-1"},
		{"-2::SMALLINT", "int16", "-2"},
		{"2147483647", "int32", "2147483647"},
		{"9007199254740993::BIGINT", "int64", "9007199254740993"},
		{"255::UTINYINT", "uint8", "255"},
		{"18446744073709551615::UBIGINT", "uint64", "18446744073709551615"},
		{"1.5::FLOAT", "float32", "1.5"},
		{"0.1::DOUBLE", "float64", "0.1"},
		{"12.345678::DECIMAL(18,6)", "decimal(18, 6)", "12.345678"},
		{"-0.000001::DECIMAL(18,6)", "decimal(18, 6)", "-1e-06"},
		{"-12345678901234567890123456789012345678::HUGEINT", "decimal(38, 0)", "-12345678901234567890123456789012345678"},
		{"'政府信息公开'", "utf8", "政府信息公开"},
		{"'\\x00ab'::BLOB", "binary", "AGFi"},
		{"DATE '2020-03-19'", "date32", "2020-03-19"},
		{"TIME '01:02:03.5'", "time64[us]", "01:02:03.500000"},
		{"TIMESTAMP '2020-01-02 03:04:05.123456'", "timestamp[us]", "2020-01-02T03:04:05.123456"},
		{"TIMESTAMPTZ '2020-01-02 03:04:05+08'", "timestamp[us, tz=Etc/UTC]", "2020-01-01T19:04:05Z"},
		{"TIMESTAMP_S '2020-01-01 00:00:01'", "timestamp[s]", "2020-01-01T00:00:01"},
		{"TIMESTAMP_MS '2020-01-01 00:00:00.001'", "timestamp[ms]", "2020-01-01T00:00:00.001"},
		{"TIMESTAMP_NS '2020-01-01 00:00:00.000000001'", "timestamp[ns]", "2020-01-01T00:00:00.000000001"},
		{"INTERVAL '1 month 2 days 3 seconds'", "month_day_nano_interval", `{"months":1,"days":2,"nanoseconds":3000000000}`},
		{"'6ba7b810-9dad-11d1-80b4-00c04fd430c8'::UUID", "utf8", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"},
		{"[1, NULL, 3]", "list<item: int32, nullable>", "[1,null,3]"},
		{"[[1], []]", "list<item: list<item: int32, nullable>, nullable>", "[[1],[]]"},
		{"{'a': 1, 'b b': 'x'}", "struct<a: int32 nullable, b b: utf8 nullable>", `{"a":1,"b b":"x"}`},
		{"MAP {'k': 1.5::DOUBLE}", "map<utf8, float64, items_nullable>", `[{"key":"k","value":1.5}]`},
		{"[1,2]::INTEGER[2]", "fixed_size_list<item: int32, nullable>[2]", "[1,2]"},
		{`'{"a":[1,"x"]}'::JSON`, "utf8", `{"a":[1,"x"]}`},
		{"'b'::ENUM('a','b')", "utf8", "b"},
		{"'101'::BIT", "utf8", "101"},
		{"TIMETZ '01:02:03+08'", "utf8", "01:02:03+08:00"},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			var buf bytes.Buffer
			n, err := s.writeArrow(t.Context(), "SELECT "+c.expr+" AS v UNION ALL SELECT NULL", nil, false, &buf)
			if err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Fatalf("%d rows, want 2", n)
			}
			r, err := ipc.NewReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Release()
			if !r.Next() {
				t.Fatalf("no batch: %v", r.Err())
			}
			col := r.RecordBatch().Column(0)
			if got := col.DataType().String(); got != c.typ {
				t.Errorf("type %s, want %s", got, c.typ)
			}
			if col.Len() != 2 || !col.IsNull(1) {
				t.Fatalf("want a value and a null, got %v", col)
			}
			if got := col.ValueStr(0); got != c.val {
				t.Errorf("value %s, want %s", got, c.val)
			}
		})
	}
}

// TestArrowBatches checks that many rows go out in several batches, in
// order, and that a row cap truncates.
func TestArrowBatches(t *testing.T) {
	s, err := Open(t.Context(), t.TempDir()+"/a.duckdb")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var buf bytes.Buffer
	const rows = 3*arrowBatchRows + 17
	n, err := s.writeArrow(t.Context(), "SELECT range AS i FROM range(?)", []any{rows}, true, &buf)
	if err != nil || n != rows {
		t.Fatalf("n %d err %v", n, err)
	}
	fr, err := ipc.NewFileReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer fr.Close()
	if fr.NumRecords() != 4 {
		t.Errorf("%d batches, want 4", fr.NumRecords())
	}
	var next int64
	for i := 0; i < fr.NumRecords(); i++ {
		rec, err := fr.RecordBatch(i)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range rec.Column(0).(interface{ Int64Values() []int64 }).Int64Values() {
			if v != next {
				t.Fatalf("value %d, want %d", v, next)
			}
			next++
		}
	}
	if next != rows {
		t.Errorf("read %d rows, want %d", next, rows)
	}

	// An empty answer is a schema and no batches.
	buf.Reset()
	if n, err := s.writeArrow(t.Context(), "SELECT 1::INTEGER AS x WHERE false", nil, false, &buf); err != nil || n != 0 {
		t.Fatalf("empty: n %d err %v", n, err)
	}
	r, err := ipc.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !arrow.TypeEqual(r.Schema().Field(0).Type, arrow.PrimitiveTypes.Int32) || r.Next() {
		t.Errorf("empty: schema %s", r.Schema())
	}
}
