package division

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongkai"
	"gongkai/msg"
)

// RuleDiv names findings about who wrote a report.
const RuleDiv = "DIV"

// Body types. A county-level division's own government and its offices
// are county_government; its bureaus, commissions and centres are
// county_department. Whole-area reports get the level's _aggregate type.
const (
	TownshipGovernment = "township_government"
	StreetOffice       = "street_office"
	TownshipDepartment = "township_department"
	CountyGovernment   = "county_government"
	CountyDepartment   = "county_department"
	CityGovernment     = "city_government"
	CityDepartment     = "city_department"
	ProvinceGovernment = "province_government"
	ProvinceDepartment = "province_department"
	CountyAggregate    = "county_aggregate"
	CityAggregate      = "city_aggregate"
	ProvinceAggregate  = "province_aggregate"
)

// BodyTypes lists every body type, for validating manifests.
var BodyTypes = []string{
	TownshipGovernment, StreetOffice, TownshipDepartment,
	CountyGovernment, CountyDepartment, CityGovernment, CityDepartment,
	ProvinceGovernment, ProvinceDepartment,
	CountyAggregate, CityAggregate, ProvinceAggregate,
}

// Hint narrows a resolution.
type Hint struct {
	// District is a division name or code (ingest --district): the report
	// lies within it. A name that is ambiguous or unknown is ignored with a
	// finding.
	District string
	// DivisionCode and BodyType come from a manifest: when DivisionCode is
	// set it is taken as given (checked against the data) instead of
	// reading the organization's name.
	DivisionCode string
	BodyType     string
}

// chain is one reading of an organization's name: the divisions matched
// from its start, and where the matched text ends.
type chain struct {
	nodes []*node
	end   int
}

func (c chain) last() *node {
	if len(c.nodes) == 0 {
		return nil
	}
	return c.nodes[len(c.nodes)-1]
}

// chains reads s from its start as a sequence of divisions, each inside the
// previous one, always taking the longest name that matches. Several
// divisions with the same name give several chains.
func (r *Resolver) chains(s string, scope *node) []chain {
	var out []chain
	r.walk(s, 0, scope, nil, &out)
	return out
}

func (r *Resolver) walk(s string, p int, scope *node, acc []*node, out *[]chain) {
	var best []*node
	bestLen := 0
	rest := s[p:]
	// Try prefixes from the longest down, at rune boundaries.
	lim := min(len(rest), r.maxName)
	for l := lim; l > 0 && best == nil; l-- {
		if l < len(rest) && !utf8.RuneStart(rest[l]) {
			continue
		}
		for _, n := range r.byName[rest[:l]] {
			if scope != nil && (n.level <= scope.level || !n.under(scope)) {
				continue
			}
			best = append(best, n)
		}
		bestLen = l
	}
	// A city and its one county-level division of the same name (东莞市):
	// keep the higher.
	if len(best) > 1 {
		var keep []*node
		for _, n := range best {
			dominated := false
			for _, m := range best {
				if m != n && n.under(m) {
					dominated = true
				}
			}
			if !dominated {
				keep = append(keep, n)
			}
		}
		best = keep
	}
	if len(best) == 0 {
		if r.walkOn(s, p, scope, acc, out) {
			return
		}
		*out = append(*out, chain{nodes: append([]*node(nil), acc...), end: p})
		return
	}
	for _, n := range best {
		r.walk(s, p+bestLen, n, append(acc, n), out)
	}
}

// govInfixes are the words between a division and a township below it in
// names like 西湖区人民政府北山街道办事处: the township's office is named
// under the government that set it up.
var govInfixes = []string{"人民政府", "政府"}

