package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/duckdb/duckdb-go/v2"
)

// Arrow output is built here from ordinary database/sql rows with
// arrow-go's builders, not through the driver's Arrow interface: that one
// only exists in builds with -tags duckdb_arrow, and a plain
// 'go build ./cmd/gongkai' or 'go install' must give the whole program.
// The Arrow types follow DuckDB's own Arrow export (checked against it for
// every type below): integers keep their width and sign, DECIMAL(p,s) and
// HUGEINT become decimal128, DATE date32, TIME time64[us], TIMESTAMP
// timestamp[us] (_S, _MS, _NS their unit), TIMESTAMPTZ timestamp[us,
// Etc/UTC], INTERVAL month_day_nano, UUID and JSON utf8, LIST list, ARRAY
// fixed_size_list, STRUCT struct, MAP map. Where it differs: ENUM is plain
// utf8 (DuckDB sends a dictionary), BIT is its 0/1 text, and types DuckDB's
// Arrow export has no fixed form for (UNION, TIMETZ, BIGNUM, VARIANT…)
// become utf8 text.

// arrowBatchRows is the number of rows per Arrow record batch: large enough
// that per-batch overhead vanishes, small enough to stream.
const arrowBatchRows = 8192

// writeArrow runs trusted query q and writes its rows to w as an Arrow IPC
// file (file true) or stream.
func (s *Store) writeArrow(ctx context.Context, q string, args []any, file bool, w io.Writer) (int64, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	n, _, err := writeRowsIPC(ctx, conn, q, args, w, file, 0)
	return n, err
}

// writeRowsIPC runs q on conn and copies its rows to w as an Arrow IPC
// file or stream, at most max rows (0 = all); truncated says whether rows
// were left over. The rows are the driver's own (driverEach), not
// database/sql's, whose Scan cost a whole nation's levels about 0.6 s of
// its 3 s.
func writeRowsIPC(ctx context.Context, conn *sql.Conn, q string, args []any, w io.Writer, file bool, max int64) (n int64, truncated bool, err error) {
	var iw interface {
		Write(arrow.RecordBatch) error
		Close() error
	}
	var rb *array.RecordBuilder
	var apps []appender
	var cols []string
	batch := 0
	flush := func() error {
		rec := rb.NewRecordBatch()
		defer rec.Release()
		return iw.Write(rec)
	}
	start := func(names, types []string) error {
		fields := make([]arrow.Field, len(names))
		apps = make([]appender, len(names))
		for i, name := range names {
			dt, app, err := arrowColumn(types[i])
			if err != nil {
				return fmt.Errorf("column %q: %w", name, err)
			}
			fields[i] = arrow.Field{Name: name, Type: dt, Nullable: true}
			apps[i] = app
		}
		cols = names
		schema := arrow.NewSchema(fields, nil)
		if file {
			fw, err := ipc.NewFileWriter(w, ipc.WithSchema(schema))
			if err != nil {
				return err
			}
			iw = fw
		} else {
			iw = ipc.NewWriter(w, ipc.WithSchema(schema))
		}
		rb = array.NewRecordBuilder(memory.DefaultAllocator, schema)
		return nil
	}
	each := func(vals []driver.Value) error {
		if max > 0 && n == max {
			truncated = true
			return errEnoughRows
		}
		for i, v := range vals {
			if err := apps[i](rb.Field(i), v); err != nil {
				return fmt.Errorf("row %d, column %q: %w", n+1, cols[i], err)
			}
		}
		n++
		if batch++; batch == arrowBatchRows {
			if err := flush(); err != nil {
				return err
			}
			batch = 0
		}
		return nil
	}
	err = conn.Raw(func(dc any) error {
		_, err := driverEach(ctx, dc, nil, q, args, start, each)
		return err
	})
	if rb != nil {
		defer rb.Release()
	}
	if iw == nil {
		return 0, false, err
	}
	if err != nil && !errors.Is(err, errEnoughRows) {
		return n, false, errors.Join(err, iw.Close())
	}
	if batch > 0 {
		if err := flush(); err != nil {
			return n, false, errors.Join(err, iw.Close())
		}
	}
	return n, truncated, iw.Close()
}

