-- name: compile_findings
-- description: Failed and uncertain findings of the reports that a compilation sums (one
--   year, inside a division, whole-area reports excluded): the numbers they concern may
--   make the totals wrong.
-- params: year, prefix
-- code and args (schema 8) let the message be shown in Chinese.
SELECT r.organization, f.rule, f.severity, f.status, f."where", f.message, f.code, f.args
FROM findings f
JOIN reports r USING (report_id)
WHERE r.report_year = CAST($year AS INTEGER)
  AND NOT r.is_aggregate
  AND starts_with(r.division_code, CAST($prefix AS VARCHAR))
  AND f.status IN ('failed', 'uncertain')
ORDER BY r.division_code, r.organization, f.rule, f.status, f."where", f.message
