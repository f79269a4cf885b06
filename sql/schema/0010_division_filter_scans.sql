-- Schema version 10: the division filter as scans that filter report_facts
-- themselves, not a semi-join on ids.
--
-- Schemas 7 and 9 found a division's report ids with one narrow scan per
-- branch of the filter and kept the report_facts rows among them with a
-- semi-join. The ids are few, but the semi-join's probe still scans every
-- column the rollup reads across the id range they span, and a city's
-- reports of seven years span the whole table: at 963,617 reports
-- `SELECT * FROM reports_in(NULL, '3202')` (2,135 rows) took 70–130 ms
-- against 30–50 ms for the same rows by `starts_with(division_code, ...)`
-- alone, and levels for that city spent most of its time there.
--
-- Each branch is now its own scan of report_facts with its one-column
-- condition, which DuckDB applies inside the scan (zone maps, and the
-- other columns fetched only for the rows that match). A report is kept by
-- the first branch it matches (division_branch, below), so the UNION ALL
-- holds each matching report once: exactly the rows of schema 9's
-- `report_id IN (...)`, in another order (every caller groups or orders
-- them). That test reads several columns, so DuckDB cannot move it into
-- the scan, and it only runs on the rows a branch's own condition kept
-- (written as one NOT per earlier branch instead, each went into the scan
-- and ran on every row: 2.5 → 28 ms for one branch). A branch whose value
-- cannot occur (a code where names are stored) is pruned by the column
-- statistics before it runs.
--
-- division_branch: the first branch of reports_in's division filter that a
-- report matches, 1 to 6, or NULL for none (a NULL condition is no match).
CREATE MACRO division_branch(p_division, division_code, county, city, province, organization) AS
    CASE WHEN starts_with(division_code, p_division) THEN 1
         WHEN county = p_division THEN 2
         WHEN city = p_division THEN 3
         WHEN province = p_division THEN 4
         WHEN ends_with(p_division, coalesce(county, ''))
              AND p_division IN (concat(city, county), concat(province, city, county)) THEN 5
         WHEN contains(organization, p_division) THEN 6 END;

-- reports_in(p_year, p_division): report_facts rows of year p_year (NULL:
-- every year) inside division p_division (NULL: every body): a code
-- prefix, a county, city or province name, city+county or
-- province+city+county, or part of the organization.
CREATE OR REPLACE MACRO reports_in(p_year, p_division) AS TABLE
SELECT * FROM report_facts
WHERE p_division IS NULL AND (p_year IS NULL OR report_year = p_year)
UNION ALL
SELECT * FROM report_facts
WHERE (p_year IS NULL OR report_year = p_year)
  AND starts_with(division_code, p_division)
UNION ALL
SELECT * FROM report_facts
WHERE (p_year IS NULL OR report_year = p_year) AND county = p_division
  AND division_branch(p_division, division_code, county, city, province, organization) = 2
UNION ALL
SELECT * FROM report_facts
WHERE (p_year IS NULL OR report_year = p_year) AND city = p_division
  AND division_branch(p_division, division_code, county, city, province, organization) = 3
UNION ALL
SELECT * FROM report_facts
WHERE (p_year IS NULL OR report_year = p_year) AND province = p_division
  AND division_branch(p_division, division_code, county, city, province, organization) = 4
UNION ALL
-- Branches 5 and 6 test what no scan can test itself (a suffix and two
-- concat(), a substring): as branches like the others they read every
-- column for every row (158 and 50 ms for one county at 963,617 reports),
-- so each finds its ids in a narrow scan of its own, and those ids' rows
-- are kept by a semi-join. For a code or a plain name, the usual question,
-- the ids are none and the semi-join costs next to nothing.
SELECT * FROM report_facts
WHERE (p_year IS NULL OR report_year = p_year)
  AND report_id IN (
      SELECT report_id FROM (
          SELECT report_id, division_code, county, city, province, organization FROM report_facts
          WHERE (p_year IS NULL OR report_year = p_year)
            AND ends_with(p_division, coalesce(county, ''))
            AND p_division IN (concat(city, county), concat(province, city, county))
          UNION ALL
          SELECT report_id, division_code, county, city, province, organization FROM report_facts
          WHERE (p_year IS NULL OR report_year = p_year)
            AND contains(organization, p_division))
      WHERE division_branch(p_division, division_code, county, city, province, organization) IN (5, 6));

-- level_code_prefix(p): the code prefix a levels $division means: a
-- province code 370000 or a city code 371000 without its trailing zeros.
CREATE MACRO level_code_prefix(p) AS
    CASE WHEN regexp_full_match(p, '[0-9]{2}0000') THEN left(p, 2)
         WHEN regexp_full_match(p, '[0-9]{4}00') THEN left(p, 4)
         ELSE p END;

-- level_branch: the first branch of level_reports that a report matches.
CREATE MACRO level_branch(p_division, division_code, province, city, county, township) AS
    CASE WHEN starts_with(division_code, level_code_prefix(p_division)) THEN 1
         WHEN province = p_division THEN 2
         WHEN city = p_division THEN 3
         WHEN county = p_division THEN 4
         WHEN township = p_division THEN 5 END;

-- level_reports(p_division): the report_facts rows the levels rollup keeps
-- for its $division (a name at any level, township included, or a code
-- whose trailing zeros of a province 370000 or city 371000 are dropped);
-- schema 7's level_report_ids gave their ids, and stays for analysts.
CREATE MACRO level_reports(p_division) AS TABLE
SELECT * FROM report_facts
WHERE p_division IS NULL
UNION ALL
SELECT * FROM report_facts
WHERE starts_with(division_code, level_code_prefix(p_division))
UNION ALL
SELECT * FROM report_facts
WHERE province = p_division
  AND level_branch(p_division, division_code, province, city, county, township) = 2
UNION ALL
SELECT * FROM report_facts
WHERE city = p_division
  AND level_branch(p_division, division_code, province, city, county, township) = 3
UNION ALL
SELECT * FROM report_facts
WHERE county = p_division
  AND level_branch(p_division, division_code, province, city, county, township) = 4
UNION ALL
SELECT * FROM report_facts
WHERE township = p_division
  AND level_branch(p_division, division_code, province, city, county, township) = 5;
