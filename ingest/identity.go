package ingest

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gongkai"
	"gongkai/msg"
)

// A report is stored under its organization and report year, and real
// reports print them in many places and forms (FORMAT.md §9): the title
// (org then year, year then org, 关于…年度…的年度报告, org and year on two
// lines, Chinese-numeral years), the HTML <title>, a crawler's 标题 /
// 发布机构 / 发布时间 lines, PDF and DOCX metadata, the signature block and
// its date, and phrases of the body. readIdentity gathers every such clue
// and decides from all of them, in a fixed order of trust: what the user
// states, then the document's own title, then titles from outside the text,
// the signature, the body, and last who published it. When a trusted clue
// disagrees with the one decided, a finding names both: a wrong title is
// rare, but a silent choice between two names is not acceptable.

// Clue ranks, most trusted first.
const (
	rankGiven = iota
	// rankTitle: the title printed in the document.
	rankTitle
	// rankTitleProp: a title from outside the running text (HTML <title>,
	// 标题 line, PDF/DOCX metadata title).
	rankTitleProp
	rankSignature
	// rankBody: 本报告由…编制, 结合…年…政府信息公开工作实际, 统计期限.
	rankBody
	// rankPublisher: who put the report online or saved the file (发布机构,
	// 来源, metadata author, the site named in <title>). Often an office of
	// the organization, or a person: used only when nothing else names
	// one, and never reported as a disagreement.
	rankPublisher
)

type clue struct {
	gongkai.Clue
	rank int
}

// reportID is what readIdentity decided, and from where.
type reportID struct {
	organization, published string
	year                    int
	orgFrom, yearFrom       *clue
	dateFrom                *clue
	// yearFromDate: no clue states the year; it was taken as the year
	// before the publication date.
	yearFromDate bool
	clues        []clue
	findings     []gongkai.Finding
	// tried names the places looked at, for the error when something is
	// missing.
	tried []string
}

// titleRE finds a report title after the year has been written in digits
// (normYears): "2023年政府信息公开工作年度报告", "关于2021年度政府信息公开
// 工作的年度报告", "2019年上海市人民政府办公厅政府信息公开工作年度报告"
// (group 2 holds the organization when the year comes first),
// "...2019年度政府信息公开年报".
var titleRE = regexp.MustCompile(`((?:19|20)\d{2})\s*年\s*(?:度\s*)?([^。，,；;：:《》“”"\s]{0,40}?)\s*(?:的\s*)?(?:政府信息公开|政务公开|信息公开)\s*(?:工作\s*)?(?:的\s*)?(?:年度报告|年度工作报告|工作年度报告|年报|工作报告)`)

// cnYearRE is a year in Chinese numerals: 二〇二三年, 二零二三年度.
var cnYearRE = regexp.MustCompile(`[〇零○OＯ一二三四五六七八九]{4}(\s*年)`)

// reportByRE: "本报告由泽库镇人民政府编制", "本报告由淮安市人民政府办公室根据
// 《…》规定编制": group 1 holds the name and what follows it, cut at
// reportByEnd.
var reportByRE = regexp.MustCompile(`本(?:年度)?报告(?:由|是)\s*([^，。,；;\n《》]{3,60})`)

// reportByEnd ends the name in a 本报告由… phrase.
var reportByEnd = regexp.MustCompile(`\s*(?:根据|依据|按照|负责|编制|编写|起草|制作|编撰)`)

// combineRE: "结合2023年泽库镇人民政府政府信息公开工作实际".
var combineRE = regexp.MustCompile(`结合\s*((?:19|20)\d{2})\s*年\s*度?\s*([^，。,；;\n《》]{2,40}?)\s*(?:政府信息公开|政务公开)工作(?:实际|情况)`)

// isoDateRE is a date in a header field: 2024-01-22, 2024/1/22, 2024.01.22.
var isoDateRE = regexp.MustCompile(`(20\d{2})[-/.](\d{1,2})[-/.](\d{1,2})`)

// normYears writes years in Chinese numerals in digits (二〇二三年 →
// 2023年) so one pattern reads both.
func normYears(s string) string {
	if !hasCNZero(s) {
		return s
	}
	return cnYearRE.ReplaceAllStringFunc(s, func(m string) string {
		r := []rune(m)
		y := 0
		for _, c := range r[:4] {
			y = y*10 + cnDigit(c)
		}
		if y < 1990 || y > 2100 {
			return m
		}
		return strconv.Itoa(y) + strings.TrimLeft(string(r[4:]), " \t")
	})
}

