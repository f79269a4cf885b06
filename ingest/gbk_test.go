package ingest

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// gb18030Ref is what x/text makes of data.
func gb18030Ref(t *testing.T, data []byte) string {
	t.Helper()
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		t.Fatalf("x/text: %v", err)
	}
	return string(out)
}

// Every two-byte sequence, alone and between ASCII: where gb18030Fast
// decodes it, it decodes it as x/text does.
func TestGB18030FastEveryPair(t *testing.T) {
	fast := 0
	for lead := 0x80; lead <= 0xFF; lead++ {
		for trail := 0; trail <= 0xFF; trail++ {
			for _, in := range [][]byte{{byte(lead), byte(trail)}, {'a', byte(lead), byte(trail), 'b'}} {
				got, ok := gb18030Fast(in)
				if !ok {
					continue
				}
				fast++
				if want := gb18030Ref(t, in); got != want {
					t.Fatalf("gb18030Fast(%q) = %q, x/text gives %q", in, got, want)
				}
				// GBK's decoder reads the same (declared gbk pages use it).
				if want, err := simplifiedchinese.GBK.NewDecoder().Bytes(in); err != nil || got != string(want) {
					t.Fatalf("gb18030Fast(%q) = %q, x/text's GBK gives %q", in, got, want)
				}
			}
		}
	}
	// GBK's two-byte characters: 126 leads × 190 trails, less unassigned
	// pairs, all decoded here.
	if fast < 2*20000 {
		t.Errorf("only %d pairs decoded fast", fast)
	}
}

func TestGB18030Fast(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		ok   bool
	}{
		{"empty", nil, true},
		{"ascii", []byte("<p>abc</p>\r\n"), true},
		{"gbk", gbkOf("政府信息公开工作年度报告（2023）"), true},
		{"gbk and ascii", append(gbkOf("本年新收"), "12 | 3"...), true},
		{"lead at the end", append(gbkOf("中文"), 0xD6), false},
		{"four-byte form", []byte{0x81, 0x30, 0x81, 0x30}, false},
		{"euro byte", []byte{0x80}, false},
		{"byte 0xff", []byte{'a', 0xFF, 'b'}, false},
		{"trail 0x7f", []byte{0x81, 0x7F}, false},
		{"trail below 0x40", []byte{0xD6, 0x20}, false},
		{"utf-8", []byte("中文"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := gb18030Fast(c.in)
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v", ok, c.ok)
			}
			if ok {
				if want := gb18030Ref(t, c.in); got != want {
					t.Errorf("gb18030Fast = %q, x/text gives %q", got, want)
				}
			}
			// decodeWith and decodeText give x/text's text either way.
			if got, err := decodeWith(simplifiedchinese.GB18030, c.in); err != nil || got != gb18030Ref(t, c.in) {
				t.Errorf("decodeWith = %q, %v; x/text gives %q", got, err, gb18030Ref(t, c.in))
			}
		})
	}
}

// Random mixes of ASCII, GBK characters and bytes no character is made
// of: the fast decoder agrees with x/text whenever it answers, and the
// pages of a generated district in GBK are all decoded fast.
func TestGB18030FastRandom(t *testing.T) {
	pieces := [][]byte{[]byte("a"), []byte("<td>"), []byte("\n"), gbkOf("中"), gbkOf("文"), gbkOf("（一）"), gbkOf("€"),
		{0x80}, {0xFF}, {0x81}, {0x81, 0x30}, {0x81, 0x30, 0x81, 0x30}, {0x84, 0x31, 0xA4, 0x39}, {0xA1, 0x7F}, {0xFE, 0xFE}, {0xA2, 0xA0}}
	next := xorshift(7)
	for range 20000 {
		var b []byte
		for range 1 + next(30) {
			if next(10) < 8 {
				b = append(b, pieces[next(6)]...)
			} else {
				b = append(b, pieces[next(len(pieces))]...)
			}
		}
		if got, ok := gb18030Fast(b); ok {
			if want := gb18030Ref(t, b); got != want {
				t.Fatalf("gb18030Fast(%q) = %q, x/text gives %q", b, got, want)
			}
		}
	}
	for _, l := range fastPathLines(t) {
		b := gbkOf(l)
		got, ok := gb18030Fast(b)
		if !ok {
			t.Fatalf("gb18030Fast(%.80q) left to x/text", b)
		}
		if want := gb18030Ref(t, b); got != want {
			t.Fatalf("gb18030Fast(%.80q) = %.80q, x/text gives %.80q", b, got, want)
		}
	}
}

