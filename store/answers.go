package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gongkai"
)

// Answer is a rollup answer to keep (schema 11): the rollup's statement,
// its named parameters (bound NULL, but for year in a part), and whether it
// is kept by year.
type Answer struct {
	Name      string
	Statement string
	Params    []string
	// ByYear keeps one part per report year, made with $year bound to it;
	// the statement must answer, for each year, exactly the rows of that
	// year in its whole answer, those being ordered by year first, and read
	// no year but that one and the one before.
	ByYear bool
}

// Stored names a kept rollup answer that may stand in for a Selection's
// statement: rollup Name's, kept by year or not, each Filter keeping the
// rows whose column equals its value (a filter on year of an answer kept
// by year reads that year's part alone).
type Stored struct {
	Name    string
	ByYear  bool
	Filters []Filter
}

// Filter keeps the rows of a kept answer whose Column equals Value.
type Filter struct {
	Column string
	Value  any
}

// AnswerStats says what StoreAnswer did.
type AnswerStats struct {
	Made  bool // false: every part kept was fresh already
	Parts int  // parts made anew
	Rows  int64
	Took  time.Duration
}

// answerHash identifies what a kept answer was made from: the statement
// and every schema file (the macros and views a rollup reads are defined
// there), so a build whose rollup or schema SQL differs never answers from
// tables another build made.
func answerHash(statement string) string {
	h := sha256.New()
	h.Write([]byte(bareStatement(statement)))
	h.Write(schemaDigest())
	h.Write(labelsDigest())
	return hex.EncodeToString(h.Sum(nil))
}

// labelsDigest hashes cell_labels as this build writes it (refillLabels
// rewrites the table when a build's layouts differ), so an answer that
// joins the labels, such as district_year_active's, is stale under a
// build with other labels.
var labelsDigest = sync.OnceValue(func() []byte {
	h := sha256.New()
	for _, l := range layoutLabels() {
		h.Write([]byte(l.String()))
		h.Write([]byte{'\n'})
	}
	return h.Sum(nil)
})

// schemaDigest hashes the embedded schema files once: every whole-nation
// query checks a kept answer's hash.
var schemaDigest = sync.OnceValue(func() []byte {
	h := sha256.New()
	ms, _ := migrations()
	for _, m := range ms {
		h.Write([]byte{0})
		h.Write([]byte(m.sql))
	}
	return h.Sum(nil)
})

// part is one kept table of an answer and what it reads.
type part struct {
	year         int // 0: the whole answer
	reports, top int64
}

func (p part) table(name string) string {
	if p.year == 0 {
		return "answer_" + name
	}
	return fmt.Sprintf("answer_%s_%d", name, p.year)
}

