package ingest

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	"gongkai"
)

// Reference forms of the hot paths rewritten for parse speed (issue 11),
// each as it was; the tests below compare the new forms with them on every
// line of a generated district (fastPathLines) and on edge cases.

// headerKeyRE is what headerKeys replaced.
var headerKeyRE = regexp.MustCompile(`(标题|发布机构|发文机关|发文单位|信息来源|来源|发布时间|发布日期|成文日期|时间)\s*[:：]`)

// foldWidthRef is foldWidth as it was: every rune through strings.Map.
func foldWidthRef(s string) string { return strings.Map(foldRune, s) }

// classifyRef is classify as it was, without its fast path for digits.
func classifyRef(text string) cellKind {
	c := cleanText(text)
	if placeholders[strings.ReplaceAll(c, " ", "")] {
		return kindBlank
	}
	if _, _, ok := splitNumberRef(c); ok {
		return kindNumber
	}
	if utf8.RuneCountInString(c) <= 8 && strings.ContainsAny(c, "0123456789") && !numberedLabelRE.MatchString(c) {
		return kindOdd
	}
	return kindText
}

// splitNumberRef is splitNumber as it was: strings.Fields on every text.
func splitNumberRef(s string) (num string, u unit, ok bool) {
	s = cleanText(s)
	if f := strings.Fields(s); len(f) > 1 {
		if !spacedThousandsRE.MatchString(strings.Join(f, " ")) {
			return "", unitNone, false
		}
		s = strings.Join(f, "")
	}
	switch {
	case strings.HasSuffix(s, "万元"):
		u, s = unitWanYuan, strings.TrimSuffix(s, "万元")
	case strings.HasSuffix(s, "元"):
		u, s = unitYuan, strings.TrimSuffix(s, "元")
	default:
		for _, suf := range []string{"件", "条", "个", "项", "次", "篇"} {
			s = strings.TrimSuffix(s, suf)
		}
	}
	if strings.IndexByte(s, ',') >= 0 && thousandsRE.MatchString(s) {
		s = strings.ReplaceAll(s, ",", "")
	}
	if !isDecimal(s) {
		return "", unitNone, false
	}
	s = strings.TrimPrefix(s, "+")
	return s, u, true
}

// hasEmbeddedTableRef is hasEmbeddedTable as it was: the text lowered.
func hasEmbeddedTableRef(s string) bool {
	if len(s) < 4 {
		return false
	}
	l := strings.ToLower(s)
	return strings.Contains(l, "<table") || strings.Contains(l, "<td") ||
		strings.Contains(l, `\u003ctable`) || strings.Contains(l, `\u003ctd`) ||
		strings.Contains(l, `\x3ctable`) || strings.Contains(l, `\x3ctd`)
}

// rawHeaderFieldsRef is rawHeaderFields as it was: every line split off.
func rawHeaderFieldsRef(data []byte) []Property {
	if len(data) > 16<<10 {
		data = data[:16<<10]
	}
	var out []Property
	for i, l := range splitTextLines(data) {
		if i >= 30 {
			break
		}
		out = append(out, headerFields(foldWidth(l), fmt.Sprintf("line %d", i+1))...)
	}
	return out
}

