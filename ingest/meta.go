package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongkai"
)

// meta is what the prose of a report says about it.
type meta struct {
	organization string
	year         int
	published    string
	narrative    map[string]gongkai.Num
	// id holds where organization, year and date came from, the
	// other clues and the findings on their disagreements.
	id reportID
}

// periodRE is a year stated by the statistics period: "统计期限自2019年1月1日起".
var periodRE = regexp.MustCompile(`统计(?:期限|时限|期间|时间)[^。\n]{0,8}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日`)

// dateRE is a date written in digits: "2024年1月22日".
var dateRE = regexp.MustCompile(`(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`)

// cnDateRE is a date in Chinese numerals: "二〇二四年一月二十二日".
var cnDateRE = regexp.MustCompile(`([〇零○OＯ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日`)

// orgSuffixes end the names of the bodies that write reports.
var orgSuffixes = []string{"政府", "办事处", "局", "委员会", "委", "办公室", "办", "管委会", "实验区", "中心", "厅", "院", "所", "站", "队", "部", "处", "街道", "镇", "乡", "苏木", "区", "县", "旗", "市", "州", "盟", "会", "馆", "社", "署"}

// narrativePattern finds one count of section 一 (总体情况). The first
// pattern of a key that matches wins.
type narrativePattern struct {
	key string
	re  *regexp.Regexp
	// zero: the pattern states that there were none (未收到...申请).
	zero bool
	// need is what every match of re contains: from each group at least
	// one string. A sentence without it is not searched.
	need [][]string
}

// Narrative keys. Each is a count stated in the prose of section 一:
//
//   - disclosed_items: government information items proactively disclosed
//     in the year (公开政府信息532条, 共公布政府信息2599条, 主动公开信息25条).
//   - wechat_posts: messages published on the body's WeChat official
//     account (微信公众号发布消息357条).
//   - new_media_reports: reports published through other new media
//     (学习强国、…等新媒体发表报道101篇).
//   - website_posts: items published on the government website
//     (通过…人民政府网站发布动态政务信息75篇).
//   - requests_received: information-disclosure requests received in the
//     year (收到/受理/新收政府信息公开申请X件; 未收到政府信息公开申请 = 0);
//     rule R8 compares it with applications.1_new.total.
var narrativePatterns = []narrativePattern{
	{key: "disclosed_items", re: regexp.MustCompile(`(?:主动)?(?:公开|公布|发布)(?:政府)?信息(?:共)?(\d[\d,]*)\s*条`),
		need: [][]string{{"信息"}, {"条"}}},
	{key: "wechat_posts", re: regexp.MustCompile(`微信(?:公众号|公众平台|平台)?[^，。；,;]{0,20}?(?:发布|推送|公开)(?:消息|信息|推文|文章)?(?:共)?(\d[\d,]*)\s*条`),
		need: [][]string{{"微信"}, {"条"}}},
	{key: "new_media_reports", re: regexp.MustCompile(`新媒体[^，。；,;]{0,20}?(?:发表|发布|刊发)?(?:报道|信息|稿件|文章)?(?:共)?(\d[\d,]*)\s*篇`),
		need: [][]string{{"新媒体"}, {"篇"}}},
	{key: "website_posts", re: regexp.MustCompile(`网站[^，。；,;]{0,30}?(?:发布|公开|更新)[^，。；,;]{0,12}?(\d[\d,]*)\s*(?:篇|条)`),
		need: [][]string{{"网站"}, {"篇", "条"}}},
	{key: "requests_received", re: regexp.MustCompile(`未(?:收到|受理)(?:任何)?(?:政府信息公开|依申请公开|信息公开)[^，。；,;]{0,6}?申请`), zero: true,
		need: [][]string{{"未收到", "未受理"}, {"申请"}}},
	{key: "requests_received", re: regexp.MustCompile(`(?:收到|受理|新收)[^，。；,;]{0,20}?申请[^，。；,;\d]{0,10}?(\d[\d,]*)\s*(?:件|条)`),
		need: [][]string{{"收到", "受理", "新收"}, {"申请"}, {"件", "条"}}},
	{key: "requests_received", re: regexp.MustCompile(`(?:收到|受理|新收)(?:各类|政府信息公开|依申请公开)?(\d[\d,]*)\s*件(?:政府信息公开|依申请公开)?申请`),
		need: [][]string{{"收到", "受理", "新收"}, {"件"}, {"申请"}}},
}

