package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gongkai"
)

// Snapshot writes a consistent copy of the whole store to a new DuckDB
// file dest, atomically (temporary file beside it, synced, renamed). dest
// must not be the store itself.
//
// On a read-only store the file lock it holds keeps writers out while it
// copies, so the copy holds only committed batches; on a read-write store
// it checkpoints first and copies between batches. The copy is the file's
// bytes, which takes as long as the disk needs (milliseconds for
// megabytes, where COPY FROM DATABASE takes 100 times longer), except when
// the store has a write-ahead log left by a writer that did not close
// cleanly: then the state DuckDB replayed from it is copied with COPY FROM
// DATABASE into a fresh, checkpointed file.
//
// serve answers from such copies so that ingest can write the store
// meanwhile.
func (s *Store) Snapshot(ctx context.Context, dest string) error {
	if !s.readOnly {
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
		if _, err := s.db.ExecContext(ctx, "CHECKPOINT"); err != nil {
			return classify("snapshot", s.path, err)
		}
	}
	if fi, err := os.Stat(s.path + ".wal"); err == nil && fi.Size() > 0 {
		return s.copyDatabase(ctx, dest)
	}
	return writeAtomic(dest, func(tmp string) error { return copyFile(s.path, tmp) })
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// copyDatabase copies the store's current state with COPY FROM DATABASE
// into a freshly attached file: tables, views, sequences, checkpointed.
func (s *Store) copyDatabase(ctx context.Context, dest string) (err error) {
	tmpf, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".tmp-*")
	if err != nil {
		return &gongkai.Error{Op: "snapshot", Path: dest, Err: err, Hint: "check that the folder exists and is writable"}
	}
	tmp := tmpf.Name()
	tmpf.Close()
	os.Remove(tmp) // DuckDB creates the file itself
	defer func() {
		if err != nil {
			os.Remove(tmp)
			os.Remove(tmp + ".wal")
		}
	}()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return classify("snapshot", s.path, err)
	}
	defer conn.Close()
	var name string
	if err := conn.QueryRowContext(ctx, `SELECT current_database()`).Scan(&name); err != nil {
		return classify("snapshot", s.path, err)
	}
	const alias = "gongkai_snapshot"
	if _, err := conn.ExecContext(ctx, "ATTACH "+quoteLiteral(tmp)+" AS "+alias+" (READ_WRITE)"); err != nil {
		return classify("snapshot", dest, err)
	}
	_, cerr := conn.ExecContext(ctx, "COPY FROM DATABASE "+quoteIdent(name)+" TO "+alias)
	_, derr := conn.ExecContext(context.WithoutCancel(ctx), "DETACH "+alias)
	if err := errors.Join(cerr, derr); err != nil {
		return classify("snapshot", dest, err)
	}
	if _, err := os.Stat(tmp + ".wal"); err == nil {
		return &gongkai.Error{Op: "snapshot", Path: dest, Err: fmt.Errorf("the copy was not checkpointed (a .wal file remains)")}
	}
	if err := syncPath(tmp); err != nil {
		return &gongkai.Error{Op: "snapshot", Path: dest, Err: err}
	}
	if err := os.Rename(tmp, dest); err != nil {
		return &gongkai.Error{Op: "snapshot", Path: dest, Err: err}
	}
	return syncPath(filepath.Dir(dest))
}
