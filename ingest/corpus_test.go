package ingest

import (
	"encoding/json"
	"errors"
	"os"
	"path"
	"strings"
	"testing"

	"gongkai"
	"gongkai/internal/sharedtest"
)

// covers reports whether a finding's where-path names the cell: the same
// path, a prefix of it at a dot (a row, an item, a section), or a pattern
// whose segments match ("applications.3_*.total").
func covers(where, cell string) bool {
	w, c := strings.Split(where, "."), strings.Split(cell, ".")
	if len(w) > len(c) {
		return false
	}
	for i := range w {
		if ok, _ := path.Match(w[i], c[i]); !ok {
			return false
		}
	}
	return true
}

func TestCovers(t *testing.T) {
	for _, c := range []struct {
		where, cell string
		want        bool
	}{
		{"applications.1_new.total", "applications.1_new.total", true},
		{"applications.1_new", "applications.1_new.total", true},
		{"applications", "applications.1_new.total", true},
		{"applications.*.total", "applications.1_new.total", true},
		{"applications.3_*.total", "applications.3_3_1.total", true},
		{"applications.3_*.total", "applications.1_new.total", false},
		{"applications.1_new", "applications.1_new_x.total", false},
		{"active", "applications.1_new.total", false},
	} {
		if got := covers(c.where, c.cell); got != c.want {
			t.Errorf("covers(%q, %q) = %v", c.where, c.cell, got)
		}
	}
}

// coveredByRead reports whether some READ finding names the cell.
func coveredByRead(r *gongkai.Report, cell string) bool {
	for _, f := range r.Findings {
		if f.Rule != gongkai.RuleRead {
			continue
		}
		for _, w := range f.Where {
			if covers(w, cell) {
				return true
			}
		}
	}
	return false
}

// TestCorpus parses every complete real report of ../shared/corpus/raw and
// compares it with the numbers read by hand (truth/): a value different
// from the truth fails; a null where the truth has a number passes only
// when a READ finding names that cell (an ambiguous digit run, say); the
// rules the truth expects to fail must be reported failed.
func TestCorpus(t *testing.T) {
	cases := []struct{ raw, truth, owner string }{
		{"001.txt", "001.json", "glued text (H2)"},
		{"003.txt", "003.json", "glued text (H2)"},
		{"005.txt", "005.json", "glued text (H2)"},
		{"006.txt", "006.json", "glued text (H2)"},
		{"010.html", "010.json", "HTML (H3)"},
		{"012.pdf", "012.json", "PDF (H3)"},
	}
	for _, c := range cases {
		t.Run(c.raw, func(t *testing.T) {
			p, err := ParseFile(t.Context(), sharedtest.Path(t, "corpus", "raw", c.raw))
			if errors.Is(err, gongkai.ErrUnsupported) {
				t.Fatalf("no reader is registered for this rendering (%s): %v", c.owner, err)
			}
			if err != nil {
				t.Fatalf("%v", err)
			}
			data, err := os.ReadFile(sharedtest.Path(t, "corpus", "truth", c.truth))
			if err != nil {
				t.Fatal(err)
			}
			var truth gongkai.Report
			if err := json.Unmarshal(data, &truth); err != nil {
				t.Fatal(err)
			}
			var extra struct {
				ExpectedFindings []string `json:"expected_findings"`
			}
			if err := json.Unmarshal(data, &extra); err != nil {
				t.Fatal(err)
			}
			got := p.Report
			if got.FormatVersion != truth.FormatVersion {
				t.Fatalf("format version %s, truth %s", got.FormatVersion, truth.FormatVersion)
			}
			if truth.ReportYear != 0 && got.ReportYear != truth.ReportYear {
				t.Errorf("report year %d, truth %d", got.ReportYear, truth.ReportYear)
			}
			if truth.Organization != "" && got.Organization != truth.Organization {
				t.Errorf("organization %q, truth %q", got.Organization, truth.Organization)
			}
			tc, gc := truth.Cells(), got.Cells()
			matched, excused := 0, 0
			for i, want := range tc {
				if !want.Value.Valid() {
					continue
				}
				g := gc[i]
				src := got.Provenance[g.Path()]
				switch {
				case g.Value == want.Value:
					matched++
				case !g.Value.Valid() && coveredByRead(got, g.Path()):
					excused++
				case !g.Value.Valid():
					t.Errorf("%s is null without a READ finding, truth %s (at %s %q)", g.Path(), want.Value, src.Loc, src.Raw)
				default:
					t.Errorf("WRONG NUMBER %s = %s, truth %s (at %s %q)", g.Path(), g.Value, want.Value, src.Loc, src.Raw)
				}
			}
			t.Logf("%s: %d truth cells equal, %d null with a READ finding", c.raw, matched, excused)
			for _, rule := range extra.ExpectedFindings {
				found := false
				for _, f := range got.Findings {
					if f.Rule == rule && f.Status == gongkai.Failed {
						found = true
					}
				}
				if !found {
					t.Errorf("expected finding %s not reported", rule)
				}
			}
		})
	}
}

