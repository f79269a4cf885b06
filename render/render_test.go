package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mattn/go-runewidth"

	"gongkai"
)

func sample() *gongkai.Result {
	return &gongkai.Result{
		Columns: []string{"level", "organization", "requests_new", "fees", "published_on"},
		Types:   []string{"VARCHAR", "VARCHAR", "BIGINT", "DECIMAL(18,6)", "DATE"},
		Rows: [][]any{
			{"body", "威海市文登区泽库镇人民政府", int64(5), gongkai.FromMicros(1_250_000), time.Date(2024, 1, 22, 0, 0, 0, 0, time.UTC)},
			{"body", "文登区教育和体育局（含（一）项）", int64(12345), nil, nil},
			{"district", nil, int64(12350), gongkai.Int(3), nil},
			{"body", "Mixed 龙山街道 ABC", nil, "123456789012345678901234567890.5", nil},
		},
	}
}

// displayWidth measures like a terminal without East-Asian ambiguous
// widths: CJK ideographs and full-width forms are two columns, box
// drawing one. It is independent of tablewriter's own measure.
func displayWidth(s string) int {
	c := runewidth.NewCondition()
	c.EastAsianWidth = false
	return c.StringWidth(s)
}

func TestTableAlignsChineseText(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, sample()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) < 4+3 {
		t.Fatalf("too few lines:\n%s", out)
	}
	want := displayWidth(lines[0])
	for i, l := range lines {
		if w := displayWidth(l); w != want {
			t.Errorf("line %d has display width %d, line 0 has %d:\n%s", i, w, want, out)
		}
	}
	// Header left as given: no upper-casing, underscores kept.
	if !strings.Contains(out, "requests_new") || strings.Contains(out, "REQUESTS") {
		t.Errorf("header auto-formatted:\n%s", out)
	}
	for _, s := range []string{"威海市文登区泽库镇人民政府", "文登区教育和体育局（含（一）项）", "2024-01-22", "1.25", "123456789012345678901234567890.5"} {
		if !strings.Contains(out, s) {
			t.Errorf("missing %q in:\n%s", s, out)
		}
	}
}

func TestTableRightAlignsNumbers(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, sample()); err != nil {
		t.Fatal(err)
	}
	// In every data line, the requests_new cell ends right before its
	// right border: the padding is on the left.
	var seen int
	for _, l := range strings.Split(b.String(), "\n") {
		for _, n := range []string{" 5 ", " 12345 ", " 12350 "} {
			i := strings.Index(l, n)
			if i < 0 {
				continue
			}
			rest := l[i+len(n):]
			if !strings.HasPrefix(rest, "│") && !strings.HasPrefix(rest, "|") {
				t.Errorf("number %q not right-aligned in %q", strings.TrimSpace(n), l)
			}
			seen++
		}
	}
	if seen != 3 {
		t.Errorf("found %d of 3 numbers:\n%s", seen, b.String())
	}
}

func TestTableKeepsCellsOnOneLine(t *testing.T) {
	res := &gongkai.Result{Columns: []string{"a", "b"}, Rows: [][]any{{"一\n二", "x\ty"}}}
	var b bytes.Buffer
	if err := WriteTable(&b, res); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("want 5 lines (border, header, rule, row, border), got %d:\n%s", len(lines), b.String())
	}
}

func TestCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, sample()); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"level", "organization", "requests_new", "fees", "published_on"},
		{"body", "威海市文登区泽库镇人民政府", "5", "1.25", "2024-01-22"},
		{"body", "文登区教育和体育局（含（一）项）", "12345", "", ""},
		{"district", "", "12350", "3", ""},
		{"body", "Mixed 龙山街道 ABC", "", "123456789012345678901234567890.5", ""},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("csv (-want +got):\n%s", d)
	}
}

func TestJSONKeepsOrderTypesAndNulls(t *testing.T) {
	var b bytes.Buffer
	if err := WriteObjects(&b, sample()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	var rows []map[string]any
	d := json.NewDecoder(strings.NewReader(out))
	d.UseNumber()
	if err := d.Decode(&rows); err != nil {
		t.Fatalf("%v in:\n%s", err, out)
	}
	if len(rows) != 4 {
		t.Fatalf("want 4 objects, got %d", len(rows))
	}
	checks := []struct {
		row  int
		key  string
		want any
	}{
		{0, "requests_new", json.Number("5")},
		{0, "fees", json.Number("1.25")},
		{0, "published_on", "2024-01-22"},
		{1, "fees", nil},
		{2, "organization", nil},
		{3, "requests_new", nil},
		{3, "fees", json.Number("123456789012345678901234567890.5")},
	}
	for _, c := range checks {
		if got := rows[c.row][c.key]; got != c.want {
			t.Errorf("row %d %s = %#v, want %#v", c.row, c.key, got, c.want)
		}
	}
	// Keys in column order.
	first := strings.Split(out, "\n")[1]
	if !(strings.Index(first, `"level"`) < strings.Index(first, `"organization"`) &&
		strings.Index(first, `"organization"`) < strings.Index(first, `"requests_new"`)) {
		t.Errorf("keys out of column order: %s", first)
	}
}

func TestJSONEmptyIsArray(t *testing.T) {
	var b bytes.Buffer
	if err := WriteObjects(&b, &gongkai.Result{Columns: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("got %q, want []", b.String())
	}
}

func TestJSONLines(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSONLines(&b, sample()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("want 4 lines, got %d", len(lines))
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Errorf("line %q: %v", l, err)
		}
	}
}
