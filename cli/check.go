package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gongkai"
	"gongkai/division"
	"gongkai/render"
	"gongkai/rollup"
)

var checkCmd = &command{
	name:    "check",
	run:     runCheck,
	summary: "help.check.summary",
	usage:   "help.check",
}

func runCheck(ctx context.Context, cmd *command, env *Env, args []string) error {
	fs := newFlags(cmd, env)
	rule := fs.String("rule", "", "only this rule (R1, R2, ... READ)")
	year := fs.Int("year", 0, "only reports of this year")
	division := fs.String("division", "", "only this division: a name (文登区, 威海市文登区, 威海市) or part of the organization's name, or a code (371003; 371000 is all of 威海市)")
	summaryOnly := fs.Bool("summary", false, "print only the count by rule and status")
	format := fs.String("format", "table", "output: "+render.NamesOr(render.Results))
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	f, err := render.ParseFormat(*format, render.Results)
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("check takes no arguments, got %q", fs.Arg(0))
	}
	if *rule != "" {
		r, err := storedRule(*rule)
		if err != nil {
			return err
		}
		*rule = r
	}
	p := rollup.Params{Year: *year, Division: *division, Rule: *rule}
	st, err := openStore(ctx, env, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	summary, err := rollup.Run(ctx, st, "findings_summary", p)
	if err != nil {
		return err
	}
	if *summaryOnly {
		if f == render.Table || f == render.CSV {
			summary = localFindings(summary, env.Lang)
		}
		return render.Write(env.Stdout, summary, f)
	}
	list, err := rollup.Run(ctx, st, "findings", p)
	if err != nil {
		return err
	}
	return writeFindings(env, summary, list, f)
}

// writeFindings prints the summary and the list: two tables for people,
// one object holding both for JSON, the list alone for CSV and JSON lines.
// Tables and CSV are in the run's language (messages from the findings'
// codes); JSON keeps the stored English message beside code and args.
func writeFindings(env *Env, summary, list *gongkai.Result, f render.Format) error {
	switch f {
	case render.Table:
		fmt.Fprintln(env.Stdout, env.tr("check.by_rule"))
		if err := render.WriteTable(env.Stdout, localFindings(summary, env.Lang)); err != nil {
			return err
		}
		if len(list.Rows) == 0 {
			fmt.Fprintln(env.Stdout, "\n"+env.tr("check.none"))
			return nil
		}
		fmt.Fprintln(env.Stdout, "\n"+env.tr("check.findings", "n", len(list.Rows)))
		return render.WriteTable(env.Stdout, localFindings(list, env.Lang))
	case render.JSON:
		fmt.Fprint(env.Stdout, "{\"summary\": ")
		if err := render.WriteObjects(env.Stdout, summary); err != nil {
			return err
		}
		fmt.Fprint(env.Stdout, ", \"findings\": ")
		if err := render.WriteObjects(env.Stdout, list); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "}")
		return nil
	}
	if f == render.CSV {
		// CSV is opened by people (Excel, WPS): their language, as the table.
		return render.Write(env.Stdout, localFindings(list, env.Lang), f)
	}
	return render.Write(env.Stdout, list, f)
}

// storedRule checks a --rule filter against the rules whose findings the
// store can hold (READ, R1–R9, and DIV from division resolution), so a typo
// is an error instead of an empty list that reads as "no problems". Case
// does not matter.
func storedRule(name string) (string, error) {
	up := strings.ToUpper(strings.TrimSpace(name))
	known := []string{division.RuleDiv}
	for _, r := range gongkai.Rules {
		known = append(known, r.Rule)
	}
	if slices.Contains(known, up) {
		return up, nil
	}
	slices.Sort(known)
	return "", usageError("unknown rule %q (rules: %s)", name, strings.Join(known, ", "))
}
