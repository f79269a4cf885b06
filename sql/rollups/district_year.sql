-- name: district_year
-- description: Requests and outcomes by body, body kind, district and year. Information
--   requests and their outcomes (section 三, column 总计) per
--   reporting body, with subtotals per body kind (township-level bodies, county-level
--   bodies), per district and year, and a grand total, all from one GROUPING SETS
--   query. Whole-area (aggregate) reports are never summed with their parts.
-- params: year, division
--
-- Measures (per report, then summed; SUM ignores NULL, so null_* counts say how
-- many reports of the row left that measure unknown and its total is incomplete):
--   requests_new     = 1_new              carried_over = 2_carried_over
--   outcome_1        = 3_1_disclosed      outcome_2    = 3_2_partially
--   outcome_3        = sum of 3_3_1..3_3_8 (NULL if any part is NULL)
--   outcome_4        = sum of 3_4_1..3_4_3 (idem)
--   outcome_5        = sum of 3_5_1..3_5_5 (idem)
--   outcome_6        = 3_6 (2019 layout) or sum of 3_6_1..3_6_3 (2021 layout)
--   outcome_7        = 3_7_total          carried_forward = 4_carried_forward
-- Dimensions: district = reports.county, else the 区/县/旗 named in the
-- organization; body_kind 'township' = a 镇/乡/街道 body (by division fields,
-- body_type, else the organization's name), 'county' = any other body.
-- level (from GROUPING()): body | body_kind | district | year | total.
WITH body AS (
    SELECT r.report_id,
           r.report_year,
           r.organization,
           coalesce(r.county,
                    nullif(regexp_extract(r.organization, '([^省市州盟区县旗]{1,10}?[区县旗])', 1), ''),
                    '(unknown)') AS district,
           CASE WHEN r.township IS NOT NULL
                  OR r.body_type IN ('township_government', 'street_office')
                  OR regexp_matches(r.organization, '(镇|乡|街道)(人民政府|办事处|党委)')
                THEN 'township' ELSE 'county' END AS body_kind
    FROM reports r
    WHERE NOT r.is_aggregate
      AND (CAST($year AS INTEGER) IS NULL OR r.report_year = CAST($year AS INTEGER))
      AND (CAST($division AS VARCHAR) IS NULL
           OR CAST($division AS VARCHAR) IN (r.county, r.city, r.province,
                                    concat(r.city, r.county), concat(r.province, r.city, r.county))
           OR starts_with(r.division_code, CAST($division AS VARCHAR))
           OR contains(r.organization, CAST($division AS VARCHAR)))
),
app AS (
    SELECT c.report_id,
           max(c.value) FILTER (WHERE c.row_key = '1_new')             AS requests_new,
           max(c.value) FILTER (WHERE c.row_key = '2_carried_over')    AS carried_over,
           max(c.value) FILTER (WHERE c.row_key = '3_1_disclosed')     AS outcome_1,
           max(c.value) FILTER (WHERE c.row_key = '3_2_partially')     AS outcome_2,
           CASE WHEN bool_and(c.value IS NOT NULL) FILTER (WHERE starts_with(c.row_key, '3_3_'))
                THEN sum(c.value) FILTER (WHERE starts_with(c.row_key, '3_3_')) END AS outcome_3,
           CASE WHEN bool_and(c.value IS NOT NULL) FILTER (WHERE starts_with(c.row_key, '3_4_'))
                THEN sum(c.value) FILTER (WHERE starts_with(c.row_key, '3_4_')) END AS outcome_4,
           CASE WHEN bool_and(c.value IS NOT NULL) FILTER (WHERE starts_with(c.row_key, '3_5_'))
                THEN sum(c.value) FILTER (WHERE starts_with(c.row_key, '3_5_')) END AS outcome_5,
           CASE WHEN count(*) FILTER (WHERE c.row_key = '3_6') > 0
                THEN max(c.value) FILTER (WHERE c.row_key = '3_6')
                WHEN bool_and(c.value IS NOT NULL) FILTER (WHERE starts_with(c.row_key, '3_6_'))
                THEN sum(c.value) FILTER (WHERE starts_with(c.row_key, '3_6_')) END AS outcome_6,
           max(c.value) FILTER (WHERE c.row_key = '3_7_total')         AS outcome_7,
           max(c.value) FILTER (WHERE c.row_key = '4_carried_forward') AS carried_forward
    FROM application_cells c
    WHERE c.col_key = 'total'
    GROUP BY c.report_id
)
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
       CAST(sum(a.outcome_1) AS BIGINT)                     AS outcome_1,
       CAST(sum(a.outcome_2) AS BIGINT)                     AS outcome_2,
       CAST(sum(a.outcome_3) AS BIGINT)                     AS outcome_3,
       CAST(sum(a.outcome_4) AS BIGINT)                     AS outcome_4,
       CAST(sum(a.outcome_5) AS BIGINT)                     AS outcome_5,
       CAST(sum(a.outcome_6) AS BIGINT)                     AS outcome_6,
       CAST(sum(a.outcome_7) AS BIGINT)                     AS outcome_7,
       CAST(sum(a.carried_forward) AS BIGINT)               AS carried_forward,
       count(*) FILTER (WHERE a.requests_new IS NULL OR a.carried_over IS NULL
                           OR a.outcome_1 IS NULL OR a.outcome_2 IS NULL
                           OR a.outcome_3 IS NULL OR a.outcome_4 IS NULL
                           OR a.outcome_5 IS NULL OR a.outcome_6 IS NULL
                           OR a.outcome_7 IS NULL OR a.carried_forward IS NULL) AS incomplete_reports,
       concat_ws(' ',
           CASE WHEN count(*) FILTER (WHERE a.requests_new IS NULL) > 0
                THEN 'requests_new=' || count(*) FILTER (WHERE a.requests_new IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.carried_over IS NULL) > 0
                THEN 'carried_over=' || count(*) FILTER (WHERE a.carried_over IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.outcome_1 IS NULL) > 0
                THEN 'outcome_1=' || count(*) FILTER (WHERE a.outcome_1 IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.outcome_2 IS NULL) > 0
                THEN 'outcome_2=' || count(*) FILTER (WHERE a.outcome_2 IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.outcome_3 IS NULL) > 0
                THEN 'outcome_3=' || count(*) FILTER (WHERE a.outcome_3 IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.outcome_4 IS NULL) > 0
                THEN 'outcome_4=' || count(*) FILTER (WHERE a.outcome_4 IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.outcome_5 IS NULL) > 0
                THEN 'outcome_5=' || count(*) FILTER (WHERE a.outcome_5 IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.outcome_6 IS NULL) > 0
                THEN 'outcome_6=' || count(*) FILTER (WHERE a.outcome_6 IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.outcome_7 IS NULL) > 0
                THEN 'outcome_7=' || count(*) FILTER (WHERE a.outcome_7 IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE a.carried_forward IS NULL) > 0
                THEN 'carried_forward=' || count(*) FILTER (WHERE a.carried_forward IS NULL) END
       )                                                    AS null_counts
FROM body b
LEFT JOIN app a USING (report_id)
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
