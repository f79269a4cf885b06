package ingest

import (
	"bytes"
	"io"
	"strings"
	"unsafe"

	"golang.org/x/net/html"
)

// pageTokenizer gives the stream (html_stream.go) the tokens x/net/html's
// Tokenizer gives, for the page held in memory. The Tokenizer reads a
// byte at a time through its buffer, copies every attribute key to drop
// duplicates and allocates per tag: about a third of an HTML parse
// (issue 11). Here the common tokens of a report page are read straight
// off the page: text, start and end tags whose attributes are plain
// (quoted values, or unquoted ones of plain characters), and the raw text
// of script, style, title, textarea and the other raw-text elements when
// its end is plain (rawTextEnd). Everything else (comments, doctypes, <!
// and <? markup, a tag with a carriage return, a NUL, an entity in a
// value, an odd '/' or '=', a tag cut by the end of the page, a raw-text
// element whose end is not plain, with its text) is handed to an x/net/html
// Tokenizer started where the token starts. Between tokens outside raw text the Tokenizer holds no
// state but its position (and whether CDATA is allowed, which is passed
// on), so a fresh one started there reads that token exactly as one that
// had read the whole page; it is kept for the raw text after a raw-text
// element's start tag, and dropped at the next token boundary.
// TestPageTokenizerMatches compares the two token by token.
type pageTokenizer struct {
	page       []byte
	pos        int // where the next token starts
	tt         html.TokenType
	start, end int // the current token's raw bytes
	// the fast path's text, or the tag's name
	dStart, dEnd int
	attrs        []tagAttr
	nAttrRead    int
	err          error
	allowCDATA   bool
	// After a raw-text element's start tag read here: where its raw text
	// ends (-1: no raw text pending), and whether entities in it are
	// unescaped (textarea, title). textRC says so of the current token.
	rawEnd        int
	rawRC, textRC bool
	textRaw       bool // the current token is raw text

	// z reads the current token when the fast path does not; stay: z must
	// read the next token too (the raw text after a raw-text element).
	z    *html.Tokenizer
	stay bool
	buf  []byte
}

// tagAttr is one attribute of the current tag: where its key and value
// are in the page.
type tagAttr struct {
	kStart, kEnd, vStart, vEnd int
}

// readOnlyBytes is the bytes of s without a copy (a page is 100 KB,
// copied on every parse for nothing): for pageTokenizer, which only reads
// its page, and hands out of it only what its callers read (Raw) or copy.
func readOnlyBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

func newPageTokenizer(page []byte) *pageTokenizer {
	return &pageTokenizer{page: page, rawEnd: -1}
}

func (t *pageTokenizer) AllowCDATA(allow bool) { t.allowCDATA = allow }

// NextIsNotRawText is the Tokenizer's: only a delegated raw-text
// element's start tag makes the next token raw.
func (t *pageTokenizer) NextIsNotRawText() {
	t.rawEnd = -1
	if t.z != nil {
		t.z.NextIsNotRawText()
	}
}

func (t *pageTokenizer) Err() error {
	if t.tt != html.ErrorToken {
		return nil
	}
	return t.err
}