// firstNarrative is the first of p.re's matches in text (in the order of
// FindAllStringSubmatchIndex) that accept takes, as submatch indexes into
// text; nil when none is.
//
// No pattern's match holds a 。 (none has a class or a \s that takes it),
// so every match lies within one sentence: the sentences are searched in
// order, and only those holding what every match needs (p.need), instead
// of the regexp stepping through all of section 一 for each pattern (most
// of readNarrative's cost). Within a sentence the matches are the ones the
// whole text gives there: the patterns look at nothing around a match.
func firstNarrative(p narrativePattern, text string, accept func(loc []int) bool) []int {
	for start := 0; start <= len(text); {
		end := strings.Index(text[start:], "。")
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		if sentence := text[start:end]; hasNeeds(sentence, p.need) {
			for pos := 0; pos < len(sentence); {
				loc := p.re.FindStringSubmatchIndex(sentence[pos:])
				if loc == nil {
					break
				}
				for k := range loc {
					if loc[k] >= 0 {
						loc[k] += start + pos
					}
				}
				if accept(loc) {
					return loc
				}
				pos = loc[1] - start // no pattern matches empty text
			}
		}
		start = end + len("。")
	}
	return nil
}

// hasNeeds says whether s holds a string of every group of need.
func hasNeeds(s string, need [][]string) bool {
	for _, g := range need {
		found := false
		for _, n := range g {
			if strings.Contains(s, n) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// joinAtMost is strings.Join(elems, sep) cut to at most n bytes (at a
// rune boundary), without building more than it returns.
func joinAtMost(elems []string, sep string, n int) string {
	var b strings.Builder
	for i, e := range elems {
		if i > 0 {
			b.WriteString(sep)
		}
		if b.Len()+len(e) >= n {
			b.WriteString(cutAtRune(e, n-b.Len()))
			break
		}
		b.WriteString(e)
	}
	return cutAtRune(b.String(), n)
}

// cutAtRune returns the longest prefix of s of at most n bytes that does
// not split a UTF-8 sequence.
func cutAtRune(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// readMeta reads the organization, report year, publication date and the
// narrative counts from the document (identity.go decides the first three
// from every place the document states them). What it cannot find stays
// empty (zero year, empty strings, absent narrative keys): it never
// guesses.
func readMeta(doc *Document) meta {
	lines := make([]Line, 0, len(doc.Lines))
	texts := make([]string, 0, len(doc.Lines))
	for _, l := range doc.Lines {
		t := cleanText(l.Text)
		if t != "" {
			lines = append(lines, Line{Text: t, Loc: l.Loc})
			texts = append(texts, t)
		}
	}
	id := readIdentity(doc, lines)
	doc.id = &id
	return meta{
		organization: id.organization,
		year:         id.year,
		published:    id.published,
		narrative:    readNarrative(texts),
		id:           id,
	}
}

// applyMeta puts what the prose says on the report: identity, date,
// narrative counts, the identity's findings and where each came from.
func applyMeta(r *gongkai.Report, m meta) {
	r.Organization = m.organization
	r.ReportYear = m.year
	r.PublishedOn = m.published
	for k, n := range m.narrative {
		r.Narrative[k] = n
	}
	m.id.apply(r)
}

// footDate reads a date that ends a line (the foot of a report), in digits
// or Chinese numerals, as "2006-01-02".
func footDate(l string) (string, bool) {
	d, _, ok := footDateAt(l)
	return d, ok
}

// footDateAt is footDate that also returns where in l the date starts.
func footDateAt(l string) (date string, at int, ok bool) {
	tail, off := l, 0
	if utf8.RuneCountInString(l) > 60 {
		// the last 60 runes, sliced off the end ([]rune(l) cost four
		// bytes a rune: 76 MB for a 60 MB one-paragraph page)
		i := len(l)
		for range 60 {
			_, size := utf8.DecodeLastRuneInString(l[:i])
			i -= size
		}
		tail, off = l[i:], i
	}
	if !strings.Contains(tail, "年") {
		return "", 0, false // both date patterns need 年
	}
	if all := dateRE.FindAllStringSubmatchIndex(tail, -1); len(all) > 0 {
		m := all[len(all)-1]
		y, _ := strconv.Atoi(tail[m[2]:m[3]])
		mo, _ := strconv.Atoi(tail[m[4]:m[5]])
		d, _ := strconv.Atoi(tail[m[6]:m[7]])
		date, ok := validDate(y, mo, d)
		return date, off + m[0], ok
	}
	if m := cnDateRE.FindStringSubmatchIndex(tail); m != nil {
		y := 0
		for _, r := range tail[m[2]:m[3]] {
			y = y*10 + cnDigit(r)
		}
		date, ok := validDate(y, cnNumber(tail[m[4]:m[5]]), cnNumber(tail[m[6]:m[7]]))
		return date, off + m[0], ok
	}
	return "", 0, false
}

func validDate(y, mo, d int) (string, bool) {
	if y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, mo, d), true
}

// cnDigit reads one digit of a year in Chinese numerals (二〇二四, 二零二四;
// the zero is also printed as ○ or a letter O).
func cnDigit(r rune) int {
	switch r {
	case '〇', '零', '○', 'O', 'Ｏ':
		return 0
	}
	return strings.IndexRune("〇一二三四五六七八九", r) / 3 // 3 bytes per rune
}

// cnNumber reads 1–31 in Chinese numerals: 一, 十, 十二, 二十二, 三十一.
func cnNumber(s string) int {
	r := []rune(s)
	digit := func(c rune) int {
		i := strings.IndexRune("零一二三四五六七八九", c)
		if i < 0 {
			return 0
		}
		return i / 3
	}
	switch len(r) {
	case 1:
		if r[0] == '十' {
			return 10
		}
		return digit(r[0])
	case 2:
		if r[0] == '十' {
			return 10 + digit(r[1])
		}
		if r[1] == '十' {
			return digit(r[0]) * 10
		}
	case 3:
		if r[1] == '十' {
			return digit(r[0])*10 + digit(r[2])
		}
	}
	return 0
}

// looksLikeOrg accepts a short text that ends like the name of a body and
// carries no URL, colon, date or sentence; a bracketed alias at its end
// (银川市民族事务委员会（宗教事务局）) is allowed.
func looksLikeOrg(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 3 || n > 40 || strings.ContainsAny(s, ":：/。，,;；0123456789 《》\"“”") {
		return false
	}
	for _, w := range notOrgWords {
		if strings.Contains(s, w) {
			return false
		}
	}
	if strings.HasSuffix(s, ")") || strings.HasSuffix(s, "）") {
		i := strings.LastIndexAny(s, "(（")
		if i <= 0 {
			return false
		}
		s = s[:i]
	}
	if genericNames[s] {
		return false
	}
	for _, suf := range orgSuffixes {
		if strings.HasSuffix(s, suf) && s != suf {
			return true
		}
	}
	return false
}

// genericNames end like a body's name but name no body: the second half of
// a name broken over two lines, or a word of the text.
var genericNames = map[string]bool{"人民政府": true, "人民政府办公室": true, "街道办事处": true, "办事处": true,
	"管委会": true, "委员会": true, "本单位": true, "本部门": true, "我单位": true, "各部门": true, "本级政府": true}

// notOrgWords occur in lines that end like a body's name but are not one.
var notOrgWords = []string{"报告", "信息公开工作", "本机关", "情况", "根据", "当前位置", "首页", "附件", "主办", "承办", "版权", "网站"}

var (
	sec1Start = regexp.MustCompile(`一\s*[、.．]\s*总体情况`)
	sec1End   = regexp.MustCompile(`二\s*[、.．]\s*主动公开`)
)

// What readNarrative looks at. Section 一 (总体情况) opens a report, after
// its title and preface, and is a few thousand characters long; a whole
// report's prose is rarely more than 30 KB. Without the bound, a document
// with no section markers had the narrative patterns run over all its text:
// a 60 MB page in one paragraph took 9 s of CPU and 548 MiB (issue 11).
// Cutting the text can lose a count past the window but never misread
// one: every pattern that yields a number needs the unit (条, 篇, 件) after
// its digits, and the zero pattern needs its closing 申请, so a cut inside
// a statement leaves it unmatched.
const (
	// narrativeHead is how far into the prose section 一 is looked for.
	narrativeHead = 1 << 20
	// narrativeSpan is how much text after its start (or from the top of
	// a document without the heading) the patterns read.
	narrativeSpan = 256 << 10
)

// readNarrative finds the counts of narrativePatterns in section 一.
func readNarrative(lines []string) map[string]gongkai.Num {
	out := map[string]gongkai.Num{}
	text := joinAtMost(lines, "\n", narrativeHead)
	if loc := sec1Start.FindStringIndex(text); loc != nil {
		text = text[loc[1]:]
	}
	text = cutAtRune(text, narrativeSpan)
	if loc := sec1End.FindStringIndex(text); loc != nil {
		text = text[:loc[0]]
	}
	for _, p := range narrativePatterns {
		if _, done := out[p.key]; done {
			continue
		}
		loc := firstNarrative(p, text, func(loc []int) bool {
			// "依申请公开信息3条" counts requests, not disclosed items.
			if p.key == "disclosed_items" && strings.HasSuffix(text[:loc[0]], "申请") {
				return false
			}
			// Requests for review, litigation, deputies' proposals are not
			// information-disclosure requests.
			m := text[loc[0]:loc[1]]
			return !strings.Contains(m, "复议") && !strings.Contains(m, "诉讼") &&
				!strings.Contains(m, "建议") && !strings.Contains(m, "提案")
		})
		if loc == nil {
			continue
		}
		s := make([]string, len(loc)/2)
		for k := range s {
			if loc[2*k] >= 0 {
				s[k] = text[loc[2*k]:loc[2*k+1]]
			}
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
