package cli

import (
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"gongkai"
	"gongkai/msg"
)

// takeLang removes the global --lang flag (--lang zh, --lang=en), which may
// stand anywhere before a "--", from args and returns its value ("" when
// absent) and the other arguments.
func takeLang(args []string) (string, []string, error) {
	var lang string
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return lang, append(out, args[i:]...), nil
		case a == "--lang":
			if i+1 >= len(args) {
				return "", nil, usageError("--lang needs a value: en or zh")
			}
			lang = args[i+1]
			i++
		case strings.HasPrefix(a, "--lang="):
			lang = strings.TrimPrefix(a, "--lang=")
		default:
			out = append(out, a)
		}
	}
	return lang, out, nil
}

// tr is the text of id in the run's language.
func (env *Env) tr(id msg.ID, pairs ...any) string {
	return msg.S(env.Lang, id, pairs...)
}

// findingColumns are the columns of the findings rollup that people read,
// with their Chinese headers; code and args are for programs.
var findingColumns = map[string]msg.ID{
	"rule": "col.rule", "severity": "col.severity", "status": "col.status", "organization": "col.organization",
	"year": "col.year", "where": "col.where", "message": "col.message", "scope": "col.scope", "report_id": "col.report_id",
	"level": "col.level", "findings": "col.findings", "reports": "col.reports",
}

// localValues are the columns whose values are words of the catalogue
// (value.*) in Chinese.
var localValues = []string{"severity", "status", "scope", "level"}

// localFindings is a findings result (the findings or findings_summary
// rollup) for people in
// language l: the message in l from the code and args, which are then
// dropped; in Chinese also the headers, severities and statuses. English
// keeps the columns and values the rollup gives, less code and args.
func localFindings(res *gongkai.Result, l msg.Lang) *gongkai.Result {
	code, args := slices.Index(res.Columns, "code"), slices.Index(res.Columns, "args")
	mcol := slices.Index(res.Columns, "message")
	keep := make([]int, 0, len(res.Columns))
	for i, c := range res.Columns {
		if c != "code" && c != "args" {
			keep = append(keep, i)
		}
	}
	out := &gongkai.Result{Truncated: res.Truncated}
	for _, i := range keep {
		name := res.Columns[i]
		if id, ok := findingColumns[name]; ok && l == msg.ZH {
			name = msg.T(l, id, nil)
		}
		out.Columns = append(out.Columns, name)
		if i < len(res.Types) {
			out.Types = append(out.Types, res.Types[i])
		}
	}
	for _, row := range res.Rows {
		nr := make([]any, 0, len(keep))
		for _, i := range keep {
			v := row[i]
			switch {
			case i == mcol && code >= 0 && args >= 0:
				if m, ok := v.(string); ok {
					c, _ := row[code].(string)
					a, err := msg.ParseArgs(row[args])
					if err == nil {
						v = msg.Finding(l, c, a, m)
					}
				}
			case l == msg.ZH && slices.Contains(localValues, res.Columns[i]):
				if s, ok := v.(string); ok && msg.Has(msg.ID("value."+s)) {
					v = msg.T(l, msg.ID("value."+s), nil)
				}
			}
			nr = append(nr, v)
		}
		out.Rows = append(out.Rows, nr)
	}
	return out
}

// errorText is err's message in l: in English as Error() reads; in
// Chinese through the catalogue where it knows the error (see
// gongkai.LocalError), the rest as it is.
func errorText(err error, l msg.Lang) string {
	return gongkai.LocalError(err, l)
}

// hintText is the first hint along err's chain, in l where the catalogue
// has it.
func hintText(err error, l msg.Lang) string {
	return gongkai.LocalHint(err, l)
}

// localFlags prints fs's flags (PrintDefaults) to w with each flag's
// description in l: a flag's text is found in the catalogue by its
// English (msg.FlagIn), and put back afterwards; pflag's "(default …)"
// is worded in l too (cli.default).
func localFlags(fs *pflag.FlagSet, l msg.Lang, w io.Writer) {
	if l == msg.EN {
		fs.SetOutput(w)
		fs.PrintDefaults()
		return
	}
	saved := map[*pflag.Flag]string{}
	fs.VisitAll(func(f *pflag.Flag) {
		saved[f] = f.Usage
		f.Usage = msg.FlagIn(f.Usage, l)
	})
	defer fs.VisitAll(func(f *pflag.Flag) { f.Usage = saved[f] })
	var b strings.Builder
	fs.SetOutput(&b)
	fs.PrintDefaults()
	out := defaultRe.ReplaceAllStringFunc(b.String(), func(m string) string {
		return msg.S(l, "cli.default", "value", defaultRe.FindStringSubmatch(m)[1])
	})
	io.WriteString(w, out)
}

// defaultRe is pflag's "(default X)" at the end of a flag's line.
var defaultRe = regexp.MustCompile(`(?m) \(default (.*)\)$`)
