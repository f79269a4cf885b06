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
           CASE WHEN count(*) FILTER (WHERE b.requests_new IS NULL) > 0
                THEN 'requests_new=' || count(*) FILTER (WHERE b.requests_new IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE b.carried_over IS NULL) > 0
                THEN 'carried_over=' || count(*) FILTER (WHERE b.carried_over IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE b.disclosed IS NULL) > 0
                THEN 'outcome_1=' || count(*) FILTER (WHERE b.disclosed IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE b.partially IS NULL) > 0
                THEN 'outcome_2=' || count(*) FILTER (WHERE b.partially IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE b.withheld IS NULL) > 0
                THEN 'outcome_3=' || count(*) FILTER (WHERE b.withheld IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE b.no_info IS NULL) > 0
                THEN 'outcome_4=' || count(*) FILTER (WHERE b.no_info IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE b.not_handled IS NULL) > 0
                THEN 'outcome_5=' || count(*) FILTER (WHERE b.not_handled IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE b.other_handled IS NULL) > 0
                THEN 'outcome_6=' || count(*) FILTER (WHERE b.other_handled IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE b.handled IS NULL) > 0
                THEN 'outcome_7=' || count(*) FILTER (WHERE b.handled IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE b.carried_forward IS NULL) > 0
                THEN 'carried_forward=' || count(*) FILTER (WHERE b.carried_forward IS NULL) END
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
