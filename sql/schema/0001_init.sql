-- Schema version 1: reports, their cells in long form, findings.
--
-- Physical tables hold keys only; the public views (applications,
-- active_disclosure, review_litigation) join the official Chinese labels
-- from cell_labels, which the store refills from the Go layouts on open.
-- Report ids come from a sequence and are never reused, so replacing a
-- report is DELETE old id + INSERT new id with no key ever re-inserted.

CREATE SEQUENCE report_id_seq START 1;

CREATE TABLE reports (
    report_id      BIGINT PRIMARY KEY,
    organization   VARCHAR NOT NULL,   -- as printed on the report
    report_year    INTEGER NOT NULL,
    format_version VARCHAR NOT NULL,   -- '2021' | '2019'
    published_on   DATE,               -- NULL when the document gives no date
    province       VARCHAR,            -- division names; NULL when unknown
    city           VARCHAR,
    county         VARCHAR,            -- county-level: 区, 县, 县级市
    township       VARCHAR,            -- township-level: 镇, 乡, 街道; NULL for county bodies
    division_code  VARCHAR,            -- GB/T 2260 (6 digits) or township (9); NULL when unresolved
    body_type      VARCHAR,            -- township_government, street_office, county_department...
    is_aggregate   BOOLEAN NOT NULL DEFAULT false, -- a whole-area (全区/全市) report, never summed with its parts
    source_path    VARCHAR NOT NULL,
    rendering      VARCHAR,            -- word_text, html, docx, pdf, pipe_text...
    content_hash   VARCHAR NOT NULL,   -- sha256 of the file's bytes, hex
    ingested_at    TIMESTAMPTZ NOT NULL
);

-- Section 二, one row per cell. Money and counts share a DECIMAL(18,6)
-- column; the public view splits them by kind.
CREATE TABLE active_cells (
    report_id  BIGINT  NOT NULL,
    item_key   VARCHAR NOT NULL,
    metric_key VARCHAR NOT NULL,
    value      DECIMAL(18,6),          -- NULL: not stated in the report
    source_loc VARCHAR,
    source_raw VARCHAR
);

-- Section 三, one row per cell: 25 (2021) or 23 (2019) rows x 7 columns.
CREATE TABLE application_cells (
    report_id  BIGINT  NOT NULL,
    row_key    VARCHAR NOT NULL,
    col_key    VARCHAR NOT NULL,
    value      BIGINT,
    source_loc VARCHAR,
    source_raw VARCHAR
);

-- Section 四, one row per cell: 3 blocks x 5 columns.
CREATE TABLE review_cells (
    report_id  BIGINT  NOT NULL,
    block_key  VARCHAR NOT NULL,
    col_key    VARCHAR NOT NULL,
    value      BIGINT,
    source_loc VARCHAR,
    source_raw VARCHAR
);

-- Counts stated in the prose of section 一 (政府信息532条...).
CREATE TABLE narrative (
    report_id  BIGINT  NOT NULL,
    key        VARCHAR NOT NULL,
    value      DECIMAL(18,6),
    source_loc VARCHAR,
    source_raw VARCHAR
);

-- Findings of the rules and the readers. report_id is the report the
-- finding is about; scope says who produced it ('report' for R1-R5 and
-- READ at ingest, 'store' for the cross-report rules R6-R9).
CREATE TABLE findings (
    report_id BIGINT  NOT NULL,
    rule      VARCHAR NOT NULL,
    severity  VARCHAR NOT NULL,        -- error | warning | info
    status    VARCHAR NOT NULL,        -- failed | not_checkable | uncertain
    "where"   VARCHAR[] NOT NULL,      -- cell paths
    message   VARCHAR NOT NULL,
    scope     VARCHAR NOT NULL DEFAULT 'report'
);

-- Official labels of every cell of both layouts, written by the store from
-- the Go layouts (gongkai.LayoutOf) so SQL and Go never disagree.
CREATE TABLE cell_labels (
    format_version VARCHAR NOT NULL,
    section        VARCHAR NOT NULL,   -- active | applications | review_litigation
    row_key        VARCHAR NOT NULL,
    col_key        VARCHAR NOT NULL,
    row_label      VARCHAR NOT NULL,
    col_label      VARCHAR NOT NULL,
    row_group      VARCHAR,            -- block (第二十条第（一）项) or heading (（三）不予公开)
    row_order      INTEGER NOT NULL,
    col_order      INTEGER NOT NULL,
    kind           VARCHAR NOT NULL    -- count | signed | money
);
