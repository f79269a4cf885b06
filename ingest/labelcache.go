package ingest

import (
	"strings"
	"sync"
)

// cellFacts is what the recognizer's scan reads from a cell's text: its
// kind and what the text says as a label. Every field is a pure function
// of the text.
type cellFacts struct {
	kind cellKind
	// The rest is what the text says as a label (for texts of ASCII digits
	// only: nothing, and norm is left empty).
	norm         string // normLabel of the text
	marker       int    // sectionMarker(norm)
	v2019, v2021 int    // versionHints(norm)
	wan          bool   // the 2019 procurement header in 万元
	sec, key     string // matchRowLabel of the text
	ok           bool
}

func computeCellFacts(text string) *cellFacts {
	f := &cellFacts{kind: classify(text)}
	f.norm = normLabel(text)
	f.marker = sectionMarker(f.norm)
	f.v2019, f.v2021 = versionHints(f.norm)
	f.wan = strings.Contains(f.norm, "采购总金额") && strings.Contains(f.norm, "万元")
	f.sec, f.key, f.ok = matchRowLabel(text)
	return f
}

// The facts of the cell texts seen, across documents. Reports print the
// same official labels and headers over and over, and working out what a
// label says (normalizing it, scoring it for each layout, matching it
// against every rule, some allowing a misspelled character) was most of
// the recognizer's scan. The cache is bounded: texts longer than
// factsMaxText are not kept, and it is emptied when it holds
// factsMaxEntries texts or factsMaxBytes of them (keys and normalized
// forms), so a document of unique labels costs what it did before plus
// the bookkeeping. (A table's header cells, the notes under 第二十条, run
// to a few hundred bytes.)
const (
	factsMaxText    = 2048
	factsMaxEntries = 1 << 13
	factsMaxBytes   = 4 << 20
)

var factsCache = struct {
	sync.RWMutex
	m     map[string]*cellFacts
	bytes int
}{m: map[string]*cellFacts{}}

// factsOf is computeCellFacts through the cache. The facts returned are
// shared: read them, never change them.
func factsOf(text string) *cellFacts {
	if allDigits(text) {
		return numberFacts // the common value cell; no lookup needed
	}
	if len(text) > factsMaxText {
		return computeCellFacts(text)
	}
	factsCache.RLock()
	f, ok := factsCache.m[text]
	factsCache.RUnlock()
	if ok {
		return f
	}
	f = computeCellFacts(text)
	factsCache.Lock()
	if len(factsCache.m) >= factsMaxEntries || factsCache.bytes >= factsMaxBytes {
		clear(factsCache.m)
		factsCache.bytes = 0
	}
	factsCache.bytes += len(text) + len(f.norm)
	// A cell's text may be a slice of a whole page: the key and the
	// normalized label (often the text itself) are copies, so the cache
	// never keeps a document alive.
	key := strings.Clone(text)
	if f.norm == text {
		f.norm = key
	} else {
		f.norm = strings.Clone(f.norm)
	}
	factsCache.m[key] = f
	factsCache.Unlock()
	return f
}

var numberFacts = &cellFacts{kind: kindNumber}
