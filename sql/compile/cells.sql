-- name: compile_cells
-- description: Cell-by-cell sums over the reports of one year whose division lies inside a
--   division (code prefix), whole-area reports excluded: for every cell path, the sum of
--   the stated values, how many reports stated it, and how many reports there are.
-- params: year, prefix
WITH included AS (
    SELECT report_id
    FROM reports
    WHERE report_year = CAST($year AS INTEGER)
      AND NOT is_aggregate
      AND starts_with(division_code, CAST($prefix AS VARCHAR))
),
-- Each cell table is joined with the included reports on its own, so the
-- join's build side (a few hundred ids) bounds the scan of the cell table:
-- DuckDB skips every row group outside the ids' min/max (ingest order keeps
-- a division's reports of a year close together).
cells AS (
    SELECT 'active' AS section, c.item_key AS row_key, c.metric_key AS col_key, c.value
    FROM active_cells c JOIN included i USING (report_id)
    UNION ALL
    SELECT 'applications', c.row_key, c.col_key, CAST(c.value AS DECIMAL(18,6))
    FROM application_cells c JOIN included i USING (report_id)
    UNION ALL
    SELECT 'review_litigation', c.block_key, c.col_key, CAST(c.value AS DECIMAL(18,6))
    FROM review_cells c JOIN included i USING (report_id)
)
SELECT c.section, c.row_key, c.col_key,
       CAST(sum(c.value) AS DECIMAL(18,6)) AS total,
       count(c.value)                      AS known,
       (SELECT count(*) FROM included)     AS bodies
FROM cells c
GROUP BY c.section, c.row_key, c.col_key
ORDER BY c.section, c.row_key, c.col_key
