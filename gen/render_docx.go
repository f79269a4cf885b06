package gen

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// docxTime stamps every zip entry, so the same report gives the same bytes.
var docxTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

const wNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

func xmlEsc(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// runs splits text over one to three runs at random places, as Word does
// after edits, spell checks and bookmarks.
func runs(s string, r *rand.Rand) string {
	rs := []rune(s)
	var parts []string
	for len(rs) > 1 && len(parts) < 2 && r.IntN(3) == 0 {
		cut := 1 + r.IntN(len(rs)-1)
		parts = append(parts, string(rs[:cut]))
		rs = rs[cut:]
	}
	parts = append(parts, string(rs))
	var b strings.Builder
	for _, p := range parts {
		fmt.Fprintf(&b, `<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>`, xmlEsc(p))
	}
	return b.String()
}

func wPara(s string, r *rand.Rand) string {
	if s == "" {
		return "<w:p/>"
	}
	bm := ""
	if r.IntN(8) == 0 {
		id := r.IntN(1000)
		bm = fmt.Sprintf(`<w:bookmarkStart w:id="%d" w:name="_Hlk%d"/><w:bookmarkEnd w:id="%d"/>`, id, 66970000+r.IntN(70000), id)
	}
	return "<w:p>" + bm + runs(s, r) + "</w:p>"
}

// documentXML writes word/document.xml: paragraphs and tables whose merged
// cells use gridSpan (columns) and vMerge (rows).
func documentXML(d *document, r *rand.Rand) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<w:document xmlns:w="` + wNS + `"><w:body>`)
	for _, l := range d.headLines(d.org, d.title) {
		b.WriteString(wPara(l, r))
	}
	for _, bl := range d.blocks {
		if bl.tab == nil {
			b.WriteString(wPara(bl.text, r))
			continue
		}
		t := bl.tab
		b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr><w:tblGrid>`)
		for range t.width {
			fmt.Fprintf(&b, `<w:gridCol w:w="%d"/>`, 8000/t.width)
		}
		b.WriteString(`</w:tblGrid>`)
		for _, row := range t.grid() {
			b.WriteString("<w:tr>")
			for _, s := range row {
				if !s.first {
					continue
				}
				b.WriteString("<w:tc><w:tcPr>")
				fmt.Fprintf(&b, `<w:tcW w:w="%d" w:type="dxa"/>`, 8000/t.width*s.c.cs)
				if s.c.cs > 1 {
					fmt.Fprintf(&b, `<w:gridSpan w:val="%d"/>`, s.c.cs)
				}
				if s.c.rs > 1 {
					if s.origin {
						b.WriteString(`<w:vMerge w:val="restart"/>`)
					} else {
						b.WriteString(`<w:vMerge/>`)
					}
				}
				b.WriteString(`<w:vAlign w:val="center"/></w:tcPr>`)
				if s.origin {
					for _, l := range lines(s.c.text) {
						b.WriteString(wPara(l, r))
					}
				} else {
					b.WriteString("<w:p/>")
				}
				b.WriteString("</w:tc>")
			}
			b.WriteString("</w:tr>")
		}
		b.WriteString("</w:tbl>")
	}
	for _, l := range d.sigLines(d.org, d.published) {
		b.WriteString(wPara(l, r))
	}
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>`)
	b.WriteString("</w:body></w:document>")
	return []byte(b.String())
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`

// corePropsType and corePropsRel declare docProps/core.xml, written when
// the identity style puts the title and author in the metadata.
const (
	corePropsType = `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`
	corePropsRel  = `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>`
)

// coreXML writes docProps/core.xml with the report's title and its
// organization as the author.
func coreXML(d *document) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	b.WriteString("<dc:title>")
	xml.EscapeText(&b, []byte(d.oneLineTitle()))
	b.WriteString("</dc:title><dc:creator>")
	xml.EscapeText(&b, []byte(d.org))
	b.WriteString("</dc:creator></cp:coreProperties>")
	return []byte(b.String())
}

func renderDOCX(_ context.Context, d *document, r *rand.Rand) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	type part struct {
		name string
		data []byte
	}
	parts := []part{
		{"[Content_Types].xml", []byte(contentTypes)},
		{"_rels/.rels", []byte(rootRels)},
		{"word/document.xml", documentXML(d, r)},
	}
	if d.id.Metadata {
		parts[0].data = []byte(strings.Replace(contentTypes, "</Types>", corePropsType+"</Types>", 1))
		parts[1].data = []byte(strings.Replace(rootRels, "</Relationships>", corePropsRel+"</Relationships>", 1))
		parts = append(parts, part{"docProps/core.xml", coreXML(d)})
	}
	for _, f := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: docxTime})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
