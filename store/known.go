package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"gongkai"
)

// knownReports is what Put knows of the stored reports without scanning
// them: a 64-bit digest (DuckDB's hash) of each one's content hash and of
// its organization and year. Put asks the store only about the reports of
// a batch whose digests it finds here, for those may be stored already; a
// batch of new reports (the common case: a new year, a new district) needs
// no lookup. Without it, every batch's lookup scanned the content_hash and
// organization columns of the whole reports table: 55-105 ms a batch of
// 256 at 968,091 reports, about 0.3 ms a report of the storer's one thread.
//
// A digest found here is only a "maybe" (a report since deleted, a
// collision): the lookup decides. A digest missing means the report is not
// stored, as long as the set is complete: it is made from the table, grows
// with every batch Put commits, and is made anew whenever the table's
// count and largest id are not what the set expects (reports written by
// anything but Put on this Store). The digests are DuckDB's, made in SQL,
// so a million reports cost 16 MB here and nothing is read as text.
type knownReports struct {
	digests []uint64            // sorted, as read from the table
	added   map[uint64]struct{} // committed by Put since
	count   int64               // the rows reports should have
	top     int64               // the largest report_id reports should have
}

// reportDigests: the digests knownReports keeps, as SQL over a relation
// with the columns content_hash, organization and report_year.
const reportDigests = `hash(content_hash) AS h, hash(organization, report_year) AS k`

// digests is a batch's reports' digests, in the batch's order.
type digests struct{ h, k []uint64 }

func (k *knownReports) has(d uint64) bool {
	if _, ok := k.added[d]; ok {
		return true
	}
	_, ok := slices.BinarySearch(k.digests, d)
	return ok
}

// add records a committed batch: the digests of the reports it wrote, the
// rows it added and removed, and the largest id it gave.
func (k *knownReports) add(d digests, write []bool, removed int, ids []int64) {
	written := 0
	for i, w := range write {
		if w {
			k.added[d.h[i]] = struct{}{}
			k.added[d.k[i]] = struct{}{}
			written++
		}
	}
	k.count += int64(written - removed)
	for _, id := range ids {
		k.top = max(k.top, id)
	}
}

// knownOn returns the set for the table as conn's transaction sees it,
// made anew when the table is not what the kept one expects.
func (s *Store) knownOn(ctx context.Context, conn *sql.Conn) (*knownReports, error) {
	var count, top int64
	if err := conn.QueryRowContext(ctx, `SELECT count(*), coalesce(max(report_id), 0) FROM reports`).Scan(&count, &top); err != nil {
		return nil, err
	}
	if k := s.known; k != nil && k.count == count && k.top == top {
		return k, nil
	}
	s.known = nil
	rows, err := conn.QueryContext(ctx, `SELECT `+reportDigests+` FROM reports`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	k := &knownReports{digests: make([]uint64, 0, 2*count), added: map[uint64]struct{}{}, count: count, top: top}
	for rows.Next() {
		var h, key uint64
		if err := rows.Scan(&h, &key); err != nil {
			return nil, err
		}
		k.digests = append(k.digests, h, key)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.Sort(k.digests)
	return k, nil
}

// batchDigests makes the digests of batch's reports in SQL, as knownOn
// makes the stored ones.
func batchDigests(ctx context.Context, conn *sql.Conn, batch []gongkai.Parsed) (digests, error) {
	var q strings.Builder
	q.WriteString(`SELECT ` + reportDigests + ` FROM (VALUES `)
	args := make([]any, 0, 3*len(batch))
	for i, p := range batch {
		if i > 0 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "(%d, CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS INTEGER))", i)
		args = append(args, p.Hash, p.Report.Organization, p.Report.ReportYear)
	}
	q.WriteString(`) b(i, content_hash, organization, report_year) ORDER BY i`)
	rows, err := conn.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return digests{}, err
	}
	defer rows.Close()
	d := digests{h: make([]uint64, 0, len(batch)), k: make([]uint64, 0, len(batch))}
	for rows.Next() {
		var h, k uint64
		if err := rows.Scan(&h, &k); err != nil {
			return digests{}, err
		}
		d.h, d.k = append(d.h, h), append(d.k, k)
	}
	if err := rows.Err(); err != nil {
		return digests{}, err
	}
	if len(d.h) != len(batch) {
		return digests{}, fmt.Errorf("digests of %d reports for a batch of %d", len(d.h), len(batch))
	}
	return d, nil
}

// mayBeStored returns the reports of batch that may be stored already:
// those whose content hash or organization and year the set knows.
func (k *knownReports) mayBeStored(batch []gongkai.Parsed, d digests) []gongkai.Parsed {
	var out []gongkai.Parsed
	for i, p := range batch {
		if k.has(d.h[i]) || k.has(d.k[i]) {
			out = append(out, p)
		}
	}
	return out
}
