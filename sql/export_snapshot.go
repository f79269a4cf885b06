package sql

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"gongkai"
)

// Snapshot writes a consistent copy of the whole store (tables, views,
// sequences) to a new DuckDB file dest, with DuckDB's COPY FROM DATABASE
// into a freshly attached file, so the copy is checkpointed and compact.
// It works on a read-only store: the file lock it holds keeps writers out
// while it copies, so the copy holds only committed batches. dest is
// written atomically (temporary file beside it, synced, renamed) and must
// not be the store itself.
//
// serve reads such snapshots so that ingest can write the store meanwhile.
func (s *Store) Snapshot(ctx context.Context, dest string) (err error) {
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
