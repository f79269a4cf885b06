package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"gongkai"
)

// Put stores a batch of reports in one transaction: all of them or, on any
// error, none (the database is left exactly as it was). Outcomes are in
// batch order: a report whose file (content hash) is already stored is
// Unchanged and nothing is written; a report for an organization and year
// already stored from another file Replaced it (the old report's rows are
// deleted everywhere); otherwise it is Added. Within a batch, reports are
// taken in order, as if put one by one.
//
// One exception to "same content, nothing written": when the report comes
// placed among the divisions (Report.Body) and the stored copy was placed
// differently, the report is stored again (Replaced, naming the stored
// file), so a second ingest with --district or --manifest fixes the
// placement. A report that comes unplaced never erases a stored placement.
//
// Put implements gongkai.Sink.
func (s *Store) Put(ctx context.Context, batch []gongkai.Parsed) ([]gongkai.Outcome, error) {
	out, _, err := s.PutDetailed(ctx, batch)
	return out, err
}

// PutDetailed is Put that also returns, per report, the source path of the
// stored report it matched: for Unchanged the file already stored with the
// same content, for Replaced the file whose report was replaced, "" for
// Added. ingest uses it for its per-file messages.
func (s *Store) PutDetailed(ctx context.Context, batch []gongkai.Parsed) ([]gongkai.Outcome, []string, error) {
	if s.readOnly {
		return nil, nil, &gongkai.Error{Op: "store", Path: s.path, Err: fmt.Errorf("database opened read-only")}
	}
	if len(batch) == 0 {
		return nil, nil, nil
	}
	for _, p := range batch {
		if err := validate(p); err != nil {
			return nil, nil, &gongkai.Error{Op: "store", Path: p.Path, Err: fmt.Errorf("%w; nothing stored", err),
				Hint: "a report is stored under its organization and year, read from its title (…年政府信息公开工作年度报告) or signature; 'gongkai parse FILE' shows what was read"}
		}
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()

	outcomes := make([]gongkai.Outcome, len(batch))
	previous := make([]string, len(batch))
	// What the committed batch did, for what Put knows of the stored
	// reports (known.go).
	var known *knownReports
	var written []gongkai.Parsed
	var writtenIDs, removedIDs []int64
	err := s.inTx(ctx, "store", func(conn *sql.Conn) error {
		var err error
		known, err = s.knownOn(ctx, conn)
		if err != nil {
			return err
		}
		var existing []stored
		if maybe := known.mayBeStored(batch); len(maybe) > 0 {
			if existing, err = lookup(ctx, conn, maybe); err != nil {
				return err
			}
		}
		// Decide each report in order, as if they were put one at a time.
		byHash := map[string]stored{} // content hash → the stored or pending report
		byKey := map[string]stored{}  // organization|year → the stored or pending report
		for _, e := range existing {
			byHash[e.hash] = e
			byKey[key(e.org, e.year)] = e
		}
		var deleteIDs []int64
		write := make([]bool, len(batch))
		remove := func(old stored) {
			if old.pending >= 0 {
				write[old.pending] = false // replaced within this batch before it was written
			} else {
				deleteIDs = append(deleteIDs, old.id)
			}
			if e, ok := byHash[old.hash]; ok && e.same(old) {
				delete(byHash, old.hash)
			}
			if e, ok := byKey[key(old.org, old.year)]; ok && e.same(old) {
				delete(byKey, key(old.org, old.year))
			}
		}
		for i, p := range batch {
			r := p.Report
			k := key(r.Organization, r.ReportYear)
			sameFile, hashStored := byHash[p.Hash]
			if hashStored && (r.Body.IsZero() || r.Body == sameFile.body) {
				// The same file: nothing to write. A file placed among the
				// divisions differently than when stored (ingest --district
				// or --manifest on a second run) is stored again below; a
				// run that cannot place it keeps the stored placement.
				outcomes[i], previous[i] = gongkai.Unchanged, sameFile.path
				continue
			}
			outcomes[i] = gongkai.Added
			if hashStored {
				outcomes[i], previous[i] = gongkai.Replaced, sameFile.path
				remove(sameFile)
			}
			if old, ok := byKey[k]; ok {
				outcomes[i], previous[i] = gongkai.Replaced, old.path
				remove(old)
			}
			write[i] = true
			e := stored{id: -1, pending: i, org: r.Organization, year: r.ReportYear, hash: p.Hash, path: p.Path, body: r.Body}
			byHash[p.Hash] = e
			byKey[k] = e
		}
		if err := markPending(ctx, conn, deleteIDs); err != nil {
			return err
		}
		if err := deleteReports(ctx, conn, deleteIDs); err != nil {
			return err
		}
		var toWrite []gongkai.Parsed
		for i, w := range write {
			if w {
				toWrite = append(toWrite, batch[i])
			}
		}
		if len(toWrite) == 0 {
			return nil
		}
		ids, err := nextIDs(ctx, conn, len(toWrite))
		if err != nil {
			return err
		}
		written, writtenIDs, removedIDs = toWrite, ids, deleteIDs
		if err := appendReports(conn, toWrite, ids, time.Now().UTC()); err != nil {
			return err
		}
		// The facts from the records, in Go; in SQL only when the table
		// is not the one factsRow writes (putfacts.go).
		inGo, err := factsInGo(ctx, conn)
		if err != nil {
			return err
		}
		if inGo {
			err = appendFacts(conn, toWrite, ids)
		} else {
			err = insertFacts(ctx, conn, ids)
		}
		if err != nil {
			return err
		}
		if err := markPending(ctx, conn, ids); err != nil {
			return err
		}
		if testHookBeforeCommit != nil {
			return testHookBeforeCommit(conn)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	known.add(written, len(distinct(removedIDs)), writtenIDs)
	s.known = known
	return outcomes, previous, nil
}

// distinct returns ids without repeats.
func distinct(ids []int64) []int64 {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// testHookBeforeCommit lets tests look into the open transaction and fail
// a batch after every row is written but before COMMIT.
var testHookBeforeCommit func(conn *sql.Conn) error

func validate(p gongkai.Parsed) error {
	if p.Report == nil {
		return fmt.Errorf("no report")
	}
	if err := p.Report.Validate(); err != nil {
		return err
	}
	if p.Hash == "" {
		return fmt.Errorf("no content hash")
	}
	return nil
}

// stored is a report already in the database (pending < 0) or written by
// this batch (pending = its index).
type stored struct {
	id      int64
	pending int
	org     string
	year    int
	hash    string
	path    string
	body    gongkai.Body
}

// same says whether two entries are the same report.
func (e stored) same(o stored) bool { return e.id == o.id && e.pending == o.pending }

func key(org string, year int) string { return fmt.Sprintf("%s|%d", org, year) }

// lookup finds the stored reports that share a content hash or an
// organization with the batch (the caller matches years).
func lookup(ctx context.Context, conn *sql.Conn, batch []gongkai.Parsed) ([]stored, error) {
	hashes := make([]string, 0, len(batch))
	orgs := make([]string, 0, len(batch))
	seenH, seenO := map[string]bool{}, map[string]bool{}
	for _, p := range batch {
		if !seenH[p.Hash] {
			seenH[p.Hash] = true
			hashes = append(hashes, p.Hash)
		}
		if o := p.Report.Organization; !seenO[o] {
			seenO[o] = true
			orgs = append(orgs, o)
		}
	}
	q := `SELECT report_id, organization, report_year, content_hash, source_path,
	             province, city, county, township, division_code, body_type, is_aggregate FROM reports
	      WHERE content_hash IN (` + placeholders(len(hashes)) + `)
	         OR organization IN (` + placeholders(len(orgs)) + `)`
	args := make([]any, 0, len(hashes)+len(orgs))
	for _, h := range hashes {
		args = append(args, h)
	}
	for _, o := range orgs {
		args = append(args, o)
	}
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stored
	for rows.Next() {
		e := stored{pending: -1}
		var prov, city, county, town, code, typ sql.NullString
		if err := rows.Scan(&e.id, &e.org, &e.year, &e.hash, &e.path,
			&prov, &city, &county, &town, &code, &typ, &e.body.Aggregate); err != nil {
			return nil, err
		}
		e.body.Province, e.body.City, e.body.County, e.body.Township = prov.String, city.String, county.String, town.String
		e.body.DivisionCode, e.body.Type = code.String, typ.String
		out = append(out, e)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// cellTables are every table holding rows keyed by report_id, children
// first and reports last.
var cellTables = []string{"active_cells", "application_cells", "review_cells", "narrative", "findings", "report_facts", "reports"}

// insertFacts writes the report_facts rows of the reports ids, just
// appended with their cells in the same transaction (schema 6). The ids
// come from one nextval run, so they are usually one range: each range
// is derived in one statement whose id bounds let DuckDB skip every row
// group of the cell tables but the new ones.
func insertFacts(ctx context.Context, conn *sql.Conn, ids []int64) error {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j] == sorted[j-1]+1 {
			j++
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO report_facts SELECT * FROM report_facts_of(?, ?)`,
			sorted[i], sorted[j-1]); err != nil {
			return fmt.Errorf("deriving the reports' facts: %w", err)
		}
		i = j
	}
	return nil
}

func deleteReports(ctx context.Context, conn *sql.Conn, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	for _, t := range cellTables {
		if _, err := conn.ExecContext(ctx, `DELETE FROM `+t+` WHERE report_id IN (`+placeholders(len(ids))+`)`, args...); err != nil {
			return fmt.Errorf("deleting replaced reports from %s: %w", t, err)
		}
	}
	return nil
}

// markPending records the body and year of the reports ids in
// cross_pending, for UpdateCrossRules: call it for a report before
// deleting it and after writing it.
func markPending(ctx context.Context, conn *sql.Conn, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	_, err := conn.ExecContext(ctx, `INSERT INTO cross_pending
		SELECT body_key, report_year, division_code, is_aggregate FROM report_bodies
		WHERE report_id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return fmt.Errorf("recording touched bodies: %w", err)
	}
	return nil
}

func nextIDs(ctx context.Context, conn *sql.Conn, n int) ([]int64, error) {
	ids, err := queryColumn[int64](ctx, conn, `SELECT nextval('report_id_seq') FROM range(?)`, n)
	if err != nil {
		return nil, err
	}
	if len(ids) != n {
		return nil, fmt.Errorf("sequence gave %d ids, want %d", len(ids), n)
	}
	return ids, nil
}

// queryColumn runs a query of one column and returns its values.
func queryColumn[T any](ctx context.Context, conn *sql.Conn, q string, args ...any) ([]T, error) {
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// appendReports loads the reports and all their rows with one Appender
// per table, inside the caller's transaction.
func appendReports(conn *sql.Conn, batch []gongkai.Parsed, ids []int64, now time.Time) error {
	err := withAppender(conn, "reports", func(a *duckdb.Appender) error {
		for i, p := range batch {
			r := p.Report
			var published any
			if r.PublishedOn != "" {
				d, err := time.Parse(time.DateOnly, r.PublishedOn)
				if err != nil {
					return &gongkai.Error{Op: "store", Path: p.Path, Where: "published_on", Err: fmt.Errorf("bad date %q: %w", r.PublishedOn, err)}
				}
				published = d
			}
			b := r.Body
			if err := a.AppendRow(ids[i], r.Organization, int32(r.ReportYear), string(r.FormatVersion), published,
				nullStr(b.Province), nullStr(b.City), nullStr(b.County), nullStr(b.Township),
				nullStr(b.DivisionCode), nullStr(b.Type), b.Aggregate,
				p.Path, nullStr(p.Rendering), p.Hash, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = withAppender(conn, "active_cells", func(a *duckdb.Appender) error {
		for i, p := range batch {
			r := p.Report
			for _, it := range r.Layout().Active {
				for _, m := range it.Metrics {
					path := gongkai.CellPath(gongkai.SecActive, it.Key, m.Key)
					loc, raw := source(r, path)
					if err := a.AppendRow(ids[i], it.Key, m.Key, decimal(r.Active[it.Key][m.Key]), loc, raw); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = withAppender(conn, "application_cells", func(a *duckdb.Appender) error {
		for i, p := range batch {
			r := p.Report
			l := r.Layout()
			for _, row := range l.Rows {
				vals := r.Applications[row.Key]
				for j, c := range l.Columns {
					var v gongkai.Num
					if vals != nil {
						v = vals[j]
					}
					val, err := integer(v)
					if err != nil {
						return &gongkai.Error{Op: "store", Path: p.Path, Where: gongkai.CellPath(gongkai.SecApplications, row.Key, c.Key), Err: err}
					}
					loc, raw := source(r, gongkai.CellPath(gongkai.SecApplications, row.Key, c.Key))
					if err := a.AppendRow(ids[i], row.Key, c.Key, val, loc, raw); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = withAppender(conn, "review_cells", func(a *duckdb.Appender) error {
		for i, p := range batch {
			r := p.Report
			l := r.Layout()
			for _, b := range l.ReviewBlocks {
				for _, c := range l.ReviewColumns {
					path := gongkai.CellPath(gongkai.SecReview, b.Key, c.Key)
					val, err := integer(r.ReviewLitigation[b.Key][c.Key])
					if err != nil {
						return &gongkai.Error{Op: "store", Path: p.Path, Where: path, Err: err}
					}
					loc, raw := source(r, path)
					if err := a.AppendRow(ids[i], b.Key, c.Key, val, loc, raw); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = withAppender(conn, "narrative", func(a *duckdb.Appender) error {
		for i, p := range batch {
			r := p.Report
			for _, k := range sortedKeys(r.Narrative) {
				loc, raw := source(r, gongkai.SecNarrative+"."+k)
				if err := a.AppendRow(ids[i], k, decimal(r.Narrative[k]), loc, raw); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return withAppender(conn, "findings", func(a *duckdb.Appender) error {
		for i, p := range batch {
			for _, f := range p.Report.Findings {
				where := []string(f.Where)
				if where == nil {
					where = []string{}
				}
				status := string(f.Status)
				if status == "" {
					status = string(gongkai.Failed)
				}
				code, args, err := findingCode(f)
				if err != nil {
					return err
				}
				if err := a.AppendRow(ids[i], f.Rule, string(f.Severity), status, where, f.Message, "report", code, args); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// source returns a cell's provenance as two nullable strings.
func source(r *gongkai.Report, path string) (loc, raw any) {
	src, ok := r.Provenance[path]
	if !ok {
		return nil, nil
	}
	return nullStr(src.Loc), nullStr(src.Raw)
}

// decimal renders a Num for a DECIMAL(18,6) column. The Appender stores a
// Decimal's unscaled value as is, so micros are passed with scale 6.
func decimal(n gongkai.Num) any {
	if !n.Valid() {
		return nil
	}
	return duckdb.Decimal{Width: 18, Scale: gongkai.Scale, Value: big.NewInt(n.Micros())}
}

// integer renders a Num for a BIGINT column; a fraction is an error, never
// rounded.
func integer(n gongkai.Num) (any, error) {
	if !n.Valid() {
		return nil, nil
	}
	v, ok := n.Int64()
	if !ok {
		return nil, fmt.Errorf("value %s is not a whole number", n)
	}
	return v, nil
}
