//! The Excel workbook and the HTML page, as the real binary writes them: the workbook read back
//! with calamine, hostile report text kept inert in both (no formulas, no markup), the same bytes
//! whatever the number of threads, and the page rendered by headless Chromium.
//!
//! The browser test needs `/usr/bin/chromium` (Debian: `apt-get install -y chromium`; CI installs
//! it). Without it the test fails, unless `AUDITOR_SKIP_BROWSER=1`.

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

fn auditor() -> Command {
    let mut cmd = Command::cargo_bin("auditor").unwrap();
    cmd.arg("--no-config");
    cmd
}

/// Run the binary; it must not fail with a usage or input error (exit 0 or 1: gaps found).
fn run(args: &[&str], dir: Option<&Path>) -> Vec<u8> {
    let mut cmd = auditor();
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let out = cmd.args(args).output().unwrap();
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "auditor {args:?} exited with {code:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn json(args: &[&str], dir: Option<&Path>) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_slice(&run(&all, dir)).expect("JSON output")
}

/// What the JSON contract says of a batch: per report its path and per rule its status.
struct Expected {
    rules: Vec<String>,
    reports: Vec<(String, Vec<(String, String)>)>,
}

fn expected(v: &Value) -> Expected {
    let rules = v["summary"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap().to_string())
        .collect();
    let reports = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let results = r["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f["rule"].as_str().unwrap().to_string(),
                        f["status"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            (r["path"].as_str().unwrap().to_string(), results)
        })
        .collect();
    Expected { rules, reports }
}

fn symbol(status: &str) -> &'static str {
    match status {
        "pass" => "✓",
        "gap" => "✗",
        "skip" => "–",
        other => panic!("unknown status {other}"),
    }
}

/// A report whose text would be a formula in a spreadsheet and markup in a page: the sample
/// `complete.txt` with `=HYPERLINK(…)`, `+1+1`, `@SUM(A1)` and `-2+3` starting lines (the title
/// among them) and `<script>` / `"><img onerror>` in the title and headings.
fn hostile_report() -> String {
    let text = fs::read_to_string("samples/complete.txt").unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let find = |lines: &[String], prefix: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("samples/complete.txt has no line starting with {prefix}"))
    };
    lines[0] = format!(
        "=HYPERLINK(\"http://x\",\"y\")<script>alert(1)</script>{}",
        lines[0]
    );
    let opening = 1 + lines[1..]
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap();
    lines[opening] = format!("+1+1{}", lines[opening]);
    let i = find(&lines, "一、");
    lines[i] = format!("@SUM(A1){}", lines[i]);
    let i = find(&lines, "二、");
    lines[i].push_str("\"><img src=x onerror=alert(1)>");
    let i = find(&lines, "三、");
    lines[i].push_str("<script>alert(2)</script>");
    let i = find(&lines, "究其原因");
    lines[i] = format!("-2+3{}", lines[i]);
    lines.join("\n") + "\n"
}

/// A temporary directory with the hostile report, named so that its path is a formula too.
const HOSTILE: &str = "=1+1.txt";

fn hostile_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(HOSTILE), hostile_report()).unwrap();
    dir
}

fn samples() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .to_string_lossy()
        .into_owned()
}

// ---------------------------------------------------------------------------------------------
// XLSX

fn xlsx(args: &[&str], dir: &Path, name: &str) -> PathBuf {
    let file = dir.join(name);
    let mut all = vec!["--format", "xlsx", "--output", file.to_str().unwrap()];
    all.extend_from_slice(args);
    let stdout = run(&all, Some(dir));
    assert!(stdout.is_empty(), "with --output nothing goes to stdout");
    file
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

/// A sheet as rows of text, from A1.
fn sheet(book: &mut Xlsx<std::io::BufReader<fs::File>>, name: &str) -> Vec<Vec<String>> {
    let range = book
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    assert_eq!(range.start(), Some((0, 0)), "sheet {name} starts at A1");
    range.rows().map(|r| r.iter().map(text).collect()).collect()
}

fn no_formulas(book: &mut Xlsx<std::io::BufReader<fs::File>>) {
    for name in book.sheet_names() {
        let formulas = book.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "sheet {name} has formulas"
        );
    }
}