// The blank national template (DOCX, merged cells) has every cell empty:
// it must read as all null, never 0.
func TestCorpusTemplate(t *testing.T) {
	p, err := ParseFile(t.Context(), sharedtest.Path(t, "corpus", "raw", "013-template.docx"))
	if errors.Is(err, gongkai.ErrUnsupported) {
		t.Fatalf("no reader is registered for DOCX (H3): %v", err)
	}
	// A blank template names no organization and no year: it is refused,
	// naming the places tried, and what was read is still returned.
	if !errors.Is(err, gongkai.ErrNoIdentity) {
		t.Fatalf("want the identity refused (a blank template names no body), got %v", err)
	}
	if !strings.Contains(err.Error(), "DOCX metadata") || !strings.Contains(err.Error(), "signature") {
		t.Errorf("the error does not name the places tried: %v", err)
	}
	for _, c := range p.Report.Cells() {
		if c.Value.Valid() {
			t.Errorf("%s = %s in a blank template", c.Path(), c.Value)
		}
	}
}

// The partial files are cut off inside a table: what they hold must be
// read right (numbers read by eye from the files, line numbers below), and
// the parse must fail naming the missing tables.
func TestCorpusPartial(t *testing.T) {
	zeros := func(n int) []string { return strings.Split(strings.TrimSuffix(strings.Repeat("0,", n), ","), ",") }
	type cell struct {
		path string
		want string // Num.String()
	}
	cells := func(prefix string, cols []string, vals []string) []cell {
		var out []cell
		for i, c := range cols {
			out = append(out, cell{prefix + "." + c, vals[i]})
		}
		return out
	}
	apps := []string{"natural_person", "commercial", "research", "social_welfare", "legal_services", "other", "total"}
	nulls := strings.Split("null,null,null,null,null,null,null", ",")
	cases := []struct {
		raw, rendering, org string
		year                int
		version             gongkai.Version
		missing             []string
		cells               []cell
		read                []string // rows that must carry a READ finding
	}{
		{
			// 101: `|` text, cut inside table 二 (the fee row is missing).
			raw: "101.partial.txt", rendering: "pipe_text", org: "重庆市九龙坡区二郎街道办事处", year: 2022, version: gongkai.V2021,
			missing: []string{"table 三", "table 四"},
			cells: append(append(append(
				cells("active.regulations", []string{"issued", "repealed", "in_force"}, zeros(3)),
				cells("active.normative_documents", []string{"issued", "repealed", "in_force"}, []string{"4", "0", "4"})...),
				cell{"active.licensing.decisions", "0"}, cell{"active.punishment.decisions", "0"}, cell{"active.enforcement.decisions", "0"}),
				cell{"active.fees.amount_10k_yuan", "null"}),
			read: []string{"active.fees.amount_10k_yuan"},
		},
		{
			// 103: one cell per paragraph, cut inside table 三 after （一）予以公开.
			raw: "103.partial.txt", rendering: "paragraphs", org: "盐边县新九镇人民政府", year: 2021, version: gongkai.V2021,
			missing: []string{"table 四"},
			cells: append(append(append(append(
				cells("active.regulations", []string{"issued", "repealed", "in_force"}, zeros(3)),
				cells("active.normative_documents", []string{"issued", "repealed", "in_force"}, zeros(3))...),
				cell{"active.licensing.decisions", "0"}, cell{"active.punishment.decisions", "0"}, cell{"active.enforcement.decisions", "0"},
				cell{"active.fees.amount_10k_yuan", "0"}),
				cells("applications.1_new", apps, zeros(7))...),
				append(cells("applications.2_carried_over", apps, zeros(7)), cells("applications.3_1_disclosed", apps, zeros(7))...)...),
			read: []string{"applications.3_3_1.total", "applications.4_carried_forward.total"},
		},
		{
			// 104: 2019 layout, one cell per line with empty cells dropped:
			// table 二 is complete (all 0); in table 三 the rows have 1–2
			// values for 7 columns, so they cannot be placed.
			raw: "104.partial.txt", rendering: "cell_lines", version: gongkai.V2019,
			missing: []string{"table 四"},
			cells: append(append(append(append(append(
				cells("active.regulations", []string{"new_made", "new_published", "total_published"}, zeros(3)),
				cells("active.normative_documents", []string{"new_made", "new_published", "total_published"}, zeros(3))...),
				cells("active.licensing", []string{"prev_year_items", "change", "decisions"}, zeros(3))...),
				cells("active.other_services", []string{"prev_year_items", "change", "decisions"}, zeros(3))...),
				append(cells("active.punishment", []string{"prev_year_items", "change", "decisions"}, zeros(3)),
					cells("active.enforcement", []string{"prev_year_items", "change", "decisions"}, zeros(3))...)...),
				append(append(cells("active.fees", []string{"prev_year_items", "change"}, zeros(2)),
					cells("active.procurement", []string{"projects", "amount_yuan"}, zeros(2))...),
					append(cells("applications.1_new", apps, nulls), cells("applications.3_2_partially", apps, nulls)...)...)...),
			read: []string{"applications.1_new.total", "applications.2_carried_over.natural_person", "applications.3_1_disclosed.total", "applications.3_2_partially.total"},
		},
	}
	for _, c := range cases {
		t.Run(c.raw, func(t *testing.T) {
			p, err := ParseFile(t.Context(), sharedtest.Path(t, "corpus", "raw", c.raw))
			if !errors.Is(err, gongkai.ErrUnreadable) {
				t.Fatalf("error %v, want ErrUnreadable for a cut-off report", err)
			}
			for _, m := range c.missing {
				if !strings.Contains(err.Error(), m) || !strings.Contains(err.Error(), c.raw) {
					t.Errorf("error %q does not name the file and %s", err, m)
				}
			}
			if p.Rendering != c.rendering {
				t.Errorf("rendering %q, want %q", p.Rendering, c.rendering)
			}
			r := p.Report
			if r == nil {
				t.Fatal("no partial report")
			}
			if r.FormatVersion != c.version || r.Organization != c.org || r.ReportYear != c.year {
				t.Errorf("got %s %q %d, want %s %q %d", r.FormatVersion, r.Organization, r.ReportYear, c.version, c.org, c.year)
			}
			for _, cl := range c.cells {
				v, ok := r.Get(cl.path)
				if !ok || v.String() != cl.want {
					t.Errorf("%s = %s, want %s (from %+v)", cl.path, v, cl.want, r.Provenance[cl.path])
				}
			}
			for _, cl := range c.read {
				if !coveredByRead(r, cl) {
					t.Errorf("no READ finding covers %s", cl)
				}
			}
		})
	}
}
