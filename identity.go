package gongkai

import (
	"fmt"
	"strings"
	"time"
)

// Clue is one place a document states who wrote it or which year it
// covers: the title, the HTML <title>, a crawler's header lines, PDF or
// DOCX metadata, the signature block, a phrase of the body, or what the
// user stated (flags, manifest). A reader collects every clue it finds and
// decides from all of them; the clues are kept so a user can see where the
// identity came from (parse --explain).
type Clue struct {
	// Source names the kind of place: "title", "HTML <title>", "标题 line",
	// "PDF metadata Title", "signature", "body text", "--organization"...
	Source string `json:"source"`
	// Loc is where in the document ("line 3", "page 1 line 2"); empty for
	// metadata and user statements.
	Loc string `json:"loc,omitempty"`
	// Raw is the text as written.
	Raw          string `json:"raw"`
	Organization string `json:"organization,omitempty"`
	// Year is the report year the clue states (the year covered).
	Year int `json:"year,omitempty"`
	// Published is a publication date the clue states, "2006-01-02".
	Published string `json:"published,omitempty"`
	// Used marks the clues the identity was taken from.
	Used bool `json:"used,omitempty"`
}

func (c Clue) String() string {
	s := c.Source
	if c.Loc != "" {
		s += " (" + c.Loc + ")"
	}
	return s
}

// Validate says whether a report can be stored: it names an organization,
// has a year, a well-formed publication date (or none) and whole numbers in
// every count cell. It is the one check both the readers (which refuse such
// a record at parse time, naming the file) and the store apply; errors wrap
// ErrInvalidRecord.
func (r *Report) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidRecord, fmt.Sprintf(format, a...))
	}
	switch {
	case r == nil:
		return bad("no report")
	case r.Layout() == nil:
		return bad("unknown format version %q", r.FormatVersion)
	case strings.TrimSpace(r.Organization) == "":
		return bad("report names no organization")
	case r.ReportYear <= 0:
		return bad("report has no year")
	}
	if d := r.PublishedOn; d != "" {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return bad("published_on %q is not a date (YYYY-MM-DD)", d)
		}
	}
	// Counts are whole numbers: a fraction is refused, never rounded.
	// Section 二 holds money (decimal) beside its counts and is checked by
	// R5 instead.
	for c := range r.AllCells() {
		if c.Section == SecActive || !c.Value.Valid() {
			continue
		}
		if _, ok := c.Value.Int64(); !ok {
			return bad("%s: value %s is not a whole number", c.Path(), c.Value)
		}
	}
	return nil
}
