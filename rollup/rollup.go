// Package rollup runs the named rollups (sql/rollups/*.sql) through the
// store: it lists them, checks the parameters a user gives against what
// each rollup declares, and binds every declared parameter (NULL when not
// given), so no value is ever spliced into SQL text.
package rollup

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"gongkai"
	"gongkai/store"
)

// Querier runs trusted SQL; *store.Store implements it.
type Querier interface {
	Query(ctx context.Context, query string, args ...any) (*gongkai.Result, error)
}

// Rollup describes one rollup for listings (CLI, HTTP).
type Rollup struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Params      []string `json:"parameters"`
}

// Params are the filters a user may give. The zero value of a field means
// "not given" and binds NULL (no filter).
type Params struct {
	// Year is a report year (2008 on); 0 means all years.
	Year int
	// Division matches a county name (文登区), a division-code prefix or a
	// part of the organization name.
	Division string
	// Level selects a level of the division hierarchy, for rollups that
	// declare it.
	Level string
	// Rule selects one rule's findings (R1, READ...).
	Rule string
}

// known lists the parameters this package can bind.
var known = []string{"year", "division", "level", "rule"}

// List returns every rollup, sorted by name.
func List() []Rollup {
	files := store.Rollups()
	out := make([]Rollup, len(files))
	for i, f := range files {
		out[i] = Rollup{Name: f.Name, Description: f.Description, Params: slices.Clone(f.Params)}
	}
	return out
}

// Names returns the rollup names, sorted.
func Names() []string {
	var out []string
	for _, f := range store.Rollups() {
		out = append(out, f.Name)
	}
	return out
}

// Lookup returns the named rollup's file, or an error wrapping
// gongkai.ErrNotFound whose hint lists the names.
func Lookup(name string) (store.RollupFile, error) {
	for _, f := range store.Rollups() {
		if f.Name == name {
			return f, nil
		}
	}
	return store.RollupFile{}, &gongkai.Error{
		Op:   "rollup",
		Path: name,
		Err:  fmt.Errorf("%w: no rollup named %q", gongkai.ErrNotFound, name),
		Hint: "gongkai rollup --list (rollups: " + strings.Join(Names(), ", ") + ")",
	}
}

// Args checks p against the parameters f declares and returns one bound
// named argument per declared parameter. A value given for a parameter
// the rollup does not take is a usage error rather than silently ignored.
func Args(f store.RollupFile, p Params) ([]any, error) {
	given := map[string]any{}
	if p.Year != 0 {
		if p.Year < 2008 || p.Year > 2100 {
			return nil, usage(f.Name, fmt.Sprintf("year %d out of range (2008 to 2100)", p.Year))
		}
		given["year"] = int64(p.Year)
	}
	if p.Division != "" {
		given["division"] = p.Division
	}
	if p.Level != "" {
		given["level"] = p.Level
	}
	if p.Rule != "" {
		given["rule"] = p.Rule
	}
	for k := range given {
		if !slices.Contains(f.Params, k) {
			return nil, usage(f.Name, fmt.Sprintf("rollup %s takes no %s parameter (it takes: %s)", f.Name, k, paramList(f)))
		}
	}
	args := make([]any, 0, len(f.Params))
	for _, name := range f.Params {
		if !slices.Contains(known, name) {
			return nil, fmt.Errorf("rollup %s declares parameter %q, which gongkai cannot bind", f.Name, name)
		}
		args = append(args, sql.Named(name, given[name]))
	}
	return args, nil
}

func paramList(f store.RollupFile) string {
	if len(f.Params) == 0 {
		return "none"
	}
	return strings.Join(f.Params, ", ")
}

func usage(name, msg string) error {
	return &gongkai.Error{Op: "rollup", Path: name, Err: fmt.Errorf("%w: %s", gongkai.ErrUsage, msg)}
}

// Run executes the named rollup with p through q.
func Run(ctx context.Context, q Querier, name string, p Params) (*gongkai.Result, error) {
	f, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	args, err := Args(f, p)
	if err != nil {
		return nil, err
	}
	res, err := q.Query(ctx, f.SQL, args...)
	if err != nil {
		return nil, fmt.Errorf("rollup %s: %w", name, err)
	}
	return res, nil
}
