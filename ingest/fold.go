package ingest

import (
	"bytes"
	"strings"
)

// The sniffers and the HTML readers look for ASCII markup ("<table",
// "<html", "\u003ctd", …) in any ASCII case, in a page's bytes or in
// decoded text, without lowering a copy first: lowering a copy of the
// 64 KiB head cost a copy and a pass over it per document (and
// bytes.ToLower, before that, decoded every rune: a tenth of an HTML
// report's parse, issue 11). Looking at ASCII capitals only answers what
// Contains(ToLower(s), needle) answers for a lower-case ASCII needle
// without 'i' or 'k': the only non-ASCII runes that lower to ASCII letters
// are U+0130 ('i' and a combining dot) and the Kelvin sign ('k').
type bytesOrString interface{ ~string | ~[]byte }

// hasFold says whether b holds needle (lower-case ASCII) in any ASCII case.
func hasFold(b, needle []byte) bool { return foldContains(b, needle, bytes.IndexByte) }

// containsFold is hasFold for decoded text.
func containsFold(s, needle string) bool { return foldContains(s, needle, strings.IndexByte) }

// foldContains is hasFold and containsFold: indexByte is bytes.IndexByte
// or strings.IndexByte, which skip to the needle's first letter in either
// case far faster than a loop.
func foldContains[T bytesOrString](s, needle T, indexByte func(T, byte) int) bool {
	first := needle[0]
	upper := first
	if 'a' <= first && first <= 'z' {
		upper -= 'a' - 'A'
	}
	for i := 0; i+len(needle) <= len(s); i++ {
		if c := s[i]; c != first && c != upper {
			j := indexByte(s[i:], first)
			if upper != first {
				if k := indexByte(s[i:], upper); k >= 0 && (j < 0 || k < j) {
					j = k
				}
			}
			if j < 0 {
				return false
			}
			i += j
			if i+len(needle) > len(s) {
				return false
			}
		}
		if equalFoldLower(s[i:i+len(needle)], needle) {
			return true
		}
	}
	return false
}

// hasPrefixFoldASCII says whether s begins with prefix (lower-case ASCII)
// in any ASCII case.
func hasPrefixFoldASCII(s, prefix string) bool {
	return len(s) >= len(prefix) && equalFoldLower(s, prefix)
}

// equalFoldLower says whether a begins with lower, a lower-case ASCII word,
// once a's ASCII capitals are lowered; a is at least as long as lower.
func equalFoldLower[A, B bytesOrString](a A, lower B) bool {
	for i := 0; i < len(lower); i++ {
		c := a[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
