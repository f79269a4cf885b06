package render

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"

	"gongkai"
)

// RowWriter writes rows one at a time as CSV (header line first) or JSON
// lines, every value by the one serializer (value.go). It is how every
// CSV and JSON-lines text gongkai writes is spelt: a Result on standard
// output or over HTTP (WriteCSV, WriteJSONLines) and the store's file
// exports, which stream their rows through it, so a date or timestamp
// reads the same in 'gongkai query', the API and an exported file.
type RowWriter struct {
	f     Format
	bw    *bufio.Writer
	cw    *csv.Writer
	res   *gongkai.Result // columns and types, no rows
	keys  [][]byte        // JSON lines: the encoded keys (objectKeys)
	rec   []string
	obj   bytes.Buffer
	wrote bool
}

// NewRowWriter starts rows of columns cols (DuckDB types types) in format
// f, CSV or JSONLines, on w; a CSV header is written at once. Call Flush
// at the end.
func NewRowWriter(w io.Writer, f Format, cols, types []string) (*RowWriter, error) {
	r := &RowWriter{f: f, bw: bufio.NewWriterSize(w, 64<<10), res: &gongkai.Result{Columns: cols, Types: types}}
	switch f {
	case CSV:
		r.cw = csv.NewWriter(r.bw)
		r.rec = make([]string, len(cols))
		if err := r.cw.Write(cols); err != nil {
			return nil, fmt.Errorf("render csv: %w", err)
		}
	case JSONLines:
		r.keys = objectKeys(cols)
	default:
		return nil, fmt.Errorf("%w: rows are written as csv or jsonl, not %s", gongkai.ErrUsage, f)
	}
	return r, nil
}

// Write adds one row of plain values (as store.Query returns them).
func (r *RowWriter) Write(row []any) error {
	if r.cw != nil {
		for i := range r.rec {
			r.rec[i] = ""
			if i < len(row) {
				r.rec[i] = Text(row[i], typeOf(r.res, i))
			}
		}
		if err := r.cw.Write(r.rec); err != nil {
			return fmt.Errorf("render csv: %w", err)
		}
		return nil
	}
	r.obj.Reset()
	if err := writeObjectKeys(&r.obj, r.keys, r.res, row); err != nil {
		return err
	}
	r.obj.WriteByte('\n')
	_, err := r.bw.Write(r.obj.Bytes())
	return err
}

// Flush writes what is buffered.
func (r *RowWriter) Flush() error {
	if r.cw != nil {
		r.cw.Flush()
		if err := r.cw.Error(); err != nil {
			return fmt.Errorf("render csv: %w", err)
		}
	}
	return r.bw.Flush()
}
