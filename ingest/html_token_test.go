package ingest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"gongkai/gen"
)

// tokensOf lists what x/net/html's Tokenizer gives for page, as the
// stream reads it: type, raw bytes, text or name and attributes.
// rawAfter, when set, says whether NextIsNotRawText is called after a
// start tag (by its name).
func tokensOfTokenizer(page []byte, cdata bool, notRaw func(string) bool) []string {
	z := html.NewTokenizer(bytes.NewReader(page))
	return collectTokens(z.AllowCDATA, z.Next, z.Raw, func() string { return string(z.Text()) }, z.TagName, z.TagAttr, z.Err, z.NextIsNotRawText, cdata, notRaw)
}

func tokensOfPage(page []byte, cdata bool, notRaw func(string) bool) []string {
	z := newPageTokenizer(page)
	return collectTokens(z.AllowCDATA, z.Next, z.Raw, z.TextString, z.TagName, z.TagAttr, z.Err, z.NextIsNotRawText, cdata, notRaw)
}

func collectTokens(allow func(bool), next func() html.TokenType, raw func() []byte, text func() string,
	name func() ([]byte, bool), attr func() ([]byte, []byte, bool), errf func() error, notRawText func(), cdata bool, notRaw func(string) bool) []string {
	var out []string
	for i := 0; i < 1<<20; i++ {
		allow(cdata && i%2 == 0)
		tt := next()
		s := fmt.Sprintf("%v %q", tt, raw())
		switch tt {
		case html.ErrorToken:
			out = append(out, fmt.Sprintf("%s %v", s, errf()))
			// and again: an ErrorToken stays
			tt = next()
			return append(out, fmt.Sprintf("%v %q %v", tt, raw(), errf()))
		case html.TextToken, html.CommentToken, html.DoctypeToken:
			s += fmt.Sprintf(" text %q", text())
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			n, has := name()
			s += fmt.Sprintf(" name %q %v", n, has)
			for has {
				var k, v []byte
				k, v, has = attr()
				s += fmt.Sprintf(" %q=%q", k, v)
			}
			if tt == html.StartTagToken && notRaw != nil && notRaw(string(n)) {
				notRawText()
			}
		}
		out = append(out, s)
	}
	return append(out, "too many tokens")
}

// tokenizerPages are pages to compare the tokenizers on: the generated
// district in every HTML rendering, the HTML fixtures and golden cases,
// and markup edge cases.
func tokenizerPages(t *testing.T) [][]byte {
	t.Helper()
	var pages [][]byte
	items, err := gen.Build(gen.Options{
		District: "威海市文登区", Townships: 2, Departments: 2, FirstYear: 2020, LastYear: 2021,
		Seed: 5, Violations: 0.1, Noise: 0.5, Typos: 0.3,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, rn := range []string{gen.HTML, gen.HTMLGBK, gen.HTMLJS} {
		docs, err := gen.RenderBatch(t.Context(), rn, items)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if text, err := decodeHTML(d); err == nil {
				pages = append(pages, []byte(text))
				pages = append(pages, []byte(unescapeJS(text)))
			}
		}
	}
	for _, glob := range []string{"testdata/html/*", "../testdata/*/input.html", "../testdata/*/input.htm"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			if data, err := os.ReadFile(f); err == nil {
				pages = append(pages, data)
			}
		}
	}
	for _, s := range tokenizerEdgeCases {
		pages = append(pages, []byte(s))
	}
	return pages
}

