-- name: compile_expected
-- description: Bodies inside a division (code prefix) that reported in an earlier year but
--   not in this one: the latest earlier report of each. Same body as in the cross-year
--   rules: division code, body type and township of a government or street office, else
--   the organization.
-- params: year, prefix
WITH body AS (
    SELECT report_id, report_year, organization, body_type, division_code, township, is_aggregate,
           CASE WHEN division_code IS NOT NULL
                 AND (body_type IN ('township_government', 'street_office', 'county_government',
                                    'city_government', 'province_government')
                      OR is_aggregate)
                THEN division_code || '|' || coalesce(body_type, '') || '|' || coalesce(township, '')
                     || '|' || CAST(is_aggregate AS VARCHAR)
                ELSE 'org|' || organization END AS body_key
    FROM reports
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
ORDER BY division_code, organization