// titleMatchRef is titleMatch as it was: every match of titleRE found
// first.
func titleMatchRef(l string) []int {
	if !strings.Contains(l, "年") || !strings.Contains(l, "公开") {
		return nil
	}
	for _, m := range titleRE.FindAllStringSubmatchIndex(l, -1) {
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

// narrativeEdgeCases are sections 一 the sentence search must read as the
// whole-text search did.
var narrativeEdgeCases = []string{
	"一、总体情况\n本年度主动公开政府信息1,234条。微信公众号发布消息357条，新媒体发表报道101篇。",
	"依申请公开信息3条，主动公开信息5条。收到行政复议申请2件。收到政府信息公开申请 7 件。",
	"未收到政府信息公开申请。收到申请4件",
	"收到信息公开申请\n12\n件。网站发布\n信息\n8\n篇。。。",
	"公开信息3条建议。公开信息4条。新收12件依申请公开申请",
	"。", "", "信息条", "公开政府信息共12条。二、主动公开政府信息情况 公开信息99条",
	"受理建议申请1件，受理申请2件。通过网站发布信息1篇；网站更新3条",
	"\xff公开信息5条\xfe。\xe3\x80公开信息6条",
}

// asciiLower returns a copy of b with A–Z lowered and every other byte
// kept (what the sniffers searched before hasFold).
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// gbkOf is s in GBK (what it cannot encode dropped).
func gbkOf(s string) []byte {
	b, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(strings.ToValidUTF8(s, "")))
	return b
}

// cellValueRef is cellValue as it was for a text of digits: the text
// with a space before it is no text of digits only, so it takes the path
// every text took (cleanText drops the space; the messages quote the text
// trimmed).
func cellValueRef(text string, target unit) (gongkai.Num, string) {
	return cellValue(" "+text, target)
}

// noiseLineRef is noiseLine without its pre-filter: every nav word tried.
func noiseLineRef(l string) (string, bool) {
	if k, noise := noiseLine(l); noise || k != l {
		return k, noise // decided before the nav words
	}
	t := strings.TrimSpace(foldWidth(l))
	if t != "" && utf8.RuneCountInString(t) < 80 {
		for _, w := range navWords {
			if strings.Contains(t, w) {
				return "", true
			}
		}
	}
	return l, false
}

// unescapeJSRef is unescapeJS as it was: a byte at a time.
func unescapeJSRef(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b', 'f', 'v':
			b.WriteByte(' ')
		case 'u':
			if i+4 < len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+5], 16, 32); err == nil {
					r := rune(v)
					i += 4
					if r >= 0xd800 && r < 0xdc00 && i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
						if lo, err := strconv.ParseUint(s[i+3:i+7], 16, 32); err == nil && lo >= 0xdc00 && lo < 0xe000 {
							r = (r-0xd800)<<10 + (rune(lo) - 0xdc00) + 0x10000
							i += 6
						}
					}
					b.WriteRune(r)
					continue
				}
			}
			b.WriteByte('u')
		case 'x':
			if i+2 < len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
					b.WriteRune(rune(v))
					i += 2
					continue
				}
			}
			b.WriteByte('x')
		default:
			b.WriteByte(e)
		}
	}
	return b.String()
}

// sniffGluedRef is sniffGlued as it was: the head lowered, and folded as
// runes.
func sniffGluedRef(h *sniffHead) bool {
	head := h.head
	if len(head) == 0 || bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	lower := bytes.ToLower(head[:min(len(head), 1024)])
	if bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<table")) ||
		bytes.Contains(lower, []byte("<!doctype")) || bytes.HasPrefix(head, []byte("%PDF")) ||
		bytes.HasPrefix(head, []byte("PK")) {
		return false
	}
	text := decodeText(head)
	folded := string(gluedFold([]rune(text)))
	hits := 0
	for _, l := range gluedSniffLabels {
		for rest := folded; ; {
			i := strings.Index(rest, l)
			if i < 0 {
				break
			}
			rest = rest[i+len(l):]
			after := strings.TrimLeft(rest, " ")
			if after != "" && after[0] >= '0' && after[0] <= '9' {
				hits++
				break
			}
		}
	}
	return hits >= 4
}