var tokenizerEdgeCases = []string{
	"", "<", "a<", "<a", "<a ", "<a b", "<a b=", "<a b='x", "<a b=x", "</", "</a", "</a ", "</>", "</ a>", "<!", "<!-", "<!--", "<?x>", "<1>", "< a>",
	"<a>", "<A HREF=x>", "<a b=c d='e' f=\"g\" h>", "<a b = c>", "<a b=>", "<a =b>", "<a b==c>", "<a b=c=d>", "<a b=c/>", "<a b='c'/>", "<a b/>", "<a b />",
	"<br/>", "<br />", "<br/ >", "<a/b>", "<a b/c>", "<a\tb\nc\fd>", "<a\rb>", "<a b=\"x\ry\">", "<a b=\"&amp;\">", "<a b=&amp>", "<a b=x&y>",
	"<a b=c B=d>", "<a Ab=1 aB=2 ab=3>", "<a ß=1 SS=2>", "<a \u212a=1 k=2>", "<a\x00b>", "<a b=\"\x00\">", "<a \x00=1>", "<td colspan=2 ROWSPAN=\"3\">",
	"<a b='x\"y'>", "<a b=\"x'y\">", "<a b=`x`>", "<a b=x<y>", "<a b<c>", "<a'b>", "<a b'c=d>", "<a b=x\"y>",
	"</td>", "</TD >", "</td x>", "</td/>", "</td\r>", "</t\x00d>", "</td\n\t>",
	"a&amp;b&lt;c&nbsp;d&#20013;&#x4e2d;&noentity;&amp", "a\rb\r\nc\n\rd", "a\x00b", "x<y", "x < y", "x<1", "1<2>3", "<<a>>", "a<!b>c", "a<?b>c",
	"<script>a<b</script>c", "<script>x</SCRIPT >y", "<script><!--<script>x</script>--></script>z", "<SCRIPT>x</script>", "<script/>x</script>",
	"<style>a</style>", "<title>a&amp;b</title>", "<textarea>x\r\ny</textarea>", "<xmp><b></xmp>", "<iframe>x</iframe>", "<noscript>x</noscript>",
	"<noembed>a</noembed><noframes>b</noframes>", "<plaintext>a</plaintext><b>", "<script>", "<script>abc", "<title>", "<titles>x</titles>", "<scripts>x",
	"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>x</body></html>", "<!doctype html public \"x\">", "<!-- a -- b -->", "<!--->",
	"<!-->", "<!-- x --!>y", "<![CDATA[x]]>y", "<svg><![CDATA[a<b]]></svg>", "<math><mi>x</mi></math>", "<svg><title>t</title></svg>",
	"中文<td>一</td>二", "<p class=\"中\">文</p>", "<a href=http://x.cn/a?b=1>l</a>", "<img src=x.png/>", "<td nowrap>1</td>",
	"<table><tr><td rowspan=3 colspan=2>a<td>b<tr><td>c</table>",
	"<script>a</scripty>b</script>", "<script>x</script\n>", "<script>x</script/>", "<style>a</STYLE>", "<title>&amp;</title>",
	"<textarea>&lt;x</textarea>", "<script>a<!--b</script>", "<script>a<!-b</script>c", "<xmp>&amp;</xmp>", "<iframe>&amp;</iframe>",
	"<script>\x00</script>", "<script>x</script", "<ScRiPt>x</sCrIpT>", "<title></title>", "<script></script>", "<script>a</", "<script>a</scr",
	"<script type=\"text/x\">if(a<b&&c>d){}</script>", "<style>p{}</style><p>x", "<title>t</title >", "<noscript><p>x</p></noscript>",
	"<script>a</script\r>", "<script>a\rb</script>", "<title>a\x00</title>", "<script/>x</script>", "<svg><title>x</title></svg>",
}

func TestPageTokenizerMatches(t *testing.T) {
	notRawSVG := func(name string) bool { return name == "title" || name == "style" }
	for i, page := range tokenizerPages(t) {
		for _, cdata := range []bool{false, true} {
			for _, notRaw := range []func(string) bool{nil, notRawSVG} {
				want := tokensOfTokenizer(page, cdata, notRaw)
				got := tokensOfPage(page, cdata, notRaw)
				if len(got) != len(want) {
					t.Errorf("page %d (%.80q): %d tokens, the Tokenizer gives %d", i, page, len(got), len(want))
				}
				for k := range min(len(got), len(want)) {
					if got[k] != want[k] {
						t.Errorf("page %d (%.80q) token %d:\n got  %s\n want %s", i, page, k, got[k], want[k])
						break
					}
				}
			}
		}
	}
}

// Every prefix and suffix of the edge cases, cut at every byte.
func TestPageTokenizerMatchesCuts(t *testing.T) {
	all := strings.Join(tokenizerEdgeCases, "")
	for _, s := range append(tokenizerEdgeCases, all) {
		for i := 0; i <= len(s); i++ {
			for _, p := range []string{s[:i], s[i:], s[:i] + "<td a=1>x" + s[i:]} {
				want := tokensOfTokenizer([]byte(p), false, nil)
				got := tokensOfPage([]byte(p), false, nil)
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Fatalf("%q:\n got  %q\n want %q", p, got, want)
				}
			}
		}
	}
}

// Random pages glued from the edge cases and report markup, with a fixed
// seed, tokenize alike.
func TestPageTokenizerRandom(t *testing.T) {
	vocab := append([]string{
		"<p>", "</p>", "<td>", "</td>", "<tr>", "<table>", "</table>", `<td colspan="2">`, "<td rowspan=2>", "一", "二三", " ", "\n",
		"&nbsp;", "<script>var t='<table><tr><td>1<td>2</table>'</script>", "<!-- c -->", "<br/>", "<o:p>", "</o:p>", "<span style='x:y'>",
		"<font color=red>", "</font>", "<b>", "</b>", "<svg>", "</svg>", "<title>", "</title>", "<", ">", "/", "=", "'", "\"", "&", "\r", "\x00",
	}, tokenizerEdgeCases...)
	next := xorshift(7)
	for i := range 20000 {
		var b strings.Builder
		for range 1 + next(30) {
			b.WriteString(vocab[next(len(vocab))])
		}
		p := []byte(b.String())
		want := tokensOfTokenizer(p, i%3 == 0, nil)
		got := tokensOfPage(p, i%3 == 0, nil)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("page %d %q:\n got  %q\n want %q", i, p, got, want)
		}
	}
}

func FuzzPageTokenizer(f *testing.F) {
	for _, s := range tokenizerEdgeCases {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, page []byte, cdata bool) {
		if len(page) > 1<<16 {
			return
		}
		notRaw := func(name string) bool { return cdata && name == "title" }
		want := tokensOfTokenizer(page, cdata, notRaw)
		got := tokensOfPage(page, cdata, notRaw)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%q:\n got  %q\n want %q", page, got, want)
		}
	})
}
