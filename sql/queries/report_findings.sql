-- A stored report's findings ($id), those found at ingest (scope
-- 'report') and those of the cross-report rules (scope 'store'); the cell
-- paths as a JSON array; code and args (schema 8) word the message in
-- another language.
SELECT rule, severity, status, to_json("where")::VARCHAR AS "where", message, scope, code, args
FROM findings
WHERE report_id = $id
ORDER BY scope, rule, message
