// Package sql holds every SQL file gongkai runs — the schema migrations,
// the named rollups, the cross-report rules and the compile queries — as
// one embedded file system. Keeping the SQL here, and the Go that runs it
// in package store, lets an analyst read and change a query without
// reading Go, and keeps the store the only package that knows DuckDB.
package sql

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Files is the tree of SQL files: schema/NNNN_*.sql (migrations, applied in
// name order), rollups/NAME.sql, rules/NAME.sql, compile/NAME.sql and
// queries/NAME.sql (the store's own read queries: a stored report, what
// the store covers).
//
//go:embed schema/*.sql rollups/*.sql rules/*.sql compile/*.sql queries/*.sql
var Files embed.FS

// File is one named SQL file (a rollup, a cross rule): a single query whose
// header lines name and describe it.
type File struct {
	Name        string
	Description string
	// Params are the DuckDB named parameters ($year...) the query uses, in
	// header order; the caller binds every one of them.
	Params []string
	// Stored says the answer with no parameters given is kept in the
	// store, computed once after each ingest ("-- stored:" header), and
	// StoredFilters are the parameters that may still be given to it: each
	// filters the kept answer on the output column of its name, which the
	// file's query must answer the same as running it with that parameter.
	Stored        bool
	StoredFilters []string
	// StoredByYear ("-- stored by: year") keeps the answer in parts, one
	// per report year, made with $year bound to it: the query must answer,
	// for each year, exactly that year's rows of its whole answer, those
	// being ordered by year first, reading no year but it and the one
	// before.
	StoredByYear bool
	// WholeAreaOnly ("-- needs: whole-area", a cross rule) says the rule
	// finds nothing unless the reports in rule_scope include a whole-area
	// report, so it need not run for a chunk that has none.
	WholeAreaOnly bool
	SQL           string
}

// Named reads the named files of one folder (rollups, rules), sorted by
// name. It panics only when an embedded file lacks its header, which the
// package's tests catch; user input never reaches it.
func Named(dir string) []File {
	out, err := parseNamed(Files, dir)
	if err != nil {
		panic(err)
	}
	return out
}

func parseNamed(fsys fs.FS, dir string) ([]File, error) {
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	var out []File
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		r, err := parseHeader(string(b))
		if err != nil {
			return nil, fmt.Errorf("sql/%s: %w", n, err)
		}
		if want := strings.TrimSuffix(path.Base(n), ".sql"); r.Name != want {
			return nil, fmt.Errorf("sql/%s: header names %q, file name says %q", n, r.Name, want)
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// parseHeader reads the "-- name:", "-- description:", "-- params:",
// "-- stored:" / "-- stored by:" and "-- needs:" header lines (in any order, before the
// first non-comment line). A description may continue on following "--   "
// lines. "-- stored:" lists the parameters that filter the kept answer, or
// says "none"; "-- stored by: year" keeps it by year.
func parseHeader(text string) (File, error) {
	r := File{SQL: text}
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
		case ok && key == "stored":
			r.Stored = true
			if v := strings.TrimSpace(val); v != "none" {
				for _, p := range strings.Split(v, ",") {
					if p = strings.TrimSpace(p); p != "" {
						r.StoredFilters = append(r.StoredFilters, p)
					}
				}
				if len(r.StoredFilters) == 0 {
					return r, fmt.Errorf("'-- stored:' lists no parameter: name them, or say none")
				}
			}
			last = key
		case ok && key == "stored by":
			if v := strings.TrimSpace(val); v != "year" {
				return r, fmt.Errorf("'-- stored by: %s': only year is supported", v)
			}
			r.StoredByYear = true
			last = key
		case ok && key == "needs":
			if v := strings.TrimSpace(val); v != "whole-area" {
				return r, fmt.Errorf("'-- needs: %s': only whole-area is supported", v)
			}
			r.WholeAreaOnly = true
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
	for _, p := range r.StoredFilters {
		if !slices.Contains(r.Params, p) {
			return r, fmt.Errorf("stored answer filtered by %q, which is not among its params", p)
		}
	}
	if r.StoredByYear && (!r.Stored || !slices.Contains(r.StoredFilters, "year")) {
		return r, fmt.Errorf("'-- stored by: year' needs year among the '-- stored:' filters")
	}
	return r, nil
}
