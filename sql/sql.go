// Package sql holds every SQL file gongkai runs — the schema migrations,
// the named rollups, the cross-report rules and the compile queries — as
// one embedded file system. Keeping the SQL here, and the Go that runs it
// in package store, lets an analyst read and change a query without
// reading Go, and keeps the store the only package that knows DuckDB.
package sql

import "embed"

// Files is the tree of SQL files: schema/NNNN_*.sql (migrations, applied in
// name order), rollups/NAME.sql, rules/NAME.sql, compile/NAME.sql and
// queries/NAME.sql (the store's own read queries: a stored report, what
// the store covers).
//
//go:embed schema/*.sql rollups/*.sql rules/*.sql compile/*.sql queries/*.sql
var Files embed.FS
