package division

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Entry is one row of a manifest: which division and body wrote a file,
// and, when the file does not say or says it wrongly, which organization
// wrote it and which year it covers.
type Entry struct {
	File         string
	DivisionCode string
	BodyType     string
	// Organization and Year, when set, are the report's identity as the
	// user states it; they win over what the document says.
	Organization string
	Year         int
	// Line is the entry's line in the manifest, for messages.
	Line int
}

// Hint returns the resolution hint the entry gives.
func (e Entry) Hint() Hint { return Hint{DivisionCode: e.DivisionCode, BodyType: e.BodyType} }

// Manifest maps report files to their authors. It is read from a CSV file
// whose header names the column file and any of division_code, body_type,
// organization and year (in any order); file paths are relative to the
// manifest's folder or absolute.
type Manifest struct {
	path    string
	dir     string
	entries map[string]Entry // by cleaned absolute or relative path
	byBase  map[string][]Entry
}

// LoadManifest reads a manifest CSV. Unknown body types, codes that are
// not digits and years that are not years are errors naming the line;
// codes are checked against the divisions later, at resolution, where an
// unknown one becomes a finding.
func LoadManifest(path string) (Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return Manifest{}, fmt.Errorf("manifest: %w", err)
	}
	defer f.Close()
	abs, err := filepath.Abs(path)
	if err != nil {
		return Manifest{}, fmt.Errorf("manifest: %w", err)
	}
	m := Manifest{path: path, dir: filepath.Dir(abs), entries: map[string]Entry{}, byBase: map[string][]Entry{}}
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return Manifest{}, fmt.Errorf("manifest %s: header: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	if _, ok := col["file"]; !ok {
		return Manifest{}, fmt.Errorf("manifest %s: header lacks \"file\" (want file and any of %s)", path, strings.Join(manifestColumns, ","))
	}
	known := false
	for _, c := range manifestColumns {
		_, ok := col[c]
		known = known || ok
	}
	if !known {
		return Manifest{}, fmt.Errorf("manifest %s: header names none of %s beside file", path, strings.Join(manifestColumns, ","))
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Manifest{}, fmt.Errorf("manifest %s: %w", path, err)
		}
		e := Entry{File: get(rec, "file"), DivisionCode: get(rec, "division_code"), BodyType: get(rec, "body_type"),
			Organization: get(rec, "organization"), Line: line}
		if e.File == "" {
			continue
		}
		if y := get(rec, "year"); y != "" {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(y, "年度"), "年"))
			if err != nil || n < 2000 || n > 2100 {
				return Manifest{}, fmt.Errorf("manifest %s line %d: year %q is not a report year (e.g. 2023)", path, line, y)
			}
			e.Year = n
		}
		for _, c := range e.DivisionCode {
			if c < '0' || c > '9' {
				return Manifest{}, fmt.Errorf("manifest %s line %d: division code %q is not digits", path, line, e.DivisionCode)
			}
		}
		if e.BodyType != "" && !slices.Contains(BodyTypes, e.BodyType) {
			return Manifest{}, fmt.Errorf("manifest %s line %d: unknown body type %q (want one of %s)",
				path, line, e.BodyType, strings.Join(BodyTypes, ", "))
		}
		m.entries[m.key(e.File)] = e
		b := filepath.Base(e.File)
		m.byBase[b] = append(m.byBase[b], e)
	}
	return m, nil
}

// manifestColumns are the columns a manifest may have beside file.
var manifestColumns = []string{"division_code", "body_type", "organization", "year"}

func (m Manifest) key(file string) string {
	file = filepath.FromSlash(file)
	if !filepath.IsAbs(file) {
		file = filepath.Join(m.dir, file)
	}
	return filepath.Clean(file)
}

// Lookup finds the entry of a file: by its path (relative paths are taken
// from the manifest's folder first, then from the working directory), else
// by its base name when only one entry has it. Inside a zip, pass the
// member's name.
func (m Manifest) Lookup(file string) (Entry, bool) {
	if m.entries == nil {
		return Entry{}, false
	}
	if e, ok := m.entries[m.key(file)]; ok {
		return e, true
	}
	if abs, err := filepath.Abs(file); err == nil {
		if e, ok := m.entries[filepath.Clean(abs)]; ok {
			return e, true
		}
	}
	if es := m.byBase[filepath.Base(filepath.FromSlash(file))]; len(es) == 1 {
		return es[0], true
	}
	return Entry{}, false
}

// Source names an entry for messages: "manifest bodies.csv line 3".
func (m Manifest) Source(e Entry) string {
	return fmt.Sprintf("manifest %s line %d", m.path, e.Line)
}

// Len is the number of entries.
func (m Manifest) Len() int { return len(m.entries) }
