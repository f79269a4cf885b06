-- Schema version 5: incremental cross-report rules (R6, R7, R9).
--
-- cross_pending: the bodies whose reports a write touched since the cross
-- rules last ran. Put adds one row per report it deletes (as it was) and
-- per report it writes, in the same transaction, so the list survives a
-- crash between the write and the rules. Store.UpdateCrossRules recomputes
-- the findings of the reports those rows reach (see sql/rules.go) and then
-- empties the table; it holds no row when the findings are up to date.
CREATE TABLE cross_pending (
    body_key      VARCHAR NOT NULL,   -- report_bodies.body_key
    report_year   INTEGER NOT NULL,
    division_code VARCHAR,            -- for R9: the whole-area reports containing it
    is_aggregate  BOOLEAN NOT NULL
);

-- aggregate_prefix(code): the division-code prefix a whole-area report of
-- division code covers (R9): a province 370000 → '37', a city 371000 →
-- '3710', else the code itself (a county covers its townships' 9-digit
-- codes). NULL for NULL.
CREATE MACRO aggregate_prefix(code) AS
    CASE WHEN code LIKE '__0000' THEN left(code, 2)
         WHEN code LIKE '____00' THEN left(code, 4)
         ELSE code END;
