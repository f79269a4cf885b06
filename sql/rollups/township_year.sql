-- name: township_year
-- description: Requests and outcomes by township and year. Information requests and
--   their outcomes (section 三, column 总计) per
--   township-level body (镇, 乡, 街道) and year, with each township's all-years
--   subtotal, each district's per-year subtotal over its townships and a grand
--   total, from one GROUPING SETS query. County-level bodies and aggregate
--   (whole-area) reports are left out.
-- params: year, division
--
-- Measures, incomplete_reports and null_counts as in district_year.
-- Rows: rollup_bodies($year, $division) with body_kind 'township';
-- township = report_bodies.township_name (reports.township, else the
-- 镇/乡/街道 named in the organization).
-- level (from GROUPING()): township_year | township | district_year | total.
WITH b AS (
    SELECT * EXCLUDE (township), township_name AS township
    FROM rollup_bodies(CAST($year AS INTEGER), CAST($division AS VARCHAR))
    WHERE body_kind = 'township'
)
-- Null counts as in district_year: count(*) - count(measure).
SELECT CASE WHEN GROUPING(b.district) = 1 THEN 'total'
            WHEN GROUPING(b.township) = 0 AND GROUPING(b.report_year) = 0 THEN 'township_year'
            WHEN GROUPING(b.township) = 0 THEN 'township'
            ELSE 'district_year' END                        AS level,
       b.district,
       b.township,
       b.report_year                                        AS year,
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
FROM b
GROUP BY GROUPING SETS (
    (b.district, b.township, b.report_year),
    (b.district, b.township),
    (b.district, b.report_year),
    ()
)
ORDER BY GROUPING(b.district), b.district,
         GROUPING(b.township), b.township,
         GROUPING(b.report_year), b.report_year;