// hasCNZero is strings.ContainsAny(s, "〇零○OＯ") (every year in Chinese
// numerals has a zero), without decoding every rune of s.
func hasCNZero(s string) bool {
	return strings.IndexByte(s, 'O') >= 0 || strings.Contains(s, "〇") || strings.Contains(s, "零") ||
		strings.Contains(s, "○") || strings.Contains(s, "Ｏ")
}

// The places tried that name the limits, formatted once, not per report.
var (
	triedTitle     = fmt.Sprintf("the title (first %d lines)", headLimit)
	triedSignature = fmt.Sprintf("the signature and date (last %d lines)", footLimit)
)

// headLimit bounds where titles are looked for; footLimit where the
// signature is.
const (
	headLimit = 60
	footLimit = 20
)

// readIdentity gathers the identity clues of a document (lines are its
// cleaned, non-empty prose lines) and decides organization, year and
// publication date.
func readIdentity(doc *Document, lines []Line) reportID {
	var id reportID
	add := func(c clue) {
		for _, o := range id.clues {
			if o.Clue == c.Clue {
				return // the same statement seen twice (a header line kept as text)
			}
		}
		id.clues = append(id.clues, c)
	}

	if g := doc.Given; g.Organization != "" || g.Year != 0 {
		src := g.Source
		if src == "" {
			src = "stated by the user"
		}
		add(clue{Clue: gongkai.Clue{Source: src, Organization: g.Organization, Year: g.Year,
			Raw: strings.TrimSpace(fmt.Sprintf("%s %s", g.Organization, yearText(g.Year)))}, rank: rankGiven})
	}

	// The title, in the first lines.
	id.tried = append(id.tried, triedTitle)
	texts := make([]string, len(lines))
	for i, l := range lines {
		texts[i] = l.Text
	}
	// Statements from outside the text: the readers' properties, and the
	// header fields of a saved page among the first lines.
	props := doc.Properties
	for i := 0; i < len(lines) && i < headLimit; i++ {
		props = append(props, headerFields(lines[i].Text, lines[i].Loc)...)
	}
	// The text readers keep a crawler's 标题 line as text (without its
	// key): it is that property, not the document's own title.
	headerTitle := map[string]bool{}
	for _, p := range props {
		if p.Kind == PropTitle && p.Loc != "" {
			headerTitle[p.Loc+"\x00"+cleanText(p.Value)] = true
		}
	}
	for i := 0; i < len(lines) && i < headLimit; i++ {
		if headerTitle[lines[i].Loc+"\x00"+lines[i].Text] {
			continue
		}
		if t, ok := titleAt(texts, i); ok {
			add(clue{Clue: gongkai.Clue{Source: "title", Loc: lines[i].Loc, Raw: t.raw,
				Organization: t.org, Year: t.year}, rank: rankTitle})
		}
	}

	for _, p := range props {
		for _, c := range propertyClues(p) {
			add(c)
		}
	}
	id.tried = append(id.tried, propertySources(doc)...)

	// The signature block: the organization, then the date, at the end.
	id.tried = append(id.tried, triedSignature)
	if c, ok := signature(lines); ok {
		add(c)
	}

	// Phrases of the body.
	id.tried = append(id.tried, "the body (本报告由…编制, 结合…年…政府信息公开工作实际, 统计期限自…年1月1日)")
	for _, c := range bodyClues(lines, doc.Rendering) {
		add(c)
	}

	id.decide()
	return id
}

// yearText is "2023年", or "" for no year.
func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y) + "年"
}

// propertySources names the places outside the text a rendering has, for
// the list of places tried.
func propertySources(doc *Document) []string {
	switch doc.Rendering {
	case "pdf":
		return []string{"the PDF metadata (Title, Author, Subject)"}
	case "docx":
		return []string{"the DOCX metadata (title, subject, creator, company)"}
	case "html":
		return []string{"the HTML <title>", "the page's header lines (标题/发布机构/发布时间)"}
	}
	return []string{"the crawler's header lines (标题/发布机构/发布时间)"}
}

// title is one report title found in the text.
type title struct {
	org  string
	year int
	raw  string
}

