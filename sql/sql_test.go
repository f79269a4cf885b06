package sql

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestNamedHeaders(t *testing.T) {
	for _, dir := range []string{"rollups", "rules"} {
		rs := Named(dir)
		if len(rs) < 3 {
			t.Fatalf("only %d files embedded in %s", len(rs), dir)
		}
		for _, r := range rs {
			if r.Name == "" || r.Description == "" || strings.Contains(r.Description, "--") {
				t.Errorf("%s/%s: bad header: %+v", dir, r.Name, r)
			}
		}
	}
	cases := []struct {
		name, file, text, err string
	}{
		{"ok", "rollups/a.sql", "-- name: a\n-- description: one\n--   two\n-- params: year\nSELECT $year", ""},
		{"no name", "rollups/a.sql", "-- description: d\nSELECT 1", "missing '-- name:'"},
		{"no description", "rollups/a.sql", "-- name: a\nSELECT 1", "missing '-- description:'"},
		{"unused param", "rollups/a.sql", "-- name: a\n-- description: d\n-- params: year, rule\nSELECT $year", `param "rule"`},
		{"stored filter not a param", "rollups/a.sql", "-- name: a\n-- description: d\n-- params: year\n-- stored: level\nSELECT $year", `filtered by "level"`},
		{"stored lists nothing", "rollups/a.sql", "-- name: a\n-- description: d\n-- params: year\n-- stored: ,\nSELECT $year", "lists no parameter"},
		{"stored by other", "rollups/a.sql", "-- name: a\n-- description: d\n-- params: year\n-- stored: year\n-- stored by: level\nSELECT $year", "only year"},
		{"stored by year, year no filter", "rollups/a.sql", "-- name: a\n-- description: d\n-- params: year\n-- stored: none\n-- stored by: year\nSELECT $year", "needs year"},
		{"file name", "rollups/b.sql", "-- name: a\n-- description: d\nSELECT 1", "file name says"},
		{"needs other", "rollups/a.sql", "-- name: a\n-- description: d\n-- needs: parts\nSELECT 1", "only whole-area"},
	}
	// "-- needs: whole-area" marks a cross rule that finds nothing without
	// a whole-area report in scope; R9 is one, the continuity rules not.
	for _, r := range Named("rules") {
		if want := r.Name == "r9_aggregate"; r.WholeAreaOnly != want {
			t.Errorf("rules/%s: WholeAreaOnly %v, want %v", r.Name, r.WholeAreaOnly, want)
		}
	}
	for _, c := range []struct {
		text           string
		stored, byYear bool
		filters        []string
	}{
		{"-- name: a\n-- description: d\n-- params: year\nSELECT $year", false, false, nil},
		{"-- name: a\n-- description: d\n-- params: year\n-- stored: none\nSELECT $year", true, false, nil},
		{"-- name: a\n-- description: d\n-- params: year, level\n-- stored: level, year\nSELECT $year, $level", true, false, []string{"level", "year"}},
		{"-- name: a\n-- description: d\n-- params: year, level\n-- stored: level, year\n-- stored by: year\nSELECT $year, $level", true, true, []string{"level", "year"}},
	} {
		got, err := parseNamed(fstest.MapFS{"rollups/a.sql": {Data: []byte(c.text)}}, "rollups")
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Stored != c.stored || got[0].StoredByYear != c.byYear || !slices.Equal(got[0].StoredFilters, c.filters) {
			t.Errorf("%q: stored %v by year %v %q, want %v %v %q", c.text, got[0].Stored, got[0].StoredByYear, got[0].StoredFilters, c.stored, c.byYear, c.filters)
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseNamed(fstest.MapFS{c.file: {Data: []byte(c.text)}}, "rollups")
			if c.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got[0].Description != "one two" || len(got[0].Params) != 1 || got[0].Params[0] != "year" {
					t.Errorf("parsed %+v", got[0])
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("err %v, want %q", err, c.err)
			}
		})
	}
}
