-- Schema version 4: the year and division filter of the rollups, written
-- once for all of them (findings and findings_summary count whole-area
-- reports too, the measure rollups leave them out).

-- reports_in(p_year, p_division): the report_bodies rows (whole-area
-- reports included) of year p_year inside division p_division. p_year
-- NULL: every year. p_division NULL: every body; else a body matches when
-- p_division is its county, city or province name, city+county or
-- province+city+county (威海市文登区), a prefix of its division code, or a
-- part of its organization's name.
CREATE MACRO reports_in(p_year, p_division) AS TABLE
SELECT *
FROM report_bodies
WHERE (p_year IS NULL OR report_year = p_year)
  AND (p_division IS NULL
       OR p_division IN (county, city, province, concat(city, county), concat(province, city, county))
       OR starts_with(division_code, p_division)
       OR contains(organization, p_division));

-- rollup_bodies(p_year, p_division) (schema 3), now defined on
-- reports_in: the same rows without whole-area (aggregate) reports, which
-- are never summed with their parts.
CREATE OR REPLACE MACRO rollup_bodies(p_year, p_division) AS TABLE
SELECT *
FROM reports_in(p_year, p_division)
WHERE NOT is_aggregate;