// titleAt reads a report title at lines[i]: on that line alone or, when
// the line breaks inside the title, joined with the next. The organization
// is the one the title names (before the year, or between the year and
// 政府信息公开), else a name on one of the lines just above (or just below,
// in brackets), as when the organization and the year are printed on two
// lines.
func titleAt(lines []string, i int) (title, bool) {
	a := normYears(lines[i])
	l, m := a, titleMatch(a)
	if m == nil && i+1 < len(lines) && strings.Contains(a, "年") && utf8.RuneCountInString(a) < 60 {
		b := normYears(lines[i+1])
		if mm := titleMatch(a + b); mm != nil && mm[0] < len(a) && mm[1] > len(a) {
			l, m = a+b, mm
		}
	}
	if m == nil {
		return title{}, false
	}
	t := title{raw: l[m[0]:m[1]]}
	t.year, _ = strconv.Atoi(l[m[2]:m[3]])
	if mid := l[m[4]:m[5]]; mid != "" {
		t.org = orgName(mid)
	}
	if t.org == "" {
		p := orgPrefix(l[:m[0]])
		if t.org = orgName(p); t.org != "" {
			t.raw = strings.TrimSpace(l[strings.LastIndex(l[:m[0]], p):m[1]])
		}
	}
	for j := i - 1; t.org == "" && j >= 0 && j >= i-3; j-- {
		if t.org = orgName(lines[j]); t.org != "" {
			t.raw = lines[j] + "\n" + t.raw
		} else if j > 0 {
			// a long name broken over two lines
			if t.org = orgName(lines[j-1] + lines[j]); t.org != "" {
				t.raw = lines[j-1] + "\n" + lines[j] + "\n" + t.raw
			}
		}
	}
	if t.org == "" && i+1 < len(lines) {
		if n := strings.TrimSpace(lines[i+1]); strings.HasPrefix(n, "(") && strings.HasSuffix(n, ")") {
			if t.org = orgName(n[1 : len(n)-1]); t.org != "" {
				t.raw += "\n" + n
			}
		}
	}
	return t, true
}

// titleMatch finds a title in l that stands as a title: not inside a
// sentence that cites another document (《…》), and ending where the
// line ends or a separator follows.
//
// The matches are found one at a time (as FindAllStringSubmatchIndex
// would, since titleRE looks at nothing around a match and never matches
// empty text): the first that stands as a title ends the search.
func titleMatch(l string) []int {
	if !strings.Contains(l, "年") || !strings.Contains(l, "公开") || !strings.Contains(l, "报") || !hasYearDigits(l) {
		return nil // titleRE needs all four; most lines lack one
	}
	for pos := 0; pos < len(l); {
		// Every match starts at a year followed by 年 (titleYearAt): the
		// regexp is tried anchored there only, rather than at every byte.
		q := titleYearAt(l, pos)
		if q < 0 {
			break
		}
		m := titleAtRE.FindStringSubmatchIndex(l[q:])
		if m == nil {
			pos = q + 1
			continue
		}
		for k := range m {
			if m[k] >= 0 {
				m[k] += q
			}
		}
		pos = m[1]
		before := l[:m[0]]
		if strings.Count(before, "《") > strings.Count(before, "》") {
			continue
		}
		if m[1] < len(l) {
			r, _ := utf8.DecodeRuneInString(l[m[1]:])
			if !unicode.IsSpace(r) && !strings.ContainsRune("_-|—()（）[]【】:：。.", r) {
				continue
			}
		}
		return m
	}
	return nil
}

// titleAtRE is titleRE anchored at the start of the text.
var titleAtRE = regexp.MustCompile(`^(?:` + titleRE.String() + `)`)

// titleYearAt is the first position from i where titleRE can match: 19 or
// 20, two more digits, blanks (\s) and 年. -1 when there is none.
func titleYearAt(s string, i int) int {
	for ; i+3 < len(s); i++ {
		if !(s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') || !isDigit(s[i+2]) || !isDigit(s[i+3]) {
			continue
		}
		j := i + 4
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\f' || s[j] == '\r') {
			j++
		}
		if strings.HasPrefix(s[j:], "年") {
			return i
		}
	}
	return -1
}

