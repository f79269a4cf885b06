package division

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Entry is one row of a manifest: which division and body wrote a file.
type Entry struct {
	File         string
	DivisionCode string
	BodyType     string
}

// Hint returns the resolution hint the entry gives.
func (e Entry) Hint() Hint { return Hint{DivisionCode: e.DivisionCode, BodyType: e.BodyType} }

// Manifest maps report files to their authors. It is read from a CSV file
// with the header file,division_code,body_type; file paths are relative to
// the manifest's folder or absolute.
type Manifest struct {
	dir     string
	entries map[string]Entry // by cleaned absolute or relative path
	byBase  map[string][]Entry
}

// LoadManifest reads a manifest CSV. Unknown body types and codes that are
// not digits are errors naming the line; codes are checked against the
// divisions later, at resolution, where an unknown one becomes a finding.
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
	m := Manifest{dir: filepath.Dir(abs), entries: map[string]Entry{}, byBase: map[string][]Entry{}}
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
	for _, need := range []string{"file", "division_code"} {
		if _, ok := col[need]; !ok {
			return Manifest{}, fmt.Errorf("manifest %s: header lacks %q (want file,division_code,body_type)", path, need)
		}
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
		e := Entry{File: get(rec, "file"), DivisionCode: get(rec, "division_code"), BodyType: get(rec, "body_type")}
		if e.File == "" {
			continue
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

// Len is the number of entries.
func (m Manifest) Len() int { return len(m.entries) }
