-- name: district_year_active
-- description: Proactive disclosure by district, body kind and year (long form). Proactive
--   disclosure (section 二) per district and year in long form:
--   one row per layout item and metric (规章 本年制发件数...), summed over the
--   bodies of each body kind, with district and year subtotals from one GROUPING
--   SETS query. The 2019 and 2021 layouts ask different metrics, so format_version
--   is part of every row. Aggregate (whole-area) reports are left out.
-- params: year, division
--
-- Measures: value = sum of the cell over reports (money in the unit of its label,
-- e.g. 万元 for 2021 fees, 元 for 2019 procurement); reports = reports of the
-- row that have the cell; null_reports = those of them that left it NULL (SUM
-- ignores them, so value is incomplete when null_reports > 0).
-- Rows, district and body_kind as in district_year (rollup_bodies, report_bodies).
-- level (from GROUPING()): body_kind | district | year.
WITH cell AS (
    SELECT b.report_year, b.format_version, b.district, b.body_kind,
           c.item_key, c.metric_key, c.value,
           coalesce(l.row_order, 0) AS row_order,
           coalesce(l.col_order, 0) AS col_order,
           l.row_label, l.col_label
    FROM rollup_bodies(CAST($year AS INTEGER), CAST($division AS VARCHAR)) b
    JOIN active_cells c USING (report_id)
    LEFT JOIN cell_labels l
      ON l.format_version = b.format_version AND l.section = 'active'
     AND l.row_key = c.item_key AND l.col_key = c.metric_key
)
SELECT CASE WHEN GROUPING(district) = 1 THEN 'year'
            WHEN GROUPING(body_kind) = 1 THEN 'district'
            ELSE 'body_kind' END AS level,
       report_year AS year,
       district,
       body_kind,
       format_version,
       item_key,
       metric_key,
       any_value(row_label) AS item_label,
       any_value(col_label) AS metric_label,
       CAST(sum(value) AS DECIMAL(18, 6)) AS value,
       count(*) AS reports,
       count(*) FILTER (WHERE value IS NULL) AS null_reports
FROM cell
GROUP BY GROUPING SETS (
    (report_year, format_version, district, body_kind, item_key, metric_key, row_order, col_order),
    (report_year, format_version, district, item_key, metric_key, row_order, col_order),
    (report_year, format_version, item_key, metric_key, row_order, col_order)
)
ORDER BY report_year, format_version,
         GROUPING(district), district,
         GROUPING(body_kind), body_kind DESC,
         row_order, col_order, item_key, metric_key;
