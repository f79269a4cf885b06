package sql

import (
	"context"
	stdsql "database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed rules/*.sql
var rulesFS embed.FS

// RuleFile is one embedded cross-report rule (R6, R7, R9): a query over the
// store in sql/rules/NAME.sql returning report_id, rule, severity, status,
// where (VARCHAR[]) and message, one row per finding.
type RuleFile struct {
	Name        string
	Description string
	SQL         string
}

// CrossRules lists the embedded cross-report rules sorted by name. It
// panics only when an embedded file lacks its header, which the package's
// tests catch.
func CrossRules() []RuleFile {
	names, err := fs.Glob(rulesFS, "rules/*.sql")
	if err != nil {
		panic(err)
	}
	var out []RuleFile
	for _, n := range names {
		b, err := rulesFS.ReadFile(n)
		if err != nil {
			panic(err)
		}
		r, err := parseRollup(string(b))
		if err != nil {
			panic(fmt.Sprintf("sql/%s: %v", n, err))
		}
		if want := strings.TrimSuffix(path.Base(n), ".sql"); r.Name != want {
			panic(fmt.Sprintf("sql/%s: header names %q", n, r.Name))
		}
		out = append(out, RuleFile{Name: r.Name, Description: r.Description, SQL: r.SQL})
	}
	slices.SortFunc(out, func(a, b RuleFile) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// RunCrossRules recomputes the findings of the cross-report rules (R6
// carried-over continuity, R7 in-force and 2019 item continuity, R9
// whole-area totals) over everything stored: it deletes every finding of
// scope 'store' and inserts the new ones, in one transaction. Call it
// after each ingest (after the last Put), since a new report can settle
// or break its neighbours' checks.
func (s *Store) RunCrossRules(ctx context.Context) error {
	if s.readOnly {
		return fmt.Errorf("cross rules: database %s opened read-only", s.path)
	}
	rules := CrossRules()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.inTx(ctx, "cross rules", func(conn *stdsql.Conn) error {
		if _, err := conn.ExecContext(ctx, `DELETE FROM findings WHERE scope = 'store'`); err != nil {
			return fmt.Errorf("clearing store findings: %w", err)
		}
		for _, r := range rules {
			q := `INSERT INTO findings (report_id, rule, severity, status, "where", message, scope)
SELECT report_id, rule, severity, status, "where", message, 'store' FROM (` + ruleBody(r.SQL) + "\n)"
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("rule %s: %w", r.Name, err)
			}
		}
		return nil
	})
}

// ruleBody drops a trailing semicolon so a rule's query can be nested.
func ruleBody(q string) string {
	return strings.TrimRight(strings.TrimSpace(q), ";")
}
