package cli

import (
	"context"
	"strings"

	"github.com/spf13/pflag"

	"gongkai"
	"gongkai/render"
	"gongkai/rollup"
)

var rollupCmd = &command{
	name:    "rollup",
	run:     runRollup,
	summary: "help.rollup.summary",
	usage:   "help.rollup",
}

func runRollup(ctx context.Context, cmd *command, env *Env, args []string) error {
	fs := newFlags(cmd, env)
	list := fs.Bool("list", false, "list the rollups with their parameters")
	params := addRollupFlags(fs, "")
	format := fs.String("format", "table", "output: "+render.NamesOr(render.Results))
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	f, err := render.ParseFormat(*format, render.Results)
	if err != nil {
		return err
	}
	if *list {
		if fs.NArg() > 0 {
			return usageError("--list takes no rollup name")
		}
		return render.Write(env.Stdout, rollupList(f == render.Table), f)
	}
	if fs.NArg() != 1 {
		return usageError("want one rollup name (gongkai rollup --list shows them), got %d arguments", fs.NArg())
	}
	ro, err := rollup.Bind(fs.Arg(0), params.params())
	if err != nil {
		return err
	}
	st, err := openStore(ctx, env, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if f != render.Table {
		// CSV, JSON and JSON lines go out as the rows are read: a whole
		// nation's answer never sits in memory, and a pipe gets its
		// first line at once. A table must see every row first.
		_, err := ro.Write(ctx, st, env.Stdout, f)
		return err
	}
	res, err := ro.Run(ctx, st)
	if err != nil {
		return err
	}
	return render.Write(env.Stdout, res, f)
}

// rollupFlags are the rollup parameters as flags, shared by 'rollup' and
// 'export --rollup'.
type rollupFlags struct {
	year                  *int
	division, level, rule *string
}

// addRollupFlags adds --year, --division, --level and --rule to fs; what
// is prefixed to each usage line says what they go with.
func addRollupFlags(fs *pflag.FlagSet, prefix string) *rollupFlags {
	return &rollupFlags{
		year:     fs.Int("year", 0, prefix+"only this report year"),
		division: fs.String("division", "", prefix+"only this division: a name (文登区, 威海市文登区, 威海市) or part of the organization's name, or a code (371003; 371000 is all of 威海市)"),
		level:    fs.String("level", "", prefix+"one level of the division hierarchy, for rollups that take it (body, township, county, city, province, nation…)"),
		rule:     fs.String("rule", "", prefix+"one rule's findings (R1, READ…), for the findings rollups"),
	}
}

func (r *rollupFlags) params() rollup.Params {
	return rollup.Params{Year: *r.year, Division: *r.division, Level: *r.level, Rule: *r.rule}
}

// given reports whether any parameter was set.
func (r *rollupFlags) given() bool { return r.params() != (rollup.Params{}) }

// rollupList is the catalogue as a result, so every output format works.
// short keeps each description to its first clause, for a terminal.
func rollupList(short bool) *gongkai.Result {
	res := &gongkai.Result{
		Columns: []string{"name", "parameters", "description"},
		Types:   []string{"VARCHAR", "VARCHAR", "VARCHAR"},
		Rows:    [][]any{},
	}
	for _, r := range rollup.List() {
		params := ""
		for i, p := range r.Params {
			if i > 0 {
				params += ", "
			}
			params += p
		}
		desc := r.Description
		if short {
			desc = firstClause(desc)
		}
		res.Rows = append(res.Rows, []any{r.Name, params, desc})
	}
	return res
}

// firstClause returns s up to its first sentence end (". "), so a listing
// fits a terminal; the full text is in the CSV and JSON forms.
func firstClause(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}
