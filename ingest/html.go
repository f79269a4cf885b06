package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"gongkai"
)

// The HTML reader covers pages exported from Word and served by government
// sites: tables with rowspan/colspan, &nbsp; blanks, <br> and several <p>
// inside one cell, site navigation around the article, GBK/GB18030 as well
// as UTF-8, and a report hidden in a JavaScript string (document.write,
// JSON) with every quote escaped.

const (
	// maxHTMLBytes bounds the input; real report pages are well under 1 MB.
	maxHTMLBytes = 64 << 20
	// maxTableCells bounds one table's grid so that colspan="1000" on many
	// rows cannot blow up memory.
	maxTableCells = 200_000
	// maxSpan bounds colspan and rowspan (the HTML spec caps colspan at
	// 1000 and rowspan at 65534; real reports never exceed a few dozen).
	maxColSpan = 1000
	maxRowSpan = 65534
	// maxEmbedDepth bounds how often markup found inside a script string
	// is parsed again.
	maxEmbedDepth = 3
)

// htmlNeedles are the markup sniffHTML looks for in the head, in any
// ASCII case (hasFold).
var htmlNeedles = [][]byte{
	[]byte("<!doctype html"), []byte("<html"), []byte("<table"), []byte("<td"),
	[]byte("<body"), []byte("<meta"), []byte(`\u003ctable`), []byte(`\u003ctd`),
	[]byte("&lt;table"), []byte("&lt;td"),
}

// sniffHTML looks for markup in the first bytes: an HTML page, a fragment
// with table tags, or a script/JSON string carrying table tags.
func sniffHTML(h *sniffHead) bool {
	head := h.head
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	for _, m := range htmlNeedles {
		if hasFold(head, m) {
			return true
		}
	}
	ext := strings.ToLower(h.name)
	return strings.HasSuffix(ext, ".html") || strings.HasSuffix(ext, ".htm") ||
		strings.HasSuffix(ext, ".shtml") || strings.HasSuffix(ext, ".xhtml")
}

// readHTML decodes the page to UTF-8, parses it with x/net/html and walks
// the tree into prose lines and table grids.
func readHTML(path string, data []byte) (*Document, error) {
	if len(data) > maxHTMLBytes {
		return nil, fmt.Errorf("html: %w: %d bytes is more than the %d-byte limit",
			gongkai.ErrUnreadable, len(data), maxHTMLBytes)
	}
	text, notUTF8, err := decodeHTMLAs(data)
	if err != nil {
		return nil, fmt.Errorf("html: %w: %v", gongkai.ErrUnreadable, err)
	}
	if looksEscaped(text) {
		// a .js or JSON file carrying the report as a string literal:
		// without unescaping, colspan=\"2\" would read as no span.
		text = unescapeJS(text)
	}
	doc, err := readHTMLStream(path, text)
	if errors.Is(err, errNeedTree) || errors.Is(err, errTooDeep) {
		// Markup whose tree the stream does not rebuild (html_stream.go):
		// read the page's tree, as before the stream.
		doc, err = readHTMLTree(path, text)
	}
	if doc != nil {
		doc.notUTF8 = notUTF8
	}
	return doc, err
}

// readHTMLStream reads the decoded page in one pass over its tokens
// (html_stream.go, html_walk.go).
func readHTMLStream(path, text string) (*Document, error) {
	w := &htmlWalker{doc: &Document{Path: path, Rendering: "html"}}
	err := newTreeStream(text, &streamWalker{w: w}, false).run()
	if errors.Is(err, errNeedTree) || errors.Is(err, errTooDeep) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("html: %w: %v", gongkai.ErrUnreadable, err)
	}
	w.flush()
	return w.doc, nil
}

// readHTMLTree parses the page into x/net/html's tree and walks it.
func readHTMLTree(path, text string) (*Document, error) {
	root, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("html: %w: %v", gongkai.ErrUnreadable, err)
	}
	w := &htmlWalker{doc: &Document{Path: path, Rendering: "html"}}
	w.walk(root, 0)
	w.flush()
	return w.doc, nil
}

