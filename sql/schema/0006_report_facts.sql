-- Schema version 6: report_facts, one wide row per report, written by Put
-- in the same transaction as the report's cells.
--
-- Every rollup, the cross-report rules and the compilation used to
-- re-derive each report's groupings and measures from the long-form cells
-- (about 200 rows per report) through the views of schema 3, on every
-- query: at a million reports that is 200 million rows pivoted per
-- request. report_facts stores that derivation once, at ingest. The
-- long-form cells stay as they are, for provenance and ad-hoc SQL.
--
-- Exactness: Put inserts a report's facts from report_facts_of() right
-- after its cells, in the same transaction, and deletes them with its
-- cells when the report is replaced; an unchanged file writes nothing. So
-- report_facts always equals report_facts_of(NULL, NULL) (tests check it
-- after adds, replacements and re-ingests).
--
-- Storage: report_id order, which is ingest order: a district's or a
-- year's reports arrive together, so DuckDB's per-row-group min/max
-- (zone maps) on report_year, division_code and report_id skip most of
-- the table for one division or one year. No ART index: none of the
-- dashboard filters (name, code prefix, year) is a point lookup.

-- The groupings of report_bodies (schema 3), one macro each, so that
-- report_facts_of and anything that places a report anew (the benchmark's
-- copies of counties) compute them alike.
CREATE MACRO body_key_of(division_code, body_type, township, is_aggregate, organization) AS
    CASE WHEN division_code IS NOT NULL
          AND (body_type IN ('township_government', 'street_office', 'county_government',
                             'city_government', 'province_government')
               OR is_aggregate)
         THEN division_code || '|' || coalesce(body_type, '') || '|' || coalesce(township, '')
              || '|' || CAST(is_aggregate AS VARCHAR)
         ELSE 'org|' || organization END;

CREATE MACRO district_of(county, organization) AS
    coalesce(county,
             nullif(regexp_extract(organization, '([^省市州盟区县旗]{1,10}?[区县旗])', 1), ''),
             '(unknown)');

CREATE MACRO body_kind_of(township, body_type, organization) AS
    CASE WHEN township IS NOT NULL
           OR body_type IN ('township_government', 'street_office')
           OR regexp_matches(organization, '(镇|乡|街道)(人民政府|办事处|党委)')
         THEN 'township' ELSE 'county' END;

CREATE MACRO township_name_of(township, organization) AS
    coalesce(township,
             nullif(regexp_extract(organization, '([^省市州盟区县旗]{1,10}?(?:镇|乡|街道))(?:人民政府|办事处|党委)', 1), ''),
             organization);

