-- What the store holds, per division code and year: the reports (whole-
-- area reports counted apart). Reports without a division are counted
-- under a NULL code. Pickers and overviews use it to offer only the
-- divisions and years that have data.
SELECT division_code,
       report_year,
       count(*) FILTER (WHERE NOT is_aggregate) AS reports,
       count(*) FILTER (WHERE is_aggregate)     AS aggregates
FROM reports
GROUP BY division_code, report_year
ORDER BY division_code NULLS LAST, report_year
