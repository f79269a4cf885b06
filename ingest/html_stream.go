package ingest

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The HTML reader's fast path. x/net/html's Parse builds a node for every
// tag, attribute and text and was most of an HTML parse (issue 11); this
// reads the page's tokens once (pageTokenizer, html_token.go: x/net/html's
// Tokenizer's tokens, read off the page), keeps only the stack of open
// elements that HTML's tree construction keeps, and hands the walker
// (html_walk.go's streamWalker) the tree's events in order: an element
// opens, an element closes, a text node is complete. It follows
// x/net/html's parser (parse.go, the oracle the tests compare with) for
// everything a report page uses: implied end tags (p, li, td, tr, option),
// the table modes with their implied tbody and tr, active formatting
// elements and their reconstruction, raw text (script, style, title,
// textarea), the head before the body, and SVG or MathML kept whole. Where
// tree construction moves nodes to another place than the stream shows
// them (text or elements foster-parented out of a table, the adoption
// agency's furthest block, a form closed under open children), or uses
// machinery a report never needs (template, frameset, select inside a
// table, HTML inside SVG), it stops with errNeedTree and readHTML reads
// the page with x/net/html's tree instead: the answer is the same either
// way, only slower.

// errNeedTree says the stream met markup whose tree it does not rebuild.
var errNeedTree = errors.New("html: markup the stream does not rebuild")

// errTooDeep is x/net/html's limit of open elements, kept so that a page
// nested too deep is refused the same way on both paths.
var errTooDeep = errors.New("html: open stack of elements exceeds 512 nodes")

// Namespaces of open elements.
const (
	nsHTML = iota
	nsSVG
	nsMath
)

// elem is one open element.
type elem struct {
	a    atom.Atom
	name string // the tag name, lower case
	ns   uint8
	id   int // identity, for the list of active formatting elements
	// attrs are kept for formatting elements only (reconstruction clones
	// them, and the "Noah's ark" clause compares them).
	attrs []html.Attribute
	// hasChild: a node was inserted into it (pre and textarea drop a
	// newline that opens them).
	hasChild bool
}

// treeSink receives the tree's events. open's colspan and rowspan are
// the raw attribute values of a td or th.
type treeSink interface {
	open(e *elem, colspan, rowspan string) error
	close(e *elem) error
	text(s string) error
}

// Insertion modes (HTML §13.2.4.1), as x/net/html names them.
type insMode int

const (
	imInitial insMode = iota
	imBeforeHTML
	imBeforeHead
	imInHead
	imAfterHead
	imInBody
	imText
	imInTable
	imInCaption
	imInColumnGroup
	imInTableBody
	imInRow
	imInCell
	imAfterBody
	imAfterAfterBody
)

// tok is the current token, read without x/net/html's Token() (which
// allocates the name and every attribute).
type tok struct {
	typ         html.TokenType
	a           atom.Atom
	name        string
	selfClosing bool
	attrs       []html.Attribute // only for the tags that need them
	data        string           // text
}

// treeStream runs tree construction over a Tokenizer.
type treeStream struct {
	z        *pageTokenizer
	sink     treeSink
	oe       []*elem
	afe      []*elem // active formatting elements; nil entries are markers
	im       insMode
	origIM   insMode
	headSeen bool
	formOpen bool // x/net/html's form element pointer is set
	quirks   bool
	fragment bool // a fragment in the context of <body>
	foster   bool // a table mode runs the body rules
	nextID   int

	pend      strings.Builder // the text node being filled, once it has two tokens
	pendFirst string          // its first token
	pendOn    bool
	lastTxt   bool // the current node's last child is the pending text
	t         tok
	nameBuf   []byte
	attrBuf   []html.Attribute // the current tag's attributes (copied where kept)
	slab      []elem           // open elements are allocated from here
}

func newTreeStream(page string, sink treeSink, fragment bool) *treeStream {
	s := &treeStream{z: newPageTokenizer(readOnlyBytes(page)), sink: sink, fragment: fragment}
	if fragment {
		// ParseFragment with a <body> context: an html root, in body.
		s.oe = []*elem{{a: atom.Html, name: "html"}}
		s.im = imInBody
		s.headSeen = true
	}
	return s
}

// run reads every token, then closes what is still open (the tree keeps
// unclosed elements; the walker must see them end).
func (s *treeStream) run() error {
	for {
		top := s.top()
		s.z.AllowCDATA(top != nil && top.ns != nsHTML)
		tt := s.z.Next()
		if err := s.readToken(tt); err != nil {
			return err
		}
		if tt == html.ErrorToken {
			if err := s.z.Err(); err != io.EOF {
				return err
			}
			if err := s.process(); err != nil {
				return err
			}
			if err := s.flushText(); err != nil {
				return err
			}
			// A fragment's html root is the context, not one of its
			// nodes: it is neither opened nor closed.
			base := 0
			if s.fragment {
				base = 1
			}
			return s.popTo(base)
		}
		if err := s.process(); err != nil {
			return err
		}
	}
}

func (s *treeStream) readToken(tt html.TokenType) error {
	s.t = tok{typ: tt}
	switch tt {
	case html.TextToken, html.CommentToken, html.DoctypeToken:
		s.t.data = s.z.TextString()
	case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
		name := s.tagName(tt)
		s.t.a = atom.Lookup(name)
		if s.t.a != 0 {
			s.t.name = s.t.a.String()
		} else {
			s.t.name = string(name)
		}
		if tt == html.SelfClosingTagToken {
			s.t.typ, s.t.selfClosing = html.StartTagToken, true
		}
		cell := s.t.a == atom.Td || s.t.a == atom.Th
		if cell && !hasSpanAttr(s.z.Raw()) {
			// no colspan or rowspan among the raw tag's bytes: none
			// among its attributes (TagAttr copies every key and value)
		} else if needsAttrs(s.t.a) {
			s.t.attrs = s.attrBuf[:0]
			for {
				k, v, more := s.z.TagAttr()
				if k == nil {
					break
				}
				// a cell needs only its spans; a formatting element all
				// of its attributes
				if !cell || string(k) == "colspan" || string(k) == "rowspan" {
					s.t.attrs = append(s.t.attrs, html.Attribute{Key: string(k), Val: string(v)})
				}
				if !more {
					break
				}
			}
			s.attrBuf = s.t.attrs
		}
	}
	return nil
}

