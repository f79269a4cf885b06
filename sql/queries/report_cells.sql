-- Every table cell of a stored report ($id) with where it was read:
-- section, row (item/block) key, column (metric) key, value, source_loc,
-- source_raw. Counts are cast to the DECIMAL of section 二 so one column
-- holds every value.
SELECT 'active' AS section, item_key, metric_key, value, source_loc, source_raw
FROM active_cells WHERE report_id = $id
UNION ALL
SELECT 'applications', row_key, col_key, CAST(value AS DECIMAL(18,6)), source_loc, source_raw
FROM application_cells WHERE report_id = $id
UNION ALL
SELECT 'review_litigation', block_key, col_key, CAST(value AS DECIMAL(18,6)), source_loc, source_raw
FROM review_cells WHERE report_id = $id
