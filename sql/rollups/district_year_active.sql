-- name: district_year_active
-- description: Proactive disclosure by district, body kind and year (long form). Proactive
--   disclosure (section 二) per district and year in long form:
--   one row per layout item and metric (规章 本年制发件数...), summed over the
--   bodies of each body kind, with district and year subtotals from one GROUPING
--   SETS query. The 2019 and 2021 layouts ask different metrics, so format_version
--   is part of every row. Aggregate (whole-area) reports are left out.
-- params: year, division
-- stored: year
-- stored by: year
--
-- Kept (schema 11, README "Kept answers"): its answer with no parameters, one
-- table per year made with $year bound. Every grouping set holds the year and
-- the answer is ordered by year first, so a year's part is exactly the whole
-- answer's rows of that year. The labels it joins are part of the kept
-- answer's hash (store.labelsDigest). TestKeptAnswersEqualTheSQL checks it.
--
-- Measures: value = sum of the cell over reports (money in the unit of its label,
-- e.g. 万元 for 2021 fees, 元 for 2019 procurement); reports = reports of the
-- row that have the cell; null_reports = those of them that left it NULL (SUM
-- ignores them, so value is incomplete when null_reports > 0).
-- Rows, district and body_kind as in district_year (rollup_bodies, report_bodies).
-- level (from GROUPING()): body_kind | district | year.
-- How: report_facts (schema 6) holds every section 二 cell of both layouts as
-- a column a_<item>__<metric>; the reports are summed per grouping set in
-- one pass (one struct of sum and null count per column), then unpivoted
-- to one row per cell and kept where cell_labels lists the cell for the
-- row's layout (a 2021 report's 2019-only columns are not its cells).
WITH agg AS (
    SELECT GROUPING(district) AS g_district, GROUPING(body_kind) AS g_kind,
           report_year, format_version, district, body_kind,
           count(*) AS n,
           struct_pack(v := sum(COLUMNS('^a_(.*)$')), nulls := count_if(COLUMNS('^a_(.*)$') IS NULL)) AS '\1'
    FROM rollup_bodies(CAST($year AS INTEGER), CAST($division AS VARCHAR))
    GROUP BY GROUPING SETS (
        (report_year, format_version, district, body_kind),
        (report_year, format_version, district),
        (report_year, format_version)
    )
),
cell AS (
    SELECT g_district, g_kind, report_year, format_version, district, body_kind, n,
           split_part(cell, '__', 1) AS item_key, split_part(cell, '__', 2) AS metric_key,
           s.v AS value, s.nulls AS null_reports
    FROM (UNPIVOT agg
          ON COLUMNS(* EXCLUDE (g_district, g_kind, report_year, format_version, district, body_kind, n))
          INTO NAME cell VALUE s)
)
SELECT CASE WHEN c.g_district = 1 THEN 'year'
            WHEN c.g_kind = 1 THEN 'district'
            ELSE 'body_kind' END AS level,
       c.report_year AS year,
       c.district,
       c.body_kind,
       c.format_version,
       c.item_key,
       c.metric_key,
       l.row_label AS item_label,
       l.col_label AS metric_label,
       CAST(c.value AS DECIMAL(18, 6)) AS value,
       c.n AS reports,
       CAST(c.null_reports AS BIGINT) AS null_reports
FROM cell c
JOIN cell_labels l
  ON l.format_version = c.format_version AND l.section = 'active'
 AND l.row_key = c.item_key AND l.col_key = c.metric_key
ORDER BY c.report_year, c.format_version,
         c.g_district, c.district,
         c.g_kind, c.body_kind DESC,
         l.row_order, l.col_order, c.item_key, c.metric_key;
