-- name: compile_expected
-- description: Bodies inside a division (code prefix) that reported in an earlier year but
--   not in this one: the latest earlier report of each. Same body as in the cross-year
--   rules (report_bodies.body_key): division code, body type and township of a
--   government or street office, else the organization.
-- params: year, prefix
WITH body AS (
    SELECT * FROM report_bodies
    WHERE starts_with(division_code, CAST($prefix AS VARCHAR))
),
now AS (
    SELECT DISTINCT body_key FROM body WHERE report_year = CAST($year AS INTEGER)
)
SELECT arg_max(organization, report_year)            AS organization,
       coalesce(arg_max(body_type, report_year), '') AS body_type,
       arg_max(division_code, report_year)           AS division_code,
       coalesce(arg_max(township, report_year), '')  AS township,
       max(report_year)                              AS last_year
FROM body
WHERE report_year < CAST($year AS INTEGER)
  AND NOT is_aggregate
  AND body_key NOT IN (SELECT body_key FROM now)
GROUP BY body_key
ORDER BY division_code, organization, body_type, township, last_year