#[test]
fn xlsx_sheets_read_back_match_the_json_results() {
    let dir = tempfile::tempdir().unwrap();
    let samples = samples();
    let exp = expected(&json(&[&samples], None));
    assert!(exp.reports.len() >= 10 && exp.rules.len() >= 10);
    let file = xlsx(&[&samples], dir.path(), "out.xlsx");
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["matrix", "findings", "rules", "copying"]
    );
    no_formulas(&mut book);

    // matrix: a header, one row per report with a symbol per rule, the provenance below.
    let matrix = sheet(&mut book, "matrix");
    let mut head = vec!["path".to_string(), "unit".into(), "year".into()];
    head.extend(exp.rules.iter().cloned());
    head.extend([
        "error gaps".into(),
        "warning gaps".into(),
        "substance".into(),
        "copied".into(),
        "last year".into(),
        "unreadable".into(),
    ]);
    assert_eq!(matrix[0], head);
    for (i, (path, results)) in exp.reports.iter().enumerate() {
        let row = &matrix[i + 1];
        assert_eq!(&row[0], path);
        for (j, (rule, status)) in results.iter().enumerate() {
            assert_eq!(rule, &exp.rules[j]);
            assert_eq!(row[3 + j], symbol(status), "{path} {rule}");
        }
        let errors: usize = row[3 + exp.rules.len()].parse().unwrap();
        assert!(errors <= results.len());
    }
    let pack = auditor::rules::Pack::load("2021").unwrap();
    let below: Vec<&String> = matrix[exp.reports.len() + 1..].iter().flatten().collect();
    assert!(
        below
            .iter()
            .any(|c| c.contains(&pack.hash) && c.contains(env!("CARGO_PKG_VERSION"))),
        "the provenance (tool, pack, hash) is under the matrix: {below:?}"
    );

    // findings: one row per report × rule, in order.
    let findings = sheet(&mut book, "findings");
    assert_eq!(
        findings[0],
        [
            "path", "unit", "year", "rule", "name", "status", "severity", "message", "evidence",
            "help", "basis", "sha256"
        ]
    );
    assert_eq!(findings.len() - 1, exp.reports.len() * exp.rules.len());
    let mut rows = findings[1..].iter();
    for (path, results) in &exp.reports {
        for (rule, status) in results {
            let row = rows.next().unwrap();
            assert_eq!((&row[0], &row[3], &row[5]), (path, rule, status));
            assert!(!row[10].is_empty(), "basis of {path} {rule}");
            assert_eq!(row[11].len(), 64, "sha256 of {path}");
            if status == "gap" {
                assert!(!row[9].is_empty(), "help for the gap {path} {rule}");
            }
        }
    }
    let quoted = findings[1..]
        .iter()
        .find(|r| !r[8].is_empty())
        .expect("some evidence");
    assert!(
        quoted[8].starts_with('L') && quoted[8].contains(": "),
        "evidence as `L12: quote`: {}",
        quoted[8]
    );

    // rules: the pack.
    let rules = sheet(&mut book, "rules");
    assert_eq!(
        rules[0][..6],
        ["#", "id", "name", "severity", "basis", "help"]
    );
    assert_eq!(rules.len() - 1, exp.rules.len());
    for (row, (id, rule)) in rules[1..].iter().zip(exp.rules.iter().zip(&pack.rules)) {
        assert_eq!((&row[1], &row[2]), (id, &rule.name));
        assert_eq!(row[4], rule.basis);
    }
}

#[test]
fn xlsx_hostile_text_is_never_a_formula() {
    let dir = hostile_dir();
    let file = xlsx(&[HOSTILE], dir.path(), "out.xlsx");
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    no_formulas(&mut book);
    let mut apostrophes = 0;
    for name in ["matrix", "findings", "rules"] {
        for row in sheet(&mut book, name) {
            for cell in row {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "sheet {name}: a cell would be a formula: {cell}"
                );
                apostrophes += usize::from(cell.starts_with('\''));
            }
        }
    }
    let matrix = sheet(&mut book, "matrix");
    assert_eq!(matrix[1][0], format!("'{HOSTILE}"));
    assert!(
        matrix[1][1].starts_with("'=HYPERLINK(\"http://x\",\"y\")"),
        "unit: {}",
        matrix[1][1]
    );
    let findings = sheet(&mut book, "findings");
    assert!(
        findings[1..]
            .iter()
            .all(|r| r[0] == format!("'{HOSTILE}") && r[1].starts_with("'=HYPERLINK"))
    );
    assert!(apostrophes > 2);
}

