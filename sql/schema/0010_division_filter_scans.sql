-- Schema version 10: the levels rollup's division filter as one scan per
-- branch that filters report_facts itself, not a semi-join on ids.
--
-- Schema 7's level_report_ids found a division's report ids with one
-- narrow scan per branch (code prefix, province, city, county, township
-- name), and levels kept the report_facts rows among them with a
-- semi-join. The ids are few, but the semi-join's probe still reads every
-- column levels uses (about 35) across the id range they span, and a
-- city's reports of seven years span the whole table: at 963,617 reports
-- `SELECT * FROM report_facts WHERE report_id IN (SELECT report_id FROM
-- level_report_ids('3202'))` (2,135 rows) took 70–130 ms against 30–50 ms
-- for the same rows by `starts_with(division_code, '3202')` alone, and
-- levels for a city spent most of its time there.
--
-- level_reports has one scan of report_facts per branch, with the
-- branch's one-column condition, which DuckDB applies inside the scan
-- (zone maps, and the other columns fetched only for the rows that
-- match). A report is kept by the first branch it matches (level_branch),
-- so the UNION ALL holds each matching report once: exactly
-- level_report_ids' reports, in another order (levels groups and orders
-- them). That test reads several columns, so DuckDB cannot move it into
-- the scan, and it runs only on the rows a branch's own condition kept
-- (written as one NOT per earlier branch, each went into the scan and ran
-- on every row: 2.5 -> 28 ms for one branch). A branch whose value cannot
-- occur (a code where names are stored) is pruned by the column
-- statistics before it runs.
--
-- reports_in, which the other rollups read, keeps schema 9's semi-join:
-- they read fewer columns, and for their usual question (one county, one
-- year) the ids are a narrow range of the table, which the semi-join's
-- probe skips to: the same scans as here took 20 ms a county-year against
-- schema 9's 16.

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
