package store

import (
	"database/sql"
	"strings"
	"testing"
	"testing/fstest"
)

func TestRollupHeaders(t *testing.T) {
	rs := Rollups()
	if len(rs) < 4 {
		t.Fatalf("only %d rollups embedded", len(rs))
	}
	for _, r := range rs {
		if r.Name == "" || r.Description == "" || strings.Contains(r.Description, "--") {
			t.Errorf("%s: bad header: %+v", r.Name, r)
		}
	}
	cases := []struct {
		name, file, text, err string
	}{
		{"ok", "rollups/a.sql", "-- name: a\n-- description: one\n--   two\n-- params: year\nSELECT $year", ""},
		{"no name", "rollups/a.sql", "-- description: d\nSELECT 1", "missing '-- name:'"},
		{"no description", "rollups/a.sql", "-- name: a\nSELECT 1", "missing '-- description:'"},
		{"unused param", "rollups/a.sql", "-- name: a\n-- description: d\n-- params: year, rule\nSELECT $year", `param "rule"`},
		{"file name", "rollups/b.sql", "-- name: a\n-- description: d\nSELECT 1", "file name says"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseRollups(fstest.MapFS{c.file: {Data: []byte(c.text)}})
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

// TestRollupsRun runs every embedded rollup on an empty store, with every
// parameter NULL and with every parameter set, so a typo in any file fails
// here rather than in front of a user.
func TestRollupsRun(t *testing.T) {
	s, _ := openTemp(t)
	values := map[string]any{"year": int64(2023), "division": "文登区", "rule": "R1", "level": "county"}
	for _, r := range Rollups() {
		for _, set := range []bool{false, true} {
			var args []any
			for _, p := range r.Params {
				var v any
				if set {
					v = values[p]
				}
				args = append(args, sql.Named(p, v))
			}
			res, err := s.Query(t.Context(), r.SQL, args...)
			if err != nil {
				t.Errorf("%s (params set: %v): %v", r.Name, set, err)
				continue
			}
			if len(res.Columns) == 0 {
				t.Errorf("%s: no columns", r.Name)
			}
		}
	}
}
