package render

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"gongkai"
)

// Format names an output format. Every output format gongkai knows is
// declared once, in formats below — its name, file extension, media type
// and the kinds of output it applies to — and the CLI's --format flags,
// their help texts, the extension of an --out file, the store's file
// exports and the HTTP API's format parameter all read that one list.
type Format string

// The output formats.
const (
	Table       Format = "table"    // aligned text table for a terminal
	CSV         Format = "csv"      // header line, RFC 4180 quoting, empty field = null
	JSON        Format = "json"     // one document (ResultJSON; a report record for a compiled report)
	JSONLines   Format = "jsonl"    // one JSON object per line, null kept
	Markdown    Format = "markdown" // a compiled report as Markdown tables
	HTML        Format = "html"     // a compiled report as a standalone page laid out like the form
	XLSX        Format = "xlsx"     // a workbook: one sheet, numbers as numbers, null = empty cell
	Parquet     Format = "parquet"  // zstd-compressed
	ArrowFile   Format = "arrow"    // Arrow IPC file (random access)
	ArrowStream Format = "arrows"   // Arrow IPC stream
	// CSVBOM is CSV for Excel: the same text after a UTF-8 byte-order
	// mark, without which Excel on Chinese Windows reads UTF-8 as GBK
	// (mojibake); DuckDB, pandas and polars skip the mark when reading.
	// It is not a --format name: 'gongkai export' chooses it for .csv
	// files (--bom), the HTTP API for bom=1.
	CSVBOM Format = "csv-bom"
)

// UTF8BOM is the UTF-8 byte-order mark that CSVBOM puts first.
const UTF8BOM = "\ufeff"

// Kind is a set of kinds of output a format applies to.
type Kind uint8

const (
	// Results are tabular answers on standard output or over HTTP
	// ('gongkai query', 'rollup', 'check'; /v1/query).
	Results Kind = 1 << iota
	// Compiled is a division's compiled report ('gongkai compile').
	Compiled
	// Files are exports of a table, rollup or query written whole,
	// keeping column types ('gongkai export', /v1/rollups?format=).
	Files
)

// formatInfo is one row of the vocabulary.
type formatInfo struct {
	format Format
	ext    string   // the usual file extension, with its dot
	alias  []string // other extensions that name it
	mime   string   // media type for HTTP answers
	kinds  Kind
	hidden bool // not a name users type (CSVBOM)
}

// formats is the vocabulary. Its order is the order help texts and
// errors list a kind's formats in: table, parquet, arrow, arrows,
// markdown, html, csv, json, jsonl, xlsx.
var formats = []formatInfo{
	{format: Table, ext: ".txt", mime: "text/plain; charset=utf-8", kinds: Results | Compiled},
	{format: Parquet, ext: ".parquet", mime: "application/vnd.apache.parquet", kinds: Files},
	{format: ArrowFile, ext: ".arrow", alias: []string{".ipc", ".feather"}, mime: "application/vnd.apache.arrow.file", kinds: Files},
	{format: ArrowStream, ext: ".arrows", mime: "application/vnd.apache.arrow.stream", kinds: Files},
	{format: Markdown, ext: ".md", mime: "text/markdown; charset=utf-8", kinds: Compiled},
	{format: HTML, ext: ".html", mime: "text/html; charset=utf-8", kinds: Compiled},
	{format: CSV, ext: ".csv", mime: "text/csv; charset=utf-8", kinds: Results | Compiled | Files},
	{format: JSON, ext: ".json", mime: "application/json; charset=utf-8", kinds: Results | Compiled},
	{format: JSONLines, ext: ".jsonl", alias: []string{".ndjson"}, mime: "application/x-ndjson", kinds: Results | Files},
	{format: XLSX, ext: ".xlsx", mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", kinds: Compiled | Files},
	{format: CSVBOM, ext: ".csv", mime: "text/csv; charset=utf-8", kinds: Files, hidden: true},
}

func (f Format) info() (formatInfo, bool) {
	for _, fi := range formats {
		if fi.format == f {
			return fi, true
		}
	}
	return formatInfo{}, false
}

// Ext is the usual file name extension of a format, with its dot.
func (f Format) Ext() string {
	if fi, ok := f.info(); ok {
		return fi.ext
	}
	return "." + string(f)
}

// ContentType is the media type of a format, for HTTP answers.
func (f Format) ContentType() string {
	if fi, ok := f.info(); ok {
		return fi.mime
	}
	return "application/octet-stream"
}

// AppliesTo reports whether f is a format for output of kind k.
func (f Format) AppliesTo(k Kind) bool {
	fi, ok := f.info()
	return ok && fi.kinds&k != 0
}

// Formats lists the format names users may give for output of kind k, in
// the order help texts list them.
func Formats(k Kind) []Format {
	var out []Format
	for _, fi := range formats {
		if fi.kinds&k != 0 && !fi.hidden {
			out = append(out, fi.format)
		}
	}
	return out
}

// Names is the format names of kind k joined with sep ("|" for a usage
// line, ", " for a flag's help).
func Names(k Kind, sep string) string {
	fs := Formats(k)
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, sep)
}

// NamesOr is the format names of kind k as prose: "table, csv, json or
// jsonl".
func NamesOr(k Kind) string {
	fs := Formats(k)
	if len(fs) == 1 {
		return string(fs[0])
	}
	s := make([]string, len(fs)-1)
	for i, f := range fs[:len(fs)-1] {
		s[i] = string(f)
	}
	return strings.Join(s, ", ") + " or " + string(fs[len(fs)-1])
}

// ParseFormat accepts a format name given for output of kind k (case and
// surrounding blanks ignored); the error wraps gongkai.ErrUsage and lists
// the names that would do.
func ParseFormat(s string, k Kind) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Formats(k), f) {
		return f, nil
	}
	return "", fmt.Errorf("%w: unknown format %q (want %s)", gongkai.ErrUsage, s, NamesOr(k))
}

// FormatOfPath is the format of kind k that the file name path's
// extension names (.parquet, .arrow/.ipc/.feather, .jsonl/.ndjson…); ok
// is false when none does. A .json file of kind Files is JSON lines, the
// only JSON a file export writes.
func FormatOfPath(path string, k Kind) (Format, bool) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext == "" {
		return "", false
	}
	if ext == ".json" && k == Files {
		return JSONLines, true
	}
	for _, fi := range formats {
		if fi.kinds&k == 0 || fi.hidden {
			continue
		}
		if fi.ext == ext || slices.Contains(fi.alias, ext) {
			return fi.format, true
		}
	}
	return "", false
}
