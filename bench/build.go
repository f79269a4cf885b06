package bench

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"math/big"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"gongkai"
	"gongkai/store"
)

// groupCounties is how many counties are generated before their reports
// are stored year by year: a national store is filled year after year, so
// a year's reports lie together; holding the whole nation in memory to
// order it so is not needed for that, a group is.
const groupCounties = 100

// putBatch is ingest's default batch size: Put's throughput and its floor
// are measured with it.
const putBatch = 256

// buildBatch is the batch size the stores are built with: the same Put,
// fewer transactions, so a million reports take minutes, not an hour.
const buildBatch = 5000

// BuildStats says what building a store took.
type BuildStats struct {
	Reports  int
	Counties int
	Put      time.Duration // time inside Store.Put only (not generating)
	Total    time.Duration
	Bytes    int64 // database file size after the build
	Grown    int   // reports copied by Grow (0: all through Put)
	GrowTime time.Duration
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Build makes a national-shaped store at path from counties (replacing
// any file there): every county's reports for first..last, generated on
// all cores, stored through Store.Put in batches of buildBatch, a group of
// counties at a time in year order. progress, when set, gets a line now
// and then.
func Build(ctx context.Context, path string, counties []County, first, last int, seed uint64, progress io.Writer) (BuildStats, error) {
	var bs BuildStats
	start := time.Now()
	for _, p := range []string{path, path + ".wal"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return bs, err
		}
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return bs, err
	}
	defer st.Close()
	for g := 0; g < len(counties); g += groupCounties {
		group := counties[g:min(g+groupCounties, len(counties))]
		reports, err := generateAll(ctx, group, first, last, seed)
		if err != nil {
			return bs, err
		}
		// Year order within the group (Generate sorted each county by year).
		byYear := map[int][]gongkai.Parsed{}
		for _, rs := range reports {
			for _, p := range rs {
				byYear[p.Report.ReportYear] = append(byYear[p.Report.ReportYear], p)
			}
		}
		for y := first; y <= last; y++ {
			rs := byYear[y]
			for i := 0; i < len(rs); i += buildBatch {
				t := time.Now()
				if _, err := st.Put(ctx, rs[i:min(i+buildBatch, len(rs))]); err != nil {
					return bs, err
				}
				bs.Put += time.Since(t)
				bs.Reports += min(buildBatch, len(rs)-i)
			}
		}
		bs.Counties += len(group)
		if progress != nil {
			fmt.Fprintf(progress, "  stored %d reports of %d counties (%.0f reports/s in Put)\n",
				bs.Reports, bs.Counties, float64(bs.Reports)/bs.Put.Seconds())
		}
	}
	if _, err := st.DB().ExecContext(ctx, "CHECKPOINT"); err != nil {
		return bs, err
	}
	bs.Total = time.Since(start)
	if fi, err := os.Stat(path); err == nil {
		bs.Bytes = fi.Size()
	}
	return bs, nil
}

// generateAll runs Generate for the counties on GOMAXPROCS goroutines.
func generateAll(ctx context.Context, counties []County, first, last int, seed uint64) ([][]gongkai.Parsed, error) {
	out := make([][]gongkai.Parsed, len(counties))
	errs := make([]error, len(counties))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = Generate(counties[i], first, last, seed+uint64(i))
			}
		}()
	}
	for i := range counties {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// floorSchema is the long-form tables of the store without anything
// gongkai adds: no keys, no lookups, no facts, no pending marks.
const floorSchema = `
CREATE TABLE reports (report_id BIGINT, organization VARCHAR, report_year INTEGER, format_version VARCHAR,
    province VARCHAR, city VARCHAR, county VARCHAR, township VARCHAR, division_code VARCHAR, body_type VARCHAR,
    is_aggregate BOOLEAN, source_path VARCHAR, content_hash VARCHAR);
CREATE TABLE active_cells (report_id BIGINT, item_key VARCHAR, metric_key VARCHAR, value DECIMAL(18,6));
CREATE TABLE application_cells (report_id BIGINT, row_key VARCHAR, col_key VARCHAR, value BIGINT);
CREATE TABLE review_cells (report_id BIGINT, block_key VARCHAR, col_key VARCHAR, value BIGINT);`

// PutRate stores the reports into a fresh store at path through Store.Put
// in batches of 256 (ingest's) and returns the time it took.
func PutRate(ctx context.Context, path string, reports []gongkai.Parsed) (time.Duration, error) {
	removeStore(path)
	defer removeStore(path)
	st, err := store.Open(ctx, path)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	start := time.Now()
	for i := 0; i < len(reports); i += putBatch {
		if _, err := st.Put(ctx, reports[i:min(i+putBatch, len(reports))]); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

func removeStore(path string) {
	os.Remove(path)
	os.Remove(path + ".wal")
}

// AppenderFloor loads the reports' rows with DuckDB's raw Appender into
// plain tables of a fresh database at path (in batches of 256, one
// transaction each, like Put) and returns the time it took: the floor of
// Store.Put on the same data.
func AppenderFloor(ctx context.Context, path string, reports []gongkai.Parsed) (time.Duration, error) {
	os.Remove(path)
	os.Remove(path + ".wal")
	defer os.Remove(path)
	defer os.Remove(path + ".wal")
	c, err := duckdb.NewConnector(path+"?memory_limit=1GB", nil)
	if err != nil {
		return 0, err
	}
	db := sql.OpenDB(c)
	defer db.Close()
	if _, err := db.ExecContext(ctx, floorSchema); err != nil {
		return 0, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	start := time.Now()
	id := int64(0)
	for i := 0; i < len(reports); i += putBatch {
		batch := reports[i:min(i+putBatch, len(reports))]
		if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
			return 0, err
		}
		err := conn.Raw(func(dc any) error {
			raw := dc.(driver.Conn)
			return appendFloor(raw, batch, id)
		})
		if err != nil {
			return 0, err
		}
		if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
			return 0, err
		}
		id += int64(len(batch))
	}
	return time.Since(start), nil
}

func appendFloor(raw driver.Conn, batch []gongkai.Parsed, base int64) error {
	tables := []string{"reports", "active_cells", "application_cells", "review_cells"}
	apps := make([]*duckdb.Appender, len(tables))
	for i, t := range tables {
		a, err := duckdb.NewAppenderFromConn(raw, "", t)
		if err != nil {
			return err
		}
		apps[i] = a
	}
	for i, p := range batch {
		r := p.Report
		id := base + int64(i)
		b := r.Body
		if err := apps[0].AppendRow(id, r.Organization, int32(r.ReportYear), string(r.FormatVersion),
			b.Province, b.City, b.County, b.Township, b.DivisionCode, b.Type, b.Aggregate, p.Path, p.Hash); err != nil {
			return err
		}
		l := r.Layout()
		for _, it := range l.Active {
			for _, m := range it.Metrics {
				var v any
				if n := r.Active[it.Key][m.Key]; n.Valid() {
					v = duckdb.Decimal{Width: 18, Scale: gongkai.Scale, Value: big.NewInt(n.Micros())}
				}
				if err := apps[1].AppendRow(id, it.Key, m.Key, v); err != nil {
					return err
				}
			}
		}
		for _, row := range l.Rows {
			vals := r.Applications[row.Key]
			for j, c := range l.Columns {
				var v any
				if vals != nil {
					if n, ok := vals[j].Int64(); ok {
						v = n
					}
				}
				if err := apps[2].AppendRow(id, row.Key, c.Key, v); err != nil {
					return err
				}
			}
		}
		for _, bl := range l.ReviewBlocks {
			for _, c := range l.ReviewColumns {
				var v any
				if n, ok := r.ReviewLitigation[bl.Key][c.Key].Int64(); ok {
					v = n
				}
				if err := apps[3].AppendRow(id, bl.Key, c.Key, v); err != nil {
					return err
				}
			}
		}
	}
	for _, a := range apps {
		if err := a.Close(); err != nil {
			return err
		}
	}
	return nil
}
