// Package rollup owns the named rollups (sql/rollups/*.sql): it lists them,
// reads and checks the parameters a user gives (the year range included)
// against what each rollup declares, binds every declared parameter (NULL
// when not given) so no value is ever spliced into SQL text, and runs
// them. The CLI (rollup, export) and the HTTP API all go through Bind or
// Run; the store only runs the bound statement.
package rollup

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongkai"
	"gongkai/render"
	sqlfiles "gongkai/sql"
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
	// Division is a division name at any level (文登区, 威海市文登区) or a
	// part of the organization name; given as digits it is a division code
	// only (371003; a province's 370000 and a city's 371000 mean the whole
	// province or city, schema 12), never part of a name.
	Division string
	// Level selects a level of the division hierarchy, for rollups that
	// declare it.
	Level string
	// Rule selects one rule's findings (R1, READ...).
	Rule string
}

// Levels are the values of the levels rollup's level column (see
// sql/rollups/levels.sql), so the only values its level parameter can
// match: any other is a usage error, not an empty answer.
var Levels = []string{"body", "township", "county", "city", "province", "nation", "county_by_type", "nation_by_type"}

// ParamNames lists the parameters a rollup may declare and a user may
// give, in the order help texts name them.
var ParamNames = []string{"year", "division", "level", "rule"}

// Set sets the parameter called name from its text form (a query string,
// a flag). An unknown name or a year that is not a number is a usage error.
func (p *Params) Set(name, value string) error {
	switch name {
	case "year":
		y, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil {
			return &gongkai.Error{Op: "rollup", Err: fmt.Errorf("%w: year %q is not a year", gongkai.ErrUsage, value), Hint: "for example year=2023"}
		}
		p.Year = y
	case "division":
		p.Division = value
	case "level":
		p.Level = value
	case "rule":
		p.Rule = value
	default:
		return &gongkai.Error{Op: "rollup", Err: fmt.Errorf("%w: unknown parameter %q", gongkai.ErrUsage, name),
			Hint: "parameters: " + strings.Join(ParamNames, ", ")}
	}
	return nil
}

// given returns the parameters set in p, by name, as they are bound.
func (p Params) given() map[string]any {
	g := map[string]any{}
	if p.Year != 0 {
		g["year"] = int64(p.Year)
	}
	if d := gongkai.DivisionParam(p.Division); d != "" {
		g["division"] = d
	}
	if p.Level != "" {
		g["level"] = p.Level
	}
	if p.Rule != "" {
		g["rule"] = p.Rule
	}
	return g
}

// files is the embedded rollups, sorted by name.
func files() []sqlfiles.File { return sqlfiles.Named("rollups") }

// List returns every rollup, sorted by name.
func List() []Rollup {
	fs := files()
	out := make([]Rollup, len(fs))
	for i, f := range fs {
		out[i] = Rollup{Name: f.Name, Description: f.Description, Params: slices.Clone(f.Params)}
	}
	return out
}

// Names returns the rollup names, sorted.
func Names() []string {
	var out []string
	for _, f := range files() {
		out = append(out, f.Name)
	}
	return out
}

// Lookup returns the named rollup, or an error wrapping
// gongkai.ErrNotFound whose hint lists the names.
func Lookup(name string) (Rollup, error) {
	f, err := lookup(name)
	if err != nil {
		return Rollup{}, err
	}
	return Rollup{Name: f.Name, Description: f.Description, Params: slices.Clone(f.Params)}, nil
}

func lookup(name string) (sqlfiles.File, error) {
	for _, f := range files() {
		if f.Name == name {
			return f, nil
		}
	}
	return sqlfiles.File{}, &gongkai.Error{
		Op:   "rollup",
		Path: name,
		Err:  fmt.Errorf("%w: no rollup named %q", gongkai.ErrNotFound, name),
		Hint: "gongkai rollup --list (rollups: " + strings.Join(Names(), ", ") + ")",
	}
}

