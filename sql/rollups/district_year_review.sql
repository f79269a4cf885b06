-- name: district_year_review
-- description: Review and litigation by body, body kind, district and year. Administrative
--   review and litigation (section 四) by result, per
--   reporting body, with subtotals per body kind, district and year and a grand
--   total from one GROUPING SETS query. Aggregate (whole-area) reports are left out.
-- params: year, division
--
-- Measures: for each block (review 行政复议, litigation_direct 未经复议直接起诉,
-- litigation_after_review 复议后起诉) its upheld 结果维持, corrected 结果纠正,
-- other 其他结果, pending 尚未审结 and total 总计, each summed over reports.
-- incomplete_reports counts reports with a NULL in any of these cells;
-- null_counts lists, per measure, how many reports left it NULL (SUM ignores
-- them, so that total is incomplete). Dimensions and level as in district_year.
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
rev AS (
    SELECT c.report_id,
           max(c.value) FILTER (WHERE c.block_key = 'review' AND c.col_key = 'upheld') AS review_upheld,
           max(c.value) FILTER (WHERE c.block_key = 'review' AND c.col_key = 'corrected') AS review_corrected,
           max(c.value) FILTER (WHERE c.block_key = 'review' AND c.col_key = 'other') AS review_other,
           max(c.value) FILTER (WHERE c.block_key = 'review' AND c.col_key = 'pending') AS review_pending,
           max(c.value) FILTER (WHERE c.block_key = 'review' AND c.col_key = 'total') AS review_total,
           max(c.value) FILTER (WHERE c.block_key = 'litigation_direct' AND c.col_key = 'upheld') AS litigation_direct_upheld,
           max(c.value) FILTER (WHERE c.block_key = 'litigation_direct' AND c.col_key = 'corrected') AS litigation_direct_corrected,
           max(c.value) FILTER (WHERE c.block_key = 'litigation_direct' AND c.col_key = 'other') AS litigation_direct_other,
           max(c.value) FILTER (WHERE c.block_key = 'litigation_direct' AND c.col_key = 'pending') AS litigation_direct_pending,
           max(c.value) FILTER (WHERE c.block_key = 'litigation_direct' AND c.col_key = 'total') AS litigation_direct_total,
           max(c.value) FILTER (WHERE c.block_key = 'litigation_after_review' AND c.col_key = 'upheld') AS litigation_after_review_upheld,
           max(c.value) FILTER (WHERE c.block_key = 'litigation_after_review' AND c.col_key = 'corrected') AS litigation_after_review_corrected,
           max(c.value) FILTER (WHERE c.block_key = 'litigation_after_review' AND c.col_key = 'other') AS litigation_after_review_other,
           max(c.value) FILTER (WHERE c.block_key = 'litigation_after_review' AND c.col_key = 'pending') AS litigation_after_review_pending,
           max(c.value) FILTER (WHERE c.block_key = 'litigation_after_review' AND c.col_key = 'total') AS litigation_after_review_total
    FROM review_cells c
    GROUP BY c.report_id
)
SELECT CASE WHEN GROUPING(b.report_year) = 1 THEN 'total'
            WHEN GROUPING(b.district) = 1 THEN 'year'
            WHEN GROUPING(b.body_kind) = 1 THEN 'district'
            WHEN GROUPING(b.organization) = 1 THEN 'body_kind'
            ELSE 'body' END AS level,
       b.report_year AS year,
       b.district,
       b.body_kind,
       b.organization,
       count(*) AS reports,
       CAST(sum(v.review_upheld) AS BIGINT) AS review_upheld,
       CAST(sum(v.review_corrected) AS BIGINT) AS review_corrected,
       CAST(sum(v.review_other) AS BIGINT) AS review_other,
       CAST(sum(v.review_pending) AS BIGINT) AS review_pending,
       CAST(sum(v.review_total) AS BIGINT) AS review_total,
       CAST(sum(v.litigation_direct_upheld) AS BIGINT) AS litigation_direct_upheld,
       CAST(sum(v.litigation_direct_corrected) AS BIGINT) AS litigation_direct_corrected,
       CAST(sum(v.litigation_direct_other) AS BIGINT) AS litigation_direct_other,
       CAST(sum(v.litigation_direct_pending) AS BIGINT) AS litigation_direct_pending,
       CAST(sum(v.litigation_direct_total) AS BIGINT) AS litigation_direct_total,
       CAST(sum(v.litigation_after_review_upheld) AS BIGINT) AS litigation_after_review_upheld,
       CAST(sum(v.litigation_after_review_corrected) AS BIGINT) AS litigation_after_review_corrected,
       CAST(sum(v.litigation_after_review_other) AS BIGINT) AS litigation_after_review_other,
       CAST(sum(v.litigation_after_review_pending) AS BIGINT) AS litigation_after_review_pending,
       CAST(sum(v.litigation_after_review_total) AS BIGINT) AS litigation_after_review_total,
       count(*) FILTER (WHERE v.review_upheld IS NULL
                           OR v.review_corrected IS NULL
                           OR v.review_other IS NULL
                           OR v.review_pending IS NULL
                           OR v.review_total IS NULL
                           OR v.litigation_direct_upheld IS NULL
                           OR v.litigation_direct_corrected IS NULL
                           OR v.litigation_direct_other IS NULL
                           OR v.litigation_direct_pending IS NULL
                           OR v.litigation_direct_total IS NULL
                           OR v.litigation_after_review_upheld IS NULL
                           OR v.litigation_after_review_corrected IS NULL
                           OR v.litigation_after_review_other IS NULL
                           OR v.litigation_after_review_pending IS NULL
                           OR v.litigation_after_review_total IS NULL) AS incomplete_reports,
       concat_ws(' ',
           CASE WHEN count(*) FILTER (WHERE v.review_upheld IS NULL) > 0
                THEN 'review_upheld=' || count(*) FILTER (WHERE v.review_upheld IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE v.review_corrected IS NULL) > 0
                THEN 'review_corrected=' || count(*) FILTER (WHERE v.review_corrected IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE v.review_other IS NULL) > 0
                THEN 'review_other=' || count(*) FILTER (WHERE v.review_other IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE v.review_pending IS NULL) > 0
                THEN 'review_pending=' || count(*) FILTER (WHERE v.review_pending IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE v.review_total IS NULL) > 0
                THEN 'review_total=' || count(*) FILTER (WHERE v.review_total IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE v.litigation_direct_upheld IS NULL) > 0
                THEN 'litigation_direct_upheld=' || count(*) FILTER (WHERE v.litigation_direct_upheld IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE v.litigation_direct_corrected IS NULL) > 0
                THEN 'litigation_direct_corrected=' || count(*) FILTER (WHERE v.litigation_direct_corrected IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE v.litigation_direct_other IS NULL) > 0
                THEN 'litigation_direct_other=' || count(*) FILTER (WHERE v.litigation_direct_other IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE v.litigation_direct_pending IS NULL) > 0
                THEN 'litigation_direct_pending=' || count(*) FILTER (WHERE v.litigation_direct_pending IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE v.litigation_direct_total IS NULL) > 0
                THEN 'litigation_direct_total=' || count(*) FILTER (WHERE v.litigation_direct_total IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE v.litigation_after_review_upheld IS NULL) > 0
                THEN 'litigation_after_review_upheld=' || count(*) FILTER (WHERE v.litigation_after_review_upheld IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE v.litigation_after_review_corrected IS NULL) > 0
                THEN 'litigation_after_review_corrected=' || count(*) FILTER (WHERE v.litigation_after_review_corrected IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE v.litigation_after_review_other IS NULL) > 0
                THEN 'litigation_after_review_other=' || count(*) FILTER (WHERE v.litigation_after_review_other IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE v.litigation_after_review_pending IS NULL) > 0
                THEN 'litigation_after_review_pending=' || count(*) FILTER (WHERE v.litigation_after_review_pending IS NULL) END,
           CASE WHEN count(*) FILTER (WHERE v.litigation_after_review_total IS NULL) > 0
                THEN 'litigation_after_review_total=' || count(*) FILTER (WHERE v.litigation_after_review_total IS NULL) END
       ) AS null_counts
FROM body b
LEFT JOIN rev v USING (report_id)
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
