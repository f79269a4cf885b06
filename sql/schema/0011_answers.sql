-- Schema version 11: rollup answers kept in the store.
--
-- A rollup whose file says "-- stored:" (the ones a whole nation's dashboard
-- asks for and that take seconds at a million reports) has its answer with
-- no parameters kept in tables, in the rollup's own order, made at the end of
-- each ingest (store.StoreAnswer), each table in one transaction with its row
-- here. A rollup kept "by year" is kept in parts, one table per report year,
-- made with $year bound to it; a part of year Y may read the reports of Y and
-- Y−1 (levels' change on the previous year) and no other, and its answer is
-- its parts in year order. Any other is one table, part 0.
--
-- A part is used only while it is fresh: the rollup's SQL is the one it was
-- made from (sql_hash, which covers the schema files too) and the reports it
-- reads are as they were (their count and largest id: Put never updates a
-- report, it deletes it and writes it again under a new id from a sequence
-- that never goes back, so any change to them changes one or the other).
-- Anything else runs the rollup's SQL, so a kept answer is never a stale one,
-- whatever was killed when.
CREATE TABLE answer_state (
    rollup     VARCHAR NOT NULL,
    part       INTEGER NOT NULL,  -- report year of a part; 0 for a whole answer
    table_name VARCHAR NOT NULL,  -- answer_<rollup>, answer_<rollup>_<year>
    sql_hash   VARCHAR NOT NULL,  -- sha256 of the rollup's SQL and the schema files, hex
    reports    BIGINT  NOT NULL,  -- count(*) of the reports it reads, when it was made
    top_id     BIGINT  NOT NULL,  -- their max(report_id) then, 0 when none
    rows       BIGINT  NOT NULL,
    made_at    TIMESTAMPTZ NOT NULL,
    took_ms    BIGINT  NOT NULL,
    PRIMARY KEY (rollup, part)
);
