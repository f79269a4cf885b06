package cli

import (
	"gongkai/msg"
	"strings"
	"testing"

	"gongkai/render"
)

// TestFormatHelpFollowsVocabulary: every --format a command's usage
// offers is render's list for that kind of output, so help cannot drift
// from what the command accepts.
func TestFormatHelpFollowsVocabulary(t *testing.T) {
	for _, tc := range []struct {
		cmd  *command
		kind render.Kind
	}{
		{exportCmd, render.Files},
		{queryCmd, render.Results},
		{rollupCmd, render.Results},
		{checkCmd, render.Results},
		{compileCmd, render.Compiled},
	} {
		want := "--format " + render.Names(tc.kind, "|") + "]"
		for _, l := range msg.Langs {
			if !strings.Contains(msg.T(l, tc.cmd.usage, nil), want) {
				t.Errorf("%s: usage (%s) does not offer %q", tc.cmd.name, l, want)
			}
		}
		for _, f := range render.Formats(tc.kind) {
			if _, err := render.ParseFormat(string(f), tc.kind); err != nil {
				t.Errorf("%s: %s offered but refused: %v", tc.cmd.name, f, err)
			}
		}
	}
}

func TestExportFormatFromName(t *testing.T) {
	for _, tc := range []struct {
		flag, out string
		want      render.Format
		bad       bool
	}{
		{"", "a.parquet", render.Parquet, false},
		{"", "a.feather", render.ArrowFile, false},
		{"", "a.ndjson", render.JSONLines, false},
		{"", "汇总.XLSX", render.XLSX, false},
		{"csv", "a.txt", render.CSV, false},
		{"", "a.txt", "", true},
		{"html", "a.html", "", true}, // a compiled-report format, not an export
	} {
		got, err := exportFormat(tc.flag, tc.out)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("exportFormat(%q, %q) = %q, %v", tc.flag, tc.out, got, err)
		}
	}
}