// pipeRowRef is pipeRow as it was: the line split.
func pipeRowRef(l string) bool {
	if !strings.Contains(l, "|") {
		return false
	}
	n := 0
	for _, c := range strings.Split(l, "|") {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n >= 2
}

// speedEdgeCases are texts the rewritten forms must get right beyond the
// generated lines.
var speedEdgeCases = []string{
	"0", "12", " 12", "12 ", "1 234", "1 2", "1\u30002", "１２", "12件", "1,234", "1,23", "+5", "-3", "3.5", "3.", ".5",
	"约4", "3.5%", "1.属于国家秘密", "２０２３", "—", "--", "无", "\u00a0", "\u200b1", "1\u2028", "1\u0085", "1\u00a02",
	"\xe4\xb8", "\xe4\xb8\xe4", "\xe4\x00\x80", "a\xffb", "\xef\xbc\x91", "〔2023〕", "【标题】", "［x］", "−1", "﹣1",
	"\xed\xa0\x80", "\xe0\x80\x80", "\xf0\x9f\x98\x80", "本年新收政府信息公开申请数量", "[bookmark: _Hlk1]12",
	"标题：2023年度报告 发布时间：2024-01-22", "发布机构 ： 某局", "来源:\t甲 时间:2022", "信息来源：乙", "时间 \n:", "标题",
	"标题标题：x", "发布时间发布日期:", "时间：：时间：", "标题\xff：", "\xe6标题:", "：：", "成文日期\u3000：",
	"<TABLE", "<Td", "<t", "x<td>", `\U003CTABLE`, `\u003Ctd`, `\X3Ctd`, `\x3cTABLE`, `\x3c`, "<T\u212aD", "<\u0130td", "<tᴬble", `\`, "<<td", `\\x3ctd`,
	"\ufeff标题：甲\r\n来源：乙\r时间:2023-01-02\n\n发布机构：丙", "\n\n\n", "标题：\xff\xfe", "来源：" + strings.Repeat("甲\n", 40) + "时间：2020-01-01",
	"2023年政府信息公开工作年度报告", "关于2021年度政府信息公开工作的年度报告_泽库镇", "《2020年政府信息公开工作年度报告》2019年度信息公开年报",
	"二〇二三年政府信息公开年报", "２０２３年度政务公开工作报告", "1999年 年度信息公开 工作 的 年报x", "2023年公开报", "2020年x政府信息公开年报。",
	"2019 年2020年政府信息公开年报", "202020年度政府信息公开工作报告", "1920年 \n 年度信息公开年报", "2023\t年度政务公开工作年度报告》", "《2021年政府信息公开年报》2022年政府信息公开年报_x", `a\\`, `\\`, `\\\\`, `x\\u4e2d\\uD83D\\uDE00y`, `\\u12`, `\\x4`, `\\x41\\n\\t\\r\\b\\q\\"`, `\\uD83Dx`, `\\u4e2`, `x\u4e2d\uD83D\uDE00y`, `\u12`, `\x4`, `\x41\n\t\r\b\q\"`, `\uD83Dx`, `\u4e2`, `end\`, `<td colspan=\"2\">\u4e00</td>`, "予以公开１属于国家秘密\u3000２规章\t3行政许可 \u200b4", "予以公开１属于国家秘密２规章，3行政许可x4", "<!DOCTYPE x>予以公开1属于国家秘密2规章3行政许可4", "当前位置：首页 > 信息公开", "English", "微信扫一扫", "【字体：大 中 小】", "打印本页 关闭窗口", "x上一篇", "99999999999999999999999", "000", "0000000000012", "中文，逗号。\xffx", "（１）\xe4", "，\xef\xbf\xbd，", "ａ\u00a0ｂ\u2212ｃ\ufeff",
	strings.Repeat("中文", 10) + "\xff", strings.Repeat("中文", 100) + "\xff\xfe" + strings.Repeat("字", 10) + "\xc0", "\xff" + strings.Repeat("中", 20),
	strings.Repeat("中", 8) + "\xff", strings.Repeat("中", 19) + "\xff", strings.Repeat("中", 20) + "\xff", strings.Repeat("中", 40) + "\xff\x80\xff",
}

func TestSpeedRewritesAgree(t *testing.T) {
	lines := append(fastPathLines(t), speedEdgeCases...)
	prev := ""
	for _, l := range lines {
		if got, want := foldWidth(l), foldWidthRef(l); got != want {
			t.Errorf("foldWidth(%q) = %q, was %q", l, got, want)
		}
		if got, want := classify(l), classifyRef(l); got != want {
			t.Errorf("classify(%q) = %v, was %v", l, got, want)
		}
		n, u, ok := splitNumber(l)
		rn, ru, rok := splitNumberRef(l)
		if n != rn || u != ru || ok != rok {
			t.Errorf("splitNumber(%q) = %q %v %v, was %q %v %v", l, n, u, ok, rn, ru, rok)
		}
		if got, want := headerKeys(l), headerKeyRE.FindAllStringSubmatchIndex(l, -1); !sameMatches(got, want) {
			t.Errorf("headerKeys(%q) = %v, headerKeyRE says %v", l, got, want)
		}
		if got, want := rawHeaderFields([]byte(l)), rawHeaderFieldsRef([]byte(l)); !reflect.DeepEqual(got, want) {
			t.Errorf("rawHeaderFields(%.80q) = %v, was %v", l, got, want)
		}
		if got, want := hasCNZero(l), strings.ContainsAny(l, "〇零○OＯ"); got != want {
			t.Errorf("hasCNZero(%q) = %v, ContainsAny says %v", l, got, want)
		}
		for _, x := range []string{l, normYears(l), normYears(l) + normYears(prev)} {
			if got, want := titleMatch(x), titleMatchRef(x); !reflect.DeepEqual(got, want) {
				t.Errorf("titleMatch(%q) = %v, was %v", x, got, want)
			}
		}
		prev = l
		for _, m := range htmlNeedles {
			if got, want := hasFold([]byte(l), m), bytes.Contains(bytes.ToLower([]byte(l)), m); got != want {
				t.Errorf("hasFold(%.80q, %q) = %v, bytes.ToLower says %v", l, m, got, want)
			}
		}
		if got, want := htmlishFold([]byte(l)), htmlishLower(bytes.ToLower([]byte(l))); got != want {
			t.Errorf("htmlishFold(%.80q) = %v, was %v", l, got, want)
		}
		for _, b := range [][]byte{[]byte(l), gbkOf(l)} {
			if _, _, want := utf8Damage(b); damagedUTF8(b) != want {
				t.Errorf("damagedUTF8(%.80q) = %v, utf8Damage says %v", b, !want, want)
			}
		}
		for _, u := range []unit{unitNone, unitYuan, unitWanYuan} {
			if allDigits(l) {
				v, p := cellValue(l, u)
				w, q := cellValueRef(l, u)
				if v != w || p != q {
					t.Errorf("cellValue(%q) = %v %q, was %v %q", l, v, p, w, q)
				}
			}
		}
		if k, n := noiseLine(l); true {
			rk, rn := noiseLineRef(l)
			if k != rk || n != rn {
				t.Errorf("noiseLine(%q) = %q %v, was %q %v", l, k, n, rk, rn)
			}
		}
		if got, want := sniffGlued(newSniffHead("x", []byte(l))), sniffGluedRef(newSniffHead("x", []byte(l))); got != want {
			t.Errorf("sniffGlued(%.80q) = %v, was %v", l, got, want)
		}
		if got, want := unescapeJS(l), unescapeJSRef(l); got != want {
			t.Errorf("unescapeJS(%.80q) = %.80q, was %.80q", l, got, want)
		}
		if got, want := pipeRow(l), pipeRowRef(l); got != want {
			t.Errorf("pipeRow(%q) = %v, was %v", l, got, want)
		}
		if got, want := hasColon(l), strings.ContainsAny(l, ":："); got != want {
			t.Errorf("hasColon(%q) = %v, ContainsAny says %v", l, got, want)
		}
		if got, want := hasEmbeddedTable(l), hasEmbeddedTableRef(l); got != want {
			t.Errorf("hasEmbeddedTable(%.80q) = %v, was %v", l, got, want)
		}
		f, g := *factsOf(l), *computeCellFacts(l)
		if allDigits(l) {
			g.norm = "" // documented: not kept for digits
		}
		if f != g {
			t.Errorf("factsOf(%q) = %+v, computed %+v", l, f, g)
		}
	}
	// Cut into every cell-sized piece too, at every byte (invalid UTF-8
	// included).
	for _, l := range speedEdgeCases {
		for i := 0; i <= len(l); i++ {
			for _, s := range []string{l[:i], l[i:]} {
				if got, want := foldWidth(s), foldWidthRef(s); got != want {
					t.Errorf("foldWidth(%q) = %q, was %q", s, got, want)
				}
				if got, want := classify(s), classifyRef(s); got != want {
					t.Errorf("classify(%q) = %v, was %v", s, got, want)
				}
				if got, want := headerKeys(s), headerKeyRE.FindAllStringSubmatchIndex(s, -1); !sameMatches(got, want) {
					t.Errorf("headerKeys(%q) = %v, headerKeyRE says %v", s, got, want)
				}
				if got, want := hasEmbeddedTable(s), hasEmbeddedTableRef(s); got != want {
					t.Errorf("hasEmbeddedTable(%q) = %v, was %v", s, got, want)
				}
			}
		}
	}
}

// readNarrative searches sentence by sentence; readNarrativeRef
// (oracle_test.go) searches the whole text.
func TestReadNarrativeBySentenceAgrees(t *testing.T) {
	docs := append(fastPathLines(t), narrativeEdgeCases...)
	for _, d := range docs {
		lines := strings.Split(d, "\n")
		if got, want := readNarrative(lines), readNarrativeRef(lines); !reflect.DeepEqual(got, want) {
			t.Errorf("readNarrative(%.200q) = %v, was %v", d, got, want)
		}
	}
}

func TestLetterOrDigit(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := letterOrDigit(r), unicode.IsLetter(r) || unicode.IsDigit(r); got != want {
			t.Fatalf("letterOrDigit(%U) = %v, unicode says %v", r, got, want)
		}
	}
}

