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

	"gongkai"
)

// RenderingRecord names JSON records (FORMAT.md §5) read back as input.
const RenderingRecord = "record_json"

// ParseFile reads and parses one report file. See ParseBytes.
func ParseFile(ctx context.Context, path string) (gongkai.Parsed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return gongkai.Parsed{Path: path}, &gongkai.Error{Op: "parse", Path: path, Err: err}
	}
	return ParseBytes(ctx, path, data)
}

// ParseBytes parses one report whose bytes are data; name is its path or
// name for messages. The rendering is detected from the content: a JSON
// record of FORMAT.md §5 is read as is ("record_json"); anything else goes
// to the registered reader whose sniff accepts it (highest priority
// first), and its Document through the recognizer.
//
// The report's findings are the reader's own (rule READ) followed by
// gongkai.Check (R1–R5). Parsed.Hash is the sha256 of data.
//
// Errors are *gongkai.Error wrapping gongkai.ErrUnsupported (no reader
// knows the content), gongkai.ErrUnreadable (the tables were not found) or
// a reader's own error. When some of the three tables were read but others
// are missing, the error wraps ErrUnreadable and names them, and the
// returned Parsed still holds the partial report, so a caller may show
// what was read; callers that store reports must not store it.
func ParseBytes(ctx context.Context, name string, data []byte) (gongkai.Parsed, error) {
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
		p.Report, p.Rendering = &r, RenderingRecord
		return p, nil
	}
	rd, ok := detect(name, data)
	if !ok {
		return p, &gongkai.Error{Op: "parse", Path: name, Err: gongkai.ErrUnsupported,
			Hint: "gongkai reads report text (Word text, | tables, one cell per line or paragraph, Markdown, glued page text), HTML, DOCX, PDF with a text layer and JSON records"}
	}
	p.Rendering = rd.name
	if err := checkInput(rd.name, data); err != nil {
		return p, &gongkai.Error{Op: "parse", Path: name, Where: rd.name, Err: err, Hint: tooLargeHint}
	}
	doc, err := rd.read(name, data)
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
	r, err := recognize(ctx, doc)
	if r != nil {
		r.Findings = append(r.Findings, gongkai.Check(r)...)
		p.Report = r
	}
	if err != nil {
		return p, &gongkai.Error{Op: "parse", Path: name, Where: rd.name + " rendering", Err: err,
			Hint: "check that the file holds the report's tables (主动公开, 依申请公开, 行政复议/诉讼); 'gongkai parse --explain' shows what was read"}
	}
	return p, nil
}

const tooLargeHint = "a report has a few thousand lines and a few hundred table cells; check that the file is one report and not a data dump or a damaged file"

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

// detect picks the reader for data: the first registered reader, by
// priority, whose sniff accepts the content.
func detect(name string, data []byte) (reader, bool) {
	head := data
	if len(head) > sniffLen {
		head = head[:sniffLen]
	}
	readersMu.Lock()
	rs := append([]reader(nil), readers...)
	readersMu.Unlock()
	for _, r := range rs {
		if r.sniff(name, head) {
			return r, true
		}
	}
	return reader{}, false
}
