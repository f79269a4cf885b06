package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"
)

// SyncStats says what SyncReplica did.
type SyncStats struct {
	Full    bool // the replica was (re)made whole with Snapshot
	Added   int64
	Removed int64
	Took    time.Duration
}

// SyncReplica brings the DuckDB file replica to the state of the store at
// main, copying only what changed when it can. serve keeps two replicas
// and syncs the one it is not answering from, so an ingest costs serve
// the changed reports, not a copy of the whole store.
//
// It works because reports are immutable once written: Put never updates
// a report's rows, it deletes them and writes the report again under a new
// id from a sequence that never goes back. So every table with a
// report_id column changes only by whole reports: the replica drops the
// reports main no longer has, and takes main's rows whose report_id is
// above the largest it holds. The exceptions are rewritten whole: the
// findings of scope 'store' (the cross-report rules recompute them in
// place) and every table without a report_id (labels, pending marks,
// migrations). A replica of another schema version, a missing one, or one
// grown past twice main's size (DuckDB reuses deleted space only in part)
// is made whole again with a plain copy of main (Snapshot).
//
// main is opened read-only (attached), so a writer holding it makes
// SyncReplica fail with gongkai.ErrDatabaseBusy, as OpenReadOnly does.
// Nobody may have replica open meanwhile.
func SyncReplica(ctx context.Context, main, replica string) (SyncStats, error) {
	start := time.Now()
	st := SyncStats{}
	full := func() (SyncStats, error) {
		removeDBFiles(replica)
		src, err := OpenReadOnly(ctx, main)
		if err != nil {
			return st, err
		}
		err = src.Snapshot(ctx, replica)
		if cerr := src.Close(); err == nil {
			err = cerr
		}
		st.Full, st.Took = true, time.Since(start)
		return st, err
	}
	ri, err := os.Stat(replica)
	if err != nil {
		return full()
	}
	if mi, err := os.Stat(main); err == nil && ri.Size() > 2*mi.Size()+64<<20 {
		return full()
	}
	rep, err := Open(ctx, replica)
	if err != nil {
		return full()
	}
	defer rep.Close()
	conn, err := rep.db.Conn(ctx)
	if err != nil {
		return st, classify("sync replica", replica, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "ATTACH "+quoteLiteral(main)+" AS src (READ_ONLY)"); err != nil {
		return st, classify("sync replica", main, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "DETACH src")
	var mv, rv sql.NullInt64
	if err := conn.QueryRowContext(ctx, `SELECT (SELECT max(version) FROM src.schema_migrations),
		(SELECT max(version) FROM schema_migrations)`).Scan(&mv, &rv); err != nil {
		return st, classify("sync replica", main, err)
	}
	if mv != rv {
		conn.ExecContext(ctx, "DETACH src")
		conn.Close()
		rep.Close()
		return full()
	}
	tables, err := syncTables(ctx, conn)
	if err != nil {
		return st, classify("sync replica", replica, err)
	}
	err = rep.txOn(ctx, conn, "sync replica", func(conn *sql.Conn) error {
		var top int64
		if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(report_id), 0) FROM reports`).Scan(&top); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE sync_gone AS
			SELECT report_id FROM reports ANTI JOIN src.reports USING (report_id)`); err != nil {
			return err
		}
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM temp.sync_gone`).Scan(&st.Removed); err != nil {
			return err
		}
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM src.reports WHERE report_id > ?`, top).Scan(&st.Added); err != nil {
			return err
		}
		kept, unchanged, err := keptTables(ctx, conn)
		if err != nil {
			return err
		}
		for _, t := range tables {
			q := quoteIdent(t.name)
			var stmts []string
			switch {
			case kept[t.name]:
				// A kept rollup answer (schema 11) is a million rows at a
				// nation's size: copied only when main made it anew, and
				// whole (its columns follow the rollup's SQL).
				if !unchanged[t.name] {
					stmts = []string{`CREATE OR REPLACE TABLE ` + q + ` AS SELECT * FROM src.` + q}
				}
			case t.name == "findings":
				stmts = []string{
					`DELETE FROM findings WHERE scope = 'store'` + orGone(st.Removed),
					`INSERT INTO findings SELECT * FROM src.findings WHERE scope = 'store' OR report_id > $top`,
				}
			case t.byReport:
				if st.Removed > 0 {
					stmts = append(stmts, `DELETE FROM `+q+` WHERE report_id IN (SELECT report_id FROM temp.sync_gone)`)
				}
				if st.Added > 0 {
					stmts = append(stmts, `INSERT INTO `+q+` SELECT * FROM src.`+q+` WHERE report_id > $top`)
				}
			default:
				stmts = []string{`DELETE FROM ` + q, `INSERT INTO ` + q + ` SELECT * FROM src.` + q}
			}
			for _, s := range stmts {
				var args []any
				if containsTop(s) {
					args = []any{sql.Named("top", top)}
				}
				if _, err := conn.ExecContext(ctx, s, args...); err != nil {
					return fmt.Errorf("%s: %w", t.name, err)
				}
			}
		}
		_, err = conn.ExecContext(ctx, `DROP TABLE temp.sync_gone`)
		return err
	})
	if err != nil {
		return st, err
	}
	if _, err := conn.ExecContext(ctx, "DETACH src"); err != nil {
		return st, classify("sync replica", main, err)
	}
	if _, err := conn.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return st, classify("sync replica", replica, err)
	}
	st.Took = time.Since(start)
	return st, nil
}

// keptTables names main's tables of kept rollup answers (schema 11), and
// those the replica holds as main made them: the same answer_state row,
// same SQL, same moment. Asked before any table is synced, answer_state
// included.
func keptTables(ctx context.Context, conn *sql.Conn) (kept, unchanged map[string]bool, err error) {
	rows, err := conn.QueryContext(ctx, `SELECT m.table_name, r.table_name IS NOT NULL
		FROM src.answer_state m LEFT JOIN answer_state r
		  ON r.table_name = m.table_name AND r.sql_hash = m.sql_hash AND r.made_at = m.made_at
		 AND r.top_id = m.top_id AND r.reports = m.reports`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	kept, unchanged = map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var name string
		var same bool
		if err := rows.Scan(&name, &same); err != nil {
			return nil, nil, err
		}
		kept[name], unchanged[name] = true, same
	}
	return kept, unchanged, rows.Err()
}

func orGone(removed int64) string {
	if removed == 0 {
		return ""
	}
	return ` OR report_id IN (SELECT report_id FROM temp.sync_gone)`
}

func containsTop(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		if s[i:i+4] == "$top" {
			return true
		}
	}
	return false
}

type syncTable struct {
	name     string
	byReport bool
}

// syncTables lists the base tables of the store (main schema of src) and
// whether each has a report_id column.
func syncTables(ctx context.Context, conn *sql.Conn) ([]syncTable, error) {
	rows, err := conn.QueryContext(ctx, `
		SELECT t.table_name,
		       EXISTS (SELECT 1 FROM duckdb_columns() c
		               WHERE c.database_name = 'src' AND c.schema_name = 'main'
		                 AND c.table_name = t.table_name AND c.column_name = 'report_id')
		FROM duckdb_tables() t
		WHERE t.database_name = 'src' AND t.schema_name = 'main' AND NOT t.temporary
		ORDER BY t.table_name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []syncTable
	for rows.Next() {
		var t syncTable
		if err := rows.Scan(&t.name, &t.byReport); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func removeDBFiles(path string) {
	os.Remove(path)
	os.Remove(path + ".wal")
}
