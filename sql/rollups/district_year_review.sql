-- name: district_year_review
-- description: Review and litigation by body, body kind, district and year. Administrative
--   review and litigation (section 四) by result, per
--   reporting body, with subtotals per body kind, district and year and a grand
--   total from one GROUPING SETS query. Aggregate (whole-area) reports are left out.
-- params: year, division
-- stored: none
--
-- Measures: for each block (review 行政复议, litigation_direct 未经复议直接起诉,
-- litigation_after_review 复议后起诉) its upheld 结果维持, corrected 结果纠正,
-- other 其他结果, pending 尚未审结 and total 总计, each summed over reports.
-- incomplete_reports counts reports with a NULL in any of these cells;
-- null_counts lists, per measure, how many reports left it NULL (SUM ignores
-- them, so that total is incomplete). Per-report measures come from
-- report_facts (schema 6), the rows of rollup_bodies. Rows, dimensions and level as in district_year.
-- Null counts as in district_year: count(*) - count(measure).
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
       CAST(sum(b.review_upheld) AS BIGINT) AS review_upheld,
       CAST(sum(b.review_corrected) AS BIGINT) AS review_corrected,
       CAST(sum(b.review_other) AS BIGINT) AS review_other,
       CAST(sum(b.review_pending) AS BIGINT) AS review_pending,
       CAST(sum(b.review_total) AS BIGINT) AS review_total,
       CAST(sum(b.litigation_direct_upheld) AS BIGINT) AS litigation_direct_upheld,
       CAST(sum(b.litigation_direct_corrected) AS BIGINT) AS litigation_direct_corrected,
       CAST(sum(b.litigation_direct_other) AS BIGINT) AS litigation_direct_other,
       CAST(sum(b.litigation_direct_pending) AS BIGINT) AS litigation_direct_pending,
       CAST(sum(b.litigation_direct_total) AS BIGINT) AS litigation_direct_total,
       CAST(sum(b.litigation_after_review_upheld) AS BIGINT) AS litigation_after_review_upheld,
       CAST(sum(b.litigation_after_review_corrected) AS BIGINT) AS litigation_after_review_corrected,
       CAST(sum(b.litigation_after_review_other) AS BIGINT) AS litigation_after_review_other,
       CAST(sum(b.litigation_after_review_pending) AS BIGINT) AS litigation_after_review_pending,
       CAST(sum(b.litigation_after_review_total) AS BIGINT) AS litigation_after_review_total,
       count(*) FILTER (WHERE b.review_upheld IS NULL
                           OR b.review_corrected IS NULL
                           OR b.review_other IS NULL
                           OR b.review_pending IS NULL
                           OR b.review_total IS NULL
                           OR b.litigation_direct_upheld IS NULL
                           OR b.litigation_direct_corrected IS NULL
                           OR b.litigation_direct_other IS NULL
                           OR b.litigation_direct_pending IS NULL
                           OR b.litigation_direct_total IS NULL
                           OR b.litigation_after_review_upheld IS NULL
                           OR b.litigation_after_review_corrected IS NULL
                           OR b.litigation_after_review_other IS NULL
                           OR b.litigation_after_review_pending IS NULL
                           OR b.litigation_after_review_total IS NULL) AS incomplete_reports,
       concat_ws(' ',
           CASE WHEN (count(*) - count(b.review_upheld)) > 0
                THEN 'review_upheld=' || (count(*) - count(b.review_upheld)) END,
           CASE WHEN (count(*) - count(b.review_corrected)) > 0
                THEN 'review_corrected=' || (count(*) - count(b.review_corrected)) END,
           CASE WHEN (count(*) - count(b.review_other)) > 0
                THEN 'review_other=' || (count(*) - count(b.review_other)) END,
           CASE WHEN (count(*) - count(b.review_pending)) > 0
                THEN 'review_pending=' || (count(*) - count(b.review_pending)) END,
           CASE WHEN (count(*) - count(b.review_total)) > 0
                THEN 'review_total=' || (count(*) - count(b.review_total)) END,
           CASE WHEN (count(*) - count(b.litigation_direct_upheld)) > 0
                THEN 'litigation_direct_upheld=' || (count(*) - count(b.litigation_direct_upheld)) END,
           CASE WHEN (count(*) - count(b.litigation_direct_corrected)) > 0
                THEN 'litigation_direct_corrected=' || (count(*) - count(b.litigation_direct_corrected)) END,
           CASE WHEN (count(*) - count(b.litigation_direct_other)) > 0
                THEN 'litigation_direct_other=' || (count(*) - count(b.litigation_direct_other)) END,
           CASE WHEN (count(*) - count(b.litigation_direct_pending)) > 0
                THEN 'litigation_direct_pending=' || (count(*) - count(b.litigation_direct_pending)) END,
           CASE WHEN (count(*) - count(b.litigation_direct_total)) > 0
                THEN 'litigation_direct_total=' || (count(*) - count(b.litigation_direct_total)) END,
           CASE WHEN (count(*) - count(b.litigation_after_review_upheld)) > 0
                THEN 'litigation_after_review_upheld=' || (count(*) - count(b.litigation_after_review_upheld)) END,
           CASE WHEN (count(*) - count(b.litigation_after_review_corrected)) > 0
                THEN 'litigation_after_review_corrected=' || (count(*) - count(b.litigation_after_review_corrected)) END,
           CASE WHEN (count(*) - count(b.litigation_after_review_other)) > 0
                THEN 'litigation_after_review_other=' || (count(*) - count(b.litigation_after_review_other)) END,
           CASE WHEN (count(*) - count(b.litigation_after_review_pending)) > 0
                THEN 'litigation_after_review_pending=' || (count(*) - count(b.litigation_after_review_pending)) END,
           CASE WHEN (count(*) - count(b.litigation_after_review_total)) > 0
                THEN 'litigation_after_review_total=' || (count(*) - count(b.litigation_after_review_total)) END
       ) AS null_counts
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
