package gen

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"math/rand/v2"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const (
	tdStyle   = "border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt"
	spanStyle = "font-size:10.5pt;font-family:宋体"
)

// htmlBody writes the article as Word exports it: MsoNormal paragraphs,
// tables with rowspan/colspan, inline styles, &nbsp; in empty cells and
// <br> where a header breaks its line. All attributes are double-quoted.
func htmlBody(d *document, r *rand.Rand) string {
	var b strings.Builder
	for _, bl := range d.blocks {
		switch {
		case bl.tab != nil:
			b.WriteString(`<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" align="center" style="border-collapse:collapse;border:none">` + "\n")
			for _, row := range bl.tab.grid() {
				b.WriteString(`<tr style="height:21.0pt">`)
				for _, s := range row {
					if !s.origin || !s.first {
						continue
					}
					b.WriteString("<td")
					if s.c.rs > 1 {
						fmt.Fprintf(&b, ` rowspan="%d"`, s.c.rs)
					}
					if s.c.cs > 1 {
						fmt.Fprintf(&b, ` colspan="%d"`, s.c.cs)
					}
					fmt.Fprintf(&b, ` width="%d" valign="middle" style="%s">`, 40+8*s.c.cs+r.IntN(8), tdStyle)
					text := "&nbsp;"
					if s.c.text != "" {
						var parts []string
						for _, l := range lines(s.c.text) {
							parts = append(parts, html.EscapeString(l))
						}
						text = strings.Join(parts, "<br>")
					}
					fmt.Fprintf(&b, `<p class="MsoNormal" align="center" style="text-align:center"><span style="%s">%s</span></p></td>`, spanStyle, text)
				}
				b.WriteString("</tr>\n")
			}
			b.WriteString("</table>\n")
		case bl.heading:
			fmt.Fprintf(&b, `<p class="MsoNormal" style="text-indent:32.0pt"><b><span style="font-family:黑体">%s</span></b><span>&nbsp;</span></p>`+"\n", html.EscapeString(bl.text))
		default:
			fmt.Fprintf(&b, `<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt"><span style="font-size:16.0pt;font-family:仿宋_GB2312">%s</span></p>`+"\n", html.EscapeString(bl.text))
		}
	}
	for _, l := range d.sigLines(d.org, d.published) {
		fmt.Fprintf(&b, `<p class="MsoNormal" align="right" style="text-align:right"><span>%s</span></p>`+"\n", html.EscapeString(l))
	}
	return b.String()
}

func htmlPage(d *document, charset, content string) []byte {
	var b bytes.Buffer
	title := html.EscapeString(d.oneLineTitle())
	var heads []string
	for _, l := range d.headLines(d.org + d.title) {
		heads = append(heads, html.EscapeString(l))
	}
	articleTitle := ""
	if len(heads) > 0 {
		articleTitle = `<div class="article_title">` + strings.Join(heads, "<br>") + "</div>\n"
	}
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=%s">
<meta name="ArticleTitle" content="%s">
<meta name="PubDate" content="%s 09:30">
<meta name="ContentSource" content="%s">
<title>%s_政府信息公开年报</title>
<style>.nav a{color:#333}.footer{font-size:12px}</style>
</head>
<body>
<div class="header"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/hdjl/">互动交流</a> | <a href="/bsfw/">办事服务</a></div>
<div class="nav">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zfxxgknb/">政府信息公开年报</a></div>
<div class="article">
%s<div class="article_extend"><span>来源：%s</span>&nbsp;&nbsp;<span>时间：%s</span>&nbsp;&nbsp;<a href="javascript:window.print()">打印</a></div>
`, charset, title, d.publishedISO, html.EscapeString(d.org), title, articleTitle, html.EscapeString(d.org), d.publishedISO)
	b.WriteString(content)
	b.WriteString(`</div>
<div class="related"><a href="../">上一篇</a> <a href="../">下一篇</a></div>
<div class="footer">主办单位：` + html.EscapeString(d.org) + `&nbsp;&nbsp;网站标识码：0000000000&nbsp;&nbsp;<a href="/sitemap/">网站地图</a></div>
</body>
</html>
`)
	return b.Bytes()
}

func renderHTML(_ context.Context, d *document, r *rand.Rand) ([]byte, error) {
	return htmlPage(d, "utf-8", `<div class="TRS_Editor">`+"\n"+htmlBody(d, r)+"</div>\n"), nil
}

// renderHTMLGBK is the same page served in GBK, as many sites do.
func renderHTMLGBK(_ context.Context, d *document, r *rand.Rand) ([]byte, error) {
	page := htmlPage(d, "gbk", `<div class="TRS_Editor">`+"\n"+htmlBody(d, r)+"</div>\n")
	out, err := simplifiedchinese.GBK.NewEncoder().Bytes(page)
	if err != nil {
		return nil, fmt.Errorf("encode GBK: %w", err)
	}
	return out, nil
}

// renderHTMLJS puts the article in a JavaScript string literal, every quote
// escaped, written into the page by a script.
func renderHTMLJS(_ context.Context, d *document, r *rand.Rand) ([]byte, error) {
	inner := `<div class="TRS_Editor">` + htmlBody(d, r) + `</div>`
	var js strings.Builder
	for _, c := range inner {
		switch c {
		case '"':
			js.WriteString(`\"`)
		case '\\':
			js.WriteString(`\\`)
		case '\n':
			js.WriteString(`\n`)
		case '/':
			js.WriteString(`\/`)
		default:
			js.WriteRune(c)
		}
	}
	content := `<div id="zoom"></div>
<script type="text/javascript">
var content = "` + js.String() + `";
document.getElementById("zoom").innerHTML = content;
</script>
`
	return htmlPage(d, "utf-8", content), nil
}