// tagName is Tokenizer.TagName read from the token's raw bytes into a
// scratch buffer: TagName copies every name (bytes.ReplaceAll of NUL),
// an allocation per tag. The name runs from after "<" or "</" to the first
// blank, '/' or '>', lower-cased in ASCII, as the Tokenizer reads it; a
// name holding NUL is left to TagName.
func (s *treeStream) tagName(tt html.TokenType) []byte {
	raw := s.z.Raw()
	i := 1
	if tt == html.EndTagToken {
		i = 2
	}
	j := i
	for j < len(raw) {
		switch raw[j] {
		case ' ', '\n', '\r', '\t', '\f', '/', '>':
			goto done
		case 0:
			name, _ := s.z.TagName()
			return name
		}
		j++
	}
done:
	s.nameBuf = append(s.nameBuf[:0], raw[i:j]...)
	for k, c := range s.nameBuf {
		if 'A' <= c && c <= 'Z' {
			s.nameBuf[k] = c + 'a' - 'A'
		}
	}
	return s.nameBuf
}

// hasSpanAttr says whether a raw tag holds "colspan" or "rowspan" in any
// case: an attribute key is its raw bytes lower-cased.
func hasSpanAttr(raw []byte) bool {
	for i := 0; i+7 <= len(raw); i++ {
		if c := raw[i] | 0x20; c != 'c' && c != 'r' {
			continue
		}
		w := raw[i : i+7]
		if equalFoldLower(w, "colspan") || equalFoldLower(w, "rowspan") {
			return true
		}
	}
	return false
}

// needsAttrs: the cells' spans, and formatting elements, which are
// compared and cloned with their attributes.
func needsAttrs(a atom.Atom) bool {
	switch a {
	case atom.Td, atom.Th, atom.A, atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.Nobr,
		atom.S, atom.Small, atom.Strike, atom.Strong, atom.Tt, atom.U:
		return true
	}
	return false
}

func (s *treeStream) top() *elem {
	if len(s.oe) == 0 {
		return nil
	}
	return s.oe[len(s.oe)-1]
}

// process runs the current token through the insertion modes until one
// consumes it (x/net/html's parseCurrentToken).
func (s *treeStream) process() error {
	for {
		var done bool
		var err error
		if s.inForeign() {
			done, err = s.foreign()
		} else {
			done, err = s.mode()
		}
		if err != nil || done {
			return err
		}
	}
}

func (s *treeStream) mode() (bool, error) {
	switch s.im {
	case imInitial:
		return s.initial()
	case imBeforeHTML:
		return s.beforeHTML()
	case imBeforeHead:
		return s.beforeHead()
	case imInHead:
		return s.inHead()
	case imAfterHead:
		return s.afterHead()
	case imInBody:
		return s.inBody()
	case imText:
		return s.textMode()
	case imInTable:
		return s.inTable()
	case imInCaption:
		return s.inCaption()
	case imInColumnGroup:
		return s.inColumnGroup()
	case imInTableBody:
		return s.inTableBody()
	case imInRow:
		return s.inRow()
	case imInCell:
		return s.inCell()
	case imAfterBody:
		return s.afterBody(false)
	case imAfterAfterBody:
		return s.afterBody(true)
	}
	return false, errNeedTree
}

// --- the tree's mutations, as events ---

// flushText hands the sink the text node being filled.
func (s *treeStream) flushText() error {
	if !s.pendOn {
		return nil
	}
	s.pendOn = false
	t := s.pendFirst
	if s.pend.Len() > 0 {
		t = s.pend.String()
		s.pend.Reset()
	}
	s.pendFirst = ""
	return s.sink.text(t)
}

// nodeInserted notes that a node other than text went into the current
// node: the next text starts a node of its own.
func (s *treeStream) nodeInserted() error {
	s.lastTxt = false
	if top := s.top(); top != nil {
		top.hasChild = true
	}
	return s.flushText()
}

// addText is x/net/html's addText: text joins the current node's last
// child when that is text.
func (s *treeStream) addText(text string) error {
	if text == "" {
		return nil
	}
	if s.fosterParenting() {
		return errNeedTree
	}
	switch {
	case !s.lastTxt:
		if err := s.flushText(); err != nil {
			return err
		}
		// most text nodes are one token: kept as it is, not copied
		s.pendOn, s.pendFirst = true, text
	case s.pend.Len() == 0:
		s.pend.WriteString(s.pendFirst)
		s.pend.WriteString(text)
	default:
		s.pend.WriteString(text)
	}
	s.lastTxt = true
	if top := s.top(); top != nil {
		top.hasChild = true
	}
	return nil
}

// fosterParenting: while a table mode's "anything else" runs the body
// rules (foster is set), a node inserted into a table would be moved
// before it.
func (s *treeStream) fosterParenting() bool {
	if !s.foster {
		return false
	}
	switch s.top().a {
	case atom.Table, atom.Tbody, atom.Tfoot, atom.Thead, atom.Tr:
		return true
	}
	return false
}

// push inserts an element for the current token and opens it.
func (s *treeStream) push(a atom.Atom, name string, ns uint8, attrs []html.Attribute) (*elem, error) {
	if s.fosterParenting() {
		return nil, errNeedTree
	}
	if err := s.nodeInserted(); err != nil {
		return nil, err
	}
	s.nextID++
	if len(s.slab) == cap(s.slab) {
		s.slab = make([]elem, 0, 256)
	}
	s.slab = append(s.slab, elem{a: a, name: name, ns: ns, id: s.nextID, attrs: attrs})
	e := &s.slab[len(s.slab)-1]
	s.oe = append(s.oe, e)
	if len(s.oe) > 512 {
		return nil, errTooDeep
	}
	var colspan, rowspan string
	if ns == nsHTML && (a == atom.Td || a == atom.Th) {
		colspan, _ = attrValue(s.t.attrs, "colspan")
		rowspan, _ = attrValue(s.t.attrs, "rowspan")
	}
	return e, s.sink.open(e, colspan, rowspan)
}

// addElement is push for the current token.
func (s *treeStream) addElement() (*elem, error) {
	return s.push(s.t.a, s.t.name, nsHTML, nil)
}

// addVoid inserts an element that closes at once.
func (s *treeStream) addVoid() error {
	if _, err := s.addElement(); err != nil {
		return err
	}
	return s.pop()
}

// pop closes the current node.
func (s *treeStream) pop() error {
	if err := s.flushText(); err != nil {
		return err
	}
	e := s.oe[len(s.oe)-1]
	s.oe = s.oe[:len(s.oe)-1]
	s.lastTxt = false
	return s.sink.close(e)
}