// wantParts lists the parts an answer has over the reports as they are
// now, with the count and largest id of the reports each reads, in year
// order.
func wantParts(ctx context.Context, conn *sql.Conn, byYear bool) ([]part, error) {
	q := `SELECT 0, count(*), coalesce(max(report_id), 0) FROM reports`
	if byYear {
		q = `WITH y AS (SELECT report_year, count(*) AS n, max(report_id) AS top FROM reports GROUP BY report_year)
			SELECT a.report_year, sum(b.n), max(b.top)
			FROM y a JOIN y b ON b.report_year IN (a.report_year, a.report_year - 1)
			GROUP BY a.report_year ORDER BY a.report_year`
	}
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []part
	for rows.Next() {
		var p part
		if err := rows.Scan(&p.year, &p.reports, &p.top); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// keptParts reads answer_state's parts of rollup name made from hash,
// by year.
func keptParts(ctx context.Context, conn *sql.Conn, name, hash string) (map[int]keptPart, error) {
	rows, err := conn.QueryContext(ctx, `SELECT part, reports, top_id, rows FROM answer_state WHERE rollup = ? AND sql_hash = ?`, name, hash)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]keptPart{}
	for rows.Next() {
		var k keptPart
		if err := rows.Scan(&k.year, &k.reports, &k.top, &k.rows); err != nil {
			return nil, err
		}
		out[k.year] = k
	}
	return out, rows.Err()
}

// keptPart is a part as answer_state has it, with its number of rows.
type keptPart struct {
	part
	rows int64
}

// freshParts returns the parts to read for st (its year's alone when a
// filter names the year of an answer kept by year), in year order, each
// with its rows as answer_state has them, and whether every one of them is
// kept and fresh. No parts (an empty store) is not fresh: the statement
// answers that.
func freshParts(ctx context.Context, conn *sql.Conn, st Stored, statement string) ([]keptPart, bool, error) {
	want, err := wantParts(ctx, conn, st.ByYear)
	if err != nil {
		return nil, false, err
	}
	if st.ByYear {
		for _, f := range st.Filters {
			if f.Column == "year" {
				y, _ := f.Value.(int64) // as rollup.Bind binds it; anything else matches no part
				want = slices.DeleteFunc(want, func(p part) bool { return int64(p.year) != y })
			}
		}
	}
	have, err := keptParts(ctx, conn, st.Name, answerHash(statement))
	if err != nil {
		return nil, false, err
	}
	out := make([]keptPart, len(want))
	for i, p := range want {
		h, ok := have[p.year]
		if !ok || h.part != p {
			return nil, false, nil
		}
		out[i] = h
	}
	return out, len(out) > 0, nil
}

// resolved is how a Selection is read on a connection: the statement q
// with its arguments, and, when q reads a kept answer, each kept part's
// own statement in order (branches: q is their UNION ALL, and each takes
// the same args).
type resolved struct {
	q        string
	args     []any
	branches []string
	// whole lists the kept parts when q reads them whole (no filter),
	// else it is nil: their rows are then known, and a Result sized for
	// them at once is one allocation (the collector's goal rises with it,
	// where growing it from nothing took a whole nation's levels through
	// nine collections) that several connections may fill (collectParts).
	whole []keptPart
}

// resolveStored gives the statement that answers src on conn: its kept
// answer's when every part it reads is fresh, else src's own. Query and
// export both come here.
func resolveStored(ctx context.Context, conn *sql.Conn, src Selection) (resolved, error) {
	if src.Stored == nil {
		return resolved{q: bareStatement(src.Statement), args: src.Args}, nil
	}
	parts, fresh, err := freshParts(ctx, conn, *src.Stored, src.Statement)
	if err != nil {
		return resolved{}, err
	}
	if !fresh {
		return resolved{q: bareStatement(src.Statement), args: src.Args}, nil
	}
	branches, args := storedBranches(*src.Stored, parts)
	r := resolved{q: strings.Join(branches, "\nUNION ALL\n"), args: args, branches: branches}
	if len(args) == 0 {
		r.whole = parts // with a WHERE, a part keeps an unknown share
	}
	return r, nil
}

// storedBranches reads the kept parts in order: each a scan of one table
// with a WHERE, which keeps its rows' order, as UNION ALL keeps its
// branches' (DuckDB's order preservation); CREATE TABLE AS kept the
// rollup's ORDER BY.
func storedBranches(st Stored, parts []keptPart) ([]string, []any) {
	var where strings.Builder
	var args []any
	for _, f := range st.Filters {
		if st.ByYear && f.Column == "year" {
			continue // the part is the year
		}
		if len(args) == 0 {
			where.WriteString(" WHERE ")
		} else {
			where.WriteString(" AND ")
		}
		args = append(args, f.Value)
		fmt.Fprintf(&where, "%s = $%d", quoteIdent(f.Column), len(args))
	}
	branches := make([]string, len(parts))
	for i, p := range parts {
		branches[i] = "SELECT * FROM " + quoteIdent(p.table(st.Name)) + where.String()
	}
	return branches, args
}

// answerMemoryLimit is DuckDB's memory_limit while StoreAnswer runs on a
// store with the default limit. Keeping a million-row answer at the end of
// an ingest took the process to 1.07–1.29 GB at 963,742 reports under the
// default 1 GB (DuckDB's allocations beside its buffer pool, and Go's);
// under 600 MB it peaked at 0.88 GB for 6 % more time, and later, one
// district ingested into a store of 963,660 reports, at 0.79–1.10 GB over
// five runs. Under 400 MB the same ingest peaked at 0.77–0.79 GB, levels'
// answer taking 19.4–20.3 s against 17.2–20.1 s (1 December, load 2).
const answerMemoryLimit = "400MB"

// StoreAnswer makes anew the parts of a's kept answer that are not fresh
// and drops those of years no report has any more. Each part's table and
// its answer_state row are written in one transaction, so a kill keeps
// what was made and the rest stays stale (and unused) until the next call.
func (s *Store) StoreAnswer(ctx context.Context, a Answer) (AnswerStats, error) {
	var st AnswerStats
	if s.readOnly {
		return st, &gongkai.Error{Op: "store answer", Path: s.path, Err: fmt.Errorf("database opened read-only")}
	}
	start := time.Now()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return st, classify("store answer", s.path, err)
	}
	defer conn.Close()
	// A database-wide setting: StoreAnswer holds writeMu, and an ingest
	// calls it after its own writes.
	restore, err := s.lowerMemory(ctx, conn, answerMemoryLimit)
	if err != nil {
		return st, classify("store answer", s.path, err)
	}
	defer restore()
	hash := answerHash(a.Statement)
	want, err := wantParts(ctx, conn, a.ByYear)
	if err != nil {
		return st, classify("store answer", s.path, err)
	}
	rows, err := conn.QueryContext(ctx, `SELECT part, table_name, sql_hash, reports, top_id FROM answer_state WHERE rollup = ?`, a.Name)
	if err != nil {
		return st, classify("store answer", s.path, err)
	}
	have := map[int]part{}
	var gone []string // tables of parts no report reads now
	for rows.Next() {
		var p part
		var table, h string
		if err := rows.Scan(&p.year, &table, &h, &p.reports, &p.top); err != nil {
			rows.Close()
			return st, classify("store answer", s.path, err)
		}
		if h == hash {
			have[p.year] = p
		}
		if !slices.ContainsFunc(want, func(w part) bool { return w.year == p.year }) {
			gone = append(gone, table)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, classify("store answer", s.path, err)
	}
	for _, p := range want {
		if h, ok := have[p.year]; ok && h == p {
			continue
		}
		t0 := time.Now()
		args := make([]any, len(a.Params))
		for i, name := range a.Params {
			var v any
			if a.ByYear && name == "year" {
				v = int64(p.year)
			}
			args[i] = sql.Named(name, v)
		}
		var n int64
		err := s.txOn(ctx, conn, "store answer "+a.Name, func(conn *sql.Conn) error {
			table := quoteIdent(p.table(a.Name))
			if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TABLE "+table+" AS\n"+bareStatement(a.Statement)+"\n", args...); err != nil {
				return fmt.Errorf("rollup %s: %w", a.Name, err)
			}
			if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
				return err
			}
			_, err := conn.ExecContext(ctx, `INSERT OR REPLACE INTO answer_state VALUES (?, ?, ?, ?, ?, ?, ?, now(), ?)`,
				a.Name, p.year, p.table(a.Name), hash, p.reports, p.top, n, time.Since(t0).Milliseconds())
			return err
		})
		if err != nil {
			return AnswerStats{}, err
		}
		st.Made, st.Parts, st.Rows = true, st.Parts+1, st.Rows+n
	}
	for _, t := range gone {
		err := s.txOn(ctx, conn, "store answer "+a.Name, func(conn *sql.Conn) error {
			if _, err := conn.ExecContext(ctx, `DELETE FROM answer_state WHERE table_name = ?`, t); err != nil {
				return err
			}
			_, err := conn.ExecContext(ctx, "DROP TABLE IF EXISTS "+quoteIdent(t))
			return err
		})
		if err != nil {
			return AnswerStats{}, err
		}
		st.Made = true
	}
	st.Took = time.Since(start)
	return st, nil
}

