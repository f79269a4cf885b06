package store

import (
	"bufio"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"gongkai"
	"gongkai/render"
)

// The source rows every export is compared with: integers, a money
// decimal, nulls and Chinese text, in a fixed order.
const exportSourceSQL = `SELECT report_id, organization, report_year, row_key, col_key, kind, value
FROM active_disclosure ORDER BY report_id, row_order, col_order`

// canon renders a value the same way whatever format it came back from:
// integers as digits, decimals with their six fraction digits, null as
// "NULL".
func canon(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case gongkai.Num:
		if !x.Valid() {
			return "NULL"
		}
		return fmt.Sprintf("%d.%06d", x.Micros()/1_000_000, abs(x.Micros()%1_000_000))
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	}
	return fmt.Sprint(v)
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func sourceRows(t *testing.T, s *Store) [][]string {
	t.Helper()
	res, err := s.Query(t.Context(), exportSourceSQL)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]string, len(res.Rows))
	for i, r := range res.Rows {
		for _, v := range r {
			out[i] = append(out[i], canon(v))
		}
	}
	if len(out) == 0 {
		t.Fatal("fixture has no rows")
	}
	return out
}

// exportQuery exports an ad-hoc query's rows the way package query does:
// a Guard hands them out in batches, ExportRows writes the file.
func exportQuery(t *testing.T, path, q string, f render.Format, out string) (int64, error) {
	t.Helper()
	g, err := OpenGuard(t.Context(), path, GuardConfig{MemoryLimit: "256MB", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	var cols, types []string
	var batches [][][]any
	err = g.Rows(t.Context(), q, 7, 1<<20, func(c, ty []string, rows [][]any) error {
		cols, types = c, ty
		batches = append(batches, rows)
		return nil
	})
	if err != nil {
		return 0, err
	}
	next := func() ([][]any, error) {
		if len(batches) == 0 {
			return nil, io.EOF
		}
		b := batches[0]
		batches = batches[1:]
		return b, nil
	}
	return ExportRows(t.Context(), cols, types, next, f, out)
}

func TestExportFormatsRoundTrip(t *testing.T) {
	path := exportFixture(t, 4)
	s := openRO(t, path)
	want := sourceRows(t, s)
	nulls := 0
	for _, r := range want {
		if r[6] == "NULL" {
			nulls++
		}
	}
	if nulls == 0 {
		t.Fatal("fixture has no null values")
	}
	dir := t.TempDir()
	for _, f := range render.Formats(render.Files) {
		t.Run(string(f), func(t *testing.T) {
			out := filepath.Join(dir, "out"+f.Ext())
			n, err := exportQuery(t, path, exportSourceSQL, f, out)
			if err != nil {
				t.Fatal(err)
			}
			if n != int64(len(want)) {
				t.Errorf("Export said %d rows, want %d", n, len(want))
			}
			got := readBack(t, s, f, out)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("read back differs (-source +export):\n%s", diff)
			}
			// No temporary file is left beside the output.
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if strings.Contains(e.Name(), ".tmp-") {
					t.Errorf("left over %s", e.Name())
				}
			}
		})
	}
}

