package store

import (
	"context"
	"database/sql"
	"hash/maphash"
	"slices"
	"strconv"

	"gongkai"
)

// knownReports is what Put knows of the stored reports without asking
// DuckDB: a 64-bit digest of each one's content hash and of its
// organization and year. Put asks the store only about the reports of a
// batch whose digests it finds here, for those may be stored already; a
// batch of new reports (the common case: a new year, a new district) needs
// no lookup at all. Without it, every batch's lookup scanned the
// content_hash and organization columns of the whole reports table: 55-105
// ms a batch of 256 at 968,091 reports, about 0.3 ms a report of the
// storer's one thread.
//
// A digest found here is only a "maybe" (a report since deleted, a
// collision): the lookup decides. A digest missing means the report is not
// stored, as long as the set is complete: it is made from the table, grows
// with every batch Put commits, and is made anew whenever the table's count
// and largest id are not what the set expects (reports written by anything
// but Put on this Store).
//
// The digests are made in Go. DuckDB's hash() in SQL would spare reading
// the text, but hashing a batch's values there took 14-18 ms a batch of
// 135 reports (a VALUES list to plan), more than the lookup it replaces on
// a store of 100,000 reports.
type knownReports struct {
	digests []uint64            // sorted, as read from the table
	added   map[uint64]struct{} // committed by Put since
	count   int64               // the rows reports should have
	top     int64               // the largest report_id reports should have
}

// knownSeed keys the digests; they live in this process only.
var knownSeed = maphash.MakeSeed()

func hashDigest(contentHash string) uint64 {
	return maphash.String(knownSeed, "h\x00"+contentHash)
}

func keyDigest(org string, year int) uint64 {
	return maphash.String(knownSeed, "k\x00"+org+"\x00"+strconv.Itoa(year))
}

func (k *knownReports) has(d uint64) bool {
	if _, ok := k.added[d]; ok {
		return true
	}
	_, ok := slices.BinarySearch(k.digests, d)
	return ok
}

// add records a committed batch: its written reports' digests, the rows it
// added and removed, and the largest id it gave.
func (k *knownReports) add(written []gongkai.Parsed, removed int, ids []int64) {
	for _, p := range written {
		k.added[hashDigest(p.Hash)] = struct{}{}
		k.added[keyDigest(p.Report.Organization, p.Report.ReportYear)] = struct{}{}
	}
	k.count += int64(len(written) - removed)
	for _, id := range ids {
		k.top = max(k.top, id)
	}
}

// knownChunk is how many report ids one statement of knownOn reads: the
// driver holds a statement's whole result, and a million reports' hashes
// and names at once would be about 150 MB of it.
const knownChunk = 1 << 17

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
	k := &knownReports{digests: make([]uint64, 0, 2*count), added: map[uint64]struct{}{}, count: count, top: top}
	for lo := int64(0); lo <= top; lo += knownChunk {
		if err := k.load(ctx, conn, lo, lo+knownChunk); err != nil {
			return nil, err
		}
	}
	slices.Sort(k.digests)
	return k, nil
}

// load adds the digests of the reports with ids in [lo, hi).
func (k *knownReports) load(ctx context.Context, conn *sql.Conn, lo, hi int64) error {
	rows, err := conn.QueryContext(ctx, `SELECT content_hash, organization, report_year FROM reports
		WHERE report_id >= ? AND report_id < ?`, lo, hi)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var h, org string
		var year int
		if err := rows.Scan(&h, &org, &year); err != nil {
			return err
		}
		k.digests = append(k.digests, hashDigest(h), keyDigest(org, year))
	}
	return rows.Err()
}

// mayBeStored returns the reports of batch that may be stored already:
// those whose content hash or organization and year the set knows.
func (k *knownReports) mayBeStored(batch []gongkai.Parsed) []gongkai.Parsed {
	var out []gongkai.Parsed
	for _, p := range batch {
		if k.has(hashDigest(p.Hash)) || k.has(keyDigest(p.Report.Organization, p.Report.ReportYear)) {
			out = append(out, p)
		}
	}
	return out
}
