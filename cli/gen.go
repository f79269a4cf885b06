package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gongkai/gen"
)

var genCmd = &command{
	name:    "gen",
	run:     runGen,
	summary: "generate realistic reports of a made-up district, with their truth",
	usage: `Usage: gongkai gen --out DIR [flags]

Writes the annual reports of one district — its townships and streets, a few
county departments and the district government's own office — for a range
of years: the 2019 layout for 2019–2020, the 2021 layout after. Numbers obey
R1–R5 and link across years (上年结转 = last year's 结转下年度; 现行有效
carries over; the 2019 上一年项目数量 chain). Most townships get few or no
requests, some departments hundreds.

Beside each report it writes <report>.truth.json (the record, docs/FORMAT.md §5)
and one truth.csv listing every file with its organization, year, layout
version, rendering and the rule it breaks on purpose (--violations; R8 for
--mismatches). --typos, --single-other and --blanks print what real PDFs
show: misspelled labels, （六）其他处理 as one row, cells left blank. When
ingesting a generated folder, these truth files are not reports.

The output depends only on the flags: the same --seed gives the same bytes
(pdf excepted: LibreOffice stamps the time into each PDF).

Renderings: word_text (default; the seed's Word-to-text shape), html,
html_gbk, html_js, pipe_text, cell_lines, paragraphs, markdown, glued_text,
docx, pdf (the docx converted by LibreOffice, several reports a run; needs
soffice installed, ./scripts/install-deps does it; 'all' skips pdf when
missing), all.

Examples:
  gongkai gen --out /tmp/district --district 威海市文登区 --townships 8 --departments 4 --years 2019-2024 --seed 7
  gongkai gen --out /tmp/mixed --rendering all --violations 0.1 --noise 0.3
  gongkai gen --out /tmp/one --townships 2 --departments 0 --years 2023 --rendering html_gbk
  gongkai gen --out /tmp/real --rendering all --mixed --typos 0.3 --single-other 0.2 --blanks 0.1 --mismatches 0.05
  gongkai gen --out /tmp/big --townships 300 --departments 32 --rendering all --mixed --noise 0.3   # ~2,000 mixed reports
  gongkai gen --out /tmp/ids --townships 40 --years 2019-2024 --rendering all --mixed --vary-identity   # every title form
`,
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
		fmt.Fprintf(env.Stderr, "Note: %s\n", n)
	}
	fmt.Fprintf(env.Stdout, "wrote %d reports of %d bodies (%d files, renderings %s) to %s; %d break a rule on purpose (see %s)\n",
		sum.Reports, sum.Bodies, sum.Files, strings.Join(sum.Renderings, ","), *out, sum.Violations, gen.ManifestName)
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
