-- name: district_year
-- description: Requests and outcomes by body, body kind, district and year. Information
--   requests and their outcomes (section 三, column 总计) per
--   reporting body, with subtotals per body kind (township-level bodies, county-level
--   bodies), per district and year, and a grand total, all from one GROUPING SETS
--   query. Whole-area (aggregate) reports are never summed with their parts.
-- params: year, division
-- stored: none
--   (kept whole at ingest, schema 11: a year's rows alone would not give the
--   grand total over the years)
--
-- Measures (per report from report_facts, schema 6, then summed; SUM ignores
-- NULL, so null_* counts say how many reports of the row left that measure
-- unknown and its total is incomplete):
--   requests_new     = 1_new              carried_over = 2_carried_over
--   outcome_1        = disclosed: 3_1     outcome_2    = partially: 3_2
--   outcome_3        = withheld: Σ 3_3_*  (NULL if any part is NULL)
--   outcome_4        = no_info: Σ 3_4_*   (idem)
--   outcome_5        = not_handled: Σ 3_5_* (idem)
--   outcome_6        = other_handled: 3_6 (2019 layout) or Σ 3_6_* (2021 layout)
--   outcome_7        = handled: 3_7_total carried_forward = 4_carried_forward
-- Rows: rollup_bodies($year, $division): report_facts rows, aggregate reports
-- left out; one table read, nothing joined.
-- Dimensions (report_bodies): district = reports.county, else the 区/县/旗
-- named in the organization; body_kind 'township' = a 镇/乡/街道 body (by
-- division fields, body_type, else the organization's name), 'county' = any
-- other body.
-- level (from GROUPING()): body | body_kind | district | year | total.
-- A measure's null count is count(*) - count(measure) (count skips NULL):
-- the same number as count(*) FILTER (WHERE measure IS NULL), which DuckDB
-- evaluates as one more filter per measure (a county's district_year,
-- 963,617 reports, statement kept: 22–24 → 15–22 ms, 1 December).
SELECT CASE WHEN GROUPING(b.report_year) = 1 THEN 'total'
            WHEN GROUPING(b.district) = 1 THEN 'year'
            WHEN GROUPING(b.body_kind) = 1 THEN 'district'
            WHEN GROUPING(b.organization) = 1 THEN 'body_kind'
            ELSE 'body' END                                 AS level,
       b.report_year                                        AS year,
       b.district,
       b.body_kind,
       b.organization,
       count(*)                                             AS reports,
       CAST(sum(b.requests_new) AS BIGINT)                  AS requests_new,
       CAST(sum(b.carried_over) AS BIGINT)                  AS carried_over,
       CAST(sum(b.disclosed) AS BIGINT)                     AS outcome_1,
       CAST(sum(b.partially) AS BIGINT)                     AS outcome_2,
       CAST(sum(b.withheld) AS BIGINT)                      AS outcome_3,
       CAST(sum(b.no_info) AS BIGINT)                       AS outcome_4,
       CAST(sum(b.not_handled) AS BIGINT)                   AS outcome_5,
       CAST(sum(b.other_handled) AS BIGINT)                 AS outcome_6,
       CAST(sum(b.handled) AS BIGINT)                       AS outcome_7,
       CAST(sum(b.carried_forward) AS BIGINT)               AS carried_forward,
       count(*) FILTER (WHERE b.requests_new IS NULL OR b.carried_over IS NULL
                           OR b.disclosed IS NULL OR b.partially IS NULL
                           OR b.withheld IS NULL OR b.no_info IS NULL
                           OR b.not_handled IS NULL OR b.other_handled IS NULL
                           OR b.handled IS NULL OR b.carried_forward IS NULL) AS incomplete_reports,
       concat_ws(' ',
           CASE WHEN (count(*) - count(b.requests_new)) > 0
                THEN 'requests_new=' || (count(*) - count(b.requests_new)) END,
           CASE WHEN (count(*) - count(b.carried_over)) > 0
                THEN 'carried_over=' || (count(*) - count(b.carried_over)) END,
           CASE WHEN (count(*) - count(b.disclosed)) > 0
                THEN 'outcome_1=' || (count(*) - count(b.disclosed)) END,
           CASE WHEN (count(*) - count(b.partially)) > 0
                THEN 'outcome_2=' || (count(*) - count(b.partially)) END,
           CASE WHEN (count(*) - count(b.withheld)) > 0
                THEN 'outcome_3=' || (count(*) - count(b.withheld)) END,
           CASE WHEN (count(*) - count(b.no_info)) > 0
                THEN 'outcome_4=' || (count(*) - count(b.no_info)) END,
           CASE WHEN (count(*) - count(b.not_handled)) > 0
                THEN 'outcome_5=' || (count(*) - count(b.not_handled)) END,
           CASE WHEN (count(*) - count(b.other_handled)) > 0
                THEN 'outcome_6=' || (count(*) - count(b.other_handled)) END,
           CASE WHEN (count(*) - count(b.handled)) > 0
                THEN 'outcome_7=' || (count(*) - count(b.handled)) END,
           CASE WHEN (count(*) - count(b.carried_forward)) > 0
                THEN 'carried_forward=' || (count(*) - count(b.carried_forward)) END
       )                                                    AS null_counts
FROM rollup_bodies(CAST($year AS INTEGER), CAST($division AS VARCHAR)) b
GROUP BY GROUPING SETS (
    (b.report_year, b.district, b.body_kind, b.organization),
    (b.report_year, b.district, b.body_kind),
    (b.report_year, b.district),
    (b.report_year),
    ()
)
ORDER BY GROUPING(b.report_year), b.report_year,
         GROUPING(b.district), b.district,
         GROUPING(b.body_kind), b.body_kind DESC,
         GROUPING(b.organization), b.organization;
