package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gongkai"
	"gongkai/render"
)

// Export formats are render.Format (files: render.Formats(render.Files)).
// Parquet, CSV and JSON lines are written by DuckDB's COPY; Arrow IPC
// (file and stream) from rows with arrow-go (arrow.go); XLSX by
// render.XLSXTable.

// Selection is what an export reads: exactly one of a table or view by name,
// or a statement gongkai ships (SQL from the embedded sql/ files, such as
// a rollup bound by package rollup) with its arguments. User SQL never
// comes here: ad-hoc queries are exported by package query, from its
// sandbox, through ExportRecords.
type Selection struct {
	// Table names a table or view of the store (reports, applications…).
	Table string
	// Statement is trusted, embedded SQL (one query) and Args its bound
	// arguments.
	Statement string
	Args      []any
	// Stored, with Statement, names the kept answer (schema 11) to read
	// instead of running Statement, when it is fresh.
	Stored *Stored
}

// resolve turns a Selection into trusted SQL and its arguments.
func (s *Store) resolve(ctx context.Context, src Selection) (string, []any, error) {
	if (src.Table == "") == (src.Statement == "") {
		return "", nil, &gongkai.Error{Op: "export", Err: fmt.Errorf("%w: give exactly one of a table or a rollup", gongkai.ErrUsage)}
	}
	if src.Statement != "" && src.Stored == nil {
		return bareStatement(src.Statement), src.Args, nil
	}
	if src.Statement != "" {
		// The kept answer is chosen here and read by the caller's own
		// statement: an export reads a store opened read-only (no other
		// process can write it meanwhile: DuckDB locks the file) or serve's
		// replica, which is never written while it answers.
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return "", nil, classify("export", s.path, err)
		}
		defer conn.Close()
		r, err := resolveStored(ctx, conn, src)
		if err != nil {
			return "", nil, classify("export", s.path, err)
		}
		return r.q, r.args, nil
	}
	name, err := s.tableName(ctx, src.Table)
	if err != nil {
		return "", nil, err
	}
	return "SELECT * FROM " + quoteIdent(name), nil, nil
}

