package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/gen"
)

// The streaming HTML reader (html_stream.go, html_walk.go) must give the
// Document the tree reader (readHTMLTree: x/net/html's Parse and
// htmlWalker, the reader as it was before issue 11) gives, on every page.
// Pages the stream hands to the tree are equal by construction; these
// tests also say which inputs must stay on the stream.

// htmlSame reads one page both ways and reports a difference; stream says
// whether the stream read it itself.
func htmlSame(t *testing.T, name string, data []byte) (stream bool) {
	t.Helper()
	text, err := decodeHTML(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if looksEscaped(text) {
		text = unescapeJS(text)
	}
	want, wantErr := readHTMLTree(name, text)
	got, err := readHTMLStream(name, text)
	if errors.Is(err, errNeedTree) || errors.Is(err, errTooDeep) {
		return false
	}
	if (err == nil) != (wantErr == nil) {
		t.Errorf("%s: stream error %v, tree error %v", name, err, wantErr)
		return true
	}
	if err != nil {
		return true
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(Document{})); diff != "" {
		t.Errorf("%s: stream and tree differ (-tree +stream):\n%s", name, diff)
	}
	return true
}

// TestHTMLStreamMatchesTree: a generated district in every HTML
// rendering (UTF-8, GBK, a report inside JavaScript; with noise), the
// fixtures, the golden cases and the corpus page are read by the stream
// itself, into the tree reader's Documents.
func TestHTMLStreamMatchesTree(t *testing.T) {
	in := oracleDistrict(t, gen.HTML, gen.HTMLGBK, gen.HTMLJS)
	for k, v := range oracleFiles(t, "input.html") {
		in[k] = v
	}
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "html", "*"))
	for _, p := range fixtures {
		d, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		in[p] = d
	}
	n := 0
	for name, data := range in {
		if !strings.HasSuffix(name, ".html") && !strings.HasPrefix(name, "html") && !strings.HasSuffix(name, ".json") {
			continue
		}
		n++
		if !htmlSame(t, name, data) {
			t.Errorf("%s: handed to the tree; the stream must read it", name)
		}
	}
	if n < 100 {
		t.Fatalf("only %d pages compared", n)
	}
}

