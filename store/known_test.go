package store

import (
	"testing"

	"gongkai"
)

// Put decides added, unchanged and replaced from what it knows of the
// stored reports (knownReports) and asks the store only about the reports
// that may be stored. What it knows follows its own batches (new reports,
// replacements, the same file again) without being made anew, and is made
// anew when reports were written beside it: a report inserted by SQL is
// replaced, not stored twice; one deleted by SQL is added again.
func TestPutSeesReportsWrittenBesideIt(t *testing.T) {
	s, _ := openTemp(t)
	a := sample("甲镇人民政府", 2023, gongkai.V2021, 1)
	eqOutcomes(t, mustPut(t, s, a), gongkai.Added)
	k := s.known
	if k == nil {
		t.Fatal("Put keeps nothing of the stored reports")
	}
	b := sample("乙镇人民政府", 2023, gongkai.V2021, 2)
	eqOutcomes(t, mustPut(t, s, b), gongkai.Added)
	eqOutcomes(t, mustPut(t, s, sample("甲镇人民政府", 2023, gongkai.V2021, 3)), gongkai.Replaced)
	eqOutcomes(t, mustPut(t, s, b), gongkai.Unchanged)
	if s.known != k {
		t.Error("Put made its set anew after its own batches: it should have followed them")
	}

	// A report written beside Put, with an organization and year Put has
	// not seen, and an id some chunks of the load further on.
	if _, err := s.DB().ExecContext(t.Context(), `INSERT INTO reports
		SELECT * REPLACE (report_id + ? AS report_id, 'beside' AS content_hash, '丙镇人民政府' AS organization)
		FROM reports WHERE organization = '乙镇人民政府'`, 3*knownChunk); err != nil {
		t.Fatal(err)
	}
	out, prev := put(t, s, sample("丙镇人民政府", 2023, gongkai.V2021, 4))
	eqOutcomes(t, out, gongkai.Replaced)
	if prev[0] != b.Path {
		t.Errorf("replaced %q, want the row written beside Put (%q)", prev[0], b.Path)
	}
	if got := scalar(t, s, `SELECT count(*) FROM reports WHERE organization = '丙镇人民政府'`); got != int64(1) {
		t.Errorf("丙镇 has %v reports, want 1", got)
	}

	// A report deleted beside Put is added again.
	if _, err := s.DB().ExecContext(t.Context(), `DELETE FROM reports WHERE organization = '乙镇人民政府'`); err != nil {
		t.Fatal(err)
	}
	eqOutcomes(t, mustPut(t, s, b), gongkai.Added)
}

func mustPut(t *testing.T, s *Store, batch ...gongkai.Parsed) []gongkai.Outcome {
	t.Helper()
	out, _ := put(t, s, batch...)
	return out
}
