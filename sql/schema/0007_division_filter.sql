-- Schema version 7: the division filter of the rollups as a semi-join on
-- report ids, so one county or city no longer costs a scan of every
-- report's measures.
--
-- reports_in (schema 4, on report_facts since schema 6) matched a division
-- with one OR over names, code prefix and organization substring:
--   p_division IN (county, city, province, concat(city, county),
--                  concat(province, city, county))
--   OR starts_with(division_code, p_division)
--   OR contains(organization, p_division)
-- DuckDB cannot push an OR across columns into the table scan, so it read
-- every column a rollup sums for all rows (a million at national scale)
-- and then filtered, computing two concat() per row on the way (117–550 ms
-- CPU for one county at 963,617 reports). The same rows are now found in
-- two steps:
--   1. division_report_ids(p_division): one narrow scan per branch of the
--      OR, each filter on one column so the scan applies it itself (zone
--      maps skip what cannot match; the two concat() only run on rows
--      whose county is a suffix of p_division), giving the matching ids;
--   2. reports_in keeps the report_facts rows whose id is among them: a
--      semi-join, whose ids DuckDB pushes into the scan of report_facts
--      (min/max and a bloom filter), so only the matching rows' measures
--      are read.
-- The union of the branches is exactly the old OR (a row matched by two
-- branches is still one row: IN is a semi-join), so every rollup's answer
-- is unchanged.

CREATE MACRO division_report_ids(p_division) AS TABLE
SELECT report_id FROM report_facts WHERE starts_with(division_code, p_division)
UNION ALL
SELECT report_id FROM report_facts WHERE county = p_division
UNION ALL
SELECT report_id FROM report_facts WHERE city = p_division
UNION ALL
SELECT report_id FROM report_facts WHERE province = p_division
UNION ALL
-- concat() treats NULL as '': city+county or province+city+county can
-- only equal p_division when p_division ends with the county (or the
-- county is NULL), which the scan checks first.
SELECT report_id FROM report_facts
WHERE ends_with(p_division, coalesce(county, ''))
  AND p_division IN (concat(city, county), concat(province, city, county))
UNION ALL
SELECT report_id FROM report_facts WHERE contains(organization, p_division);

-- reports_in(p_year, p_division): as in schema 4 (report_facts rows of
-- year p_year inside division p_division; NULL: every year, every body),
-- through division_report_ids.
CREATE OR REPLACE MACRO reports_in(p_year, p_division) AS TABLE
SELECT *
FROM report_facts
WHERE (p_year IS NULL OR report_year = p_year)
  AND (p_division IS NULL OR report_id IN (SELECT report_id FROM division_report_ids(p_division)));

-- level_report_ids(p_division): the reports the levels rollup keeps for
-- its $division (a name at any level, township included, or a code whose
-- trailing zeros of a province 370000 or city 371000 are dropped), the
-- same way.
CREATE MACRO level_report_ids(p_division) AS TABLE
SELECT report_id FROM report_facts
WHERE starts_with(division_code,
                  CASE WHEN regexp_full_match(p_division, '[0-9]{2}0000') THEN left(p_division, 2)
                       WHEN regexp_full_match(p_division, '[0-9]{4}00') THEN left(p_division, 4)
                       ELSE p_division END)
UNION ALL
SELECT report_id FROM report_facts WHERE province = p_division
UNION ALL
SELECT report_id FROM report_facts WHERE city = p_division
UNION ALL
SELECT report_id FROM report_facts WHERE county = p_division
UNION ALL
SELECT report_id FROM report_facts WHERE township = p_division;