// walkOn continues a reading past text that is not a division: a
// government infix (…区人民政府 Y街道) when a township follows it, or a
// zone that is no division (西咸新区, then its 新城), whose following
// names are looked up inside the division that holds it. It reports
// whether it found a division further on; otherwise out is unchanged.
func (r *Resolver) walkOn(s string, p int, scope *node, acc []*node, out *[]chain) bool {
	rest := s[p:]
	try := func(q int, sc *node) bool {
		var tmp []chain
		r.walk(s, q, sc, acc, &tmp)
		var found []chain
		for _, c := range tmp {
			if len(c.nodes) > len(acc) {
				found = append(found, c)
			}
		}
		*out = append(*out, found...)
		return len(found) > 0
	}
	if scope != nil && (scope.level == County || scope.level == City) {
		for _, w := range govInfixes {
			if strings.HasPrefix(rest, w) && try(p+len(w), scope) {
				return true
			}
		}
	}
	// A city's name without 市 before a zone's name: the zone is the
	// city's, even where the data does not list it (银川经济技术开发区).
	if scope == nil || scope.level == Province {
		found := false
		l := 0
		for i := 0; i < 6 && l < len(rest); i++ {
			_, size := utf8.DecodeRuneInString(rest[l:])
			l += size
			cs := r.cityStems[rest[:l]]
			if i == 0 || len(cs) == 0 || !zoneWordRe.MatchString(rest[l:]) {
				continue
			}
			for _, c := range cs {
				if scope == nil || c.under(scope) {
					r.walk(s, p+l, c, append(acc, c), out)
					found = true
				}
			}
		}
		if found {
			return true
		}
	}
	zone, zl := (*node)(nil), 0
	for name, z := range r.zones {
		if len(name) > zl && strings.HasPrefix(rest, name) {
			zone, zl = z, len(name)
		}
	}
	switch {
	case zone == nil:
		return false
	case scope == nil || zone.under(scope):
		return try(p+zl, zone)
	case scope.under(zone):
		return try(p+zl, scope)
	}
	return false
}

