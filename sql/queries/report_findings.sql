-- A stored report's findings ($id), those found at ingest (scope
-- 'report') and those of the cross-report rules (scope 'store'); the cell
-- paths as a JSON array.
SELECT rule, severity, status, to_json("where")::VARCHAR AS "where", message, scope
FROM findings
WHERE report_id = $id
ORDER BY scope, rule, message
