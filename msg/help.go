package msg

// helpTexts are the command line's help: "help" is gongkai --help's frame,
// help.CMD a command's usage (synopsis, description, examples) and
// help.CMD.summary its line in the list. Flag names, SQL and examples' command
// lines are the same in both languages (TestHelpInChinese checks it).
var helpTexts = map[ID]Text{
	"help.check.summary": {
		"list the stored findings (rule failures, unreadable cells) by rule, body and year",
		"按规则、机关和年度列出库中的问题（规则不符、无法读取的单元格）"},
	"help.check": {
		`Usage: gongkai check [--rule R] [--year Y] [--division D] [--summary] [--format table|csv|json|jsonl] [--db PATH]

Prints a count of the stored findings by rule and status (failed,
not_checkable, uncertain), then every finding with its organization, year,
the cells concerned and the message. Rules are listed in README.md (R1-R9,
READ for what a reader could not settle).

With --format csv or jsonl only the list is printed (or only the summary
with --summary); --format json prints {"summary": [...], "findings": [...]}.

Examples:
  gongkai check
  gongkai check --rule R1 --year 2023
  gongkai check --format csv > findings.csv
`,
		`用法：gongkai check [--rule R] [--year Y] [--division D] [--summary] [--format table|csv|json|jsonl] [--db PATH]

先按规则和状态（不符 failed、无法核验 not_checkable、存疑 uncertain）统计库中的
问题，再逐条列出每个问题所属的机关、年度、涉及的单元格和说明。各规则见
README.md（R1–R9；READ 表示读取时无法确定的数值）。

--format csv 或 jsonl 只输出问题清单（加 --summary 则只输出统计）；
--format json 输出 {"summary": [...], "findings": [...]}。表格和 CSV 按所选语言
输出；JSON 供程序使用，保留英文说明（message），另附问题代码（code）和参数（args）。

示例：
  gongkai check
  gongkai check --rule R1 --year 2023
  gongkai check --format csv > findings.csv
`},
	"help.compile.summary": {
		"compile a division's report for a year: the three official tables summed over its bodies",
		"汇编某一行政区划某年度的报告：按官方三张表逐格汇总所辖各机关的数据"},
	"help.compile": {
		`Usage: gongkai compile --division NAME|CODE --year YEAR [--format table|markdown|html|csv|json|xlsx] [--out FILE] [--db PATH]

Does the district office's January job: sums, cell by cell, the reports of
every body inside the division (townships, streets, departments, the
government's own office) for the year into the three official tables of
the annual report, with the official labels and layout. Whole-area
(全区/全市) reports are never added to their parts; they are listed apart
(R9 in 'gongkai check' compares them with the sum).

A cell that some body left blank is blank (—) in the total too, and a
COMPILE finding gives how many bodies did not state it and what the others
add up to: a partial sum is never shown as the total.

After the tables come the bodies included, the bodies expected but missing
(they reported in an earlier year, or they are townships of the division in
the divisions data), the findings that affect the totals, and the reports of
the year that have no division at all (ingest them with --district or a
manifest).

--division takes a name (文登区, 威海市文登区, 威海市) or a code (371003,
371000, 37); a name that several divisions share is refused with the
candidates. --format json writes a report record (as 'gongkai parse' does)
whose organization is the division, with a "compiled" field listing the
bodies and findings; xlsx writes one sheet per official table plus a sheet
of bodies and findings, and needs --out; csv writes one row per cell (table,
official row and column labels, value, cell path) after a byte-order mark,
for Excel and WPS (the page's 汇总表 CSV download is the same).

Examples:
  gongkai compile --division 文登区 --year 2023
  gongkai compile --division 371003 --year 2023 --format markdown --out 文登区2023.md
  gongkai compile --division 威海市文登区 --year 2023 --format xlsx --out 文登区2023.xlsx
  gongkai compile --division 威海市 --year 2022 --format json
  gongkai compile --division 文登区 --year 2023 --format csv --out 文登区2023.csv
`,
		`用法：gongkai compile --division NAME|CODE --year YEAR [--format table|markdown|html|csv|json|xlsx] [--out FILE] [--db PATH]

完成区县政务公开办公室每年一月的汇总工作：将该行政区划内所有机关（乡镇、街道、
部门、政府办公室）当年的报告逐格相加，按年度报告官方表式、官方栏目名称生成三张
表。全区（全市）汇总报告不与其所辖机关相加，单独列出（'gongkai check' 中的 R9
将其与各机关之和比对）。

有机关未填报的单元格，合计中也留空（—），并以 COMPILE 问题说明有几个机关未填报、
已填报的机关合计多少：绝不把部分之和当作合计显示。

三张表之后依次列出：参与汇总的机关；应报未报的机关（往年报送过，或属于行政区划
数据中该区划下的乡镇街道）；影响合计的问题；以及当年没有对应到任何行政区划的
报告（入库时用 --district 或清单文件指定）。

--division 可以是名称（文登区、威海市文登区、威海市）或代码（371003、371000、
37）；多个行政区划同名时拒绝执行并列出候选。--format json 输出一条报告记录（与
'gongkai parse' 相同），其发布机关为该行政区划，"compiled" 字段列出参与汇总的
机关和问题；xlsx 每张官方表一个工作表，另有一个机关和问题工作表，须指定 --out；
csv 每个单元格一行（所属表、官方行列名称、数值、单元格路径），文件以字节顺序标记
开头，供 Excel 和 WPS 打开（页面上“汇总表 CSV”下载的文件与此相同）。

示例：
  gongkai compile --division 文登区 --year 2023
  gongkai compile --division 371003 --year 2023 --format markdown --out 文登区2023.md
  gongkai compile --division 威海市文登区 --year 2023 --format xlsx --out 文登区2023.xlsx
  gongkai compile --division 威海市 --year 2022 --format json
  gongkai compile --division 文登区 --year 2023 --format csv --out 文登区2023.csv
`},
	"help.demo.summary": {
		"ingest a sample district into a temporary database and show its findings and rollup",
		"将一个样例区县导入临时数据库，展示其问题和汇总统计"},
	"help.demo": {
		`Usage: gongkai demo

Shows gongkai's whole path in one command, without touching any file of
yours: it reads the sample district in testdata/sample (or, outside a
clone, generates the same sample with 'gongkai gen'), ingests every report
into a temporary DuckDB database, runs the cross-year rules, prints the
findings by rule and the district rollup of the latest year (township rows,
their subtotal, the county-level bodies, the district total), and removes
the temporary files.

Examples:
  gongkai demo
  go run ./cmd/gongkai demo
`,
		`用法：gongkai demo

用一条命令展示 gongkai 的完整流程，不改动您的任何文件：读取 testdata/sample 中的
样例区县（不在源码目录中时，用 'gongkai gen' 生成同样的样例），将全部报告导入临时
DuckDB 数据库，运行跨年度规则，输出按规则统计的问题和最近一年的区县汇总（各乡镇
街道、乡镇小计、县级机关、全区合计），最后删除临时文件。

示例：
  gongkai demo
  go run ./cmd/gongkai demo
`},
	"help.export.summary": {
		"write a table, rollup or query as Parquet, Arrow, CSV, JSON lines or XLSX; or the whole store as a Parquet dataset",
		"将表、汇总统计或查询结果导出为 Parquet、Arrow、CSV、JSON 行或 XLSX；或将整个数据库导出为 Parquet 数据集"},
	"help.export": {
		`Usage: gongkai export --db PATH (--table NAME | --rollup NAME [--year Y] [--division D] [--level L] [--rule R] | --query SQL [--timeout D])
                      [--format parquet|arrow|arrows|csv|jsonl|xlsx] --out FILE
       gongkai export --db PATH --dataset DIR

Writes rows of the store to a file, keeping column types: integers stay
integers, money stays DECIMAL(18,6) (Parquet, Arrow) and nulls stay null
(an empty CSV field, an empty XLSX cell, JSON null), never 0.

  --table    a table or view: reports, applications, active_disclosure,
             review_litigation, findings…
  --rollup   a named rollup (gongkai rollup --list), with its parameters
  --query    one read-only SELECT; it runs in the same SQL sandbox as
             'gongkai query' (no file or network access, 512MB of DuckDB
             memory) without a row cap, for at most --timeout (2m, which
             can only be lowered); gongkai writes the file from the rows
             the sandbox sends back

Formats: parquet (zstd), arrow (Arrow IPC file), arrows (Arrow IPC stream),
csv, jsonl (one JSON object per line), xlsx. Without --format, the --out
file's extension decides. A CSV file starts with a UTF-8 byte-order mark, so
Excel and WPS on Chinese Windows show the Chinese names instead of mojibake
(DuckDB, pandas and polars skip the mark); CSV to standard output has none.
--bom=false or --bom changes that. An XLSX file shows the official Chinese
labels as headers (the column keys on its 'columns' sheet), real Excel
dates, timestamps in UTC+8, a frozen header row and filters.

--dataset DIR writes every cell of the store (sections 二, 三 and 四 with the
report's identity, division and provenance on each row) as a hive-partitioned
Parquet dataset, DIR/year=2023/province_code=37/data_0.parquet, that DuckDB, Spark
or Trino read as one table.

Every output is written atomically: a temporary file (or folder) beside the
target, synced, then renamed, so a reader never sees half a file and a failed
export leaves the previous one in place.

Examples:
  gongkai export --table applications --out applications.parquet
  gongkai export --rollup district_year --year 2023 --out district_2023.xlsx
  gongkai export --query "SELECT * FROM reports WHERE county = '文登区'" --format csv --out wendeng.csv
  gongkai export --table active_disclosure --format arrows --out active.arrows
  gongkai export --rollup district_year --format csv --out - | head
  gongkai export --dataset lake/gongkai
  duckdb -c "SELECT year, count(*) FROM read_parquet('lake/gongkai/**/*.parquet', hive_partitioning=true) GROUP BY ALL"
`,
		`用法：gongkai export --db PATH (--table NAME | --rollup NAME [--year Y] [--division D] [--level L] [--rule R] | --query SQL [--timeout D])
                      [--format parquet|arrow|arrows|csv|jsonl|xlsx] --out FILE
      gongkai export --db PATH --dataset DIR

将数据库中的数据写入文件，保留字段类型：整数仍为整数，金额仍为 DECIMAL(18,6)
（Parquet、Arrow），空值仍为空值（CSV 中为空字段，XLSX 中为空单元格，JSON 中为
null），绝不写成 0。

  --table    表或视图：reports、applications、active_disclosure、
             review_litigation、findings…
  --rollup   汇总统计名称（gongkai rollup --list），及其参数
  --query    一条只读 SELECT 语句；在与 'gongkai query' 相同的 SQL 沙箱中运行
             （不能访问文件和网络，DuckDB 内存 512MB），不限行数，最长运行
             --timeout（2m，只能调低）；gongkai 将沙箱返回的各行写入文件

格式：parquet（zstd 压缩）、arrow（Arrow IPC 文件）、arrows（Arrow IPC 流）、
csv、jsonl（每行一个 JSON 对象）、xlsx。不指定 --format 时按 --out 的扩展名确定。
CSV 文件以 UTF-8 字节顺序标记（BOM）开头，中文 Windows 上的 Excel 和 WPS 打开时
显示中文而不乱码（DuckDB、pandas、polars 会跳过该标记）；输出到标准输出的 CSV
不带 BOM。可用 --bom=false 或 --bom 改变。XLSX 文件以官方中文栏目名称作表头
（字段名列在其 'columns' 工作表中），日期为 Excel 日期，时间为北京时间（UTC+8），
冻结首行并设置筛选。

--dataset DIR 将数据库中的每个单元格（二、三、四部分，每行附报告的发布机关、
年度、行政区划和读取位置）写成按 hive 分区的 Parquet 数据集，
DIR/year=2023/province_code=37/data_0.parquet，DuckDB、Spark、Trino 可作为一张
表读取。

所有输出均以原子方式写入：先在目标旁写临时文件（或文件夹），同步到磁盘后再改名，
读取方不会看到写了一半的文件，导出失败时原有文件保持不变。

示例：
  gongkai export --table applications --out applications.parquet
  gongkai export --rollup district_year --year 2023 --out district_2023.xlsx
  gongkai export --query "SELECT * FROM reports WHERE county = '文登区'" --format csv --out wendeng.csv
  gongkai export --table active_disclosure --format arrows --out active.arrows
  gongkai export --rollup district_year --format csv --out - | head
  gongkai export --dataset lake/gongkai
  duckdb -c "SELECT year, count(*) FROM read_parquet('lake/gongkai/**/*.parquet', hive_partitioning=true) GROUP BY ALL"
`},
	"help.gen.summary": {
		"generate realistic reports of a made-up district, with their truth",
		"生成一个虚构区县的仿真报告及其核对文件"},
	"help.gen": {
		`Usage: gongkai gen --out DIR [flags]

Writes the annual reports of one district — its townships and streets, a few
county departments and the district government's own office — for a range
of years: the 2019 layout for 2019–2020, the 2021 layout after. Numbers obey
R1–R5 and link across years (上年结转 = last year's 结转下年度; 现行有效
carries over; the 2019 上一年项目数量 chain). Most townships get few or no
requests, some departments hundreds.

Beside each report it writes <report>.truth.json (the record, docs/FORMAT.md §5)
and one truth.csv listing every file with its organization, year, layout
version, rendering and the rule it breaks on purpose (--violations; R8 for
--mismatches). --typos, --single-other and --blanks print what real PDFs
show: misspelled labels, （六）其他处理 as one row, cells left blank. When
ingesting a generated folder, these truth files are not reports.

The output depends only on the flags: the same --seed gives the same bytes
(pdf excepted: LibreOffice stamps the time into each PDF).

Renderings: word_text (default; the seed's Word-to-text shape), html,
html_gbk, html_js, pipe_text, cell_lines, paragraphs, markdown, glued_text,
docx, pdf (the docx converted by LibreOffice, several reports a run; needs
soffice installed, ./scripts/install-deps does it; 'all' skips pdf when
missing), all.

Examples:
  gongkai gen --out /tmp/district --district 威海市文登区 --townships 8 --departments 4 --years 2019-2024 --seed 7
  gongkai gen --out /tmp/mixed --rendering all --violations 0.1 --noise 0.3
  gongkai gen --out /tmp/one --townships 2 --departments 0 --years 2023 --rendering html_gbk
  gongkai gen --out /tmp/real --rendering all --mixed --typos 0.3 --single-other 0.2 --blanks 0.1 --mismatches 0.05
  gongkai gen --out /tmp/big --townships 300 --departments 32 --rendering all --mixed --noise 0.3   # ~2,000 mixed reports
  gongkai gen --out /tmp/ids --townships 40 --years 2019-2024 --rendering all --mixed --vary-identity   # every title form
`,
		`用法：gongkai gen --out DIR [参数]

生成一个区县在若干年度的政府信息公开工作年度报告：各乡镇街道、若干县级部门和
区县政府办公室。2019–2020 年采用 2019 年版表式，此后采用 2021 年版表式。数据符合
R1–R5，并前后年度衔接（上年结转 = 上一年度结转下年度继续办理；现行有效件数逐年
延续；2019 年版的上一年项目数量前后衔接）。多数乡镇申请很少或没有，有的部门
多达数百件。

每份报告旁写入 <报告>.truth.json（报告记录，见 docs/FORMAT.md §5），另写一个
truth.csv，列出每个文件的发布机关、年度、表式版本、文件格式，以及有意违反的规则
（--violations；--mismatches 对应 R8）。--typos、--single-other、--blanks 模拟
真实 PDF 中常见的情况：栏目名称错字、（六）其他处理只印一行、单元格留空。导入
生成的文件夹时，这些核对文件不作为报告。

输出只取决于参数：--seed 相同，生成的文件逐字节相同（pdf 除外：LibreOffice 会在
每个 PDF 中写入时间）。

文件格式：word_text（默认；样本 Word 转文本后的形式）、html、html_gbk、html_js、
pipe_text、cell_lines、paragraphs、markdown、glued_text、docx、pdf（由
LibreOffice 将 docx 转换，一次转换多份报告；须安装 soffice，
./scripts/install-deps 会安装；未安装时 'all' 跳过 pdf）、all。

示例：
  gongkai gen --out /tmp/district --district 威海市文登区 --townships 8 --departments 4 --years 2019-2024 --seed 7
  gongkai gen --out /tmp/mixed --rendering all --violations 0.1 --noise 0.3
  gongkai gen --out /tmp/one --townships 2 --departments 0 --years 2023 --rendering html_gbk
  gongkai gen --out /tmp/real --rendering all --mixed --typos 0.3 --single-other 0.2 --blanks 0.1 --mismatches 0.05
  gongkai gen --out /tmp/big --townships 300 --departments 32 --rendering all --mixed --noise 0.3   # ~2,000 mixed reports
  gongkai gen --out /tmp/ids --townships 40 --years 2019-2024 --rendering all --mixed --vary-identity   # every title form
`},
	"help.ingest.summary": {
		"read report files, folders and .zip archives into the database",
		"将报告文件、文件夹和 .zip 压缩包导入数据库"},
	"help.ingest": {
		`Usage: gongkai ingest [--db PATH] [--district NAME|CODE] [--manifest CSV] PATH...
       gongkai ingest [--db PATH] [--organization NAME] [--year YYYY] FILE

Reads every report under the PATHs — files, folders (recursively) and .zip
archives — and stores it in the database, creating the database if needed.
Files are parsed in parallel on all cores while one writer stores them in
batches; each batch is stored whole or not at all, so an interrupted run
loses nothing stored and can simply be run again.

For every file:
  added      a new report (nothing printed)
  unchanged  the same file is already stored; nothing is written
  replaced   another file for the same organization and year was stored;
             the new one replaces it everywhere (also: the same file, now
             placed among the divisions differently, is stored again)
  failed     the file could not be read; it is named with the reason, and
             nothing stored is touched
  skipped    a file found in a folder or archive that is no report
Hidden files and the generator's *.truth.json files are left out of
folders. The run ends with a summary line and the list of failures; the
exit status is 1 when any file failed.

Each report's author is placed among China's administrative divisions
from its organization's name; --district narrows the search (and places
departments whose names give no place, such as 教育和体育局), --manifest
gives the division code and body type per file (CSV header
file,division_code,body_type). An author that cannot be placed is stored
with empty division fields and a DIV finding, never a guess.

Each report is stored under its organization and report year, read from
its title, metadata, signature and body (see 'gongkai parse --help'). A
report that states neither fails, naming the places tried; the manifest's
optional columns organization and year (header e.g.
file,organization,year) state them per file, and --organization and
--year for a single FILE. What the user states wins over the document; a
finding names any disagreement.

A progress bar is shown when stderr is a terminal, a progress line every
few seconds otherwise.

DuckDB's memory is bounded (default 1GB; set GONGKAI_MEMORY_LIMIT, e.g.
GONGKAI_MEMORY_LIMIT=4GB, to change it); what does not fit spills to the
folder DB.tmp beside the database.

Examples:
  gongkai ingest reports/
  gongkai ingest --db wendeng.duckdb --district 文登区 2023.zip 2024/
  gongkai ingest --manifest bodies.csv downloads/
  gongkai ingest --organization 泽库镇人民政府 --year 2023 泽库镇年报.pdf
`,
		`用法：gongkai ingest [--db PATH] [--district NAME|CODE] [--manifest CSV] PATH...
      gongkai ingest [--db PATH] [--organization NAME] [--year YYYY] FILE

读取 PATH 下的全部报告（文件、文件夹（含子文件夹）和 .zip 压缩包）并存入数据库，
数据库不存在时自动创建。文件在全部 CPU 核上并行解析，由一个写入进程分批入库；
每批要么全部入库，要么全不入库，因此运行中断不会丢失已入库的数据，再次运行即可。

每个文件的结果：
  新增    新报告（不逐个输出）
  未变    同一文件已在库中，不写入
  已替换  库中已有同一机关同一年度的另一文件，以新文件全面替换（同一文件
          在行政区划中的定位发生变化时，也重新入库）
  失败    文件无法读取；列出文件名和原因，库中数据不受影响
  已跳过  文件夹或压缩包中不是报告的文件
文件夹中的隐藏文件和生成器的 *.truth.json 文件不导入。运行结束时输出一行汇总和
失败文件清单；有文件失败时退出状态为 1。

按发布机关名称将每份报告对应到我国行政区划；--district 缩小查找范围（并可定位
名称中不含地名的部门，如教育和体育局），--manifest 逐个文件给出区划代码和机关
类型（CSV 表头 file,division_code,body_type）。无法定位的发布机关，区划字段留空
入库并记一条 DIV 问题，绝不猜测。

每份报告按发布机关和报告年度入库，二者从标题、元数据、落款和正文中读取（见
'gongkai parse --help'）。两者都未写明的报告入库失败，并列出已查找的位置；可在
清单文件的可选列 organization、year 中逐个文件写明（表头如
file,organization,year），单个文件可用 --organization 和 --year。用户写明的优先于
文件所写，二者不一致时记一条问题。

标准错误输出为终端时显示进度条，否则每隔几秒输出一行进度。

DuckDB 内存有上限（默认 1GB；可设 GONGKAI_MEMORY_LIMIT 修改，如
GONGKAI_MEMORY_LIMIT=4GB）；超出部分临时写入数据库旁的 DB.tmp 文件夹。

示例：
  gongkai ingest reports/
  gongkai ingest --db wendeng.duckdb --district 文登区 2023.zip 2024/
  gongkai ingest --manifest bodies.csv downloads/
  gongkai ingest --organization 泽库镇人民政府 --year 2023 泽库镇年报.pdf
`},
	"help.parse.summary": {
		"read report files and print their records as JSON",
		"读取报告文件，以 JSON 输出其记录"},
	"help.parse": {
		`Usage: gongkai parse FILE... [--explain] [--district NAME|CODE]
       gongkai parse [--organization NAME] [--year YYYY] FILE

Reads each report (Word text, | tables, one cell per line or paragraph,
Markdown, glued page text, HTML, DOCX, PDF with a text layer, or a JSON
record) and prints its record (docs/FORMAT.md §5): one pretty JSON object for one
file, one JSON object per line for several. The record's findings list the
rules R1–R5 that fail or cannot be checked and every value the reader could
not settle (rule READ; such a cell is null, never a guess).

A file whose tables cannot be read is reported on stderr as
"Error: parse FILE: ..." naming what is missing; the other files still
print, and the exit status is 1.

The record's "body" says who wrote the report, placed among China's
divisions (division code, province … township, body type); a name that
cannot be placed gets a DIV finding instead. --district narrows names
that several divisions share, as in 'gongkai ingest'.

The organization and report year (the year the report covers, not the
year it was published) are read from every place the report states them:
its title in any of its forms, the HTML <title>, a saved page's 标题/
发布机构/发布时间 lines, PDF and DOCX metadata, the signature and its date,
and phrases of the body. When they disagree the title wins and a READ
finding names the disagreement. When no organization or no year is found,
the error names every place tried; state them with --organization and
--year (for one FILE; they win over the document, and a finding names any
disagreement).

--explain prints, instead of JSON, one tab-separated line per cell: its
path, value, where it was read (line, table/row/column) and the raw text;
its header says where the organization, year and date came from and lists
every identity clue found.

Examples:
  gongkai parse 2023年泽库镇政府信息公开工作年度报告.txt
  gongkai parse reports/*.txt > records.jsonl
  gongkai parse --explain report.html | grep applications.1_new
  gongkai parse --organization 泽库镇人民政府 --year 2023 scan-ocr.txt
`,
		`用法：gongkai parse FILE... [--explain] [--district NAME|CODE]
      gongkai parse [--organization NAME] [--year YYYY] FILE

读取每份报告（Word 文本、| 表格、每行或每段一个单元格、Markdown、连排的页面
文本、HTML、DOCX、带文字层的 PDF 或 JSON 记录），输出其记录（docs/FORMAT.md §5）：
单个文件输出一个带缩进的 JSON 对象，多个文件每行一个 JSON 对象。记录中的问题
（findings）列出不符合或无法核验的规则 R1–R5，以及读取时无法确定的每个数值
（规则 READ；这样的单元格记为空，绝不猜测）。

表格无法读取的文件，在标准错误输出中报告为 "Error: parse FILE: ..."（中文环境为
“错误：解析 文件：...”），写明缺少什么；其他文件照常输出，退出状态为 1。

记录中的 "body" 说明报告由谁发布，并对应到我国行政区划（区划代码、省……乡镇、
机关类型）；无法定位的名称记一条 DIV 问题。--district 用于区分多个行政区划共有的
名称，与 'gongkai ingest' 相同。

发布机关和报告年度（报告所涵盖的年度，而非发布年度）从报告写明的各处读取：各种
形式的标题、HTML 的 <title>、网页另存文件中的 标题/发布机构/发布时间 行、PDF 和
DOCX 元数据、落款及其日期、正文中的表述。各处不一致时以标题为准，并记一条 READ
问题说明不一致之处。找不到发布机关或年度时，错误信息列出已查找的每个位置；可用
--organization 和 --year 写明（仅限单个文件；优先于文件所写，不一致时记一条问题）。

--explain 不输出 JSON，而是逐格输出一行（以制表符分隔）：单元格路径、数值、读取
位置（行号，表/行/列）和原文；开头说明发布机关、年度和日期取自何处，并列出找到的
每条身份线索。

示例：
  gongkai parse 2023年泽库镇政府信息公开工作年度报告.txt
  gongkai parse reports/*.txt > records.jsonl
  gongkai parse --explain report.html | grep applications.1_new
  gongkai parse --organization 泽库镇人民政府 --year 2023 scan-ocr.txt
`},
	"help.query.summary": {
		"run your own read-only SQL over the store",
		"在数据库上运行自己编写的只读 SQL"},
	"help.query": {
		`Usage: gongkai query "SQL" [--format table|csv|json|jsonl] [--max-rows N] [--timeout D] [--db PATH]
       gongkai query - < file.sql

Runs one SQL statement in gongkai's SQL sandbox and prints the answer. The
public tables and views are reports, applications, active_disclosure,
review_litigation, narrative, findings, report_bodies and report_measures
(see README).
Only read statements run (SELECT, WITH, DESCRIBE, SHOW, EXPLAIN...), one at
a time, as DuckDB's own parser classifies them, in a separate worker process
that cannot read or write files, reach the network or change the store. The
statement is stopped after --timeout (at most 5s) and may use at most 512MB
of DuckDB memory (GONGKAI_MEMORY_LIMIT may set less); at most --max-rows
rows (at most 10000) are printed, and a note says when the result was cut.
--timeout and --max-rows can only lower the defaults.

Examples:
  gongkai query "SELECT organization, report_year FROM reports ORDER BY 1, 2"
  gongkai query "SELECT row_label, sum(value) FROM applications WHERE col_key = 'total' AND report_year = 2023 GROUP BY ALL ORDER BY any_value(row_order)"
  gongkai query --format csv "SELECT * FROM findings" > findings.csv
`,
		`用法：gongkai query "SQL" [--format table|csv|json|jsonl] [--max-rows N] [--timeout D] [--db PATH]
      gongkai query - < file.sql

在 gongkai 的 SQL 沙箱中运行一条 SQL 语句并输出结果。公开的表和视图有 reports、
applications、active_disclosure、review_litigation、narrative、findings、
report_bodies 和 report_measures（见 README）。
只运行读取语句（SELECT、WITH、DESCRIBE、SHOW、EXPLAIN……），一次一条，按 DuckDB
自身的解析器判定，在单独的工作进程中运行，该进程不能读写文件、访问网络或修改
数据库。语句运行超过 --timeout（最长 5s）即终止，DuckDB 内存最多 512MB
（GONGKAI_MEMORY_LIMIT 可设得更小）；最多输出 --max-rows 行（最多 10000 行），
结果被截断时另有说明。--timeout 和 --max-rows 只能调低默认值。

示例：
  gongkai query "SELECT organization, report_year FROM reports ORDER BY 1, 2"
  gongkai query "SELECT row_label, sum(value) FROM applications WHERE col_key = 'total' AND report_year = 2023 GROUP BY ALL ORDER BY any_value(row_order)"
  gongkai query --format csv "SELECT * FROM findings" > findings.csv
`},
	"help.rollup.summary": {
		"run a named rollup (district × year totals...) over the store",
		"在数据库上运行指定的汇总统计（区县 × 年度合计等）"},
	"help.rollup": {
		`Usage: gongkai rollup --list
       gongkai rollup NAME [--year Y] [--division D] [--level L] [--rule R] [--format table|csv|json|jsonl] [--db PATH]

Runs one of the rollups shipped in sql/rollups/*.sql on a read-only
connection. Subtotal and total rows come from the same GROUPING SETS query
as the detail rows; the "level" column says which a row is. Whole-area
(aggregate) reports are never summed with their parts. SUM skips cells a
report left blank: incomplete_reports and null_counts say how many reports
of a row left a measure unknown. The whole-nation answers of district_year,
district_year_review, district_year_active and levels (the last two also
by --year, levels by --level) are kept in the store at the end of each
ingest and read back while fresh.
csv, json and jsonl are written row by row as they are read, so a whole
nation's answer streams through a pipe without being held in memory.

Examples:
  gongkai rollup --list
  gongkai rollup district_year --year 2023
  gongkai rollup township_year --division 文登区 --format csv > townships.csv
  gongkai rollup district_year_review --format json
  gongkai rollup levels --level county --year 2023
  gongkai rollup findings --rule R1 --division 文登区
`,
		`用法：gongkai rollup --list
      gongkai rollup NAME [--year Y] [--division D] [--level L] [--rule R] [--format table|csv|json|jsonl] [--db PATH]

以只读连接运行 sql/rollups/*.sql 中自带的某一汇总统计。小计和合计行与明细行出自
同一个 GROUPING SETS 查询，"level" 列说明每行属于哪一级。全区（全市）汇总报告
绝不与其所辖机关相加。SUM 跳过报告留空的单元格：incomplete_reports 和
null_counts 说明每行有几份报告的某项数值未知。district_year、
district_year_review、district_year_active 和 levels 的全国结果（后两者还包括
按 --year 筛选的结果，levels 还包括按 --level 筛选的结果）在每次入库结束时
预先计算并保存在数据库中，数据未变时直接读取。
csv、json 和 jsonl 格式边读边写，全国结果可经管道输出而不必整体载入内存。

示例：
  gongkai rollup --list
  gongkai rollup district_year --year 2023
  gongkai rollup township_year --division 文登区 --format csv > townships.csv
  gongkai rollup district_year_review --format json
  gongkai rollup levels --level county --year 2023
  gongkai rollup findings --rule R1 --division 文登区
`},
	"help.serve.summary": {
		"read-only HTTP API: rollups as JSON/CSV/Parquet/Arrow, reports, guarded ad-hoc SQL",
		"只读 HTTP 接口：汇总统计（JSON/CSV/Parquet/Arrow）、报告、受控的自定义 SQL"},
	"help.serve": {
		`Usage: gongkai serve [--db PATH] [--addr 127.0.0.1:8080] [--allow-host NAME]...

Serves the store read-only over HTTP: a page for the district or city
office at / (open http://127.0.0.1:8080/ in a browser: pick a division and
a year, see the compiled tables, bodies, findings and charts, download the
workbook; Chinese, ?lang=en for English), and an API for dashboard
backends and analysts:

  GET  /                                             the page
  GET  /healthz
  GET  /v1/rollups                                   the rollups and their parameters
  GET  /v1/rollups/{name}?year=&division=&level=&format=json|csv|parquet|arrow
                                                     ETag per ingest; If-None-Match → 304
  GET  /v1/reports?division=&year=&limit=&offset=    reports, newest ingest included
  GET  /v1/reports/{id}                              the record, its findings, provenance
  POST /v1/query  {"sql": "...", "timeout_ms": 2000, "max_rows": 1000, "format": "json|csv|arrow"}
  GET  /v1/openapi.json                              OpenAPI 3.1 description of all of the above

Ad-hoc SQL runs in the same sandbox as 'gongkai query' (--max-queries worker
processes, each with --memory-limit of DuckDB memory): one read statement, no
file or network access, at most --max-rows rows and --timeout (a request may
lower both). One client (address, or --client-header behind a proxy) runs
--max-queries-per-client at once (its further requests get 429), and a
quarter of the workers is kept for clients whose queries hit no limit lately,
so a flood of bombs leaves room for healthy queries. Errors are JSON {"error": "...", "hint": "..."} with a 4xx
status; 503 with Retry-After while an ingest holds the store. Cross-origin
POSTs from browsers are refused, and browsers on other sites may not read
answers, unless --cors names their origin. Answers are gzipped for clients
that accept it; a wrong method gets 405 with Allow.

One writer, many readers: serve answers from a replica of the store (in a
hidden folder beside it, deleted when serve stops), so 'gongkai ingest' can
write the store while serve keeps answering from the last state. When the
store file changes and no writer holds it, serve brings its other replica up
to date in the background (checked at most every --refresh), copying only the
reports added or removed since, and switches to it; a replica never holds
half an ingest run. Rollup answers are computed once per replica (one past
8 MB, such as a whole nation's levels, in a temporary file in $TMPDIR while
it is sent); when too many rollups wait, serve answers 503 with Retry-After. With --live, serve
instead opens the store itself per request: an ingest can start between
requests, and requests during it get 503 naming the ingest's PID. SIGINT or SIGTERM
stops serve gracefully. Bind to 127.0.0.1 (the default) unless a proxy in
front of serve handles authentication: the API has none. Requests must name
serve by an IP address, localhost or a name given with --allow-host (so a
DNS-rebinding web page cannot use it); POST bodies must be exactly
application/json.

Examples:
  gongkai serve --db gongkai.duckdb
  gongkai serve --db gongkai.duckdb --cors https://dash.example.org
  curl -s localhost:8080/v1/rollups
  curl -sO -J 'localhost:8080/v1/rollups/district_year?year=2023&format=parquet'
  duckdb -c "SELECT * FROM 'district_year-2023.parquet'"
  curl -s localhost:8080/v1/query -H 'Content-Type: application/json' \
       -d '{"sql": "SELECT report_year, count(*) FROM reports GROUP BY ALL"}'
`,
		`用法：gongkai serve [--db PATH] [--addr 127.0.0.1:8080] [--allow-host NAME]...

以只读方式通过 HTTP 提供数据库：在 / 为区县或市政务公开办公室提供页面（在浏览器中
打开 http://127.0.0.1:8080/：选择行政区划和年度，查看汇总表、机关、问题和图表，
下载工作簿；默认中文，?lang=en 为英文），并为仪表盘后端和数据分析人员提供接口：

  GET  /                                             页面
  GET  /healthz
  GET  /v1/rollups                                   汇总统计及其参数
  GET  /v1/rollups/{name}?year=&division=&level=&format=json|csv|parquet|arrow
                                                     每次入库更新 ETag；If-None-Match → 304
  GET  /v1/reports?division=&year=&limit=&offset=    报告，含最近一次入库的报告
  GET  /v1/reports/{id}                              报告记录、问题、读取位置
  POST /v1/query  {"sql": "...", "timeout_ms": 2000, "max_rows": 1000, "format": "json|csv|arrow"}
  GET  /v1/openapi.json                              以上全部接口的 OpenAPI 3.1 说明

自定义 SQL 在与 'gongkai query' 相同的沙箱中运行（--max-queries 个工作进程，每个
DuckDB 内存为 --memory-limit）：一条读取语句，不能访问文件和网络，最多 --max-rows
行、--timeout 时长（单个请求可调低二者）。同一客户端（按地址区分，代理之后按
--client-header）同时最多运行 --max-queries-per-client 个查询（更多的请求返回 429），
并为近来没有查询触及限制的客户端保留四分之一的工作进程，因此大量失控查询也不会
挤占正常查询。错误以 JSON {"error": "...", "hint": "..."}
返回，状态码为 4xx；入库占用数据库期间返回 503 并附 Retry-After。浏览器的跨来源
POST 一律拒绝，其他网站的页面也不能读取响应，除非 --cors 列出其来源。客户端接受
gzip 时压缩响应；请求方法不对时返回 405 并附 Allow。

一个写入方、多个读取方：serve 从数据库的副本作答（副本存于数据库旁的隐藏文件夹，
serve 停止时删除），因此 'gongkai ingest' 写入数据库时 serve 仍按上一状态作答。
数据库文件变化且无写入方占用时，serve 在后台更新另一份副本（最多每 --refresh
检查一次），只复制此后新增或删除的报告，然后切换过去；副本绝不会只含一次入库的
一部分。每份副本上的汇总统计结果只计算一次（超过 8 MB 的结果，如全国的
levels，发送期间存放在 $TMPDIR 的临时文件中）；等待的汇总统计过多时返回 503
并附 Retry-After。使用 --live 时，serve 改为每次请求直接打开数据库：请求之间可以开始
入库，入库期间的请求返回 503 并写明入库进程的 PID。收到 SIGINT 或 SIGTERM 时
serve 正常停止。除非 serve 前面有负责身份认证的代理，请绑定 127.0.0.1（默认）：
接口本身没有认证。请求须以 IP 地址、localhost 或 --allow-host 给出的名称访问
serve（防止 DNS 重绑定的网页利用它）；POST 请求体必须是 application/json。

示例：
  gongkai serve --db gongkai.duckdb
  gongkai serve --db gongkai.duckdb --cors https://dash.example.org
  curl -s localhost:8080/v1/rollups
  curl -sO -J 'localhost:8080/v1/rollups/district_year?year=2023&format=parquet'
  duckdb -c "SELECT * FROM 'district_year-2023.parquet'"
  curl -s localhost:8080/v1/query -H 'Content-Type: application/json' \
       -d '{"sql": "SELECT report_year, count(*) FROM reports GROUP BY ALL"}'
`},
	"help.version.summary": {
		"print gongkai's version and build information (also: gongkai --version)",
		"输出 gongkai 的版本和构建信息（也可用 gongkai --version）"},
	"help.version": {
		`Usage: gongkai version
       gongkai --version

Prints the version, the git commit it was built from, the Go toolchain,
the platform, the linked DuckDB engine and the versions of the main
libraries, so a bug report says exactly which program it is about.
`,
		`用法：gongkai version
      gongkai --version

输出版本号、构建所用的 git 提交、Go 工具链、平台、链接的 DuckDB 引擎和主要依赖库
的版本，便于问题报告准确说明所用的程序。
`},
}

// helpFrame is gongkai --help around the list of commands.
var helpFrame = map[ID]Text{
	"help": {`gongkai — analytics for 政府信息公开工作年度报告 (government information-disclosure annual reports)

Usage: gongkai <command> [flags] [args]

Commands:
{commands}
Run 'gongkai <command> --help' for a command's flags and examples.
Start with 'gongkai demo'.
`, `gongkai — 政府信息公开工作年度报告的读取、核验与汇总

用法：gongkai <命令> [参数] [文件等]

命令：
{commands}
运行 'gongkai <命令> --help' 查看某个命令的参数和示例。
从 'gongkai demo' 开始。
全局参数 --lang en|zh 选择语言（默认按 LC_ALL、LC_MESSAGES、LANG 环境变量）。
`},
}
