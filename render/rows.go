package render

import (
	"bufio"
	"bytes"
	"fmt"
	"io"

	"gongkai"
)

// RowWriter writes rows one at a time as CSV (header line first), JSON
// lines or the JSON result document, every value by the one serializer (value.go). It is how every
// CSV and JSON-lines text gongkai writes is spelt: a Result on standard
// output or over HTTP (WriteCSV, WriteJSONLines) and the store's file
// exports, which stream their rows through it, so a date or timestamp
// reads the same in 'gongkai query', the API and an exported file.
type RowWriter struct {
	f     Format
	bw    *bufio.Writer
	res   *gongkai.Result // columns and types, no rows
	keys  [][]byte        // JSON lines: the encoded keys (objectKeys)
	line  []byte          // CSV: the record being spelt (csv.go)
	obj   bytes.Buffer
	wrote bool
}

// NewRowWriter starts rows of columns cols (DuckDB types types) in format
// f, CSV, JSONLines or JSON, on w; a CSV header is written at once. Call
// Flush at the end.
func NewRowWriter(w io.Writer, f Format, cols, types []string) (*RowWriter, error) {
	r := &RowWriter{f: f, bw: bufio.NewWriterSize(w, 64<<10), res: &gongkai.Result{Columns: cols, Types: types}}
	switch f {
	case CSV:
		for i, c := range cols {
			if i > 0 {
				r.line = append(r.line, ',')
			}
			r.line = appendCSVField(r.line, c)
		}
		if err := r.writeLine(); err != nil {
			return nil, err
		}
	case JSONLines:
		r.keys = objectKeys(cols)
	case JSON:
		// The result document (ResultJSON), its rows added as they come;
		// Flush closes it.
		r.line = appendResultHead(r.line, r.res)
	default:
		return nil, fmt.Errorf("%w: rows are written as csv, json or jsonl, not %s", gongkai.ErrUsage, f)
	}
	return r, nil
}

// Write adds one row of plain values (as store.Query returns them).
func (r *RowWriter) Write(row []any) error {
	if r.f == CSV {
		for i := range r.res.Columns {
			if i > 0 {
				r.line = append(r.line, ',')
			}
			if i < len(row) {
				r.line = appendCSVValue(r.line, row[i], typeOf(r.res, i))
			}
		}
		return r.writeLine()
	}
	if r.f == JSON {
		if r.wrote {
			r.line = append(r.line, ',')
		}
		r.wrote = true
		var err error
		if r.line, err = appendRowJSON(r.line, r.res, row); err != nil {
			return fmt.Errorf("render json: %w", err)
		}
		if len(r.line) >= 32<<10 {
			return r.writeOut()
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

// writeLine ends the CSV record in r.line and writes it.
func (r *RowWriter) writeLine() error {
	r.line = append(r.line, '\n')
	return r.writeOut()
}

// writeOut writes the pending bytes of r.line (a CSV record, or part of
// the JSON document).
func (r *RowWriter) writeOut() error {
	_, err := r.bw.Write(r.line)
	r.line = r.line[:0]
	if err != nil {
		return fmt.Errorf("render %s: %w", r.f, err)
	}
	return nil
}

// Flush writes what is buffered; in format JSON it also ends the
// document, so it is called once, after the last row.
func (r *RowWriter) Flush() error {
	if r.f == JSON {
		r.line = append(appendResultTail(r.line, false), '\n')
		if err := r.writeOut(); err != nil {
			return err
		}
	}
	return r.bw.Flush()
}
