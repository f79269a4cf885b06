-- A stored report's identity, division and source file ($id).
SELECT organization, report_year, format_version, published_on,
       province, city, county, township, division_code, body_type, is_aggregate,
       source_path, rendering, content_hash, ingested_at
FROM reports
WHERE report_id = $id
