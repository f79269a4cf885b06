package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// xmlScanner reads an XML part held in memory as a stream of start tags,
// end tags and character data, without building tokens: encoding/xml's
// Decoder reads byte by byte through a bufio.Reader and allocates a name,
// an attribute slice and a copy of the text for every token, which was
// two thirds of parsing a DOCX report (issue 11). Names and text are
// handed out as slices of the input (text only when it holds no escape).
//
// It accepts what encoding/xml accepts in its default strict mode for the
// parts Word writes and refuses the same damage: tags closed by another
// name, unquoted attribute values, unknown entities, characters outside
// XML's range, invalid UTF-8, an encoding other than UTF-8 and a document
// that ends inside an element. DTDs are skipped, not interpreted (no
// entity of a DTD is expanded, as in encoding/xml).
type xmlScanner struct {
	data []byte
	pos  int
	// open holds the qualified names of the open elements, to refuse an
	// element closed by another name.
	open [][]byte
	text []byte // scratch for unescaped text
}

// xmlHandler receives the scanner's events. local is the element's name
// without its prefix; attr looks an attribute up by its local name.
type xmlHandler interface {
	start(local []byte, attrs xmlAttrs)
	end(local []byte)
	chars(text []byte)
}

// xmlAttrs is the raw attribute list of a start tag (the bytes between
// the name and the closing > or />), read on demand.
type xmlAttrs []byte

var errXMLSyntax = errors.New("XML syntax error")

func xmlErr(line int, format string, args ...any) error {
	return fmt.Errorf("%w on line %d: %s", errXMLSyntax, line, fmt.Sprintf(format, args...))
}

// line returns the 1-based line of byte offset i, for error messages only.
func (s *xmlScanner) line(i int) int {
	return bytes.Count(s.data[:min(i, len(s.data))], []byte{'\n'}) + 1
}

// scan runs through the whole input, calling h for every element and
// every run of character data.
func (s *xmlScanner) scan(h xmlHandler) error {
	d := s.data
	for s.pos < len(d) {
		lt := bytes.IndexByte(d[s.pos:], '<')
		if lt < 0 {
			lt = len(d) - s.pos
		}
		if lt > 0 {
			raw := d[s.pos : s.pos+lt]
			text, err := s.unescape(raw, s.pos)
			if err != nil {
				return err
			}
			h.chars(text)
			s.pos += lt
			continue
		}
		// d[s.pos] == '<'
		rest := d[s.pos:]
		switch {
		case bytes.HasPrefix(rest, []byte("<?")):
			end := bytes.Index(rest, []byte("?>"))
			if end < 0 {
				return xmlErr(s.line(s.pos), "unexpected EOF in processing instruction")
			}
			if err := s.procInst(rest[2:end]); err != nil {
				return err
			}
			s.pos += end + 2
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("--"))
			if end < 0 {
				return xmlErr(s.line(s.pos), "unexpected EOF in comment")
			}
			if len(rest) <= 4+end+2 || rest[4+end+2] != '>' {
				return xmlErr(s.line(s.pos), `invalid sequence "--" not allowed in comments`)
			}
			s.pos += 4 + end + 3
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			end := bytes.Index(rest, []byte("]]>"))
			if end < 0 {
				return xmlErr(s.line(s.pos), "unexpected EOF in CDATA section")
			}
			text := rest[len("<![CDATA["):end]
			if err := s.checkText(text, s.pos); err != nil {
				return err
			}
			if bytes.IndexByte(text, '\r') >= 0 {
				text = normalizeCR(append(s.text[:0], text...))
			}
			h.chars(text)
			s.pos += end + 3
		case bytes.HasPrefix(rest, []byte("<!")):
			n, err := skipDirective(rest)
			if err != nil {
				return xmlErr(s.line(s.pos), "%v", err)
			}
			s.pos += n
		case bytes.HasPrefix(rest, []byte("</")):
			gt := bytes.IndexByte(rest, '>')
			if gt < 0 {
				return xmlErr(s.line(s.pos), "unexpected EOF in end tag")
			}
			name := bytes.TrimRight(rest[2:gt], " \t\r\n")
			if len(name) == 0 || !validName(name) {
				return xmlErr(s.line(s.pos), "invalid end tag %q", rest[:gt+1])
			}
			if len(s.open) == 0 {
				return xmlErr(s.line(s.pos), "unexpected end element </%s>", name)
			}
			if top := s.open[len(s.open)-1]; !bytes.Equal(top, name) {
				return xmlErr(s.line(s.pos), "element <%s> closed by </%s>", top, name)
			}
			s.open = s.open[:len(s.open)-1]
			h.end(localName(name))
			s.pos += gt + 1
		default:
			n, err := s.startTag(rest, h)
			if err != nil {
				return err
			}
			s.pos += n
		}
	}
	if len(s.open) > 0 {
		return xmlErr(s.line(s.pos), "unexpected EOF: element <%s> is not closed", s.open[len(s.open)-1])
	}
	return nil
}

