package ingest

import (
	"archive/zip"
	"encoding/binary"
	"encoding/xml"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// Document metadata: the title and author a PDF or DOCX file carries
// besides its text. Offices often leave a template's or a person's name
// there, so these are weak clues (identity.go ranks them), but a report
// that prints no title in its text may still name itself here.

// pdfProperties reads the document information dictionary (Title,
// Subject, Author).
func pdfProperties(r *pdf.Reader) []Property {
	info := r.Trailer().Key("Info")
	if info.IsNull() {
		return nil
	}
	var out []Property
	for _, k := range []struct{ key, kind string }{{"Title", PropTitle}, {"Subject", PropTitle}, {"Author", PropOrg}} {
		v := info.Key(k.key)
		if v.Kind() != pdf.String {
			continue
		}
		if s := strings.TrimSpace(pdfString(v.RawString())); s != "" {
			out = append(out, Property{Source: "PDF metadata " + k.key, Kind: k.kind, Value: s})
		}
	}
	return out
}

// pdfString decodes a PDF text string: UTF-16 with a byte-order mark (big-
// endian as the standard says, little-endian as WPS writes it), UTF-8 as
// some producers write it, else PDFDocEncoding, read as Latin-1 (the two
// agree on every letter a name uses).
func pdfString(raw string) string {
	b := []byte(raw)
	switch {
	case len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff:
		return decodeUTF16(b[2:], binary.BigEndian)
	case len(b) >= 2 && b[0] == 0xff && b[1] == 0xfe:
		return decodeUTF16(b[2:], binary.LittleEndian)
	case utf8.Valid(b):
		return raw
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func decodeUTF16(b []byte, order binary.ByteOrder) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, order.Uint16(b[i:]))
	}
	return string(utf16.Decode(u))
}

// docxProperties reads docProps/core.xml (title, subject, creator) and
// docProps/app.xml (Company).
func docxProperties(zr *zip.Reader) []Property {
	var out []Property
	for _, f := range zr.File {
		var want map[string]string // element → kind
		switch strings.ToLower(f.Name) {
		case "docprops/core.xml":
			want = map[string]string{"title": PropTitle, "subject": PropTitle, "creator": PropOrg}
		case "docprops/app.xml":
			want = map[string]string{"Company": PropOrg}
		default:
			continue
		}
		if f.UncompressedSize64 > 1<<20 {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			continue
		}
		out = append(out, xmlProperties(io.LimitReader(rc, 1<<20), want)...)
		rc.Close()
	}
	return out
}

// xmlProperties collects the text of the wanted top-level elements of a
// properties part.
func xmlProperties(r io.Reader, want map[string]string) []Property {
	var out []Property
	dec := xml.NewDecoder(r)
	var cur string
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if _, ok := want[t.Name.Local]; ok {
				cur = t.Name.Local
				text.Reset()
			}
		case xml.CharData:
			if cur != "" {
				text.Write(t)
			}
		case xml.EndElement:
			if cur != "" && t.Name.Local == cur {
				if v := strings.TrimSpace(text.String()); v != "" {
					out = append(out, Property{Source: "DOCX metadata " + cur, Kind: want[cur], Value: v})
				}
				cur = ""
			}
		}
	}
}
