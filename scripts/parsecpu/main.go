// Command parsecpu prints the CPU time one parse takes, by reader, over
// the report files of a folder: every file is read into memory and parsed
// once to learn its reader (Parsed.Rendering), then the files of each
// reader are parsed again, one at a time, after a collection, and the
// process's CPU time (user + system, the collector's work on other cores
// included) over them is divided by their number.
//
// scripts/bench-parse-corpus builds it against this tree and against an
// older commit (it uses nothing but ingest.ParseBytes, which has not
// changed since the issue's build) and runs the two in turn.
//
//	go run ./scripts/parsecpu FOLDER
//
// Output: one line per reader, "reader files cpu-ms-a-parse".
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"gongkai/gen"
	"gongkai/ingest"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: parsecpu FOLDER")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "parsecpu:", err)
		os.Exit(1)
	}
}

type doc struct {
	name string
	data []byte
}

func run(dir string, w io.Writer) error {
	ctx := context.Background()
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	by := map[string][]doc{}
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || strings.HasSuffix(n, ingest.TruthSuffix) || n == gen.ManifestName {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return err
		}
		p, err := ingest.ParseBytes(ctx, n, b)
		if err != nil {
			return fmt.Errorf("%s: %w", filepath.Join(dir, n), err)
		}
		by[p.Rendering] = append(by[p.Rendering], doc{n, b})
	}
	if len(by) == 0 {
		return fmt.Errorf("%s holds no report files", dir)
	}
	readers := make([]string, 0, len(by))
	for r := range by {
		readers = append(readers, r)
	}
	slices.Sort(readers)
	for _, r := range readers {
		runtime.GC()
		c0 := cpuTime()
		for _, d := range by[r] {
			if _, err := ingest.ParseBytes(ctx, d.name, d.data); err != nil {
				return err
			}
		}
		c := cpuTime() - c0
		fmt.Fprintf(w, "%s %d %.3f\n", r, len(by[r]), float64(c.Microseconds())/1000/float64(len(by[r])))
	}
	return nil
}

// cpuTime is bench's cpuTime again: parsecpu is built against the issue's
// build too, so it imports nothing but ingest and gen, which both have.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