// Bound is a rollup with its parameters checked and bound, ready to run or
// export.
type Bound struct {
	Rollup
	// Given holds the parameters the user gave, by name (year as int64),
	// for echoing back and naming files.
	Given  map[string]any
	sql    string
	args   []any
	stored *store.Stored
}

// Bind looks the rollup up and checks p against the parameters it
// declares: a value given for a parameter the rollup does not take is a
// usage error rather than silently ignored, and a year must lie in 2008 to
// 2100. Every declared parameter is bound, NULL when not given.
func Bind(name string, p Params) (Bound, error) {
	f, err := lookup(name)
	if err != nil {
		return Bound{}, err
	}
	// A name that is not UTF-8 (a GBK terminal's, or bytes cut in the
	// middle of a character) can match nothing, and DuckDB refuses to
	// bind it with no word of which parameter: say so here, for the CLI,
	// export and the API alike.
	given := p.given()
	for _, k := range ParamNames {
		if s, ok := given[k].(string); ok && !utf8.ValidString(s) {
			return Bound{}, usage(f.Name, fmt.Sprintf("parameter %s is not UTF-8: %q", k, s))
		}
	}
	if p.Year != 0 && (p.Year < 2008 || p.Year > 2100) {
		return Bound{}, usage(f.Name, fmt.Sprintf("year %d out of range (2008 to 2100)", p.Year))
	}
	if p.Level != "" && !slices.Contains(Levels, p.Level) {
		return Bound{}, usage(f.Name, fmt.Sprintf("level %q is none of %s", p.Level, strings.Join(Levels, ", ")))
	}
	for _, k := range ParamNames {
		if _, ok := given[k]; ok && !slices.Contains(f.Params, k) {
			return Bound{}, usage(f.Name, fmt.Sprintf("rollup %s takes no %s parameter (it takes: %s)", f.Name, k, paramList(f)))
		}
	}
	args := make([]any, 0, len(f.Params))
	for _, name := range f.Params {
		if !slices.Contains(ParamNames, name) {
			return Bound{}, fmt.Errorf("rollup %s declares parameter %q, which gongkai cannot bind", f.Name, name)
		}
		args = append(args, sql.Named(name, given[name]))
	}
	return Bound{
		Rollup: Rollup{Name: f.Name, Description: f.Description, Params: slices.Clone(f.Params)},
		Given:  given,
		sql:    f.SQL,
		args:   args,
		stored: stored(f, given),
	}, nil
}

// stored says which kept answer may stand in for the rollup with the
// parameters given: a rollup whose file says "-- stored:" keeps its answer
// with no parameters (Refresh), and the parameters it lists there filter
// that answer on their column. Any other parameter given (a division, the
// year of a rollup whose grand total depends on it) needs the SQL run.
func stored(f sqlfiles.File, given map[string]any) *store.Stored {
	if !f.Stored {
		return nil
	}
	st := &store.Stored{Name: f.Name, ByYear: f.StoredByYear}
	for _, k := range ParamNames {
		v, ok := given[k]
		if !ok {
			continue
		}
		if !slices.Contains(f.StoredFilters, k) {
			return nil
		}
		st.Filters = append(st.Filters, store.Filter{Column: k, Value: v})
	}
	return st
}

// Selection is what the store exports for this rollup: its statement,
// and the kept answer that may stand in for it.
func (b Bound) Selection() store.Selection {
	return store.Selection{Statement: b.sql, Args: b.args, Stored: b.stored}
}

// selectionQuerier runs a Selection, from its kept answer when fresh;
// *store.Store implements it.
type selectionQuerier interface {
	QuerySelection(ctx context.Context, src store.Selection) (*gongkai.Result, error)
}