func sameMatches(got [][4]int, want [][]int) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if len(want[i]) != 4 {
			return false
		}
		for k := range 4 {
			if got[i][k] != want[i][k] {
				return false
			}
		}
	}
	return true
}

// The cache of cell facts stays bounded and keeps no slice of the texts
// it saw.
func TestFactsCacheBounded(t *testing.T) {
	page := strings.Repeat("本年新收政府信息公开申请", 100)
	f := factsOf(page[:36])
	if f.kind != kindText {
		t.Fatalf("kind %v", f.kind)
	}
	factsCache.RLock()
	for k, v := range factsCache.m {
		if unsafeSameBase(k, page) || unsafeSameBase(v.norm, page) {
			t.Errorf("the cache keeps a slice of the page: %q", k)
		}
	}
	factsCache.RUnlock()
	for i := range factsMaxEntries + 10 {
		factsOf("标签" + strings.Repeat("x", i%50) + string(rune(0x4e00+i)))
	}
	factsCache.RLock()
	n := len(factsCache.m)
	factsCache.RUnlock()
	if n > factsMaxEntries {
		t.Errorf("the cache holds %d entries, more than %d", n, factsMaxEntries)
	}
	long := strings.Repeat("长", factsMaxText/3)
	for i := range factsMaxBytes/factsMaxText + 10 {
		factsOf(long[:len(long)-3*(i%100)] + strconv.Itoa(i))
	}
	factsCache.RLock()
	b := factsCache.bytes
	factsCache.RUnlock()
	if b > factsMaxBytes+2*factsMaxText {
		t.Errorf("the cache holds %d bytes, more than %d", b, factsMaxBytes)
	}
}

