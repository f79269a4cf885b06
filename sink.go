package gongkai

import "context"

// Parsed is a report read from one file, ready to store.
type Parsed struct {
	Report    *Report
	Path      string // as given by the user, for messages and the reports table
	Hash      string // sha256 of the file's bytes, lower-case hex
	Rendering string // the reader that read it: word_text, html, docx...
	// Clues are the places the document states its organization and year
	// (Clue.Used marks those the identity was taken from); empty for JSON
	// records.
	Clues []Clue
}

// Outcome is what storing one report did.
type Outcome string

const (
	// Added: a report for this body and year was not stored before.
	Added Outcome = "added"
	// Unchanged: the same file (same hash) is already stored; nothing written.
	Unchanged Outcome = "unchanged"
	// Replaced: another file for the same body and year was stored and has
	// been replaced by this one.
	Replaced Outcome = "replaced"
)

// Sink is where ingest stores what it reads; the store implements it, and
// ingest knows only this interface, so parsing never links DuckDB. This is
// the whole contract: ingest calls PutDetailed for each batch, then
// UpdateCrossRules once at the end of a run.
type Sink interface {
	// PutDetailed stores a batch whole or not at all. It returns the
	// outcomes in batch order and, for each, the stored file it matched:
	// for Unchanged the file with the same content, for Replaced the file
	// whose report it replaced ("" when none).
	PutDetailed(ctx context.Context, batch []Parsed) ([]Outcome, []string, error)
	// UpdateCrossRules brings the cross-report findings (R6, R7, R9) up to
	// date with what the stored batches changed. Ingest calls it at the end
	// of every run, interrupted or not, so findings never lag the reports.
	UpdateCrossRules(ctx context.Context) error
}

// Result is a tabular answer (a rollup, a query), small enough to hold in
// memory and render. Large exports stream through the store instead.
type Result struct {
	Columns []string
	// Types are the database type names of the columns (BIGINT, VARCHAR,
	// DECIMAL(18,6)...), so renderers can right-align numbers.
	Types []string
	Rows  [][]any
	// Truncated is set when a row cap cut the result short.
	Truncated bool
}
