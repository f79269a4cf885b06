package ingest

import (
	"errors"
	"fmt"
	"strings"

	"gongkai"
	"gongkai/division"
)

// Placement says how each report's author is placed among China's
// administrative divisions. Run places every report it parses; parse
// places what it prints the same way, so a record shows the body ingest
// would store.
type Placement struct {
	// District (a name or code) narrows the search and places departments
	// whose names give no place (教育和体育局).
	District string
	// Manifest gives the division code and body type per file; its entry
	// wins over the name.
	Manifest division.Manifest
}

// Placer checks the placement and returns the function that places one
// report: it fills r.Body and appends a DIV finding when the author cannot
// be placed, never a guess. A record that already says who wrote it and
// has no manifest entry is kept as it is. The function is safe for
// concurrent use. A district several divisions share is an error wrapping
// division.ErrAmbiguous that lists them; an unknown one wraps
// gongkai.ErrUsage.
func (p Placement) Placer() (func(name string, r *gongkai.Report), error) {
	res := division.Default()
	if p.District != "" {
		if _, err := res.District(p.District); err != nil {
			if errors.Is(err, division.ErrAmbiguous) {
				return nil, fmt.Errorf("--district %s: %w", p.District, err)
			}
			return nil, fmt.Errorf("%w: --district %s: %v", gongkai.ErrUsage, p.District, err)
		}
	}
	return func(name string, r *gongkai.Report) {
		hint := division.Hint{District: p.District}
		e, inManifest := ManifestEntry(p.Manifest, name)
		if inManifest && (e.DivisionCode != "" || e.BodyType != "") {
			hint.DivisionCode, hint.BodyType = e.DivisionCode, e.BodyType
		} else if !r.Body.IsZero() {
			return // a record that says who wrote it
		}
		body, findings := res.Resolve(r.Organization, hint)
		r.Body = body
		r.Findings = append(r.Findings, findings...)
	}, nil
}

// ManifestEntry finds a document's manifest entry, by its name or, inside
// an archive, by its member's name.
func ManifestEntry(man division.Manifest, name string) (division.Entry, bool) {
	if e, ok := man.Lookup(name); ok {
		return e, true
	}
	if i := strings.LastIndex(name, ZipSep); i >= 0 {
		return man.Lookup(name[i+len(ZipSep):])
	}
	return division.Entry{}, false
}
