-- name: district_year
-- description: Requests and outcomes by body, body kind, district and year. Information
--   requests and their outcomes (section 三, column 总计) per
--   reporting body, with subtotals per body kind (township-level bodies, county-level
--   bodies), per district and year, and a grand total, all from one GROUPING SETS
--   query. Whole-area (aggregate) reports are never summed with their parts.
-- params: year, division
--
-- Measures (per report from the report_measures view, then summed; SUM ignores
-- NULL, so null_* counts say how many reports of the row left that measure
-- unknown and its total is incomplete):
--   requests_new     = 1_new              carried_over = 2_carried_over
--   outcome_1        = disclosed: 3_1     outcome_2    = partially: 3_2
--   outcome_3        = withheld: Σ 3_3_*  (NULL if any part is NULL)
--   outcome_4        = no_info: Σ 3_4_*   (idem)
--   outcome_5        = not_handled: Σ 3_5_* (idem)
--   outcome_6        = other_handled: 3_6 (2019 layout) or Σ 3_6_* (2021 layout)
--   outcome_7        = handled: 3_7_total carried_forward = 4_carried_forward
-- Rows: rollup_bodies($year, $division) (aggregate reports left out).
-- Dimensions (report_bodies): district = reports.county, else the 区/县/旗
-- named in the organization; body_kind 'township' = a 镇/乡/街道 body (by
-- division fields, body_type, else the organization's name), 'county' = any
-- other body.
-- level (from GROUPING()): body | body_kind | district | year | total.
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
       CAST(sum(a.requests_new) AS BIGINT)                  AS requests_new,
       CAST(sum(a.carried_over) AS BIGINT)                  AS carried_over,
       CAST(sum(a.disclosed) AS BIGINT)                     AS outcome_1,
       CAST(sum(a.partially) AS BIGINT)                     AS outcome_2,
       CAST(sum(a.withheld) AS BIGINT)                      AS outcome_3,
       CAST(sum(a.no_info) AS BIGINT)                       AS outcome_4,
       CAST(sum(a.not_handled) AS BIGINT)                   AS outcome_5,
       CAST(sum(a.other_handled) AS BIGINT)                 AS outcome_6,
       CAST(sum(a.handled) AS BIGINT)                       AS outcome_7,
       CAST(sum(a.carried_forward) AS BIGINT)               AS carried_forward,
       count(*) FILTER (WHERE a.requests_new IS NULL OR a.carried_over IS NULL
                           OR a.disclosed IS NULL OR a.partially IS NULL
                           OR a.withheld IS NULL OR a.no_info IS NULL
                           OR a.not_handled IS NULL OR a.other_handled IS NULL
                           OR a.handled IS NULL OR a.carried_forward IS NULL) AS incomplete_reports,
       concat_ws(' ',
           CASE WHEN count(*) FILTER (WHERE a.requests_new IS NULL) > 0
                THEN 'requests_new=' || count(*) FILTER (WHERE a.requests_new IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.carried_over IS NULL) > 0
                THEN 'carried_over=' || count(*) FILTER (WHERE a.carried_over IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.disclosed IS NULL) > 0
                THEN 'outcome_1=' || count(*) FILTER (WHERE a.disclosed IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.partially IS NULL) > 0
                THEN 'outcome_2=' || count(*) FILTER (WHERE a.partially IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.withheld IS NULL) > 0
                THEN 'outcome_3=' || count(*) FILTER (WHERE a.withheld IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.no_info IS NULL) > 0
                THEN 'outcome_4=' || count(*) FILTER (WHERE a.no_info IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.not_handled IS NULL) > 0
                THEN 'outcome_5=' || count(*) FILTER (WHERE a.not_handled IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.other_handled IS NULL) > 0
                THEN 'outcome_6=' || count(*) FILTER (WHERE a.other_handled IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.handled IS NULL) > 0
                THEN 'outcome_7=' || count(*) FILTER (WHERE a.handled IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.carried_forward IS NULL) > 0
                THEN 'carried_forward=' || count(*) FILTER (WHERE a.carried_forward IS NULL) END
       )                                                    AS null_counts
FROM rollup_bodies(CAST($year AS INTEGER), CAST($division AS VARCHAR)) b
LEFT JOIN report_measures a USING (report_id)
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
