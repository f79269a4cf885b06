-- One page of the stored reports (GET /v1/reports), with the number of
-- findings each has and, in the last column, how many reports match in
-- all. $year and $division filter as in every rollup, through the
-- reports_in macro (a division's name at any level, city+county such as
-- 威海市文登区, or part of the organization; digits are a division code,
-- 371000 the whole city);
-- whole-area reports are listed too. NULL: no filter.
SELECT r.report_id, r.organization, r.report_year, r.format_version, r.published_on,
       r.province, r.city, r.county, r.township, r.division_code, r.body_type, r.is_aggregate,
       r.source_path, r.rendering, r.ingested_at,
       (SELECT count(*) FROM findings f WHERE f.report_id = r.report_id) AS findings,
       count(*) OVER () AS total_matching
FROM reports r
WHERE r.report_id IN (SELECT report_id FROM reports_in($year, $division))
ORDER BY r.report_year, r.division_code NULLS LAST, r.organization, r.report_id
LIMIT $limit OFFSET $offset
