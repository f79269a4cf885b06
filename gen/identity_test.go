package gen_test

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"gongkai"
	"gongkai/gen"
	"gongkai/ingest"
)

// identityPool is one township's and one department's reports in both
// layouts (2020 and 2023).
func identityPool(t *testing.T) []*gen.Item {
	t.Helper()
	items, err := gen.Build(gen.Options{District: "淮安市洪泽区", Townships: 1, Departments: 1, FirstYear: 2020, LastYear: 2023, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	var out []*gen.Item
	for _, it := range items {
		if it.Record.ReportYear == 2020 || it.Record.ReportYear == 2023 {
			out = append(out, it)
		}
	}
	return out
}

// identityItems returns n reports of the pool (a township's and a
// department's, 2020 and 2023 layouts in turn, starting at the k-th), each
// a copy given the identity style.
func identityItems(t *testing.T, style gen.IdentityStyle, k, n int) []*gen.Item {
	t.Helper()
	pool := identityPool(t)
	var out []*gen.Item
	for i := range n {
		it := *pool[(k+i)%len(pool)]
		it.Identity = style
		out = append(out, &it)
	}
	return out
}

// families are the rendering families identity is tested in: text (every
// text rendering), HTML (plain, GBK, inside a JavaScript string), DOCX and
// PDF.
var families = []string{gen.WordText, gen.PipeText, gen.CellLines, gen.Paragraph, gen.Markdown, gen.GluedText,
	gen.HTML, gen.HTMLGBK, gen.HTMLJS, gen.DOCX, gen.PDF}

// parseAll renders items in a rendering and parses each.
func parseAll(t *testing.T, rendering string, items []*gen.Item) ([]gongkai.Parsed, []error) {
	t.Helper()
	if rendering == gen.PDF && !gen.PDFAvailable() {
		t.Fatal("no PDF converter: LibreOffice (soffice) is not on PATH; run ./scripts/install-deps")
	}
	data := renderCached(t, rendering, items)
	ps := make([]gongkai.Parsed, len(items))
	errs := make([]error, len(items))
	for i, it := range items {
		ps[i], errs[i] = ingest.ParseBytes(t.Context(), it.Base+gen.Ext(rendering), data[i])
	}
	return ps, errs
}

// pdfCache holds the PDFs of every report the identity tests below use,
// converted in one LibreOffice run (starting LibreOffice costs more than
// converting a report, and these tests would otherwise start it once each).
var pdfCache struct {
	sync.Mutex
	data map[string][]byte
}

func cacheKey(it *gen.Item) string { return it.Base + "|" + it.Identity.String() }

// renderCached renders items, PDFs through pdfCache.
func renderCached(t *testing.T, rendering string, items []*gen.Item) [][]byte {
	t.Helper()
	if rendering != gen.PDF {
		data, err := gen.RenderBatch(t.Context(), rendering, items)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	pdfCache.Lock()
	defer pdfCache.Unlock()
	if pdfCache.data == nil {
		union := slices.Concat(titleFormItems(t), signatureItems(t))
		others, _ := otherSourceItems(t)
		union = append(union, others...)
		data, err := gen.RenderBatch(t.Context(), gen.PDF, union)
		if err != nil {
			t.Fatal(err)
		}
		pdfCache.data = map[string][]byte{}
		for i, it := range union {
			pdfCache.data[cacheKey(it)] = data[i]
		}
	}
	out := make([][]byte, len(items))
	var missing []*gen.Item
	for i, it := range items {
		if d, ok := pdfCache.data[cacheKey(it)]; ok {
			out[i] = d
		} else {
			missing = append(missing, it)
		}
	}
	if len(missing) > 0 {
		data, err := gen.RenderBatch(t.Context(), gen.PDF, missing)
		if err != nil {
			t.Fatal(err)
		}
		k := 0
		for i := range out {
			if out[i] == nil {
				out[i] = data[k]
				k++
			}
		}
	}
	return out
}

// readRight says whether a report read without error and with the
// organization and year (and, with date, the publication date) of its
// truth, and reports it when not.
func readRight(t *testing.T, it *gen.Item, p gongkai.Parsed, err error, date bool) bool {
	t.Helper()
	if err != nil {
		t.Errorf("%s %v: %v", it.Base, it.Identity, err)
		return false
	}
	r, want := p.Report, it.Record
	if r.Organization != want.Organization || r.ReportYear != want.ReportYear || date && r.PublishedOn != want.PublishedOn {
		t.Errorf("%s %v: read %q %d %s, want %q %d %s", it.Base, it.Identity, r.Organization, r.ReportYear, r.PublishedOn,
			want.Organization, want.ReportYear, want.PublishedOn)
		return false
	}
	return true
}

// usedSource is where the organization was taken from.
func usedSource(p gongkai.Parsed, field string) string {
	if p.Report == nil {
		return ""
	}
	return p.Report.Provenance[field].Loc
}

// titleFormItems: one report per title form and year style.
func titleFormItems(t *testing.T) []*gen.Item {
	forms := []gen.TitleForm{gen.TitleOrgYear, gen.TitleOrgYearDu, gen.TitleYearOrg, gen.TitleGuanyu, gen.TitleTwoLines, gen.TitleTwoLinesGuanyu}
	var all []*gen.Item
	for i, f := range forms {
		for j, cn := range []bool{false, true} {
			all = append(all, identityItems(t, gen.IdentityStyle{Title: f, CNYear: cn, Signature: gen.SigNone, Body: gen.BodyQuiet}, 2*i+j, 1)...)
		}
	}
	return all
}

// Every title form of FORMAT.md §9, with the year in digits and in Chinese
// numerals, in every rendering: the body, the signature and the metadata
// say nothing, so organization and year come from the title alone.
func TestIdentityTitleForms(t *testing.T) {
	for _, rendering := range families {
		t.Run(rendering, func(t *testing.T) {
			all := titleFormItems(t)
			ps, errs := parseAll(t, rendering, all)
			for i, it := range all {
				if !readRight(t, it, ps[i], errs[i], false) {
					continue
				}
				r := ps[i].Report
				// The text's title, or a title the page or file states
				// apart from it (<title>, 标题 line), which says the same.
				if src := usedSource(ps[i], "organization"); !strings.HasPrefix(src, "title") && !strings.HasPrefix(src, "HTML <title>") && !strings.HasPrefix(src, "标题 line") {
					t.Errorf("%s %v: organization taken from %q, want the title", it.Base, it.Identity, src)
				}
				for _, f := range r.Findings {
					if f.Rule == gongkai.RuleRead && (slices.Contains(f.Where, "organization") || slices.Contains(f.Where, "report_year")) {
						t.Errorf("%s %v: unexpected identity finding %s", it.Base, it.Identity, f)
					}
				}
			}
		})
	}
}

// signatureItems: two reports per signature form, no title, a quiet body.
func signatureItems(t *testing.T) []*gen.Item {
	var all []*gen.Item
	for i, s := range []gen.SignatureForm{gen.SigOrgDate, gen.SigOrgCNDate, gen.SigOneLine} {
		all = append(all, identityItems(t, gen.IdentityStyle{Title: gen.TitleNone, Signature: s, Body: gen.BodyQuiet}, 2*i, 2)...)
	}
	return all
}

// A report printed without a title and with a quiet body is known by its
// signature (organization, then the date in digits or Chinese numerals, or
// both on one line): the year is the one before the date, with a finding
// that says so. Where the page or file states a title elsewhere (HTML
// <title>, 标题 line), that wins; the signature clue is still found.
func TestIdentitySignatures(t *testing.T) {
	for _, rendering := range families {
		t.Run(rendering, func(t *testing.T) {
			all := signatureItems(t)
			ps, errs := parseAll(t, rendering, all)
			for i, it := range all {
				if !readRight(t, it, ps[i], errs[i], true) {
					continue
				}
				r := ps[i].Report
				found := false
				for _, c := range ps[i].Clues {
					found = found || c.Source == "signature" && c.Organization == it.Record.Organization && c.Published == it.Record.PublishedOn
				}
				if !found {
					t.Errorf("%s %v: no signature clue naming %s on %s: %+v", it.Base, it.Identity, it.Record.Organization, it.Record.PublishedOn, ps[i].Clues)
				}
				if usedSource(ps[i], "organization") == "signature" {
					inferred := false
					for _, f := range r.Findings {
						inferred = inferred || f.Rule == gongkai.RuleRead && slices.Contains(f.Where, "report_year") && strings.Contains(f.Message, "publication date")
					}
					if !inferred {
						t.Errorf("%s %v: year taken from the date without a finding", it.Base, it.Identity)
					}
				}
			}
		})
	}
}

// Sources outside the text, one at a time, with no title, signature or
// body naming the report: DOCX and PDF metadata, the HTML <title>, the
// crawler's 标题 line; and the body's own phrases (结合2023年…工作实际 for
// both, 本报告由…编制 for the organization with the signature's date for the
// year). Where a rendering has none of them, the error names every place
// tried.
var otherSourceCases = []struct {
	name  string
	style gen.IdentityStyle
	// source: rendering → the source the organization must come from;
	// renderings not listed must fail naming the places tried.
	source map[string]string
}{
	{"metadata", gen.IdentityStyle{Title: gen.TitleNone, Signature: gen.SigNone, Body: gen.BodyQuiet, Metadata: true},
		// paragraphs: the page's 来源 line names the publisher and its
		// 发布时间 the year after the report's.
		map[string]string{gen.DOCX: "DOCX metadata title", gen.PDF: "PDF metadata Title", gen.HTML: "HTML <title>",
			gen.HTMLGBK: "HTML <title>", gen.HTMLJS: "HTML <title>", gen.GluedText: "标题 line", gen.Paragraph: "来源 line"}},
	{"body", gen.IdentityStyle{Title: gen.TitleNone, Signature: gen.SigNone, Body: gen.BodyDefault},
		map[string]string{"*": "body text"}},
	{"reported_by", gen.IdentityStyle{Title: gen.TitleNone, Signature: gen.SigDateOnly, Body: gen.BodyReportedBy},
		map[string]string{"*": "body text"}},
}

// otherSourceItems: two reports per case of otherSourceCases, and each
// one's case.
func otherSourceItems(t *testing.T) (items []*gen.Item, caseOf []int) {
	for ci, c := range otherSourceCases {
		its := identityItems(t, c.style, 2*ci, 2)
		items = append(items, its...)
		for range its {
			caseOf = append(caseOf, ci)
		}
	}
	return items, caseOf
}

// TestIdentityOtherSources reads otherSourceCases in every rendering.
func TestIdentityOtherSources(t *testing.T) {
	cases := otherSourceCases
	for _, rendering := range families {
		t.Run(rendering, func(t *testing.T) {
			items, caseOf := otherSourceItems(t)
			ps, errs := parseAll(t, rendering, items)
			for i, it := range items {
				c := cases[caseOf[i]]
				want, ok := c.source[rendering]
				if !ok {
					want, ok = c.source["*"]
				}
				if !ok {
					if !errors.Is(errs[i], gongkai.ErrNoIdentity) || !strings.Contains(errs[i].Error(), "signature") {
						t.Errorf("%s %s: want an identity error naming the places tried, got %v", c.name, it.Base, errs[i])
					}
					continue
				}
				if !readRight(t, it, ps[i], errs[i], false) {
					continue
				}
				switch rendering {
				case gen.HTML, gen.HTMLGBK, gen.HTMLJS:
					want = "HTML <title>" // a page always has its <title>
				case gen.GluedText:
					want = "标题 line" // and a saved page its 标题 line
				}
				if src := usedSource(ps[i], "organization"); !strings.HasPrefix(src, want) {
					t.Errorf("%s %s: organization from %q, want %q", c.name, it.Base, src, want)
				}
			}
		})
	}
}

// identityAccuracy reads a varied generated set and counts reports whose
// organization and year both come back right.
func identityAccuracy(t *testing.T, items []*gen.Item, renderings []string) (right, total int) {
	t.Helper()
	for _, rendering := range renderings {
		ps, errs := parseAll(t, rendering, items)
		bad := 0
		for i, it := range items {
			total++
			r := ps[i].Report
			if errs[i] == nil && r.Organization == it.Record.Organization && r.ReportYear == it.Record.ReportYear {
				right++
				continue
			}
			bad++
			got := "no report"
			if r != nil {
				got = fmt.Sprintf("%q %d", r.Organization, r.ReportYear)
			}
			t.Errorf("%s as %s (%v): read %s (%v), want %q %d", it.Base, rendering, it.Identity, got, errs[i], it.Record.Organization, it.Record.ReportYear)
		}
		t.Logf("%s: identity right in %d/%d reports", rendering, len(items)-bad, len(items))
	}
	return right, total
}

// The accuracy set's size and seed; a larger run:
// go test -run TestIdentityAccuracy -v ./gen/ -args -identity.townships 90 -identity.seed 7
var (
	identityTownships = flag.Int("identity.townships", 9, "townships in TestIdentityAccuracy's district (a third as many departments)")
	identitySeed      = flag.Uint64("identity.seed", 20261130, "seed of TestIdentityAccuracy's district")
)

// TestIdentityAccuracy measures identity (organization and year both
// right) on a varied generated set: every title form, Chinese-numeral
// years, signatures, quiet bodies and metadata drawn by the seed, with
// noise, in every rendering (pdf on the first 32 reports: one LibreOffice
// run). The target of issue 8 is ≥ 99.5 %; run with -v to see the figure.
// The default set is small enough for every test run; the flags above
// make it larger.
func TestIdentityAccuracy(t *testing.T) {
	items, err := gen.Build(gen.Options{District: "威海市文登区", Townships: *identityTownships, Departments: *identityTownships / 3, FirstYear: 2019, LastYear: 2024,
		Seed: *identitySeed, Noise: 0.3, Violations: 0.05, VaryIdentity: true})
	if err != nil {
		t.Fatal(err)
	}
	forms := map[gen.TitleForm]int{}
	for _, it := range items {
		forms[it.Identity.Title]++
	}
	if len(forms) < 7 {
		t.Fatalf("the set does not vary the title: %v", forms)
	}
	renderings := slices.DeleteFunc(gen.AllRenderings(), func(s string) bool { return s == gen.PDF })
	right, total := identityAccuracy(t, items, renderings)
	if gen.PDFAvailable() || !testing.Short() {
		r, n := identityAccuracy(t, items[:min(len(items), 32)], []string{gen.PDF})
		right, total = right+r, total+n
	}
	t.Logf("identity accuracy: %d/%d = %.2f%% (%d reports × renderings; title forms %v)", right, total, 100*float64(right)/float64(total), total, forms)
	if float64(right) < 0.995*float64(total) {
		t.Errorf("identity right in %d/%d reports, below 99.5%%", right, total)
	}
}