// appender appends one scanned driver value (nil = null) to an Arrow
// builder of the type arrowColumn chose for it.
type appender func(b array.Builder, v any) error

// arrowColumn maps a DuckDB type name, as the driver spells it
// (DECIMAL(18,6), INTEGER[], INTEGER[3], STRUCT("a" INTEGER),
// MAP(VARCHAR, INTEGER)…), to an Arrow type and the appender for its values.
func arrowColumn(name string) (arrow.DataType, appender, error) {
	p := &typeParser{s: name}
	dt, app, err := p.parse()
	if err == nil && p.i < len(p.s) {
		err = fmt.Errorf("unexpected %q", p.s[p.i:])
	}
	if err != nil {
		return nil, nil, fmt.Errorf("DuckDB type %s: %w", name, err)
	}
	return dt, app, nil
}

type typeParser struct {
	s string
	i int
}

func (p *typeParser) space() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *typeParser) eat(c byte) bool {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *typeParser) expect(c byte) error {
	if !p.eat(c) {
		return fmt.Errorf("want %q at offset %d", c, p.i)
	}
	return nil
}

func (p *typeParser) word() string {
	p.space()
	j := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c != '_' && (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			break
		}
		p.i++
	}
	return p.s[j:p.i]
}

func (p *typeParser) int() (int, error) {
	w := p.word()
	n, err := strconv.Atoi(w)
	if err != nil {
		return 0, fmt.Errorf("want a number at offset %d", p.i)
	}
	return n, nil
}

// quoted reads a struct field name: "…" with "" for a quote.
func (p *typeParser) quoted() (string, error) {
	if err := p.expect('"'); err != nil {
		return "", err
	}
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		if c == '"' {
			if p.i < len(p.s) && p.s[p.i] == '"' {
				b.WriteByte('"')
				p.i++
				continue
			}
			return b.String(), nil
		}
		b.WriteByte(c)
	}
	return "", errors.New("unterminated field name")
}

// skipParens skips a balanced (…) group, quotes included.
func (p *typeParser) skipParens() {
	if !p.eat('(') {
		return
	}
	depth, inQuote := 1, false
	for p.i < len(p.s) && depth > 0 {
		switch c := p.s[p.i]; {
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == '(':
			depth++
		case !inQuote && c == ')':
			depth--
		}
		p.i++
	}
}

func (p *typeParser) parse() (arrow.DataType, appender, error) {
	dt, app, err := p.base()
	if err != nil {
		return nil, nil, err
	}
	for p.eat('[') {
		if p.eat(']') {
			dt, app = arrow.ListOf(dt), listAppender(app)
			continue
		}
		n, err := p.int()
		if err != nil {
			return nil, nil, err
		}
		if err := p.expect(']'); err != nil {
			return nil, nil, err
		}
		dt, app = arrow.FixedSizeListOf(int32(n), dt), fixedListAppender(app)
	}
	return dt, app, nil
}

