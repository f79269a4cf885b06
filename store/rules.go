package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	sqlfiles "gongkai/sql"
)

// RuleFile is one embedded cross-report rule (R6, R7, R9): a query over the
// store in sql/rules/NAME.sql returning report_id, rule, severity, status,
// where (VARCHAR[]), message, and the finding's code and args (a JSON
// object of strings, schema 8: see package msg), one row per finding.
type RuleFile struct {
	Name        string
	Description string
	// WholeAreaOnly: the rule finds nothing for reports none of which is
	// a whole-area report ("-- needs: whole-area"), and is not run then.
	WholeAreaOnly bool
	SQL           string
}

// CrossRules lists the embedded cross-report rules sorted by name. It
// panics only when an embedded file lacks its header, which the package's
// tests catch.
func CrossRules() []RuleFile {
	var out []RuleFile
	for _, f := range sqlfiles.Named("rules") {
		out = append(out, RuleFile{Name: f.Name, Description: f.Description, WholeAreaOnly: f.WholeAreaOnly, SQL: f.SQL})
	}
	return out
}

// RunCrossRules recomputes the findings of the cross-report rules (R6
// carried-over continuity, R7 in-force and 2019 item continuity, R9
// whole-area totals) over everything stored. It deletes every finding of
// scope 'store' and marks every body pending in one transaction, then
// works like UpdateCrossRules, so an interruption leaves the work pending
// for the next UpdateCrossRules rather than lost. demo and the tests use
// it; ingest uses UpdateCrossRules.
func (s *Store) RunCrossRules(ctx context.Context) error {
	if s.readOnly {
		return fmt.Errorf("cross rules: database %s opened read-only", s.path)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	err := s.inTx(ctx, "cross rules", func(conn *sql.Conn) error {
		for _, q := range []string{
			`DELETE FROM findings WHERE scope = 'store'`,
			`DELETE FROM cross_pending`,
			`INSERT INTO cross_pending SELECT body_key, report_year, division_code, is_aggregate FROM report_bodies`,
		} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("marking every body pending: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.updateCrossRules(ctx)
}

// crossChunk is how many reports' cross findings one step recomputes:
// each step's memory is bounded by it (and by the largest whole-area
// report's parts), not by the size of the store. Tests lower it.
var crossChunk = 5000

// crossInFilterMax is DuckDB's dynamic_or_filter_threshold while the cross
// rules run: a hash join whose build side holds at most this many keys
// pushes them into the probe side's table scans as an IN filter, which
// skips every row group whose report_id range holds none of them. Above
// it only their min and max are pushed. DuckDB's default, 50, is fewer
// than the parts of one county: a whole-area report whose parts lie far
// apart in report_id order (ingested at different times) then read nearly
// all of the cell tables for R9. Measured on a store of a million reports
// (R9 alone): 300 parts spread over the ids 0.67 s -> 0.19 s; a province's
// 4,804 parts, a county's together, 0.40 s -> 0.12 s. The cap: checking a
// row group against the IN list costs more than it saves once the keys
// hit most row groups anyway (5,000 ids drawn at random from the million:
// 0.18 s -> 0.22 s to read application_cells; 90,000: 0.24 s -> 0.43 s).
const crossInFilterMax = 10000

// crossMemoryLimit is DuckDB's memory_limit while the cross rules run on
// a store under gongkai's own limit. Each chunk reads the cells of its
// reports once and keeps nothing, yet DuckDB held what it read up to its
// limit and beyond: the rules over 150,654 reports peaked at 976 MiB of
// RSS under 600MB, 531 MiB under 300MB, in 53.1 and 48.5 s.
const crossMemoryLimit = "300MB"

// UpdateCrossRules recomputes the cross-report findings that the writes
// since the last run can have changed, and no others: Put records in
// cross_pending the body and year of every report it deletes or writes.
// The findings recomputed are those of
//   - every report of a recorded body in the recorded year and the next
//     (R6 and R7 compare a report with its body's t−1 report);
//   - every whole-area report of a recorded year whose division contains
//     a recorded report's division (R9 adds up its parts).
//
// Every other report's findings depend on nothing that changed, so the
// findings equal those of a full RunCrossRules. The reports are taken in
// chunks of crossChunk, one transaction each, so memory stays flat however
// large the store or the run; cross_pending is emptied only after the
// last chunk, so an interruption leaves the work pending, never half done.
// With nothing pending it writes nothing. ingest calls it after every run.
func (s *Store) UpdateCrossRules(ctx context.Context) error {
	if s.readOnly {
		return fmt.Errorf("cross rules: database %s opened read-only", s.path)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.updateCrossRules(ctx)
}

// crossScope lists the reports whose cross findings cross_pending reaches
// (see UpdateCrossRules).
const crossScope = `
WITH p AS (
    SELECT DISTINCT body_key, report_year, division_code, is_aggregate FROM cross_pending
),
k AS (
    SELECT body_key, report_year FROM p
    UNION
    SELECT body_key, report_year + 1 FROM p
)
SELECT b.report_id
FROM report_bodies b
JOIN k ON k.body_key = b.body_key AND k.report_year = b.report_year
UNION
SELECT a.report_id
FROM reports a
JOIN (SELECT DISTINCT report_year, division_code FROM p WHERE NOT is_aggregate AND division_code IS NOT NULL) t
  ON a.is_aggregate AND a.report_year = t.report_year
 AND starts_with(t.division_code, aggregate_prefix(a.division_code))`

func (s *Store) updateCrossRules(ctx context.Context) error {
	var pending int64
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM cross_pending`).Scan(&pending); err != nil {
		return classify("cross rules", s.path, err)
	}
	if pending == 0 {
		return nil
	}
	rules := CrossRules()
	// One connection throughout: the temporary tables live in it.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return classify("cross rules", s.path, err)
	}
	defer conn.Close()
	defer func() {
		for _, t := range []string{"cross_scope", "rule_scope"} {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.`+t)
		}
	}()
	restore, err := s.lowerMemory(ctx, conn, crossMemoryLimit)
	if err != nil {
		return classify("cross rules", s.path, err)
	}
	defer restore()
	// The connection goes back to the pool: the setting must not stay.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`SET SESSION dynamic_or_filter_threshold = %d`, crossInFilterMax)); err != nil {
		return classify("cross rules", s.path, err)
	}
	defer func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), `RESET SESSION dynamic_or_filter_threshold`)
	}()
	for _, q := range []string{
		`CREATE OR REPLACE TEMP TABLE cross_scope AS ` + crossScope,
		`CREATE OR REPLACE TEMP TABLE rule_scope (report_id BIGINT)`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return classify("cross rules", s.path, fmt.Errorf("scope: %w", err))
		}
	}
	var last int64 = -1
	for {
		var hi sql.NullInt64
		err := conn.QueryRowContext(ctx, `SELECT max(report_id) FROM
			(SELECT report_id FROM cross_scope WHERE report_id > ? ORDER BY report_id LIMIT ?)`, last, crossChunk).Scan(&hi)
		if err != nil {
			return classify("cross rules", s.path, err)
		}
		lo, done := last, !hi.Valid
		err = s.txOn(ctx, conn, "cross rules", func(conn *sql.Conn) error {
			if done {
				_, err := conn.ExecContext(ctx, `DELETE FROM cross_pending`)
				return err
			}
			if _, err := conn.ExecContext(ctx, `DELETE FROM rule_scope`); err != nil {
				return err
			}
			if _, err := conn.ExecContext(ctx, `INSERT INTO rule_scope SELECT report_id FROM cross_scope
				WHERE report_id > ? AND report_id <= ?`, lo, hi.Int64); err != nil {
				return err
			}
			if _, err := conn.ExecContext(ctx, `DELETE FROM findings WHERE scope = 'store'
				AND report_id IN (SELECT report_id FROM rule_scope)`); err != nil {
				return fmt.Errorf("clearing store findings: %w", err)
			}
			var wholeArea bool
			if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM rule_scope s
				JOIN reports r ON r.report_id = s.report_id WHERE r.is_aggregate)`).Scan(&wholeArea); err != nil {
				return err
			}
			for _, r := range rules {
				if r.WholeAreaOnly && !wholeArea {
					continue
				}
				q := `INSERT INTO findings (report_id, rule, severity, status, "where", message, scope, code, args)
SELECT report_id, rule, severity, status, "where", message, 'store', code, args FROM (` + ruleBody(r.SQL) + "\n)"
				if _, err := conn.ExecContext(ctx, q); err != nil {
					return fmt.Errorf("rule %s: %w", r.Name, err)
				}
			}
			return nil
		})
		if err != nil || done {
			return err
		}
		last = hi.Int64
	}
}

// ruleBody drops a trailing semicolon so a rule's query can be nested.
func ruleBody(q string) string {
	return strings.TrimRight(strings.TrimSpace(q), ";")
}
