package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"gongkai"
)

// maxPartReaders bounds the connections that read one answer's parts at
// once: past the cores there is nothing to share.
const maxPartReaders = 4

// errPartShape says a kept part's table does not hold what answer_state
// says of it (its rows, or the first part's columns): only a table changed
// by hand, and then the whole statement on the first connection answers.
var errPartShape = errors.New("kept part differs from answer_state")

// partHook, when a test sets it, runs before reader (0: the first
// connection) reads part i, so that a test can make sure helpers read.
var partHook func(reader int, i int64)

// collectParts reads a kept answer's parts, whole and in order, into one
// Result sized from answer_state's rows. q reads them all on conn (the
// connection whose transaction found them fresh), as collectSized would.
//
// The Go side of a read is one goroutine's work per connection: for a
// whole nation's levels, the driver's getters, the conversion to plain
// values and the collector were 1.8 of its 2.4 s, on one core. So the
// parts are shared out among up to GOMAXPROCS connections (at most
// maxPartReaders), each writing its parts' rows into their place in the
// one Result. A helper connection reads only when its own transaction
// finds every part fresh with the very counts conn's found: a kept part is
// fresh for one set of reports, so the two then read the same answer even
// if a writer committed in between. Otherwise it reads nothing and the
// others read its share.
func (s *Store) collectParts(ctx context.Context, conn *sql.Conn, src Selection, parts []keptPart, q string) (*gongkai.Result, error) {
	offs := make([]int64, len(parts)+1)
	for i, p := range parts {
		offs[i+1] = offs[i] + p.rows
	}
	total := offs[len(parts)]
	readers := min(runtime.GOMAXPROCS(0), maxPartReaders, len(parts))
	if readers < 2 || total <= 0 {
		return s.collectSized(ctx, conn, 0, total, q, nil)
	}
	name := src.Stored.Name
	var cols, types []string
	if _, err := rowsOn(ctx, conn, "SELECT * FROM "+quoteIdent(parts[0].table(name))+" LIMIT 0", nil, func(c, t []string) error {
		cols, types = c, t
		return nil
	}, nil, nil); err != nil {
		return nil, classify("query", s.path, err)
	}
	w := int64(len(cols))
	if w == 0 || total > maxSizedValues/w {
		return s.collectSized(ctx, conn, 0, 0, q, nil)
	}
	rows, slab := slabRows(total, w)
	touchPages(slab)

	// A failure stops the other readers; a part of another shape does not,
	// so that conn's transaction stays whole for the plain read below.
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	read := func(reader int, c *sql.Conn) error {
		for {
			i := next.Add(1) - 1
			if i >= int64(len(parts)) {
				return nil
			}
			if partHook != nil {
				partHook(reader, i)
			}
			err := readPart(rctx, c, parts[i].table(name), cols, types, rows[offs[i]:offs[i+1]])
			if err != nil {
				if !errors.Is(err, errPartShape) {
					cancel()
				}
				return err
			}
		}
	}
	errs := make([]error, readers)
	var wg sync.WaitGroup
	for k := 1; k < readers; k++ {
		wg.Go(func() {
			errs[k] = s.helpRead(rctx, src, parts, func(c *sql.Conn) error { return read(k, c) })
		})
	}
	errs[0] = read(0, conn)
	wg.Wait()
	if err := cause(errs); err != nil {
		if !errors.Is(err, errPartShape) {
			return nil, classify("query", s.path, err)
		}
		return s.collectSized(ctx, conn, 0, 0, q, nil)
	}
	return &gongkai.Result{Columns: cols, Types: types, Rows: rows}, nil
}

// cause picks the error to report of the readers' errs: a failure before
// errPartShape (which only sends the read to one connection), and the
// failure that stopped the others before the cancellation it caused them.
func cause(errs []error) error {
	var shape, cancelled error
	for _, err := range errs {
		switch {
		case err == nil:
		case errors.Is(err, errPartShape):
			shape = cmp.Or(shape, err)
		case errors.Is(err, context.Canceled):
			cancelled = cmp.Or(cancelled, err)
		default:
			return err
		}
	}
	return cmp.Or(cancelled, shape)
}

// helpRead runs read on a connection of its own in a transaction of its
// own, when that transaction finds parts as fresh as the caller's did. A
// helper that cannot start, or sees other parts, reads nothing: the
// caller's connection reads its share, so that is no error.
func (s *Store) helpRead(ctx context.Context, src Selection, parts []keptPart, read func(*sql.Conn) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil
	}
	defer conn.Close()
	return s.txOn(ctx, conn, "query", func(conn *sql.Conn) error {
		got, fresh, err := freshParts(ctx, conn, *src.Stored, src.Statement)
		if err != nil || !fresh || !slices.Equal(got, parts) {
			return nil
		}
		return read(conn)
	})
}

// readPart reads kept table t into dst, which has room for the rows
// answer_state gives it; other rows or columns than expected are
// errPartShape.
func readPart(ctx context.Context, conn *sql.Conn, t string, cols, types []string, dst [][]any) error {
	n := 0
	var spare []any
	_, err := rowsOn(ctx, conn, "SELECT * FROM "+quoteIdent(t), nil, func(c, ty []string) error {
		if !slices.Equal(c, cols) || !slices.Equal(ty, types) {
			return errPartShape
		}
		return nil
	}, func() []any {
		if n < len(dst) {
			return dst[n]
		}
		if spare == nil {
			spare = make([]any, len(cols))
		}
		return spare
	}, func([]any) error {
		n++
		if n > len(dst) {
			return errPartShape
		}
		return nil
	})
	if err == nil && n != len(dst) {
		err = errPartShape
	}
	return err
}

// slabRows makes n rows of w values cut from one slab (returned too), each
// row's capacity its width: one allocation for the collector, not n.
func slabRows(n, w int64) (rows [][]any, slab []any) {
	slab = make([]any, n*w)
	rows = make([][]any, n)
	for i := range rows {
		rows[i] = slab[int64(i)*w : int64(i+1)*w : int64(i+1)*w]
	}
	return rows, slab
}

// touchPages writes one value of each memory page of slab, on this
// goroutine alone, before several readers fill it. A fresh allocation's
// pages are mapped on first write; on this project's 2-core machines a
// gigabyte so mapped took 1.0 s on one thread and 1.6–2.2 s on two at
// once (the kernel serialises them), and a whole nation's levels read
// into a new process took 7.2 s instead of 4.8 with its pages mapped by
// both readers. Pages the heap has mapped already cost nothing here.
func touchPages(slab []any) {
	const perPage = 4096 / 16 // an interface value is two words
	for i := 0; i < len(slab); i += perPage {
		slab[i] = nil
	}
}
