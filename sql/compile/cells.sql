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
cells AS (
    SELECT report_id, 'active' AS section, item_key AS row_key, metric_key AS col_key, value
    FROM active_cells
    UNION ALL
    SELECT report_id, 'applications', row_key, col_key, CAST(value AS DECIMAL(18,6))
    FROM application_cells
    UNION ALL
    SELECT report_id, 'review_litigation', block_key, col_key, CAST(value AS DECIMAL(18,6))
    FROM review_cells
)
SELECT c.section, c.row_key, c.col_key,
       CAST(sum(c.value) AS DECIMAL(18,6)) AS total,
       count(c.value)                      AS known,
       (SELECT count(*) FROM included)     AS bodies
FROM included i
JOIN cells c USING (report_id)
GROUP BY c.section, c.row_key, c.col_key
ORDER BY c.section, c.row_key, c.col_key
