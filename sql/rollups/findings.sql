-- name: findings
-- description: Every stored finding by rule, organization and year. Every stored finding
--   with its report's organization and year,
--   ordered by rule, organization and year; where lists the cells concerned
--   as dotted paths (applications.3_7_total.total).
-- params: year, rule, division
SELECT f.rule,
       f.severity,
       f.status,
       r.organization,
       r.report_year                        AS year,
       array_to_string(f."where", ', ')     AS "where",
       f.message,
       f.scope,
       f.report_id
FROM findings f
JOIN reports r USING (report_id)
WHERE (CAST($year AS INTEGER) IS NULL OR r.report_year = CAST($year AS INTEGER))
  AND (CAST($rule AS VARCHAR) IS NULL OR f.rule = CAST($rule AS VARCHAR))
  AND (CAST($division AS VARCHAR) IS NULL
       OR CAST($division AS VARCHAR) IN (r.county, r.city, r.province,
                                    concat(r.city, r.county), concat(r.province, r.city, r.county))
       OR starts_with(r.division_code, CAST($division AS VARCHAR))
       OR contains(r.organization, CAST($division AS VARCHAR)))
ORDER BY f.rule, r.organization, r.report_year, f.status, f."where", f.message;
