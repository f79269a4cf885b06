-- What the store holds, per division and year: the reports (whole-area
-- reports counted apart). Pickers and overviews use it to offer only the
-- divisions and years that have data. To stay small at national scale
-- (every township has its own 9-digit code), codes are cut to their
-- county's 6 digits except inside $within (a division code prefix, e.g. the
-- county whose townships are listed; NULL: none). Reports without a
-- division are counted under a NULL code.
SELECT CASE WHEN $within IS NOT NULL AND starts_with(division_code, $within) THEN division_code
            ELSE left(division_code, 6) END AS division_code,
       report_year,
       count(*) FILTER (WHERE NOT is_aggregate) AS reports,
       count(*) FILTER (WHERE is_aggregate)     AS aggregates
FROM reports
GROUP BY ALL
ORDER BY division_code NULLS LAST, report_year
