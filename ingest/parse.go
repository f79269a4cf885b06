package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"gongkai"
	"gongkai/msg"
)

// RenderingRecord names JSON records (FORMAT.md §5) read back as input.
const RenderingRecord = "record_json"

// ParseFile reads and parses one report file. See ParseBytes.
func ParseFile(ctx context.Context, path string) (gongkai.Parsed, error) {
	return ParseFileAs(ctx, path, Identity{})
}

// ParseFileAs is ParseFile with an identity the user states for the file.
func ParseFileAs(ctx context.Context, path string, given Identity) (gongkai.Parsed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return gongkai.Parsed{Path: path}, &gongkai.Error{Op: "parse", Path: path, Err: err}
	}
	return ParseBytesAs(ctx, path, data, given)
}

// ParseBytes parses one report whose bytes are data; name is its path or
// name for messages. See ParseBytesAs.
func ParseBytes(ctx context.Context, name string, data []byte) (gongkai.Parsed, error) {
	return ParseBytesAs(ctx, name, data, Identity{})
}

// identityHint is what a user can do when a report's identity is missing.
const identityHint = "state it: 'gongkai parse --organization NAME --year YYYY FILE' (or ingest with the same flags for one file), or a manifest CSV with the columns file,organization,year for many ('gongkai ingest --manifest FILE')"

// ParseBytesAs parses one report whose bytes are data; name is its path or
// name for messages; given is an organization and year the user states for
// it (flags, a manifest), which win over what the document says (a finding
// names any disagreement). The rendering is detected from the content: a
// JSON record of FORMAT.md §5 is read as is ("record_json"); anything else
// goes to the first reader whose sniff accepts it (detect.go lists them in
// order), and its Document through the recognizer.
//
// The report's findings are the reader's own (rule READ) followed by
// gongkai.Check (R1–R5). Parsed.Hash is the sha256 of data; Parsed.Clues
// lists every place the document states its identity.
//
// Errors are *gongkai.Error wrapping gongkai.ErrUnsupported (no reader
// knows the content), gongkai.ErrUnreadable (the tables were not found),
// gongkai.ErrNoIdentity (no organization or no year found: the message
// names every place tried), gongkai.ErrInvalidRecord (a record the store
// would refuse: a malformed date, a fraction in a count) or a reader's own
// error. When some of the three tables were read but others are missing,
// or the identity is unknown, the returned Parsed still holds the report
// read, so a caller may show what was read; callers that store reports
// must not store it.
func ParseBytesAs(ctx context.Context, name string, data []byte, given Identity) (gongkai.Parsed, error) {
	sum := sha256.Sum256(data)
	p := gongkai.Parsed{Path: name, Hash: hex.EncodeToString(sum[:])}
	if err := ctx.Err(); err != nil {
		return p, &gongkai.Error{Op: "parse", Path: name, Err: err}
	}
	if isRecord(data) {
		var r gongkai.Report
		if err := json.Unmarshal(data, &r); err != nil {
			return p, &gongkai.Error{Op: "parse", Path: name, Where: "JSON record",
				Err:  fmt.Errorf("%w: %w", gongkai.ErrUnreadable, err),
				Hint: "a JSON input must be a report record as printed by 'gongkai parse'"}
		}
		var kept []gongkai.Finding
		for _, f := range r.Findings {
			if f.Rule == gongkai.RuleRead {
				kept = append(kept, f)
			}
		}
		r.Findings = append(kept, gongkai.Check(&r)...)
		applyGiven(&r, given)
		p.Report, p.Rendering = &r, RenderingRecord
		if err := r.Validate(); err != nil {
			return p, &gongkai.Error{Op: "parse", Path: name, Where: "JSON record", Err: err, Hint: recordHint(err)}
		}
		return p, nil
	}
	rd, h, ok := detectHead(name, data)
	if !ok {
		return p, &gongkai.Error{Op: "parse", Path: name, Err: gongkai.ErrUnsupported,
			Hint: "gongkai reads report text (Word text, | tables, one cell per line or paragraph, Markdown, glued page text), HTML, DOCX, PDF with a text layer and JSON records"}
	}
	p.Rendering = rd.name
	if err := checkInput(rd.name, data); err != nil {
		return p, &gongkai.Error{Op: "parse", Path: name, Where: rd.name, Err: err, Hint: tooLargeHint}
	}
	text := h.textOf(data) // decodeText(data), decoded once for all who need it
	doc, err := rd.readWith(name, data, text)
	if err != nil {
		var ge *gongkai.Error
		if errors.As(err, &ge) {
			return p, err
		}
		return p, &gongkai.Error{Op: "parse", Path: name, Where: rd.name, Err: err}
	}
	if err := checkDocument(doc); err != nil {
		return p, &gongkai.Error{Op: "parse", Path: name, Where: rd.name, Err: err, Hint: tooLargeHint}
	}
	if doc.Rendering == "" {
		doc.Rendering = rd.name
	}
	if doc.Path == "" {
		doc.Path = name
	}
	doc.Given = given
	if textRendering(doc.Rendering) {
		// The text readers drop a crawler's header lines as noise; they
		// still say who published the page and when.
		doc.Properties = append(doc.Properties, rawHeaderFieldsOf(data, text)...)
	}
	// encodingFindings has nothing to report on valid UTF-8, or where
	// readHTML found the page no UTF-8.
	if !doc.notUTF8 && !h.validUTF8(data) {
		doc.Findings = append(doc.Findings, encodingFindings(doc.Rendering, data)...)
	}
	r, err := recognize(ctx, doc)
	if doc.id != nil {
		p.Clues = doc.id.publicClues()
	}
	if r != nil {
		r.Findings = append(r.Findings, gongkai.Check(r)...)
		p.Report = r
	}
	if err != nil {
		return p, &gongkai.Error{Op: "parse", Path: name, Where: rd.name + " rendering", Err: err,
			Hint: "check that the file holds the report's tables (主动公开, 依申请公开, 行政复议/诉讼); 'gongkai parse --explain' shows what was read"}
	}
	if doc.id != nil {
		if err := doc.id.missing(); err != nil {
			return p, &gongkai.Error{Op: "parse", Path: name, Err: err, Hint: identityHint}
		}
	}
	if err := r.Validate(); err != nil {
		return p, &gongkai.Error{Op: "parse", Path: name, Err: err, Hint: recordHint(err)}
	}
	return p, nil
}

