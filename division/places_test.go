package division

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai"
)

// placeCase is one line of a testdata/organizations*.tsv table.
type placeCase struct {
	org, code, typ string
	file           string
	line           int
}

func readPlaceCases(t *testing.T, name string) []placeCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []placeCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		p := strings.Split(l, "\t")
		if len(p) != 3 {
			t.Fatalf("%s:%d: want 3 tab-separated fields, got %d", name, n, len(p))
		}
		out = append(out, placeCase{org: p[0], code: p[1], typ: p[2], file: name, line: n})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// placeScore counts how a table's names are placed without any hint.
type placeScore struct {
	total, full, partial, unresolved, wrongPlace, wrongType int
}

// scorePlaces resolves every case. A name is placed fully when both the
// code and the body type are the expected ones; partly when the code is a
// division above the expected one (the county of a township); wrongly
// when the code lies outside the expected division's line, or the code is
// right and the type is not.
func scorePlaces(t *testing.T, r *Resolver, cases []placeCase, report func(c placeCase, got gongkai.Body, fs []gongkai.Finding, verdict string)) placeScore {
	var s placeScore
	for _, c := range cases {
		s.total++
		got, fs := r.Resolve(c.org, Hint{})
		verdict := ""
		switch {
		case got.DivisionCode == c.code && got.Type == c.typ:
			s.full++
		case got.DivisionCode == "":
			s.unresolved++
			verdict = "unresolved"
			if len(fs) == 0 {
				verdict = "unresolved without a DIV finding"
				s.wrongPlace++
			}
		case got.DivisionCode == c.code:
			s.wrongType++
			verdict = "wrong body type"
		case isAncestor(r, got.DivisionCode, c.code):
			s.partial++
			verdict = "partly placed"
		default:
			s.wrongPlace++
			verdict = "wrong place"
		}
		if verdict != "" {
			report(c, got, fs, verdict)
		}
	}
	return s
}

// isAncestor reports whether division a contains division b.
func isAncestor(r *Resolver, a, b string) bool {
	an, bn := r.lookup(a), r.lookup(b)
	return an != nil && bn != nil && an != bn && bn.under(an)
}

// TestPlaceRealNames places the hand-checked table of organization names
// from all 31 provinces without --district: none may be placed wrongly,
// and at least 95 % fully (division and body type). The figure is logged
// (go test -run TestPlaceRealNames -v ./division/).
func TestPlaceRealNames(t *testing.T) {
	r := Default()
	cases := append(readPlaceCases(t, "organizations.tsv"), readPlaceCases(t, "organizations_more.tsv")...)
	provinces := map[string]bool{}
	for _, c := range cases {
		if _, ok := r.Lookup(c.code); !ok {
			t.Errorf("%s:%d: code %s is not in the divisions data", c.file, c.line, c.code)
		}
		provinces[c.code[:2]] = true
	}
	if len(cases) < 150 || len(provinces) != 31 {
		t.Fatalf("table has %d names from %d provinces; want ≥ 150 from 31", len(cases), len(provinces))
	}
	s := scorePlaces(t, r, cases, func(c placeCase, got gongkai.Body, fs []gongkai.Finding, verdict string) {
		msg := ""
		if len(fs) > 0 {
			msg = fs[0].Message
		}
		if strings.HasPrefix(verdict, "wrong") || strings.Contains(verdict, "without") {
			t.Errorf("%s:%d %s: %s: got %s %s, want %s %s (%s)", c.file, c.line, c.org, verdict, got.DivisionCode, got.Type, c.code, c.typ, msg)
		} else {
			t.Logf("%s:%d %s: %s: got %q %s, want %s %s (%s)", c.file, c.line, c.org, verdict, got.DivisionCode, got.Type, c.code, c.typ, msg)
		}
	})
	t.Logf("%d names, %d provinces: %d placed fully (%.1f %%), %d partly, %d unresolved, %d wrong place, %d wrong type",
		s.total, len(provinces), s.full, 100*float64(s.full)/float64(s.total), s.partial, s.unresolved, s.wrongPlace, s.wrongType)
	if s.full*100 < s.total*95 {
		t.Errorf("placed fully %d of %d, want ≥ 95 %%", s.full, s.total)
	}
}