// pathTo returns the nodes from the province down to n.
func pathTo(n *node) []*node {
	var out []*node
	for m := n; m != nil; m = m.parent {
		out = append(out, m)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// levelZh names a level as the divisions data's Chinese does.
var levelZh = map[Level]string{Province: "省级行政区", City: "地级行政区", County: "县级行政区", Township: "乡级行政区"}

// townshipUnknown is the DIV finding of a township the divisions data lack
// under the division found: the name is kept, the code is the parent's.
func townshipUnknown(body gongkai.Body, parent string, level Level) gongkai.Finding {
	return gongkai.Coded(RuleDiv, gongkai.SevWarning, gongkai.Uncertain, gongkai.Paths{"organization"}, msg.DivTownship,
		msg.A("township", body.Township, "parent", parent, "code", body.DivisionCode, "level", level, "level_zh", levelZh[level]))
}

// divCoded is a DIV finding (warning, uncertain, on the organization)
// with a code of the msg catalogue.
func divCoded(code msg.ID, args msg.Args) gongkai.Finding {
	return gongkai.Coded(RuleDiv, gongkai.SevWarning, gongkai.Uncertain, gongkai.Paths{"organization"}, code, args)
}

// orgArgs are the arguments naming the organization as written (quoted in
// the English text) followed by more name, value pairs.
func orgArgs(org string, more ...any) msg.Args {
	return msg.A(append([]any{"org", org, "org_q", strconv.Quote(org)}, more...)...)
}

var (
	parenRe = regexp.MustCompile(`\([^()]*\)`)
	// A township named in the text but not found in the data: the rest of
	// the name is exactly "<name><suffix>[人民政府|政府|办事处]".
	townTextRe   = regexp.MustCompile(`^(\p{Han}{1,10}?)(街道|镇|乡|苏木)(人民政府|政府|办事处|党政办公室|党政办)?$`)
	officeTextRe = regexp.MustCompile(`^(\p{Han}{1,10}?)办事处$`)
	aggregateRe  = regexp.MustCompile(`全区|全市|全县|全旗|全州|全省|汇总`)
)

// governmentRest is what follows a division's name when the report is the
// government's own (its office writes it).
var governmentRest = map[string]bool{
	"": true, "人民政府": true, "政府": true, "人民政府办公室": true, "政府办公室": true,
	"人民政府办": true, "政府办": true,
	"人民政府办公厅": true, "政府办公厅": true, "行政公署": true, "人民政府办事处": true,
}

// zoneGovRest is what follows a development zone's name when its
// managing committee, which governs it, wrote the report.
var zoneGovRest = map[string]bool{
	"": true, "管理委员会": true, "管委会": true, "管理委员会办公室": true, "管委会办公室": true,
	"党工委管委会": true, "党工委": true, "工作委员会": true, "管委办": true,
}

var townshipGovRest = map[string]bool{
	"": true, "人民政府": true, "政府": true, "办事处": true, "街道办事处": true,
	"人民政府办公室": true, "党政办公室": true, "党政办": true, "党政综合办公室": true,
	"镇政府": true, "乡政府": true, "街道办": true,
}

// Resolve places the author of a report. The organization's name is read
// from its start as divisions nested in each other (威海市 文登区 泽库镇),
// the rest of the name gives the body type (人民政府, 办事处, 教育和体育局).
// hint.District narrows same-name divisions and places names that give no
// division at all (教育和体育局 with --district 文登区).
//
// When the author cannot be placed, or could be several divisions, the
// Body is zero and a finding (rule DIV, warning, uncertain) says why:
// nothing is guessed. A township named in the text but missing from the
// data keeps its name, the county's code, and a finding.
func (r *Resolver) Resolve(org string, hint Hint) (gongkai.Body, []gongkai.Finding) {
	if hint.DivisionCode != "" {
		return r.resolveCode(org, hint)
	}
	var findings []gongkai.Finding
	s := normalize(org)
	if s == "" {
		// Nothing to read: a district hint alone does not say which of
		// its bodies (or the whole area) wrote the report.
		return gongkai.Body{}, []gongkai.Finding{gongkai.Coded(RuleDiv, gongkai.SevWarning, gongkai.Uncertain,
			gongkai.Paths{"organization"}, msg.DivNoOrg, nil)}
	}
	// Parenthesized notes ((办公室), (全区汇总)) are read for the body type
	// and the aggregate mark, not for places.
	notes := strings.Join(parenRe.FindAllString(s, -1), "")
	s = parenRe.ReplaceAllString(s, "")
	aggregate := aggregateRe.MatchString(s) || aggregateRe.MatchString(notes)
	s = aggregateRe.ReplaceAllString(s, "")

	var scope *node
	if hint.District != "" {
		n, err := r.district(hint.District)
		var amb *AmbiguousError
		switch {
		case errors.As(err, &amb):
			var ns []*node
			for _, c := range amb.Candidates {
				ns = append(ns, r.lookup(c.Code))
			}
			findings = append(findings, divCoded(msg.DivHintAmbiguous, msg.A("hint", hint.District,
				"hint_q", strconv.Quote(hint.District), "cands", r.describe(ns))))
		case err != nil:
			findings = append(findings, divCoded(msg.DivHintUnknown, msg.A("hint", hint.District,
				"hint_q", strconv.Quote(hint.District), "err", err, "err_zh", gongkai.LocalError(err, msg.ZH))))
		default:
			scope = n
		}
	}

	cands := r.chains(s, nil)
	// conflict lists divisions of county level or above that the text
	// names but the hint excludes (or contains: 威海市 with hint 文登区).
	var conflict []*node
	if scope != nil {
		var keep []chain
		for _, c := range cands {
			l := c.last()
			if l == nil {
				continue
			}
			if l.under(scope) {
				keep = append(keep, c)
				continue
			}
			if c.nodes[0].level <= County {
				conflict = append(conflict, l)
			}
		}
		for _, c := range r.chains(s, scope) {
			c.nodes = append(pathTo(scope), c.nodes...)
			keep = append(keep, c)
		}
		cands = keep
	}
	// The reading that explains the most text wins; a tie between different
	// divisions is ambiguous.
	bestEnd := -1
	var best []chain
	for _, c := range cands {
		if len(c.nodes) == 0 {
			continue
		}
		switch {
		case c.end > bestEnd:
			bestEnd, best = c.end, []chain{c}
		case c.end == bestEnd:
			best = append(best, c)
		}
	}
	if bestEnd == 0 && len(conflict) > 0 {
		return gongkai.Body{}, append(findings, divCoded(msg.DivOutside, orgArgs(org,
			"cands", r.describe(dedupe(conflict)), "district", r.FullName(scope.code))))
	}
	var lasts []*node
	for _, c := range best {
		lasts = append(lasts, c.last())
	}
	lasts = dedupe(lasts)
	switch {
	case len(lasts) == 0:
		return gongkai.Body{}, append(findings, divCoded(msg.DivUnknown, orgArgs(org)))
	case len(lasts) > 1:
		return gongkai.Body{}, append(findings, divCoded(msg.DivAmbiguous, orgArgs(org, "cands", r.describe(lasts))))
	}
	n := lasts[0]
	rest := s[bestEnd:]
	// The body of a zone held by a whole province (雄安新区's committee, a
	// 兵团 division) is not a department of that province.
	if n.level == Province {
		for name, z := range r.zones {
			if z == n && strings.HasPrefix(rest, name) {
				return gongkai.Body{}, append(findings, divCoded(msg.DivZone, orgArgs(org, "zone", name)))
			}
		}
	}
	// A title that names only the place (天津市蓟州区) heads the whole
	// area's report, not its government's own.
	if rest == "" && n.level <= County && !strings.HasSuffix(n.name, "管委会") {
		aggregate = true
	}
	body := bodyOf(n)
	body.Aggregate = aggregate

	// A city bureau's branch named for a district (公安局朝阳分局,
	// 生态环境局碑林分局) belongs to that district.
	if !aggregate && (n.level == City || n.level == Province) {
		if m := branchRe.FindStringSubmatch(rest); m != nil {
			switch cs := r.countiesNamed(n, m[2]); len(cs) {
			case 1:
				body = bodyOf(cs[0])
				body.Type = CountyDepartment
				return body, findings
			case 0:
			default:
				findings = append(findings, divCoded(msg.DivBranch, orgArgs(org,
					"branch", m[2], "cands", r.describe(cs), "division", r.FullName(n.code))))
			}
		}
	}

	// A township in the text that the data does not have, or has under
	// another or a longer name.
	if n.level < Township && n.level >= City && !aggregate {
		trest := rest
		for _, w := range govInfixes {
			if t, ok := strings.CutPrefix(trest, w); ok && t != "" {
				trest = t
				break
			}
		}
		if m := townTextRe.FindStringSubmatch(trest); m != nil && m[1] != "" {
			typ := TownshipGovernment
			if m[2] == "街道" || m[3] == "办事处" {
				typ = StreetOffice
			}
			switch ts := r.similarTownships(n, m[1], m[2]); len(ts) {
			case 1:
				body = bodyOf(ts[0])
				body.Type = typ
				return body, append(findings, divCoded(msg.DivTownshipRenamed, msg.A("township", m[1]+m[2],
					"division", r.FullName(ts[0].code), "code", full(ts[0].code))))
			case 0:
			default:
				findings = append(findings, divCoded(msg.DivTownshipAmbig, msg.A("township", m[1]+m[2],
					"cands", r.describe(ts))))
			}
			body.Township = m[1] + m[2]
			body.Type = typ
			return body, append(findings, townshipUnknown(body, r.FullName(n.code), n.level))
		}
		if m := officeTextRe.FindStringSubmatch(trest); m != nil && !strings.HasSuffix(m[1], "人民政府") {
			body.Township = m[1] + "办事处"
			body.Type = StreetOffice
			return body, append(findings, townshipUnknown(body, r.FullName(n.code), n.level))
		}
	}
	body.Type = bodyType(n, rest, aggregate)
	return body, findings
}

// zoneWordRe starts the name of a national or provincial development
// zone, which by the naming rules carries its city's name in front
// (银川经济技术开发区). Generic words (新区, 开发区, 工业园区) are left out:
// 朝阳新区 could be in any city.
var zoneWordRe = regexp.MustCompile(`^(经济技术开发区|经济开发区|高新技术产业开发区|高新技术开发区|高新区|经开区|综合保税区)`)

// branchRe reads a city bureau's branch: 公安局 + 朝阳 + 分局.
var branchRe = regexp.MustCompile(`^(\p{Han}+?局)(\p{Han}{1,10}?)分局$`)

// countiesNamed lists the county-level divisions under n called name,
// with or without their suffix (朝阳 for 朝阳区, 浦东 for 浦东新区), or by
// one of their other spellings (高新区 for a city's 高新技术产业开发区).
func (r *Resolver) countiesNamed(n *node, name string) []*node {
	var out []*node
	r.each(n, County, func(c *node) {
		if c.name == name || strings.TrimSuffix(c.name, "新区") == name ||
			strings.TrimRight(c.name, "区县市旗") == name {
			out = append(out, c)
		}
	})
	// Other spellings of counties and zones: 石柱县, 高新区.
	for _, v := range []string{name, name + "区"} {
		for _, c := range r.byName[v] {
			if c.level == County && c.under(n) {
				out = append(out, c)
			}
		}
	}
	return dedupe(out)
}

// each calls f for every division at level under n.
func (r *Resolver) each(n *node, level Level, f func(*node)) {
	for _, k := range n.kids {
		switch {
		case k.level == level:
			f(k)
		case k.level < level:
			r.each(k, level, f)
		}
	}
}

// townSuffixes are the township-level suffixes a township may have
// changed between (乡 → 镇 → 街道; 苏木 → 镇).
var townSuffixes = []string{"街道", "镇", "乡", "苏木"}

// similarTownships finds the townships under n that a name not in the
// data stands for: the same name with another township suffix (a 乡 made a
// 镇), or, with the same suffix, a longer name it shortens — its start
// (根德乡 for 根德营子乡) or its characters in order from the same first
// to the same last (广外街道 for 广安门外街道). Renamed suffixes are tried
// first; callers accept only a single candidate.
func (r *Resolver) similarTownships(n *node, stem, suffix string) []*node {
	// Only inside one county (or a city without counties): a whole
	// city has too many townships to read a short name safely.
	if n.level == City && !(len(n.kids) == 1 && n.kids[0].name == n.name) {
		return nil
	}
	var renamed, shortened []*node
	sr := []rune(stem)
	r.each(n, Township, func(t *node) {
		for _, suf := range townSuffixes {
			ts, ok := strings.CutSuffix(t.name, suf)
			if !ok {
				continue
			}
			switch {
			case ts == stem && suf != suffix:
				renamed = append(renamed, t)
			case suf == suffix && len(sr) >= 2 && ts != stem && abbreviates(sr, []rune(ts)):
				shortened = append(shortened, t)
			}
			break
		}
	})
	if len(renamed) > 0 {
		return dedupe(renamed)
	}
	return dedupe(shortened)
}

// abbreviates reports whether short is a shortening of long by one or two
// characters: long starts with it, or short's characters appear in long in
// order, the first and the last on long's first and last.
func abbreviates(short, long []rune) bool {
	if len(short) >= len(long) || len(long)-len(short) > 2 || short[0] != long[0] {
		return false
	}
	if string(long[:len(short)]) == string(short) {
		return true
	}
	if short[len(short)-1] != long[len(long)-1] {
		return false
	}
	i := 0
	for _, c := range long {
		if i < len(short) && c == short[i] {
			i++
		}
	}
	return i == len(short)
}

func bodyType(n *node, rest string, aggregate bool) string {
	gov := governmentRest[rest]
	switch n.level {
	case Township:
		if townshipGovRest[rest] {
			if strings.HasSuffix(n.name, "街道") || strings.HasSuffix(n.name, "办事处") || strings.Contains(rest, "办事处") {
				return StreetOffice
			}
			return TownshipGovernment
		}
		return TownshipDepartment
	case County:
		switch {
		case aggregate:
			return CountyAggregate
		case gov, isZone(n) && zoneGovRest[rest]:
			return CountyGovernment
		}
		return CountyDepartment
	case City:
		switch {
		case aggregate:
			return CityAggregate
		case gov:
			return CityGovernment
		}
		return CityDepartment
	case Province:
		switch {
		case aggregate:
			return ProvinceAggregate
		case gov:
			return ProvinceGovernment
		}
		return ProvinceDepartment
	}
	return ""
}

// resolveCode takes a manifest's code and body type, checking the code.
func (r *Resolver) resolveCode(org string, hint Hint) (gongkai.Body, []gongkai.Finding) {
	n := r.lookup(hint.DivisionCode)
	if n == nil {
		return gongkai.Body{}, []gongkai.Finding{divCoded(msg.DivManifestCode, orgArgs(org,
			"code", hint.DivisionCode, "code_q", strconv.Quote(hint.DivisionCode)))}
	}
	body := bodyOf(n)
	body.Type = hint.BodyType
	if body.Type == "" {
		s := normalize(org)
		body.Aggregate = aggregateRe.MatchString(s)
		s = aggregateRe.ReplaceAllString(parenRe.ReplaceAllString(s, ""), "")
		// Read the body type from the name's tail after the division's name.
		rest := s
		if i := strings.LastIndex(s, n.name); i >= 0 {
			rest = s[i+len(n.name):]
		}
		body.Type = bodyType(n, rest, body.Aggregate)
	}
	if strings.HasSuffix(body.Type, "_aggregate") {
		body.Aggregate = true
	}
	return body, nil
}

// LevelOf returns the level of a body type's division: township types are
// Township, county types County and so on; Nation for an unknown type.
func LevelOf(bodyType string) Level {
	switch {
	case strings.HasPrefix(bodyType, "township_"), bodyType == StreetOffice:
		return Township
	case strings.HasPrefix(bodyType, "county_"):
		return County
	case strings.HasPrefix(bodyType, "city_"):
		return City
	case strings.HasPrefix(bodyType, "province_"):
		return Province
	}
	return Nation
}
