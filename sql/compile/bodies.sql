-- name: compile_bodies
-- description: The reports of one year inside a division (code prefix), whole-area reports
--   included but marked, with the number of their failed or uncertain findings.
-- params: year, prefix
SELECT r.report_id, r.organization, coalesce(r.body_type, '') AS body_type,
       coalesce(r.division_code, '') AS division_code, coalesce(r.township, '') AS township,
       r.format_version, r.source_path, r.is_aggregate,
       (SELECT count(*) FROM findings f
         WHERE f.report_id = r.report_id AND f.status IN ('failed', 'uncertain')) AS problems
FROM reports r
WHERE r.report_year = CAST($year AS INTEGER)
  AND starts_with(r.division_code, CAST($prefix AS VARCHAR))
ORDER BY r.is_aggregate, r.division_code, r.body_type DESC, r.organization