// testResolver builds a resolver over a small made-up data set.
func testResolver(t *testing.T, lines ...string) *Resolver {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("# test data\n" + strings.Join(lines, "\n") + "\n"))
	zw.Close()
	r, err := Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Where a name could stand for more than one division, nothing is placed
// below what is certain, and a DIV finding names the candidates.
func TestPlaceNeverGuesses(t *testing.T) {
	r := testResolver(t,
		"99\t测试省", "9901\t甲市", "990101\t乙区", "990102\t丙区", "990103\t乙县",
		"990101001\t东风路街道", "990101002\t东风里街道", "990101100\t新城镇", "990101101\t新城乡",
		"990102001\t广安门外街道", "990102002\t广安门内街道")
	for _, c := range []struct {
		org, code, typ, finding string
	}{
		// Two townships of 乙区 the short name may mean: the county only.
		{"甲市乙区东风街道办事处", "990101", StreetOffice, "could be"},
		// 新城 is a 镇 and a 乡 of 乙区: a 新城街道 could be either.
		{"甲市乙区新城街道办事处", "990101", StreetOffice, "could be"},
		// One township fits: placed, with a finding saying how it was read.
		{"甲市丙区广外街道办事处", "990102001", StreetOffice, "read as"},
		// 公安局乙分局: 乙区 and 乙县 both fit; stays a city department.
		{"甲市公安局乙分局", "990100", CityDepartment, "may belong to"},
		{"甲市公安局丙区分局", "990102", CountyDepartment, ""},
		// Without its county, a short name is not read across the whole city.
		{"甲市广外街道办事处", "990100", StreetOffice, "not in the divisions data"},
		// A branch named for no district of the city stays with the city.
		{"甲市公安局高新分局", "990100", CityDepartment, ""},
	} {
		b, fs := r.Resolve(c.org, Hint{})
		if b.DivisionCode != c.code || b.Type != c.typ {
			t.Errorf("Resolve(%s) = %s %s %v; want %s %s", c.org, b.DivisionCode, b.Type, fs, c.code, c.typ)
		}
		if c.finding == "" && len(fs) != 0 || c.finding != "" && (len(fs) == 0 || !strings.Contains(fs[0].Message, c.finding)) {
			t.Errorf("Resolve(%s): findings %v, want one saying %q", c.org, fs, c.finding)
		}
	}
}

// Names of the real data that stay unresolved or only partly placed,
// always with a DIV finding.
func TestPlaceUnresolved(t *testing.T) {
	r := Default()
	for _, c := range []struct{ org, code string }{
		{"城关镇人民政府", ""},       // in many counties
		{"朝阳区人民政府", ""},       // Beijing's and Changchun's
		{"新华街街道办事处", ""},      // six of them
		{"平潭综合实验区管理委员会", ""},  // not in the data
		{"西咸新区管理委员会", ""},     // a zone, no division of its own
		{"重庆两江新区人和街道办事处", ""}, // two 人和街道 in Chongqing
		{"", ""}, // nothing to read
		{"河北雄安新区管理委员会", ""},         // a zone held by the whole province
		{"新疆生产建设兵团第八师", ""},         // likewise
		{"广州开发区管委会", ""},            // 开发区 alone is no zone's proper name
		{"朝阳新区管理委员会", ""},           // nor is 新区
		{"中山公园管理处", ""},             // a city's name without 市 counts only before a zone's name
		{"威海市文登区新华街道办事处", "371003"}, // no such township in 文登区
	} {
		b, fs := r.Resolve(c.org, Hint{})
		if b.DivisionCode != c.code || len(fs) == 0 || fs[0].Rule != RuleDiv {
			t.Errorf("Resolve(%q) = %+v %v; want code %q and a DIV finding", c.org, b, fs, c.code)
		}
	}
	// An empty name is not placed by a district hint either.
	if b, fs := r.Resolve("", Hint{District: "文登区"}); !b.IsZero() || len(fs) != 1 {
		t.Errorf(`Resolve("", 文登区) = %+v %v`, b, fs)
	}
}

// BenchmarkResolve resolves the names of the placement table, one per op.
func BenchmarkResolve(b *testing.B) {
	r := Default()
	t := &testing.T{}
	cases := append(readPlaceCases(t, "organizations.tsv"), readPlaceCases(t, "organizations_more.tsv")...)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r.Resolve(cases[i%len(cases)].org, Hint{})
	}
}