// readBack reads an exported file with a reader independent of the writer:
// DuckDB's read_parquet / read_csv / read_json, arrow-go's IPC readers, and
// excelize.
func readBack(t *testing.T, s *Store, f render.Format, path string) [][]string {
	t.Helper()
	var out [][]string
	switch f {
	case render.Parquet:
		res, err := s.Query(t.Context(), "SELECT * FROM read_parquet(?)", path)
		if err != nil {
			t.Fatal(err)
		}
		checkTypes(t, res.Types, "BIGINT", "VARCHAR", "INTEGER", "DECIMAL(18,6)")
		for _, r := range res.Rows {
			out = append(out, rowStrings(r))
		}
	case render.CSV:
		fh, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		recs, err := csv.NewReader(fh).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(recs[0], ",") != "report_id,organization,report_year,row_key,col_key,kind,value" {
			t.Errorf("header %v", recs[0])
		}
		for _, r := range recs[1:] {
			for i := range r {
				if r[i] == "" {
					r[i] = "NULL"
				}
			}
			r[6] = decimal6(t, r[6])
			out = append(out, r)
		}
	case render.JSONLines:
		fh, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			d := json.NewDecoder(strings.NewReader(sc.Text()))
			d.UseNumber()
			var m map[string]any
			if err := d.Decode(&m); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			var r []string
			for _, k := range []string{"report_id", "organization", "report_year", "row_key", "col_key", "kind", "value"} {
				switch v := m[k].(type) {
				case nil:
					r = append(r, "NULL")
				case json.Number:
					if k == "value" {
						r = append(r, decimal6(t, v.String()))
						continue
					}
					r = append(r, v.String())
				default:
					r = append(r, fmt.Sprint(v))
				}
			}
			out = append(out, r)
		}
	case render.ArrowFile, render.ArrowStream:
		fh, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		var recs []arrow.RecordBatch
		var schema *arrow.Schema
		if f == render.ArrowFile {
			fr, err := ipc.NewFileReader(fh)
			if err != nil {
				t.Fatal(err)
			}
			defer fr.Close()
			schema = fr.Schema()
			for i := 0; i < fr.NumRecords(); i++ {
				rec, err := fr.RecordBatch(i)
				if err != nil {
					t.Fatal(err)
				}
				rec.Retain()
				recs = append(recs, rec)
			}
		} else {
			r, err := ipc.NewReader(fh)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Release()
			schema = r.Schema()
			for r.Next() {
				rec := r.RecordBatch()
				rec.Retain()
				recs = append(recs, rec)
			}
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
		}
		wantTypes := []arrow.DataType{arrow.PrimitiveTypes.Int64, arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int32}
		for i, wt := range wantTypes {
			if !arrow.TypeEqual(schema.Field(i).Type, wt) {
				t.Errorf("arrow column %d type %s, want %s", i, schema.Field(i).Type, wt)
			}
		}
		if dt, ok := schema.Field(6).Type.(*arrow.Decimal128Type); !ok || dt.Precision != 18 || dt.Scale != 6 {
			t.Errorf("arrow value type %s, want decimal128(18, 6)", schema.Field(6).Type)
		}
		for _, rec := range recs {
			for i := 0; i < int(rec.NumRows()); i++ {
				var r []string
				for c := 0; c < int(rec.NumCols()); c++ {
					r = append(r, arrowCell(rec.Column(c), i))
				}
				out = append(out, r)
			}
			rec.Release()
		}
	case render.XLSX:
		x, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows, err := x.GetRows("data", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[1:] {
			for len(r) < 7 {
				r = append(r, "")
			}
			for i := range r {
				if r[i] == "" {
					r[i] = "NULL"
				}
			}
			// Excel keeps doubles: give the decimal its six digits back.
			if r[6] != "NULL" {
				v, err := strconv.ParseFloat(r[6], 64)
				if err != nil {
					t.Fatal(err)
				}
				r[6] = strconv.FormatFloat(v, 'f', 6, 64)
			}
			out = append(out, r)
		}
		// Numeric cells are numbers, not text.
		if typ, _ := x.GetCellType("data", "A2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("report_id cell type %v, want number", typ)
		}
	}
	return out
}

func rowStrings(r []any) []string {
	var out []string
	for _, v := range r {
		out = append(out, canon(v))
	}
	return out
}

func checkTypes(t *testing.T, got []string, want ...string) {
	t.Helper()
	idx := []int{0, 1, 2, 6}
	for i, w := range want {
		if got[idx[i]] != w {
			t.Errorf("column %d type %s, want %s", idx[i], got[idx[i]], w)
		}
	}
}

func arrowCell(col arrow.Array, i int) string {
	if col.IsNull(i) {
		return "NULL"
	}
	switch a := col.(type) {
	case *array.Int64:
		return strconv.FormatInt(a.Value(i), 10)
	case *array.Int32:
		return strconv.FormatInt(int64(a.Value(i)), 10)
	case *array.String:
		return a.Value(i)
	case *array.Decimal128:
		v := a.Value(i)
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		return decimal128.Num.ToString(v, scale)
	}
	return col.ValueStr(i)
}

