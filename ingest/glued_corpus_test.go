package ingest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai"
)

// findingCovers reports whether a finding's where names path: the path
// itself, a row or item that holds it, or a pattern with "*" segments.
func findingCovers(where, path string) bool {
	if where == path || strings.HasPrefix(path, where+".") {
		return true
	}
	w, p := strings.Split(where, "."), strings.Split(path, ".")
	if len(w) > len(p) {
		return false
	}
	for i := range w {
		if w[i] == p[i] || w[i] == "*" {
			continue
		}
		if pre, ok := strings.CutSuffix(w[i], "*"); ok && strings.HasPrefix(p[i], pre) {
			continue
		}
		return false
	}
	return true
}

func readCovered(r *gongkai.Report, path string) bool {
	for _, f := range r.Findings {
		if f.Rule != gongkai.RuleRead {
			continue
		}
		for _, w := range f.Where {
			if findingCovers(w, path) {
				return true
			}
		}
	}
	return false
}

// TestGluedCorpus parses the real glued reports and holds every number
// against the hand-read truth: each non-null truth cell is read exactly, or
// is null under a READ finding; never another number. The runs the corpus
// README names as ambiguous from the file alone must stay null.
func TestGluedCorpus(t *testing.T) {
	dir := corpusDir(t)
	tests := []struct {
		id string
		// mustBeOpen are cells one file alone cannot settle.
		mustBeOpen []string
		// wantFailed are rules the printed numbers break.
		wantFailed []string
	}{
		{id: "001"},
		{id: "003", mustBeOpen: []string{"active.normative_documents.issued", "active.normative_documents.repealed", "active.normative_documents.in_force"}},
		{id: "005", mustBeOpen: []string{"active.normative_documents.repealed", "active.normative_documents.in_force"}},
		{id: "006", wantFailed: []string{gongkai.R3}},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, "raw", tc.id+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			tb, err := os.ReadFile(filepath.Join(dir, "truth", tc.id+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var truth gongkai.Report
			if err := json.Unmarshal(tb, &truth); err != nil {
				t.Fatal(err)
			}
			p, err := ParseBytes(t.Context(), tc.id+".txt", data)
			if err != nil {
				t.Fatalf("ParseBytes: %v", err)
			}
			if p.Rendering != "glued_text" {
				t.Errorf("rendering %q, want glued_text", p.Rendering)
			}
			r := p.Report
			if r.FormatVersion != truth.FormatVersion {
				t.Fatalf("version %s, want %s", r.FormatVersion, truth.FormatVersion)
			}
			matched, open := 0, 0
			for _, c := range truth.Cells() {
				path := c.Path()
				got, _ := r.Get(path)
				switch {
				case !c.Value.Valid():
					continue
				case got == c.Value:
					matched++
				case !got.Valid() && readCovered(r, path):
					open++
				case !got.Valid():
					t.Errorf("%s: null without a READ finding, truth %s", path, c.Value)
				default:
					t.Errorf("%s = %s, truth %s (a wrong number)", path, got, c.Value)
				}
			}
			for _, path := range tc.mustBeOpen {
				if got, _ := r.Get(path); got.Valid() || !readCovered(r, path) {
					t.Errorf("%s = %s, want null with a READ finding (ambiguous run)", path, got)
				}
			}
			for _, rule := range tc.wantFailed {
				found := false
				for _, f := range r.Findings {
					if f.Rule == rule && f.Status == gongkai.Failed {
						found = true
					}
				}
				if !found {
					t.Errorf("want rule %s reported failed; findings: %v", rule, r.Findings)
				}
			}
			for _, f := range r.Findings {
				if f.Status == gongkai.Failed && !gluedContains(tc.wantFailed, f.Rule) {
					t.Errorf("unexpected failed rule: %s", f)
				}
			}
			t.Logf("%s: %d truth cells read exactly, %d left null with a READ finding", tc.id, matched, open)
		})
	}
}

func gluedContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestGluedSniffCorpus: the real glued pages are detected as glued text,
// and the other text renderings of the corpus and the seed are not.
func TestGluedSniffCorpus(t *testing.T) {
	dir := corpusDir(t)
	for _, id := range []string{"001.txt", "003.txt", "005.txt", "006.txt"} {
		data, err := os.ReadFile(filepath.Join(dir, "raw", id))
		if err != nil {
			t.Fatal(err)
		}
		if rd, ok := detect(id, data); !ok || rd.name != "glued_text" {
			t.Errorf("%s detected as %q, want glued_text", id, rd.name)
		}
	}
	others, _ := filepath.Glob(filepath.Join(dir, "raw", "*.partial.txt"))
	seeds, _ := filepath.Glob(filepath.Join(dir, "..", "seeds", "*.txt"))
	for _, f := range append(others, seeds...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head := data[:min(len(data), sniffLen)]
		if sniffGlued(newSniffHead(f, head)) {
			t.Errorf("%s claimed by the glued reader", filepath.Base(f))
		}
	}
}