// TestHTMLStreamMarkup: markup the tree construction rearranges, one
// case each; every case must read the same both ways, and those marked
// stream must be read by the stream itself.
func TestHTMLStreamMarkup(t *testing.T) {
	for _, c := range []struct {
		name, html string
		stream     bool
	}{
		{"implied p, li, td and tr ends", `<p>一<p>二<ul><li>a<li>b</ul><table><tr><td>x<td>y<tr><td>1<td>2</table>`, true},
		{"implied tbody, thead, caption, colgroup", `<table><caption>表一<colgroup><col><col></colgroup><thead><tr><th>a<th>b<tbody><tr><td>1<td>2</table>`, true},
		{"spans", `<table><tr><td rowspan="2" colspan=3px>a<td>b<tr><td colspan=\"2\">c<td rowspan=0>d</table>`, true},
		{"layout table with a table inside", `<table><tr><td>导航<td><table><tr><td>1<td>2</table>正文</table>`, true},
		{"layout table without two cells in a row", `<table><tr><td>一<tr><td>二</table>`, true},
		{"cell past maxDataCellRunes", `<table><tr><td>` + strings.Repeat("字", maxDataCellRunes+1) + `<td>b</table>`, true},
		{"blocks and br in cells", `<table><tr><td><p>本年<p>制发<td>a<br>b<div>c</div>d</table>`, true},
		{"text merged over ignored tags", `<p>1</span>2</td>3<!-- c -->4 5</p>`, true},
		{"ignored end tags and stray cells", `<div>a</b></i>b<td>c</td><tr>d</div></p>e`, true},
		{"formatting closed by a block end", `<p><b>粗<i>斜</p>续</i>后</b>尾`, true},
		{"furthest block", `<p><b>粗<i>斜</p>续<p>再</b>后`, false},
		{"formatting reconstructed", `<b>1<p>2</b>3</p>4`, false},
		{"nested a", `<a href=1>x<a href=2>y</a>`, false},
		{"Noah's ark", `<p><b>1<b>2<b>3<b>4<b>5</p>6`, true},
		{"title, script, style, textarea", `<head><title> 标题 </title><style>td{}</style><script>var a="<td>";</script></head><body><textarea>
区</textarea><pre>
格</pre></body>`, true},
		{"title and script inside cells", `<table><tr><td><title>t</title>x<script>s</script><td>y<textarea>z</textarea></table>`, true},
		{"script carrying a table", `<p>前<script>document.write("<table><tr><td colspan=\"2\">\u4e00</td></tr><tr><td>a<td>b</table>")</script>后`, true},
		{"escaped markup in text", `<div>&lt;table&gt;&lt;tr&gt;&lt;td&gt;1&lt;td&gt;2&lt;/table&gt;</div>`, true},
		{"skipped elements", `<p>a<select><option>x<option>y</select>b<svg><title>i</title><path/></svg>c<noscript><p>n</p></noscript><img>d<button>e</button>`, true},
		{"svg with an html tag", `<svg><p>x</p></svg>y`, false},
		{"math with html in a text integration point", `<math><mi><b>x</b></mi></math>y`, true},
		{"annotation-xml", `<math><annotation-xml encoding="text/html"><p>y</p></annotation-xml></math>z`, false},
		{"text in a table outside cells", `<table><tr>散<td>a<td>b</table>`, false},
		{"element in a table outside cells", `<table><div>x</div><tr><td>a<td>b</table>`, false},
		{"table in table", `<table><tr><td>a<td>b</td></tr><table><tr><td>c<td>d</table>`, true},
		{"after body and html", `<html><body><p>a</body></html>b<!-- c -->c<p>d`, true},
		{"head content then text", `<meta charset=utf-8>  正文<title>x</title>`, true},
		{"headings and lists", `<h1>一<h2>二</h1>三<dl><dt>a<dd>b<dt>c</dl><ol><li>1<li><p>2</ol>`, true},
		{"forms", `<form><p>a</form>b<form>c</form>`, true},
		{"form closed under an open child", `<form><div>a</form>b</div>`, false},
		{"unclosed at the end", `<div><table><tr><td>a<td>b`, true},
		{"quirks: table inside p", `<p>a<table><tr><td>1<td>2</table>b</p>`, true},
		{"no quirks: table ends p", `<!DOCTYPE html><p>a<table><tr><td>1<td>2</table>b</p>`, true},
		{"xhtml doctype", `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><p>a<table><tr><td>1<td>2</table>`, true},
		{"nul and crlf", "<p>a\x00b\r\nc\rd</p>", true},
		{"deep nesting", strings.Repeat("<div>", 600) + "x", false},
		{"template", `<template><p>x</template>y`, false},
		{"frameset", `<frameset><frame></frameset>`, false},
		{"plaintext", `<p>a<plaintext><td>b</td>`, true},
		{"entities", `<p>&nbsp;&amp;&lt;&#x4e00;&copy&notanentity;</p><table><tr><td title="a&amp;b">&nbsp;<td>1&nbsp;2</table>`, true},
		{"word export", `<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><div class=WordSection1><p class=MsoNormal><span lang=EN-US>1<o:p></o:p></span></p><table class=MsoTableGrid><tr><td><p><span>本年</span><span>新增</span></p></td><td><p>2<o:p>&nbsp;</o:p></p></td></tr></table></div></body></html>`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := htmlSame(t, c.name, []byte(c.html)); got != c.stream {
				t.Errorf("read by the stream: %v, want %v", got, c.stream)
			}
		})
	}
}

