-- name: r7_prev_year_items
-- description: 2019 layout continuity (reported under R7): 上一年项目数量 (t) =
--   上一年项目数量 (t−1) + 本年增/减 (t−1), for 行政许可, 其他对外管理服务事项, 行政处罚,
--   行政强制 and 行政事业性收费, same body, both reports in the 2019 layout. No report
--   for t−1, or a null operand, is not checkable.
-- format() returns NULL when any argument is NULL, so nullable operands
-- are spelled out with coalesce(..., 'null') before they reach it.
-- Output: report_id, rule, severity, status, where (VARCHAR[]), message, code
-- and args (schema 8; as in r6_carried_over).
-- Same body as in R6: report_bodies.body_key.
-- Scope: as in r6_carried_over, only the reports in rule_scope.
WITH cur AS (
    SELECT report_id, report_year, body_key, format_version
    FROM report_bodies
    WHERE format_version = '2019' AND report_id IN (SELECT report_id FROM rule_scope)
),
prev AS (
    SELECT report_id, report_year, body_key, format_version
    FROM report_bodies
    WHERE body_key IN (SELECT body_key FROM cur)
),
f AS (
    SELECT * FROM report_facts WHERE report_id IN (SELECT report_id FROM prev)
),
items AS (
    -- report_facts (schema 6) holds the section 二 cells as columns.
    SELECT report_id, 'licensing' AS item_key, a_licensing__prev_year_items AS prev_items, a_licensing__change AS change
    FROM f
    UNION ALL
    SELECT report_id, 'other_services', a_other_services__prev_year_items, a_other_services__change FROM f
    UNION ALL
    SELECT report_id, 'punishment', a_punishment__prev_year_items, a_punishment__change FROM f
    UNION ALL
    SELECT report_id, 'enforcement', a_enforcement__prev_year_items, a_enforcement__change FROM f
    UNION ALL
    SELECT report_id, 'fees', a_fees__prev_year_items, a_fees__change FROM f
),
pairs AS (
    SELECT cur.report_id, cur.report_year, i.item_key, i.prev_items,
           prev.report_id AS prev_id, prev.format_version AS prev_version,
           pi.prev_items AS last_prev_items, pi.change AS last_change
    FROM cur
    JOIN items i ON i.report_id = cur.report_id
    LEFT JOIN prev ON prev.body_key = cur.body_key AND prev.report_year = cur.report_year - 1
    LEFT JOIN items pi ON pi.report_id = prev.report_id AND pi.item_key = i.item_key
),
judged AS (
    SELECT *,
           prev_id IS NOT NULL AND prev_version = '2019' AND prev_items IS NOT NULL
           AND last_prev_items IS NOT NULL AND last_change IS NOT NULL AS checkable
    FROM pairs
)
SELECT report_id, 'R7' AS rule,
       CASE WHEN checkable THEN 'warning' ELSE 'info' END AS severity,
       CASE WHEN checkable THEN 'failed' ELSE 'not_checkable' END AS status,
       ['active.' || item_key || '.prev_year_items'] AS "where",
       CASE WHEN prev_id IS NULL
                 THEN format('not checkable: no report of this body for {} in the store', report_year - 1)
            WHEN prev_version <> '2019'
                 THEN format('not checkable: the {} report is not in the 2019 layout', report_year - 1)
            WHEN NOT checkable
                 THEN format('not checkable: {} has a null operand (上一年项目数量 {}, {} 上一年项目数量 {}, 本年增/减 {})',
                             item_key, coalesce(CAST(prev_items AS BIGINT)::VARCHAR, 'null'), report_year - 1,
                             coalesce(CAST(last_prev_items AS BIGINT)::VARCHAR, 'null'),
                             coalesce(CAST(last_change AS BIGINT)::VARCHAR, 'null'))
            ELSE format('{}: 上一年项目数量 {} but the {} report gives {} + 本年增/减 {} = {}',
                        item_key, CAST(prev_items AS BIGINT), report_year - 1, CAST(last_prev_items AS BIGINT),
                        CAST(last_change AS BIGINT), CAST(last_prev_items + last_change AS BIGINT))
       END AS message,
       CASE WHEN prev_id IS NULL THEN 'R7.no_prev'
            WHEN prev_version <> '2019' THEN 'R7.items_prev_2021'
            WHEN NOT checkable THEN 'R7.items_null'
            ELSE 'R7.items_unequal' END AS code,
       CASE WHEN prev_id IS NULL OR prev_version <> '2019'
                 THEN json_object('year', format('{}', report_year - 1))
            ELSE json_object('item', item_key,
                             'label', (SELECT any_value(row_label) FROM cell_labels l
                                       WHERE l.format_version = '2019' AND l.section = 'active' AND l.row_key = item_key),
                             'year', format('{}', report_year - 1),
                             'prev_items', coalesce(CAST(prev_items AS BIGINT)::VARCHAR, 'null'),
                             'last', coalesce(CAST(last_prev_items AS BIGINT)::VARCHAR, 'null'),
                             'change', coalesce(CAST(last_change AS BIGINT)::VARCHAR, 'null'),
                             'sum', coalesce(CAST(last_prev_items + last_change AS BIGINT)::VARCHAR, 'null'))
       END::VARCHAR AS args
FROM judged
WHERE NOT checkable OR prev_items <> last_prev_items + last_change
