package store

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	sqlfiles "gongkai/sql"
)

// RollupFile is one embedded rollup: a single read-only query in
// sql/rollups/NAME.sql whose header lines name and describe it.
type RollupFile struct {
	Name        string
	Description string
	// Params are the DuckDB named parameters ($year...) the query uses, in
	// header order. Callers bind every one of them (NULL when not given).
	Params []string
	SQL    string
}

// Rollups lists the embedded rollups sorted by name. It panics only when an
// embedded file lacks its header, which TestRollupHeaders catches in the
// test suite; user input never reaches it.
func Rollups() []RollupFile {
	out, err := parseRollups(sqlfiles.Files)
	if err != nil {
		panic(err)
	}
	return out
}

func parseRollups(fsys fs.FS) ([]RollupFile, error) {
	names, err := fs.Glob(fsys, "rollups/*.sql")
	if err != nil {
		return nil, err
	}
	var out []RollupFile
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		r, err := parseRollup(string(b))
		if err != nil {
			return nil, fmt.Errorf("sql/%s: %w", n, err)
		}
		if want := strings.TrimSuffix(path.Base(n), ".sql"); r.Name != want {
			return nil, fmt.Errorf("sql/%s: header names %q, file name says %q", n, r.Name, want)
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b RollupFile) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// parseRollup reads the "-- name:", "-- description:" and "-- params:"
// header lines (in any order, before the first non-comment line). A
// description may continue on following "--   " lines.
func parseRollup(text string) (RollupFile, error) {
	r := RollupFile{SQL: text}
	last := ""
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		if !strings.HasPrefix(t, "--") {
			break
		}
		body := strings.TrimSpace(strings.TrimPrefix(t, "--"))
		key, val, ok := strings.Cut(body, ":")
		key = strings.TrimSpace(key)
		switch {
		case ok && key == "name":
			r.Name = strings.TrimSpace(val)
			last = key
		case ok && key == "description":
			r.Description = strings.TrimSpace(val)
			last = key
		case ok && key == "params":
			for _, p := range strings.Split(val, ",") {
				if p = strings.TrimSpace(p); p != "" {
					r.Params = append(r.Params, p)
				}
			}
			last = key
		case last == "description" && body != "" && strings.HasPrefix(t, "--  "):
			r.Description += " " + body
		default:
			last = ""
		}
	}
	if r.Name == "" {
		return r, fmt.Errorf("missing '-- name:' header")
	}
	if r.Description == "" {
		return r, fmt.Errorf("missing '-- description:' header")
	}
	for _, p := range r.Params {
		if !strings.Contains(text, "$"+p) {
			return r, fmt.Errorf("param %q declared but $%s not used", p, p)
		}
	}
	return r, nil
}