const tooLargeHint = "a report has a few thousand lines and a few hundred table cells; check that the file is one report and not a data dump or a damaged file"

// recordHint is the hint for a record Validate refuses.
func recordHint(err error) string {
	if strings.Contains(err.Error(), "organization") || strings.Contains(err.Error(), "year") {
		return identityHint
	}
	return "correct the record: published_on is a date YYYY-MM-DD, counts are whole numbers"
}

// applyGiven puts an identity the user states on a JSON record; where the
// record says otherwise, the statement wins and a finding says so.
func applyGiven(r *gongkai.Report, given Identity) {
	src := given.Source
	if src == "" {
		src = "stated by the user"
	}
	if o := given.Organization; o != "" {
		if r.Organization != "" && !sameOrg(r.Organization, o) {
			r.Findings = append(r.Findings, readCoded(gongkai.Paths{"organization"}, msg.ReadGivenOrg,
				msg.A("src", src, "org", o, "other", r.Organization)))
		}
		r.Organization = o
	}
	if y := given.Year; y != 0 {
		if r.ReportYear != 0 && r.ReportYear != y {
			r.Findings = append(r.Findings, readCoded(gongkai.Paths{"report_year"}, msg.ReadGivenYear,
				msg.A("src", src, "year", y, "other", r.ReportYear)))
		}
		r.ReportYear = y
	}
}

// isRecord reports whether data is a report record: a JSON object with a
// top-level "format_version". Other JSON (a site's API answer carrying the
// report as HTML) goes on to the readers.
func isRecord(data []byte) bool {
	d := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	d = bytes.TrimSpace(d)
	if len(d) == 0 || d[0] != '{' {
		return false
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(d, &top) != nil {
		return false
	}
	_, ok := top["format_version"]
	return ok
}

// sniffLen is how much of a file the sniffers see.
const sniffLen = 64 << 10

// detect picks the reader for data: the first in readers (detect.go) whose
// sniff accepts the content.
func detect(name string, data []byte) (reader, bool) {
	r, _, ok := detectHead(name, data)
	return r, ok
}

// detectHead is detect, also returning what the sniffers saw (and
// decoded) of data.
func detectHead(name string, data []byte) (reader, *sniffHead, bool) {
	head := data
	if len(head) > sniffLen {
		head = head[:sniffLen]
	}
	h := newSniffHead(name, head)
	for _, r := range readers {
		if r.sniff(h) {
			return r, h, true
		}
	}
	return reader{}, h, false
}
