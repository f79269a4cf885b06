package ingest

import (
	"encoding/binary"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Decoding GB18030 fast.
//
// Chinese government pages and text files often come in GBK, which
// golang.org/x/text decodes through its general transform machinery: a
// call per buffer, a check per byte, the output grown and copied. On an
// HTML page in GBK that decode was a seventh of the whole parse. Nearly
// every byte of such a page is ASCII or one of GBK's two-byte characters,
// so gb18030Fast decodes those itself, from a table read off x/text's own
// decoder (x/text stays the authority on the mapping), and leaves any
// page holding anything else (GB18030's four-byte forms, bytes no
// character starts with, a character cut at the end) to x/text whole, so
// the text is always what x/text makes of it.

const (
	gbkLeadMin, gbkLeadMax   = 0x81, 0xFE
	gbkTrailMin, gbkTrailMax = 0x40, 0xFE
	gbkTrails                = gbkTrailMax - gbkTrailMin + 1
)

// gbkTable maps a two-byte character (lead, trail) to its rune at
// (lead-gbkLeadMin)*gbkTrails + trail-gbkTrailMin; 0 where x/text does not
// decode the pair alone into one rune of the Basic Multilingual Plane
// (then the page goes to x/text). Built on first use: 24,066 pairs, 47 KB.
var gbkTable = sync.OnceValue(func() []uint16 {
	t := make([]uint16, (gbkLeadMax-gbkLeadMin+1)*gbkTrails)
	dec := simplifiedchinese.GB18030.NewDecoder()
	var src [2]byte
	var dst [16]byte
	for lead := gbkLeadMin; lead <= gbkLeadMax; lead++ {
		for trail := gbkTrailMin; trail <= gbkTrailMax; trail++ {
			src[0], src[1] = byte(lead), byte(trail)
			dec.Reset()
			n, nsrc, err := dec.Transform(dst[:], src[:], true)
			if err != nil || nsrc != 2 {
				continue
			}
			r, size := utf8.DecodeRune(dst[:n])
			if size != n || r == utf8.RuneError || r > 0xFFFF || r < 0x80 {
				continue
			}
			t[(lead-gbkLeadMin)*gbkTrails+trail-gbkTrailMin] = uint16(r)
		}
	}
	return t
})

// gb18030Fast decodes data as GB18030 when it holds only ASCII and
// two-byte characters of gbkTable; ok=false leaves the rest to x/text.
func gb18030Fast(data []byte) (text string, ok bool) {
	table := gbkTable()
	var b strings.Builder
	// ASCII stays one byte; a two-byte character becomes three.
	b.Grow(len(data) + len(data)/2 + 16)
	for i := 0; i < len(data); {
		// a run of ASCII, copied at once; looked for eight bytes at a time
		j := i
		for j+8 <= len(data) && binary.LittleEndian.Uint64(data[j:])&0x8080808080808080 == 0 {
			j += 8
		}
		for j < len(data) && data[j] < utf8.RuneSelf {
			j++
		}
		b.Write(data[i:j])
		if j == len(data) {
			break
		}
		lead := data[j]
		if lead < gbkLeadMin || lead > gbkLeadMax || j+1 == len(data) {
			return "", false
		}
		trail := data[j+1]
		if trail < gbkTrailMin || trail > gbkTrailMax {
			return "", false
		}
		r := table[int(lead-gbkLeadMin)*gbkTrails+int(trail-gbkTrailMin)]
		if r == 0 {
			return "", false
		}
		b.WriteRune(rune(r))
		i = j + 2
	}
	return b.String(), true
}