// popTo closes elements until the stack has n left.
func (s *treeStream) popTo(n int) error {
	for len(s.oe) > n {
		if err := s.pop(); err != nil {
			return err
		}
	}
	return nil
}

// remove takes e out of the stack where it stands; only allowed when it
// is the current node (anything else moves nodes: errNeedTree).
func (s *treeStream) remove(e *elem) error {
	if s.top() != e {
		return errNeedTree
	}
	return s.pop()
}

func attrValue(attrs []html.Attribute, key string) (string, bool) {
	for _, a := range attrs {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// --- scopes (x/net/html's indexOfElementInScope) ---

type scopeKind int

const (
	defaultScope scopeKind = iota
	listItemScope
	buttonScope
	tableScope
)

func (s *treeStream) indexInScope(sc scopeKind, match ...atom.Atom) int {
	for i := len(s.oe) - 1; i >= 0; i-- {
		e := s.oe[i]
		if e.ns == nsHTML {
			if slices.Contains(match, e.a) {
				return i
			}
			switch sc {
			case listItemScope:
				if e.a == atom.Ol || e.a == atom.Ul {
					return -1
				}
			case buttonScope:
				if e.a == atom.Button {
					return -1
				}
			case tableScope:
				if e.a == atom.Html || e.a == atom.Table || e.a == atom.Template {
					return -1
				}
			}
		}
		switch sc {
		case defaultScope, listItemScope, buttonScope:
			if isScopeStop(e) {
				return -1
			}
		}
	}
	return -1
}

func isScopeStop(e *elem) bool {
	if e.ns != nsHTML {
		return isIntegrationPoint(e)
	}
	switch e.a {
	case atom.Applet, atom.Caption, atom.Html, atom.Table, atom.Td, atom.Th, atom.Marquee, atom.Object, atom.Template, atom.Select:
		return true
	}
	return false
}

func (s *treeStream) inScope(sc scopeKind, match ...atom.Atom) bool {
	return s.indexInScope(sc, match...) >= 0
}

// popUntil closes elements up to and including the highest match in scope.
func (s *treeStream) popUntil(sc scopeKind, match ...atom.Atom) (bool, error) {
	i := s.indexInScope(sc, match...)
	if i < 0 {
		return false, nil
	}
	return true, s.popTo(i)
}

func (s *treeStream) contains(a atom.Atom) bool {
	for _, e := range s.oe {
		if e.a == a && e.ns == nsHTML {
			return true
		}
	}
	return false
}

// clearStackToContext closes elements down to a table (table scope), a
// row (tableRow) or a row group (tableBody).
func (s *treeStream) clearStackToContext(stop ...atom.Atom) error {
	for i := len(s.oe) - 1; i >= 0; i-- {
		if s.oe[i].a == atom.Html || s.oe[i].a == atom.Template || slices.Contains(stop, s.oe[i].a) {
			return s.popTo(i + 1)
		}
	}
	return nil
}

func (s *treeStream) generateImpliedEndTags(except ...string) error {
	for len(s.oe) > 0 {
		e := s.top()
		switch e.a {
		case atom.Dd, atom.Dt, atom.Li, atom.Optgroup, atom.Option, atom.P, atom.Rb, atom.Rp, atom.Rt, atom.Rtc:
			if slices.Contains(except, e.name) {
				return nil
			}
			if err := s.pop(); err != nil {
				return err
			}
			continue
		}
		return nil
	}
	return nil
}

// --- active formatting elements ---

func (s *treeStream) inStack(e *elem) bool {
	return slices.Contains(s.oe, e)
}

func (s *treeStream) addFormattingElement() error {
	attrs := slices.Clone(s.t.attrs)
	slices.SortFunc(attrs, func(a, b html.Attribute) int {
		return strings.Compare(a.Namespace+"\x00"+a.Key+"\x00"+a.Val, b.Namespace+"\x00"+b.Key+"\x00"+b.Val)
	})
	e, err := s.push(s.t.a, s.t.name, nsHTML, attrs)
	if err != nil {
		return err
	}
	identical := 0
	for i := len(s.afe) - 1; i >= 0; i-- {
		n := s.afe[i]
		if n == nil {
			break
		}
		if n.a != e.a || !slices.Equal(n.attrs, attrs) {
			continue
		}
		identical++
		if identical >= 3 {
			s.afe = slices.Delete(s.afe, i, i+1)
		}
	}
	s.afe = append(s.afe, e)
	return nil
}

func (s *treeStream) reconstructActiveFormattingElements() error {
	if len(s.afe) == 0 {
		return nil
	}
	n := s.afe[len(s.afe)-1]
	if n == nil || s.inStack(n) {
		return nil
	}
	i := len(s.afe) - 1
	for n != nil && !s.inStack(n) {
		if i == 0 {
			i = -1
			break
		}
		i--
		n = s.afe[i]
	}
	for {
		i++
		old := s.afe[i]
		clone, err := s.push(old.a, old.name, old.ns, old.attrs)
		if err != nil {
			return err
		}
		s.afe[i] = clone
		if i == len(s.afe)-1 {
			return nil
		}
	}
}

func (s *treeStream) clearActiveFormattingElements() {
	for len(s.afe) > 0 {
		n := s.afe[len(s.afe)-1]
		s.afe = s.afe[:len(s.afe)-1]
		if n == nil {
			return
		}
	}
}

func (s *treeStream) afeRemove(e *elem) {
	if i := slices.Index(s.afe, e); i >= 0 {
		s.afe = slices.Delete(s.afe, i, i+1)
	}
}

// --- insertion modes ---

const whitespace = " \t\r\n\f"

// comment inserts a comment node into the current node.
func (s *treeStream) comment() (bool, error) {
	return true, s.nodeInserted()
}

func (s *treeStream) initial() (bool, error) {
	switch s.t.typ {
	case html.TextToken:
		s.t.data = strings.TrimLeft(s.t.data, whitespace)
		if s.t.data == "" {
			return true, nil
		}
	case html.CommentToken:
		return true, nil // a child of the document, outside the walk's text
	case html.DoctypeToken:
		s.quirks = quirksDoctype(s.t.data)
		s.im = imBeforeHTML
		return true, nil
	}
	s.quirks = true
	s.im = imBeforeHTML
	return false, nil
}

// quirksDoctype asks x/net/html whether a doctype puts the page in quirks
// mode (a <table> then does not close an open <p>): it parses the doctype
// before <p><table> and looks where the table went.
func quirksDoctype(d string) bool {
	root, err := html.Parse(strings.NewReader("<!DOCTYPE " + d + "><p><table></table>"))
	if err != nil {
		return false
	}
	var quirks bool
	var find func(n *html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Table {
			quirks = n.Parent != nil && n.Parent.DataAtom == atom.P
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(root)
	return quirks
}

func (s *treeStream) implied(typ html.TokenType, a atom.Atom) error {
	real := s.t
	s.t = tok{typ: typ, a: a, name: a.String()}
	err := s.process()
	s.t = real
	return err
}

func (s *treeStream) beforeHTML() (bool, error) {
	switch s.t.typ {
	case html.DoctypeToken:
		return true, nil
	case html.TextToken:
		s.t.data = strings.TrimLeft(s.t.data, whitespace)
		if s.t.data == "" {
			return true, nil
		}
	case html.StartTagToken:
		if s.t.a == atom.Html {
			_, err := s.addElement()
			s.im = imBeforeHead
			return true, err
		}
	case html.EndTagToken:
		switch s.t.a {
		case atom.Head, atom.Body, atom.Html, atom.Br:
			return false, s.implied(html.StartTagToken, atom.Html)
		default:
			return true, nil
		}
	case html.CommentToken:
		return true, nil
	}
	return false, s.implied(html.StartTagToken, atom.Html)
}

func (s *treeStream) beforeHead() (bool, error) {
	switch s.t.typ {
	case html.TextToken:
		s.t.data = strings.TrimLeft(s.t.data, whitespace)
		if s.t.data == "" {
			return true, nil
		}
	case html.StartTagToken:
		switch s.t.a {
		case atom.Head:
			_, err := s.addElement()
			s.headSeen = true
			s.im = imInHead
			return true, err
		case atom.Html:
			return s.inBody()
		}
	case html.EndTagToken:
		switch s.t.a {
		case atom.Head, atom.Body, atom.Html, atom.Br:
			return false, s.implied(html.StartTagToken, atom.Head)
		default:
			return true, nil
		}
	case html.CommentToken:
		return s.comment()
	case html.DoctypeToken:
		return true, nil
	}
	return false, s.implied(html.StartTagToken, atom.Head)
}

// leadingSpace inserts the white space that opens a text token where the
// token stands (head, html, colgroup) and leaves the rest to be processed;
// done says nothing is left.
func (s *treeStream) leadingSpace() (done bool, err error) {
	rest := strings.TrimLeft(s.t.data, whitespace)
	if len(rest) < len(s.t.data) {
		if err := s.addText(s.t.data[:len(s.t.data)-len(rest)]); err != nil {
			return true, err
		}
		if rest == "" {
			return true, nil
		}
		s.t.data = rest
	}
	return false, nil
}

// rawText opens a raw text element (script, style, title, textarea, …):
// the Tokenizer hands over its text as one token.
func (s *treeStream) rawText() (bool, error) {
	_, err := s.addElement()
	s.origIM = s.im
	s.im = imText
	return true, err
}

func (s *treeStream) inHead() (bool, error) {
	switch s.t.typ {
	case html.TextToken:
		if done, err := s.leadingSpace(); done || err != nil {
			return true, err
		}
	case html.StartTagToken:
		switch s.t.a {
		case atom.Html:
			return s.inBody()
		case atom.Base, atom.Basefont, atom.Bgsound, atom.Link, atom.Meta:
			return true, s.addVoid()
		case atom.Noscript, atom.Script, atom.Title, atom.Noframes, atom.Style:
			return s.rawText()
		case atom.Head:
			return true, nil
		case atom.Template:
			return true, errNeedTree
		}
	case html.EndTagToken:
		switch s.t.a {
		case atom.Head:
			s.im = imAfterHead
			return true, s.pop()
		case atom.Body, atom.Html, atom.Br:
			return false, s.implied(html.EndTagToken, atom.Head)
		case atom.Template:
			return true, errNeedTree
		default:
			return true, nil
		}
	case html.CommentToken:
		return s.comment()
	case html.DoctypeToken:
		return true, nil
	}
	return false, s.implied(html.EndTagToken, atom.Head)
}

func (s *treeStream) afterHead() (bool, error) {
	switch s.t.typ {
	case html.TextToken:
		if done, err := s.leadingSpace(); done || err != nil {
			return true, err
		}
	case html.StartTagToken:
		switch s.t.a {
		case atom.Html:
			return s.inBody()
		case atom.Body:
			_, err := s.addElement()
			s.im = imInBody
			return true, err
		case atom.Frameset, atom.Template:
			return true, errNeedTree
		case atom.Base, atom.Basefont, atom.Bgsound, atom.Link, atom.Meta, atom.Noframes, atom.Script, atom.Style, atom.Title:
			// Inserted into the head, which the walk reads before the
			// body: the same order as here. Raw text elements come back
			// to this mode after their text.
			if !s.headSeen {
				return true, errNeedTree
			}
			return s.inHead()
		case atom.Head:
			return true, nil
		}
	case html.EndTagToken:
		switch s.t.a {
		case atom.Body, atom.Html, atom.Br:
		case atom.Template:
			return true, errNeedTree
		default:
			return true, nil
		}
	case html.CommentToken:
		return s.comment()
	case html.DoctypeToken:
		return true, nil
	}
	if err := s.implied(html.StartTagToken, atom.Body); err != nil {
		return true, err
	}
	if s.t.typ == html.ErrorToken {
		return true, nil
	}
	return false, nil
}

func (s *treeStream) textMode() (bool, error) {
	switch s.t.typ {
	case html.ErrorToken:
		if err := s.pop(); err != nil {
			return true, err
		}
	case html.TextToken:
		d := s.t.data
		if top := s.top(); top.a == atom.Textarea && !top.hasChild {
			d = strings.TrimPrefix(strings.TrimPrefix(d, "\r"), "\n")
		}
		return true, s.addText(d)
	case html.EndTagToken:
		if err := s.pop(); err != nil {
			return true, err
		}
	}
	s.im = s.origIM
	return s.t.typ == html.EndTagToken, nil
}

func (s *treeStream) closeP() error {
	_, err := s.popUntil(buttonScope, atom.P)
	return err
}

func (s *treeStream) inBody() (bool, error) {
	t := &s.t
	switch t.typ {
	case html.TextToken:
		d := t.data
		if top := s.top(); (top.a == atom.Pre || top.a == atom.Listing) && !top.hasChild {
			d = strings.TrimPrefix(strings.TrimPrefix(d, "\r"), "\n")
		}
		d = strings.ReplaceAll(d, "\x00", "")
		if d == "" {
			return true, nil
		}
		if err := s.reconstructActiveFormattingElements(); err != nil {
			return true, err
		}
		return true, s.addText(d)
	case html.StartTagToken:
		switch t.a {
		case atom.Html:
			return true, nil
		case atom.Base, atom.Basefont, atom.Bgsound, atom.Link, atom.Meta, atom.Noframes, atom.Script, atom.Style, atom.Title:
			return s.inHead()
		case atom.Template, atom.Frameset:
			return true, errNeedTree
		case atom.Body:
			return true, nil
		case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center, atom.Details, atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Header, atom.Hgroup, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P, atom.Search, atom.Section, atom.Summary, atom.Ul:
			if err := s.closeP(); err != nil {
				return true, err
			}
			_, err := s.addElement()
			return true, err
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			if err := s.closeP(); err != nil {
				return true, err
			}
			switch s.top().a {
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				if err := s.pop(); err != nil {
					return true, err
				}
			}
			_, err := s.addElement()
			return true, err
		case atom.Pre, atom.Listing, atom.Plaintext:
			if err := s.closeP(); err != nil {
				return true, err
			}
			_, err := s.addElement()
			return true, err
		case atom.Form:
			if s.formOpen {
				return true, nil
			}
			if err := s.closeP(); err != nil {
				return true, err
			}
			_, err := s.addElement()
			s.formOpen = true
			return true, err
		case atom.Li, atom.Dd, atom.Dt:
			for i := len(s.oe) - 1; i >= 0; i-- {
				e := s.oe[i]
				if t.a == atom.Li && e.a == atom.Li || t.a != atom.Li && (e.a == atom.Dd || e.a == atom.Dt) {
					if err := s.popTo(i); err != nil {
						return true, err
					}
					break
				}
				if e.a == atom.Address || e.a == atom.Div || e.a == atom.P {
					continue
				}
				if isSpecial(e) {
					break
				}
			}
			if err := s.closeP(); err != nil {
				return true, err
			}
			_, err := s.addElement()
			return true, err
		case atom.Button:
			if s.inScope(defaultScope, atom.Button) {
				if err := s.generateImpliedEndTags(); err != nil {
					return true, err
				}
				if _, err := s.popUntil(defaultScope, atom.Button); err != nil {
					return true, err
				}
			}
			if err := s.reconstructActiveFormattingElements(); err != nil {
				return true, err
			}
			_, err := s.addElement()
			return true, err
		case atom.A:
			for i := len(s.afe) - 1; i >= 0 && s.afe[i] != nil; i-- {
				if s.afe[i].a == atom.A {
					// an <a> inside an open <a>: the adoption agency
					return true, errNeedTree
				}
			}
			if err := s.reconstructActiveFormattingElements(); err != nil {
				return true, err
			}
			return true, s.addFormattingElement()
		case atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.S, atom.Small, atom.Strike, atom.Strong, atom.Tt, atom.U:
			if err := s.reconstructActiveFormattingElements(); err != nil {
				return true, err
			}
			return true, s.addFormattingElement()
		case atom.Nobr:
			if err := s.reconstructActiveFormattingElements(); err != nil {
				return true, err
			}
			if s.inScope(defaultScope, atom.Nobr) {
				return true, errNeedTree
			}
			return true, s.addFormattingElement()
		case atom.Applet, atom.Marquee, atom.Object:
			if err := s.reconstructActiveFormattingElements(); err != nil {
				return true, err
			}
			_, err := s.addElement()
			s.afe = append(s.afe, nil)
			return true, err
		case atom.Table:
			if !s.quirks {
				if err := s.closeP(); err != nil {
					return true, err
				}
			}
			_, err := s.addElement()
			s.im = imInTable
			return true, err
		case atom.Area, atom.Br, atom.Embed, atom.Img, atom.Keygen, atom.Wbr:
			if err := s.reconstructActiveFormattingElements(); err != nil {
				return true, err
			}
			return true, s.addVoid()
		case atom.Input:
			if _, err := s.popUntil(defaultScope, atom.Select); err != nil {
				return true, err
			}
			if err := s.reconstructActiveFormattingElements(); err != nil {
				return true, err
			}
			return true, s.addVoid()
		case atom.Param, atom.Source, atom.Track:
			return true, s.addVoid()
		case atom.Hr:
			if s.inScope(buttonScope, atom.P) {
				if err := s.generateImpliedEndTags("p"); err != nil {
					return true, err
				}
				if _, err := s.popUntil(defaultScope, atom.P); err != nil {
					return true, err
				}
			}
			if s.inScope(defaultScope, atom.Select) {
				if err := s.generateImpliedEndTags(); err != nil {
					return true, err
				}
			}
			return true, s.addVoid()
		case atom.Image:
			t.a, t.name = atom.Img, "img"
			return false, nil
		case atom.Textarea:
			return s.rawText()
		case atom.Xmp:
			if err := s.closeP(); err != nil {
				return true, err
			}
			if err := s.reconstructActiveFormattingElements(); err != nil {
				return true, err
			}
			return s.rawText()
		case atom.Iframe, atom.Noembed, atom.Noscript:
			return s.rawText()
		case atom.Select:
			if ok, err := s.popUntil(defaultScope, atom.Select); ok || err != nil {
				return true, err
			}
			if err := s.reconstructActiveFormattingElements(); err != nil {
				return true, err
			}
			_, err := s.addElement()
			// x/net/html leaves the mode as it is here (no "in select")
			// and lets the select's content go through the body rules.
			return true, err
		case atom.Option, atom.Optgroup:
			if s.inScope(defaultScope, atom.Select) {
				var err error
				if t.a == atom.Option {
					err = s.generateImpliedEndTags("optgroup")
				} else {
					err = s.generateImpliedEndTags()
				}
				if err != nil {
					return true, err
				}
			} else if s.top().a == atom.Option {
				if err := s.pop(); err != nil {
					return true, err
				}
			}
			if err := s.reconstructActiveFormattingElements(); err != nil {
				return true, err
			}
			_, err := s.addElement()
			return true, err
		case atom.Rb, atom.Rtc, atom.Rp, atom.Rt:
			if s.inScope(defaultScope, atom.Ruby) {
				var err error
				if t.a == atom.Rp || t.a == atom.Rt {
					err = s.generateImpliedEndTags("rtc")
				} else {
					err = s.generateImpliedEndTags()
				}
				if err != nil {
					return true, err
				}
			}
			_, err := s.addElement()
			return true, err
		case atom.Math, atom.Svg:
			if err := s.reconstructActiveFormattingElements(); err != nil {
				return true, err
			}
			ns := uint8(nsSVG)
			if t.a == atom.Math {
				ns = nsMath
			}
			if _, err := s.push(t.a, t.name, ns, nil); err != nil {
				return true, err
			}
			if t.selfClosing {
				return true, s.pop()
			}
			return true, nil
		case atom.Caption, atom.Col, atom.Colgroup, atom.Frame, atom.Head, atom.Tbody, atom.Td, atom.Tfoot, atom.Th, atom.Thead, atom.Tr:
			return true, nil
		default:
			if err := s.reconstructActiveFormattingElements(); err != nil {
				return true, err
			}
			_, err := s.addElement()
			return true, err
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Body:
			if s.inScope(defaultScope, atom.Body) {
				s.im = imAfterBody
			}
			return true, nil
		case atom.Html:
			if s.inScope(defaultScope, atom.Body) {
				return false, s.implied(html.EndTagToken, atom.Body)
			}
			return true, nil
		case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Button, atom.Center, atom.Details, atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Header, atom.Hgroup, atom.Listing, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.Pre, atom.Search, atom.Section, atom.Select, atom.Summary, atom.Ul:
			if !s.inScope(defaultScope, t.a) {
				return true, nil
			}
			if err := s.generateImpliedEndTags(); err != nil {
				return true, err
			}
			_, err := s.popUntil(defaultScope, t.a)
			return true, err
		case atom.Form:
			open := s.formOpen
			s.formOpen = false
			i := s.indexInScope(defaultScope, atom.Form)
			if !open || i < 0 {
				return true, nil
			}
			if err := s.generateImpliedEndTags(); err != nil {
				return true, err
			}
			return true, s.remove(s.oe[i])
		case atom.P:
			if !s.inScope(buttonScope, atom.P) {
				if err := s.implied(html.StartTagToken, atom.P); err != nil {
					return true, err
				}
			}
			_, err := s.popUntil(buttonScope, atom.P)
			return true, err
		case atom.Li:
			_, err := s.popUntil(listItemScope, atom.Li)
			return true, err
		case atom.Dd, atom.Dt:
			_, err := s.popUntil(defaultScope, t.a)
			return true, err
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			_, err := s.popUntil(defaultScope, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6)
			return true, err
		case atom.A, atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.Nobr, atom.S, atom.Small, atom.Strike, atom.Strong, atom.Tt, atom.U:
			return true, s.endFormatting()
		case atom.Applet, atom.Marquee, atom.Object:
			ok, err := s.popUntil(defaultScope, t.a)
			if ok {
				s.clearActiveFormattingElements()
			}
			return true, err
		case atom.Br:
			t.typ = html.StartTagToken
			return false, nil
		case atom.Template:
			return true, errNeedTree
		default:
			return true, s.endOther()
		}
	case html.CommentToken:
		return s.comment()
	case html.DoctypeToken, html.ErrorToken:
		return true, nil
	}
	return true, nil
}

// endFormatting is the adoption agency for an end tag of a formatting
// element, as far as it keeps nodes where they are: the element and the
// inline elements above it close. A block above it (the furthest block)
// would be moved: errNeedTree.
func (s *treeStream) endFormatting() error {
	t := &s.t
	if top := s.top(); top.name == t.name && top.ns == nsHTML && !slices.Contains(s.afe, top) {
		return s.pop()
	}
	var fe *elem
	for j := len(s.afe) - 1; j >= 0; j-- {
		if s.afe[j] == nil {
			break
		}
		if s.afe[j].a == t.a {
			fe = s.afe[j]
			break
		}
	}
	if fe == nil {
		return s.endOther()
	}
	i := slices.Index(s.oe, fe)
	if i < 0 {
		s.afeRemove(fe)
		return nil
	}
	if !s.inScope(defaultScope, t.a) {
		return nil
	}
	for _, e := range s.oe[i:] {
		if isSpecial(e) {
			return errNeedTree
		}
	}
	if err := s.popTo(i); err != nil {
		return err
	}
	s.afeRemove(fe)
	return nil
}

// endOther is "any other end tag": close up to the open element of that
// name, unless a special element stands above it.
func (s *treeStream) endOther() error {
	t := &s.t
	for i := len(s.oe) - 1; i >= 0; i-- {
		e := s.oe[i]
		if e.ns == nsHTML && e.a == t.a && (t.a != 0 || e.name == t.name) {
			return s.popTo(i)
		}
		if isSpecial(e) {
			return nil
		}
	}
	return nil
}

func isSpecial(e *elem) bool {
	if e.ns != nsHTML {
		return isIntegrationPoint(e)
	}
	return specialElements[e.a]
}

// specialElements is x/net/html's isSpecialElementMap.
var specialElements = func() map[atom.Atom]bool {
	m := map[atom.Atom]bool{}
	for _, n := range strings.Fields(`address applet area article aside base basefont bgsound blockquote body br
		button caption center col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form
		frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing main
		marquee menu meta nav noembed noframes noscript object ol p param plaintext pre script section select
		source style summary table tbody td template textarea tfoot th thead title tr track ul wbr xmp`) {
		a := atom.Lookup([]byte(n))
		if a == 0 {
			panic("no atom for " + n)
		}
		m[a] = true
	}
	return m
}()

func (s *treeStream) inTable() (bool, error) {
	t := &s.t
	switch t.typ {
	case html.TextToken:
		t.data = strings.ReplaceAll(t.data, "\x00", "")
		switch s.top().a {
		case atom.Table, atom.Tbody, atom.Tfoot, atom.Thead, atom.Tr:
			if strings.Trim(t.data, whitespace) == "" {
				return true, s.addText(t.data)
			}
		}
	case html.StartTagToken:
		switch t.a {
		case atom.Caption:
			if err := s.clearStackToContext(atom.Table); err != nil {
				return true, err
			}
			s.afe = append(s.afe, nil)
			_, err := s.addElement()
			s.im = imInCaption
			return true, err
		case atom.Colgroup:
			if err := s.clearStackToContext(atom.Table); err != nil {
				return true, err
			}
			_, err := s.addElement()
			s.im = imInColumnGroup
			return true, err
		case atom.Col:
			return false, s.implied(html.StartTagToken, atom.Colgroup)
		case atom.Tbody, atom.Tfoot, atom.Thead:
			if err := s.clearStackToContext(atom.Table); err != nil {
				return true, err
			}
			_, err := s.addElement()
			s.im = imInTableBody
			return true, err
		case atom.Td, atom.Th, atom.Tr:
			return false, s.implied(html.StartTagToken, atom.Tbody)
		case atom.Table:
			ok, err := s.popUntil(tableScope, atom.Table)
			if err != nil || !ok {
				return true, err
			}
			s.resetInsertionMode()
			return false, nil
		case atom.Style, atom.Script:
			return s.inHead()
		case atom.Template, atom.Input, atom.Form:
			return true, errNeedTree
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Table:
			ok, err := s.popUntil(tableScope, atom.Table)
			if ok && err == nil {
				s.resetInsertionMode()
			}
			return true, err
		case atom.Body, atom.Caption, atom.Col, atom.Colgroup, atom.Html, atom.Tbody, atom.Td, atom.Tfoot, atom.Th, atom.Thead, atom.Tr:
			return true, nil
		case atom.Template:
			return true, errNeedTree
		}
	case html.CommentToken:
		return s.comment()
	case html.DoctypeToken:
		return true, nil
	case html.ErrorToken:
		return s.inBody()
	}
	s.foster = true
	defer func() { s.foster = false }()
	return s.inBody()
}

func (s *treeStream) resetInsertionMode() {
	for i := len(s.oe) - 1; i >= 0; i-- {
		e := s.oe[i]
		last := i == 0
		switch e.a {
		case atom.Td, atom.Th:
			s.im = imInCell
		case atom.Tr:
			s.im = imInRow
		case atom.Tbody, atom.Thead, atom.Tfoot:
			s.im = imInTableBody
		case atom.Caption:
			s.im = imInCaption
		case atom.Colgroup:
			s.im = imInColumnGroup
		case atom.Table:
			s.im = imInTable
		case atom.Head:
			s.im = imInHead
		case atom.Body:
			s.im = imInBody
		case atom.Html:
			if s.fragment && last {
				s.im = imInBody
			} else if !s.headSeen {
				s.im = imBeforeHead
			} else {
				s.im = imAfterHead
			}
		default:
			if last {
				s.im = imInBody
				return
			}
			continue
		}
		return
	}
}

func (s *treeStream) inCaption() (bool, error) {
	t := &s.t
	switch t.typ {
	case html.StartTagToken:
		switch t.a {
		case atom.Caption, atom.Col, atom.Colgroup, atom.Tbody, atom.Td, atom.Tfoot, atom.Thead, atom.Tr:
			ok, err := s.popUntil(tableScope, atom.Caption)
			if err != nil || !ok {
				return true, err
			}
			s.clearActiveFormattingElements()
			s.im = imInTable
			return false, nil
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Caption:
			ok, err := s.popUntil(tableScope, atom.Caption)
			if ok && err == nil {
				s.clearActiveFormattingElements()
				s.im = imInTable
			}
			return true, err
		case atom.Table:
			ok, err := s.popUntil(tableScope, atom.Caption)
			if err != nil || !ok {
				return true, err
			}
			s.clearActiveFormattingElements()
			s.im = imInTable
			return false, nil
		case atom.Body, atom.Col, atom.Colgroup, atom.Html, atom.Tbody, atom.Td, atom.Tfoot, atom.Th, atom.Thead, atom.Tr:
			return true, nil
		}
	}
	return s.inBody()
}

func (s *treeStream) inColumnGroup() (bool, error) {
	t := &s.t
	switch t.typ {
	case html.TextToken:
		if done, err := s.leadingSpace(); done || err != nil {
			return true, err
		}
	case html.CommentToken:
		return s.comment()
	case html.DoctypeToken:
		return true, nil
	case html.StartTagToken:
		switch t.a {
		case atom.Html:
			return s.inBody()
		case atom.Col:
			return true, s.addVoid()
		case atom.Template:
			return true, errNeedTree
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Colgroup:
			if s.top().a == atom.Colgroup {
				s.im = imInTable
				return true, s.pop()
			}
			return true, nil
		case atom.Col:
			return true, nil
		case atom.Template:
			return true, errNeedTree
		}
	case html.ErrorToken:
		return s.inBody()
	}
	if s.top().a != atom.Colgroup {
		return true, nil
	}
	s.im = imInTable
	return false, s.pop()
}

func (s *treeStream) inTableBody() (bool, error) {
	t := &s.t
	switch t.typ {
	case html.StartTagToken:
		switch t.a {
		case atom.Tr:
			if err := s.clearStackToContext(atom.Tbody, atom.Tfoot, atom.Thead); err != nil {
				return true, err
			}
			_, err := s.addElement()
			s.im = imInRow
			return true, err
		case atom.Td, atom.Th:
			return false, s.implied(html.StartTagToken, atom.Tr)
		case atom.Caption, atom.Col, atom.Colgroup, atom.Tbody, atom.Tfoot, atom.Thead:
			ok, err := s.popUntil(tableScope, atom.Tbody, atom.Thead, atom.Tfoot)
			if err != nil || !ok {
				return true, err
			}
			s.im = imInTable
			return false, nil
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Tbody, atom.Tfoot, atom.Thead:
			if s.inScope(tableScope, t.a) {
				if err := s.clearStackToContext(atom.Tbody, atom.Tfoot, atom.Thead); err != nil {
					return true, err
				}
				s.im = imInTable
				return true, s.pop()
			}
			return true, nil
		case atom.Table:
			ok, err := s.popUntil(tableScope, atom.Tbody, atom.Thead, atom.Tfoot)
			if err != nil || !ok {
				return true, err
			}
			s.im = imInTable
			return false, nil
		case atom.Body, atom.Caption, atom.Col, atom.Colgroup, atom.Html, atom.Td, atom.Th, atom.Tr:
			return true, nil
		}
	case html.CommentToken:
		return s.comment()
	}
	return s.inTable()
}

func (s *treeStream) inRow() (bool, error) {
	t := &s.t
	switch t.typ {
	case html.StartTagToken:
		switch t.a {
		case atom.Td, atom.Th:
			if err := s.clearStackToContext(atom.Tr); err != nil {
				return true, err
			}
			_, err := s.addElement()
			s.afe = append(s.afe, nil)
			s.im = imInCell
			return true, err
		case atom.Caption, atom.Col, atom.Colgroup, atom.Tbody, atom.Tfoot, atom.Thead, atom.Tr:
			if s.inScope(tableScope, atom.Tr) {
				if err := s.clearStackToContext(atom.Tr); err != nil {
					return true, err
				}
				s.im = imInTableBody
				return false, s.pop()
			}
			return true, nil
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Tr, atom.Table:
			if s.inScope(tableScope, atom.Tr) {
				if err := s.clearStackToContext(atom.Tr); err != nil {
					return true, err
				}
				s.im = imInTableBody
				return t.a == atom.Tr, s.pop()
			}
			return true, nil
		case atom.Tbody, atom.Tfoot, atom.Thead:
			if s.inScope(tableScope, t.a) && s.inScope(tableScope, atom.Tr) {
				if err := s.clearStackToContext(atom.Tr); err != nil {
					return true, err
				}
				s.im = imInTableBody
				return false, s.pop()
			}
			return true, nil
		case atom.Body, atom.Caption, atom.Col, atom.Colgroup, atom.Html, atom.Td, atom.Th:
			return true, nil
		}
	}
	return s.inTable()
}

func (s *treeStream) inCell() (bool, error) {
	t := &s.t
	switch t.typ {
	case html.StartTagToken:
		switch t.a {
		case atom.Caption, atom.Col, atom.Colgroup, atom.Tbody, atom.Td, atom.Tfoot, atom.Th, atom.Thead, atom.Tr:
			ok, err := s.popUntil(tableScope, atom.Td, atom.Th)
			if err != nil || !ok {
				return true, err
			}
			s.clearActiveFormattingElements()
			s.im = imInRow
			return false, nil
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Td, atom.Th:
			ok, err := s.popUntil(tableScope, t.a)
			if err != nil || !ok {
				return true, err
			}
			s.clearActiveFormattingElements()
			s.im = imInRow
			return true, nil
		case atom.Body, atom.Caption, atom.Col, atom.Colgroup, atom.Html:
			return true, nil
		case atom.Table, atom.Tbody, atom.Tfoot, atom.Thead, atom.Tr:
			if !s.inScope(tableScope, t.a) {
				return true, nil
			}
			ok, err := s.popUntil(tableScope, atom.Td, atom.Th)
			if err != nil {
				return true, err
			}
			if ok {
				s.clearActiveFormattingElements()
			}
			s.im = imInRow
			return false, nil
		}
	}
	return s.inBody()
}

// afterBody is the "after body" mode and, with afterAfter, the "after
// after body" mode (after </html>): white space and <html> go to the
// body's rules, comments go to the html element or the document, outside
// the body, and anything else returns to the body.
func (s *treeStream) afterBody(afterAfter bool) (bool, error) {
	t := &s.t
	switch t.typ {
	case html.ErrorToken:
		return true, nil
	case html.TextToken:
		if strings.TrimLeft(t.data, whitespace) == "" {
			return s.inBody()
		}
	case html.StartTagToken:
		if t.a == atom.Html {
			return s.inBody()
		}
	case html.EndTagToken:
		if t.a == atom.Html && !afterAfter {
			if !s.fragment {
				s.im = imAfterAfterBody
			}
			return true, nil
		}
	case html.CommentToken:
		// not into the body: its last text node stays open to more text
		return true, nil
	case html.DoctypeToken:
		if afterAfter {
			return s.inBody()
		}
	}
	s.im = imInBody
	return false, nil
}

// --- foreign content (SVG, MathML): kept whole, its content is no text
// of the report (the walker skips <svg> and <math>) ---

func (s *treeStream) inForeign() bool {
	top := s.top()
	if top == nil || top.ns == nsHTML {
		return false
	}
	switch s.t.typ {
	case html.ErrorToken:
		return false
	case html.StartTagToken, html.TextToken:
		if isIntegrationPoint(top) && top.name != "annotation-xml" {
			return false
		}
	}
	return true
}

// isIntegrationPoint: the foreign elements inside which x/net/html reads
// text and tags by the HTML rules (MathML's text integration points and
// SVG's HTML ones); they are also special and stop a scope.
// annotation-xml is one only with an HTML encoding, which is not kept:
// inForeign leaves what is inside it to the tree.
func isIntegrationPoint(e *elem) bool {
	switch e.ns {
	case nsMath:
		switch e.name {
		case "mi", "mo", "mn", "ms", "mtext", "annotation-xml":
			return true
		}
	case nsSVG:
		switch e.name {
		case "desc", "foreignobject", "title":
			return true
		}
	}
	return false
}

func (s *treeStream) foreign() (bool, error) {
	t := &s.t
	if top := s.top(); top.name == "annotation-xml" && (t.typ == html.StartTagToken || t.typ == html.TextToken) {
		return true, errNeedTree // foreign or HTML by its encoding attribute
	}
	switch t.typ {
	case html.TextToken:
		return true, s.addText(strings.ReplaceAll(t.data, "\x00", "\ufffd"))
	case html.CommentToken:
		return s.comment()
	case html.StartTagToken:
		if foreignBreakout[t.name] || t.a == atom.Font && fontBreaks(t.attrs) {
			// an HTML tag ends the foreign content: rare, left to the tree
			return true, errNeedTree
		}
		if _, err := s.push(t.a, t.name, s.top().ns, nil); err != nil {
			return true, err
		}
		// no raw text in foreign content (an SVG <title>, <style>)
		s.z.NextIsNotRawText()
		if t.selfClosing {
			return true, s.pop()
		}
		return true, nil
	case html.EndTagToken:
		if strings.EqualFold(s.top().name, t.name) {
			return true, s.pop()
		}
		for i := len(s.oe) - 1; i >= 0; i-- {
			if strings.EqualFold(s.oe[i].name, t.name) {
				return true, s.popTo(i)
			}
			if i > 0 && s.oe[i-1].ns == nsHTML {
				break
			}
		}
		return true, errNeedTree
	}
	return true, nil
}

func fontBreaks(attrs []html.Attribute) bool {
	for _, a := range attrs {
		switch a.Key {
		case "color", "face", "size":
			return true
		}
	}
	return false
}

// foreignBreakout is x/net/html's breakout set: HTML start tags that end
// foreign content.
var foreignBreakout = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6
		head hr i img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var`) {
		m[n] = true
	}
	return m
}()

// String names a mode in errors.
func (m insMode) String() string { return fmt.Sprintf("insertion mode %d", int(m)) }