-- report_facts_of(p_lo, p_hi): the facts of the reports whose id lies in
-- [p_lo, p_hi] (NULL: unbounded), derived from reports and the cells.
-- Columns, in order:
--   report_id … is_aggregate   as in reports;
--   body_key, district, body_kind, township_name
--                              as report_bodies defined them (schema 3);
--   requests_new … litigation_total, docs_issued … enforcement
--                              as report_measures defined them (schema 3),
--                              every integer measure BIGINT;
--   carried_over_cols, carried_forward_cols
--                              section 三 rows 2_carried_over and
--                              4_carried_forward, the seven applicant
--                              columns in layout order (R6);
--   a_<item>__<metric>         every cell of section 二 of both layouts
--                              (NULL when not stated or not in the
--                              report's layout), for district_year_active
--                              and R7.
CREATE MACRO report_facts_of(p_lo, p_hi) AS TABLE
WITH r AS (
    SELECT * FROM reports
    WHERE (p_lo IS NULL OR report_id >= p_lo) AND (p_hi IS NULL OR report_id <= p_hi)
),
app AS (
    SELECT c.report_id,
           max(c.value) FILTER (WHERE c.col_key = 'total' AND c.row_key = '1_new')             AS requests_new,
           max(c.value) FILTER (WHERE c.col_key = 'total' AND c.row_key = '2_carried_over')    AS carried_over,
           max(c.value) FILTER (WHERE c.col_key = 'total' AND c.row_key = '3_1_disclosed')     AS disclosed,
           max(c.value) FILTER (WHERE c.col_key = 'total' AND c.row_key = '3_2_partially')     AS partially,
           CASE WHEN bool_and(c.value IS NOT NULL) FILTER (WHERE c.col_key = 'total' AND starts_with(c.row_key, '3_3_'))
                THEN sum(c.value) FILTER (WHERE c.col_key = 'total' AND starts_with(c.row_key, '3_3_')) END AS withheld,
           CASE WHEN bool_and(c.value IS NOT NULL) FILTER (WHERE c.col_key = 'total' AND starts_with(c.row_key, '3_4_'))
                THEN sum(c.value) FILTER (WHERE c.col_key = 'total' AND starts_with(c.row_key, '3_4_')) END AS no_info,
           CASE WHEN bool_and(c.value IS NOT NULL) FILTER (WHERE c.col_key = 'total' AND starts_with(c.row_key, '3_5_'))
                THEN sum(c.value) FILTER (WHERE c.col_key = 'total' AND starts_with(c.row_key, '3_5_')) END AS not_handled,
           CASE WHEN count(*) FILTER (WHERE c.col_key = 'total' AND c.row_key = '3_6') > 0
                THEN max(c.value) FILTER (WHERE c.col_key = 'total' AND c.row_key = '3_6')
                WHEN bool_and(c.value IS NOT NULL) FILTER (WHERE c.col_key = 'total' AND starts_with(c.row_key, '3_6_'))
                THEN sum(c.value) FILTER (WHERE c.col_key = 'total' AND starts_with(c.row_key, '3_6_')) END AS other_handled,
           max(c.value) FILTER (WHERE c.col_key = 'total' AND c.row_key = '3_7_total')         AS handled,
           max(c.value) FILTER (WHERE c.col_key = 'total' AND c.row_key = '4_carried_forward') AS carried_forward,
           list(c.value ORDER BY list_position(['natural_person', 'commercial', 'research', 'social_welfare',
                                                'legal_services', 'other', 'total'], c.col_key))
               FILTER (WHERE c.row_key = '2_carried_over')    AS carried_over_cols,
           list(c.value ORDER BY list_position(['natural_person', 'commercial', 'research', 'social_welfare',
                                                'legal_services', 'other', 'total'], c.col_key))
               FILTER (WHERE c.row_key = '4_carried_forward') AS carried_forward_cols
    FROM application_cells c
    WHERE (c.row_key IN ('2_carried_over', '4_carried_forward') OR c.col_key = 'total')
      AND (p_lo IS NULL OR c.report_id >= p_lo) AND (p_hi IS NULL OR c.report_id <= p_hi)
    GROUP BY c.report_id
),
rev AS (
    SELECT report_id,
           max(value) FILTER (WHERE block_key = 'review' AND col_key = 'upheld')    AS review_upheld,
           max(value) FILTER (WHERE block_key = 'review' AND col_key = 'corrected') AS review_corrected,
           max(value) FILTER (WHERE block_key = 'review' AND col_key = 'other')     AS review_other,
           max(value) FILTER (WHERE block_key = 'review' AND col_key = 'pending')   AS review_pending,
           max(value) FILTER (WHERE block_key = 'review' AND col_key = 'total')     AS review_total,
           max(value) FILTER (WHERE block_key = 'litigation_direct' AND col_key = 'upheld')    AS litigation_direct_upheld,
           max(value) FILTER (WHERE block_key = 'litigation_direct' AND col_key = 'corrected') AS litigation_direct_corrected,
           max(value) FILTER (WHERE block_key = 'litigation_direct' AND col_key = 'other')     AS litigation_direct_other,
           max(value) FILTER (WHERE block_key = 'litigation_direct' AND col_key = 'pending')   AS litigation_direct_pending,
           max(value) FILTER (WHERE block_key = 'litigation_direct' AND col_key = 'total')     AS litigation_direct_total,
           max(value) FILTER (WHERE block_key = 'litigation_after_review' AND col_key = 'upheld')    AS litigation_after_review_upheld,
           max(value) FILTER (WHERE block_key = 'litigation_after_review' AND col_key = 'corrected') AS litigation_after_review_corrected,
           max(value) FILTER (WHERE block_key = 'litigation_after_review' AND col_key = 'other')     AS litigation_after_review_other,
           max(value) FILTER (WHERE block_key = 'litigation_after_review' AND col_key = 'pending')   AS litigation_after_review_pending,
           max(value) FILTER (WHERE block_key = 'litigation_after_review' AND col_key = 'total')     AS litigation_after_review_total,
           CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE block_key <> 'review' AND col_key = 'upheld')
                THEN sum(value) FILTER (WHERE block_key <> 'review' AND col_key = 'upheld') END    AS litigation_upheld,
           CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE block_key <> 'review' AND col_key = 'corrected')
                THEN sum(value) FILTER (WHERE block_key <> 'review' AND col_key = 'corrected') END AS litigation_corrected,
           CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE block_key <> 'review' AND col_key = 'other')
                THEN sum(value) FILTER (WHERE block_key <> 'review' AND col_key = 'other') END     AS litigation_other,
           CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE block_key <> 'review' AND col_key = 'pending')
                THEN sum(value) FILTER (WHERE block_key <> 'review' AND col_key = 'pending') END   AS litigation_pending,
           CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE block_key <> 'review' AND col_key = 'total')
                THEN sum(value) FILTER (WHERE block_key <> 'review' AND col_key = 'total') END     AS litigation_total
    FROM review_cells
    WHERE (p_lo IS NULL OR report_id >= p_lo) AND (p_hi IS NULL OR report_id <= p_hi)
    GROUP BY report_id
),
act AS (
    SELECT report_id,
           CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE item_key IN ('regulations', 'normative_documents')
                                                          AND metric_key IN ('issued', 'new_made'))
                THEN sum(value) FILTER (WHERE item_key IN ('regulations', 'normative_documents')
                                         AND metric_key IN ('issued', 'new_made')) END AS docs_issued,
           CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE item_key IN ('regulations', 'normative_documents')
                                                          AND metric_key = 'in_force')
                THEN sum(value) FILTER (WHERE item_key IN ('regulations', 'normative_documents')
                                         AND metric_key = 'in_force') END AS docs_in_force,
           max(value) FILTER (WHERE item_key = 'licensing' AND metric_key = 'decisions')   AS licensing,
           max(value) FILTER (WHERE item_key = 'punishment' AND metric_key = 'decisions')  AS punishment,
           max(value) FILTER (WHERE item_key = 'enforcement' AND metric_key = 'decisions') AS enforcement,
           max(value) FILTER (WHERE item_key = 'regulations' AND metric_key = 'issued')                 AS a_regulations__issued,
           max(value) FILTER (WHERE item_key = 'regulations' AND metric_key = 'repealed')               AS a_regulations__repealed,
           max(value) FILTER (WHERE item_key = 'regulations' AND metric_key = 'in_force')               AS a_regulations__in_force,
           max(value) FILTER (WHERE item_key = 'regulations' AND metric_key = 'new_made')               AS a_regulations__new_made,
           max(value) FILTER (WHERE item_key = 'regulations' AND metric_key = 'new_published')          AS a_regulations__new_published,
           max(value) FILTER (WHERE item_key = 'regulations' AND metric_key = 'total_published')        AS a_regulations__total_published,
           max(value) FILTER (WHERE item_key = 'normative_documents' AND metric_key = 'issued')         AS a_normative_documents__issued,
           max(value) FILTER (WHERE item_key = 'normative_documents' AND metric_key = 'repealed')       AS a_normative_documents__repealed,
           max(value) FILTER (WHERE item_key = 'normative_documents' AND metric_key = 'in_force')       AS a_normative_documents__in_force,
           max(value) FILTER (WHERE item_key = 'normative_documents' AND metric_key = 'new_made')       AS a_normative_documents__new_made,
           max(value) FILTER (WHERE item_key = 'normative_documents' AND metric_key = 'new_published')  AS a_normative_documents__new_published,
           max(value) FILTER (WHERE item_key = 'normative_documents' AND metric_key = 'total_published') AS a_normative_documents__total_published,
           max(value) FILTER (WHERE item_key = 'licensing' AND metric_key = 'prev_year_items')          AS a_licensing__prev_year_items,
           max(value) FILTER (WHERE item_key = 'licensing' AND metric_key = 'change')                   AS a_licensing__change,
           max(value) FILTER (WHERE item_key = 'licensing' AND metric_key = 'decisions')                AS a_licensing__decisions,
           max(value) FILTER (WHERE item_key = 'other_services' AND metric_key = 'prev_year_items')     AS a_other_services__prev_year_items,
           max(value) FILTER (WHERE item_key = 'other_services' AND metric_key = 'change')              AS a_other_services__change,
           max(value) FILTER (WHERE item_key = 'other_services' AND metric_key = 'decisions')           AS a_other_services__decisions,
           max(value) FILTER (WHERE item_key = 'punishment' AND metric_key = 'prev_year_items')         AS a_punishment__prev_year_items,
           max(value) FILTER (WHERE item_key = 'punishment' AND metric_key = 'change')                  AS a_punishment__change,
           max(value) FILTER (WHERE item_key = 'punishment' AND metric_key = 'decisions')               AS a_punishment__decisions,
           max(value) FILTER (WHERE item_key = 'enforcement' AND metric_key = 'prev_year_items')        AS a_enforcement__prev_year_items,
           max(value) FILTER (WHERE item_key = 'enforcement' AND metric_key = 'change')                 AS a_enforcement__change,
           max(value) FILTER (WHERE item_key = 'enforcement' AND metric_key = 'decisions')              AS a_enforcement__decisions,
           max(value) FILTER (WHERE item_key = 'fees' AND metric_key = 'amount_10k_yuan')               AS a_fees__amount_10k_yuan,
           max(value) FILTER (WHERE item_key = 'fees' AND metric_key = 'prev_year_items')               AS a_fees__prev_year_items,
           max(value) FILTER (WHERE item_key = 'fees' AND metric_key = 'change')                        AS a_fees__change,
           max(value) FILTER (WHERE item_key = 'procurement' AND metric_key = 'projects')               AS a_procurement__projects,
           max(value) FILTER (WHERE item_key = 'procurement' AND metric_key = 'amount_yuan')            AS a_procurement__amount_yuan
    FROM active_cells
    WHERE (p_lo IS NULL OR report_id >= p_lo) AND (p_hi IS NULL OR report_id <= p_hi)
    GROUP BY report_id
)
SELECT r.report_id, r.report_year, r.organization, r.format_version,
       r.province, r.city, r.county, r.township,
       r.division_code, r.body_type, r.is_aggregate,
       body_key_of(r.division_code, r.body_type, r.township, r.is_aggregate, r.organization) AS body_key,
       district_of(r.county, r.organization) AS district,
       body_kind_of(r.township, r.body_type, r.organization) AS body_kind,
       township_name_of(r.township, r.organization) AS township_name,
       app.requests_new, app.carried_over, app.disclosed, app.partially,
       CAST(app.withheld AS BIGINT) AS withheld, CAST(app.no_info AS BIGINT) AS no_info,
       CAST(app.not_handled AS BIGINT) AS not_handled, CAST(app.other_handled AS BIGINT) AS other_handled,
       app.handled, app.carried_forward,
       rev.* EXCLUDE (report_id, litigation_upheld, litigation_corrected, litigation_other,
                      litigation_pending, litigation_total),
       CAST(rev.litigation_upheld AS BIGINT) AS litigation_upheld,
       CAST(rev.litigation_corrected AS BIGINT) AS litigation_corrected,
       CAST(rev.litigation_other AS BIGINT) AS litigation_other,
       CAST(rev.litigation_pending AS BIGINT) AS litigation_pending,
       CAST(rev.litigation_total AS BIGINT) AS litigation_total,
       CAST(act.docs_issued AS DECIMAL(18,6)) AS docs_issued,
       CAST(act.docs_in_force AS DECIMAL(18,6)) AS docs_in_force,
       act.licensing, act.punishment, act.enforcement,
       app.carried_over_cols, app.carried_forward_cols,
       act.* EXCLUDE (report_id, docs_issued, docs_in_force, licensing, punishment, enforcement)
