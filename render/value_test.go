package render

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"testing"
	"time"

	"gongkai"
)

// TestSerializer pins every rule of the one value serializer, in JSON and
// as CSV text. The wanted strings are written by hand from the rules in
// value.go, not copied from output.
func TestSerializer(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	huge, _ := new(big.Int).SetString("170141183460469231731687303715884105727", 10)
	cases := []struct {
		name string
		v    any
		typ  string
		json string
		text string
	}{
		{"null", nil, "BIGINT", `null`, ``},
		{"bool", true, "BOOLEAN", `true`, `true`},
		{"small int", int64(42), "BIGINT", `42`, `42`},
		{"2^53 is exact", int64(9007199254740992), "BIGINT", `9007199254740992`, `9007199254740992`},
		{"2^53+1 as a string", int64(9007199254740993), "BIGINT", `"9007199254740993"`, `9007199254740993`},
		{"negative beyond 2^53", int64(-9007199254740993), "BIGINT", `"-9007199254740993"`, `-9007199254740993`},
		{"UBIGINT text", "18446744073709551615", "UBIGINT", `"18446744073709551615"`, `18446744073709551615`},
		{"HUGEINT big.Int", huge, "HUGEINT", `"170141183460469231731687303715884105727"`, `170141183460469231731687303715884105727`},
		{"decimal", gongkai.FromMicros(12_500_000), "DECIMAL(18,6)", `12.5`, `12.5`},
		{"decimal micro", gongkai.FromMicros(-1), "DECIMAL(18,6)", `-0.000001`, `-0.000001`},
		{"decimal null", gongkai.Num{}, "DECIMAL(18,6)", `null`, ``},
		{"wide decimal text", "123456789012345678901234567890.5", "DECIMAL(38,1)", `123456789012345678901234567890.5`, `123456789012345678901234567890.5`},
		{"number-like VARCHAR stays text", "00123", "VARCHAR", `"00123"`, `00123`},
		{"double", 0.1, "DOUBLE", `0.1`, `0.1`},
		{"NaN", math.NaN(), "DOUBLE", `"NaN"`, `NaN`},
		{"date", time.Date(2020, 3, 19, 0, 0, 0, 0, time.UTC), "DATE", `"2020-03-19"`, `2020-03-19`},
		{"timestamp UTC", time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC), "TIMESTAMP", `"2026-01-02T03:04:05.123456Z"`, `2026-01-02T03:04:05.123456Z`},
		{"timestamptz keeps its zone", time.Date(2026, 1, 2, 11, 4, 5, 0, cst), "TIMESTAMP WITH TIME ZONE", `"2026-01-02T11:04:05+08:00"`, `2026-01-02T11:04:05+08:00`},
		{"time", time.Date(1, 1, 1, 13, 5, 0, 500000000, time.UTC), "TIME", `"13:05:00.5"`, `13:05:00.5`},
		{"chinese", "文登区", "VARCHAR", `"文登区"`, `文登区`},
		{"blob utf-8", []byte("ab"), "BLOB", `"ab"`, `ab`},
		{"blob binary", []byte{0xff, 0x00}, "BLOB", `"\\xff00"`, `\xff00`},
		{"list", []any{int64(1), nil, int64(9007199254740993)}, "BIGINT[]", `[1,null,"9007199254740993"]`, `[1,null,"9007199254740993"]`},
		{"struct", map[string]any{"b": "x", "a": int64(1)}, "STRUCT(a INTEGER, b VARCHAR)", `{"a":1,"b":"x"}`, `{"a":1,"b":"x"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := AppendJSON(nil, c.v, c.typ)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.json {
				t.Errorf("json %s, want %s", got, c.json)
			}
			if !json.Valid(got) {
				t.Errorf("json %s is not valid JSON", got)
			}
			if txt := Text(c.v, c.typ); txt != c.text {
				t.Errorf("text %q, want %q", txt, c.text)
			}
		})
	}
}

// TestResultJSON checks the one JSON document and that JSON lines carry
// the same values.
func TestResultJSON(t *testing.T) {
	res := &gongkai.Result{
		Columns: []string{"id", "on", "amount"},
		Types:   []string{"BIGINT", "DATE", "DECIMAL(18,6)"},
		Rows: [][]any{
			{int64(9007199254740993), time.Date(2020, 3, 19, 0, 0, 0, 0, time.UTC), gongkai.FromMicros(1_500_000)},
			{int64(1), nil, nil},
		},
		Truncated: true,
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	want := `{"columns":["id","on","amount"],"types":["BIGINT","DATE","DECIMAL(18,6)"],"rows":[["9007199254740993","2020-03-19",1.5],[1,null,null]],"truncated":true}` + "\n"
	if b.String() != want {
		t.Errorf("document\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	if err := WriteJSONLines(&b, res); err != nil {
		t.Fatal(err)
	}
	wantLines := `{"id": "9007199254740993", "on": "2020-03-19", "amount": 1.5}` + "\n" + `{"id": 1, "on": null, "amount": null}` + "\n"
	if b.String() != wantLines {
		t.Errorf("lines\n%s\nwant\n%s", b.String(), wantLines)
	}
	// encoding/json embeds the document and Value unchanged.
	nested, err := json.Marshal(map[string]any{"result": ResultJSON{res}, "v": Value{V: int64(1 << 60), Type: "BIGINT"}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(nested, []byte(`"v":"1152921504606846976"`)) || !bytes.Contains(nested, []byte(`"rows":[["9007199254740993"`)) {
		t.Errorf("nested %s", nested)
	}
}
