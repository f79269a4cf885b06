// Package bench is gongkai's national-scale benchmark: it builds a
// national-shaped store (the county-level divisions of the divisions data,
// their townships, the government office and departments of each county,
// seven years) straight from the generator's records, skipping rendering
// and parsing, and measures the store, the rollups, compile and serve on
// it next to what DuckDB itself reaches on the same data (the floor).
//
// It is the one package besides store that imports the DuckDB driver:
// the floor is DuckDB without gongkai (a raw Appender load, a plain
// GROUPING SETS over a plain table, COPY … TO Parquet), which cannot be
// measured through store's API.
package bench

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"gongkai"
	"gongkai/division"
	"gongkai/gen"
)

// Departments is how many departments each generated county has besides
// its government office: with the townships of the divisions data this
// gives about 150,000 reports a year over about 2,800 counties, the
// national figure.
const Departments = 32

// County is one county-level division of the benchmark with its
// township-level divisions.
type County struct {
	Code      string // 6 digits
	FullName  string // 山东省威海市文登区
	Name      string // 文登区
	Townships []division.Division
}

// Reports is how many reports the county writes a year.
func (c County) Reports() int { return 1 + len(c.Townships) + Departments }

// Counties lists every county-level division of the divisions data in a
// fixed shuffled order (seeded), so any prefix of the list is spread over
// the provinces like the whole.
func Counties(seed uint64) []County {
	res := division.Default()
	var out []County
	var walk func(code string)
	walk = func(code string) {
		for _, d := range res.Children(code) {
			switch d.Level {
			case division.County:
				c := County{Code: d.Code, FullName: res.FullName(d.Code), Name: d.Name}
				seen := map[string]bool{}
				for _, t := range res.Children(d.Code) {
					if t.Level == division.Township && !seen[t.Name] {
						seen[t.Name] = true
						c.Townships = append(c.Townships, t)
					}
				}
				out = append(out, c)
			case division.Province, division.City:
				walk(d.Code)
			}
		}
	}
	for p := 11; p <= 82; p++ {
		code := fmt.Sprintf("%02d0000", p)
		if d, ok := res.Lookup(code); ok && d.Level == division.Province {
			walk(code)
		}
	}
	slices.SortFunc(out, func(a, b County) int { return strings.Compare(a.Code, b.Code) })
	r := rand.New(rand.NewPCG(seed, 0x6e6174696f6e))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// Pick returns the first counties of all whose reports over years add up
// to at least n.
func Pick(all []County, n, years int) []County {
	total := 0
	for i, c := range all {
		if total >= n {
			return all[:i]
		}
		total += c.Reports() * years
	}
	return all
}

// Generate makes the county's reports for every year, placed among the
// divisions (Report.Body) as ingest with --district would, named
// uniquely across the nation (the county's full name, then the body), in
// year then body order. Reports that break R5 on purpose (a fraction in a
// count, which the store refuses) are left out; the others keep the
// generator's share of rule violations.
func Generate(c County, first, last int, seed uint64) ([]gongkai.Parsed, error) {
	names := make([]string, len(c.Townships))
	for i, t := range c.Townships {
		names[i] = t.Name
	}
	// Longest names first, so 东城镇 is not taken for 城镇.
	byLength := slices.Clone(c.Townships)
	slices.SortStableFunc(byLength, func(a, b division.Division) int { return len(b.Name) - len(a.Name) })
	items, err := gen.Build(gen.Options{District: c.Name, Townships: len(names), TownshipNames: names,
		Departments: Departments, FirstYear: first, LastYear: last, Seed: seed, Violations: 0.02})
	if err != nil {
		return nil, fmt.Errorf("county %s %s: %w", c.Code, c.FullName, err)
	}
	res := division.Default()
	county, ok := res.Body(c.Code)
	if !ok {
		return nil, fmt.Errorf("county %s: not in the divisions data", c.Code)
	}
	out := make([]gongkai.Parsed, 0, len(items))
	for _, it := range items {
		if it.Violation == "R5" {
			continue
		}
		r := it.Record
		suffix := strings.TrimPrefix(r.Organization, c.Name)
		r.Organization = c.FullName + suffix
		body := county
		body.Type = it.BodyType
		if it.BodyType == gen.TypeTownship || it.BodyType == gen.TypeStreet {
			// The generator names a township's body <district><name>人民政府
			// or <district><name>办事处.
			key := strings.TrimSuffix(strings.TrimSuffix(suffix, "人民政府"), "办事处")
			for _, t := range byLength {
				if strings.HasSuffix(key, t.Name) {
					if b, ok := res.Body(t.Code); ok {
						body = b
						body.Type = it.BodyType
					}
					break
				}
			}
		}
		r.Body = body
		out = append(out, gongkai.Parsed{Report: r, Path: fmt.Sprintf("national/%s/%s.json", c.Code, it.Base),
			Hash: fmt.Sprintf("bench-%d-%s-%s", seed, c.Code, it.Base), Rendering: "json"})
	}
	slices.SortStableFunc(out, func(a, b gongkai.Parsed) int { return a.Report.ReportYear - b.Report.ReportYear })
	return out, nil
}