FROM r
LEFT JOIN app USING (report_id)
LEFT JOIN rev USING (report_id)
LEFT JOIN act USING (report_id);

CREATE TABLE report_facts AS
SELECT * FROM report_facts_of(NULL, NULL) ORDER BY report_id;

-- report_bodies (schema 3) and report_measures (schema 3) keep their
-- columns for analysts' SQL, now read from report_facts. Integer
-- measures are all BIGINT (sums of parts were HUGEINT before).
CREATE OR REPLACE VIEW report_bodies AS
SELECT report_id, report_year, organization, format_version,
       province, city, county, township, division_code, body_type, is_aggregate,
       body_key, district, body_kind, township_name
FROM report_facts;

DROP VIEW report_measures;
CREATE VIEW report_measures AS
SELECT report_id,
       requests_new, carried_over, disclosed, partially, withheld, no_info, not_handled,
       other_handled, handled, carried_forward,
       review_upheld, review_corrected, review_other, review_pending, review_total,
       litigation_direct_upheld, litigation_direct_corrected, litigation_direct_other,
       litigation_direct_pending, litigation_direct_total,
       litigation_after_review_upheld, litigation_after_review_corrected, litigation_after_review_other,
       litigation_after_review_pending, litigation_after_review_total,
       litigation_upheld, litigation_corrected, litigation_other, litigation_pending, litigation_total,
       docs_issued, docs_in_force, licensing, punishment, enforcement
FROM report_facts;

-- reports_in and rollup_bodies (schema 4) now give report_facts rows:
-- the same bodies as before, with their measures beside them, so a
-- rollup reads one table and joins nothing.
CREATE OR REPLACE MACRO reports_in(p_year, p_division) AS TABLE
SELECT *
FROM report_facts
WHERE (p_year IS NULL OR report_year = p_year)
  AND (p_division IS NULL
       OR p_division IN (county, city, province, concat(city, county), concat(province, city, county))
       OR starts_with(division_code, p_division)
       OR contains(organization, p_division));

CREATE OR REPLACE MACRO rollup_bodies(p_year, p_division) AS TABLE
SELECT *
FROM reports_in(p_year, p_division)
WHERE NOT is_aggregate;