#[test]
fn xlsx_bytes_do_not_depend_on_threads() {
    let dir = hostile_dir();
    let samples = samples();
    let one = fs::read(xlsx(
        &["-j", "1", &samples, HOSTILE],
        dir.path(),
        "one.xlsx",
    ))
    .unwrap();
    let eight = fs::read(xlsx(
        &["-j", "8", &samples, HOSTILE],
        dir.path(),
        "eight.xlsx",
    ))
    .unwrap();
    assert!(one.starts_with(b"PK"));
    assert!(one == eight, "-j 1 and -j 8 give different workbooks");
}

#[test]
fn xlsx_unreadable_report_keeps_one_row_per_rule() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("broken.docx"), b"not a zip").unwrap();
    fs::copy("samples/complete.txt", dir.path().join("complete.txt")).unwrap();
    let file = dir.path().join("out.xlsx");
    auditor()
        .current_dir(dir.path())
        .args([
            "--format",
            "xlsx",
            "--output",
            file.to_str().unwrap(),
            "broken.docx",
            "complete.txt",
        ])
        .assert()
        .code(2);
    let rules = auditor::rules::Pack::load("2021").unwrap().rules.len();
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let findings = sheet(&mut book, "findings");
    assert_eq!(findings.len() - 1, 2 * rules);
    assert!(
        findings[1..=rules]
            .iter()
            .all(|r| r[0] == "broken.docx" && r[5] == "unreadable")
    );
    let matrix = sheet(&mut book, "matrix");
    assert!(
        !matrix[1].last().unwrap().is_empty(),
        "the reason is in the `unreadable` column"
    );
}

// ---------------------------------------------------------------------------------------------
// HTML

fn html(args: &[&str], dir: &Path) -> String {
    let mut all = vec!["--format", "html"];
    all.extend_from_slice(args);
    String::from_utf8(run(&all, Some(dir))).expect("UTF-8")
}

#[test]
fn html_is_one_self_contained_page() {
    let dir = tempfile::tempdir().unwrap();
    let samples = samples();
    let exp = expected(&json(&[&samples], None));
    let page = html(&[&samples], dir.path());
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<html lang=\"zh-CN\">"));
    assert!(page.contains("<meta charset=\"utf-8\">"));
    assert!(page.contains("<style>"));
    for external in [
        "<script",
        "<link",
        "<img",
        "<iframe",
        "<object",
        "src=",
        "url(",
        "@import",
        "href=\"http",
    ] {
        assert!(
            !page.contains(external),
            "the page must not load anything: found {external}"
        );
    }
    let pack = auditor::rules::Pack::load("2021").unwrap();
    assert!(page.contains(&pack.hash), "provenance");
    for rule in &exp.rules {
        assert!(
            page.contains(&format!("href=\"#rule-{rule}\"")),
            "matrix links rule {rule}"
        );
        assert!(
            page.contains(&format!("<tr id=\"rule-{rule}\">")),
            "legend has rule {rule}"
        );
    }
    for (i, (path, _)) in exp.reports.iter().enumerate() {
        assert!(page.contains(&format!(
            "<section id=\"report-{}\" class=\"report\">",
            i + 1
        )));
        assert!(page.contains(path.as_str()));
    }
    assert!(page.contains("<mark>"), "evidence quotes are highlighted");
    assert!(
        page.contains("<span class=\"ln\">L"),
        "evidence names its line"
    );
    assert!(page.contains("@media print"));

    let summary = html(&["--summary", &samples], dir.path());
    assert!(!summary.contains("<section id=\"report-"));
    assert!(summary.contains("<table class=\"matrix\">"));
}

#[test]
fn html_escapes_hostile_report_text() {
    let dir = hostile_dir();
    let page = html(&[HOSTILE], dir.path());
    assert!(!page.contains("<script"), "no <script anywhere in the page");
    assert!(!page.contains("<img"), "no <img anywhere in the page");
    assert!(
        !page.contains("onerror=alert(1)>"),
        "the report's markup is escaped"
    );
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)"));
}

