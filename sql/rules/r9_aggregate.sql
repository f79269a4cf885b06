-- name: r9_aggregate
-- description: R9 — a whole-area report (is_aggregate: 全区/全市 totals) equals, cell by cell,
--   the sum of the reports of the same year whose division lies inside its division
--   (other whole-area reports excluded). A cell with a null on either side, or that some
--   part's layout lacks, is not checkable; so is a whole-area report with no division
--   or no parts in the store.
-- needs: whole-area
--   (the rule runs only for chunks of rule_scope that hold a whole-area report:
--   DuckDB scanned the cell tables for the joins below even when ids was empty,
--   0.02 s for the first chunk of a store and 3 s for the last of 150,654 reports)
-- Output: report_id, rule, severity, status, where (VARCHAR[]), message, code
-- and args (schema 8; as in r6_carried_over).
-- Scope: findings only for the whole-area reports in the temporary table
-- rule_scope (report_id); only their parts' cells are read.
-- A cell's label (in args): where the two layouts word it differently
-- (处理决定数量 of 行政许可, 行政处罚 and 行政强制), the 2021 wording, whatever the
-- report's layout, as any_value over cell_labels' rows (2021 first) gave it.
-- Cost: the cells are read as "ids JOIN cells", so DuckDB builds its hash
-- table on the few ids and pushes their values into the scans of the cell
-- tables as a filter that skips every row group holding none of them
-- (Store.updateCrossRules raises dynamic_or_filter_threshold for that).
-- Written as "cells WHERE report_id IN (SELECT report_id FROM ids)", DuckDB
-- built its hash table on all of the cells instead: about 20 s a run on a
-- store of a million reports, whatever the scope.
WITH agg AS (
    SELECT r.report_id, r.report_year, r.division_code, aggregate_prefix(r.division_code) AS prefix
    FROM rule_scope s
    JOIN reports r ON r.report_id = s.report_id
    WHERE r.is_aggregate
),
parts AS (
    SELECT a.report_id AS agg_id, r.report_id AS part_id
    FROM agg a
    JOIN reports r ON NOT r.is_aggregate AND r.report_year = a.report_year
                  AND starts_with(r.division_code, a.prefix)
    WHERE a.prefix IS NOT NULL
),
ids AS (
    SELECT part_id AS report_id FROM parts
    UNION
    SELECT report_id FROM agg
),
cells AS (
    SELECT report_id, 'active.' || item_key || '.' || metric_key AS path, value
    FROM ids JOIN active_cells USING (report_id)
    UNION ALL
    SELECT report_id, 'applications.' || row_key || '.' || col_key, CAST(value AS DECIMAL(18,6))
    FROM ids JOIN application_cells USING (report_id)
    UNION ALL
    SELECT report_id, 'review_litigation.' || block_key || '.' || col_key, CAST(value AS DECIMAL(18,6))
    FROM ids JOIN review_cells USING (report_id)
),
nparts AS (
    SELECT agg_id, count(*) AS n FROM parts GROUP BY agg_id
),
sums AS (
    SELECT p.agg_id, c.path, sum(c.value) AS total, count(c.value) AS known
    FROM parts p
    JOIN cells c ON c.report_id = p.part_id
    GROUP BY p.agg_id, c.path
),
cmp AS (
    SELECT a.report_id, ac.path, ac.value AS stated, s.total, coalesce(s.known, 0) AS known, n.n
    FROM agg a
    JOIN nparts n ON n.agg_id = a.report_id
    JOIN cells ac ON ac.report_id = a.report_id
    LEFT JOIN sums s ON s.agg_id = a.report_id AND s.path = ac.path
)
SELECT report_id, 'R9' AS rule, 'warning' AS severity, 'failed' AS status,
       [path] AS "where",
       format('{} is {} but its {} parts add up to {}', path,
              CASE WHEN stated = trunc(stated) THEN CAST(CAST(stated AS BIGINT) AS VARCHAR) ELSE CAST(stated AS VARCHAR) END,
              n,
              CASE WHEN total = trunc(total) THEN CAST(CAST(total AS BIGINT) AS VARCHAR) ELSE CAST(total AS VARCHAR) END) AS message,
       'R9.unequal' AS code,
       json_object('path', path,
                   'label', (SELECT arg_max(row_label || '·' || col_label, format_version) FROM cell_labels l
                             WHERE l.section || '.' || l.row_key || '.' || l.col_key = path),
                   'stated', CASE WHEN stated = trunc(stated) THEN CAST(CAST(stated AS BIGINT) AS VARCHAR) ELSE CAST(stated AS VARCHAR) END,
                   'n', format('{}', n),
                   'sum', CASE WHEN total = trunc(total) THEN CAST(CAST(total AS BIGINT) AS VARCHAR) ELSE CAST(total AS VARCHAR) END)::VARCHAR AS args
FROM cmp
WHERE stated IS NOT NULL AND known = n AND stated <> total
UNION ALL
SELECT report_id, 'R9', 'info', 'not_checkable', list(path ORDER BY path),
       format('not checkable: {} cell(s) have a null in the whole-area report or in one of its {} parts',
              count(*), any_value(n)),
       'R9.null',
       json_object('cells', format('{}', count(*)), 'n', format('{}', any_value(n)))::VARCHAR
FROM cmp
WHERE stated IS NULL OR known < n
GROUP BY report_id
UNION ALL
SELECT a.report_id, 'R9', 'info', 'not_checkable', ['*'],
       CASE WHEN a.division_code IS NULL
            THEN 'not checkable: the whole-area report has no division'
            ELSE format('not checkable: no reports of {} for {} in the store to add up', a.division_code, a.report_year) END,
       CASE WHEN a.division_code IS NULL THEN 'R9.no_division' ELSE 'R9.no_parts' END,
       CASE WHEN a.division_code IS NULL THEN '{}'
            ELSE json_object('division', a.division_code, 'year', format('{}', a.report_year))::VARCHAR END
FROM agg a
LEFT JOIN nparts n ON n.agg_id = a.report_id
WHERE n.n IS NULL