// tableName returns the store's table or view called name (compared
// without case), or an error wrapping gongkai.ErrNotFound.
func (s *Store) tableName(ctx context.Context, name string) (string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_catalog = current_database() AND table_schema = 'main' ORDER BY table_name`)
	if err != nil {
		return "", classify("export", s.path, err)
	}
	defer rows.Close()
	var all []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return "", classify("export", s.path, err)
		}
		if strings.EqualFold(t, name) {
			return t, nil
		}
		all = append(all, t)
	}
	if err := rows.Err(); err != nil {
		return "", classify("export", s.path, err)
	}
	return "", &gongkai.Error{Op: "export", Path: name, Err: fmt.Errorf("%w: no table or view %q", gongkai.ErrNotFound, name),
		Hint: "tables and views: " + strings.Join(all, ", ")}
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// bareStatement drops trailing blanks and semicolons so a query can sit in
// COPY (…); a trailing line comment is closed by the newline the caller
// puts before ")".
func bareStatement(q string) string {
	return strings.TrimRight(q, " \t\r\n;")
}

// Export writes src to the file out in format f, atomically: the rows go
// to a temporary file in out's folder, which is synced and renamed over out
// only when complete, so a reader never sees half a file and a failure
// leaves any previous out untouched. It returns the number of rows written.
func (s *Store) Export(ctx context.Context, src Selection, f render.Format, out string) (int64, error) {
	q, args, err := s.resolve(ctx, src)
	if err != nil {
		return 0, err
	}
	var n int64
	err = writeAtomic(out, func(tmp string) error {
		var err error
		n, err = s.writeFile(ctx, q, args, f, tmp)
		return err
	})
	if err != nil {
		return 0, exportError(out, err)
	}
	return n, nil
}

// ExportTo writes src in format f to w (an HTTP response, stdout). Every
// format but the Arrow stream goes through a temporary file in tmpDir
// ("" = the system's), removed afterwards: Parquet, the Arrow file and
// XLSX need a seekable file, and a failure half-way through CSV or JSON
// lines then leaves w untouched.
func (s *Store) ExportTo(ctx context.Context, src Selection, f render.Format, tmpDir string, w io.Writer) (int64, error) {
	q, args, err := s.resolve(ctx, src)
	if err != nil {
		return 0, err
	}
	if f == render.ArrowStream {
		return s.writeArrow(ctx, q, args, false, w)
	}
	return ViaTempFile(tmpDir, f, w, func(tmp string) (int64, error) {
		n, err := s.writeFile(ctx, q, args, f, tmp)
		if err != nil {
			return 0, exportError("", err)
		}
		return n, nil
	})
}

// ViaTempFile calls write with a file path in a private temporary folder
// (in tmpDir, "" = the system's), copies the file it wrote to w and
// removes the folder: how a format that is written as a file reaches an
// HTTP answer or standard output.
func ViaTempFile(tmpDir string, f render.Format, w io.Writer, write func(path string) (int64, error)) (int64, error) {
	dir, err := os.MkdirTemp(tmpDir, "gongkai-export-")
	if err != nil {
		return 0, &gongkai.Error{Op: "export", Err: err}
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "out"+f.Ext())
	n, err := write(tmp)
	if err != nil {
		return 0, err
	}
	fh, err := os.Open(tmp)
	if err != nil {
		return 0, &gongkai.Error{Op: "export", Err: err}
	}
	defer fh.Close()
	if _, err := io.Copy(w, fh); err != nil {
		return 0, &gongkai.Error{Op: "export", Err: err}
	}
	return n, nil
}

func exportError(out string, err error) error {
	var ge *gongkai.Error
	if errors.As(err, &ge) {
		return err
	}
	return classify("export", out, err)
}

// writeFile writes the rows of trusted query q to path (not atomically).
//
// Parquet is DuckDB's COPY. CSV and JSON lines are not: their rows stream
// through render.RowWriter, the serializer the CLI and the API write
// with, so a DATE, TIMESTAMP, DECIMAL or large integer is spelt the same
// in an exported file as in 'gongkai query' and the API (COPY writes
// "2026-01-02 03:04:05+00", 12.500000 and unquoted 2^53+1).
func (s *Store) writeFile(ctx context.Context, q string, args []any, f render.Format, path string) (int64, error) {
	switch f {
	case render.Parquet:
		res, err := s.db.ExecContext(ctx, "COPY (\n"+q+"\n) TO "+quoteLiteral(path)+" (FORMAT parquet, COMPRESSION zstd)", args...)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	case render.CSV, render.CSVBOM, render.JSONLines:
		return s.writeText(ctx, q, args, f, path)
	case render.ArrowFile, render.ArrowStream:
		fh, err := os.Create(path)
		if err != nil {
			return 0, err
		}
		n, err := s.writeArrow(ctx, q, args, f == render.ArrowFile, fh)
		return n, errors.Join(err, fh.Close())
	case render.XLSX:
		return s.writeXLSX(ctx, q, args, path)
	}
	return 0, fmt.Errorf("%w: unknown format %q", gongkai.ErrUsage, f)
}

// writeText writes the rows of trusted query q to path as CSV (CSVBOM:
// after the UTF-8 byte-order mark) or JSON lines, by render's serializer.
func (s *Store) writeText(ctx context.Context, q string, args []any, f render.Format, path string) (int64, error) {
	fh, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	if f == render.CSVBOM {
		if _, err := io.WriteString(fh, render.UTF8BOM); err != nil {
			fh.Close()
			return 0, err
		}
		f = render.CSV
	}
	var rw *render.RowWriter
	n, err := s.eachRow(ctx, q, args, func(cols, types []string) error {
		var err error
		rw, err = render.NewRowWriter(fh, f, cols, types)
		return err
	}, func(row []any) error { return rw.Write(row) })
	if err == nil {
		err = rw.Flush()
	}
	return n, errors.Join(err, fh.Close())
}

// eachRow runs trusted query q and hands its column names and DuckDB
// types to start, then each row, as plain values (those Query returns),
// to add; the row slice is reused. It returns the number of rows.
func (s *Store) eachRow(ctx context.Context, q string, args []any, start func(cols, types []string) error, add func(row []any) error) (int64, error) {
	var row []any
	return s.rows(ctx, q, args, func(cols, types []string) error {
		row = make([]any, len(cols))
		return start(cols, types)
	}, func() []any { return row }, add)
}

// writeXLSX writes the rows of trusted query q as one sheet (see
// render.XLSXTable).
func (s *Store) writeXLSX(ctx context.Context, q string, args []any, path string) (int64, error) {
	var x *render.XLSXTable
	defer func() {
		if x != nil {
			x.Close()
		}
	}()
	_, err := s.eachRow(ctx, q, args, func(cols, types []string) error {
		var err error
		x, err = render.NewXLSXTable(cols, types)
		return err
	}, func(row []any) error { return x.Append(row) })
	if err != nil {
		if x == nil {
			return 0, err
		}
		return x.Rows(), err
	}
	// Write, not SaveAs: SaveAs insists on an .xlsx name, and the atomic
	// temporary file has another.
	fh, err := os.Create(path)
	if err != nil {
		return x.Rows(), err
	}
	if _, err := x.WriteTo(fh); err != nil {
		fh.Close()
		return x.Rows(), err
	}
	return x.Rows(), fh.Close()
}

// writeAtomic calls write with a temporary path in dest's folder, then
// syncs the file and renames it to dest. On failure the temporary file is
// removed and dest is untouched.
func writeAtomic(dest string, write func(tmp string) error) (err error) {
	dir := filepath.Dir(dest)
	fh, err := os.CreateTemp(dir, "."+filepath.Base(dest)+".tmp-*")
	if err != nil {
		return &gongkai.Error{Op: "export", Path: dest, Err: err, Hint: "check that the output folder exists and is writable"}
	}
	tmp := fh.Name()
	fh.Close()
	// DuckDB's COPY and excelize create the file themselves.
	if err := os.Remove(tmp); err != nil {
		return &gongkai.Error{Op: "export", Path: dest, Err: err}
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := syncPath(tmp); err != nil {
		return &gongkai.Error{Op: "export", Path: dest, Err: err}
	}
	if err := os.Rename(tmp, dest); err != nil {
		return &gongkai.Error{Op: "export", Path: dest, Err: err}
	}
	return syncPath(dir)
}

// syncPath flushes a file or folder to disk.
func syncPath(p string) error {
	fh, err := os.Open(p)
	if err != nil {
		return err
	}
	err = fh.Sync()
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	// Some file systems refuse to sync a folder; the data is synced.
	if err != nil && isDir(p) {
		return nil
	}
	return err
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
