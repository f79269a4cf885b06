-- name: levels
-- description: Every level of the divisions in one result: each body, then township,
--   county, city, province and nation subtotals (GROUPING SETS, labelled by GROUPING()), plus
--   subtotals by body type per county and nationwide; by year. Measures are the requests and
--   their outcomes (section 三, column 总计), rates, review and litigation results with the
--   correction rate, active-disclosure counts, the change on the previous year and each
--   body's rank within its county. Whole-area (aggregate) reports are never summed.
-- params: year, division, level
-- stored: year, level
-- stored by: year
--
-- Kept (schema 11, README "Kept answers"): its answer with no parameters, one
-- table per year made with $year bound. That holds because with $year the
-- query reads that year and the one before (the *_prev columns) and answers
-- exactly the whole answer's rows of the year, which is ordered by year first;
-- TestKeptAnswersEqualTheSQL checks it.
--
-- level: body | township | county | city | province | nation | county_by_type | nation_by_type
-- Division fields that a body lacks (a county department has no township) read
-- '(county level)', '(city level)', '(province level)'; an unresolved body
-- '(unresolved)'. $division: a name at any level (文登区, 威海市) or a code
-- (371003, 371000, 37).
--
-- Measures (per report from report_facts, schema 6, then summed; SUM skips NULL):
--   requests_new = 1_new · carried_over = 2_carried_over · carried_forward = 4_carried_forward
--   disclosed = 3_1 · partially = 3_2 · withheld = Σ 3_3_* · no_info = Σ 3_4_* ·
--   not_handled = Σ 3_5_* · other_handled = 3_6 (2019) or Σ 3_6_* · handled = 3_7_total
--   (a sum of parts is NULL when any part is NULL)
--   review_* = 行政复议 upheld/corrected/other/pending/total;
--   litigation_* = 行政诉讼, 未经复议直接起诉 + 复议后起诉
--   docs_issued = 规章 + 规范性文件 本年制发 (2021) or 本年新制作 (2019);
--   docs_in_force = 现行有效件数 (2021 only); licensing, punishment, enforcement = 处理决定数量
--   incomplete = reports of the row with a NULL in any request measure
-- Rates (over the reports where every operand is known, 4 decimals):
--   disclosure_rate 公开率 = (disclosed + partially) / handled
--   withheld_rate 不予公开率 = withheld / handled · no_info_rate 无法提供率 = no_info / handled
--   not_handled_rate 不予处理率 = not_handled / handled
--   review_correction_rate = review_corrected / (review_upheld + review_corrected + review_other)
--   litigation_correction_rate likewise over both litigation blocks
-- Change: *_prev is the same row for the year before, *_change = this − prev.
-- rank_requests / rank_disclosure: body rows only, within (year, county).
--
-- $level is applied where each level is made, not only to the answer: a
-- level's rows and their previous year (the self-join below pairs rows of
-- one level) come from its own branch of g, so --level county neither
-- projects a million body rows nor joins them (at 963,617 reports the
-- whole nation's county level took 3.3 s with the filter on the answer
-- only). Ranks are unchanged: they partition by level.
WITH m AS (
    -- report_facts (schema 6): each report's divisions and measures in one row.
    SELECT r.* EXCLUDE (report_year, body_type, province, city, county, township),
           r.report_year AS year,
           coalesce(r.body_type, '(unknown)') AS body_type,
           coalesce(r.province, '(unresolved)') AS province,
           coalesce(r.city, CASE WHEN r.province IS NULL THEN '(unresolved)' ELSE '(province level)' END) AS city,
           coalesce(r.county, CASE WHEN r.province IS NULL THEN '(unresolved)'
                                   WHEN r.city IS NULL THEN '(province level)' ELSE '(city level)' END) AS county,
           coalesce(r.township, CASE WHEN r.province IS NULL THEN '(unresolved)'
                                     WHEN r.city IS NULL THEN '(province level)'
                                     WHEN r.county IS NULL THEN '(city level)' ELSE '(county level)' END) AS township
    -- level_reports (schema 10): the division's names at any level or its
    -- code, each a scan that filters report_facts itself.
    FROM level_reports(CAST($division AS VARCHAR)) r
    WHERE NOT r.is_aggregate
      AND (CAST($year AS INTEGER) IS NULL
           OR r.report_year IN (CAST($year AS INTEGER), CAST($year AS INTEGER) - 1))
),
t AS (
    -- The finest grain every grouping set above the body is made of:
    -- (year, divisions, body type). Sums of sums are the sums (the measures
    -- are BIGINT, so exact), and each rate carries its numerator and
    -- denominator, FILTERed on its operands being known, to be summed up
    -- and divided only at the set. The seven sets then group these rows,
    -- not the reports: a city's 2,135 reports of seven years are 832 rows
    -- here, the whole nation's 963,617 about a third as many.
    SELECT year, province, city, county, township, body_type,
           count(*) AS reports,
           count(*) FILTER (WHERE requests_new IS NULL OR carried_over IS NULL OR disclosed IS NULL
                               OR partially IS NULL OR withheld IS NULL OR no_info IS NULL
                               OR not_handled IS NULL OR other_handled IS NULL OR handled IS NULL
                               OR carried_forward IS NULL) AS incomplete,
           sum(requests_new) AS requests_new, sum(carried_over) AS carried_over,
           sum(disclosed) AS disclosed, sum(partially) AS partially, sum(withheld) AS withheld,
           sum(no_info) AS no_info, sum(not_handled) AS not_handled,
           sum(other_handled) AS other_handled, sum(handled) AS handled,
           sum(carried_forward) AS carried_forward,
           sum(disclosed + partially) FILTER (WHERE disclosed IS NOT NULL AND partially IS NOT NULL AND handled IS NOT NULL) AS disclosure_num,
           sum(handled) FILTER (WHERE disclosed IS NOT NULL AND partially IS NOT NULL AND handled IS NOT NULL) AS disclosure_den,
           sum(withheld) FILTER (WHERE withheld IS NOT NULL AND handled IS NOT NULL) AS withheld_num,
           sum(handled) FILTER (WHERE withheld IS NOT NULL AND handled IS NOT NULL) AS withheld_den,
           sum(no_info) FILTER (WHERE no_info IS NOT NULL AND handled IS NOT NULL) AS no_info_num,
           sum(handled) FILTER (WHERE no_info IS NOT NULL AND handled IS NOT NULL) AS no_info_den,
           sum(not_handled) FILTER (WHERE not_handled IS NOT NULL AND handled IS NOT NULL) AS not_handled_num,
           sum(handled) FILTER (WHERE not_handled IS NOT NULL AND handled IS NOT NULL) AS not_handled_den,
           sum(review_upheld) AS review_upheld, sum(review_corrected) AS review_corrected,
           sum(review_other) AS review_other, sum(review_pending) AS review_pending,
           sum(review_total) AS review_total,
           sum(review_corrected) FILTER (WHERE review_upheld IS NOT NULL AND review_corrected IS NOT NULL AND review_other IS NOT NULL) AS review_num,
           sum(review_upheld + review_corrected + review_other) AS review_den,
           sum(litigation_upheld) AS litigation_upheld, sum(litigation_corrected) AS litigation_corrected,
           sum(litigation_other) AS litigation_other, sum(litigation_pending) AS litigation_pending,
           sum(litigation_total) AS litigation_total,
           sum(litigation_corrected) FILTER (WHERE litigation_upheld IS NOT NULL AND litigation_corrected IS NOT NULL AND litigation_other IS NOT NULL) AS litigation_num,
           sum(litigation_upheld + litigation_corrected + litigation_other) AS litigation_den,
           sum(docs_issued) AS docs_issued, sum(docs_in_force) AS docs_in_force,
           sum(licensing) AS licensing, sum(punishment) AS punishment, sum(enforcement) AS enforcement
    FROM m
    WHERE CAST($level AS VARCHAR) IS NULL OR CAST($level AS VARCHAR) <> 'body'
    GROUP BY year, province, city, county, township, body_type
),
g AS (
    -- The body level is one row per report: Put keeps one report per
    -- organization and year (its replacement key), so grouping by
    -- (year, divisions, organization, body_type) would make a group of
    -- each row. It is computed as a projection of those rows (a grouping
    -- of ~1M groups cost 8.0 s of levels' 26.8 s CPU at 963,617 reports,
    -- the projection 1.4 s), with the same values and types the grouping
    -- gave: a sum of one value is the value, a count 1 or 0, and a rate
    -- FILTERed on its operands being known is NULL when one is not.
    SELECT 'body' AS level,
           year, province, city, county, township, body_type, organization,
           CAST(0 AS BIGINT) AS g_province, CAST(0 AS BIGINT) AS g_city, CAST(0 AS BIGINT) AS g_county,
           CAST(0 AS BIGINT) AS g_township, CAST(0 AS BIGINT) AS g_org, CAST(0 AS BIGINT) AS g_type,
           CAST(1 AS BIGINT) AS reports,
           CAST(CASE WHEN requests_new IS NULL OR carried_over IS NULL OR disclosed IS NULL
                       OR partially IS NULL OR withheld IS NULL OR no_info IS NULL
                       OR not_handled IS NULL OR other_handled IS NULL OR handled IS NULL
                       OR carried_forward IS NULL THEN 1 ELSE 0 END AS BIGINT) AS incomplete,
           CAST(requests_new AS BIGINT)    AS requests_new,
           CAST(carried_over AS BIGINT)    AS carried_over,
           CAST(disclosed AS BIGINT)       AS disclosed,
           CAST(partially AS BIGINT)       AS partially,
           CAST(withheld AS BIGINT)        AS withheld,
           CAST(no_info AS BIGINT)         AS no_info,
           CAST(not_handled AS BIGINT)     AS not_handled,
           CAST(other_handled AS BIGINT)   AS other_handled,
           CAST(handled AS BIGINT)         AS handled,
           CAST(carried_forward AS BIGINT) AS carried_forward,
           round((disclosed + partially) / nullif(handled, 0), 4) AS disclosure_rate,
           round(withheld / nullif(handled, 0), 4)    AS withheld_rate,
           round(no_info / nullif(handled, 0), 4)     AS no_info_rate,
           round(not_handled / nullif(handled, 0), 4) AS not_handled_rate,
           CAST(review_upheld AS BIGINT)    AS review_upheld,
           CAST(review_corrected AS BIGINT) AS review_corrected,
           CAST(review_other AS BIGINT)     AS review_other,
           CAST(review_pending AS BIGINT)   AS review_pending,
           CAST(review_total AS BIGINT)     AS review_total,
           round(review_corrected / nullif(review_upheld + review_corrected + review_other, 0), 4) AS review_correction_rate,
           CAST(litigation_upheld AS BIGINT)    AS litigation_upheld,
           CAST(litigation_corrected AS BIGINT) AS litigation_corrected,
           CAST(litigation_other AS BIGINT)     AS litigation_other,
           CAST(litigation_pending AS BIGINT)   AS litigation_pending,
           CAST(litigation_total AS BIGINT)     AS litigation_total,
           round(litigation_corrected / nullif(litigation_upheld + litigation_corrected + litigation_other, 0), 4) AS litigation_correction_rate,
           CAST(docs_issued AS BIGINT)   AS docs_issued,
           CAST(docs_in_force AS BIGINT) AS docs_in_force,
           CAST(licensing AS BIGINT)     AS licensing,
           CAST(punishment AS BIGINT)    AS punishment,
           CAST(enforcement AS BIGINT)   AS enforcement,
           -- Ranks among the county's bodies of the year, taken here on the
           -- body rows alone rather than over every level's rows after the
           -- join (the same partitions: a rank is only given to body rows),
           -- which cost two window passes over wide rows.
           rank() OVER (PARTITION BY year, province, city, county
                        ORDER BY requests_new DESC NULLS LAST) AS rank_requests,
           rank() OVER (PARTITION BY year, province, city, county
                        ORDER BY round((disclosed + partially) / nullif(handled, 0), 4) DESC NULLS LAST) AS rank_disclosure
    FROM m
    WHERE CAST($level AS VARCHAR) IS NULL OR CAST($level AS VARCHAR) = 'body'
    UNION ALL
    SELECT * FROM (
    -- Every other level: the grouping sets above the body, over t's
    -- sums rather than the reports themselves.
    SELECT CASE WHEN GROUPING(township) = 0 THEN 'township'
                WHEN GROUPING(county) = 0 AND GROUPING(body_type) = 0 THEN 'county_by_type'
                WHEN GROUPING(county) = 0 THEN 'county'
                WHEN GROUPING(city) = 0 THEN 'city'
                WHEN GROUPING(province) = 0 THEN 'province'
                WHEN GROUPING(body_type) = 0 THEN 'nation_by_type'
                ELSE 'nation' END AS level,
           year, province, city, county, township, body_type, CAST(NULL AS VARCHAR) AS organization,
           GROUPING(province) AS g_province, GROUPING(city) AS g_city, GROUPING(county) AS g_county,
           GROUPING(township) AS g_township, CAST(1 AS BIGINT) AS g_org, GROUPING(body_type) AS g_type,
           CAST(sum(reports) AS BIGINT)         AS reports,
           CAST(sum(incomplete) AS BIGINT)      AS incomplete,
           CAST(sum(requests_new) AS BIGINT)    AS requests_new,
           CAST(sum(carried_over) AS BIGINT)    AS carried_over,
           CAST(sum(disclosed) AS BIGINT)       AS disclosed,
           CAST(sum(partially) AS BIGINT)       AS partially,
           CAST(sum(withheld) AS BIGINT)        AS withheld,
           CAST(sum(no_info) AS BIGINT)         AS no_info,
           CAST(sum(not_handled) AS BIGINT)     AS not_handled,
           CAST(sum(other_handled) AS BIGINT)   AS other_handled,
           CAST(sum(handled) AS BIGINT)         AS handled,
           CAST(sum(carried_forward) AS BIGINT) AS carried_forward,
           round(sum(disclosure_num) / nullif(sum(disclosure_den), 0), 4)   AS disclosure_rate,
           round(sum(withheld_num) / nullif(sum(withheld_den), 0), 4)       AS withheld_rate,
           round(sum(no_info_num) / nullif(sum(no_info_den), 0), 4)         AS no_info_rate,
           round(sum(not_handled_num) / nullif(sum(not_handled_den), 0), 4) AS not_handled_rate,
           CAST(sum(review_upheld) AS BIGINT)    AS review_upheld,
           CAST(sum(review_corrected) AS BIGINT) AS review_corrected,
           CAST(sum(review_other) AS BIGINT)     AS review_other,
           CAST(sum(review_pending) AS BIGINT)   AS review_pending,
           CAST(sum(review_total) AS BIGINT)     AS review_total,
           round(sum(review_num) / nullif(sum(review_den), 0), 4) AS review_correction_rate,
           CAST(sum(litigation_upheld) AS BIGINT)    AS litigation_upheld,
           CAST(sum(litigation_corrected) AS BIGINT) AS litigation_corrected,
           CAST(sum(litigation_other) AS BIGINT)     AS litigation_other,
           CAST(sum(litigation_pending) AS BIGINT)   AS litigation_pending,
           CAST(sum(litigation_total) AS BIGINT)     AS litigation_total,
           round(sum(litigation_num) / nullif(sum(litigation_den), 0), 4) AS litigation_correction_rate,
           CAST(sum(docs_issued) AS BIGINT)   AS docs_issued,
           CAST(sum(docs_in_force) AS BIGINT) AS docs_in_force,
           CAST(sum(licensing) AS BIGINT)     AS licensing,
           CAST(sum(punishment) AS BIGINT)    AS punishment,
           CAST(sum(enforcement) AS BIGINT)   AS enforcement,
           CAST(NULL AS BIGINT) AS rank_requests, CAST(NULL AS BIGINT) AS rank_disclosure
    FROM t
    GROUP BY GROUPING SETS (
        (year, province, city, county, township),
        (year, province, city, county),
        (year, province, city),
        (year, province),
        (year),
        (year, body_type),
        (year, province, city, county, body_type)
    )
    )
    WHERE CAST($level AS VARCHAR) IS NULL OR level = CAST($level AS VARCHAR)
)
SELECT cur.level, cur.year, cur.province, cur.city, cur.county, cur.township, cur.body_type, cur.organization,
       cur.reports, cur.incomplete,
       cur.requests_new, cur.carried_over, cur.disclosed, cur.partially, cur.withheld, cur.no_info,
       cur.not_handled, cur.other_handled, cur.handled, cur.carried_forward,
       cur.disclosure_rate, cur.withheld_rate, cur.no_info_rate, cur.not_handled_rate,
       cur.review_upheld, cur.review_corrected, cur.review_other, cur.review_pending, cur.review_total,
       cur.review_correction_rate,
       cur.litigation_upheld, cur.litigation_corrected, cur.litigation_other, cur.litigation_pending,
       cur.litigation_total, cur.litigation_correction_rate,
       cur.docs_issued, cur.docs_in_force, cur.licensing, cur.punishment, cur.enforcement,
       prev.requests_new                          AS requests_new_prev,
       cur.requests_new - prev.requests_new       AS requests_new_change,
       prev.handled                               AS handled_prev,
       cur.handled - prev.handled                 AS handled_change,
       round(cur.disclosure_rate - prev.disclosure_rate, 4) AS disclosure_rate_change,
       cur.rank_requests, cur.rank_disclosure
FROM g cur
LEFT JOIN g prev
  ON prev.level = cur.level AND prev.year = cur.year - 1
 AND prev.province IS NOT DISTINCT FROM cur.province AND prev.city IS NOT DISTINCT FROM cur.city
 AND prev.county IS NOT DISTINCT FROM cur.county AND prev.township IS NOT DISTINCT FROM cur.township
 AND prev.body_type IS NOT DISTINCT FROM cur.body_type
 AND prev.organization IS NOT DISTINCT FROM cur.organization
WHERE (CAST($year AS INTEGER) IS NULL OR cur.year = CAST($year AS INTEGER))
ORDER BY cur.year, cur.g_province, cur.province, cur.g_city, cur.city, cur.g_county, cur.county,
         cur.g_township, cur.township, cur.g_org, cur.organization, cur.g_type, cur.body_type