// unsafeSameBase says whether s points into the bytes of page.
func unsafeSameBase(s, page string) bool {
	if s == "" {
		return false
	}
	p, b := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(page)))
	return p >= b && p < b+uintptr(len(page))
}

// damagedUTF8 against utf8Damage on random mixes of Chinese in UTF-8 and
// every kind of bad byte, near the threshold (one bad run in twenty).
func TestDamagedUTF8Random(t *testing.T) {
	pieces := []string{"中", "文", "字", "a", " ", "\xc2", "\xc2\x80", "\xc1\xbf", "\xe0\x80\x80", "\xe0\xa0\x80", "\xed\xa0\x80",
		"\xed\x9f\xbf", "\xf0\x8f\xbf\xbf", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80", "\xff", "\x80",
		"\xef\xbf\xbd", "\xe4\xb8", "\xd6\xd0", "\xce\xc4"}
	next := xorshift(3)
	for range 20000 {
		var b []byte
		for range 1 + next(200) {
			if next(10) < 8 {
				b = append(b, pieces[next(3)]...)
			} else {
				b = append(b, pieces[next(len(pieces))]...)
			}
		}
		if _, _, want := utf8Damage(b); damagedUTF8(b) != want {
			t.Fatalf("damagedUTF8(%q) = %v, utf8Damage says %v", b, !want, want)
		}
	}
}