// Next reads the next token.
func (t *pageTokenizer) Next() html.TokenType {
	if t.err != nil {
		t.tt = html.ErrorToken
		if t.z != nil {
			t.z.Next() // an ErrorToken again, with no raw bytes
		} else {
			t.start = t.end
		}
		return t.tt
	}
	if t.z != nil && t.stay {
		return t.delegated()
	}
	t.z = nil
	t.textRaw, t.textRC = false, false
	p := t.page
	i := t.pos
	if end := t.rawEnd; end >= 0 {
		t.rawEnd = -1
		if end > i { // (empty raw text gives no token)
			t.tt = html.TextToken
			t.start, t.end, t.dStart, t.dEnd = i, end, i, end
			t.textRaw, t.textRC = true, t.rawRC
			t.pos = end
			return t.tt
		}
	}
	if i >= len(p) {
		t.tt, t.err = html.ErrorToken, io.EOF
		t.start, t.end = i, i
		return t.tt
	}
	if !tokenStart(p, i) {
		// Text runs to the next '<' that starts a tag, comment or
		// declaration, or to the end of the page.
		j := i
		for {
			k := bytes.IndexByte(p[j:], '<')
			if k < 0 {
				j = len(p)
				break
			}
			j += k
			if tokenStart(p, j) {
				break
			}
			j++
		}
		if bytes.IndexByte(p[i:j], '\r') >= 0 {
			return t.delegate() // newlines to convert
		}
		t.tt = html.TextToken
		t.start, t.end, t.dStart, t.dEnd = i, j, i, j
		t.pos = j
		return t.tt
	}
	switch c := p[i+1]; {
	case isASCIILetter(c):
		if t.startTag(i) {
			return t.tt
		}
	case c == '/' && i+2 < len(p) && isASCIILetter(p[i+2]):
		if t.endTag(i) {
			return t.tt
		}
	}
	return t.delegate()
}

