package ingest

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/gen"
)

// documentXML returns word/document.xml of a DOCX.
func documentXML(t testing.TB, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, "word/document.xml") {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			x, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
	}
	t.Fatal("no word/document.xml")
	return nil
}

// docxInputs are the DOCX documents the scanner is checked on: a
// generated district (oracle_test.go), the golden cases and the built
// sample and, when ../shared is there, the corpus template.
func docxInputs(t *testing.T) map[string][]byte {
	t.Helper()
	in := oracleDistrict(t, gen.DOCX)
	in["built sample"] = buildDOCX(t, sampleDOCXBody(), nil)
	for k, v := range oracleFiles(t, "input.docx") {
		if strings.HasSuffix(k, ".docx") {
			in[k] = v
		}
	}
	return in
}

// TestDOCXScannerMatchesDecoder: xmlScanner reads every DOCX input into
// the Document the encoding/xml reader made of it.
func TestDOCXScannerMatchesDecoder(t *testing.T) {
	for name, d := range docxInputs(t) {
		x := documentXML(t, d)
		want, err := parseDocumentXMLRef(name, bytes.NewReader(x))
		if err != nil {
			t.Fatalf("%s: the old reader fails: %v", name, err)
		}
		got, err := parseDocumentXML(name, x)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(Document{})); diff != "" {
			t.Errorf("%s: Documents differ (-old +new):\n%s", name, diff)
		}
	}
}

// TestXMLScannerEscapesAndErrors: references, CDATA, line ends and the
// damage encoding/xml refuses, each against the old reader.
func TestXMLScannerEscapesAndErrors(t *testing.T) {
	para := func(inner string) string {
		return `<w:document ` + wordNS + `><w:body><w:p><w:r>` + inner + `</w:r></w:p></w:body></w:document>`
	}
	for _, c := range []struct {
		name, xml string
		text      string // the one line read, "" when it must fail
	}{
		{"entities", para(`<w:t>a&amp;b&lt;c&gt;d&quot;e&apos;f&#20013;&#x6587;</w:t>`), `a&b<c>d"e'f中文`},
		{"cdata", para(`<w:t><![CDATA[<b>&amp;</b>]]></w:t>`), `<b>&amp;</b>`},
		{"crlf", para("<w:t>a\r\nb\rc</w:t>"), "a b c"},
		{"declaration and doctype", `<?xml version="1.0" encoding="utf-8"?><!DOCTYPE x [<!ELEMENT x ANY>]><!-- c -->` + para(`<w:t>x</w:t>`), "x"},
		{"attribute with > and entity", para(`<w:t a="1>2" b='&amp;'>y</w:t>`), "y"},
		{"mismatched end", para(`<w:t>x</w:r>`), ""},
		{"unclosed", `<w:document ` + wordNS + `><w:body><w:p><w:r><w:t>x</w:t>`, ""},
		{"unknown entity", para(`<w:t>&nbsp;</w:t>`), ""},
		{"bare ampersand", para(`<w:t>a & b</w:t>`), ""},
		{"unquoted attribute", para(`<w:t a=1>x</w:t>`), ""},
		{"control character", para("<w:t>a\x01b</w:t>"), ""},
		{"invalid UTF-8", para("<w:t>a\xffb</w:t>"), ""},
		{"other encoding", `<?xml version="1.0" encoding="GBK"?>` + para(`<w:t>x</w:t>`), ""},
		{"bad character reference", para(`<w:t>&#0;</w:t>`), ""},
		{"stray end", `</w:p>`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			old, oldErr := parseDocumentXMLRef("x", strings.NewReader(c.xml))
			got, err := parseDocumentXML("x", []byte(c.xml))
			if c.text == "" {
				if err == nil || oldErr == nil {
					t.Fatalf("new error %v, old error %v; want both to fail", err, oldErr)
				}
				return
			}
			if err != nil || oldErr != nil {
				t.Fatalf("new error %v, old error %v", err, oldErr)
			}
			if len(got.Lines) != 1 || got.Lines[0].Text != c.text {
				t.Errorf("lines %+v, want %q", got.Lines, c.text)
			}
			if diff := cmp.Diff(old, got, cmp.AllowUnexported(Document{})); diff != "" {
				t.Errorf("differs from the old reader (-old +new):\n%s", diff)
			}
		})
	}
}
