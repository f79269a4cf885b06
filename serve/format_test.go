package serve

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"

	"gongkai"
	"gongkai/render"
)

func TestFormatParam(t *testing.T) {
	for _, tc := range []struct {
		s       string
		allowed []render.Format
		want    render.Format
		bad     bool
	}{
		{"", rollupFormats, render.JSON, false},
		{"json", rollupFormats, render.JSON, false},
		{"arrow", rollupFormats, render.ArrowStream, false},
		{"arrows", rollupFormats, render.ArrowStream, false},
		{"XLSX", rollupFormats, render.XLSX, false},
		{"parquet", rollupFormats, render.Parquet, false},
		{"table", rollupFormats, "", true},
		{"csv-bom", rollupFormats, "", true},
		{"xml", rollupFormats, "", true},
		{"arrow", queryFormats, render.ArrowStream, false},
		{"csv", queryFormats, render.CSV, false},
		{"parquet", queryFormats, "", true},
	} {
		got, err := formatParam(tc.s, tc.allowed)
		if tc.bad != (err != nil) || got != tc.want || (err != nil && !errors.Is(err, gongkai.ErrUsage)) {
			t.Errorf("formatParam(%q) = %q, %v", tc.s, got, err)
		}
	}
}

// TestOpenAPIFormatsFromVocabulary: the OpenAPI document offers exactly
// the formats the server accepts.
func TestOpenAPIFormatsFromVocabulary(t *testing.T) {
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name   string
				Schema struct{ Enum []string }
			}
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Properties map[string]struct{ Enum []string }
					}
				}
			} `json:"requestBody"`
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	names := func(fs []render.Format) []string {
		var s []string
		for _, f := range fs {
			s = append(s, string(f))
		}
		return s
	}
	var got []string
	for _, p := range doc.Paths["/v1/rollups/{name}"]["get"].Parameters {
		if p.Name == "format" {
			got = p.Schema.Enum
		}
	}
	if !slices.Equal(got, names(rollupFormats)) {
		t.Errorf("rollup formats in OpenAPI %v, served %v", got, names(rollupFormats))
	}
	got = doc.Paths["/v1/query"]["post"].RequestBody.Content["application/json"].Schema.Properties["format"].Enum
	if !slices.Equal(got, names(queryFormats)) {
		t.Errorf("query formats in OpenAPI %v, served %v", got, names(queryFormats))
	}
}