// decodeHTMLAsRef is decodeHTMLAs as it was, every encoding decoded by
// x/text.
func decodeHTMLAsRef(data []byte) (string, bool, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		return string(data[3:]), false, nil
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		out, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Bytes(data)
		return string(out), false, err
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		out, err := xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder().Bytes(data)
		return string(out), false, err
	}
	if utf8.Valid(data) {
		return string(data), false, nil
	}
	if isUTF8(data) {
		return strings.ToValidUTF8(string(data), "\uFFFD"), false, nil
	}
	if enc, _ := declaredCharset(data); enc != nil && enc != encoding.Nop && enc != xunicode.UTF8 {
		out, err := enc.NewDecoder().Bytes(data)
		return string(out), true, err
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	return string(out), true, err
}

// Pages in GBK under every label, with and without what only x/text
// decodes (the euro byte, four-byte forms, a cut character), decode as
// they did; the labels gbk and gb2312 name GBK, not GB18030, as
// charset.Lookup gives them.
func TestDecodeHTMLAsAgrees(t *testing.T) {
	body := "<table><tr><td>本年新收</td><td>12</td></tr></table>"
	tails := [][]byte{nil, {0x80}, {0x81, 0x30, 0x81, 0x30}, {0xD6}, {0xFF}, {0xA1, 0x7F}}
	labels := []string{"", "gbk", "GBK", "gb2312", "x-gbk", "gb18030", "GB18030", "big5", "utf-8", "iso-8859-1", "bogus"}
	for _, label := range labels {
		head := "<html><head><title>x</title></head>"
		if label != "" {
			head = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=` + label + `"></head>`
		}
		for _, tail := range tails {
			page := append(gbkOf(head+"<body>"+body), tail...)
			page = append(page, gbkOf("中文</body></html>")...)
			got, gotNot, gotErr := decodeHTMLAs(page)
			want, wantNot, wantErr := decodeHTMLAsRef(page)
			if got != want || gotNot != wantNot || (gotErr != nil) != (wantErr != nil) {
				t.Errorf("label %q, tail %q: decodeHTMLAs = %.120q %v %v, was %.120q %v %v", label, tail, got, gotNot, gotErr, want, wantNot, wantErr)
			}
		}
	}
	for label, want := range map[string]string{"gbk": "gbk", "gb2312": "gbk", "x-gbk": "gbk", "gb18030": "gb18030", "utf-8": "utf-8"} {
		if _, name := declaredCharset([]byte(`<meta charset="` + label + `">`)); name != want {
			t.Errorf("declaredCharset(%q) names %q, want %q", label, name, want)
		}
	}
	for _, l := range fastPathLines(t) {
		b := gbkOf(`<meta charset="gbk">` + l)
		got, _, _ := decodeHTMLAs(b)
		want, _, _ := decodeHTMLAsRef(b)
		if got != want {
			t.Fatalf("decodeHTMLAs(%.80q) = %.80q, was %.80q", b, got, want)
		}
	}
}

// FuzzGB18030Fast: wherever the fast decoder answers, x/text (GB18030 and
// GBK alike) gives the same text; decodeWith and decodeHTMLAs always give
// what they gave.
func FuzzGB18030Fast(f *testing.F) {
	f.Add([]byte("abc"))
	f.Add(gbkOf("本年新收政府信息公开申请数量"))
	f.Add([]byte{0x81, 0x30, 0x81, 0x30, 0x80, 0xFF})
	f.Add(gbkOf(`<meta charset="gbk"><table><td>中文</td></table>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, ok := gb18030Fast(data); ok {
			if want := gb18030Ref(t, data); got != want {
				t.Fatalf("gb18030Fast(%q) = %q, x/text gives %q", data, got, want)
			}
			if want, err := simplifiedchinese.GBK.NewDecoder().Bytes(data); err != nil || got != string(want) {
				t.Fatalf("gb18030Fast(%q) = %q, x/text's GBK gives %q", data, got, want)
			}
		}
		if got, err := decodeWith(simplifiedchinese.GB18030, data); err != nil || got != gb18030Ref(t, data) {
			t.Fatalf("decodeWith(%q) = %q, %v", data, got, err)
		}
		got, gotNot, gotErr := decodeHTMLAs(data)
		want, wantNot, wantErr := decodeHTMLAsRef(data)
		if got != want || gotNot != wantNot || (gotErr != nil) != (wantErr != nil) {
			t.Fatalf("decodeHTMLAs(%q) = %q %v %v, was %q %v %v", data, got, gotNot, gotErr, want, wantNot, wantErr)
		}
	})
}
