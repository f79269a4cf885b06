package store

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"gongkai"
)

// datasetQuery is the whole store as one long table: one row per cell of
// sections 二, 三 and 四, with the report's identity, division and
// provenance columns repeated on every row, so a distributed engine needs
// no join. value is DECIMAL(18,6) in every section (exact for the integer
// counts of 三 and 四, and for 二's money); kind says how to read it; NULL
// is a cell the report did not state. The partition columns are year and
// province_code, the first two digits of the division code (37 for 山东省):
// ASCII folder names that every engine reads alike, where a Chinese
// province name would be URL-escaped and decoded differently by each. A
// report without a division is written under __HIVE_DEFAULT_PARTITION__
// and reads back as NULL.
const datasetQuery = `
WITH cells AS (
    SELECT 'active' AS section, report_id, row_key, row_label, row_group, row_order,
           col_key, col_label, col_order, kind, value, source_loc, source_raw
    FROM active_disclosure
    UNION ALL
    SELECT 'applications', report_id, row_key, row_label, row_group, row_order,
           col_key, col_label, col_order, 'count', CAST(value AS DECIMAL(18,6)), source_loc, source_raw
    FROM applications
    UNION ALL
    SELECT 'review_litigation', report_id, row_key, row_label, row_group, row_order,
           col_key, col_label, col_order, 'count', CAST(value AS DECIMAL(18,6)), source_loc, source_raw
    FROM review_litigation
)
SELECT r.report_year AS year, left(r.division_code, 2) AS province_code, r.province, r.city, r.county, r.township,
       r.division_code, r.body_type, r.is_aggregate,
       r.report_id, r.organization, r.format_version, r.published_on,
       c.section, c.row_key, c.row_label, c.row_group, c.row_order,
       c.col_key, c.col_label, c.col_order, c.kind, c.value,
       c.source_loc, c.source_raw,
       r.source_path, r.rendering, r.content_hash, r.ingested_at
FROM cells c JOIN reports r USING (report_id)
ORDER BY year, province_code, report_id, section, row_order, col_order`

// ExportDataset writes every cell of the store as a hive-partitioned
// Parquet dataset (zstd) under dir: dir/year=2023/province_code=37/data_0.parquet.
// DuckDB reads it back as one table with
// read_parquet('dir/**/*.parquet', hive_partitioning=true), and Spark or
// Trino as a partitioned table.
//
// The dataset is built in a temporary folder beside dir, synced, and
// renamed into place; an existing dir is moved aside first and removed
// after, so readers see the old or the new dataset, never a mix. It returns
// the number of rows written.
func (s *Store) ExportDataset(ctx context.Context, dir string) (int64, error) {
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return 0, &gongkai.Error{Op: "export", Path: dir, Err: err, Hint: "check that the parent folder exists and is writable"}
	}
	// MkdirTemp makes the folder private; a dataset is for other tools.
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return 0, &gongkai.Error{Op: "export", Path: dir, Err: err}
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	res, err := s.db.ExecContext(ctx, "COPY ("+datasetQuery+"\n) TO "+quoteLiteral(tmp)+
		" (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, province_code), OVERWRITE_OR_IGNORE true)")
	if err != nil {
		return 0, classify("export", dir, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, classify("export", dir, err)
	}
	if err := syncTree(tmp); err != nil {
		return 0, &gongkai.Error{Op: "export", Path: dir, Err: err}
	}
	var old string
	if _, err := os.Stat(dir); err == nil {
		old = filepath.Join(parent, "."+filepath.Base(dir)+fmt.Sprintf(".old-%d", os.Getpid()))
		if err := os.Rename(dir, old); err != nil {
			return 0, &gongkai.Error{Op: "export", Path: dir, Err: fmt.Errorf("moving the previous dataset aside: %w", err)}
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir)
		}
		return 0, &gongkai.Error{Op: "export", Path: dir, Err: err}
	}
	done = true
	if old != "" {
		os.RemoveAll(old)
	}
	return n, syncPath(parent)
}

// syncTree syncs every file and folder under root.
func syncTree(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return syncPath(p)
	})
}
