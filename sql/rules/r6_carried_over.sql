-- name: r6_carried_over
-- description: R6 — 二、上年结转政府信息公开申请数量 (t) equals 四、结转下年度继续办理 (t−1)
--   of the same body, for each of the seven applicant columns. No report of the
--   body for t−1, or a null operand, is not checkable (info), never failed.
-- Output: report_id, rule, severity, status, where (VARCHAR[]), message.
-- Same body: the division code, body type and township of a government or
-- street office (its name may be spelled differently from year to year),
-- else the organization as printed (report_bodies.body_key, schema 0003).
-- Scope: findings only for the reports listed in the temporary table
-- rule_scope (report_id), which Store.updateCrossRules fills chunk by
-- chunk; each step reads only those reports and their bodies' other years.
WITH cur AS (
    SELECT report_id, report_year, body_key
    FROM report_bodies
    WHERE report_id IN (SELECT report_id FROM rule_scope)
),
prev AS (
    SELECT report_id, report_year, body_key
    FROM report_bodies
    WHERE body_key IN (SELECT body_key FROM cur)
),
pairs AS (
    SELECT cur.report_id, cur.report_year, prev.report_id AS prev_id
    FROM cur
    LEFT JOIN prev ON prev.body_key = cur.body_key AND prev.report_year = cur.report_year - 1
),
cells AS (
    SELECT p.report_id, p.report_year, c.col_key,
           c.value AS carried_over, f.value AS prev_forward,
           list_position(['natural_person', 'commercial', 'research', 'social_welfare',
                          'legal_services', 'other', 'total'], c.col_key) AS col_order
    FROM pairs p
    JOIN application_cells c ON c.report_id = p.report_id AND c.row_key = '2_carried_over'
    JOIN application_cells f ON f.report_id = p.prev_id AND f.row_key = '4_carried_forward'
                            AND f.col_key = c.col_key
    WHERE p.prev_id IS NOT NULL
)
SELECT report_id, 'R6' AS rule, 'warning' AS severity, 'failed' AS status,
       ['applications.2_carried_over.' || col_key] AS "where",
       format('上年结转 {} (column {}) but the {} report''s 结转下年度继续办理 is {}',
              carried_over, col_key, report_year - 1, prev_forward) AS message
FROM cells
WHERE carried_over IS NOT NULL AND prev_forward IS NOT NULL AND carried_over <> prev_forward
UNION ALL
SELECT report_id, 'R6', 'info', 'not_checkable',
       list('applications.2_carried_over.' || col_key ORDER BY col_order),
       format('not checkable: 上年结转 (t) or the {} report''s 结转下年度继续办理 is null in {} column(s)',
              any_value(report_year) - 1, count(*))
FROM cells
WHERE carried_over IS NULL OR prev_forward IS NULL
GROUP BY report_id
UNION ALL
SELECT DISTINCT report_id, 'R6', 'info', 'not_checkable',
       ['applications.2_carried_over'],
       format('not checkable: no report of this body for {} in the store', report_year - 1)
FROM pairs
WHERE prev_id IS NULL