// QuerySelection runs src as Query does: from its kept answer when src
// names one and every part it reads is fresh, else its statement. The
// freshness check and the read run in one transaction, so they see the
// same reports even if a writer commits in between.
func (s *Store) QuerySelection(ctx context.Context, src Selection) (*gongkai.Result, error) {
	var res *gongkai.Result
	err := s.readSelection(ctx, src, func(conn *sql.Conn, r resolved) error {
		var err error
		if r.whole != nil {
			res, err = s.collectParts(ctx, conn, src, r.whole, r.q)
		} else {
			res, err = s.collectSized(ctx, conn, 0, 0, r.q, r.args)
		}
		return err
	})
	return res, err
}

// readSelection hands read a connection and how src is read on it
// (resolveStored).
// A kept answer is chosen and read in one transaction; a plain statement
// needs none.
func (s *Store) readSelection(ctx context.Context, src Selection, read func(conn *sql.Conn, r resolved) error) error {
	conn, release, err := s.readConn(ctx)
	if err != nil {
		return classify("query", s.path, err)
	}
	if src.Stored == nil {
		err = read(conn, resolved{q: bareStatement(src.Statement), args: src.Args})
		release(err)
		return classify("query", s.path, err)
	}
	err = s.txOn(ctx, conn, "query", func(conn *sql.Conn) error {
		r, err := resolveStored(ctx, conn, src)
		if err != nil {
			return err
		}
		return read(conn, r)
	})
	release(err)
	return err
}
