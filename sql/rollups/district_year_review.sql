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
-- them, so that total is incomplete). Per-report measures come from the
-- report_measures view. Rows, dimensions and level as in district_year.
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
FROM rollup_bodies(CAST($year AS INTEGER), CAST($division AS VARCHAR)) b
LEFT JOIN report_measures v USING (report_id)
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
