package ingest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongkai"
	"gongkai/msg"
)

// Chinese report text reaches us as UTF-8 or as GB18030 (GBK, GB2312).
// One invalid byte must not switch the whole file to the other encoding: a
// download cut mid-character, or one damaged byte, leaves a UTF-8 file that
// is not valid UTF-8, and decoding it as GB18030 turns every character
// into another and loses the whole report. So the decision weighs the
// evidence: GBK text read as UTF-8 is invalid almost everywhere and holds
// next to no valid three-byte sequences (the form of every Chinese
// character in UTF-8), while damaged UTF-8 holds thousands of them and a
// few bad bytes.

// utf8Damage reports the byte offsets of invalid UTF-8 in data (up to
// maxReported of them, and how many in all) and whether data is UTF-8
// text with a few damaged bytes rather than another encoding.
func utf8Damage(data []byte) (offsets []int, total int, damagedUTF8 bool) {
	return scanUTF8Damage(data, true)
}

// isUTF8 says whether data (without a byte-order mark) is to be read as
// UTF-8: valid, or UTF-8 with a few damaged bytes.
func isUTF8(data []byte) bool {
	if utf8.Valid(data) {
		return true
	}
	return damagedUTF8(data)
}

// damagedUTF8 is utf8Damage's last answer alone. It stops as soon as the
// answer is settled: once the invalid runs outnumber a twentieth of the
// three-byte sequences there are and can still come, the data is no
// UTF-8 (a GBK page is settled within its first few hundred bytes, where
// utf8Damage decoded all of it, on every check).
func damagedUTF8(data []byte) bool {
	_, _, ok := scanUTF8Damage(data, false)
	return ok
}

// scanUTF8Damage is utf8Damage (list: the offsets too, and the whole of
// data read) and damagedUTF8 (not list: stop once the answer is settled).
func scanUTF8Damage(data []byte, list bool) (offsets []int, total int, damaged bool) {
	const maxReported = 5
	cjk := 0
	prevBad := false
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			// ASCII, eight bytes at a time where it runs on (a page's
			// markup): each is one byte that ends a bad run.
			i++
			for i+8 <= len(data) && binary.LittleEndian.Uint64(data[i:])&0x8080808080808080 == 0 {
				i += 8
			}
			prevBad = false
			continue
		}
		// A byte that cannot lead a sequence, or a lead byte not followed
		// by a continuation byte, is what DecodeRune reads as RuneError of
		// size 1: told without decoding (a GBK page is mostly such bytes).
		r, size := utf8.RuneError, 1
		if b := data[i]; b >= 0xC2 && b <= 0xF4 && i+1 < len(data) && data[i+1]&0xC0 == 0x80 {
			r, size = utf8.DecodeRune(data[i:])
		}
		if r == utf8.RuneError && size <= 1 {
			if !prevBad {
				total++
				switch {
				case list:
					if len(offsets) < maxReported {
						offsets = append(offsets, i)
					}
				case total*20 > cjk+(len(data)-i)/3:
					// at most one three-byte sequence per three bytes left
					return nil, total, false
				}
			}
			prevBad = true
			i++
			continue
		}
		prevBad = false
		if size == 3 {
			cjk++
		}
		i += size
	}
	return offsets, total, total > 0 && cjk >= 8 && total*20 <= cjk
}

// textRendering says whether a rendering is decoded as plain text.
func textRendering(rendering string) bool {
	switch rendering {
	case "html", "pdf", "docx", RenderingRecord:
		return false
	}
	return true
}

// encodingFindings reports the damaged bytes of a text or HTML document
// read as UTF-8: they were replaced (U+FFFD) and the rest read as it is.
func encodingFindings(rendering string, data []byte) []gongkai.Finding {
	if rendering != "html" && !textRendering(rendering) {
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return nil
	}
	if !damagedUTF8(data) {
		return nil // another encoding, settled without decoding it all
	}
	offs, total, _ := utf8Damage(data)
	where := make([]string, len(offs))
	for i, o := range offs {
		where[i] = fmt.Sprintf("byte %d (line %d)", o, bytes.Count(data[:o], []byte("\n"))+1)
	}
	code, args := msg.ReadUTF8Damage, msg.A("n", total, "locs", strings.Join(where, ", "))
	if total > len(offs) {
		code, args["more"] = msg.ReadUTF8DamageMore, strconv.Itoa(total-len(offs))
	}
	return []gongkai.Finding{readCoded(nil, code, args)}
}