func TestExportTableRollupAndErrors(t *testing.T) {
	s := openRO(t, exportFixture(t, 4))
	dir := t.TempDir()
	out := filepath.Join(dir, "reports.parquet")
	n, err := s.Export(t.Context(), Selection{Table: "REPORTS"}, render.Parquet, out)
	if err != nil || n != 4 {
		t.Fatalf("table export: n=%d err=%v", n, err)
	}
	res, err := s.Query(t.Context(), "SELECT count(*), count(province), min(report_year) FROM read_parquet(?)", out)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(res.Rows[0]); got != "[4 3 2022]" {
		t.Errorf("read back %s, want [4 3 2022] (one NULL province)", got)
	}

	// A statement with its bound arguments, as package rollup gives one.
	stmt := Selection{Statement: "SELECT report_year FROM reports WHERE report_year = $year;\n", Args: []any{sql.Named("year", int64(2022))}}
	if n, err := s.Export(t.Context(), stmt, render.CSV, filepath.Join(dir, "stmt.csv")); err != nil || n == 0 {
		t.Errorf("statement export: n=%d err=%v", n, err)
	}

	// Failures leave an existing output untouched.
	before, _ := os.ReadFile(out)
	for _, tc := range []struct {
		src  Selection
		want error
	}{
		{Selection{Table: "nosuch"}, gongkai.ErrNotFound},
		{Selection{}, gongkai.ErrUsage},
		{Selection{Table: "reports", Statement: "SELECT 1"}, gongkai.ErrUsage},
	} {
		_, err := s.Export(t.Context(), tc.src, render.Parquet, out)
		if !errors.Is(err, tc.want) && !(tc.want == gongkai.ErrRefused && errors.Is(err, ErrBadQuery)) {
			t.Errorf("%+v: err = %v, want %v", tc.src, err, tc.want)
		}
	}
	after, _ := os.ReadFile(out)
	if string(before) != string(after) {
		t.Error("a failed export changed the previous output")
	}
	if _, err := s.Export(t.Context(), Selection{Table: "reports"}, render.Parquet, filepath.Join(dir, "no", "such", "x.parquet")); err == nil || gongkai.HintOf(err) == "" {
		t.Errorf("missing folder: %v", err)
	}
	if _, err := render.ParseFormat("xml", render.Files); !errors.Is(err, gongkai.ErrUsage) {
		t.Errorf("ParseFormat(xml) = %v", err)
	}
}

