package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"gongkai"
	"gongkai/ingest"
	"gongkai/msg"
)

var parseCmd = &command{
	name:    "parse",
	run:     runParse,
	summary: "help.parse.summary",
	usage:   "help.parse",
}

func runParse(ctx context.Context, cmd *command, env *Env, args []string) error {
	fs := newFlags(cmd, env)
	explain := fs.Bool("explain", false, "print each cell's path, value, source location and raw text (tab-separated)")
	district := fs.String("district", "", "division (name or code) the reports' authors lie in, to place them")
	given := identityFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	place, err := (ingest.Placement{District: *district}).Placer()
	if err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		return usageError("want at least one FILE")
	}
	id, err := given()
	if err != nil {
		return err
	}
	if id != (ingest.Identity{}) && len(files) != 1 {
		return usageError("--organization and --year state one report's identity: give exactly one FILE")
	}
	failed := 0
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, err := ingest.ParseFileAs(ctx, f, id)
		if err != nil {
			failed++
			if *explain && p.Report != nil {
				// Show what was read of a partial report, then the error.
				writeExplain(env.Stdout, p, len(files) > 1, env.Lang)
			}
			fmt.Fprintln(env.Stderr, env.tr("cli.error", "err", errorText(err, env.Lang)))
			if hint := hintText(err, env.Lang); hint != "" {
				fmt.Fprintln(env.Stderr, env.tr("cli.try", "hint", hint))
			}
			continue
		}
		place(f, p.Report) // who wrote the report, as ingest would store it
		if *explain {
			writeExplain(env.Stdout, p, len(files) > 1, env.Lang)
			continue
		}
		b, err := json.Marshal(p.Report)
		if err != nil {
			failed++
			fmt.Fprintln(env.Stderr, env.tr("cli.error", "err", errorText(&gongkai.Error{Op: "parse", Path: f, Err: err}, env.Lang)))
			continue
		}
		if len(files) == 1 {
			var out bytes.Buffer
			if err := json.Indent(&out, b, "", "  "); err == nil {
				b = compactRows(out.Bytes())
			}
		}
		env.Stdout.Write(b)
		io.WriteString(env.Stdout, "\n")
	}
	if failed > 0 {
		return errSilent
	}
	return nil
}

// writeExplain prints one line per cell: path, value, location, raw text.
// Narrative counts and findings follow, so nothing of the record is lost.
func writeExplain(w io.Writer, p gongkai.Parsed, header bool, l msg.Lang) {
	r := p.Report
	if header {
		fmt.Fprintf(w, "# %s\n", p.Path)
	}
	fmt.Fprintln(w, msg.S(l, "explain.record", "org", r.Organization, "year", r.ReportYear, "version", r.FormatVersion,
		"date", r.PublishedOn, "rendering", p.Rendering))
	for _, k := range []string{"organization", "report_year", "published_on"} {
		if src, ok := r.Provenance[k]; ok {
			fmt.Fprintln(w, msg.S(l, "explain.from", "field", msg.T(l, msg.ID("explain."+k), nil),
				"src", src.Loc, "raw", oneLine(src.Raw)))
		}
	}
	for _, c := range p.Clues {
		var says []string
		if c.Organization != "" {
			says = append(says, msg.S(l, "explain.says_org", "org", c.Organization))
		}
		if c.Year != 0 {
			says = append(says, msg.S(l, "explain.says_year", "year", c.Year))
		}
		if c.Published != "" {
			says = append(says, msg.S(l, "explain.says_date", "date", c.Published))
		}
		id := msg.ID("explain.clue")
		if c.Used {
			id = "explain.clue_used"
		}
		fmt.Fprintln(w, msg.S(l, id, "src", c.String(), "says", strings.Join(says, " "), "raw", oneLine(c.Raw)))
	}
	fmt.Fprintln(w, "path\tvalue\tloc\traw")
	for _, c := range r.Cells() {
		src := r.Provenance[c.Path()]
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", c.Path(), c.Value, oneLine(msg.Phrase(l, src.Loc)), oneLine(src.Raw))
	}
	for _, k := range sortedNarrative(r.Narrative) {
		fmt.Fprintf(w, "%s.%s\t%s\t\t\n", gongkai.SecNarrative, k, r.Narrative[k])
	}
	for _, f := range r.Findings {
		if f.Status == gongkai.NotCheckable {
			continue
		}
		fmt.Fprintln(w, msg.S(l, "explain.finding", "rule", f.Rule, "severity", localValue(l, string(f.Severity)),
			"status", localValue(l, string(f.Status)), "where", f.Where, "text", oneLine(f.Text(l))))
	}
}

// localValue is a severity or status in l (value.*).
func localValue(l msg.Lang, v string) string {
	if id := msg.ID("value." + v); msg.Has(id) {
		return msg.T(l, id, nil)
	}
	return v
}

func oneLine(s string) string {
	return strings.NewReplacer("\t", " ", "\n", "⏎", "\r", "").Replace(s)
}

func sortedNarrative(m map[string]gongkai.Num) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// numberArray matches an array of numbers and nulls that json.Indent
// spread over lines (a "[" then a newline, which never occurs inside a JSON
// string): a row of section 三 in the record.
var numberArray = regexp.MustCompile(`\[\n\s*((?:-?[0-9.]+|null)(?:,\s*(?:-?[0-9.]+|null))*)\s*\]`)

// compactRows puts each section 三 row of an indented record on one line,
// so the seven applicant columns read across like the table.
func compactRows(b []byte) []byte {
	return numberArray.ReplaceAllFunc(b, func(m []byte) []byte {
		inner := numberArray.FindSubmatch(m)[1]
		parts := bytes.FieldsFunc(inner, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' })
		return append(append([]byte("["), bytes.Join(parts, []byte(", "))...), ']')
	})
}

// identityFlags adds --organization and --year to fs; the returned func,
// called after parsing, gives the identity they state (zero when neither
// is set) or a usage error.
func identityFlags(fs *pflag.FlagSet) func() (ingest.Identity, error) {
	org := fs.String("organization", "", "the organization that wrote the report (one FILE; wins over the document)")
	year := fs.String("year", "", "the year the report covers, e.g. 2023 (one FILE; wins over the document)")
	return func() (ingest.Identity, error) {
		id := ingest.Identity{Organization: strings.TrimSpace(*org)}
		var src []string
		if id.Organization != "" {
			src = append(src, "--organization")
		}
		if y := strings.TrimSpace(*year); y != "" {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(y, "年度"), "年"))
			if err != nil || n < 2000 || n > 2100 {
				return ingest.Identity{}, usageError("--year %s: want the year the report covers, e.g. 2023", y)
			}
			id.Year = n
			src = append(src, "--year")
		}
		id.Source = strings.Join(src, "/")
		return id, nil
	}
}