// startTag reads <name attr="v" …> or <name …/> at the start of rest and
// returns its length.
func (s *xmlScanner) startTag(rest []byte, h xmlHandler) (int, error) {
	i := 1
	for i < len(rest) && !isXMLSpace(rest[i]) && rest[i] != '>' && rest[i] != '/' {
		i++
	}
	name := rest[1:i]
	if len(name) == 0 || !validName(name) {
		return 0, xmlErr(s.line(s.pos), "invalid start tag %.40q", rest)
	}
	attrStart := i
	// Walk the attributes to find the tag's end, skipping quoted values
	// (they may hold '>').
	for {
		for i < len(rest) && isXMLSpace(rest[i]) {
			i++
		}
		if i >= len(rest) {
			return 0, xmlErr(s.line(s.pos), "unexpected EOF in tag <%s>", name)
		}
		switch rest[i] {
		case '>':
			s.open = append(s.open, name)
			h.start(localName(name), xmlAttrs(rest[attrStart:i]))
			return i + 1, nil
		case '/':
			if i+1 >= len(rest) || rest[i+1] != '>' {
				return 0, xmlErr(s.line(s.pos), "expected /> in element <%s>", name)
			}
			h.start(localName(name), xmlAttrs(rest[attrStart:i]))
			h.end(localName(name))
			return i + 2, nil
		}
		// an attribute: name = "value"
		j := i
		for j < len(rest) && !isXMLSpace(rest[j]) && rest[j] != '=' && rest[j] != '>' && rest[j] != '/' {
			j++
		}
		if j == i || !validName(rest[i:j]) {
			return 0, xmlErr(s.line(s.pos), "invalid attribute in element <%s>", name)
		}
		for j < len(rest) && isXMLSpace(rest[j]) {
			j++
		}
		if j >= len(rest) || rest[j] != '=' {
			return 0, xmlErr(s.line(s.pos), "attribute %s without value in element <%s>", rest[i:j], name)
		}
		j++
		for j < len(rest) && isXMLSpace(rest[j]) {
			j++
		}
		if j >= len(rest) || (rest[j] != '"' && rest[j] != '\'') {
			return 0, xmlErr(s.line(s.pos), "unquoted or missing attribute value in element <%s>", name)
		}
		q := bytes.IndexByte(rest[j+1:], rest[j])
		if q < 0 {
			return 0, xmlErr(s.line(s.pos), "unexpected EOF in attribute value")
		}
		val := rest[j+1 : j+1+q]
		if bytes.IndexByte(val, '<') >= 0 {
			return 0, xmlErr(s.line(s.pos), "unescaped < inside quoted string")
		}
		if _, err := s.unescape(val, s.pos); err != nil {
			return 0, err
		}
		i = j + 1 + q + 1
	}
}

// get returns the unescaped value of the first attribute whose local name
// is local, and whether there is one. The tag was checked by startTag.
func (a xmlAttrs) get(local string) (string, bool) {
	i := 0
	for i < len(a) {
		for i < len(a) && isXMLSpace(a[i]) {
			i++
		}
		j := i
		for j < len(a) && a[j] != '=' && !isXMLSpace(a[j]) {
			j++
		}
		name := a[i:j]
		for j < len(a) && a[j] != '"' && a[j] != '\'' {
			j++
		}
		if j >= len(a) {
			return "", false
		}
		q := bytes.IndexByte(a[j+1:], a[j])
		if q < 0 {
			return "", false
		}
		val := a[j+1 : j+1+q]
		i = j + 1 + q + 1
		if string(localName(name)) == local {
			var s xmlScanner
			v, err := s.unescape(val, 0)
			if err != nil {
				return "", false
			}
			return string(v), true
		}
	}
	return "", false
}

// procInst checks the XML declaration's encoding, as encoding/xml does
// without a CharsetReader.
func (s *xmlScanner) procInst(body []byte) error {
	if !bytes.HasPrefix(body, []byte("xml")) || (len(body) > 3 && !isXMLSpace(body[3])) {
		return nil
	}
	_, after, ok := bytes.Cut(body, []byte("encoding="))
	if !ok || len(after) == 0 || (after[0] != '"' && after[0] != '\'') {
		return nil
	}
	q := bytes.IndexByte(after[1:], after[0])
	if q < 0 {
		return nil
	}
	enc := string(after[1 : 1+q])
	if enc != "" && !strings.EqualFold(enc, "utf-8") {
		return fmt.Errorf("%w: encoding %q declared, only UTF-8 is read", errXMLSyntax, enc)
	}
	return nil
}