// Run executes the bound rollup through q: from the store's kept answer
// when q can read one and it is fresh, else by running its SQL.
func (b Bound) Run(ctx context.Context, q Querier) (*gongkai.Result, error) {
	var res *gongkai.Result
	var err error
	if sq, ok := q.(selectionQuerier); ok && b.stored != nil {
		res, err = sq.QuerySelection(ctx, b.Selection())
	} else {
		res, err = q.Query(ctx, b.sql, b.args...)
	}
	if err != nil {
		return nil, fmt.Errorf("rollup %s: %w", b.Name, err)
	}
	return res, nil
}

// Streamer reads a Selection row by row; *store.Store implements it.
type Streamer interface {
	EachSelection(ctx context.Context, src store.Selection, start func(cols, types []string) error, add func(row []any) error) (int64, error)
}

// Write writes the bound rollup's answer to w as CSV, JSON lines or the
// JSON result document (f),
// each row as it is read, from the kept answer when it is fresh: the
// same text render.Write gives for Run's Result, without holding the
// answer. A whole nation's levels (1.36 million rows of 48 columns) is
// then a stream, not 1.5 GB of heap. It returns the number of rows; on
// an error part of the answer may already be written.
func (b Bound) Write(ctx context.Context, s Streamer, w io.Writer, f render.Format) (int64, error) {
	var rw *render.RowWriter
	var werr error // the writer's own error, not the store's
	n, err := s.EachSelection(ctx, b.Selection(), func(cols, types []string) error {
		rw, werr = render.NewRowWriter(w, f, cols, types)
		return werr
	}, func(row []any) error {
		werr = rw.Write(row)
		return werr
	})
	if werr != nil {
		return n, fmt.Errorf("rollup %s: %w", b.Name, werr)
	}
	if err != nil {
		return n, fmt.Errorf("rollup %s: %w", b.Name, err)
	}
	if err := rw.Flush(); err != nil {
		return n, fmt.Errorf("rollup %s: %w", b.Name, err)
	}
	return n, nil
}

// Run binds the named rollup with p and executes it through q.
func Run(ctx context.Context, q Querier, name string, p Params) (*gongkai.Result, error) {
	b, err := Bind(name, p)
	if err != nil {
		return nil, err
	}
	return b.Run(ctx, q)
}

// Kept names the rollups whose whole-nation answer Refresh keeps.
func Kept() []string {
	var out []string
	for _, f := range files() {
		if f.Stored {
			out = append(out, f.Name)
		}
	}
	return out
}

// Keeper keeps rollup answers; *store.Store implements it.
type Keeper interface {
	StoreAnswer(ctx context.Context, a store.Answer) (store.AnswerStats, error)
}

// Refresh makes anew every kept rollup answer that is not fresh (those of
// the rollups whose file says "-- stored:"), calling done after each. An
// ingest calls it once at its end, so what a whole nation's dashboard asks
// for is computed once per ingest, not once per request.
func Refresh(ctx context.Context, k Keeper, done func(name string, st store.AnswerStats)) error {
	for _, f := range files() {
		if !f.Stored {
			continue
		}
		st, err := k.StoreAnswer(ctx, store.Answer{Name: f.Name, Statement: f.SQL, Params: f.Params, ByYear: f.StoredByYear})
		if err != nil {
			return err
		}
		if done != nil {
			done(f.Name, st)
		}
	}
	return nil
}

func paramList(f sqlfiles.File) string {
	if len(f.Params) == 0 {
		return "none"
	}
	return strings.Join(f.Params, ", ")
}

// usage is a parameter the rollup refuses. Its hint points where the
// parameters are listed, for the API's callers too (the CLI would
// otherwise say only "gongkai rollup --help", and HTTP nothing).
func usage(name, msg string) error {
	return &gongkai.Error{Op: "rollup", Path: name, Err: fmt.Errorf("%w: %s", gongkai.ErrUsage, msg),
		Hint: "gongkai rollup --list (each rollup with the parameters it takes; GET /v1/rollups over HTTP)"}
}
