package bench

import (
	"context"
	"fmt"
	"io"
	"time"

	"gongkai"
	"gongkai/division"
	"gongkai/store"
)

// Grow is the fast path to a national size: it makes the store at path,
// built by Build from base, hold the counties of targets too, each a copy
// of a base county (targets[j] copies base[j % len(base)]) renamed and
// recoded as the target county: organization, province, city, county and
// division code (a township keeps its name and the last three digits of
// its code, under the target county's code). Rows are copied inside
// DuckDB, round by round (one copy of every base county per round, in
// the base's order, ids continuing the sequence), cells, narrative,
// findings and report_facts alike (a copy's facts are its source's
// measures with the identity and groupings recomputed by schema 6's
// macros for the new names, which is what report_facts_of would derive
// from the copied cells: the test checks it); then the id sequence is
// moved past the copies.
//
// A store on 2 shared cores takes Put about an hour for a million
// reports; Grow takes minutes. What the rollups, compile and serve read
// has the national shape (counties, townships, bodies, years, rows);
// only the numbers repeat from county to county.
func Grow(ctx context.Context, path string, base, targets []County, log io.Writer) (time.Duration, int64, error) {
	start := time.Now()
	st, err := store.Open(ctx, path)
	if err != nil {
		return 0, 0, err
	}
	defer st.Close()
	db := st.DB()
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close()
	exec := func(q string, args ...any) error {
		if _, err := conn.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("grow: %w\n%s", err, q)
		}
		return nil
	}
	if err := exec(`CREATE OR REPLACE TEMP TABLE grow_map (k INTEGER, src VARCHAR, src_full VARCHAR,
		dst VARCHAR, dst_full VARCHAR, province VARCHAR, city VARCHAR, county VARCHAR)`); err != nil {
		return 0, 0, err
	}
	res := divisionBodies()
	for j, t := range targets {
		b := base[j%len(base)]
		body := res(t.Code)
		if err := exec(`INSERT INTO grow_map VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, int32(j/len(base)+1), b.Code, b.FullName,
			t.Code, t.FullName, nullable(body.Province), nullable(body.City), nullable(body.County)); err != nil {
			return 0, 0, err
		}
	}
	var rounds int
	var baseMax int64
	if err := conn.QueryRowContext(ctx, `SELECT (SELECT max(k) FROM grow_map), (SELECT max(report_id) FROM reports)`).Scan(&rounds, &baseMax); err != nil {
		return 0, 0, err
	}
	var added int64
	for k := 1; k <= rounds; k++ {
		var top int64
		if err := conn.QueryRowContext(ctx, `SELECT max(report_id) FROM reports`).Scan(&top); err != nil {
			return 0, 0, err
		}
		steps := []string{
			`CREATE OR REPLACE TEMP TABLE grow_ids AS
			 SELECT r.report_id AS old_id, ? + row_number() OVER (ORDER BY r.report_id) AS new_id, m.*
			 FROM reports r JOIN grow_map m ON m.k = ? AND left(r.division_code, 6) = m.src
			 WHERE r.report_id <= ?`,
			`INSERT INTO reports
			 SELECT i.new_id, i.dst_full || substr(r.organization, length(i.src_full) + 1), r.report_year, r.format_version,
			        r.published_on, i.province, i.city, i.county, r.township,
			        i.dst || substr(r.division_code, 7), r.body_type, r.is_aggregate,
			        r.source_path || '-grow' || i.k, r.rendering, r.content_hash || '-grow' || i.k, now()
			 FROM grow_ids i JOIN reports r ON r.report_id = i.old_id ORDER BY i.new_id`,
			`INSERT INTO active_cells SELECT i.new_id, c.item_key, c.metric_key, c.value, c.source_loc, c.source_raw
			 FROM grow_ids i JOIN active_cells c ON c.report_id = i.old_id`,
			`INSERT INTO application_cells SELECT i.new_id, c.row_key, c.col_key, c.value, c.source_loc, c.source_raw
			 FROM grow_ids i JOIN application_cells c ON c.report_id = i.old_id`,
			`INSERT INTO review_cells SELECT i.new_id, c.block_key, c.col_key, c.value, c.source_loc, c.source_raw
			 FROM grow_ids i JOIN review_cells c ON c.report_id = i.old_id`,
			`INSERT INTO narrative SELECT i.new_id, c.key, c.value, c.source_loc, c.source_raw
			 FROM grow_ids i JOIN narrative c ON c.report_id = i.old_id`,
			// By name: findings gain columns with the schema (code, args in 8).
			`INSERT INTO findings BY NAME SELECT i.new_id AS report_id, f.* EXCLUDE (report_id)
			 FROM grow_ids i JOIN findings f ON f.report_id = i.old_id`,
			// The copy's facts: the source's measures, its identity and
			// groupings recomputed with schema 6's macros for the new names.
			`INSERT INTO report_facts
			 SELECT i.new_id, f.report_year, r.organization, f.format_version, r.province, r.city, r.county, r.township,
			        r.division_code, r.body_type, r.is_aggregate,
			        body_key_of(r.division_code, r.body_type, r.township, r.is_aggregate, r.organization),
			        district_of(r.county, r.organization),
			        body_kind_of(r.township, r.body_type, r.organization),
			        township_name_of(r.township, r.organization),
			        f.* EXCLUDE (report_id, report_year, organization, format_version, province, city, county, township,
			                     division_code, body_type, is_aggregate, body_key, district, body_kind, township_name)
			 FROM grow_ids i JOIN report_facts f ON f.report_id = i.old_id JOIN reports r ON r.report_id = i.new_id
			 ORDER BY i.new_id`,
		}
		if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
			return 0, 0, err
		}
		for n, q := range steps {
			var args []any
			if n == 0 {
				args = []any{top, int32(k), baseMax}
			}
			if err := exec(q, args...); err != nil {
				conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
				return 0, 0, err
			}
		}
		var n int64
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM grow_ids`).Scan(&n); err != nil {
			return 0, 0, err
		}
		if err := exec("COMMIT"); err != nil {
			return 0, 0, err
		}
		added += n
		fmt.Fprintf(log, "  grown by round %d of %d: +%d reports (%.0f s)\n", k, rounds, n, time.Since(start).Seconds())
	}
	// Move the id sequence past the copies, so later Puts get new ids.
	if err := exec(`SELECT max(nextval('report_id_seq')) FROM range(?)`, added); err != nil {
		return 0, 0, err
	}
	if err := exec("CHECKPOINT"); err != nil {
		return 0, 0, err
	}
	return time.Since(start), added, nil
}

func divisionBodies() func(code string) gongkai.Body {
	r := division.Default()
	return func(code string) gongkai.Body {
		b, _ := r.Body(code)
		return b
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