func (p *typeParser) base() (arrow.DataType, appender, error) {
	w := p.word()
	switch w {
	case "BOOLEAN":
		return arrow.FixedWidthTypes.Boolean, appendBool, nil
	case "TINYINT":
		return arrow.PrimitiveTypes.Int8, appendInt, nil
	case "SMALLINT":
		return arrow.PrimitiveTypes.Int16, appendInt, nil
	case "INTEGER":
		return arrow.PrimitiveTypes.Int32, appendInt, nil
	case "BIGINT":
		return arrow.PrimitiveTypes.Int64, appendInt, nil
	case "UTINYINT":
		return arrow.PrimitiveTypes.Uint8, appendInt, nil
	case "USMALLINT":
		return arrow.PrimitiveTypes.Uint16, appendInt, nil
	case "UINTEGER":
		return arrow.PrimitiveTypes.Uint32, appendInt, nil
	case "UBIGINT":
		return arrow.PrimitiveTypes.Uint64, appendInt, nil
	case "FLOAT":
		return arrow.PrimitiveTypes.Float32, appendFloat, nil
	case "DOUBLE":
		return arrow.PrimitiveTypes.Float64, appendFloat, nil
	case "DECIMAL":
		if err := p.expect('('); err != nil {
			return nil, nil, err
		}
		prec, err := p.int()
		if err != nil {
			return nil, nil, err
		}
		if err := p.expect(','); err != nil {
			return nil, nil, err
		}
		scale, err := p.int()
		if err != nil {
			return nil, nil, err
		}
		if err := p.expect(')'); err != nil {
			return nil, nil, err
		}
		return &arrow.Decimal128Type{Precision: int32(prec), Scale: int32(scale)}, appendDecimal, nil
	case "HUGEINT", "UHUGEINT":
		return &arrow.Decimal128Type{Precision: 38, Scale: 0}, appendDecimal, nil
	case "VARCHAR", "ENUM", "BIT":
		return arrow.BinaryTypes.String, appendText, nil
	case "JSON":
		return arrow.BinaryTypes.String, appendJSON, nil
	case "UUID":
		return arrow.BinaryTypes.String, appendUUID, nil
	case "BLOB", "GEOMETRY":
		return arrow.BinaryTypes.Binary, appendBinary, nil
	case "DATE":
		return arrow.FixedWidthTypes.Date32, appendDate, nil
	case "TIME":
		return arrow.FixedWidthTypes.Time64us, appendTime, nil
	case "TIMESTAMP":
		return &arrow.TimestampType{Unit: arrow.Microsecond}, appendTimestamp(arrow.Microsecond), nil
	case "TIMESTAMP_S":
		return &arrow.TimestampType{Unit: arrow.Second}, appendTimestamp(arrow.Second), nil
	case "TIMESTAMP_MS":
		return &arrow.TimestampType{Unit: arrow.Millisecond}, appendTimestamp(arrow.Millisecond), nil
	case "TIMESTAMP_NS":
		return &arrow.TimestampType{Unit: arrow.Nanosecond}, appendTimestamp(arrow.Nanosecond), nil
	case "TIMESTAMPTZ":
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "Etc/UTC"}, appendTimestamp(arrow.Microsecond), nil
	case "INTERVAL":
		return arrow.FixedWidthTypes.MonthDayNanoInterval, appendInterval, nil
	case "STRUCT":
		if err := p.expect('('); err != nil {
			return nil, nil, err
		}
		var fields []arrow.Field
		var apps []appender
		for {
			name, err := p.quoted()
			if err != nil {
				return nil, nil, err
			}
			dt, app, err := p.parse()
			if err != nil {
				return nil, nil, err
			}
			fields = append(fields, arrow.Field{Name: name, Type: dt, Nullable: true})
			apps = append(apps, app)
			if p.eat(')') {
				break
			}
			if err := p.expect(','); err != nil {
				return nil, nil, err
			}
		}
		return arrow.StructOf(fields...), structAppender(fields, apps), nil
	case "MAP":
		if err := p.expect('('); err != nil {
			return nil, nil, err
		}
		kt, kapp, err := p.parse()
		if err != nil {
			return nil, nil, err
		}
		if err := p.expect(','); err != nil {
			return nil, nil, err
		}
		vt, vapp, err := p.parse()
		if err != nil {
			return nil, nil, err
		}
		if err := p.expect(')'); err != nil {
			return nil, nil, err
		}
		return arrow.MapOf(kt, vt), mapAppender(kapp, vapp), nil
	case "":
		return nil, nil, fmt.Errorf("want a type name at offset %d", p.i)
	}
	// UNION(…), TIMETZ, BIGNUM, VARIANT and anything newer: text.
	p.skipParens()
	return arrow.BinaryTypes.String, appendAnyText, nil
}

func typeErr(want string, v any) error {
	return fmt.Errorf("driver gave %T, want %s", v, want)
}

func appendBool(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	x, ok := v.(bool)
	if !ok {
		return typeErr("bool", v)
	}
	b.(*array.BooleanBuilder).Append(x)
	return nil
}

