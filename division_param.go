package gongkai

import "strings"

// DivisionParam is a division filter as the rollups and the report list
// bind it (schema 12: digits are a division code, anything else a name or
// part of an organization's name). It trims surrounding spaces, ideographic
// ones too, and writes a code typed in full-width digits (３７１０, as a
// Chinese input method in full-width mode gives it, or a cell pasted from
// WPS) in ASCII, so that such a code is a code and not a name that matches
// nothing. Anything else is returned as given: names are matched as stored.
// "" means no filter.
func DivisionParam(s string) string {
	s = strings.TrimSpace(s)
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= '０' && r <= '９') {
			return s
		}
	}
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		return r
	}, s)
}
