-- name: findings
-- description: Every stored finding by rule, organization and year. Every stored finding
--   with its report's organization and year,
--   ordered by rule, organization and year; where lists the cells concerned
--   as dotted paths (applications.3_7_total.total); message is English, code
--   and args (a JSON object) name the finding's kind and values, so it can be
--   shown in another language (package msg; NULL for findings stored before
--   schema 8).
-- params: year, rule, division
-- Reports: reports_in($year, $division) (schema 4; whole-area reports included).
SELECT f.rule,
       f.severity,
       f.status,
       r.organization,
       r.report_year                        AS year,
       array_to_string(f."where", ', ')     AS "where",
       f.message,
       f.scope,
       f.report_id,
       f.code,
       f.args
FROM findings f
JOIN reports_in(CAST($year AS INTEGER), CAST($division AS VARCHAR)) r USING (report_id)
WHERE CAST($rule AS VARCHAR) IS NULL OR f.rule = CAST($rule AS VARCHAR)
ORDER BY f.rule, r.organization, r.report_year, f.status, f."where", f.message;
