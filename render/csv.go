package render

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CSV records are spelt here rather than by encoding/csv, with exactly its
// output (comma, LF line ends, a field quoted when it holds a comma, a
// quote, CR or LF, starts with a space or is `\.`; quotes doubled): a
// whole nation's levels answer is 68 million fields, and encoding/csv
// wants each as a string and scans it rune by rune, which was 45 % of
// 'gongkai export --rollup levels --out F.csv' (2.4 of 5.3 s at 963,660
// reports). Integers and floats are appended as digits without a string
// in between and never need quotes. FuzzAppendCSVRecord holds the output
// to encoding/csv's.

// appendCSVValue appends v (a plain value of DuckDB type typ) as one CSV
// field: the text Text gives, quoted when needed.
func appendCSVValue(dst []byte, v any, typ string) []byte {
	switch x := v.(type) {
	case nil:
		return dst
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case float64:
		// Text's spelling: 'f', shortest exact; NaN and ±Inf need no quotes.
		return strconv.AppendFloat(dst, x, 'f', -1, 64)
	case string:
		return appendCSVField(dst, x)
	}
	return appendCSVField(dst, Text(v, typ))
}

// appendCSVField appends s as one CSV field, quoted as encoding/csv
// quotes it.
func appendCSVField(dst []byte, s string) []byte {
	if !csvNeedsQuotes(s) {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		dst = append(dst, s[:i+1]...)
		dst = append(dst, '"')
		s = s[i+1:]
	}
	dst = append(dst, s...)
	return append(dst, '"')
}

// csvNeedsQuotes is encoding/csv's rule for a comma-separated field.
func csvNeedsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}