// decodeWith gives what Decoder.Bytes gives, for GB18030 and UTF-16, on
// every line and page of a generated district in GBK, and on bytes no
// encoding expects.
func TestDecodeWithAgrees(t *testing.T) {
	encs := []encoding.Encoding{simplifiedchinese.GB18030, simplifiedchinese.GBK, xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM)}
	inputs := [][]byte{nil, []byte("\xff\xfe"), []byte("\x81"), []byte("\x81\x30"), []byte("\x84\x31\xa4\x39"), []byte("\xfe\xfe\xfe"), []byte("a\x80b")}
	for _, l := range fastPathLines(t) {
		inputs = append(inputs, gbkOf(l), []byte(l))
	}
	for _, e := range encs {
		for _, in := range inputs {
			want, werr := e.NewDecoder().Bytes(in)
			got, gerr := decodeWith(e, in)
			if (werr != nil) != (gerr != nil) || werr == nil && got != string(want) {
				t.Fatalf("decodeWith(%q) = %q, %v; Decoder.Bytes gives %q, %v", in, got, gerr, want, werr)
			}
		}
	}
}

// ParseBytes skips encodingFindings when readHTML found the page no UTF-8:
// it must have nothing to say then.
func TestNotUTF8MeansNoEncodingFindings(t *testing.T) {
	skipped := 0
	for _, l := range append(fastPathLines(t), speedEdgeCases...) {
		for _, b := range [][]byte{[]byte(l), gbkOf(l), append([]byte("\xef\xbb\xbf"), gbkOf(l)...), append([]byte("\xff\xfe"), gbkOf(l)...),
			append(gbkOf(l), "\xe4\xb8\xad\xe6\x96\x87"...)} {
			_, notUTF8, err := decodeHTMLAs(b)
			if err != nil || !notUTF8 {
				continue
			}
			skipped++
			if f := encodingFindings("html", b); f != nil {
				t.Errorf("%.80q: decoded as no UTF-8, but encodingFindings says %v", b, f)
			}
		}
	}
	if skipped == 0 {
		t.Error("no page decoded as no UTF-8")
	}
}

