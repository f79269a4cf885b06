package render

import (
	"errors"
	"strings"
	"testing"

	"gongkai"
)

func TestFormatsPerKind(t *testing.T) {
	for _, tc := range []struct {
		kind Kind
		want string
	}{
		{Results, "table csv json jsonl"},
		{Compiled, "table markdown html csv json xlsx"},
		{Files, "parquet arrow arrows csv jsonl xlsx"},
	} {
		if got := Names(tc.kind, " "); got != tc.want {
			t.Errorf("Names(%d) = %q, want %q", tc.kind, got, tc.want)
		}
		for _, f := range Formats(tc.kind) {
			if got, err := ParseFormat(" "+strings.ToUpper(string(f))+" ", tc.kind); err != nil || got != f {
				t.Errorf("ParseFormat(%s, %d) = %q, %v", f, tc.kind, got, err)
			}
		}
	}
	if got := NamesOr(Results); got != "table, csv, json or jsonl" {
		t.Errorf("NamesOr(Results) = %q", got)
	}
}

func TestParseFormatRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		kind Kind
	}{
		{"xml", Results},
		{"parquet", Results}, // a file format, not for a terminal
		{"markdown", Files},
		{"csv-bom", Files}, // chosen by --bom, never typed
		{"", Files},
	} {
		_, err := ParseFormat(tc.name, tc.kind)
		if !errors.Is(err, gongkai.ErrUsage) {
			t.Errorf("ParseFormat(%q, %d) = %v, want a usage error", tc.name, tc.kind, err)
			continue
		}
		if !strings.Contains(err.Error(), NamesOr(tc.kind)) {
			t.Errorf("error %q does not list the formats", err)
		}
	}
}

func TestFormatOfPath(t *testing.T) {
	for _, tc := range []struct {
		path string
		kind Kind
		want Format
		ok   bool
	}{
		{"out/a.parquet", Files, Parquet, true},
		{"A.PARQUET", Files, Parquet, true},
		{"a.arrow", Files, ArrowFile, true},
		{"a.ipc", Files, ArrowFile, true},
		{"a.feather", Files, ArrowFile, true},
		{"a.arrows", Files, ArrowStream, true},
		{"文登区.csv", Files, CSV, true},
		{"a.jsonl", Files, JSONLines, true},
		{"a.ndjson", Files, JSONLines, true},
		{"a.json", Files, JSONLines, true},
		{"a.xlsx", Files, XLSX, true},
		{"a.json", Compiled, JSON, true},
		{"a.md", Compiled, Markdown, true},
		{"a.html", Compiled, HTML, true},
		{"a.md", Files, "", false},
		{"a.txt", Files, "", false},
		{"noext", Files, "", false},
		{"-", Files, "", false},
	} {
		got, ok := FormatOfPath(tc.path, tc.kind)
		if got != tc.want || ok != tc.ok {
			t.Errorf("FormatOfPath(%q, %d) = %q, %v; want %q, %v", tc.path, tc.kind, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFormatExtAndType(t *testing.T) {
	for _, tc := range []struct {
		f        Format
		ext, typ string
	}{
		{Parquet, ".parquet", "application/vnd.apache.parquet"},
		{ArrowFile, ".arrow", "application/vnd.apache.arrow.file"},
		{ArrowStream, ".arrows", "application/vnd.apache.arrow.stream"},
		{CSV, ".csv", "text/csv; charset=utf-8"},
		{CSVBOM, ".csv", "text/csv; charset=utf-8"},
		{JSONLines, ".jsonl", "application/x-ndjson"},
		{JSON, ".json", "application/json; charset=utf-8"},
		{XLSX, ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	} {
		if tc.f.Ext() != tc.ext || tc.f.ContentType() != tc.typ {
			t.Errorf("%s: ext %q type %q, want %q %q", tc.f, tc.f.Ext(), tc.f.ContentType(), tc.ext, tc.typ)
		}
	}
	// Every format of the vocabulary has its own row: no name twice.
	seen := map[Format]bool{}
	for _, fi := range formats {
		if seen[fi.format] {
			t.Errorf("%s declared twice", fi.format)
		}
		seen[fi.format] = true
	}
}
