package cli

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	"gongkai/gen"
)

// TestCheckR8FindsSeededMismatch generates a district whose prose states,
// in some reports, another number of requests than the table
// (--mismatches), ingests it and asks `check --rule R8`: exactly the
// reports the manifest marks R8 are listed, each naming the narrative and
// its table cell.
func TestCheckR8FindsSeededMismatch(t *testing.T) {
	dir, db := filepath.Join(t.TempDir(), "d"), filepath.Join(t.TempDir(), "g.duckdb")
	if code, _, errs := runCLI(t, "gen", "--out", dir, "--townships", "3", "--departments", "2", "--years", "2022-2023",
		"--seed", "8", "--mismatches", "0.3"); code != 0 {
		t.Fatalf("gen: exit %d: %s", code, errs)
	}
	var want []string
	for _, m := range readManifest(t, filepath.Join(dir, gen.ManifestName)) {
		if m["violated_rule"] == "R8" {
			want = append(want, m["organization"]+"|"+m["year"])
		}
	}
	if len(want) == 0 {
		t.Fatal("gen seeded no R8 mismatch")
	}
	if code, _, errs := runCLI(t, "ingest", dir, "--db", db, "--district", "威海市文登区"); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errs)
	}
	code, out, errs := runCLI(t, "check", "--rule", "R8", "--format", "json", "--db", db)
	if code != 0 {
		t.Fatalf("check: exit %d: %s", code, errs)
	}
	var got struct{ Findings []map[string]any }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	var have []string
	for _, f := range got.Findings {
		if f["rule"] != "R8" || f["status"] != "failed" {
			t.Errorf("finding %v", f)
			continue
		}
		have = append(have, f["organization"].(string)+"|"+jsonYear(f["year"]))
	}
	slices.Sort(want)
	slices.Sort(have)
	if !slices.Equal(have, want) {
		t.Errorf("R8 findings for %v, want %v", have, want)
	}
}

func jsonYear(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
