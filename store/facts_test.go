package store

import (
	"fmt"
	"path/filepath"
	"testing"

	"gongkai"
	"gongkai/division"
	"gongkai/gen"
)

// genParsed builds a generated district's reports, placed with the
// divisions data (one Parsed per record, hashed by seed, so another seed
// gives other files for the same organizations and years).
func genParsed(t testing.TB, seed uint64, townships int) []gongkai.Parsed {
	t.Helper()
	items, err := gen.Build(gen.Options{District: "威海市文登区", Townships: townships, Departments: 3,
		FirstYear: 2019, LastYear: 2022, Seed: seed, Violations: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	var out []gongkai.Parsed
	for _, it := range items {
		if it.Violation == "R5" {
			continue
		}
		r := it.Record
		r.Body, _ = division.Default().Resolve(r.Organization, division.Hint{District: "文登区"})
		out = append(out, gongkai.Parsed{Report: r, Path: it.Base + ".json", Hash: fmt.Sprintf("h%d-%s", seed, it.Base), Rendering: "json"})
	}
	return out
}

// factsDiffer counts the rows in which report_facts and a fresh
// derivation from the cells (report_facts_of) differ, both ways.
func factsDiffer(t *testing.T, s *Store) int64 {
	t.Helper()
	return scalar(t, s, `SELECT (SELECT count(*) FROM (SELECT * FROM report_facts EXCEPT ALL SELECT * FROM report_facts_of(NULL, NULL)))
		+ (SELECT count(*) FROM (SELECT * FROM report_facts_of(NULL, NULL) EXCEPT ALL SELECT * FROM report_facts))`).(int64)
}

// report_facts must equal what the cells say after every kind of write:
// adds, the same files again, other files replacing reports, a batch
// replacing its own reports, and a new placement of the same file.
func TestReportFactsExactUnderReplacementAndReingest(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	first := genParsed(t, 1, 6)
	second := genParsed(t, 2, 6) // same organizations and years, other numbers and files
	check := func(step string) {
		t.Helper()
		if d := factsDiffer(t, s); d != 0 {
			t.Fatalf("%s: %d report_facts rows differ from the cells", step, d)
		}
		if n, f := scalar(t, s, `SELECT count(*) FROM reports`), scalar(t, s, `SELECT count(*) FROM report_facts`); n != f {
			t.Fatalf("%s: %v reports, %v facts rows", step, n, f)
		}
	}
	if _, err := s.Put(ctx, first); err != nil {
		t.Fatal(err)
	}
	check("added")
	before := scalar(t, s, `SELECT sum(requests_new) FROM report_facts`)
	if _, err := s.Put(ctx, first); err != nil {
		t.Fatal(err)
	}
	check("the same files again")
	if after := scalar(t, s, `SELECT sum(requests_new) FROM report_facts`); after != before {
		t.Fatalf("re-ingest changed the facts: %v → %v", before, after)
	}
	if _, err := s.Put(ctx, second[:len(second)/2]); err != nil {
		t.Fatal(err)
	}
	check("half replaced by other files")
	// One batch that stores a report and replaces it again.
	dup := []gongkai.Parsed{second[len(second)-1], first[len(first)-1]}
	if _, err := s.Put(ctx, dup); err != nil {
		t.Fatal(err)
	}
	check("replaced within one batch")
	// The same file, placed differently: stored again.
	moved := first[0]
	r := *moved.Report
	r.Body.DivisionCode = "371082"
	r.Body.County = "荣成市"
	moved.Report = &r
	out, err := s.Put(ctx, []gongkai.Parsed{moved})
	if err != nil {
		t.Fatal(err)
	}
	if out[0] != gongkai.Replaced {
		t.Fatalf("new placement: %v", out[0])
	}
	check("placed anew")
	if got := scalar(t, s, `SELECT county FROM report_facts WHERE organization = ? AND report_year = ?`, r.Organization, int64(r.ReportYear)); got != "荣成市" {
		t.Fatalf("facts keep the old placement: %v", got)
	}
}

// A replica synced from a store equals it table by table, and after the
// first sync only what changed is copied.
func TestSyncReplica(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	main, replica := filepath.Join(dir, "main.duckdb"), filepath.Join(dir, "replica.duckdb")
	write := func(batches ...[]gongkai.Parsed) {
		t.Helper()
		s, err := Open(ctx, main)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for _, b := range batches {
			if _, err := s.Put(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RunCrossRules(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := s.StoreAnswer(ctx, Answer{Name: "years", Statement: keptYears}); err != nil {
			t.Fatal(err)
		}
	}
	same := func(step string) {
		t.Helper()
		s, err := OpenReadOnly(ctx, main)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		conn, err := s.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "ATTACH "+quoteLiteral(replica)+" AS rep (READ_ONLY)"); err != nil {
			t.Fatal(err)
		}
		defer conn.ExecContext(ctx, "DETACH rep")
		rows, err := conn.QueryContext(ctx, `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'`)
		if err != nil {
			t.Fatal(err)
		}
		var tables []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			tables = append(tables, n)
		}
		rows.Close()
		if len(tables) < 8 {
			t.Fatalf("only tables %v", tables)
		}
		for _, tb := range tables {
			q := quoteIdent(tb)
			var diff int64
			if err := conn.QueryRowContext(ctx, fmt.Sprintf(`SELECT (SELECT count(*) FROM (SELECT * FROM %[1]s EXCEPT ALL SELECT * FROM rep.%[1]s))
				+ (SELECT count(*) FROM (SELECT * FROM rep.%[1]s EXCEPT ALL SELECT * FROM %[1]s))`, q)).Scan(&diff); err != nil {
				t.Fatalf("%s: %v", tb, err)
			}
			if diff != 0 {
				t.Errorf("%s: table %s differs from the store in %d rows", step, tb, diff)
			}
		}
	}
	first, second := genParsed(t, 1, 5), genParsed(t, 2, 5)
	write(first)
	st, err := SyncReplica(ctx, main, replica)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Full {
		t.Fatalf("first sync: %+v, want a whole copy", st)
	}
	same("first sync")

	write(second[:len(second)/3], genParsed(t, 3, 8)[len(first):]) // replacements and new townships
	st, err = SyncReplica(ctx, main, replica)
	if err != nil {
		t.Fatal(err)
	}
	if st.Full || st.Added == 0 || st.Removed == 0 {
		t.Fatalf("second sync: %+v, want only the changed reports", st)
	}
	same("after replacements and additions")

	st, err = SyncReplica(ctx, main, replica)
	if err != nil {
		t.Fatal(err)
	}
	if st.Full || st.Added != 0 || st.Removed != 0 {
		t.Fatalf("sync with nothing new: %+v", st)
	}
	same("nothing new")

	// A kept answer is copied only when main made it anew: change the
	// replica's, sync with nothing new, and the change stays; after main
	// makes it anew, the sync copies it.
	rep, err := Open(ctx, replica)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rep.DB().ExecContext(ctx, `UPDATE answer_years SET n = -1`); err != nil {
		t.Fatal(err)
	}
	rep.Close()
	if _, err := SyncReplica(ctx, main, replica); err != nil {
		t.Fatal(err)
	}
	rep, err = OpenReadOnly(ctx, replica)
	if err != nil {
		t.Fatal(err)
	}
	var changed int64
	if err := rep.DB().QueryRowContext(ctx, `SELECT count(*) FROM answer_years WHERE n = -1`).Scan(&changed); err != nil || changed == 0 {
		t.Fatalf("the replica's unchanged kept answer was copied again (%d rows still changed, %v)", changed, err)
	}
	rep.Close()
	write(genParsed(t, 4, 8)[len(first):])
	if _, err := SyncReplica(ctx, main, replica); err != nil {
		t.Fatal(err)
	}
	same("kept answer made anew")
}

// keptYears is a kept answer for the tests: reports by year.
const keptYears = `SELECT report_year, count(*) AS n FROM reports GROUP BY report_year ORDER BY report_year;`
