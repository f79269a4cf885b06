//go:build duckdb_arrow

package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/duckdb/duckdb-go/v2"
)

// writeArrow runs trusted query q through the driver's Arrow interface and
// writes its record batches to w as an Arrow IPC file (file true) or stream.
// DuckDB's types map to Arrow's: integers stay integers of their width,
// DECIMAL(18,6) becomes decimal128(18,6), NULL a null.
func (s *Store) writeArrow(ctx context.Context, q string, args []any, file bool, w io.Writer) (int64, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	var n int64
	err = conn.Raw(func(dc any) error {
		a, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		rr, err := a.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rr.Release()
		n, _, err = writeIPC(w, rr, file, 0)
		return err
	})
	return n, err
}

// writeIPC copies rr to w as an Arrow IPC file or stream, at most max rows
// (0 = all); truncated says whether rows were left over.
func writeIPC(w io.Writer, rr array.RecordReader, file bool, max int64) (n int64, truncated bool, err error) {
	var iw interface {
		Write(arrow.RecordBatch) error
		Close() error
	}
	if file {
		fw, err := ipc.NewFileWriter(w, ipc.WithSchema(rr.Schema()))
		if err != nil {
			return 0, false, err
		}
		iw = fw
	} else {
		iw = ipc.NewWriter(w, ipc.WithSchema(rr.Schema()))
	}
	for rr.Next() {
		rec := rr.RecordBatch()
		if max > 0 && n+rec.NumRows() > max {
			keep := max - n
			if keep > 0 {
				part := rec.NewSlice(0, keep)
				err := iw.Write(part)
				part.Release()
				if err != nil {
					return n, false, errors.Join(err, iw.Close())
				}
				n += keep
			}
			truncated = true
			break
		}
		if err := iw.Write(rec); err != nil {
			return n, false, errors.Join(err, iw.Close())
		}
		n += rec.NumRows()
	}
	if !truncated {
		if err := rr.Err(); err != nil {
			return n, false, errors.Join(err, iw.Close())
		}
	}
	return n, truncated, iw.Close()
}

// GuardedArrow runs one ad-hoc read statement under the guard, like
// Guarded, and writes its rows to w as an Arrow IPC stream of at most
// lim.MaxRows rows. The schema goes out before the first row, so a
// truncation is reported by the returned flag (an HTTP trailer), not in the
// stream. Errors before the first byte is written are the guard's, as in
// Guarded.
func (s *Store) GuardedArrow(ctx context.Context, q string, lim Limits, w io.Writer) (truncated bool, err error) {
	lim = lim.WithDefaults()
	err = s.withGuard(ctx, q, lim, func(ctx context.Context, conn *sql.Conn) error {
		return conn.Raw(func(dc any) error {
			a, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
			if err != nil {
				return err
			}
			rr, err := a.QueryContext(ctx, q)
			if err != nil {
				return err
			}
			defer rr.Release()
			_, truncated, err = writeIPC(w, rr, false, int64(lim.MaxRows))
			return err
		})
	})
	return truncated, err
}