// hasYearDigits says whether s holds 19 or 20 and two more digits, as
// every title's year (titleRE's first group) does.
func hasYearDigits(s string) bool {
	for i := 0; i+3 < len(s); i++ {
		if (s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') && isDigit(s[i+2]) && isDigit(s[i+3]) {
			return true
		}
	}
	return false
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// orgPrefix is what precedes a title's year on its line, cut after the
// last separator ("当前位置： 首页 平潭综合实验区2021年度…" gives 平潭综合实验区)
// and without a trailing 关于.
func orgPrefix(prefix string) string {
	prefix = strings.TrimRight(prefix, " \t")
	prefix = strings.TrimSuffix(prefix, "关于")
	prefix = strings.TrimRight(prefix, " \t")
	if j := strings.LastIndexAny(prefix, "。，,；;:： \t>›»|"); j >= 0 {
		_, size := utf8.DecodeRuneInString(prefix[j:])
		prefix = prefix[j+size:]
	}
	return strings.TrimPrefix(prefix, "关于")
}

// orgName returns s as an organization's name, or "" when it does not look
// like one. Spaces between Chinese characters (letter-spaced headings) are
// dropped; a name that doubles its 政府 before 政府信息公开 and lost it in
// the cut (XX区人民 + 政府信息公开) gets it back; brackets are printed
// full-width, as Chinese names are.
func orgName(s string) string {
	s = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(s), "#*>"))
	s = strings.TrimSuffix(s, "关于")
	s = dropCJKSpaces(s)
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		s = s[1 : len(s)-1]
	}
	switch {
	case looksLikeOrg(s):
	case strings.HasSuffix(s, "人民") && looksLikeOrg(s+"政府"):
		s += "政府"
	default:
		return ""
	}
	return fullWidthBrackets.Replace(s)
}

// Replacers are built once: building one costs more than using it.
var (
	fullWidthBrackets = strings.NewReplacer("(", "（", ")", "）")
	sameOrgNorm       = strings.NewReplacer("人民", "", "（", "(", "）", ")", " ", "")
)

// dropCJKSpaces removes spaces that sit between two Chinese characters.
func dropCJKSpaces(s string) string {
	if !strings.ContainsAny(s, " \t") {
		return s
	}
	r := []rune(s)
	var b strings.Builder
	for i, c := range r {
		if unicode.IsSpace(c) {
			j := i
			for j < len(r) && unicode.IsSpace(r[j]) {
				j++
			}
			if i > 0 && j < len(r) && unicode.Is(unicode.Han, r[i-1]) && unicode.Is(unicode.Han, r[j]) {
				continue
			}
		}
		b.WriteRune(c)
	}
	return b.String()
}

// headerFields reads a saved page's header fields on one line ("标题: …",
// "发布时间: 2020-01-20 15:22", "来源：平潭县人民政府 时间：2022-02-08").
func headerFields(line, loc string) []Property {
	if !hasColon(line) {
		return nil // every key is followed by a colon; most lines have none
	}
	ms := headerKeys(line)
	var out []Property
	for k, m := range ms {
		end := len(line)
		if k+1 < len(ms) {
			end = ms[k+1][0]
		}
		val := strings.TrimSpace(line[m[1]:end])
		key := line[m[2]:m[3]]
		p := Property{Source: key + " line", Loc: loc}
		switch key {
		case "标题":
			p.Kind = PropTitle
		case "发布机构", "发文机关", "发文单位", "信息来源", "来源":
			p.Kind = PropOrg
			// the name ends at the first run of spaces
			if f := strings.Fields(val); len(f) > 0 {
				val = f[0]
			}
		default:
			p.Kind = PropDate
		}
		if val == "" {
			continue
		}
		p.Value = val
		out = append(out, p)
	}
	return out
}

// headerKeyList are the keys of a crawler's or a page's header fields:
// "标题: …", "发布机构：…", "发布时间:2022-01-25", "来源：新九镇党政办".
var headerKeyList = []string{"标题", "发布机构", "发文机关", "发文单位", "信息来源", "来源", "发布时间", "发布日期", "成文日期", "时间"}

