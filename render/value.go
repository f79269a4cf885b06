package render

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai"
)

// One serializer for every value gongkai writes as text — the CLI's
// tables, CSV, JSON and JSON lines, and the HTTP API's JSON and CSV — so
// a value reads the same wherever it is met:
//
//   - NULL: JSON null; an empty CSV field or table cell.
//   - DATE: 2020-03-19.
//   - TIMESTAMP, TIMESTAMPTZ: RFC 3339 with its zone, 2026-01-02T03:04:05.123456Z
//     (the store keeps times in UTC; a TIMESTAMP without zone is UTC).
//   - TIME: 15:04:05.999999.
//   - DECIMAL: its exact digits (12.500000 keeps no trailing zeros:
//     12.5), a JSON number.
//   - integers: JSON numbers while exact in a double (|n| <= 2^53);
//     beyond, JSON strings ("9007199254740993"), since JavaScript and
//     most JSON readers would round them. CSV writes the digits.
//   - DOUBLE: shortest exact form; NaN and ±Inf as strings in JSON.
//   - BLOB: its text when UTF-8, else \x and hex.
//   - LIST: a JSON array; STRUCT: a JSON object; in CSV their JSON text.
//   - UUID, INTERVAL and other types: their text.

// maxExact is the largest integer a float64 (a JavaScript number) holds
// exactly.
const maxExact = 1 << 53

// Value pairs a value with its column's DuckDB type for encoding/json: its
// MarshalJSON is the serializer's JSON form.
type Value struct {
	V    any
	Type string
}

// MarshalJSON writes v by the rules above.
func (v Value) MarshalJSON() ([]byte, error) { return AppendJSON(nil, v.V, v.Type) }

// AppendJSON appends the JSON form of v, a value of DuckDB type typ ("" =
// unknown), to b.
func AppendJSON(b []byte, v any, typ string) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case int:
		return appendInt(b, int64(x)), nil
	case int8:
		return appendInt(b, int64(x)), nil
	case int16:
		return appendInt(b, int64(x)), nil
	case int32:
		return appendInt(b, int64(x)), nil
	case int64:
		return appendInt(b, x), nil
	case uint8:
		return appendInt(b, int64(x)), nil
	case uint16:
		return appendInt(b, int64(x)), nil
	case uint32:
		return appendInt(b, int64(x)), nil
	case uint64:
		if x <= maxExact {
			return strconv.AppendUint(b, x, 10), nil
		}
		return strconv.AppendQuote(b, strconv.FormatUint(x, 10)), nil
	case *big.Int:
		if x == nil {
			return append(b, "null"...), nil
		}
		if x.IsInt64() {
			return appendInt(b, x.Int64()), nil
		}
		return strconv.AppendQuote(b, x.String()), nil
	case float32:
		return appendFloat(b, float64(x), 32), nil
	case float64:
		return appendFloat(b, x, 64), nil
	case gongkai.Num:
		if !x.Valid() {
			return append(b, "null"...), nil
		}
		return append(b, x.String()...), nil
	case string:
		// Values too wide for int64 (HUGEINT, UBIGINT) and DECIMALs too
		// wide for gongkai.Num arrive as text.
		// The column's type first: isNumberText is only worth its scan
		// in a numeric column.
		switch {
		case isIntegerType(typ) && isNumberText(x):
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return appendInt(b, n), nil
			}
			return strconv.AppendQuote(b, x), nil
		case isDecimalType(typ) && isNumberText(x):
			return append(b, x...), nil
		}
		return appendString(b, x), nil
	case time.Time, []byte:
		return appendString(b, Text(x, typ)), nil
	case []any:
		elem := strings.TrimSuffix(typ, "[]")
		if elem == typ {
			elem = ""
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = AppendJSON(b, e, elem); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case map[string]any:
		// encoding/json sorts the keys; values go through AppendJSON.
		m := make(map[string]Value, len(x))
		for k, e := range x {
			m[k] = Value{V: e}
		}
		s, err := json.Marshal(m)
		if err != nil {
			return b, err
		}
		return append(b, s...), nil
	case json.Marshaler:
		s, err := x.MarshalJSON()
		if err != nil {
			return b, err
		}
		return append(b, s...), nil
	case fmt.Stringer:
		return appendString(b, x.String()), nil
	}
	s, err := json.Marshal(v)
	if err != nil {
		return b, err
	}
	return append(b, s...), nil
}

