package web

import (
	"slices"
	"strconv"
	"strings"

	"gongkai/division"
	"gongkai/store"
)

// option is one division or year in a picker list.
type option struct {
	Value    string
	Name     string
	Reports  int64
	Selected bool
}

// pickLevel is one list of the picker (d1 … d4).
type pickLevel struct {
	Name    string // form field
	Label   string
	Options []option
}

// picker is the division and year chooser. It lists only divisions and
// years the store holds reports for, so an office never picks an empty
// place.
type picker struct {
	Levels []pickLevel
	Years  []option
}

// coverage indexes the store's coverage by division code prefix: the
// nation (""), the province (2 digits), city (4), county (6) and township
// (9), so every count the picker shows is one map look-up.
type coverage struct {
	byYear map[string]map[int]int64 // prefix → year → reports
	// codes are the distinct division codes, in order.
	codes []string
	// unplaced counts reports without a division, all years.
	unplaced int64
}

func newCoverage(rows []store.Coverage) *coverage {
	c := &coverage{byYear: map[string]map[int]int64{}}
	for _, r := range rows {
		if r.DivisionCode == "" {
			c.unplaced += r.Reports + r.Aggregates
			continue
		}
		if n := len(c.codes); n == 0 || c.codes[n-1] != r.DivisionCode {
			c.codes = append(c.codes, r.DivisionCode)
		}
		for _, n := range []int{0, 2, 4, 6, 9} {
			if len(r.DivisionCode) < n {
				break
			}
			p := r.DivisionCode[:n]
			if c.byYear[p] == nil {
				c.byYear[p] = map[int]int64{}
			}
			c.byYear[p][r.Year] += r.Reports + r.Aggregates
		}
	}
	return c
}

// count is the number of reports (whole-area ones too) inside the
// division with code prefix p (division.CodePrefix), for year (0: all).
func (c *coverage) count(p string, year int) int64 {
	if year != 0 {
		return c.byYear[p][year]
	}
	var n int64
	for _, k := range c.byYear[p] {
		n += k
	}
	return n
}

// years lists the years with reports inside prefix p, newest first.
func (c *coverage) years(p string) []int {
	var out []int
	for y := range c.byYear[p] {
		out = append(out, y)
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// provinces lists the provinces with reports.
func (c *coverage) provinces(res *division.Resolver) []division.Division {
	var out []division.Division
	seen := map[string]bool{}
	for _, code := range c.codes {
		if len(code) < 2 || seen[code[:2]] {
			continue
		}
		seen[code[:2]] = true
		if d, ok := res.Lookup(code[:2] + "0000"); ok {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b division.Division) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// chain returns the divisions from the province down to d, leaving out
// a municipality's placeholder city level (市辖区), as the picker lists it.
func chain(res *division.Resolver, d division.Division) []division.Division {
	out := []division.Division{d}
	for cur := d; ; {
		p, ok := res.Parent(cur.Code)
		if !ok {
			return out
		}
		if !isPlaceholder(res, p) {
			out = append([]division.Division{p}, out...)
		}
		cur = p
	}
}

// isPlaceholder reports whether p is a city level the resolver looks
// through (市辖区, 县 of a municipality): Children of its parent do not list it.
func isPlaceholder(res *division.Resolver, p division.Division) bool {
	parent, ok := res.Parent(p.Code)
	if !ok {
		return false
	}
	return !slices.ContainsFunc(res.Children(parent.Code), func(d division.Division) bool { return d.Code == p.Code })
}

// fields are the picker's form fields, province down.
var fields = []string{"d1", "d2", "d3", "d4"}

// pick reads the picker's fields: each list's choice counts only when it
// lies inside the choice above it (a list left over from another province
// is dropped). It returns the deepest choice, or ok false.
func pick(res *division.Resolver, get func(string) string) (division.Division, bool) {
	var cur division.Division
	found := false
	for _, f := range fields {
		code := get(f)
		if code == "" {
			break
		}
		d, ok := res.Lookup(code)
		if !ok {
			break
		}
		if found && !slices.ContainsFunc(res.Children(cur.Code), func(k division.Division) bool { return k.Code == d.Code }) {
			break
		}
		cur, found = d, true
	}
	return cur, found
}

// newPicker builds the lists for the chosen division (zero: none) and
// year.
func newPicker(l Lang, res *division.Resolver, cov *coverage, chosen division.Division, has bool, year int) picker {
	var path []division.Division
	if has {
		path = chain(res, chosen)
	}
	var p picker
	parentOpts := cov.provinces(res)
	for i, f := range fields {
		if len(parentOpts) == 0 {
			break
		}
		lv := pickLevel{Name: f, Label: l.T(levelKey(parentOpts[0].Level))}
		lv.Options = append(lv.Options, option{Name: l.T("any")})
		var next []division.Division
		for _, d := range parentOpts {
			n := cov.count(division.CodePrefix(d.Code), 0)
			if n == 0 {
				continue
			}
			o := option{Value: d.Code, Name: d.Name, Reports: n}
			if i < len(path) && path[i].Code == d.Code {
				o.Selected = true
				next = res.Children(d.Code)
			}
			lv.Options = append(lv.Options, o)
		}
		p.Levels = append(p.Levels, lv)
		parentOpts = next
	}
	prefix := ""
	if has {
		prefix = division.CodePrefix(chosen.Code)
	}
	for _, y := range cov.years(prefix) {
		p.Years = append(p.Years, option{Value: itoa(y), Name: itoa(y), Reports: cov.count(prefix, y), Selected: y == year})
	}
	return p
}

func itoa(i int) string { return strconv.Itoa(i) }

func levelKey(lv division.Level) string {
	switch lv {
	case division.Province:
		return "province"
	case division.City:
		return "city"
	case division.County:
		return "county"
	}
	return "township"
}