// headerKeys finds the header keys of a line, each followed by blanks
// (\s) and a colon: what the regexp headerKeyRE (speed_test.go) finds,
// each match as [start, end, key start, key end], written out: it runs on
// the first lines of every document (a glued text's first line is 16 KiB),
// and the regexp tried its ten alternatives at every byte. Every match
// ends at a colon, and holds no other colon: so the matches are found
// from the colons, in order, each by the key that ends where the blanks
// before it start. Of two keys ending there (时间 and 发布时间, 来源 and
// 信息来源) the regexp takes the one starting first, the longer.
func headerKeys(line string) [][4]int {
	var out [][4]int
	for i := 0; i < len(line); {
		c, size := nextColon(line, i)
		if c < 0 {
			break
		}
		e := c
		for e > 0 && (line[e-1] == ' ' || line[e-1] == '\t' || line[e-1] == '\n' || line[e-1] == '\f' || line[e-1] == '\r') {
			e--
		}
		best := ""
		for _, k := range headerKeyList {
			if len(k) > len(best) && strings.HasSuffix(line[:e], k) {
				best = k
			}
		}
		if best != "" {
			out = append(out, [4]int{e - len(best), c + size, e - len(best), e})
		}
		i = c + size
	}
	return out
}

// nextColon finds the first ':' or '：' at or after i, and its size; -1
// when there is none.
func nextColon(s string, i int) (at, size int) {
	a := strings.IndexByte(s[i:], ':')
	b := strings.Index(s[i:], "：")
	switch {
	case a < 0 && b < 0:
		return -1, 0
	case b < 0 || a >= 0 && a < b:
		return i + a, 1
	}
	return i + b, len("：")
}

// hasColon is strings.ContainsAny(s, ":：") without decoding every rune.
func hasColon(s string) bool {
	return strings.IndexByte(s, ':') >= 0 || strings.Contains(s, "：")
}

// rawHeaderFields reads the header fields among the first lines of a text
// file, which the text readers drop as noise.
func rawHeaderFields(data []byte) []Property {
	return rawHeaderFieldsOf(data, decodedText(data))
}

// rawHeaderMax is how much of a file rawHeaderFields decodes.
const rawHeaderMax = 16 << 10

// rawHeaderFieldsOf is rawHeaderFields given text() = decodeText(data),
// which it takes when data is no longer than the part it reads (then the
// decoding is the same; a longer file's first part is decoded on its own,
// as before, since its encoding is judged on that part alone).
func rawHeaderFieldsOf(data []byte, text func() string) []Property {
	var s string
	if len(data) > rawHeaderMax {
		s = decodeText(data[:rawHeaderMax])
	} else {
		s = text()
	}
	return rawHeaderFieldsText(s)
}

// rawHeaderFieldsText is rawHeaderFields on decoded text.
func rawHeaderFieldsText(text string) []Property {
	var out []Property
	// The first 30 lines of splitTextLines(data), without splitting the
	// rest; a line is only named once it may hold a field.
	for i := range 30 {
		l, rest, more := strings.Cut(text, "\n")
		if l = foldWidth(l); hasColon(l) {
			out = append(out, headerFields(l, lineLoc(i))...)
		}
		if !more {
			break
		}
		text = rest
	}
	return out
}

// propertyClues turns a property into clues.
func propertyClues(p Property) []clue {
	var out []clue
	v := cleanText(p.Value)
	switch p.Kind {
	case PropTitle:
		// A page <title> often adds the site: "…年度报告_泽库镇人民政府".
		var site string
		parts := strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune("_|—-", r) })
		for _, part := range parts {
			part = strings.TrimSpace(part)
			if t, ok := titleAt([]string{part}, 0); ok {
				out = append(out, clue{Clue: gongkai.Clue{Source: p.Source, Loc: p.Loc, Raw: p.Value,
					Organization: t.org, Year: t.year}, rank: rankTitleProp})
			} else if site == "" {
				site = orgName(part)
			}
		}
		if site != "" {
			out = append(out, clue{Clue: gongkai.Clue{Source: p.Source + " (site name)", Loc: p.Loc,
				Raw: p.Value, Organization: site}, rank: rankPublisher})
		}
	case PropOrg:
		if o := orgName(v); o != "" {
			out = append(out, clue{Clue: gongkai.Clue{Source: p.Source, Loc: p.Loc, Raw: p.Value,
				Organization: o}, rank: rankPublisher})
		}
	case PropDate:
		d, ok := footDate(v)
		raw := v
		if !ok {
			if m := isoDateRE.FindStringSubmatch(v); m != nil {
				y, _ := strconv.Atoi(m[1])
				mo, _ := strconv.Atoi(m[2])
				dd, _ := strconv.Atoi(m[3])
				d, ok = validDate(y, mo, dd)
				raw = m[0]
			}
		}
		if ok {
			out = append(out, clue{Clue: gongkai.Clue{Source: p.Source, Loc: p.Loc, Raw: raw,
				Published: d}, rank: rankPublisher})
		}
	}
	return out
}

