-- Schema version 2: the public long-form views analysts query.
--
-- One row per cell, null kept (a NULL value is a cell the report did not
-- state). Every view carries the report's identity and division fields so
-- a query rarely needs a join, and the official Chinese labels of both
-- layouts from cell_labels. Keys are uniform across the three views:
-- row_key / col_key (section 二: item / metric; section 四: block / result).

CREATE VIEW applications AS
SELECT c.report_id,
       r.organization, r.report_year, r.format_version,
       r.province, r.city, r.county, r.township,
       r.division_code, r.body_type, r.is_aggregate,
       c.row_key, l.row_label, l.row_group, l.row_order,
       c.col_key, l.col_label, l.col_order,
       c.value,
       c.source_loc, c.source_raw
FROM application_cells c
JOIN reports r USING (report_id)
LEFT JOIN cell_labels l
  ON l.format_version = r.format_version AND l.section = 'applications'
 AND l.row_key = c.row_key AND l.col_key = c.col_key;

CREATE VIEW active_disclosure AS
SELECT c.report_id,
       r.organization, r.report_year, r.format_version,
       r.province, r.city, r.county, r.township,
       r.division_code, r.body_type, r.is_aggregate,
       c.item_key AS row_key, l.row_label, l.row_group, l.row_order,
       c.metric_key AS col_key, l.col_label, l.col_order,
       l.kind,                       -- count | signed | money
       c.value,                      -- DECIMAL(18,6); money in the unit of the label
       c.source_loc, c.source_raw
FROM active_cells c
JOIN reports r USING (report_id)
LEFT JOIN cell_labels l
  ON l.format_version = r.format_version AND l.section = 'active'
 AND l.row_key = c.item_key AND l.col_key = c.metric_key;

CREATE VIEW review_litigation AS
SELECT c.report_id,
       r.organization, r.report_year, r.format_version,
       r.province, r.city, r.county, r.township,
       r.division_code, r.body_type, r.is_aggregate,
       c.block_key AS row_key, l.row_label, l.row_group, l.row_order,
       c.col_key, l.col_label, l.col_order,
       c.value,
       c.source_loc, c.source_raw
FROM review_cells c
JOIN reports r USING (report_id)
LEFT JOIN cell_labels l
  ON l.format_version = r.format_version AND l.section = 'review_litigation'
 AND l.row_key = c.block_key AND l.col_key = c.col_key;