// appendInt appends any Go integer to any Arrow integer builder; the
// column's DuckDB type guarantees it fits.
func appendInt(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	var i int64
	var u uint64
	signed := true
	switch x := v.(type) {
	case int8:
		i = int64(x)
	case int16:
		i = int64(x)
	case int32:
		i = int64(x)
	case int64:
		i = x
	case int:
		i = int64(x)
	case uint8:
		u, signed = uint64(x), false
	case uint16:
		u, signed = uint64(x), false
	case uint32:
		u, signed = uint64(x), false
	case uint64:
		u, signed = x, false
	default:
		return typeErr("an integer", v)
	}
	if !signed {
		i = int64(u)
	}
	switch b := b.(type) {
	case *array.Int8Builder:
		b.Append(int8(i))
	case *array.Int16Builder:
		b.Append(int16(i))
	case *array.Int32Builder:
		b.Append(int32(i))
	case *array.Int64Builder:
		b.Append(i)
	case *array.Uint8Builder:
		b.Append(uint8(i))
	case *array.Uint16Builder:
		b.Append(uint16(i))
	case *array.Uint32Builder:
		b.Append(uint32(i))
	case *array.Uint64Builder:
		if signed {
			u = uint64(i)
		}
		b.Append(u)
	default:
		return fmt.Errorf("no integer builder: %T", b)
	}
	return nil
}

func appendFloat(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	var f float64
	switch x := v.(type) {
	case float32:
		f = float64(x)
	case float64:
		f = x
	default:
		return typeErr("a float", v)
	}
	switch b := b.(type) {
	case *array.Float32Builder:
		b.Append(float32(f))
	case *array.Float64Builder:
		b.Append(f)
	}
	return nil
}

func appendDecimal(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	var n *big.Int
	switch x := v.(type) {
	case duckdb.Decimal:
		n = x.Value
	case *big.Int:
		n = x
	default:
		return typeErr("a decimal", v)
	}
	if n == nil {
		b.AppendNull()
		return nil
	}
	db := b.(*array.Decimal128Builder)
	prec := db.Type().(*arrow.Decimal128Type).Precision
	d := decimal128.FromBigInt(n)
	if !d.FitsInPrecision(prec) {
		return fmt.Errorf("%s does not fit in %d digits", n, prec)
	}
	db.Append(d)
	return nil
}

func appendText(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	switch x := v.(type) {
	case string:
		b.(*array.StringBuilder).Append(x)
	case []byte:
		b.(*array.StringBuilder).Append(string(x))
	default:
		return typeErr("text", v)
	}
	return nil
}

// appendJSON writes a JSON column's value as JSON text: the driver hands it
// over decoded.
func appendJSON(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	js, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b.(*array.StringBuilder).Append(string(js))
	return nil
}

func appendUUID(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	var u duckdb.UUID
	switch x := v.(type) {
	case []byte:
		if len(x) != len(u) {
			return fmt.Errorf("UUID of %d bytes", len(x))
		}
		copy(u[:], x)
	case duckdb.UUID:
		u = x
	case *duckdb.UUID:
		u = *x
	case string:
		b.(*array.StringBuilder).Append(x)
		return nil
	default:
		return typeErr("a UUID", v)
	}
	b.(*array.StringBuilder).Append(u.String())
	return nil
}

// appendAnyText writes a value of a type without an Arrow form as text:
// strings as they are, the rest as JSON.
func appendAnyText(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	switch x := v.(type) {
	case string:
		b.(*array.StringBuilder).Append(x)
		return nil
	case time.Time:
		b.(*array.StringBuilder).Append(x.Format("15:04:05.999999Z07:00"))
		return nil
	case *big.Int:
		b.(*array.StringBuilder).Append(x.String())
		return nil
	case fmt.Stringer:
		b.(*array.StringBuilder).Append(x.String())
		return nil
	}
	js, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b.(*array.StringBuilder).Append(string(js))
	return nil
}

func appendBinary(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	switch x := v.(type) {
	case []byte:
		b.(*array.BinaryBuilder).Append(x)
	case string:
		b.(*array.BinaryBuilder).Append([]byte(x))
	default:
		return typeErr("bytes", v)
	}
	return nil
}

func asTime(v any) (time.Time, error) {
	t, ok := v.(time.Time)
	if !ok {
		return time.Time{}, typeErr("a time", v)
	}
	return t, nil
}

