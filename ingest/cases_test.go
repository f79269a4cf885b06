package ingest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gongkai"
	"gongkai/gen"
)

// The golden cases: every folder testdata/<case>/ holding an expected.json
// is one report document (input.<ext>) and the record it must read as
// (expected.json: the record of FORMAT.md §5 plus "rendering", the reader
// that must detect it). TestCases walks them all; testdata/README.md says
// how each was made and checked.
//
// The generated cases (genCases) are written by
//
//	go test ./ingest -run TestCases -update-cases
//
// from the generator: the input is gen's rendering of one report and
// expected.json is gen's truth, the numbers the document was printed from,
// never the parser's output. The reading is then compared with that truth
// like every other case, so -update-cases cannot make a wrong reading pass.
var updateCases = flag.Bool("update-cases", false, "rewrite the generated cases under testdata/ from the generator and its truth (see testdata/README.md)")

// genCase is one generated case.
type genCase struct {
	name      string // the folder under testdata/
	rendering string // gen's rendering
	reader    string // the reader that must detect it
	opts      gen.Options
	// pick accepts the reports the case may use (nil: any); of those, the
	// one with the most new requests (then the first) is written.
	pick func(*gen.Item) bool
	// print sets how the chosen report is printed (noise, typos).
	print func(*gen.Item)
	// read lists the cells or rows whose printing must give a READ
	// uncertain finding (a misspelled label), beyond the truth's findings.
	read []string
	// unsure lists groups of cells the printing leaves ambiguous (a glued
	// digit run that splits several ways, worked out by hand from the
	// input): each must read as null under one READ uncertain finding
	// naming the group.
	unsure [][]string
}

// caseOptions is a small district in one year: two townships, three
// departments and the district office.
func caseOptions(year int, seed uint64) gen.Options {
	return gen.Options{District: "威海市文登区", Townships: 2, Departments: 3, FirstYear: year, LastYear: year, Seed: seed}
}

func genCases() []genCase {
	singleOther := caseOptions(2022, 8)
	singleOther.SingleOther = 1
	blanks := caseOptions(2023, 10)
	blanks.Blanks = 1
	violation := caseOptions(2023, 11)
	violation.Violations = 1
	return []genCase{
		{name: "html_2021", rendering: gen.HTML, reader: "html", opts: caseOptions(2023, 1)},
		{name: "html_gbk_2021", rendering: gen.HTMLGBK, reader: "html", opts: caseOptions(2022, 2)},
		{name: "html_js_2021", rendering: gen.HTMLJS, reader: "html", opts: caseOptions(2021, 3)},
		{name: "docx_2021", rendering: gen.DOCX, reader: "docx", opts: caseOptions(2023, 4)},
		{name: "pdf_2021", rendering: gen.PDF, reader: "pdf", opts: caseOptions(2023, 5)},
		{name: "pdf_2019", rendering: gen.PDF, reader: "pdf", opts: caseOptions(2019, 6)},
		{name: "glued_text_2021", rendering: gen.GluedText, reader: "glued_text", opts: caseOptions(2023, 14),
			pick: func(it *gen.Item) bool { return it.Record.Organization == "文登区住房和城乡建设局" }},
		{name: "glued_text_ambiguous", rendering: gen.GluedText, reader: "glued_text", opts: caseOptions(2023, 7),
			// Printed 行政规范性文件2234: 2|2|34, 2|23|4 and 22|3|4 all
			// read, and no rule ties the three cells together.
			unsure: [][]string{{"active.normative_documents.issued", "active.normative_documents.repealed", "active.normative_documents.in_force"}}},
		{name: "pdf_single_other", rendering: gen.PDF, reader: "pdf", opts: singleOther,
			pick: func(it *gen.Item) bool { return it.Record.SingleOther }},
		{name: "docx_misspelled_label", rendering: gen.DOCX, reader: "docx", opts: caseOptions(2023, 9),
			print: func(it *gen.Item) {
				// The misspelling real PDFs showed (FORMAT.md §8).
				it.Typos = map[string]string{"2.其他法律行政法规禁止公开": "2.其他法律行政止公开"}
			},
			read: []string{"applications.3_3_2"}},
		{name: "word_text_blanks", rendering: gen.WordText, reader: "word_text", opts: blanks,
			pick: func(it *gen.Item) bool { return hasNull(it.Record) }},
		{name: "pipe_text_violation_r1", rendering: gen.PipeText, reader: "pipe_text", opts: violation,
			pick: func(it *gen.Item) bool { return it.Violation == gongkai.R1 }},
		{name: "word_text_title_guanyu", rendering: gen.WordText, reader: "word_text", opts: caseOptions(2023, 13),
			print: func(it *gen.Item) {
				// 文登区自然资源局关于二〇二三年度政府信息公开工作的年度报告,
				// signed with the date in Chinese numerals; the body names
				// neither organization nor year.
				it.Identity = gen.IdentityStyle{Title: gen.TitleGuanyu, CNYear: true, Signature: gen.SigOrgCNDate, Body: gen.BodyQuiet}
			}},
		{name: "word_text_noise", rendering: gen.WordText, reader: "word_text", opts: caseOptions(2023, 12),
			print: func(it *gen.Item) {
				it.Noise = gen.Noise{FullWidthDigits: true, HalfWidthBrackets: true, ThousandsSeparators: true, RepeatedHeading: true}
			}},
	}
}

