-- The counts a stored report ($id) states in its prose, with where each
-- was read.
SELECT key, value, source_loc, source_raw
FROM narrative
WHERE report_id = $id
