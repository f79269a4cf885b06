-- Schema version 3: shared per-report views, so the rollups
-- (sql/rollups/*.sql), the cross-report rules (sql/rules/*.sql) and the
-- compilation (sql/compile_*.sql) derive each grouping and each measure in
-- one place. Both views have exactly one row per stored report.
--
-- The division fields of reports are set at ingest by the Go resolver
-- (division.Resolver, from the organization's name, --district or a
-- manifest); it leaves them NULL when it cannot place a body. The name
-- patterns below are only the fallback for such unplaced reports, used for
-- grouping; they never write back into reports.

-- report_bodies: who wrote each report and how the analyses group it.
--   report_id, report_year, organization, format_version, province, city,
--   county, township, division_code, body_type, is_aggregate
--                  as in reports.
--   body_key       the same body across years (R6, R7, compile_expected):
--                  for a government or street office (body_type
--                  township_government, street_office, county_government,
--                  city_government, province_government) or a whole-area
--                  report, all with a division code: the code, body type,
--                  township and is_aggregate joined by '|' (its name may be
--                  spelled differently from year to year); for any other
--                  body 'org|' + the organization as printed.
--   district       county, else the 区/县/旗 named in the organization,
--                  else '(unknown)'.
--   body_kind      'township' for a 镇/乡/街道 body (township set, or
--                  body_type township_government or street_office, or the
--                  organization ends in 镇/乡/街道 + 人民政府/办事处/党委),
--                  'county' for any other body.
--   township_name  township, else the 镇/乡/街道 named in the organization,
--                  else the organization (meaningful for body_kind
--                  'township').
CREATE VIEW report_bodies AS
SELECT r.report_id, r.report_year, r.organization, r.format_version,
       r.province, r.city, r.county, r.township,
       r.division_code, r.body_type, r.is_aggregate,
       CASE WHEN r.division_code IS NOT NULL
             AND (r.body_type IN ('township_government', 'street_office', 'county_government',
                                  'city_government', 'province_government')
                  OR r.is_aggregate)
            THEN r.division_code || '|' || coalesce(r.body_type, '') || '|' || coalesce(r.township, '')
                 || '|' || CAST(r.is_aggregate AS VARCHAR)
            ELSE 'org|' || r.organization END AS body_key,
       coalesce(r.county,
                nullif(regexp_extract(r.organization, '([^省市州盟区县旗]{1,10}?[区县旗])', 1), ''),
                '(unknown)') AS district,
       CASE WHEN r.township IS NOT NULL
              OR r.body_type IN ('township_government', 'street_office')
              OR regexp_matches(r.organization, '(镇|乡|街道)(人民政府|办事处|党委)')
            THEN 'township' ELSE 'county' END AS body_kind,
       coalesce(r.township,
                nullif(regexp_extract(r.organization, '([^省市州盟区县旗]{1,10}?(?:镇|乡|街道))(?:人民政府|办事处|党委)', 1), ''),
                r.organization) AS township_name
FROM reports r;

-- rollup_bodies(p_year, p_division): the report_bodies rows a rollup sums
-- for its $year and $division parameters. Whole-area (aggregate) reports
-- are always left out (never summed with their parts). p_year NULL: every
-- year. p_division NULL: every body; else a body matches when p_division is
-- its county, city or province name, city+county or province+city+county
-- (威海市文登区), a prefix of its division code, or a part of its
-- organization's name. (Schema 4 redefines it on reports_in, with the
-- same rows, so the filter is written once.)
CREATE MACRO rollup_bodies(p_year, p_division) AS TABLE
SELECT *
FROM report_bodies
WHERE NOT is_aggregate
  AND (p_year IS NULL OR report_year = p_year)
  AND (p_division IS NULL
       OR p_division IN (county, city, province, concat(city, county), concat(province, city, county))
       OR starts_with(division_code, p_division)
       OR contains(organization, p_division));

-- report_measures: every measure the rollups sum, per report. A measure is
-- NULL when the report leaves its cell NULL or lacks the cell (no cells of
-- that section at all: every measure of the section is NULL); a sum of
-- parts is NULL when any part is NULL. Integer measures keep the type of
-- their expression (BIGINT for one cell, HUGEINT for a sum of cells);
-- callers cast their totals.
-- Section 三 (application_cells, column total):
--   requests_new = 1_new · carried_over = 2_carried_over
--   disclosed = 3_1_disclosed · partially = 3_2_partially
--   withheld = Σ 3_3_* · no_info = Σ 3_4_* · not_handled = Σ 3_5_*
--   other_handled = 3_6 (2019 layout) or Σ 3_6_* (2021 layout)
--   handled = 3_7_total · carried_forward = 4_carried_forward
-- Section 四 (review_cells), results upheld 结果维持, corrected 结果纠正,
-- other 其他结果, pending 尚未审结, total 总计, per block:
--   review_<result>                   行政复议
--   litigation_direct_<result>        行政诉讼 未经复议直接起诉
--   litigation_after_review_<result>  行政诉讼 复议后起诉
--   litigation_<result>               Σ of both litigation blocks
-- Section 二 (active_cells):
--   docs_issued = Σ 规章 + 规范性文件 本年制发 (2021) or 本年新制作 (2019)
--   docs_in_force = Σ 规章 + 规范性文件 现行有效件数 (2021 only)
--   licensing, punishment, enforcement = 处理决定数量 of 行政许可, 行政处罚, 行政强制
CREATE VIEW report_measures AS
WITH app AS (
    SELECT c.report_id,
           max(c.value) FILTER (WHERE c.row_key = '1_new')             AS requests_new,
           max(c.value) FILTER (WHERE c.row_key = '2_carried_over')    AS carried_over,
           max(c.value) FILTER (WHERE c.row_key = '3_1_disclosed')     AS disclosed,
           max(c.value) FILTER (WHERE c.row_key = '3_2_partially')     AS partially,
           CASE WHEN bool_and(c.value IS NOT NULL) FILTER (WHERE starts_with(c.row_key, '3_3_'))
                THEN sum(c.value) FILTER (WHERE starts_with(c.row_key, '3_3_')) END AS withheld,
           CASE WHEN bool_and(c.value IS NOT NULL) FILTER (WHERE starts_with(c.row_key, '3_4_'))
                THEN sum(c.value) FILTER (WHERE starts_with(c.row_key, '3_4_')) END AS no_info,
           CASE WHEN bool_and(c.value IS NOT NULL) FILTER (WHERE starts_with(c.row_key, '3_5_'))
                THEN sum(c.value) FILTER (WHERE starts_with(c.row_key, '3_5_')) END AS not_handled,
           CASE WHEN count(*) FILTER (WHERE c.row_key = '3_6') > 0
                THEN max(c.value) FILTER (WHERE c.row_key = '3_6')
                WHEN bool_and(c.value IS NOT NULL) FILTER (WHERE starts_with(c.row_key, '3_6_'))
                THEN sum(c.value) FILTER (WHERE starts_with(c.row_key, '3_6_')) END AS other_handled,
           max(c.value) FILTER (WHERE c.row_key = '3_7_total')         AS handled,
           max(c.value) FILTER (WHERE c.row_key = '4_carried_forward') AS carried_forward
    FROM application_cells c
    WHERE c.col_key = 'total'
    GROUP BY c.report_id
),
rev AS (
    SELECT report_id,
           max(value) FILTER (WHERE block_key = 'review' AND col_key = 'upheld')    AS review_upheld,
           max(value) FILTER (WHERE block_key = 'review' AND col_key = 'corrected') AS review_corrected,
           max(value) FILTER (WHERE block_key = 'review' AND col_key = 'other')     AS review_other,
           max(value) FILTER (WHERE block_key = 'review' AND col_key = 'pending')   AS review_pending,
           max(value) FILTER (WHERE block_key = 'review' AND col_key = 'total')     AS review_total,
           max(value) FILTER (WHERE block_key = 'litigation_direct' AND col_key = 'upheld')    AS litigation_direct_upheld,
           max(value) FILTER (WHERE block_key = 'litigation_direct' AND col_key = 'corrected') AS litigation_direct_corrected,
           max(value) FILTER (WHERE block_key = 'litigation_direct' AND col_key = 'other')     AS litigation_direct_other,
           max(value) FILTER (WHERE block_key = 'litigation_direct' AND col_key = 'pending')   AS litigation_direct_pending,
           max(value) FILTER (WHERE block_key = 'litigation_direct' AND col_key = 'total')     AS litigation_direct_total,
           max(value) FILTER (WHERE block_key = 'litigation_after_review' AND col_key = 'upheld')    AS litigation_after_review_upheld,
           max(value) FILTER (WHERE block_key = 'litigation_after_review' AND col_key = 'corrected') AS litigation_after_review_corrected,
           max(value) FILTER (WHERE block_key = 'litigation_after_review' AND col_key = 'other')     AS litigation_after_review_other,
           max(value) FILTER (WHERE block_key = 'litigation_after_review' AND col_key = 'pending')   AS litigation_after_review_pending,
           max(value) FILTER (WHERE block_key = 'litigation_after_review' AND col_key = 'total')     AS litigation_after_review_total,
           CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE block_key <> 'review' AND col_key = 'upheld')
                THEN sum(value) FILTER (WHERE block_key <> 'review' AND col_key = 'upheld') END    AS litigation_upheld,
           CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE block_key <> 'review' AND col_key = 'corrected')
                THEN sum(value) FILTER (WHERE block_key <> 'review' AND col_key = 'corrected') END AS litigation_corrected,
           CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE block_key <> 'review' AND col_key = 'other')
                THEN sum(value) FILTER (WHERE block_key <> 'review' AND col_key = 'other') END     AS litigation_other,
           CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE block_key <> 'review' AND col_key = 'pending')
                THEN sum(value) FILTER (WHERE block_key <> 'review' AND col_key = 'pending') END   AS litigation_pending,
           CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE block_key <> 'review' AND col_key = 'total')
                THEN sum(value) FILTER (WHERE block_key <> 'review' AND col_key = 'total') END     AS litigation_total
    FROM review_cells
    GROUP BY report_id
),
act AS (
    SELECT report_id,
           CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE item_key IN ('regulations', 'normative_documents')
                                                          AND metric_key IN ('issued', 'new_made'))
                THEN sum(value) FILTER (WHERE item_key IN ('regulations', 'normative_documents')
                                         AND metric_key IN ('issued', 'new_made')) END AS docs_issued,
           CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE item_key IN ('regulations', 'normative_documents')
                                                          AND metric_key = 'in_force')
                THEN sum(value) FILTER (WHERE item_key IN ('regulations', 'normative_documents')
                                         AND metric_key = 'in_force') END AS docs_in_force,
           max(value) FILTER (WHERE item_key = 'licensing' AND metric_key = 'decisions')   AS licensing,
           max(value) FILTER (WHERE item_key = 'punishment' AND metric_key = 'decisions')  AS punishment,
           max(value) FILTER (WHERE item_key = 'enforcement' AND metric_key = 'decisions') AS enforcement
    FROM active_cells
    GROUP BY report_id
)
SELECT r.report_id,
       app.* EXCLUDE (report_id),
       rev.* EXCLUDE (report_id),
       act.* EXCLUDE (report_id)
FROM reports r
LEFT JOIN app USING (report_id)
LEFT JOIN rev USING (report_id)
LEFT JOIN act USING (report_id);
