package ingest

import "sync"

// A reader turns one rendering into a Document. sniff looks at the file's
// name and first bytes and says whether the content is this rendering;
// detection goes by content first, the extension only breaks ties.
type reader struct {
	name string
	// priority orders sniffing: higher runs first (binary formats with
	// magic numbers before text heuristics).
	priority int
	sniff    func(name string, head []byte) bool
	read     func(path string, data []byte) (*Document, error)
}

var (
	readersMu sync.Mutex
	readers   []reader
)

// register adds a reader; each rendering's file calls it from init.
func register(r reader) {
	readersMu.Lock()
	defer readersMu.Unlock()
	i := len(readers)
	for i > 0 && readers[i-1].priority < r.priority {
		i--
	}
	readers = append(readers, reader{})
	copy(readers[i+1:], readers[i:])
	readers[i] = r
}
