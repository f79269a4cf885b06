-- name: compile_unresolved
-- description: Reports of the year whose author has no division (unresolved names): no
--   compilation can include them until a manifest or --district places them.
-- params: year
SELECT organization, source_path
FROM reports
WHERE report_year = CAST($year AS INTEGER) AND division_code IS NULL
ORDER BY organization
