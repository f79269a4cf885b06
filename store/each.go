package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// eachBatchRows is how many rows the reader of EachSelection hands over
// at once, and eachBatches how many such batches are in flight: enough
// that neither side waits on the other for long, few enough that memory
// stays flat (a whole nation's levels: 4 × 512 rows of 48 values).
const (
	eachBatchRows = 512
	eachBatches   = 4
)

// rowBatch is rows read and not yet handed to add; its rows' slices are
// reused once add has had them.
type rowBatch struct {
	rows [][]any
	n    int
}

// eachMsg is what EachSelection's reader sends: the columns first, then
// batches of rows.
type eachMsg struct {
	cols, types []string
	batch       *rowBatch
}

// EachSelection is QuerySelection for an answer read once and let go:
// start gets the columns and their DuckDB types, add each row as plain
// values (the slice is reused), and no row is kept. A whole nation's
// levels is 68 million values: held in a Result they cost 1.5 GB of
// heap and a collector that marks them all (a third of the read), while
// streamed to a CSV writer the heap stays flat. It returns the number of
// rows add took.
//
// The rows are read on one goroutine and handed to start and add on the
// caller's, a few batches at a time: reading (DuckDB, the driver's
// getters, the conversion) and writing (an encoder, the output) are each
// about half of streaming a whole nation's levels, and take a core each
// so. An error from start or add stops the read and is returned as
// reading would have returned it.
func (s *Store) EachSelection(ctx context.Context, src Selection, start func(cols, types []string) error, add func(row []any) error) (int64, error) {
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make(chan eachMsg, eachBatches)
	free := make(chan *rowBatch, eachBatches)
	var readErr error
	go func() {
		defer close(out)
		readErr = s.readSelection(rctx, src, func(conn *sql.Conn, r resolved) error {
			// A kept answer's parts are read one statement each: DuckDB
			// holds a statement's whole result until it is read (the
			// driver's results are materialized), and a whole nation's
			// levels as one UNION ALL took the reading process to 0.9 GB
			// where one year's part takes a seventh of it.
			qs := r.branches
			if len(qs) == 0 {
				qs = []string{r.q}
			}
			return s.readBatches(rctx, conn, qs, r.args, out, free)
		})
	}()
	var n int64
	var useErr error
	for m := range out {
		if useErr != nil {
			continue // drained, so that the reader ends
		}
		if m.batch == nil {
			useErr = start(m.cols, m.types)
		} else if useErr = ctx.Err(); useErr == nil {
			for _, row := range m.batch.rows[:m.batch.n] {
				if useErr = add(row); useErr != nil {
					break
				}
				n++
			}
		}
		if m.batch != nil {
			m.batch.n = 0
			free <- m.batch
		}
		if useErr != nil {
			cancel()
		}
	}
	if useErr != nil {
		return n, classify("query", s.path, useErr)
	}
	return n, readErr
}

// readBatches runs the statements qs in turn on conn, as one answer, and
// sends the columns of the first, then every row in batches, to out,
// taking emptied batches back from free. Batches are made
// as the reader gets ahead, up to eachBatches: a county's answer of a few
// hundred rows needs one.
func (s *Store) readBatches(ctx context.Context, conn *sql.Conn, qs []string, args []any, out chan<- eachMsg, free chan *rowBatch) error {
	var cur *rowBatch
	var firstTypes []string
	width, made := 0, 0
	next := func() error {
		if made < eachBatches {
			select {
			case cur = <-free:
			default:
				rows, _ := slabRows(eachBatchRows, int64(width))
				cur = &rowBatch{rows: rows}
				made++
			}
			return nil
		}
		select {
		case cur = <-free:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	send := func(m eachMsg) error {
		select {
		case out <- m:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for i, q := range qs {
		_, err := rowsOn(ctx, conn, q, args, func(cols, types []string) error {
			if i > 0 {
				// Only a table changed by hand differs; UNION ALL would
				// have refused it too.
				if !slices.Equal(types, firstTypes) {
					return fmt.Errorf("%w: %s has columns of types %v, the first part %v", errPartShape, q, types, firstTypes)
				}
				return nil
			}
			width, firstTypes = len(cols), types
			if err := next(); err != nil {
				return err
			}
			return send(eachMsg{cols: cols, types: types})
		}, func() []any {
			return cur.rows[cur.n]
		}, func([]any) error {
			if cur.n++; cur.n < len(cur.rows) {
				return nil
			}
			if err := send(eachMsg{batch: cur}); err != nil {
				return err
			}
			return next()
		})
		if err != nil {
			return err
		}
	}
	if cur != nil && cur.n > 0 {
		return send(eachMsg{batch: cur})
	}
	return nil
}