func appendDate(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	t, err := asTime(v)
	if err != nil {
		return err
	}
	b.(*array.Date32Builder).Append(arrow.Date32FromTime(t))
	return nil
}

// appendTime writes a TIME as microseconds since midnight.
func appendTime(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	t, err := asTime(v)
	if err != nil {
		return err
	}
	h, m, s := t.Clock()
	us := (int64(h)*3600+int64(m)*60+int64(s))*1e6 + int64(t.Nanosecond()/1e3)
	b.(*array.Time64Builder).Append(arrow.Time64(us))
	return nil
}

func appendTimestamp(unit arrow.TimeUnit) appender {
	return func(b array.Builder, v any) error {
		if v == nil {
			b.AppendNull()
			return nil
		}
		t, err := asTime(v)
		if err != nil {
			return err
		}
		var x int64
		switch unit {
		case arrow.Second:
			x = t.Unix()
		case arrow.Millisecond:
			x = t.UnixMilli()
		case arrow.Microsecond:
			x = t.UnixMicro()
		default:
			x = t.UnixNano()
		}
		b.(*array.TimestampBuilder).Append(arrow.Timestamp(x))
		return nil
	}
}

func appendInterval(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	iv, ok := v.(duckdb.Interval)
	if !ok {
		return typeErr("an interval", v)
	}
	b.(*array.MonthDayNanoIntervalBuilder).Append(arrow.MonthDayNanoInterval{
		Months: iv.Months, Days: iv.Days, Nanoseconds: iv.Micros * 1000})
	return nil
}

func listAppender(elem appender) appender {
	return func(b array.Builder, v any) error {
		lb := b.(*array.ListBuilder)
		if v == nil {
			lb.AppendNull()
			return nil
		}
		xs, ok := v.([]any)
		if !ok {
			return typeErr("a list", v)
		}
		lb.Append(true)
		for _, x := range xs {
			if err := elem(lb.ValueBuilder(), x); err != nil {
				return err
			}
		}
		return nil
	}
}

func fixedListAppender(elem appender) appender {
	return func(b array.Builder, v any) error {
		lb := b.(*array.FixedSizeListBuilder)
		if v == nil {
			lb.AppendNull()
			return nil
		}
		xs, ok := v.([]any)
		if !ok {
			return typeErr("an array", v)
		}
		if n := int(lb.Type().(*arrow.FixedSizeListType).Len()); len(xs) != n {
			return fmt.Errorf("array of %d values, want %d", len(xs), n)
		}
		lb.Append(true)
		for _, x := range xs {
			if err := elem(lb.ValueBuilder(), x); err != nil {
				return err
			}
		}
		return nil
	}
}

func structAppender(fields []arrow.Field, apps []appender) appender {
	return func(b array.Builder, v any) error {
		sb := b.(*array.StructBuilder)
		if v == nil {
			sb.AppendNull()
			return nil
		}
		m, ok := v.(map[string]any)
		if !ok {
			return typeErr("a struct", v)
		}
		sb.Append(true)
		for i, f := range fields {
			if err := apps[i](sb.FieldBuilder(i), m[f.Name]); err != nil {
				return fmt.Errorf("field %q: %w", f.Name, err)
			}
		}
		return nil
	}
}

func mapAppender(key, item appender) appender {
	return func(b array.Builder, v any) error {
		mb := b.(*array.MapBuilder)
		if v == nil {
			mb.AppendNull()
			return nil
		}
		var keys, vals []any
		switch m := v.(type) {
		case duckdb.OrderedMap:
			keys, vals = m.Keys(), m.Values()
		case *duckdb.OrderedMap:
			keys, vals = m.Keys(), m.Values()
		case duckdb.Map:
			for k, x := range m {
				keys, vals = append(keys, k), append(vals, x)
			}
		default:
			return typeErr("a map", v)
		}
		mb.Append(true)
		for i := range keys {
			if err := key(mb.KeyBuilder(), keys[i]); err != nil {
				return err
			}
			if err := item(mb.ItemBuilder(), vals[i]); err != nil {
				return err
			}
		}
		return nil
	}
}
