// Package gongkai is the domain of China's government information-disclosure
// annual reports (政府信息公开工作年度报告): the report record, the national
// layouts that fix its cells and labels, and the consistency rules
// (勾稽关系) a single report must obey.
//
// It imports neither DuckDB nor any document parser: readers (package
// ingest) produce Reports, the store (package store) keeps them, and both
// speak in the keys and labels defined here, so a cell is named the same
// way in a parser, a finding, a table and a Parquet file.
package gongkai