// skipDirective returns the length of a <!…> directive (DOCTYPE with its
// internal subset), minding nested brackets, quotes and comments.
func skipDirective(rest []byte) (int, error) {
	depth := 0
	var quote byte
	for i := 2; i < len(rest); i++ {
		c := rest[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '<':
			if bytes.HasPrefix(rest[i:], []byte("<!--")) {
				end := bytes.Index(rest[i+4:], []byte("-->"))
				if end < 0 {
					return 0, errors.New("unexpected EOF in comment")
				}
				i += 4 + end + 2
				continue
			}
			depth++
		case c == '>':
			if depth == 0 {
				return i + 1, nil
			}
			depth--
		}
	}
	return 0, errors.New("unexpected EOF in directive")
}

// unescape checks character data and returns it with entity and character
// references replaced and line ends normalized to \n; data without '&' or
// '\r' comes back as is.
func (s *xmlScanner) unescape(raw []byte, at int) ([]byte, error) {
	if err := s.checkText(raw, at); err != nil {
		return nil, err
	}
	amp := bytes.IndexByte(raw, '&')
	if amp < 0 && bytes.IndexByte(raw, '\r') < 0 {
		return raw, nil
	}
	if amp < 0 {
		amp = len(raw)
	}
	out := append(s.text[:0], raw[:amp]...)
	for i := amp; i < len(raw); i++ {
		c := raw[i]
		if c != '&' {
			out = append(out, c)
			continue
		}
		semi := bytes.IndexByte(raw[i:], ';')
		if semi < 0 {
			return nil, xmlErr(s.line(at), "invalid character entity %.12s (no semicolon)", raw[i:])
		}
		ent := raw[i+1 : i+semi]
		switch string(ent) {
		case "amp":
			out = append(out, '&')
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "quot":
			out = append(out, '"')
		case "apos":
			out = append(out, '\'')
		default:
			if len(ent) < 2 || ent[0] != '#' {
				return nil, xmlErr(s.line(at), "invalid character entity &%s;", ent)
			}
			var v uint64
			var err error
			if ent[1] == 'x' {
				v, err = strconv.ParseUint(string(ent[2:]), 16, 32)
			} else {
				v, err = strconv.ParseUint(string(ent[1:]), 10, 32)
			}
			if err != nil || !isInXMLRange(rune(v)) {
				return nil, xmlErr(s.line(at), "invalid character entity &%s;", ent)
			}
			out = utf8.AppendRune(out, rune(v))
		}
		i += semi
	}
	out = normalizeCR(out)
	s.text = out
	return out, nil
}

// normalizeCR turns \r\n and lone \r into \n in place, as XML requires.
func normalizeCR(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	w := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\r' {
			c = '\n'
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		}
		b[w] = c
		w++
	}
	return b[:w]
}

// checkText refuses invalid UTF-8 and characters outside XML's range
// (control characters other than tab, newline and carriage return).
func (s *xmlScanner) checkText(b []byte, at int) error {
	ascii := true
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return xmlErr(s.line(at), "illegal character code %U", rune(c))
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if ascii {
		return nil
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return xmlErr(s.line(at), "invalid UTF-8")
		}
		if !isInXMLRange(r) {
			return xmlErr(s.line(at), "illegal character code %U", r)
		}
		i += n
	}
	return nil
}

// isInXMLRange is XML 1.0's Char production.
func isInXMLRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

func isXMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// validName accepts an XML name: no markup characters or quotes in it
// and at most one colon, not at either end.
func validName(b []byte) bool {
	if b[0] == ':' || b[len(b)-1] == ':' || bytes.Count(b, []byte{':'}) > 1 {
		return false
	}
	if c := b[0]; c == '-' || c == '.' || ('0' <= c && c <= '9') {
		return false
	}
	for _, c := range b {
		switch c {
		case '<', '>', '&', '"', '\'', '=', '/', '!', '?', ';', '(', ')', '[', ']', '{', '}', '`', '#', '%', '*', '+', ',', '@', '\\', '^', '|', '~', '$':
			return false
		}
		if c < 0x21 {
			return false
		}
	}
	return true
}

// localName is the part of a qualified name after its prefix.
func localName(b []byte) []byte {
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		return b[i+1:]
	}
	return b
}
