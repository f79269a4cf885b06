-- name: r6_carried_over
-- description: R6 — 二、上年结转政府信息公开申请数量 (t) equals 四、结转下年度继续办理 (t−1)
--   of the same body, for each of the seven applicant columns. No report of the
--   body for t−1, or a null operand, is not checkable (info), never failed.
-- Output: report_id, rule, severity, status, where (VARCHAR[]), message, and
-- the finding's code and args (schema 8; message is the English text of the
-- code in package msg filled with args, each formatted as message formats it).
-- Same body: the division code, body type and township of a government or
-- street office (its name may be spelled differently from year to year),
-- else the organization as printed (report_bodies.body_key, schema 0003).
-- Scope: findings only for the reports listed in the temporary table
-- rule_scope (report_id), which Store.updateCrossRules fills chunk by
-- chunk; each step reads only those reports and their bodies' other years.
-- Reads report_facts (schema 6): the two rows' seven columns are stored
-- there as lists in layout order (carried_over_cols, carried_forward_cols).
WITH cur AS (
    SELECT report_id, report_year, body_key, carried_over_cols
    FROM report_facts
    WHERE report_id IN (SELECT report_id FROM rule_scope)
),
prev AS (
    SELECT report_id, report_year, body_key, carried_forward_cols
    FROM report_facts
    WHERE body_key IN (SELECT body_key FROM cur)
),
pairs AS (
    SELECT cur.report_id, cur.report_year, prev.report_id AS prev_id,
           cur.carried_over_cols, prev.carried_forward_cols
    FROM cur
    LEFT JOIN prev ON prev.body_key = cur.body_key AND prev.report_year = cur.report_year - 1
),
cols AS (
    SELECT * FROM (VALUES ('natural_person', 1), ('commercial', 2), ('research', 3), ('social_welfare', 4),
                          ('legal_services', 5), ('other', 6), ('total', 7)) v(col_key, col_order)
),
labels AS (
    SELECT DISTINCT col_key, col_label FROM cell_labels WHERE section = 'applications'
),
cells AS (
    SELECT p.report_id, p.report_year, k.col_key, (SELECT col_label FROM labels WHERE labels.col_key = k.col_key) AS col_label,
           p.carried_over_cols[k.col_order] AS carried_over,
           p.carried_forward_cols[k.col_order] AS prev_forward,
           k.col_order
    FROM pairs p, cols k
    WHERE p.prev_id IS NOT NULL
      AND len(p.carried_over_cols) >= k.col_order AND len(p.carried_forward_cols) >= k.col_order
)
SELECT report_id, 'R6' AS rule, 'warning' AS severity, 'failed' AS status,
       ['applications.2_carried_over.' || col_key] AS "where",
       format('上年结转 {} (column {}) but the {} report''s 结转下年度继续办理 is {}',
              carried_over, col_key, report_year - 1, prev_forward) AS message,
       'R6.unequal' AS code,
       json_object('over', format('{}', carried_over), 'col', col_key, 'label', col_label,
                   'year', format('{}', report_year - 1), 'fwd', format('{}', prev_forward))::VARCHAR AS args
FROM cells
WHERE carried_over IS NOT NULL AND prev_forward IS NOT NULL AND carried_over <> prev_forward
UNION ALL
SELECT report_id, 'R6', 'info', 'not_checkable',
       list('applications.2_carried_over.' || col_key ORDER BY col_order),
       format('not checkable: 上年结转 (t) or the {} report''s 结转下年度继续办理 is null in {} column(s)',
              any_value(report_year) - 1, count(*)),
       'R6.null',
       json_object('year', format('{}', any_value(report_year) - 1), 'n', format('{}', count(*)))::VARCHAR
FROM cells
WHERE carried_over IS NULL OR prev_forward IS NULL
GROUP BY report_id
UNION ALL
SELECT DISTINCT report_id, 'R6', 'info', 'not_checkable',
       ['applications.2_carried_over'],
       format('not checkable: no report of this body for {} in the store', report_year - 1),
       'R6.no_prev',
       json_object('year', format('{}', report_year - 1))::VARCHAR
FROM pairs
WHERE prev_id IS NULL
