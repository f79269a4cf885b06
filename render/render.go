// Package render writes a gongkai.Result for people and programs: a
// terminal table (Chinese text aligned by display width, numbers
// right-aligned), CSV, a JSON array of objects or JSON lines.
package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"gongkai"
)

// Write renders res to w in format f.
func Write(w io.Writer, res *gongkai.Result, f Format) error {
	if res == nil {
		res = &gongkai.Result{}
	}
	switch f {
	case Table, "":
		return WriteTable(w, res)
	case CSV:
		return WriteCSV(w, res)
	case JSON:
		return WriteJSON(w, res)
	case JSONLines:
		return WriteJSONLines(w, res)
	}
	return fmt.Errorf("%w: unknown format %q", gongkai.ErrUsage, f)
}

// WriteTable draws res as a bordered table. NULL shows as an empty cell;
// numeric columns are right-aligned. tablewriter measures Chinese
// characters as two columns wide; its East-Asian option (ambiguous-width
// characters as wide) stays off, since it widens the border characters.
func WriteTable(w io.Writer, res *gongkai.Result) error {
	align := make([]tw.Align, len(res.Columns))
	for i := range res.Columns {
		align[i] = tw.AlignLeft
		if isNumericColumn(res, i) {
			align[i] = tw.AlignRight
		}
	}
	t := tablewriter.NewTable(w,
		tablewriter.WithEastAsian(tw.Off),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{PerColumn: align}),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: align}),
		tablewriter.WithTrimSpace(tw.Off),
	)
	header := make([]any, len(res.Columns))
	for i, c := range res.Columns {
		header[i] = cleanCell(c)
	}
	t.Header(header...)
	for _, row := range res.Rows {
		cells := make([]string, len(res.Columns))
		for i := range cells {
			if i < len(row) {
				cells[i] = cleanCell(Text(row[i], typeOf(res, i)))
			}
		}
		if err := t.Append(cells); err != nil {
			return fmt.Errorf("render table: %w", err)
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("render table: %w", err)
	}
	if res.Truncated {
		_, err := fmt.Fprintf(w, "(%d rows shown; the result was cut at the row limit)\n", len(res.Rows))
		return err
	}
	return nil
}

// cleanCell keeps a cell on one line: line breaks and tabs would break the
// table's borders.
func cleanCell(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s)
}

// WriteCSV writes a header line and one record per row; NULL is an empty
// field.
func WriteCSV(w io.Writer, res *gongkai.Result) error {
	return writeRows(w, CSV, res)
}

// writeRows writes res's rows through a RowWriter.
func writeRows(w io.Writer, f Format, res *gongkai.Result) error {
	rw, err := NewRowWriter(w, f, res.Columns, res.Types)
	if err != nil {
		return err
	}
	for _, row := range res.Rows {
		if err := rw.Write(row); err != nil {
			return err
		}
	}
	return rw.Flush()
}

// WriteJSON writes the result document (ResultJSON): columns, types,
// rows as arrays, truncated — the same document the HTTP API answers.
func WriteJSON(w io.Writer, res *gongkai.Result) error {
	b, err := ResultJSON{res}.MarshalJSON()
	if err != nil {
		return fmt.Errorf("render json: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteObjects writes an array of objects, keys in column order, values by
// the serializer's rules: for documents made of several lists, such as
// 'gongkai check --format json'.
func WriteObjects(w io.Writer, res *gongkai.Result) error {
	var b bytes.Buffer
	b.WriteString("[")
	for n, row := range res.Rows {
		if n > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  ")
		if err := writeObject(&b, res, row); err != nil {
			return err
		}
	}
	if len(res.Rows) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	_, err := w.Write(b.Bytes())
	return err
}

// WriteJSONLines writes one JSON object per row and line.
func WriteJSONLines(w io.Writer, res *gongkai.Result) error {
	return writeRows(w, JSONLines, res)
}

func writeObject(b *bytes.Buffer, res *gongkai.Result, row []any) error {
	return writeObjectKeys(b, objectKeys(res.Columns), res, row)
}

// objectKeys is each column's JSON key with the separators before it:
// `{"a": `, `, "b": `…, encoded once for a stream of rows.
func objectKeys(cols []string) [][]byte {
	keys := make([][]byte, len(cols))
	for i, c := range cols {
		sep := ", "
		if i == 0 {
			sep = "{"
		}
		keys[i] = append(appendString([]byte(sep), c), ": "...)
	}
	return keys
}

func writeObjectKeys(b *bytes.Buffer, keys [][]byte, res *gongkai.Result, row []any) error {
	if len(keys) == 0 {
		b.WriteString("{")
	}
	for i, c := range res.Columns {
		b.Write(keys[i])
		var v any
		if i < len(row) {
			v = row[i]
		}
		if err := writeValue(b, v, typeOf(res, i)); err != nil {
			return fmt.Errorf("render json: column %s: %w", c, err)
		}
	}
	b.WriteString("}")
	return nil
}

func writeValue(b *bytes.Buffer, v any, typ string) error {
	out, err := AppendJSON(b.AvailableBuffer(), v, typ)
	if err != nil {
		return err
	}
	b.Write(out)
	return nil
}

func typeOf(res *gongkai.Result, i int) string {
	if i < len(res.Types) {
		return res.Types[i]
	}
	return ""
}

// isNumericColumn decides from the column's database type, or, without
// one, from its values.
func isNumericColumn(res *gongkai.Result, i int) bool {
	if t := typeOf(res, i); t != "" {
		return isNumericType(t)
	}
	seen := false
	for _, row := range res.Rows {
		if i >= len(row) || row[i] == nil {
			continue
		}
		switch row[i].(type) {
		case int64, int, float64, gongkai.Num:
			seen = true
		default:
			return false
		}
	}
	return seen
}

func isNumericType(t string) bool {
	t = strings.ToUpper(t)
	if strings.HasPrefix(t, "DECIMAL") || strings.HasPrefix(t, "NUMERIC") {
		return true
	}
	switch t {
	case "TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT", "HUGEINT",
		"UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT",
		"FLOAT", "REAL", "DOUBLE":
		return true
	}
	return false
}

// isNumberText reports whether s is a plain decimal number that may be
// written into JSON unquoted.
func isNumberText(s string) bool {
	if s == "" {
		return false
	}
	// The characters first: json.Valid builds an error (and a quoted copy
	// of the offending character) for every text that is not JSON, which
	// was a quarter of writing a whole nation's levels as JSON.
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '-' || c == '.' || c == 'e' || c == 'E' || c == '+' || (c >= '0' && c <= '9'):
		default:
			return false
		}
	}
	return json.Valid([]byte(s))
}
