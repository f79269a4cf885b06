package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"
)

// EngineVersion returns the linked DuckDB library's version and source id
// ("v1.5.6", "…"), asked of an in-memory database, so 'gongkai --version'
// reports the engine really in the binary rather than a module version
// number that only maps to it.
func EngineVersion(ctx context.Context) (version, sourceID string, err error) {
	c, err := duckdb.NewConnector("", nil)
	if err != nil {
		return "", "", fmt.Errorf("duckdb version: %w", err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	err = db.QueryRowContext(ctx, "SELECT library_version, source_id FROM pragma_version()").Scan(&version, &sourceID)
	if err != nil {
		return "", "", fmt.Errorf("duckdb version: %w", err)
	}
	return version, sourceID, nil
}