// tokenStart says whether a tag, comment or declaration starts at i: a
// '<' followed by an ASCII letter, '/', '!' or '?'.
func tokenStart(p []byte, i int) bool {
	if p[i] != '<' || i+1 >= len(p) {
		return false
	}
	c := p[i+1]
	return isASCIILetter(c) || c == '/' || c == '!' || c == '?'
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// tagSpace are the blanks between a tag's parts (a carriage return sends
// the tag to the Tokenizer, which converts it in values).
func tagSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\f' }

// skipTagSpace returns the first position from i that is no tagSpace.
func skipTagSpace(p []byte, i int) int {
	for i < len(p) && tagSpace(p[i]) {
		i++
	}
	return i
}

// rawTextTags are the elements after whose start tag the Tokenizer reads
// raw text.
var rawTextTags = [][]byte{[]byte("iframe"), []byte("noembed"), []byte("noframes"), []byte("noscript"), []byte("plaintext"),
	[]byte("script"), []byte("style"), []byte("textarea"), []byte("title"), []byte("xmp")}

// tagNameAt reads a tag's name from i: up to a blank, '/' or '>'.
// ok=false when the name holds what the fast path leaves to the Tokenizer
// (a NUL, a carriage return) or the page ends in it.
func tagNameAt(p []byte, i int) (end int, ok bool) {
	for j := i; j < len(p); j++ {
		switch p[j] {
		case ' ', '\n', '\t', '\f', '/', '>':
			return j, true
		case '\r', 0:
			return 0, false
		}
	}
	return 0, false
}

// startTag reads a plain start tag at i; false leaves it to the Tokenizer.
func (t *pageTokenizer) startTag(i int) bool {
	p := t.page
	nameEnd, ok := tagNameAt(p, i+1)
	if !ok {
		return false
	}
	rawTag := rawTextTag(p[i+1 : nameEnd])
	t.attrs = t.attrs[:0]
	selfClosing := false
	j := nameEnd
	for {
		j = skipTagSpace(p, j)
		if j >= len(p) {
			return false
		}
		c := p[j]
		if c == '>' {
			j++
			break
		}
		if c == '/' {
			if j+1 < len(p) && p[j+1] == '>' {
				selfClosing = true
				j += 2
				break
			}
			return false
		}
		// an attribute's key: up to '=', a blank, '/' or '>'
		ks := j
		for j < len(p) && !tagSpace(p[j]) && p[j] != '=' && p[j] != '/' && p[j] != '>' {
			switch p[j] {
			case '\r', 0, '"', '\'', '<':
				return false
			}
			j++
		}
		if j == ks || j >= len(p) {
			return false // a key starting with '=', or the page ends
		}
		ke := j
		j = skipTagSpace(p, j)
		if j >= len(p) || p[j] == '\r' || p[j] == 0 {
			return false
		}
		vs, ve := ke, ke // no value: empty, at the key's end
		if p[j] == '=' {
			j = skipTagSpace(p, j+1)
			if j >= len(p) {
				return false
			}
			switch q := p[j]; q {
			case '"', '\'':
				// one pass to the closing quote; the Tokenizer unescapes
				// and converts values: those with '&', '\r' or NUL are its
				k := j + 1
				for ; k < len(p) && p[k] != q; k++ {
					if c := p[k]; c == '&' || c == '\r' || c == 0 {
						return false
					}
				}
				if k >= len(p) {
					return false
				}
				vs, ve = j+1, k
				j = ve + 1
			default:
				vs = j
				for j < len(p) && !tagSpace(p[j]) && p[j] != '>' {
					switch p[j] {
					case '"', '\'', '<', '=', '`', '/', '\r', 0, '&':
						return false
					}
					j++
				}
				if j == vs || j >= len(p) {
					return false // "<a b=>", or the page ends
				}
				ve = j
			}
		} else if p[j] == '/' && (j+1 >= len(p) || p[j+1] != '>') {
			return false
		}
		// of two keys equal once ASCII capitals are lowered, the first is
		// kept
		dup := false
		for _, a := range t.attrs {
			if equalLowerASCII(p[a.kStart:a.kEnd], p[ks:ke]) {
				dup = true
				break
			}
		}
		if !dup {
			t.attrs = append(t.attrs, tagAttr{ks, ke, vs, ve})
		}
	}
	if rawTag != nil {
		end, ok := rawTextEnd(p, j, rawTag)
		if !ok {
			return false // the Tokenizer reads it, and its raw text
		}
		t.rawEnd = end
		t.rawRC = string(rawTag) == "textarea" || string(rawTag) == "title"
	}
	t.tt = html.StartTagToken
	if selfClosing {
		t.tt = html.SelfClosingTagToken
	}
	t.start, t.end, t.dStart, t.dEnd = i, j, i+1, nameEnd
	t.nAttrRead = 0
	t.pos = j
	return true
}

// endTag reads a plain end tag at i ("</td>", "</td >"); false leaves it
// to the Tokenizer.
func (t *pageTokenizer) endTag(i int) bool {
	p := t.page
	nameEnd, ok := tagNameAt(p, i+2)
	if !ok {
		return false
	}
	j := skipTagSpace(p, nameEnd)
	if j >= len(p) || p[j] != '>' {
		return false
	}
	t.tt = html.EndTagToken
	t.attrs = t.attrs[:0]
	t.start, t.end, t.dStart, t.dEnd = i, j+1, i+2, nameEnd
	t.pos = j + 1
	return true
}

// equalLowerASCII says whether a and b are equal once their ASCII
// capitals are lowered (the Tokenizer's rule for duplicate keys).
func equalLowerASCII(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// isRawTextTag says whether a tag name (any ASCII case) is a raw-text
// element's.
func isRawTextTag(name []byte) bool {
	return rawTextTag(name) != nil
}

// rawTextTag is the raw-text element a tag name (any ASCII case) names,
// or nil.
func rawTextTag(name []byte) []byte {
	for _, r := range rawTextTags {
		if equalLowerASCII(name, r) {
			return r
		}
	}
	return nil
}

// rawTextEnd finds where the raw text from i after a start tag of tag
// ends: at the first "</" and tag (any ASCII case) followed by a blank,
// '/' or '>'. ok=false leaves the tag and its text to the Tokenizer: the
// end is missing, or the text needs what Text does to raw text (a
// carriage return, a NUL), or is a script with "<!--" before its end,
// where the script's escaping rules may move the end, or is plaintext.
func rawTextEnd(p []byte, i int, tag []byte) (end int, ok bool) {
	if string(tag) == "plaintext" {
		return 0, false
	}
	for j := i; ; {
		k := bytes.Index(p[j:], []byte("</"))
		if k < 0 {
			return 0, false
		}
		j += k
		n := j + 2 + len(tag)
		if n < len(p) && equalLowerASCII(p[j+2:n], tag) {
			switch p[n] {
			case ' ', '\n', '\r', '\t', '\f', '/', '>':
				text := p[i:j]
				if bytes.IndexByte(text, '\r') >= 0 || bytes.IndexByte(text, 0) >= 0 ||
					string(tag) == "script" && bytes.Contains(text, []byte("<!--")) {
					return 0, false
				}
				return j, true
			}
		}
		j += 2
	}
}

// delegate reads the token at t.pos with a Tokenizer started there.
func (t *pageTokenizer) delegate() html.TokenType {
	t.z = html.NewTokenizer(bytes.NewReader(t.page[t.pos:]))
	t.stay = false
	return t.delegated()
}

// delegated reads the next token with t.z.
func (t *pageTokenizer) delegated() html.TokenType {
	t.z.AllowCDATA(t.allowCDATA)
	t.tt = t.z.Next()
	t.stay = false
	if t.tt == html.ErrorToken {
		t.err = t.z.Err()
		return t.tt
	}
	raw := t.z.Raw()
	t.start, t.end = t.pos, t.pos+len(raw)
	t.pos = t.end
	if t.tt == html.StartTagToken || t.tt == html.SelfClosingTagToken {
		// after a raw-text element's start tag the Tokenizer reads raw text
		name := raw[1:]
		for k, c := range name {
			if c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '/' || c == '>' {
				name = name[:k]
				break
			}
		}
		t.stay = isRawTextTag(name)
	}
	return t.tt
}

// Raw is the current token's bytes as in the page.
func (t *pageTokenizer) Raw() []byte {
	if t.z != nil {
		return t.z.Raw()
	}
	return t.page[t.start:t.end]
}

// TextString is string(Text()) of the Tokenizer: the text, unescaped.
func (t *pageTokenizer) TextString() string {
	if t.z != nil {
		return string(t.z.Text())
	}
	if t.tt != html.TextToken {
		return ""
	}
	s := string(t.page[t.dStart:t.dEnd])
	if !t.textRaw || t.textRC { // text, or a textarea's or title's
		if strings.IndexByte(s, '&') >= 0 {
			return html.UnescapeString(s)
		}
	}
	return s
}

// TagName is the Tokenizer's: the name lower-cased (a fast-path name has
// no NUL).
func (t *pageTokenizer) TagName() (name []byte, hasAttr bool) {
	if t.z != nil {
		return t.z.TagName()
	}
	switch t.tt {
	case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
		name := make([]byte, t.dEnd-t.dStart)
		for i, c := range t.page[t.dStart:t.dEnd] {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			name[i] = c
		}
		return name, t.nAttrRead < len(t.attrs)
	}
	return nil, false
}

// TagAttr is the Tokenizer's: the next attribute, its key lower-cased
// (ASCII) and its value as written (a fast-path value needs no
// unescaping).
func (t *pageTokenizer) TagAttr() (key, val []byte, moreAttr bool) {
	if t.z != nil {
		return t.z.TagAttr()
	}
	if t.nAttrRead >= len(t.attrs) || (t.tt != html.StartTagToken && t.tt != html.SelfClosingTagToken) {
		return nil, nil, false
	}
	a := t.attrs[t.nAttrRead]
	t.nAttrRead++
	t.buf = t.buf[:0]
	for i := a.kStart; i < a.kEnd; i++ {
		c := t.page[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		t.buf = append(t.buf, c)
	}
	kl := len(t.buf)
	t.buf = append(t.buf, t.page[a.vStart:a.vEnd]...)
	return t.buf[:kl:kl], t.buf[kl:], t.nAttrRead < len(t.attrs)
}
