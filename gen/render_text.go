package gen

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
)

// renderWordText writes the seed's shape: Word's plain-text export, one
// table cell per line indented by a tab, a blank line after each row,
// merged cells as empty lines (some with stray values), line breaks inside
// a cell continuing without the tab, and [bookmark: …] markers.
func renderWordText(_ context.Context, d *document, r *rand.Rand) ([]byte, error) {
	var b bytes.Buffer
	ln := func(s string) { b.WriteString(s); b.WriteByte('\n') }
	bookmark := func() string { return fmt.Sprintf("[bookmark: _Hlk%d]", 66970000+r.IntN(70000)) }
	ln("")
	for _, l := range d.headLines(d.org, d.title) {
		ln(l)
	}
	ln("")
	for _, bl := range d.blocks {
		switch {
		case bl.tab != nil:
			t := bl.tab
			for ri, row := range t.grid() {
				for _, s := range row {
					if !s.first {
						continue
					}
					text := ""
					if s.origin {
						text = s.c.text
						if !s.c.value && text != "" && r.IntN(6) == 0 {
							text = bookmark() + text
						}
					} else {
						text = t.strays[[2]int{ri, s.col}]
					}
					for i, l := range lines(text) {
						if i == 0 {
							ln("\t" + l)
						} else {
							ln(l)
						}
					}
				}
				ln("")
			}
			ln("")
			ln("")
		case bl.heading && strings.HasPrefix(bl.text, "五、"):
			ln("[bookmark: _GoBack]" + bl.text)
		default:
			ln(bl.text)
		}
	}
	ln("")
	ln("")
	for _, l := range d.sigLines(d.org, d.published+"    ") {
		ln(l)
	}
	return b.Bytes(), nil
}

// renderPipe writes text copied from a web page: one table row per line,
// cells ended by " |", colspan padding ("| |||") and empty placeholders
// where a rowspan covers a column.
func renderPipe(_ context.Context, d *document, _ *rand.Rand) ([]byte, error) {
	var b bytes.Buffer
	ln := func(s string) { b.WriteString(s); b.WriteByte('\n') }
	for _, l := range d.headLines(d.org + d.title) {
		ln(l)
	}
	ln("发布时间：" + d.publishedISO)
	for _, bl := range d.blocks {
		if bl.tab == nil {
			ln(bl.text)
			continue
		}
		for _, row := range bl.tab.grid() {
			var parts []string
			for _, s := range row {
				if !s.first {
					continue
				}
				text := ""
				if s.origin {
					text = flat(s.c.text)
				}
				p := text + " |"
				if text == "" {
					p = "|"
				}
				if s.c.cs > 1 {
					p += " " + strings.Repeat("|", s.c.cs-1)
				}
				parts = append(parts, p)
			}
			ln(strings.Join(parts, " "))
		}
	}
	for _, l := range d.sigLines(d.org, d.published) {
		ln(l)
	}
	return b.Bytes(), nil
}

// renderCellLines is the pipe text with one cell per line and empty cells
// dropped; lines of bare pipes stand where colspans padded the row.
func renderCellLines(_ context.Context, d *document, _ *rand.Rand) ([]byte, error) {
	var b bytes.Buffer
	ln := func(s string) { b.WriteString(s); b.WriteByte('\n') }
	for _, l := range d.headLines(d.org + d.title) {
		ln(l)
	}
	for _, bl := range d.blocks {
		if bl.tab == nil {
			ln(bl.text)
			continue
		}
		for _, row := range bl.tab.grid() {
			pads := 0
			for _, s := range row {
				if !s.first {
					continue
				}
				pads += s.c.cs - 1
				if !s.origin || s.c.text == "" {
					continue
				}
				ln(strings.ReplaceAll(s.c.text, "\n", " ") + " |")
			}
			ln(strings.Repeat("|", pads+1))
		}
	}
	for _, l := range d.sigLines(d.org, d.published) {
		ln(l)
	}
	return b.Bytes(), nil
}

