package ingest

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// This file holds what the plain-text renderings share: decoding, noise
// removal and the stream of cells that line- and paragraph-per-cell texts
// become.

// decodeText returns data as UTF-8 text: UTF-8 as is (without a BOM;
// a few damaged bytes are replaced by U+FFFD, see encoding.go), anything
// else decoded as GB18030, the superset of GBK that Chinese government
// sites serve. Line ends become "\n".
func decodeText(data []byte) string {
	s, _ := decodeTextValid(data)
	return s
}

// decodeTextValid is decodeText, also saying whether data (without a BOM)
// was valid UTF-8: then encodingFindings has nothing to report, and
// ParseBytesAs need not look again.
func decodeTextValid(data []byte) (text string, valid bool) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var s string
	if utf8.Valid(data) {
		s, valid = string(data), true
	} else if isUTF8(data) {
		s = strings.ToValidUTF8(string(data), "\uFFFD")
	} else if d, ok := gb18030Fast(data); ok {
		s = d // what the decoder below gives, faster (gbk.go)
	} else if d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data); err == nil {
		s = string(d)
	} else {
		s = strings.ToValidUTF8(string(data), "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n"), valid
}

// splitTextLines splits decoded text into lines (without their "\n").
func splitTextLines(data []byte) []string {
	return strings.Split(decodeText(data), "\n")
}

// crawlerKeys start the header lines a crawler writes above a saved page.
var crawlerKeys = []string{"发布时间", "原文链接", "文号", "发布机构", "栏目", "本地目录", "页面链接", "来源", "索引号", "主题分类", "发文机关", "成文日期", "发布日期", "信息来源", "访问次数", "浏览次数", "阅读次数"}

// navWords mark site navigation and page furniture.
var navWords = []string{"当前位置", "您的位置", "您现在的位置", "网站地图", "打印本页", "关闭窗口", "分享到", "字号", "【字体", "字体：", "返回顶部", "上一篇", "下一篇", "无障碍", "English", "设为首页", "加入收藏", "扫一扫", "微信扫一扫"}

// noiseLine says whether a line is crawler or site furniture rather than
// the report, and returns the part worth keeping: a "标题:" line keeps its
// title (the report's title carries the body and year).
func noiseLine(l string) (keep string, noise bool) {
	t := strings.TrimSpace(foldWidth(l))
	if t == "" {
		return "", false
	}
	if strings.HasPrefix(t, "[pages-corpus") || strings.HasPrefix(t, "====") || strings.HasPrefix(t, "----") && strings.Trim(t, "-") == "" {
		return "", true
	}
	if rest, ok := strings.CutPrefix(t, "标题"); ok {
		if rest = strings.TrimLeft(rest, " "); strings.HasPrefix(rest, ":") {
			return strings.TrimSpace(rest[1:]), false
		}
	}
	for _, k := range crawlerKeys {
		if rest, ok := strings.CutPrefix(t, k); ok && strings.HasPrefix(strings.TrimLeft(rest, " "), ":") {
			return "", true
		}
	}
	if strings.Contains(t, "发布时间:") && strings.Contains(t, "来源:") {
		return "", true
	}
	if utf8.RuneCountInString(t) < 80 && hasNavFirst(t) {
		for _, w := range navWords {
			if strings.Contains(t, w) {
				return "", true
			}
		}
	}
	return l, false
}

// navFirst holds the first runes of navWords (all in the BMP): a line
// without any of them holds no nav word, and most lines, prose, have none,
// where trying every word cost a search each.
var navFirst = func() (bits [1 << 10]uint64) {
	for _, w := range navWords {
		r, _ := utf8.DecodeRuneInString(w)
		bits[r>>6] |= 1 << (r & 63)
	}
	return bits
}()

func hasNavFirst(t string) bool {
	for _, r := range t {
		if r < 1<<16 && navFirst[r>>6]&(1<<(r&63)) != 0 {
			return true
		}
	}
	return false
}

// maxLabelRunes bounds a table cell in the one-cell-per-line renderings:
// the longest official label has about 40 characters, and longer lines are
// prose, never cells.
const maxLabelRunes = 70

// streamRows cuts a stream of cells (one per line or paragraph, empty cells
// possibly dropped) into logical rows: a row is its label cells followed
// by its value cells, so a new row starts where a label follows a value.
func streamRows(cells []Cell) [][]Cell {
	var rows [][]Cell
	var cur []Cell
	sawValue := false
	for _, c := range cells {
		isText := c.Unsure == "" && factsOf(c.Text).kind == kindText
		if isText && sawValue {
			rows = append(rows, cur)
			cur, sawValue = nil, false
		}
		cur = append(cur, c)
		if !isText {
			sawValue = true
		}
	}
	if len(cur) > 0 {
		rows = append(rows, cur)
	}
	return rows
}

// tableStart says whether a cell text opens the report's tables in a
// line-per-cell text: a block title, a header or a row label.
func tableStart(text string) bool {
	f := factsOf(text) // sectionMarker(normLabel(text)) and matchRowLabel(text)
	return f.marker != 0 || f.ok
}

// lineLoc names a line for provenance.
func lineLoc(i int) string {
	if i >= 0 && i < len(lineLocs) {
		return lineLocs[i]
	}
	return "line " + strconv.Itoa(i+1)
}

// lineLocs are the names of the first lines, made once: every line and
// cell of a text rendering is named (two allocations each, a fifth of a
// word_text parse's).
var lineLocs = func() []string {
	out := make([]string, 4096)
	for i := range out {
		out[i] = "line " + strconv.Itoa(i+1)
	}
	return out
}()

// countLines counts the lines for which f is true.
func countLines(lines []string, f func(string) bool) int {
	n := 0
	for _, l := range lines {
		if f(l) {
			n++
		}
	}
	return n
}

// headLines decodes a sniffed head into lines, dropping a last line that
// may be cut in the middle.
func headLines(head []byte) []string {
	return headTextLines(decodeText(head))
}

// headTextLines is headLines given the head decoded.
func headTextLines(text string) []string {
	lines := strings.Split(text, "\n")
	if len(lines) > 1 {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// looksBinary rejects content no text reader should take.
func looksBinary(head []byte) bool {
	if bytes.HasPrefix(head, []byte("%PDF")) || bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return true
	}
	return bytes.IndexByte(head, 0) >= 0
}

// isHTMLish rejects markup, which the HTML reader takes.
func isHTMLish(head []byte) bool {
	return htmlishLower(bytes.ToLower(head))
}

// htmlishLower is isHTMLish on a head already lower-cased.
func htmlishLower(h []byte) bool {
	return bytes.Contains(h, []byte("<table")) || bytes.Contains(h, []byte("<html")) || bytes.Contains(h, []byte("<td"))
}

// htmlishFold is isHTMLish without lowering a copy of the head (hasFold).
func htmlishFold(h []byte) bool {
	return hasFold(h, []byte("<table")) || hasFold(h, []byte("<html")) || hasFold(h, []byte("<td"))
}
