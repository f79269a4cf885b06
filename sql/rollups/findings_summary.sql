-- name: findings_summary
-- description: Findings counted by rule and status. Stored findings counted by rule, severity and status (failed,
--   not_checkable, uncertain), with a subtotal per rule and a grand total from
--   one GROUPING SETS query; reports = distinct reports concerned.
-- params: year, rule, division
-- Reports: reports_in($year, $division) (schema 4; whole-area reports included).
SELECT CASE WHEN GROUPING(f.rule) = 1 THEN 'total'
            WHEN GROUPING(f.status) = 1 THEN 'rule'
            ELSE 'status' END              AS level,
       f.rule,
       f.severity,
       f.status,
       count(*)                            AS findings,
       count(DISTINCT f.report_id)         AS reports
FROM findings f
JOIN reports_in(CAST($year AS INTEGER), CAST($division AS VARCHAR)) r USING (report_id)
WHERE CAST($rule AS VARCHAR) IS NULL OR f.rule = CAST($rule AS VARCHAR)
GROUP BY GROUPING SETS ((f.rule, f.severity, f.status), (f.rule), ())
ORDER BY GROUPING(f.rule), f.rule, GROUPING(f.status), f.severity, f.status;