// decodeHTML returns the page as UTF-8. A byte-order mark wins; then valid
// UTF-8 (or UTF-8 with a few damaged bytes) is taken as UTF-8 even when
// the meta tag still names GBK (crawlers often transcode a page and keep
// its old meta); then the declared charset;
// and a page that is not UTF-8 and declares nothing usable is read as
// GB18030, the superset of GBK and GB2312 that Chinese sites serve.
func decodeHTML(data []byte) (string, error) {
	text, _, err := decodeHTMLAs(data)
	return text, err
}

// decodeHTMLAs is decodeHTML, and says whether the page was found to be
// no UTF-8 (nor damaged UTF-8: no BOM, not valid, damagedUTF8 false),
// which is exactly when encodingFindings finds nothing in it.
func decodeHTMLAs(data []byte) (text string, notUTF8 bool, err error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		return string(data[3:]), false, nil
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		text, err = decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), data)
		return text, false, err
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		text, err = decodeWith(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), data)
		return text, false, err
	}
	if utf8.Valid(data) {
		return string(data), false, nil
	}
	if isUTF8(data) {
		// a few damaged bytes in a UTF-8 page: replaced, not a reason to
		// read the page in another encoding (encoding.go)
		return strings.ToValidUTF8(string(data), "\uFFFD"), false, nil
	}
	if enc, name := declaredCharset(data); enc != nil && enc != encoding.Nop && enc != unicode.UTF8 {
		if enc == simplifiedchinese.GBK {
			// as browsers do: pages labelled gbk or gb2312 are decoded
			// with GB18030, which GBK is a subset of.
			enc = simplifiedchinese.GB18030
		}
		if name == "gbk" || name == "gb18030" {
			// Either decoder (x/text's gbkDecoder in its two modes) reads
			// ASCII and GBK's two-byte characters as gb18030Fast does;
			// anything else goes to the page's own decoder below.
			if s, ok := gb18030Fast(data); ok {
				return s, true, nil
			}
		}
		text, err = decodeWith(enc, data)
		return text, true, err
	}
	text, err = decodeWith(simplifiedchinese.GB18030, data)
	return text, true, err
}

func decodeWith(enc encoding.Encoding, data []byte) (string, error) {
	if enc == simplifiedchinese.GB18030 {
		if s, ok := gb18030Fast(data); ok {
			return s, nil // what x/text gives, without its machinery (gbk.go)
		}
	}
	// Decoder.Bytes starts from a buffer the size of the input and doubles
	// it; a Chinese page grows by half (two bytes a character become
	// three), so the buffer is made that size at once. The output is the
	// decoder's either way.
	out, _, err := transform.Append(enc.NewDecoder(), make([]byte, 0, len(data)+len(data)/2+16), data)
	if err != nil {
		return "", fmt.Errorf("decoding text: %w", err)
	}
	return string(out), nil
}

// declaredCharset finds <meta charset=…> or <meta http-equiv content=
// "text/html; charset=…"> anywhere before <body>, not only in the first
// 1024 bytes the HTML spec's prescan looks at (Word pages put long style
// blocks first). It returns nil when nothing is declared or the label is
// unknown, and the encoding's canonical name (charset.Lookup's) with it.
func declaredCharset(data []byte) (encoding.Encoding, string) {
	z := newPageTokenizer(data) // the Tokenizer's tokens, read off the page
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil, ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body", "table":
				return nil, ""
			case "meta":
				var label string
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					switch strings.ToLower(string(k)) {
					case "charset":
						label = string(v)
					case "content":
						if i := strings.Index(strings.ToLower(string(v)), "charset="); i >= 0 {
							label = strings.Trim(string(v)[i+len("charset="):], `"' ;`)
						}
					}
				}
				if label != "" {
					return charset.Lookup(label)
				}
			}
		}
	}
}

// htmlWalker accumulates the document while walking the node tree.
type htmlWalker struct {
	doc    *Document
	pieces []string // inline text of the paragraph being read
	para   int      // paragraphs emitted so far
}

// blockAtoms end a paragraph: their text is its own line.
var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true,
	atom.Nav: true, atom.Tr: true, atom.Td: true, atom.Th: true, atom.Table: true,
	atom.Blockquote: true, atom.Pre: true, atom.Hr: true, atom.Dd: true, atom.Dt: true,
	atom.Dl: true, atom.Form: true, atom.Center: true, atom.Title: true, atom.Main: true,
	atom.Aside: true, atom.Figure: true, atom.Figcaption: true, atom.Caption: true,
}

