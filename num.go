package gongkai

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Scale is the number of fraction digits a Num keeps. Six digits hold a
// yuan amount to the fen when it is written in 万元 (10,000 yuan), the unit
// of the 2021 layout's fee column.
const Scale = 6

const scaleFactor = 1_000_000

// Num is one cell of a report: an exact decimal, or null when the document
// does not say (blank, "/", "—", "无"...). The zero Num is null, so a cell
// that nobody set can never read as 0.
//
// The value is held as an integer count of millionths, so sums and the
// rules are exact; counts are simply Nums whose fraction is zero.
type Num struct {
	micros int64
	valid  bool
}

// Null is the unknown value.
var Null = Num{}

// Int returns the count n.
func Int(n int64) Num { return Num{micros: n * scaleFactor, valid: true} }

// FromMicros returns the decimal m / 10^6.
func FromMicros(m int64) Num { return Num{micros: m, valid: true} }

// Valid reports whether the cell holds a number.
func (n Num) Valid() bool { return n.valid }

// Micros returns the value in millionths; 0 when null (check Valid first).
func (n Num) Micros() int64 { return n.micros }

// IsInt reports whether the value is a whole number. Null is not.
func (n Num) IsInt() bool { return n.valid && n.micros%scaleFactor == 0 }

// Int64 returns the integer part, and false when the cell is null or has a
// fraction.
func (n Num) Int64() (int64, bool) {
	if !n.IsInt() {
		return 0, false
	}
	return n.micros / scaleFactor, true
}

// Add returns n+m; null when either is null.
func (n Num) Add(m Num) Num {
	if !n.valid || !m.valid {
		return Null
	}
	return Num{micros: n.micros + m.micros, valid: true}
}

// Sign returns -1, 0 or 1; 0 for null.
func (n Num) Sign() int {
	switch {
	case !n.valid || n.micros == 0:
		return 0
	case n.micros < 0:
		return -1
	}
	return 1
}

// Equal reports whether both are null or both hold the same value.
func (n Num) Equal(m Num) bool { return n == m }

// Float64 returns the value as a float (for display only); NaN when null.
func (n Num) Float64() float64 {
	if !n.valid {
		return math.NaN()
	}
	return float64(n.micros) / scaleFactor
}

// String renders the value the way it is written in a report: "12",
// "-18", "96171.6"; "null" for null.
func (n Num) String() string {
	if !n.valid {
		return "null"
	}
	neg := n.micros < 0
	m := n.micros
	if neg {
		m = -m
	}
	s := strconv.FormatInt(m/scaleFactor, 10)
	if frac := m % scaleFactor; frac != 0 {
		f := strings.TrimRight(fmt.Sprintf("%06d", frac), "0")
		s += "." + f
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ErrNotNumber is returned by ParseNum for text that is not a plain decimal.
var ErrNotNumber = errors.New("not a number")

// ParseNum reads a plain ASCII decimal such as "12", "-18" or "96171.6".
// Readers normalize full-width digits, separators and units before calling
// it. More than six fraction digits is an error rather than a rounding.
func ParseNum(s string) (Num, error) {
	if s == "" {
		return Null, fmt.Errorf("%w: empty", ErrNotNumber)
	}
	neg := false
	body := s
	switch body[0] {
	case '-':
		neg = true
		body = body[1:]
	case '+':
		body = body[1:]
	}
	intPart, fracPart, hasDot := strings.Cut(body, ".")
	if intPart == "" || (hasDot && fracPart == "") || len(fracPart) > Scale || len(intPart) > 12 {
		return Null, fmt.Errorf("%w: %q", ErrNotNumber, s)
	}
	for _, part := range []string{intPart, fracPart} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return Null, fmt.Errorf("%w: %q", ErrNotNumber, s)
			}
		}
	}
	ip, _ := strconv.ParseInt(intPart, 10, 64)
	var fp int64
	if fracPart != "" {
		fp, _ = strconv.ParseInt(fracPart+strings.Repeat("0", Scale-len(fracPart)), 10, 64)
	}
	m := ip*scaleFactor + fp
	if neg {
		m = -m
	}
	return Num{micros: m, valid: true}, nil
}

// MarshalJSON writes null or a JSON number (an integer when whole).
func (n Num) MarshalJSON() ([]byte, error) {
	if !n.valid {
		return []byte("null"), nil
	}
	return []byte(n.String()), nil
}

// UnmarshalJSON reads null or a JSON number.
func (n *Num) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*n = Null
		return nil
	}
	s := string(b)
	// JSON allows exponents; reports never use them, but accept the
	// harmless integral forms a JSON encoder may produce.
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Abs(f) > 1e12 {
			return fmt.Errorf("%w: %s", ErrNotNumber, s)
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	v, err := ParseNum(s)
	if err != nil {
		return err
	}
	*n = v
	return nil
}
