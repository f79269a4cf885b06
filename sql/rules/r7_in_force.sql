-- name: r7_in_force
-- description: R7 — 2021 layout: 现行有效件数 (t) = 现行有效件数 (t−1) + 本年制发件数 (t)
--   − 本年废止件数 (t), for 规章 and 行政规范性文件, same body. No report for t−1,
--   a t−1 report in the 2019 layout, or a null operand is not checkable.
-- format() returns NULL when any argument is NULL, so nullable operands
-- are spelled out with coalesce(..., 'null') before they reach it.
-- Output: report_id, rule, severity, status, where (VARCHAR[]), message, code
-- and args (schema 8; as in r6_carried_over).
-- Same body as in R6: report_bodies.body_key.
-- Scope: as in r6_carried_over, only the reports in rule_scope.
WITH cur AS (
    SELECT report_id, report_year, body_key, format_version
    FROM report_bodies
    WHERE format_version = '2021' AND report_id IN (SELECT report_id FROM rule_scope)
),
prev AS (
    SELECT report_id, report_year, body_key, format_version
    FROM report_bodies
    WHERE body_key IN (SELECT body_key FROM cur)
),
items AS (
    -- report_facts (schema 6) holds the section 二 cells as columns.
    SELECT report_id, 'regulations' AS item_key,
           a_regulations__issued AS issued, a_regulations__repealed AS repealed,
           a_regulations__in_force AS in_force
    FROM report_facts
    WHERE report_id IN (SELECT report_id FROM prev)
    UNION ALL
    SELECT report_id, 'normative_documents',
           a_normative_documents__issued, a_normative_documents__repealed,
           a_normative_documents__in_force
    FROM report_facts
    WHERE report_id IN (SELECT report_id FROM prev)
),
pairs AS (
    SELECT cur.report_id, cur.report_year, i.item_key, i.issued, i.repealed, i.in_force,
           prev.report_id AS prev_id, prev.format_version AS prev_version, pi.in_force AS prev_in_force
    FROM cur
    JOIN items i ON i.report_id = cur.report_id
    LEFT JOIN prev ON prev.body_key = cur.body_key AND prev.report_year = cur.report_year - 1
    LEFT JOIN items pi ON pi.report_id = prev.report_id AND pi.item_key = i.item_key
)
SELECT report_id, 'R7' AS rule,
       CASE WHEN prev_id IS NOT NULL AND prev_version = '2021' AND issued IS NOT NULL AND repealed IS NOT NULL
                 AND in_force IS NOT NULL AND prev_in_force IS NOT NULL THEN 'warning' ELSE 'info' END AS severity,
       CASE WHEN prev_id IS NOT NULL AND prev_version = '2021' AND issued IS NOT NULL AND repealed IS NOT NULL
                 AND in_force IS NOT NULL AND prev_in_force IS NOT NULL THEN 'failed' ELSE 'not_checkable' END AS status,
       ['active.' || item_key || '.in_force', 'active.' || item_key || '.issued',
        'active.' || item_key || '.repealed'] AS "where",
       CASE WHEN prev_id IS NULL
                 THEN format('not checkable: no report of this body for {} in the store', report_year - 1)
            WHEN prev_version <> '2021'
                 THEN format('not checkable: the {} report uses the 2019 layout, which has no 现行有效件数', report_year - 1)
            WHEN issued IS NULL OR repealed IS NULL OR in_force IS NULL OR prev_in_force IS NULL
                 THEN format('not checkable: {} has a null operand (现行有效 {}, {} 现行有效 {}, 制发 {}, 废止 {})',
                             item_key, coalesce(CAST(in_force AS BIGINT)::VARCHAR, 'null'), report_year - 1,
                             coalesce(CAST(prev_in_force AS BIGINT)::VARCHAR, 'null'),
                             coalesce(CAST(issued AS BIGINT)::VARCHAR, 'null'),
                             coalesce(CAST(repealed AS BIGINT)::VARCHAR, 'null'))
            ELSE format('{}: 现行有效件数 {} but {} 现行有效 {} + 本年制发 {} − 本年废止 {} = {}',
                        item_key, CAST(in_force AS BIGINT), report_year - 1, CAST(prev_in_force AS BIGINT),
                        CAST(issued AS BIGINT), CAST(repealed AS BIGINT),
                        CAST(prev_in_force + issued - repealed AS BIGINT))
       END AS message,
       CASE WHEN prev_id IS NULL THEN 'R7.no_prev'
            WHEN prev_version <> '2021' THEN 'R7.prev_2019'
            WHEN issued IS NULL OR repealed IS NULL OR in_force IS NULL OR prev_in_force IS NULL THEN 'R7.null'
            ELSE 'R7.unequal' END AS code,
       CASE WHEN prev_id IS NULL OR prev_version <> '2021'
                 THEN json_object('year', format('{}', report_year - 1))
            ELSE json_object('item', item_key,
                             'label', (SELECT any_value(row_label) FROM cell_labels l
                                       WHERE l.format_version = '2021' AND l.section = 'active' AND l.row_key = item_key),
                             'year', format('{}', report_year - 1),
                             'in_force', coalesce(CAST(in_force AS BIGINT)::VARCHAR, 'null'),
                             'prev', coalesce(CAST(prev_in_force AS BIGINT)::VARCHAR, 'null'),
                             'issued', coalesce(CAST(issued AS BIGINT)::VARCHAR, 'null'),
                             'repealed', coalesce(CAST(repealed AS BIGINT)::VARCHAR, 'null'),
                             'sum', coalesce(CAST(prev_in_force + issued - repealed AS BIGINT)::VARCHAR, 'null'))
       END::VARCHAR AS args
FROM pairs
WHERE prev_id IS NULL OR prev_version <> '2021'
   OR issued IS NULL OR repealed IS NULL OR in_force IS NULL OR prev_in_force IS NULL
   OR in_force <> prev_in_force + issued - repealed