// skipAtoms hold no report text.
var skipAtoms = map[atom.Atom]bool{
	atom.Style: true, atom.Head: false, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Iframe: true, atom.Object: true,
	atom.Select: true, atom.Button: true, atom.Input: true, atom.Img: true,
}

func (w *htmlWalker) flush() {
	line := joinPieces(w.pieces)
	w.pieces = w.pieces[:0]
	if line == "" {
		return
	}
	w.para++
	w.doc.Lines = append(w.doc.Lines, Line{Text: line, Loc: "paragraph " + strconv.Itoa(w.para)})
}

func (w *htmlWalker) walk(n *html.Node, depth int) {
	switch n.Type {
	case html.TextNode:
		if hasEmbeddedTable(n.Data) && depth < maxEmbedDepth {
			w.embedded(n.Data, depth)
			return
		}
		w.pieces = append(w.pieces, n.Data)
		return
	case html.ElementNode:
		switch {
		case n.DataAtom == atom.Script || n.DataAtom == atom.Textarea:
			// Script text is raw: only a script that carries a report's
			// table markup matters.
			if n.FirstChild != nil && depth < maxEmbedDepth {
				var raw strings.Builder
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					raw.WriteString(c.Data)
				}
				if hasEmbeddedTable(raw.String()) {
					w.flush()
					w.embedded(raw.String(), depth)
				}
			}
			return
		case skipAtoms[n.DataAtom]:
			return
		case n.DataAtom == atom.Title:
			// The page title states the report's identity, often with the
			// site's name; it is a property, not a line of the report.
			var t strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.TextNode {
					t.WriteString(c.Data)
				}
			}
			if v := strings.TrimSpace(t.String()); v != "" {
				w.doc.Properties = append(w.doc.Properties, Property{Source: "HTML <title>", Kind: PropTitle, Value: v})
			}
			return
		case n.DataAtom == atom.Table && !isLayoutTable(n):
			w.flush()
			w.table(n, depth)
			return
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	block := n.Type == html.ElementNode && blockAtoms[n.DataAtom]
	if block {
		w.flush()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c, depth)
	}
	if block {
		w.flush()
	}
}

// looksEscaped reports whether a whole file is markup inside a JavaScript
// or JSON string (escaped attribute quotes or \u003c tags) rather than a
// page; markup inside a <script> element of a real page is handled where
// the script is met.
func looksEscaped(text string) bool {
	if strings.IndexByte(text, '\\') < 0 {
		return false // every mark below holds a backslash; most pages have none
	}
	if containsFold(text, "<script") {
		return false
	}
	return strings.Contains(text, `=\"`) || strings.Contains(text, `=\'`) ||
		containsFold(text, `\u003ctd`) || containsFold(text, `\u003ctable`)
}

// maxDataCellRunes is more text than any cell of the report's tables
// holds (the longest label has about 50 characters); a cell with more is
// page layout, not data.
const maxDataCellRunes = 300

// isLayoutTable reports whether a <table> lays out the page rather than
// holding data, as older government sites do: it contains another table,
// or no row has two cells, or a cell holds a whole article. Such a table
// is read as running text, and the tables inside it as tables.
func isLayoutTable(t *html.Node) bool {
	var rows, nested []*html.Node
	collectRows(t, t, &rows, &nested)
	if len(nested) > 0 {
		return true
	}
	wide := false
	for _, tr := range rows {
		cells := 0
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) {
				continue
			}
			cells++
			var inner []*html.Node
			if utf8.RuneCountInString(cellText(c, &inner)) > maxDataCellRunes || len(inner) > 0 {
				return true
			}
		}
		if cells >= 2 {
			wide = true
		}
	}
	return !wide
}

// hasEmbeddedTable reports whether raw text (a script body, a text node
// holding escaped markup) contains table markup worth parsing.
//
// The markers are ASCII and no other rune lowers to one of their letters,
// so they are looked for ignoring ASCII case only, without lowering a copy
// of every script body (strings.ToLower here cost 4 % of a parse).
func hasEmbeddedTable(s string) bool {
	if len(s) < 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			if hasPrefixFoldASCII(s[i+1:], "table") || hasPrefixFoldASCII(s[i+1:], "td") {
				return true
			}
		case '\\':
			r := s[i+1:]
			if hasPrefixFoldASCII(r, "u003ctable") || hasPrefixFoldASCII(r, "u003ctd") ||
				hasPrefixFoldASCII(r, "x3ctable") || hasPrefixFoldASCII(r, "x3ctd") {
				return true
			}
		}
	}
	return false
}