func hasNull(r *gongkai.Report) bool {
	for _, c := range r.Cells() {
		if !c.Value.Valid() {
			return true
		}
	}
	return false
}

// TestCases reads every golden case and compares the reading with its
// expected record: identity, every cell (null where blank), the narrative
// counts and the findings that matter. Every reader must have a case, and
// every generated case its folder.
func TestCases(t *testing.T) {
	if *updateCases {
		writeGenCases(t)
	}
	files, err := filepath.Glob(filepath.Join("..", "testdata", "*", "expected.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden cases (testdata/*/expected.json): %v", err)
	}
	covered := map[string]bool{}
	for _, f := range files {
		dir := filepath.Dir(f)
		var meta struct {
			Rendering string `json:"rendering"`
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &meta); err != nil || meta.Rendering == "" {
			t.Errorf("%s: no \"rendering\" (%v)", f, err)
			continue
		}
		covered[meta.Rendering] = true
		covered["case:"+filepath.Base(dir)] = true
		t.Run(filepath.Base(dir), func(t *testing.T) {
			inputs, _ := filepath.Glob(filepath.Join(dir, "input.*"))
			if len(inputs) != 1 {
				t.Fatalf("want one input.<ext> in %s, found %v", dir, inputs)
			}
			p, err := ParseFile(t.Context(), inputs[0])
			if err != nil {
				t.Fatal(err)
			}
			if p.Rendering != meta.Rendering {
				t.Errorf("read as %q, want %q", p.Rendering, meta.Rendering)
			}
			compareRecord(t, p.Report, readExpected(t, f))
			for _, c := range p.Report.Cells() {
				if c.Value.Valid() {
					if src, ok := p.Report.Provenance[c.Path()]; !ok || src.Loc == "" {
						t.Errorf("%s has no provenance", c.Path())
					}
				}
			}
		})
	}
	for _, r := range readers {
		if !covered[r.name] {
			t.Errorf("the %s reader has no case under testdata/ (add one: testdata/README.md)", r.name)
		}
	}
	for _, c := range genCases() {
		if !covered["case:"+c.name] {
			t.Errorf("generated case %s has no folder: run go test ./ingest -run TestCases -update-cases", c.name)
		}
	}
}

// writeGenCases writes every generated case: the input as gen renders it
// and expected.json from gen's truth.
func writeGenCases(t *testing.T) {
	t.Helper()
	if !gen.PDFAvailable() {
		t.Fatal("-update-cases needs LibreOffice (soffice) for the pdf cases: run ./scripts/install-deps")
	}
	for _, c := range genCases() {
		items, err := gen.Build(c.opts)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var it *gen.Item
		var most int64 = -1
		for _, cand := range items {
			if c.pick != nil && !c.pick(cand) {
				continue
			}
			if n, ok := cand.Record.Applications[gongkai.RowNew][gongkai.NumColumns-1].Int64(); ok && n > most || it == nil {
				it, most = cand, max(n, most)
			}
		}
		if it == nil {
			t.Fatalf("%s: no report of the generated district fits the case", c.name)
		}
		if c.print != nil {
			c.print(it)
		}
		out, err := gen.RenderBatch(t.Context(), c.rendering, []*gen.Item{it})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		dir := filepath.Join("..", "testdata", c.name)
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "input"+gen.Ext(c.rendering)), out[0], 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "expected.json"), expectedFromTruth(t, c, it), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %s (%s), %d bytes", c.name, it.Base, c.rendering, len(out[0]))
	}
}

// expectedFromTruth is the truth record with the reader's name, the
// findings that matter (not-checkable ones follow from nulls and are not
// listed) and the READ findings the case's printing must cause.
func expectedFromTruth(t *testing.T, c genCase, it *gen.Item) []byte {
	t.Helper()
	rec := *it.Record
	rec.Findings = nil
	for _, f := range it.Record.Findings {
		if f.Status != gongkai.NotCheckable && f.Rule != gongkai.R6 { // R6 is a cross-report rule: the store checks it
			rec.Findings = append(rec.Findings, f)
		}
	}
	for _, w := range c.read {
		rec.Findings = append(rec.Findings, gongkai.Finding{Rule: gongkai.RuleRead, Severity: gongkai.SevInfo,
			Status: gongkai.Uncertain, Where: gongkai.Paths{w}, Message: "misspelled label, printed by the case"})
	}
	for _, group := range c.unsure {
		for _, p := range group {
			if err := rec.Set(p, gongkai.Null); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
		}
		rec.Findings = append(rec.Findings, gongkai.Finding{Rule: gongkai.RuleRead, Severity: gongkai.SevWarning,
			Status: gongkai.Uncertain, Where: gongkai.Paths(group), Message: "ambiguous as printed: left null"})
	}
	slices.SortStableFunc(rec.Findings, func(a, b gongkai.Finding) int {
		if a.Rule != b.Rule {
			if a.Rule < b.Rule {
				return -1
			}
			return 1
		}
		return 0
	})
	data, err := json.Marshal(&rec)
	if err != nil {
		t.Fatal(err)
	}
	head, err := json.Marshal(map[string]string{"rendering": c.reader})
	if err != nil {
		t.Fatal(err)
	}
	data = append(append(head[:len(head)-1:len(head)-1], ','), data[1:]...)
	var buf bytes.Buffer
	if err := json.Indent(&buf, data, "", " "); err != nil {
		t.Fatal(err)
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}