// TestHTMLStreamRandomMarkup: pages of random tags, texts and comments
// from the vocabulary report pages use (and some they do not), with a
// fixed seed, read the same both ways.
func TestHTMLStreamRandomMarkup(t *testing.T) {
	vocab := []string{
		"<p>", "</p>", "<div>", "</div>", "<br>", "</br>", "<span>", "</span>", "<b>", "</b>", "<i>", "</i>",
		"<font color=red>", "</font>", "<a href=x>", "</a>", "<table>", "</table>", "<tr>", "</tr>",
		"<td>", "</td>", "<th>", "</th>", `<td colspan="2">`, `<td rowspan=2>`, "<tbody>", "</tbody>",
		"<thead>", "<caption>", "</caption>", "<colgroup><col>", "<ul>", "<li>", "</li>", "</ul>", "<h1>", "</h1>",
		"<h3>", "<pre>\n", "</pre>", "<title>题</title>", "<script>var t='<table><tr><td>1<td>2</table>'</script>",
		"<style>p{}</style>", "<textarea>\nx</textarea>", "<select><option>o</select>", "<svg><title>s</title><g/></svg>",
		"<img>", "<input>", "<!-- c -->", "<o:p>", "</o:p>", "<center>", "</center>", "<form>", "</form>",
		"<head>", "</head>", "<body>", "</body>", "</html>", "<html>", "<meta charset=utf-8>", "<hr>",
		"<button>", "</button>", "<object>", "</object>", "<dl><dt>", "<dd>", "<nobr>", "<strong>", "</strong>",
		"一", "二三", "12", " ", "\n", "&nbsp;", "a b", "本年新收政府信息公开申请数量", "&lt;td&gt;",
	}
	seed := uint64(11)
	if s := os.Getenv("HTML_RANDOM_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	next := xorshift(seed)
	streamed := 0
	pages := 4000
	if s := os.Getenv("HTML_RANDOM_PAGES"); s != "" {
		pages, _ = strconv.Atoi(s)
	}
	for i := 0; i < pages; i++ {
		var b strings.Builder
		if next(3) == 0 {
			b.WriteString("<!DOCTYPE html>")
		}
		for j := 0; j < 5+next(60); j++ {
			b.WriteString(vocab[next(len(vocab))])
		}
		if htmlSame(t, b.String(), []byte(b.String())) {
			streamed++
		}
		if t.Failed() {
			t.Fatalf("page %d differs", i)
		}
	}
	t.Logf("%d of %d random pages read by the stream", streamed, pages)
	if streamed < pages/4 {
		t.Errorf("only %d of %d random pages read by the stream", streamed, pages)
	}
}

func TestHasSpanAttr(t *testing.T) {
	for raw, want := range map[string]bool{
		`<td colspan="2">`: true, `<TD COLSPAN=2>`: true, `<td rowSpan='3'>`: true, `<th class="a" rowspan>`: true,
		`<td>`: false, `<td class="colspa">`: false, `<td style="width:1px">`: false, `<td span=2>`: false,
	} {
		if got := hasSpanAttr([]byte(raw)); got != want {
			t.Errorf("hasSpanAttr(%s) = %v, want %v", raw, got, want)
		}
	}
}

// TestHTMLStreamLongTable: a table past maxTableLog events drops its log;
// read as data it stays on the stream, and one that then turns out to lay
// out the page (one cell a row) goes to the tree: both as the tree reads
// them.
func TestHTMLStreamLongTable(t *testing.T) {
	wide := "<table><tr>" + strings.Repeat("<td>0", maxTableLog/2) + "</table>"
	if !htmlSame(t, "wide", []byte(wide)) {
		t.Error("a long data table went to the tree")
	}
	narrow := "<table>" + strings.Repeat("<tr><td>0", maxTableLog/2) + "</table>"
	if htmlSame(t, "narrow", []byte(narrow)) {
		t.Error("a long layout table past the log bound stayed on the stream")
	}
}
