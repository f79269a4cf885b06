package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai"
)

// ZipSep joins an archive's path and a member's name in the names ingest
// reports ("reports.zip!/2023/泽库镇.html"), so a message or a stored
// source_path points at the member.
const ZipSep = "!/"

// doc is one document found among the inputs: a file on disk or a member
// of a zip archive. Its bytes are read by read, which is valid only during
// the visit that received the doc.
type doc struct {
	name string
	// explicit is true for a file named on the command line: a file that
	// is no report is then a failure; found in a folder or an archive, it
	// is skipped.
	explicit bool
	// err is set when the input itself could not be opened or listed; the
	// doc then stands for the input and read is nil.
	err  error
	read func(limit int64) ([]byte, error)
}

// walk visits every document under inputs in a stable order: inputs as
// given, folders recursively in lexical order, .zip archives (also nested
// ones, read into memory within limit) member by member. Hidden files and
// folders (".git", "__MACOSX") found while walking are left out. An input
// that cannot be read is visited as a doc with err set; walk itself fails
// only when visit does or ctx ends.
func walk(ctx context.Context, inputs []string, limit int64, visit func(doc) error) error {
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return err
		}
		st, err := os.Stat(in)
		if err != nil {
			if err := visit(doc{name: in, explicit: true, err: err}); err != nil {
				return err
			}
			continue
		}
		if !st.IsDir() {
			if err := walkFile(ctx, in, true, limit, visit); err != nil {
				return err
			}
			continue
		}
		err = filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			if err != nil {
				// An unreadable folder or file: report it and go on.
				return visit(doc{name: p, err: err})
			}
			if p != in && hidden(d.Name()) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				st, err := os.Stat(p)
				if err != nil || !st.Mode().IsRegular() {
					return nil // dangling link or link to a folder: not followed
				}
			} else if !d.Type().IsRegular() {
				return nil
			}
			return walkFile(ctx, p, false, limit, visit)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// hidden says whether a name found while walking is left out: hidden
// files and folders, system litter, Office lock files, and the truth files
// (*.truth.json) that the generator and the corpus keep beside reports —
// records of what a report says, not reports (named on the command line,
// they are read).
func hidden(name string) bool {
	return strings.HasPrefix(name, ".") || name == "__MACOSX" || name == "Thumbs.db" ||
		strings.HasPrefix(name, "~$") || strings.HasSuffix(name, TruthSuffix)
}

// TruthSuffix ends the names of truth files, which walks leave out.
const TruthSuffix = ".truth.json"

func isZip(name string) bool { return strings.EqualFold(filepath.Ext(name), ".zip") }

// walkFile visits one file on disk, or the members of a zip archive.
func walkFile(ctx context.Context, path string, explicit bool, limit int64, visit func(doc) error) error {
	if !isZip(path) {
		return visit(doc{name: path, explicit: explicit, read: func(limit int64) ([]byte, error) {
			return readFile(path, limit)
		}})
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return visit(doc{name: path, explicit: explicit, err: fmt.Errorf("%w: not a readable zip archive: %v", gongkai.ErrUnreadable, err)})
	}
	defer zr.Close()
	return walkZip(ctx, path, &zr.Reader, limit, 0, visit)
}

// maxZipDepth bounds archives inside archives.
const maxZipDepth = 3

func walkZip(ctx context.Context, prefix string, zr *zip.Reader, limit int64, depth int, visit func(doc) error) error {
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := memberName(f)
		if f.FileInfo().IsDir() || hiddenPath(name) {
			continue
		}
		full := prefix + ZipSep + name
		if isZip(name) && depth < maxZipDepth {
			data, err := readMember(f, limit)
			if err != nil {
				if err := visit(doc{name: full, err: err}); err != nil {
					return err
				}
				continue
			}
			inner, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				if err := visit(doc{name: full, err: fmt.Errorf("%w: not a readable zip archive: %v", gongkai.ErrUnreadable, err)}); err != nil {
					return err
				}
				continue
			}
			if err := walkZip(ctx, full, inner, limit, depth+1, visit); err != nil {
				return err
			}
			continue
		}
		if err := visit(doc{name: full, read: func(limit int64) ([]byte, error) { return readMember(f, limit) }}); err != nil {
			return err
		}
	}
	return nil
}

func hiddenPath(name string) bool {
	for _, part := range strings.Split(name, "/") {
		if hidden(part) {
			return true
		}
	}
	return false
}

// memberName returns a member's name as UTF-8. Archives made on Chinese
// Windows store names in GB18030 without the UTF-8 flag.
func memberName(f *zip.File) string {
	name := f.Name
	if !utf8.ValidString(name) {
		if dec, err := simplifiedchinese.GB18030.NewDecoder().String(name); err == nil {
			name = dec
		}
	}
	return strings.TrimLeft(strings.ReplaceAll(name, "\\", "/"), "/")
}

// errFileTooLarge is wrapped by the read errors of documents over the limit.
var errFileTooLarge = errors.New("too large")

func readFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		if size = st.Size(); size > limit {
			return nil, fmt.Errorf("%w: %d bytes, the limit is %d", errFileTooLarge, size, limit)
		}
	}
	return readLimited(f, limit, size)
}

func readMember(f *zip.File, limit int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", errFileTooLarge, f.UncompressedSize64, limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: zip member: %v", gongkai.ErrUnreadable, err)
	}
	defer rc.Close()
	return readLimited(rc, limit, int64(f.UncompressedSize64))
}

// readLimited reads r whole, failing rather than truncating past limit
// (a zip member may lie about its size). size is what the file says it
// holds (0: unknown): room for that much is made at once, where growing a
// buffer from nothing (io.ReadAll) leaves about four times the document
// behind as garbage, 250 MB for each 60 MB member of a zip bomb.
func readLimited(r io.Reader, limit, size int64) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, min(max(size, 0), limit)+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(r, limit+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", errFileTooLarge, limit)
	}
	return buf.Bytes(), nil
}