func TestExportDataset(t *testing.T) {
	s := openRO(t, exportFixture(t, 6))
	dir := filepath.Join(t.TempDir(), "ds")
	for round := range 2 { // the second run replaces the first
		n, err := s.ExportDataset(t.Context(), dir)
		if err != nil {
			t.Fatal(err)
		}
		var cells int64
		for _, v := range []string{"active_disclosure", "applications", "review_litigation"} {
			res, err := s.Query(t.Context(), "SELECT count(*) FROM "+v)
			if err != nil {
				t.Fatal(err)
			}
			cells += res.Rows[0][0].(int64)
		}
		if n != cells {
			t.Fatalf("round %d: wrote %d rows, store has %d cells", round, n, cells)
		}
		glob := filepath.Join(dir, "**", "*.parquet")
		res, err := s.Query(t.Context(), `SELECT count(*), count(DISTINCT report_id), count(DISTINCT year),
			count(*) FILTER (WHERE province IS NULL), count(*) FILTER (WHERE value IS NULL)
			FROM read_parquet(?, hive_partitioning = true)`, glob)
		if err != nil {
			t.Fatal(err)
		}
		nullProv, err := s.Query(t.Context(), `SELECT count(*) FROM applications WHERE province IS NULL`)
		if err != nil {
			t.Fatal(err)
		}
		r := res.Rows[0]
		if r[0] != cells || r[1] != int64(6) || r[2] != int64(2) || r[3] == int64(0) || r[4] == int64(0) {
			t.Errorf("read back %v (cells %d, null-province application cells %v)", r, cells, nullProv.Rows[0][0])
		}
		// Partition folders are ASCII (year=…/province_code=NN), so every
		// engine names them alike, and province_code is the division
		// code's first two digits.
		err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() || p == dir {
				return err
			}
			name := d.Name()
			for _, c := range name {
				if c > 127 || c == '%' {
					t.Errorf("partition folder %q is not plain ASCII", name)
				}
			}
			if !strings.HasPrefix(name, "year=") && !strings.HasPrefix(name, "province_code=") {
				t.Errorf("unexpected folder %q", name)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		mismatch, err := s.Query(t.Context(), `SELECT count(*) FROM read_parquet(?, hive_partitioning = true)
			WHERE province_code IS DISTINCT FROM left(division_code, 2)`, glob)
		if err != nil {
			t.Fatal(err)
		}
		if mismatch.Rows[0][0] != int64(0) {
			t.Errorf("%v rows whose province_code is not the division code's first two digits", mismatch.Rows[0][0])
		}
		// Every value comes back equal, cell by cell.
		diff, err := s.Query(t.Context(), `
			SELECT count(*) FROM (
			  SELECT report_id, 'applications' AS section, row_key, col_key, CAST(value AS DECIMAL(18,6)) AS value FROM applications
			  UNION ALL SELECT report_id, 'active', row_key, col_key, value FROM active_disclosure
			  UNION ALL SELECT report_id, 'review_litigation', row_key, col_key, CAST(value AS DECIMAL(18,6)) FROM review_litigation
			) s FULL JOIN read_parquet(?, hive_partitioning = true) d
			  USING (report_id, section, row_key, col_key)
			WHERE s.value IS DISTINCT FROM d.value OR s.report_id IS NULL OR d.report_id IS NULL`, glob)
		if err != nil {
			t.Fatal(err)
		}
		if diff.Rows[0][0] != int64(0) {
			t.Errorf("%v cells differ between store and dataset", diff.Rows[0][0])
		}
		ents, _ := os.ReadDir(filepath.Dir(dir))
		for _, e := range ents {
			if e.Name() != "ds" {
				t.Errorf("left over %s beside the dataset", e.Name())
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "year=2022")); err != nil {
			t.Errorf("no year=2022 partition: %v", err)
		}
	}
}

func TestSnapshot(t *testing.T) {
	path := exportFixture(t, 3)
	s := openRO(t, path)
	t.Run("bytes", func(t *testing.T) {
		dest := filepath.Join(t.TempDir(), "snap.duckdb")
		if err := s.Snapshot(t.Context(), dest); err != nil {
			t.Fatal(err)
		}
		compareSnapshot(t, s, dest)
	})
	t.Run("copy from database", func(t *testing.T) {
		dest := filepath.Join(t.TempDir(), "snap.duckdb")
		if err := s.copyDatabase(t.Context(), dest); err != nil {
			t.Fatal(err)
		}
		compareSnapshot(t, s, dest)
	})
	t.Run("read-write store", func(t *testing.T) {
		p2 := exportFixture(t, 2)
		rw, err := Open(t.Context(), p2)
		if err != nil {
			t.Fatal(err)
		}
		dest := filepath.Join(t.TempDir(), "snap.duckdb")
		err = rw.Snapshot(t.Context(), dest)
		rw.Close()
		if err != nil {
			t.Fatal(err)
		}
		snap := openRO(t, dest)
		if res, err := snap.Query(t.Context(), "SELECT count(*) FROM reports"); err != nil || res.Rows[0][0] != int64(2) {
			t.Errorf("snapshot of a read-write store: %v %v", res, err)
		}
	})
}

func compareSnapshot(t *testing.T, s *Store, dest string) {
	t.Helper()
	snap := openRO(t, dest)
	for _, q := range []string{
		"SELECT count(*) FROM reports",
		"SELECT count(*), count(value), sum(value) FROM applications",
		"SELECT count(*), sum(value) FROM active_disclosure",
		"SELECT max(version) FROM schema_migrations",
		"SELECT count(*) FROM cell_labels",
	} {
		a, err := s.Query(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		b, err := snap.Query(t.Context(), q)
		if err != nil {
			t.Fatalf("snapshot: %s: %v", q, err)
		}
		if fmt.Sprint(a.Rows) != fmt.Sprint(b.Rows) {
			t.Errorf("%s: store %v, snapshot %v", q, a.Rows, b.Rows)
		}
	}
	if g, err := OpenGuard(t.Context(), dest, GuardConfig{MemoryLimit: "256MB", Threads: 1}); err != nil {
		t.Errorf("guard on snapshot: %v", err)
	} else {
		if _, err := g.Query(t.Context(), "SELECT count(*) FROM review_litigation", 10, 0); err != nil {
			t.Errorf("guard on snapshot: %v", err)
		}
		g.Close()
	}
	ents, _ := os.ReadDir(filepath.Dir(dest))
	if len(ents) != 1 {
		t.Errorf("left over files: %v", ents)
	}
}

// decimal6 writes a decimal read from CSV or JSON lines (the serializer
// drops trailing zeros: 4.59259) with the six places the source's
// DECIMAL(18,6) text has, exactly (big.Rat), so the comparison is by value.
func decimal6(t *testing.T, s string) string {
	t.Helper()
	if s == "NULL" {
		return s
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("not a decimal: %q", s)
	}
	return r.FloatString(6)
}
