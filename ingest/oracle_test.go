package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/gen"
	"gongkai/internal/sharedtest"
)

// Oracles: readers and functions as they were before issue 11's rewrites,
// kept only here, and the inputs the new forms are compared with them on.

// oracleDistrict renders a generated district (every body type, both
// layouts, noise, typos, blanks, single 其他) in the given renderings; the
// map is keyed by rendering and file name.
func oracleDistrict(t *testing.T, renderings ...string) map[string][]byte {
	t.Helper()
	items, err := gen.Build(gen.Options{
		District: "威海市文登区", Townships: 4, Departments: 3, FirstYear: 2019, LastYear: 2022,
		Seed: 5, Violations: 0.1, Noise: 0.5, Typos: 0.3, SingleOther: 0.3, Blanks: 0.2,
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, rn := range renderings {
		docs, err := gen.RenderBatch(t.Context(), rn, items)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range docs {
			out[rn+" "+items[i].Base] = d
		}
	}
	return out
}

// oracleFiles reads the golden cases' inputs matching pattern (e.g.
// "input.*") and, when ../shared is there, every raw corpus file.
func oracleFiles(t *testing.T, pattern string) map[string][]byte {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "*", pattern))
	if shared, err := sharedtest.Find(); err == nil {
		raw, _ := filepath.Glob(filepath.Join(shared, "corpus", "raw", "*"))
		files = append(files, raw...)
	}
	out := map[string][]byte{}
	for _, p := range files {
		d, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[p] = d
	}
	return out
}

// readDocument detects the rendering and reads the Document, as
// ParseBytes does before recognizing.
func readDocument(name string, data []byte) (*Document, error) {
	r, ok := detect(name, data)
	if !ok {
		return nil, gongkai.ErrUnsupported
	}
	return r.read(name, data)
}

// TestReadNarrativeBoundChangesNoReading: on every document of a generated
// district and of the corpus, the bounded readNarrative reads what the
// unbounded one read.
func TestReadNarrativeBoundChangesNoReading(t *testing.T) {
	in := oracleDistrict(t, gen.WordText, gen.HTML, gen.Paragraph, gen.GluedText, gen.DOCX)
	for k, v := range oracleFiles(t, "input.*") {
		in[k] = v
	}
	for name, data := range in {
		doc, err := readDocument(name, data)
		if err != nil {
			continue // unreadable or unsupported here (PDF without its tools)
		}
		var texts []string
		for _, l := range doc.Lines {
			if t := cleanText(l.Text); t != "" {
				texts = append(texts, t)
			}
		}
		if diff := cmp.Diff(readNarrativeRef(texts), readNarrative(texts)); diff != "" {
			t.Errorf("%s: narrative differs (-unbounded +bounded):\n%s", name, diff)
		}
	}
}

// readNarrativeRef is readNarrative before its bound: it finds the counts of narrativePatterns in section 一.
func readNarrativeRef(lines []string) map[string]gongkai.Num {
	out := map[string]gongkai.Num{}
	text := strings.Join(lines, "\n")
	if loc := sec1Start.FindStringIndex(text); loc != nil {
		text = text[loc[1]:]
	}
	if loc := sec1End.FindStringIndex(text); loc != nil {
		text = text[:loc[0]]
	}
	for _, p := range narrativePatterns {
		if _, done := out[p.key]; done {
			continue
		}
		var s []string
		for _, loc := range p.re.FindAllStringSubmatchIndex(text, -1) {
			// "依申请公开信息3条" counts requests, not disclosed items.
			if p.key == "disclosed_items" && strings.HasSuffix(text[:loc[0]], "申请") {
				continue
			}
			// Requests for review, litigation, deputies' proposals are not
			// information-disclosure requests.
			if m := text[loc[0]:loc[1]]; strings.Contains(m, "复议") || strings.Contains(m, "诉讼") ||
				strings.Contains(m, "建议") || strings.Contains(m, "提案") {
				continue
			}
			s = make([]string, len(loc)/2)
			for k := range s {
				if loc[2*k] >= 0 {
					s[k] = text[loc[2*k]:loc[2*k+1]]
				}
			}
			break
		}
		if s == nil {
			continue
		}
		if p.zero {
			out[p.key] = gongkai.Int(0)
			continue
		}
		v, err := gongkai.ParseNum(strings.ReplaceAll(s[1], ",", ""))
		if err == nil {
			out[p.key] = v
		}
	}
	return out
}
