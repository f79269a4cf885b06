-- Schema version 12: a division given as digits is a division code, in
-- every rollup, as it already was in levels.
--
-- Until now reports_in (every rollup but levels, and the report list) took
-- a digit string as a code prefix as it was written, or as part of an
-- organization's name, while levels (schema 10's level_code_prefix) read
-- 370000 as 山东省 and 371000 as 威海市. So `--division 371000` gave
-- levels the whole city and district_year only the reports whose code is
-- 371000 itself (the city's own departments), and 320000 gave
-- district_year nothing: the same parameter, two answers. Codes with their
-- trailing zeros are what the web page, division listings and dashboards
-- pass.
--
-- Now a division of digits only matches by code, with a province's or
-- city's trailing zeros dropped (level_code_prefix), and nothing else; any
-- other division matches names at each level, city+county,
-- province+city+county and part of the organization's name, as before.
-- No name holds a code (names are Chinese), so a code loses no report it
-- matched by name; an organization whose name holds digits (…12345热线) is
-- found by a part of its name that is not only digits.
--
-- It is also cheaper. A code is now a filter inside the scan of
-- report_facts itself (its reports' other columns are read only where it
-- matches), where schema 9's semi-join on their ids read every column a
-- rollup sums across the range of ids the county's seven years span, most
-- of the table; and it no longer scans every organization for contains()
-- nor the name columns. The guards use only the parameter, so DuckDB
-- decides them once per chunk and the branch that cannot match reads
-- nothing. A name still finds its reports' ids first (schema 9). At
-- 963,617 reports (rollup.Run, mean of 15, two alternations of the macros,
-- 1 December): one county by code, district_year 45.8 / 45.4 → 27.2 /
-- 32.2 ms, township_year 39.6 / 43.7 → 28.8 / 31.7 ms; by name and over the
-- whole nation within the noise.

-- division_is_code(p): p is a division code (digits only).
CREATE MACRO division_is_code(p) AS regexp_full_match(p, '[0-9]+');

CREATE OR REPLACE MACRO division_report_ids_in(p_year, p_division) AS TABLE
SELECT report_id FROM report_facts
WHERE division_is_code(p_division)
  AND (p_year IS NULL OR report_year = p_year)
  AND starts_with(division_code, level_code_prefix(p_division))
UNION ALL
SELECT report_id FROM report_facts
WHERE NOT division_is_code(p_division)
  AND (p_year IS NULL OR report_year = p_year) AND county = p_division
UNION ALL
SELECT report_id FROM report_facts
WHERE NOT division_is_code(p_division)
  AND (p_year IS NULL OR report_year = p_year) AND city = p_division
UNION ALL
SELECT report_id FROM report_facts
WHERE NOT division_is_code(p_division)
  AND (p_year IS NULL OR report_year = p_year) AND province = p_division
UNION ALL
SELECT report_id FROM report_facts
WHERE NOT division_is_code(p_division)
  AND (p_year IS NULL OR report_year = p_year)
  AND ends_with(p_division, coalesce(county, ''))
  AND p_division IN (concat(city, county), concat(province, city, county))
UNION ALL
SELECT report_id FROM report_facts
WHERE NOT division_is_code(p_division)
  AND (p_year IS NULL OR report_year = p_year) AND contains(organization, p_division);

-- reports_in(p_year, p_division): as in schema 9, but a code filters
-- report_facts directly; only a name goes through division_report_ids_in.
CREATE OR REPLACE MACRO reports_in(p_year, p_division) AS TABLE
SELECT * FROM report_facts
WHERE p_division IS NULL AND (p_year IS NULL OR report_year = p_year)
UNION ALL
SELECT * FROM report_facts
WHERE division_is_code(p_division) AND (p_year IS NULL OR report_year = p_year)
  AND starts_with(division_code, level_code_prefix(p_division))
UNION ALL
SELECT * FROM report_facts
WHERE NOT division_is_code(p_division) AND (p_year IS NULL OR report_year = p_year)
  AND report_id IN (SELECT report_id FROM division_report_ids_in(p_year, p_division));