// The text ParseBytesAs hands a text reader is decodeText(data), whether
// the sniffers saw all of data or only its head, and validUTF8 claims
// only what is true.
func TestSniffHeadText(t *testing.T) {
	page := "标题：甲\r\n本年新收政府信息公开申请数量1000001\n"
	long := strings.Repeat(page, sniffLen/len(page)+1)
	cases := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"short", []byte(page)},
		{"bom", append([]byte("\xef\xbb\xbf"), page...)},
		{"gbk", gbkOf(page)},
		{"damaged", []byte(strings.Repeat(page, 20) + "\xff")},
		{"exactly the head", []byte(long[:sniffLen])},
		{"longer than the head", []byte(long)},
		{"gbk longer than the head", gbkOf(long)},
		{"valid head, damaged rest", append([]byte(long), 0xff)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, h, _ := detectHead("x.txt", c.data)
			h.headLines() // as the text sniffers do
			if got, want := h.textOf(c.data)(), decodeText(c.data); got != want {
				t.Errorf("textOf gives %.80q, decodeText %.80q", got, want)
			}
			if h.validUTF8(c.data) && !utf8.Valid(bytes.TrimPrefix(c.data, []byte("\xef\xbb\xbf"))) {
				t.Errorf("validUTF8 says valid, utf8.Valid does not")
			}
			if got, want := rawHeaderFieldsOf(c.data, h.textOf(c.data)), rawHeaderFieldsRef(c.data); !reflect.DeepEqual(got, want) {
				t.Errorf("rawHeaderFieldsOf = %v, was %v", got, want)
			}
			if _, valid := decodeTextValid(c.data); valid != utf8.Valid(bytes.TrimPrefix(c.data, []byte("\xef\xbb\xbf"))) {
				t.Errorf("decodeTextValid says valid=%v", valid)
			}
		})
	}
}

// scanUTF8DamageRef is scanUTF8Damage as it was: ASCII a byte at a time.
func scanUTF8DamageRef(data []byte, list bool) (offsets []int, total int, damaged bool) {
	const maxReported = 5
	cjk := 0
	prevBad := false
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			prevBad = false
			continue
		}
		r, size := utf8.RuneError, 1
		if b := data[i]; b >= 0xC2 && b <= 0xF4 && i+1 < len(data) && data[i+1]&0xC0 == 0x80 {
			r, size = utf8.DecodeRune(data[i:])
		}
		if r == utf8.RuneError && size <= 1 {
			if !prevBad {
				total++
				switch {
				case list:
					if len(offsets) < maxReported {
						offsets = append(offsets, i)
					}
				case total*20 > cjk+(len(data)-i)/3:
					return nil, total, false
				}
			}
			prevBad = true
			i++
			continue
		}
		prevBad = false
		if size == 3 {
			cjk++
		}
		i += size
	}
	return offsets, total, total > 0 && cjk >= 8 && total*20 <= cjk
}

// scanUTF8Damage skips ASCII eight bytes at a time: the same answers as
// byte by byte, on random mixes with ASCII runs of every length around
// the word size and on the pages of a generated district, in UTF-8 and GBK.
func TestScanUTF8DamageAgrees(t *testing.T) {
	pieces := []string{"中", "a", "abcdefg", "abcdefgh", "abcdefghi", strings.Repeat("x", 17), "\xff", "\x80", "\xe4\xb8", "\xd6\xd0", "\xc2\x80", "\xf0\x90\x80\x80"}
	next := xorshift(5)
	inputs := [][]byte{nil, []byte("\xff"), []byte(strings.Repeat("a", 8) + "\xff")}
	for range 20000 {
		var b []byte
		for range 1 + next(60) {
			b = append(b, pieces[next(len(pieces))]...)
		}
		inputs = append(inputs, b)
	}
	for _, l := range fastPathLines(t) {
		inputs = append(inputs, []byte(l), gbkOf(l), append([]byte(l), 0xff))
	}
	for _, b := range inputs {
		for _, list := range []bool{false, true} {
			o, n, d := scanUTF8Damage(b, list)
			ro, rn, rd := scanUTF8DamageRef(b, list)
			if !slices.Equal(o, ro) || n != rn || d != rd {
				t.Fatalf("scanUTF8Damage(%.80q, %v) = %v %d %v, was %v %d %v", b, list, o, n, d, ro, rn, rd)
			}
		}
	}
}

// xorshift returns a small deterministic generator for the random-input
// tests: next(n) is in [0, n). Its sequence is fixed by seed, so a failing
// input is found again on every run.
func xorshift(seed uint64) func(n int) int {
	rng := seed
	return func(n int) int {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return int(rng % uint64(n))
	}
}