// embedded parses markup found inside a script or a text node: the
// JavaScript/JSON string escapes are undone first, then the result is
// parsed as a fragment of a <body> and walked in place.
func (w *htmlWalker) embedded(raw string, depth int) {
	text := unescapeJS(raw)
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(text), body)
	if err != nil {
		w.pieces = append(w.pieces, raw)
		return
	}
	for _, c := range nodes {
		w.walk(c, depth+1)
	}
	w.flush()
}

// unescapeJS undoes the backslash escapes of a JavaScript or JSON string
// literal (\" \' \\ \/ \n \t \r \uXXXX \xXX) over the whole text. Text
// outside string literals passes through; unknown escapes keep the escaped
// character.
func unescapeJS(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	// The text between escapes is copied a run at a time (an html_js page
	// is one long string literal).
	for i := 0; i < len(s); i++ {
		j := strings.IndexByte(s[i:], '\\')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+j])
		i += j
		if i+1 >= len(s) {
			b.WriteByte('\\')
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
					// a surrogate pair \uD83D\uDE00
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
			b.WriteByte(e) // \" \' \\ \/ and line continuations
		}
	}
	return b.String()
}

// cellLoc is fmt.Sprintf("table %d row %d col %d", n, row, col), written
// out: it is called for every cell of every table.
func cellLoc(n, row, col int) string {
	b := make([]byte, 0, 32)
	b = append(b, "table "...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, " row "...)
	b = strconv.AppendInt(b, int64(row), 10)
	b = append(b, " col "...)
	b = strconv.AppendInt(b, int64(col), 10)
	return string(b)
}

// errTableTooLarge stops a table whose grid would exceed maxTableCells.
var errTableTooLarge = errors.New("table too large")

// table turns a <table> into a grid. Cells covered by a rowspan/colspan get
// a copy of the spanning cell's text marked Spanned, so every row has a
// slot for every column. Nested tables are read as tables of their own,
// after this one, and do not add their text to the enclosing cell.
func (w *htmlWalker) table(t *html.Node, depth int) {
	var rows []*html.Node
	var nested []*html.Node
	collectRows(t, t, &rows, &nested)

	tableNo := len(w.doc.Tables) + 1
	g := newSpanGrid(len(rows))
	for r, tr := range rows {
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) {
				continue
			}
			text := cellText(c, &nested)
			colspan := spanAttr(c, "colspan", maxColSpan)
			rowspan := spanAttr(c, "rowspan", maxRowSpan)
			if err := g.place(r, text, rowspan, colspan); err != nil {
				break
			}
		}
	}
	// Reserve the table number before nested tables take theirs.
	w.doc.Tables = append(w.doc.Tables, Table{})
	w.doc.Tables[tableNo-1] = g.table(tableNo)
	for _, n := range nested {
		w.table(n, depth)
	}
}

// collectRows finds the <tr> elements of table t (through thead, tbody,
// tfoot), not those of tables nested in its cells, which go to nested.
func collectRows(t, n *html.Node, rows, nested *[]*html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.Tr:
			*rows = append(*rows, c)
		case atom.Table:
			*nested = append(*nested, c)
		case atom.Td, atom.Th:
			// a cell outside any row: the parser normally wraps it.
		default:
			collectRows(t, c, rows, nested)
		}
	}
}

// cellText returns a cell's text: its paragraphs, <br> lines and spans
// joined the way joinPieces does. Tables nested in the cell are skipped
// and handed back through nested.
func cellText(td *html.Node, nested *[]*html.Node) string {
	var pieces []string
	var cur strings.Builder
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			if n.DataAtom == atom.Table {
				*nested = append(*nested, n)
				return
			}
			if n.DataAtom == atom.Script || skipAtoms[n.DataAtom] {
				return
			}
		default:
			return
		}
		block := blockAtoms[n.DataAtom]
		if block {
			pieces = append(pieces, cur.String())
			cur.Reset()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
		if block {
			pieces = append(pieces, cur.String())
			cur.Reset()
		}
	}
	for c := td.FirstChild; c != nil; c = c.NextSibling {
		visit(c)
	}
	pieces = append(pieces, cur.String())
	return joinPieces(pieces)
}

