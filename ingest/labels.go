package ingest

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"gongkai"
)

// bookmarkRE matches the "[bookmark: _Hlk66973412]" markers that Word
// leaves in its text export.
var bookmarkRE = regexp.MustCompile(`\[bookmark:[^\]]*\]`)

// foldWidth turns full-width ASCII (digits, brackets, punctuation) and the
// ideographic space into their half-width forms, and the minus-like signs
// into '-'. Chinese characters are left alone.
//
// Nearly every text it sees (every cell and line, several times) folds to
// itself: it looks for a rune to fold first, stepping over ASCII and the
// common CJK block without decoding, and returns s itself when there is
// none. Invalid UTF-8 takes the strings.Map path too, which writes it as
// U+FFFD.
func foldWidth(s string) string {
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			i++
			continue
		}
		// U+4000–U+9FFF (lead bytes E4–E9 need no range check on their
		// continuation bytes): no rune there folds.
		if b >= 0xE4 && b <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return strings.Map(foldRune, s)
		}
		if foldRune(r) != r {
			return foldFrom(s, i)
		}
		i += size
	}
	return s
}

// foldFrom is foldWidth of s, whose first rune to fold is at i: the rest
// copied run by run (prose folds its full-width commas and stops). Every
// folded rune is ASCII, so the result is never longer than s.
func foldFrom(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			b.WriteByte(c)
			i++
			continue
		}
		if c >= 0xE4 && c <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			b.WriteString(s[i : i+3])
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return strings.Map(foldRune, s) // writes invalid bytes as U+FFFD
		}
		if f := foldRune(r); f != r {
			b.WriteByte(byte(f))
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// foldRune is foldWidth on one rune.
func foldRune(r rune) rune {
	switch {
	case r < 0x80:
		return r
	case r >= '！' && r <= '～':
		return r - 0xFEE0
	case r == '\u3000' || r == '\u00a0' || r == '\u2002' || r == '\u2003' || r == '\u2009' || r == '\u200b' || r == '\ufeff':
		return ' '
	case r == '−' || r == '﹣':
		return '-'
	case r == '〔' || r == '【' || r == '［':
		return '['
	case r == '〕' || r == '】' || r == '］':
		return ']'
	}
	return r
}

// cleanText removes Word bookmarks, folds widths and trims spaces: the
// text of a cell as the recognizer compares and parses it.
func cleanText(s string) string {
	return strings.TrimSpace(foldWidth(dropBookmarks(s)))
}

// dropBookmarks removes Word bookmarks. Most text has none, and a regexp
// replacement costs even when nothing matches: this runs on every cell.
func dropBookmarks(s string) string {
	if !strings.Contains(s, "[bookmark:") {
		return s
	}
	return bookmarkRE.ReplaceAllString(s, "")
}

// normLabel is the form labels are compared in: bookmarks removed, widths
// folded, and every space, line break and punctuation mark dropped, so
// "（三）不予公开 1.属于国家秘密", "(三)不予公开\n1、属于国家秘密" and
// "三不予公开1属于国家秘密" compare equal. Digits and Chinese stay.
func normLabel(s string) string {
	s = foldWidth(dropBookmarks(s))
	// Most labels keep every rune: return s itself then, without copying.
	keep := 0
	for keep < len(s) {
		r, size := utf8.DecodeRuneInString(s[keep:])
		if dropInLabel(r) { // an invalid byte decodes as U+FFFD, a symbol: dropped
			break
		}
		keep += size
	}
	if keep == len(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:keep]...)
	for _, r := range s[keep:] {
		if dropInLabel(r) {
			continue
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

// dropInLabel says whether normLabel drops r: spaces, punctuation and
// symbols. ASCII letters and digits and the CJK ideographs, nearly every
// rune of a label, are answered without the Unicode tables.
func dropInLabel(r rune) bool {
	switch {
	case r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= 0x4E00 && r <= 0x9FFF:
		return false
	}
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// labelRule maps a label to a cell row. keys are substrings of the
// normalized label (all must occur); the first rule that matches wins, so
// longer, more specific rules come first.
type labelRule struct {
	section string
	key     string
	all     []string
	// suffix, when set, must end the normalized label (used for short
	// labels such as "3.其他" and "（六）其他处理" that would otherwise
	// match inside longer text).
	suffix string
}

// Section 三 rows. Known typos and variants are written as extra rules.
var applicationRules = []labelRule{
	{gongkai.SecApplications, "1_new", []string{"本年新收"}, ""},
	{gongkai.SecApplications, "1_new", []string{"新收政府信息公开申请"}, ""},
	{gongkai.SecApplications, "2_carried_over", []string{"上年结转"}, ""},
	{gongkai.SecApplications, "2_carried_over", []string{"上年度结转"}, ""},
	{gongkai.SecApplications, "2_carried_over", []string{"上一年度结转"}, ""},
	{gongkai.SecApplications, "4_carried_forward", []string{"结转下"}, ""},
	{gongkai.SecApplications, "4_carried_forward", []string{"结转至下"}, ""},
	{gongkai.SecApplications, "3_1_disclosed", []string{"予以公开"}, ""},
	{gongkai.SecApplications, "3_2_partially", []string{"部分公开"}, ""},
	{gongkai.SecApplications, "3_3_1", []string{"国家秘密"}, ""},
	{gongkai.SecApplications, "3_3_2", []string{"法律行政法规禁止公开"}, ""},
	{gongkai.SecApplications, "3_3_2", []string{"禁止公开"}, ""},
	{gongkai.SecApplications, "3_3_3", []string{"三安全一稳定"}, ""},
	{gongkai.SecApplications, "3_3_4", []string{"第三方合法权益"}, ""},
	{gongkai.SecApplications, "3_3_5", []string{"内部事务"}, ""},
	{gongkai.SecApplications, "3_3_6", []string{"过程性信息"}, ""},
	{gongkai.SecApplications, "3_3_7", []string{"行政执法案卷"}, ""},
	{gongkai.SecApplications, "3_3_8", []string{"行政查询事项"}, ""},
	{gongkai.SecApplications, "3_4_1", []string{"不掌握"}, ""},
	{gongkai.SecApplications, "3_4_2", []string{"没有现成信息"}, ""},
	{gongkai.SecApplications, "3_4_2", []string{"另行制作"}, ""},
	{gongkai.SecApplications, "3_4_3", []string{"仍不明确"}, ""},
	{gongkai.SecApplications, "3_4_3", []string{"补正后"}, ""},
	{gongkai.SecApplications, "3_5_1", []string{"信访举报投诉"}, ""},
	{gongkai.SecApplications, "3_5_4", []string{"大量反复申请"}, ""},
	{gongkai.SecApplications, "3_5_2", []string{"重复申请"}, ""},
	{gongkai.SecApplications, "3_5_3", []string{"公开出版物"}, ""},
	{gongkai.SecApplications, "3_5_5", []string{"确认或重新出具"}, ""},
	{gongkai.SecApplications, "3_6_1", []string{"逾期不补正"}, ""},
	{gongkai.SecApplications, "3_6_2", []string{"收费通知"}, ""},
	{gongkai.SecApplications, "3_6_2", []string{"缴纳费用"}, ""},
	{gongkai.SecApplications, "3_6_3", nil, "3其他"},
	{gongkai.SecApplications, "3_6", nil, "六其他处理"},
	{gongkai.SecApplications, "3_7_total", nil, "七总计"},
}

// Section 二 items. 行政规范性文件 must come before 规范性文件.
var activeRules = []labelRule{
	{gongkai.SecActive, "regulations", nil, "规章"},
	{gongkai.SecActive, "normative_documents", []string{"规范性文件"}, ""},
	{gongkai.SecActive, "licensing", nil, "行政许可"},
	{gongkai.SecActive, "other_services", []string{"其他对外管理服务事项"}, ""},
	{gongkai.SecActive, "punishment", nil, "行政处罚"},
	{gongkai.SecActive, "enforcement", nil, "行政强制"},
	{gongkai.SecActive, "fees", []string{"行政事业性收费"}, ""},
	{gongkai.SecActive, "procurement", []string{"政府集中采购"}, ""},
}

// Section 四 blocks (header labels; the values sit in one row of 15).
var reviewRules = []labelRule{
	{gongkai.SecReview, gongkai.ReviewBlockDirect, []string{"未经复议直接起诉"}, ""},
	{gongkai.SecReview, gongkai.ReviewBlockAfter, []string{"复议后起诉"}, ""},
	{gongkai.SecReview, gongkai.ReviewBlockReview, nil, "行政复议"},
	{gongkai.SecReview, gongkai.ReviewBlockReview, nil, "行政法复议"},
}

func (r labelRule) match(n string) bool {
	if r.suffix != "" && !strings.HasSuffix(n, r.suffix) {
		return false
	}
	if r.suffix != "" && len(r.all) == 0 && r.section != gongkai.SecApplications {
		// A bare item name must be the whole label, optionally after a
		// numbering: "规章" matches "规章" and "1规章", not "部门规章".
		rest := strings.TrimSuffix(n, r.suffix)
		if strings.TrimLeft(rest, "0123456789一二三四五六七八九十") != "" {
			return false
		}
	}
	for _, k := range r.all {
		if !strings.Contains(n, k) {
			return false
		}
	}
	return true
}

// matchRowLabel maps the text of a row label to its cell row. It returns
// the section (gongkai.SecActive, SecApplications or SecReview) and the
// item, row or block key, and ok=false when the text is no known label.
//
// The label may carry its group and numbering, in any bracket width and
// with spaces or line breaks: "（三）不予公开 1.属于国家秘密" and "1.属于国家
// 秘密" both give ("applications", "3_3_1"). Keys of both layouts are
// returned: "（六）其他处理" alone gives "3_6" (2019 only), the caller
// decides whether the report's layout has that row. Section 四 labels give
// the block key ("行政复议" → "review"). Bare "总计" and "其他" are not
// matched, because they are column headers too; "（七）总计" and "3.其他"
// are.
//
// The glued-text reader uses it too; keep the name and contract stable.
func matchRowLabel(label string) (section, key string, ok bool) {
	n := normLabel(label)
	if n == "" {
		return "", "", false
	}
	for _, set := range [][]labelRule{applicationRules, activeRules, reviewRules} {
		for _, r := range set {
			if r.match(n) {
				return r.section, r.key, true
			}
		}
	}
	return "", "", false
}

// Version hints: labels only one layout uses. Each is a substring of the
// normalized label.
var (
	hints2019 = []string{"本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增减", "其他对外管理服务事项", "政府集中采购", "采购项目数量", "采购总金额"}
	hints2021 = []string{"本年制发件数", "本年废止件数", "现行有效件", "本年收费金额", "行政规范性文件", "逾期不补正", "收费通知", "缴纳费用"}
)

// headerHints are the hints that are column headers: matched allowing one
// misspelled character (fuzzyContains). Row labels among the hints are
// matched exactly, since a row label one character off may be another
// layout's (规范性文件 and 行政规范性文件).
var headerHints = map[string]bool{
	"本年新制作数量": true, "本年新公开数量": true, "对外公开总数量": true, "上一年项目数量": true,
	"采购项目数量": true, "采购总金额": true, "本年制发件数": true, "本年废止件数": true, "本年收费金额": true,
}

func hintIn(n, h string) bool {
	if headerHints[h] {
		return fuzzyContains(n, h)
	}
	return strings.Contains(n, h)
}

// versionHints scores a label for each layout.
func versionHints(n string) (v2019, v2021 int) {
	for _, h := range hints2019 {
		if hintIn(n, h) {
			v2019++
		}
	}
	for _, h := range hints2021 {
		if hintIn(n, h) {
			v2021++
		}
	}
	return v2019, v2021
}

// sectionMarker says which table a label belongs to even when it is no
// row label: headers and block titles. 0 when it says nothing.
func sectionMarker(n string) int {
	switch {
	case strings.Contains(n, "第二十条"), n == "信息内容":
		return 2
	case fuzzyContains(n, "申请人情况"), n == "自然人", strings.Contains(n, "勾稽关系"):
		return 3
	case strings.Contains(n, "行政复议"), strings.Contains(n, "行政法复议"), strings.Contains(n, "行政诉讼"),
		fuzzyContains(n, "结果维持"), fuzzyContains(n, "复议后起诉"):
		return 4
	}
	return 0
}

// Labels as printed. Real tables misspell labels: a character dropped,
// added, doubled or swapped, or several dropped (其他法律行政止公开 for
// 其他法律行政法规禁止公开, FORMAT.md §8). The rules above know the
// official wording and the typos seen so far; a row label that none of them
// matches is resolved by resolveLabel from three things: how close it is
// to each official label, where it stands among the rows already known
// (its neighbours), and which table it is in (its section).

// labelSimilarity is how much of the official label the printed one keeps,
// in 0..1: the longest common subsequence of their normalized forms over
// the longer of the two, so a dropped, added or swapped character costs
// about one character's share, and a label of another row scores low.
func labelSimilarity(printed, official string) float64 {
	a, b := []rune(normLabel(printed)), []rune(normLabel(official))
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	return float64(lcsLen(a, b)) / float64(max(len(a), len(b)))
}

// lcsLen is the length of the longest common subsequence of a and b.
func lcsLen(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			case prev[j+1] >= cur[j]:
				cur[j+1] = prev[j+1]
			default:
				cur[j+1] = cur[j]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// labelCandidate is an official row a printed label may stand for.
type labelCandidate struct {
	key, label string
}

// Thresholds of resolveLabel. A label that keeps at least fuzzyAccept of an
// official label's characters (in order) may be that row; a second
// candidate within fuzzyMargin of the best makes the label ambiguous. A row
// that is the only one its neighbours leave open needs only fuzzyAlone.
const (
	fuzzyAccept = 0.6
	fuzzyAlone  = 0.4
	fuzzyMargin = 0.12
)

// resolveLabel picks the row a label that matched no rule stands for,
// among cands (the rows its neighbours leave open, in table order). It
// returns the key, or "" with the keys that fit equally well (ambiguous)
// or none at all (no row fits).
func resolveLabel(printed string, cands []labelCandidate) (key string, ambiguous []string) {
	pn := leadingNumber(normLabel(printed))
	type scored struct {
		key   string
		score float64
	}
	var s []scored
	for _, c := range cands {
		// A digit numbering that is printed must agree ("2." is not "3.").
		if cn := leadingNumber(normLabel(c.label)); pn != "" && cn != "" && cn != pn {
			continue
		}
		s = append(s, scored{c.key, labelSimilarity(printed, c.label)})
	}
	if len(s) == 0 {
		return "", nil
	}
	best, second := -1, -1
	for i := range s {
		switch {
		case best < 0 || s[i].score > s[best].score:
			best, second = i, best
		case second < 0 || s[i].score > s[second].score:
			second = i
		}
	}
	need := fuzzyAccept
	if len(s) == 1 {
		need = fuzzyAlone
	}
	if s[best].score < need {
		return "", nil
	}
	if second >= 0 && s[second].score >= need && s[best].score-s[second].score < fuzzyMargin {
		for _, x := range s {
			if s[best].score-x.score < fuzzyMargin && x.score >= need {
				ambiguous = append(ambiguous, x.key)
			}
		}
		return "", ambiguous
	}
	return s[best].key, nil
}

// fuzzyContains reports whether n contains h with at most one character
// dropped, added or changed (h of four runes or more; shorter ones must
// occur exactly). Column headers and block titles are matched this way, so
// a misspelled header (本年制发件 for 本年制发件数) still says which layout
// and which table it is.
func fuzzyContains(n, h string) bool {
	if strings.Contains(n, h) {
		return true
	}
	runes := utf8.RuneCountInString(h)
	if runes < 4 {
		return false
	}
	// One edit touches at most one half of h, so the other half occurs in n
	// exactly: when neither does, no substring of n is within one edit. This
	// settles nearly every call (most labels share nothing with a header)
	// before the quadratic match below.
	mid := 0
	for i := 0; i < runes/2; i++ {
		_, size := utf8.DecodeRuneInString(h[mid:])
		mid += size
	}
	if !strings.Contains(n, h[:mid]) && !strings.Contains(n, h[mid:]) {
		return false
	}
	return withinOneEdit(n, h)
}

// withinOneEdit reports whether some substring of n is at most one edit
// (a rune dropped, added or changed) away from h.
func withinOneEdit(n, h string) bool {
	hr, nr := []rune(h), []rune(n)
	// Sellers' approximate substring match: d[j] is the least edit
	// distance of h[:i] to a substring of n ending at j.
	prev := make([]int, len(nr)+1)
	cur := make([]int, len(nr)+1)
	for i := 1; i <= len(hr); i++ {
		cur[0] = i
		for j := 1; j <= len(nr); j++ {
			cost := 1
			if hr[i-1] == nr[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j-1]+cost, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	for _, d := range prev {
		if d <= 1 {
			return true
		}
	}
	return false
}