#[test]
fn html_does_not_depend_on_threads() {
    let dir = hostile_dir();
    let samples = samples();
    let one = html(&["-j", "1", &samples, HOSTILE], dir.path());
    let eight = html(&["-j", "8", &samples, HOSTILE], dir.path());
    assert!(one == eight, "-j 1 and -j 8 give different pages");
}

// ---------------------------------------------------------------------------------------------
// Headless Chromium

#[cfg(unix)]
mod browser {
    use super::*;
    use std::os::unix::process::CommandExt;
    use std::process::{Command as Process, ExitStatus, Stdio};
    use std::time::{Duration, Instant};

    const CHROMIUM: &str = "/usr/bin/chromium";
    const LIMIT: Duration = Duration::from_secs(60);

    /// Run Chromium headless with `args`, killed (with its children) after [`LIMIT`]. Returns its
    /// status, stdout and stderr.
    fn chromium(dir: &Path, run: &str, args: &[String]) -> (ExitStatus, String, String) {
        let profile = dir.join(format!("profile-{run}"));
        let (out, err) = (
            dir.join(format!("{run}.out")),
            dir.join(format!("{run}.err")),
        );
        let mut child = Process::new(CHROMIUM)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(args)
            .stdin(Stdio::null())
            .stdout(fs::File::create(&out).unwrap())
            .stderr(fs::File::create(&err).unwrap())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {CHROMIUM}: {e}"));
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > LIMIT {
                // The whole process group: the browser and the helpers it started.
                let _ = Process::new("kill")
                    .args(["-KILL", &format!("-{}", child.id())])
                    .status();
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "chromium ({run}) still running after {LIMIT:?}; killed. stderr:\n{}",
                    fs::read_to_string(&err).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        eprintln!("chromium {run}: {:.1} s", start.elapsed().as_secs_f64());
        (
            status,
            fs::read_to_string(&out).unwrap_or_default(),
            fs::read_to_string(&err).unwrap_or_default(),
        )
    }

    #[test]
    fn chromium_renders_the_page_and_runs_nothing_from_reports() {
        if !Path::new(CHROMIUM).exists() {
            if std::env::var("AUDITOR_SKIP_BROWSER").is_ok_and(|v| v == "1") {
                eprintln!("skipped: {CHROMIUM} not installed and AUDITOR_SKIP_BROWSER=1");
                return;
            }
            panic!(
                "{CHROMIUM} is not installed: install it (Debian: `apt-get update && apt-get install -y chromium`; \
                 CI installs it via .ci/run), or set AUDITOR_SKIP_BROWSER=1 to skip this test"
            );
        }
        let dir = hostile_dir();
        let page = dir.path().join("report.html");
        let samples = samples();
        run(
            &[
                "--format",
                "html",
                "--output",
                page.to_str().unwrap(),
                HOSTILE,
                &format!("{samples}/complete.txt"),
            ],
            Some(dir.path()),
        );
        let url = format!("file://{}", page.display());

        let (status, dom, err) =
            chromium(dir.path(), "dump-dom", &["--dump-dom".into(), url.clone()]);
        assert!(
            status.success(),
            "chromium --dump-dom failed ({status}):\n{err}"
        );
        assert!(
            dom.contains("<html lang=\"zh-CN\">"),
            "no DOM dumped:\n{err}"
        );
        for id in [
            "id=\"summary\"",
            "id=\"report-1\"",
            "id=\"report-2\"",
            "id=\"rule-title\"",
        ] {
            assert!(dom.contains(id), "the rendered DOM has {id}");
        }
        assert!(
            !dom.contains("<img"),
            "an element injected by the report was rendered"
        );
        assert!(!dom.contains("<script"), "a script element was rendered");
        assert!(
            dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "the script shows as text"
        );
        assert!(
            dom.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "the img shows as text"
        );

        let shot = dir.path().join("shot.png");
        let (status, _, err) = chromium(
            dir.path(),
            "screenshot",
            &[
                format!("--screenshot={}", shot.display()),
                "--window-size=1280,2000".into(),
                url,
            ],
        );
        assert!(
            status.success(),
            "chromium --screenshot failed ({status}):\n{err}"
        );
        let png = fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot ({e}):\n{err}"));
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n"),
            "the screenshot is a PNG"
        );
        assert!(
            png.len() > 10_000,
            "the screenshot is not blank: {} bytes",
            png.len()
        );
    }
}