// signature finds the date at the foot of the report and the organization
// signed with it: before the date on the same line, on a line just above
// (a seal note such as （盖章） may sit between), or just below when the
// date comes first.
func signature(lines []Line) (clue, bool) {
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-footLimit; i-- {
		l := lines[i].Text
		d, at, ok := footDateAt(l)
		if !ok {
			continue
		}
		if strings.ContainsAny(l[:at], ":：") {
			continue // 发布日期：…, a page's furniture
		}
		c := clue{Clue: gongkai.Clue{Source: "signature", Loc: lines[i].Loc, Raw: l, Published: d}, rank: rankSignature}
		if o := orgName(orgPrefix(l[:at])); o != "" {
			c.Organization = o
		}
		for j := i - 1; c.Organization == "" && j >= 0 && j >= i-2; j-- {
			if o := orgName(lines[j].Text); o != "" {
				c.Organization = o
				c.Raw = lines[j].Text + "\n" + l
				c.Loc = lines[j].Loc
			}
		}
		if c.Organization == "" && i+1 < len(lines) {
			if o := orgName(lines[i+1].Text); o != "" {
				c.Organization = o
				c.Raw = l + "\n" + lines[i+1].Text
			}
		}
		return c, true
	}
	return clue{}, false
}

// bodyClues reads the phrases of the body that name the organization or
// the year. A PDF wraps its paragraphs into lines, so there the lines are
// joined before the phrases are looked for; elsewhere a line is a
// paragraph.
func bodyClues(lines []Line, rendering string) []clue {
	sep := "\n"
	if rendering == "pdf" {
		sep = ""
	}
	var text strings.Builder
	starts := make([]int, len(lines))
	for i, l := range lines {
		if i > 0 {
			text.WriteString(sep)
		}
		starts[i] = text.Len()
		text.WriteString(normYears(l.Text))
	}
	t := text.String()
	locAt := func(off int) string {
		i := sort.SearchInts(starts, off+1) - 1
		if i < 0 {
			return ""
		}
		return lines[i].Loc
	}
	var out []clue
	for _, m := range reportByRE.FindAllStringSubmatchIndex(t, -1) {
		name := t[m[2]:m[3]]
		e := reportByEnd.FindStringIndex(name)
		if e == nil {
			continue
		}
		if o := orgName(name[:e[0]]); o != "" {
			out = append(out, clue{Clue: gongkai.Clue{Source: "body text", Loc: locAt(m[0]), Raw: t[m[0] : m[2]+e[1]], Organization: o}, rank: rankBody})
			break
		}
	}
	if m := combineRE.FindStringSubmatchIndex(t); m != nil {
		y, _ := strconv.Atoi(t[m[2]:m[3]])
		out = append(out, clue{Clue: gongkai.Clue{Source: "body text", Loc: locAt(m[0]), Raw: t[m[0]:m[1]],
			Organization: orgName(t[m[4]:m[5]]), Year: y}, rank: rankBody})
	}
	if m := periodRE.FindStringSubmatchIndex(t); m != nil {
		y, _ := strconv.Atoi(t[m[2]:m[3]])
		out = append(out, clue{Clue: gongkai.Clue{Source: "statistics period", Loc: locAt(m[0]), Raw: t[m[0]:m[1]], Year: y}, rank: rankBody})
	}
	return out
}