func appendInt(b []byte, n int64) []byte {
	if n > maxExact || n < -maxExact {
		return strconv.AppendQuote(b, strconv.FormatInt(n, 10))
	}
	return strconv.AppendInt(b, n, 10)
}

func appendFloat(b []byte, f float64, bits int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.AppendQuote(b, strconv.FormatFloat(f, 'g', -1, bits))
	}
	return strconv.AppendFloat(b, f, 'g', -1, bits)
}

// appendString appends s as a JSON string, exactly as encoding/json
// writes it; text with nothing to escape (the common case) is copied
// without a call into encoding/json.
func appendString(b []byte, s string) []byte {
	if plainJSON(s) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	q, _ := json.Marshal(s) // a string always encodes
	return append(b, q...)
}

// plainJSON reports whether encoding/json writes s between quotes
// unchanged: valid UTF-8 with no control character, quote, backslash,
// <, >, & (escaped for HTML) or U+2028/U+2029.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size - 1
	}
	return true
}

// Text formats one value for a table or CSV cell by the rules above.
func Text(v any, typ string) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case gongkai.Num:
		if !x.Valid() {
			return ""
		}
		return x.String()
	case time.Time:
		return timeText(x, typ)
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return `\x` + hex.EncodeToString(x)
	case []any, map[string]any:
		s, err := AppendJSON(nil, x, typ)
		if err != nil {
			return fmt.Sprint(x)
		}
		return string(s)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// timeText writes a DATE as YYYY-MM-DD, a TIME as its clock, and any
// timestamp as RFC 3339 with its zone.
func timeText(t time.Time, typ string) string {
	switch strings.ToUpper(typ) {
	case "DATE":
		return t.Format(time.DateOnly)
	case "TIME":
		return t.Format("15:04:05.999999")
	}
	return t.Format(time.RFC3339Nano)
}

func isIntegerType(t string) bool {
	switch strings.ToUpper(t) {
	case "TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT", "HUGEINT",
		"UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT":
		return true
	}
	return false
}

func isDecimalType(t string) bool {
	t = strings.ToUpper(t)
	return strings.HasPrefix(t, "DECIMAL") || strings.HasPrefix(t, "NUMERIC")
}

// ResultJSON is the one JSON document of a tabular answer, written by
// 'gongkai query/rollup --format json' and the HTTP API alike:
//
//	{"columns": [...], "types": [...], "rows": [[...], ...], "truncated": false}
//
// rows are arrays in column order, each value by the serializer's rules.
type ResultJSON struct{ *gongkai.Result }

// MarshalJSON writes the document.
func (r ResultJSON) MarshalJSON() ([]byte, error) {
	res := r.Result
	if res == nil {
		res = &gongkai.Result{}
	}
	b := appendResultHead(nil, res)
	for n, row := range res.Rows {
		if n > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendRowJSON(b, res, row); err != nil {
			return nil, err
		}
	}
	return appendResultTail(b, res.Truncated), nil
}

// appendResultHead appends the document up to its first row: columns
// and types of res (its rows unread), then `"rows":[`. A RowWriter in
// format JSON writes the same document a row at a time.
func appendResultHead(b []byte, res *gongkai.Result) []byte {
	b = append(b, `{"columns":`...)
	cols := res.Columns
	if cols == nil {
		cols = []string{}
	}
	s, _ := json.Marshal(cols)
	b = append(b, s...)
	b = append(b, `,"types":`...)
	types := res.Types
	if types == nil {
		types = []string{}
	}
	s, _ = json.Marshal(types)
	b = append(b, s...)
	return append(b, `,"rows":[`...)
}

// appendRowJSON appends one row as a JSON array in res's column order.
func appendRowJSON(b []byte, res *gongkai.Result, row []any) ([]byte, error) {
	b = append(b, '[')
	for i := range res.Columns {
		if i > 0 {
			b = append(b, ',')
		}
		var v any
		if i < len(row) {
			v = row[i]
		}
		var err error
		if b, err = AppendJSON(b, v, typeOf(res, i)); err != nil {
			return nil, fmt.Errorf("column %s: %w", res.Columns[i], err)
		}
	}
	return append(b, ']'), nil
}

// appendResultTail ends the document after its last row.
func appendResultTail(b []byte, truncated bool) []byte {
	b = append(b, `],"truncated":`...)
	b = strconv.AppendBool(b, truncated)
	return append(b, '}')
}
