package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text helpers shared by the HTML, DOCX and PDF readers: they all collect a
// cell's text from pieces (spans, runs, paragraphs, printed lines) and must
// put the pieces back together the way a reader of the page would.

// cleanSpace turns every kind of blank (no-break space, ideographic space,
// tabs, newlines) into one ASCII space, collapses runs of them and trims
// the ends. Full-width digits and brackets are left alone: normalising
// them is the recognizer's job, and the raw text is kept for provenance.
func cleanSpace(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if isBlank(r) {
			space = true
			continue
		}
		if r == utf8.RuneError || r == '\x00' || unicode.Is(unicode.Cf, r) {
			// replacement characters, NULs and zero-width format marks
			// carry no text.
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func isBlank(r rune) bool {
	switch r {
	case '\u00a0', '\u3000', '\u2002', '\u2003', '\u2009', '\u200a', '\u202f', '\u205f':
		return true
	}
	return unicode.IsSpace(r)
}

// joinPieces glues the pieces of one cell or paragraph. Chinese text broken
// over two lines (商业 / 企业) is joined without a space; two Latin or
// digit pieces keep one space between them so numbers never run together.
func joinPieces(pieces []string) string {
	if len(pieces) == 1 {
		return cleanSpace(pieces[0])
	}
	var b strings.Builder
	if len(pieces) > 1 {
		n := len(pieces)
		for _, p := range pieces {
			n += len(p)
		}
		b.Grow(n) // cleaned pieces and their spaces are never longer
	}
	for _, p := range pieces {
		p = cleanSpace(p)
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(p)
			if needsSpace(last, first) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(p)
	}
	return b.String()
}

// needsSpace reports whether two pieces meeting at runes a|b need a space:
// only when neither side is CJK text or CJK punctuation.
func needsSpace(a, b rune) bool {
	return !isWide(a) && !isWide(b)
}

// isWide reports whether r is a CJK ideograph, kana, hangul or a full-width
// form or CJK punctuation mark.
func isWide(r rune) bool {
	switch {
	case unicode.Is(unicode.Han, r):
		return true
	case r >= 0x3000 && r <= 0x303f: // CJK symbols and punctuation
		return true
	case r >= 0xff00 && r <= 0xffef: // full-width forms
		return true
	case r >= 0x2e80 && r <= 0x2fdf: // radicals
		return true
	case r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…' || r == '·':
		return true
	}
	return false
}