// decide picks organization, year and date from the clues, most trusted
// first (the order found breaks ties), and names the disagreements.
func (id *reportID) decide() {
	best := func(ok func(clue) bool) *clue {
		var b *clue
		for i := range id.clues {
			c := &id.clues[i]
			if ok(*c) && (b == nil || c.rank < b.rank) {
				b = c
			}
		}
		return b
	}
	if c := best(func(c clue) bool { return c.Organization != "" }); c != nil {
		id.organization, id.orgFrom = c.Organization, c
		c.Used = true
	}
	if c := best(func(c clue) bool { return c.Year != 0 }); c != nil {
		id.year, id.yearFrom = c.Year, c
		c.Used = true
	}
	// The date at the foot is the publication date; a page's 发布时间 only
	// stands in for the year.
	if c := best(func(c clue) bool { return c.Published != "" && c.rank == rankSignature }); c != nil {
		id.published, id.dateFrom = c.Published, c
		c.Used = true
	}
	if id.year == 0 {
		// A report covers the year before it is published (the 条例 asks
		// for it by 31 January); a date in the first half of a year is
		// taken to publish the year before, later dates say nothing sure.
		if c := best(func(c clue) bool { return c.Published != "" }); c != nil {
			y, _ := strconv.Atoi(c.Published[:4])
			mo, _ := strconv.Atoi(c.Published[5:7])
			if mo <= 6 {
				id.year, id.yearFrom, id.yearFromDate = y-1, c, true
				c.Used = true
				id.findings = append(id.findings, readCoded(gongkai.Paths{"report_year"}, msg.ReadYearFromDate,
					msg.A("year", y-1, "date", c.Published, "src", c.Clue.String())))
			}
		}
	}
	seen := map[string]bool{}
	for _, c := range id.clues {
		if c.rank >= rankPublisher {
			continue
		}
		if id.orgFrom != nil && c.Organization != "" && !sameOrg(c.Organization, id.organization) {
			f := readCoded(gongkai.Paths{"organization"}, msg.ReadOrgDisagree, msg.A("src", id.orgFrom.Clue.String(),
				"org", id.organization, "other_src", c.Clue.String(), "other", c.Organization))
			if !seen[f.Message] {
				seen[f.Message] = true
				id.findings = append(id.findings, f)
			}
		}
		if id.yearFrom != nil && c.Year != 0 && c.Year != id.year {
			f := readCoded(gongkai.Paths{"report_year"}, msg.ReadYearDisagree, msg.A("src", id.yearFrom.Clue.String(),
				"year", id.year, "other_src", c.Clue.String(), "other", c.Year))
			if !seen[f.Message] {
				seen[f.Message] = true
				id.findings = append(id.findings, f)
			}
		}
	}
}

// sameOrg says whether two names can name the same organization: one
// contains the other once 人民 is dropped (泽库镇 and 威海市文登区泽库镇人民
// 政府, 文登区政府 and 文登区人民政府, an office and its government).
func sameOrg(a, b string) bool {
	norm := func(s string) string {
		s = sameOrgNorm.Replace(s)
		return s
	}
	a, b = norm(a), norm(b)
	return strings.Contains(a, b) || strings.Contains(b, a)
}

// apply puts the identity's findings and provenance on the report.
func (id reportID) apply(r *gongkai.Report) {
	r.Findings = append(r.Findings, id.findings...)
	if r.Provenance == nil {
		r.Provenance = map[string]gongkai.Source{}
	}
	for path, c := range map[string]*clue{"organization": id.orgFrom, "report_year": id.yearFrom, "published_on": id.dateFrom} {
		if c != nil {
			r.Provenance[path] = gongkai.Source{Loc: c.Clue.String(), Raw: c.Raw}
		}
	}
}

// publicClues returns the clues for Parsed.Clues, in the order found.
func (id reportID) publicClues() []gongkai.Clue {
	out := make([]gongkai.Clue, len(id.clues))
	for i, c := range id.clues {
		out[i] = c.Clue
	}
	return out
}

// missing returns the error for an identity without organization or year:
// what is missing and every place looked at. nil when both are known.
func (id reportID) missing() error {
	var what []string
	if id.organization == "" {
		what = append(what, "no organization")
	}
	if id.year == 0 {
		what = append(what, "no year")
	}
	if len(what) == 0 {
		return nil
	}
	tried := append([]string(nil), id.tried...)
	if len(id.clues) == 0 || id.clues[0].rank != rankGiven {
		tried = append(tried, "no --organization/--year or manifest entry given")
	}
	msg := strings.Join(what, " and ") + " found; tried " + strings.Join(tried, ", ")
	var found []string
	for _, c := range id.clues {
		switch {
		case c.Organization != "" && id.organization == "":
			found = append(found, fmt.Sprintf("%s names only %s", c.Clue, c.Organization))
		case c.Year != 0 && id.year == 0:
			found = append(found, fmt.Sprintf("%s says only %d", c.Clue, c.Year))
		case c.Published != "" && id.year == 0:
			found = append(found, fmt.Sprintf("%s has only the date %s", c.Clue, c.Published))
		}
	}
	if len(found) > 0 {
		msg += " (" + strings.Join(found, "; ") + ")"
	}
	return fmt.Errorf("%w: %s", gongkai.ErrNoIdentity, msg)
}
