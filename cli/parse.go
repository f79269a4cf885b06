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
)

var parseCmd = &command{
	name:    "parse",
	run:     runParse,
	summary: "read report files and print their records as JSON",
	usage: `Usage: gongkai parse FILE... [--explain] [--district NAME|CODE]
       gongkai parse [--organization NAME] [--year YYYY] FILE

Reads each report (Word text, | tables, one cell per line or paragraph,
Markdown, glued page text, HTML, DOCX, PDF with a text layer, or a JSON
record) and prints its record (docs/FORMAT.md §5): one pretty JSON object for one
file, one JSON object per line for several. The record's findings list the
rules R1–R5 that fail or cannot be checked and every value the reader could
not settle (rule READ; such a cell is null, never a guess).

A file whose tables cannot be read is reported on stderr as
"Error: parse FILE: ..." naming what is missing; the other files still
print, and the exit status is 1.

The record's "body" says who wrote the report, placed among China's
divisions (division code, province … township, body type); a name that
cannot be placed gets a DIV finding instead. --district narrows names
that several divisions share, as in 'gongkai ingest'.

The organization and report year (the year the report covers, not the
year it was published) are read from every place the report states them:
its title in any of its forms, the HTML <title>, a saved page's 标题/
发布机构/发布时间 lines, PDF and DOCX metadata, the signature and its date,
and phrases of the body. When they disagree the title wins and a READ
finding names the disagreement. When no organization or no year is found,
the error names every place tried; state them with --organization and
--year (for one FILE; they win over the document, and a finding names any
disagreement).

--explain prints, instead of JSON, one tab-separated line per cell: its
path, value, where it was read (line, table/row/column) and the raw text;
its header says where the organization, year and date came from and lists
every identity clue found.

Examples:
  gongkai parse 2023年泽库镇政府信息公开工作年度报告.txt
  gongkai parse reports/*.txt > records.jsonl
  gongkai parse --explain report.html | grep applications.1_new
  gongkai parse --organization 泽库镇人民政府 --year 2023 scan-ocr.txt
`,
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
				writeExplain(env.Stdout, p, len(files) > 1)
			}
			fmt.Fprintf(env.Stderr, "Error: %v\n", err)
			if hint := gongkai.HintOf(err); hint != "" {
				fmt.Fprintf(env.Stderr, "Try: %s\n", hint)
			}
			continue
		}
		place(f, p.Report) // who wrote the report, as ingest would store it
		if *explain {
			writeExplain(env.Stdout, p, len(files) > 1)
			continue
		}
		b, err := json.Marshal(p.Report)
		if err != nil {
			failed++
			fmt.Fprintf(env.Stderr, "Error: parse %s: %v\n", f, err)
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
func writeExplain(w io.Writer, p gongkai.Parsed, header bool) {
	r := p.Report
	if header {
		fmt.Fprintf(w, "# %s\n", p.Path)
	}
	fmt.Fprintf(w, "# organization=%s report_year=%d format_version=%s published_on=%s rendering=%s\n",
		r.Organization, r.ReportYear, r.FormatVersion, r.PublishedOn, p.Rendering)
	for _, k := range []string{"organization", "report_year", "published_on"} {
		if src, ok := r.Provenance[k]; ok {
			fmt.Fprintf(w, "# %s from %s: %s\n", k, src.Loc, oneLine(src.Raw))
		}
	}
	for _, c := range p.Clues {
		var says []string
		if c.Organization != "" {
			says = append(says, "organization="+c.Organization)
		}
		if c.Year != 0 {
			says = append(says, fmt.Sprintf("year=%d", c.Year))
		}
		if c.Published != "" {
			says = append(says, "date="+c.Published)
		}
		used := ""
		if c.Used {
			used = " (used)"
		}
		fmt.Fprintf(w, "# clue %s: %s%s: %s\n", c, strings.Join(says, " "), used, oneLine(c.Raw))
	}
	fmt.Fprintln(w, "path\tvalue\tloc\traw")
	for _, c := range r.Cells() {
		src := r.Provenance[c.Path()]
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", c.Path(), c.Value, oneLine(src.Loc), oneLine(src.Raw))
	}
	for _, k := range sortedNarrative(r.Narrative) {
		fmt.Fprintf(w, "%s.%s\t%s\t\t\n", gongkai.SecNarrative, k, r.Narrative[k])
	}
	for _, f := range r.Findings {
		if f.Status == gongkai.NotCheckable {
			continue
		}
		fmt.Fprintf(w, "# finding %s %s %s at %s: %s\n", f.Rule, f.Severity, f.Status, f.Where, oneLine(f.Message))
	}
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