// spanAttr reads a colspan/rowspan attribute: missing, zero or garbage is
// 1; values are capped at max.
func spanAttr(n *html.Node, key string, max int) int {
	for _, a := range n.Attr {
		if !strings.EqualFold(a.Key, key) {
			continue
		}
		return spanValue(a.Val, max)
	}
	return 1
}

// spanValue reads the value of a colspan/rowspan attribute: zero or
// garbage is 1; values are capped at max.
func spanValue(val string, max int) int {
	// escaped quotes left in the value (colspan=\"2\") are not part
	// of the number.
	v := strings.Trim(val, " \t\n\\\"'")
	// browsers read the leading digits: "2;" or "3px" still span.
	end := 0
	for end < len(v) && v[end] >= '0' && v[end] <= '9' {
		end++
	}
	if end == 0 {
		return 1
	}
	n, err := strconv.Atoi(v[:end])
	if err != nil || n < 1 {
		return 1
	}
	if n > max {
		return max
	}
	return n
}

// spanGrid places cells with row and column spans into a grid of a known
// number of rows. It is shared by the HTML and DOCX readers' span logic.
type spanGrid struct {
	rows   [][]*gridCell
	nCells int
	full   bool
	// free[r]: no free slot of row r lies before this column.
	free []int
}

type gridCell struct {
	text    string
	spanned bool
	unsure  string // why the reader doubts this cell's text, if it does
}

func newSpanGrid(nRows int) *spanGrid {
	return &spanGrid{rows: make([][]*gridCell, nRows)}
}

// place puts a cell in row r at the first free column, filling rowspan ×
// colspan slots (copies marked spanned). Rowspans are cut at the last row.
func (g *spanGrid) place(r int, text string, rowspan, colspan int) error {
	if g.full {
		return errTableTooLarge
	}
	if g.free == nil {
		g.free = make([]int, len(g.rows))
	}
	// Slots are only ever filled, so the columns before free[r] stay
	// taken: the scan starts there (from 0 it was quadratic in a row's
	// length, 20 s of CPU for a hostile row of a million cells).
	col := g.free[r]
	for col < len(g.rows[r]) && g.rows[r][col] != nil {
		col++
	}
	g.free[r] = col
	if r+rowspan > len(g.rows) {
		rowspan = len(g.rows) - r
	}
	if g.nCells+rowspan*colspan > maxTableCells {
		g.full = true
		return errTableTooLarge
	}
	for dr := 0; dr < rowspan; dr++ {
		row := g.rows[r+dr]
		for len(row) < col+colspan {
			row = append(row, nil)
		}
		for dc := 0; dc < colspan; dc++ {
			if row[col+dc] != nil {
				// overlapping spans in malformed markup: the first
				// cell placed keeps the slot.
				continue
			}
			row[col+dc] = &gridCell{text: text, spanned: dr > 0 || dc > 0}
			g.nCells++
		}
		g.rows[r+dr] = row
	}
	return nil
}

// table returns the grid as a Table numbered n. Holes left between placed
// cells (rows shorter than their neighbours) become empty cells; rows with
// nothing in them are kept so row numbers match the source.
//
// n == 0 leaves the Locs empty, for a reader that numbers its tables
// later (renumber).
func (g *spanGrid) table(n int) Table {
	t := Table{Loc: "table " + strconv.Itoa(n), Rows: make([][]Cell, 0, len(g.rows))}
	for r, row := range g.rows {
		cells := make([]Cell, len(row))
		for c, gc := range row {
			var loc string
			if n > 0 {
				loc = cellLoc(n, r+1, c+1)
			}
			if gc == nil {
				cells[c] = Cell{Loc: loc}
				continue
			}
			cells[c] = Cell{Text: gc.text, Loc: loc, Spanned: gc.spanned, Unsure: gc.unsure}
		}
		t.Rows = append(t.Rows, cells)
	}
	return t
}