// renderParagraphs writes one table cell per paragraph (blank lines
// between), empty cells dropped, and headers broken over two paragraphs
// (商业 / 企业) where the cell breaks its line.
func renderParagraphs(_ context.Context, d *document, _ *rand.Rand) ([]byte, error) {
	var b bytes.Buffer
	p := func(s string) { b.WriteString(s); b.WriteString("\n\n") }
	if d.id.Title == TitleDefault {
		p(d.org + "关于" + d.title[:len(fmt.Sprint(d.year))] + "年度政府信息公开工作的年度报告")
	}
	p(fmt.Sprintf("www.gov.cn     发布时间:%s     来源:%s      选择阅读字号:[ ]     阅读次数:", d.publishedISO, d.org))
	for _, l := range d.headLines(d.org, d.title) {
		p(l)
	}
	p(" ")
	for _, bl := range d.blocks {
		if bl.tab == nil {
			if bl.heading {
				p(bl.text)
			} else {
				p("  " + bl.text)
			}
			continue
		}
		for _, row := range bl.tab.grid() {
			for _, s := range row {
				if !s.first || !s.origin || s.c.text == "" {
					continue
				}
				for _, l := range lines(s.c.text) {
					p(l)
				}
			}
		}
		p(" ")
	}
	for _, l := range d.sigLines(d.org, d.published) {
		p(l)
	}
	return b.Bytes(), nil
}

// renderMarkdown writes Markdown tables: one line per grid row, the first
// row as the header, merged positions left empty.
func renderMarkdown(_ context.Context, d *document, _ *rand.Rand) ([]byte, error) {
	var b bytes.Buffer
	ln := func(s string) { b.WriteString(s); b.WriteByte('\n') }
	for _, l := range d.headLines(d.org + d.title) {
		ln("# " + l)
	}
	ln("")
	for _, bl := range d.blocks {
		switch {
		case bl.tab != nil:
			for ri, row := range bl.tab.grid() {
				var cells []string
				for _, s := range row {
					text := ""
					if s.origin && s.first {
						text = flat(s.c.text)
					}
					cells = append(cells, text)
				}
				ln("| " + strings.Join(cells, " | ") + " |")
				if ri == 0 {
					ln(strings.Repeat("|---", len(row)) + "|")
				}
			}
		case bl.heading:
			ln("## " + bl.text)
		default:
			ln(bl.text)
		}
		ln("")
	}
	if d.id.Signature == SigDefault {
		ln(d.org)
		ln("")
		ln(d.published)
	} else {
		for _, l := range d.sigLines() {
			ln(l)
			ln("")
		}
	}
	return b.Bytes(), nil
}

// renderGlued writes a crawler's page text: header lines (标题:, 发布时间:,
// 原文链接:), then the whole body on one line with every table cell glued to
// the next, now and then a space between two numbers.
func renderGlued(_ context.Context, d *document, r *rand.Rand) ([]byte, error) {
	var b bytes.Buffer
	id := 10000 + r.IntN(90000)
	month := strings.ReplaceAll(d.publishedISO[:7], "-", "")
	day := strings.ReplaceAll(d.publishedISO, "-", "")
	fmt.Fprintf(&b, "标题: %s\n", d.oneLineTitle())
	fmt.Fprintf(&b, "发布时间: %s %02d:%02d\n", d.publishedISO, 8+r.IntN(10), r.IntN(60))
	b.WriteString("文号: \n")
	fmt.Fprintf(&b, "发布机构: %s\n", d.org)
	b.WriteString("栏目: 政府信息公开年报\n")
	fmt.Fprintf(&b, "原文链接: https://www.example.gov.cn/zwgk/zfxxgk/zfxxgknb/%s/t%s_%d.html\n", month, day, id)
	fmt.Fprintf(&b, "本地目录: zwgk/zfxxgk/zfxxgknb/%s/%d_%s%s\n", month, id, d.org, d.title)
	b.WriteString("页面链接与图片详见 links.tsv(同目录)\n")
	b.WriteString("==================== 正文 ====================\n")
	if head := d.headLines(d.org + d.title); len(head) > 0 {
		b.WriteString(strings.Join(head, " ") + " ")
	}
	for _, bl := range d.blocks {
		if bl.tab == nil {
			b.WriteString(bl.text)
			continue
		}
		prevValue := false
		for _, row := range bl.tab.grid() {
			for _, s := range row {
				if !s.first || !s.origin || s.c.text == "" {
					continue
				}
				if prevValue && s.c.value && r.IntN(10) == 0 {
					b.WriteByte(' ')
				}
				b.WriteString(flat(s.c.text))
				prevValue = s.c.value
			}
		}
		b.WriteByte(' ')
	}
	b.WriteString(strings.Join(d.sigLines(d.org+d.published), "") + "\n")
	return b.Bytes(), nil
}
