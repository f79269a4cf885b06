package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gongkai/gen"
	"gongkai/msg"
)

var genCmd = &command{
	name:    "gen",
	run:     runGen,
	summary: "help.gen.summary",
	usage:   "help.gen",
}

func runGen(ctx context.Context, cmd *command, env *Env, args []string) error {
	fs := newFlags(cmd, env)
	out := fs.String("out", "", "folder to write the reports to (required)")
	district := fs.String("district", "威海市文登区", "district name, with its city: 威海市文登区")
	townships := fs.Int("townships", 8, "number of townships and streets")
	departments := fs.Int("departments", 4, "number of county departments")
	years := fs.String("years", "2019-2024", "report years: 2019-2024 or 2023")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same files")
	violations := fs.Float64("violations", 0, "share of reports (0-1) that break exactly one rule (R1-R6)")
	noise := fs.Float64("noise", 0, "share of reports (0-1) with noise: full-width digits, half-width brackets, thousands separators, label typos, repeated heading")
	rendering := fs.String("rendering", gen.WordText, "rendering name, a comma-separated list, or all")
	mixed := fs.Bool("mixed", false, "write each report once, in one rendering picked from --rendering (a mixed folder)")
	typos := fs.Float64("typos", 0, "share of reports (0-1) whose printed labels and headers carry misspellings (其他法律行政止公开)")
	singleOther := fs.Float64("single-other", 0, "share of 2021 reports (0-1) printed with a single （六）其他处理 row instead of its three sub-rows")
	blanks := fs.Float64("blanks", 0, "share of reports (0-1) with one to three table cells left blank (null in the truth)")
	mismatches := fs.Float64("mismatches", 0, "share of reports (0-1) whose prose states a request count that differs from the table (R8)")
	names := fs.String("township-names", "", "comma-separated township names (泽库镇,龙山街道,...) instead of the built-in ones")
	varyID := fs.Bool("vary-identity", false, "print each report's organization and year in a form drawn from the seed: title forms (year first, 关于…年度, two lines, Chinese-numeral years, none), signatures, quiet bodies, DOCX/PDF metadata")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if *out == "" {
		return usageError("--out is required")
	}
	first, last, err := parseYears(*years)
	if err != nil {
		return err
	}
	opts := gen.Options{
		Out: *out, District: *district, Townships: *townships, Departments: *departments,
		FirstYear: first, LastYear: last, Seed: *seed, Violations: *violations, Noise: *noise, Mixed: *mixed,
		Typos: *typos, SingleOther: *singleOther, Blanks: *blanks, Mismatches: *mismatches,
		VaryIdentity: *varyID,
	}
	if *rendering == "all" {
		opts.Renderings = gen.AllRenderings()
	} else {
		for _, r := range strings.Split(*rendering, ",") {
			opts.Renderings = append(opts.Renderings, strings.TrimSpace(r))
		}
	}
	if *names != "" {
		for _, n := range strings.Split(*names, ",") {
			opts.TownshipNames = append(opts.TownshipNames, strings.TrimSpace(n))
		}
	}
	sum, err := gen.Generate(ctx, opts)
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	for _, n := range sum.Notes {
		fmt.Fprintln(env.Stderr, env.tr("gen.note", "note", msg.Cause(env.Lang, n)))
	}
	fmt.Fprintln(env.Stdout, env.tr("gen.wrote", "reports", sum.Reports, "bodies", sum.Bodies, "files", sum.Files,
		"renderings", strings.Join(sum.Renderings, ","), "dir", *out, "violations", sum.Violations, "manifest", gen.ManifestName))
	return nil
}

// parseYears reads "2019-2024" or "2023".
func parseYears(s string) (int, int, error) {
	a, b, isRange := strings.Cut(s, "-")
	first, err := strconv.Atoi(strings.TrimSpace(a))
	if err != nil {
		return 0, 0, usageError("--years %q: want 2019-2024 or 2023", s)
	}
	last := first
	if isRange {
		if last, err = strconv.Atoi(strings.TrimSpace(b)); err != nil {
			return 0, 0, usageError("--years %q: want 2019-2024 or 2023", s)
		}
	}
	return first, last, nil
}
