//! The machine and review formats (CSV, Markdown, SARIF, JUnit, GitHub annotations) as the binary
//! writes them: each parses with a real parser, counts what it should, keeps hostile report text
//! and file names inert, and is byte-identical whatever the number of worker threads. The JSON
//! output of the same run is the oracle for what the reports contain.

use assert_cmd::Command;
use quick_xml::events::Event;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

const FORMATS: [&str; 5] = ["csv", "markdown", "sarif", "junit", "github"];

/// A file name no spreadsheet, Markdown renderer, XML parser or workflow runner should act on.
const HOSTILE_NAME: &str = "=cmd|' calc'!A0 <script>x`y`.txt";
/// A file name with a line break that, unescaped, would start a workflow command.
const NEWLINE_NAME: &str = "line\n::error::injected.txt";
/// An input that does not exist: an unreadable report.
const MISSING: &str = "missing.txt";
/// The bundled samples (samples/*.txt).
const SAMPLES: usize = 20;

fn auditor() -> Command {
    let mut cmd = Command::cargo_bin("auditor").unwrap();
    cmd.arg("--no-config");
    cmd
}

/// Run the binary in `dir` and return stdout and the exit code.
fn run(dir: &Path, args: &[&str]) -> (Vec<u8>, i32) {
    let out = auditor().current_dir(dir).args(args).output().unwrap();
    (out.stdout, out.status.code().unwrap())
}

fn run_format(dir: &Path, format: &str, inputs: &[&str]) -> (String, i32) {
    let mut args = vec!["--format", format];
    args.extend(inputs);
    let (out, code) = run(dir, &args);
    (
        String::from_utf8(out).expect("text formats are UTF-8"),
        code,
    )
}

/// What the JSON contract says about the same run.
struct Oracle {
    json: Value,
}

impl Oracle {
    fn new(dir: &Path, inputs: &[&str]) -> Oracle {
        let (out, _) = run_format(dir, "json", inputs);
        Oracle {
            json: serde_json::from_str(&out).unwrap(),
        }
    }

    fn reports(&self) -> &Vec<Value> {
        self.json["reports"].as_array().unwrap()
    }

    fn readable(&self) -> impl Iterator<Item = &Value> {
        self.reports().iter().filter(|r| r["error"].is_null())
    }

    fn unreadable(&self) -> usize {
        self.reports().len() - self.readable().count()
    }

    fn rules(&self) -> usize {
        self.json["summary"]["rules"].as_array().unwrap().len()
    }

    fn results(&self) -> impl Iterator<Item = &Value> {
        self.readable()
            .flat_map(|r| r["results"].as_array().unwrap().iter())
    }

    fn gaps(&self) -> usize {
        self.results().filter(|f| f["status"] == "gap").count()
    }

    fn error_gaps(&self) -> usize {
        self.results()
            .filter(|f| f["status"] == "gap" && f["severity"] == "error")
            .count()
    }

    fn skipped(&self) -> usize {
        self.json["summary"]["skipped"].as_array().unwrap().len()
    }
}

/// The hash of the bundled pack the binary audits with, computed here independently.
fn pack_hash() -> String {
    auditor::rules::Pack::load("2021").unwrap().hash
}

fn samples() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A complete report with hostile text in its title, its opening and a placeholder line, under
/// three names (one plain, one hostile, one with a line break), plus a missing input.
fn hostile_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let complete = fs::read_to_string(samples().join("samples/complete.txt")).unwrap();
    let mut lines: Vec<String> = complete.lines().map(String::from).collect();
    lines[0] = format!("=cmd|' /C calc'!A0{}<script>alert(1)</script>]]>", lines[0]);
    lines[2] = format!(
        "=HYPERLINK(\"http://x\")|`rm -rf`|**bold** [link](http://x) # <b>&amp; ]]> %0A::error::x {}",
        lines[2]
    );
    // XX is a template placeholder: these short lines are quoted whole as a gap's evidence.
    for (i, line) in [
        "- @someone XX单位]]><script>alert(2)</script>",
        "XX单位 `code` | pipe **bold** [link](http://x) # <b>&amp;",
        "=XX单位<img src=x onerror=alert(3)>\t%0A::error::x",
    ]
    .into_iter()
    .enumerate()
    {
        lines.insert(4 + 2 * i, String::new());
        lines.insert(5 + 2 * i, line.to_string());
    }
    let text = lines.join("\n");
    for name in ["evil.txt", HOSTILE_NAME, NEWLINE_NAME] {
        fs::write(dir.path().join(name), &text).unwrap();
    }
    dir
}

const HOSTILE_INPUTS: [&str; 4] = ["evil.txt", HOSTILE_NAME, NEWLINE_NAME, MISSING];

// ---------------------------------------------------------------------------------------------
// CSV

fn parse_csv(out: &str) -> Vec<csv::StringRecord> {
    let body = out
        .strip_prefix('\u{feff}')
        .expect("CSV starts with a byte-order mark");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes());
    reader.records().map(|r| r.expect("CSV parses")).collect()
}

#[test]
fn csv_has_a_header_and_a_row_per_report_and_rule() {
    let inputs = ["samples/"];
    let oracle = Oracle::new(samples(), &inputs);
    let (out, _) = run_format(samples(), "csv", &inputs);
    let rows = parse_csv(&out);
    assert_eq!(oracle.reports().len(), SAMPLES);
    assert_eq!(rows.len(), 1 + SAMPLES * oracle.rules());
    let header: Vec<&str> = rows[0].iter().collect();
    assert_eq!(
        header,
        [
            "path",
            "unit",
            "year",
            "rule",
            "rule_name",
            "status",
            "severity",
            "message",
            "evidence",
            "help",
            "basis",
            "sha256",
            "tool",
            "pack",
            "pack_hash",
            "substance",
            "copied",
            "last_year"
        ]
    );
    let pack = &oracle.json["pack"];
    // Rows follow the reports in input order and the rules in pack order.
    let expected: Vec<(String, String, String)> = oracle
        .readable()
        .flat_map(|r| {
            r["results"].as_array().unwrap().iter().map(move |f| {
                (
                    r["path"].as_str().unwrap().to_string(),
                    f["rule"].as_str().unwrap().to_string(),
                    f["status"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect();
    let got: Vec<(String, String, String)> = rows[1..]
        .iter()
        .map(|r| (r[0].to_string(), r[3].to_string(), r[5].to_string()))
        .collect();
    assert_eq!(got, expected);
    for row in &rows[1..] {
        assert_eq!(row.len(), 18);
        assert_eq!(&row[12], format!("auditor {}", env!("CARGO_PKG_VERSION")));
        assert_eq!(
            &row[13],
            format!(
                "{} {}",
                pack["id"].as_str().unwrap(),
                pack["version"].as_str().unwrap()
            )
        );
        assert_eq!(row[14], pack_hash());
        assert_eq!(row[11].len(), 64, "sha256 of {}", &row[0]);
    }
    // Evidence is `L12: quote; L30: quote`; help is given with gaps only.
    let secret = rows
        .iter()
        .find(|r| &r[0] == "samples/marked-secret.txt" && &r[3] == "secret-marking")
        .unwrap();
    assert_eq!(&secret[5], "gap");
    assert!(
        secret[8].starts_with("L1: ") && secret[8].contains("; L2: "),
        "{}",
        &secret[8]
    );
    assert!(!secret[9].is_empty());
}

#[test]
fn csv_neutralises_formulas_and_reports_unreadable_inputs() {
    let dir = hostile_dir();
    let oracle = Oracle::new(dir.path(), &HOSTILE_INPUTS);
    let (out, code) = run_format(dir.path(), "csv", &HOSTILE_INPUTS);
    assert_eq!(code, 2, "an unreadable input exits 2");
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 1 + 3 * oracle.rules() + 1);
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "cell a spreadsheet would run: {cell:?}"
            );
        }
    }
    // The unit (from the hostile title) and the hostile file name are kept, made inert.
    let evil = rows.iter().find(|r| &r[0] == "evil.txt").unwrap();
    assert!(evil[1].starts_with("'=cmd|"), "{:?}", &evil[1]);
    assert!(rows.iter().any(|r| r[0] == format!("'{HOSTILE_NAME}")));
    // A line break in a file name stays inside its quoted cell.
    assert_eq!(
        rows.iter().filter(|r| &r[0] == NEWLINE_NAME).count(),
        oracle.rules()
    );
    let missing: Vec<_> = rows.iter().filter(|r| &r[0] == MISSING).collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(&missing[0][5], "error");
    assert!(
        missing[0][7].contains("no such file"),
        "{:?}",
        &missing[0][7]
    );
    // The quote of the placeholder line keeps the hostile text, as text.
    let placeholder = rows
        .iter()
        .find(|r| &r[0] == "evil.txt" && &r[3] == "placeholders")
        .unwrap();
    assert_eq!(&placeholder[5], "gap");
    assert!(placeholder[8].contains("<script>alert(2)</script>"));
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// `|` not escaped by a backslash.
fn cell_breaks(line: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    n
}

/// Every table keeps the column count of its header on every row.
fn assert_tables_intact(md: &str) {
    let mut width: Option<usize> = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let n = cell_breaks(line);
            match width {
                None => width = Some(n),
                Some(w) => assert_eq!(n, w, "table row with another column count: {line}"),
            }
        } else {
            width = None;
        }
    }
}

#[test]
fn markdown_summarises_and_lists_gaps() {
    let inputs = ["samples/"];
    let oracle = Oracle::new(samples(), &inputs);
    let (md, _) = run_format(samples(), "markdown", &inputs);
    assert!(md.starts_with("## "));
    assert!(md.contains(&format!("auditor {}", env!("CARGO_PKG_VERSION"))));
    assert!(md.contains(&pack_hash()));
    assert_tables_intact(&md);
    // One matrix row per report, and a pass-rate row per rule.
    for r in oracle.reports() {
        let path = r["path"].as_str().unwrap();
        assert!(md.contains(&format!("| {path} |")), "{path}");
        assert!(md.contains(&format!("### {path}")), "{path}");
    }
    assert!(md.contains("| 1 | title 标题 | error |"));
    for r in oracle.reports() {
        let sha = r["sha256"].as_str().unwrap();
        assert!(md.contains(&format!("- {} — {sha}", r["path"].as_str().unwrap())));
    }
    assert!(
        md.contains("samples/expected.toml"),
        "skipped files are listed"
    );
    assert_eq!(md.matches("<details>").count(), SAMPLES + 1);
    // Every gap is a row of its report's table.
    let gap_rows = md
        .lines()
        .filter(|l| {
            l.contains(" | error | ") || l.contains(" | warning | ") || l.contains(" | info | ")
        })
        .filter(|l| !l.starts_with("| ") || !l[2..].starts_with(char::is_numeric))
        .count();
    assert_eq!(gap_rows, oracle.gaps());

    let (summary, _) = run_format(samples(), "markdown", &["--summary", "samples/"]);
    assert_tables_intact(&summary);
    assert_eq!(
        summary.matches("<details>").count(),
        1,
        "only the input hashes"
    );
    assert!(!summary.contains("### samples/"));
    assert!(summary.contains("### Summary"));
}

#[test]
fn markdown_escapes_hostile_text() {
    let dir = hostile_dir();
    let (md, _) = run_format(dir.path(), "markdown", &HOSTILE_INPUTS);
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(md.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
    for raw in ["<script", "</script", "<img", "<b>", "]]>"] {
        assert!(!md.contains(raw), "raw {raw} in the Markdown");
    }
    assert!(
        md.contains("&amp;amp;"),
        "the report's `&amp;` shows as typed"
    );
    assert!(md.contains("\\`code\\`"));
    assert!(md.contains("\\[link\\]"));
    assert!(md.contains("\\*\\*bold\\*\\*"));
    assert_tables_intact(&md);
    // Only the renderer's own headings start a line with `#`; HTML only from the renderer.
    for line in md.lines() {
        if line.starts_with('#') {
            assert!(
                line.starts_with("## ") || line.starts_with("### "),
                "{line}"
            );
        }
        assert!(!line.starts_with("::"), "{line}");
    }
    assert!(md.contains("line<br>::error::injected.txt"));
    assert!(md.contains("missing.txt"));
    assert!(md.contains("no such file"));
}

// ---------------------------------------------------------------------------------------------
// SARIF

fn sarif_validator() -> jsonschema::Validator {
    let path = samples().join("tests/fixtures/output/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
}

fn assert_valid_sarif(sarif: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF is not valid: {errors:#?}");
}

#[test]
fn sarif_validates_and_has_one_result_per_gap() {
    let inputs = ["samples/"];
    let oracle = Oracle::new(samples(), &inputs);
    let (out, _) = run_format(samples(), "sarif", &inputs);
    let sarif: Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&sarif);
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "auditor");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), oracle.rules());
    for r in rules {
        let level = r["defaultConfiguration"]["level"].as_str().unwrap();
        let severity = r["properties"]["severity"].as_str().unwrap();
        let expected = match severity {
            "error" => "error",
            "warning" => "warning",
            "info" => "note",
            other => panic!("severity {other}"),
        };
        assert_eq!(level, expected);
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), oracle.gaps());
    for res in results {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(res["ruleId"], rules[i]["id"]);
        assert_eq!(res["level"], rules[i]["defaultConfiguration"]["level"]);
        let loc = &res["locations"][0]["physicalLocation"];
        assert!(
            loc["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with("samples/")
        );
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    // Every input is an artifact with its SHA-256; the pack is named in the run's properties.
    let artifacts = run["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), SAMPLES);
    for (a, r) in artifacts.iter().zip(oracle.reports()) {
        assert_eq!(a["location"]["uri"], r["path"]);
        assert_eq!(a["hashes"]["sha-256"], r["sha256"]);
    }
    assert_eq!(run["properties"]["pack"]["hash"], pack_hash().as_str());
    assert_eq!(run["properties"]["pack"]["id"], oracle.json["pack"]["id"]);
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn sarif_stays_valid_with_hostile_inputs_and_notes_unreadable_ones() {
    let dir = hostile_dir();
    let oracle = Oracle::new(dir.path(), &HOSTILE_INPUTS);
    let (out, _) = run_format(dir.path(), "sarif", &HOSTILE_INPUTS);
    let sarif: Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&sarif);
    let run = &sarif["runs"][0];
    assert_eq!(run["results"].as_array().unwrap().len(), oracle.gaps());
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let errors: Vec<&Value> = invocation["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["level"] == "error")
        .collect();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("missing.txt")
    );
    // File names become URI references: percent-encoded, never raw spaces, quotes or breaks.
    let uris: BTreeSet<&str> = run["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["location"]["uri"].as_str().unwrap())
        .collect();
    assert!(
        uris.contains("line%0A%3A%3Aerror%3A%3Ainjected.txt"),
        "{uris:?}"
    );
    for uri in &uris {
        assert!(
            uri.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
            "{uri}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// JUnit

/// A parsed JUnit document: elements with their (unescaped) attributes and text.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        if self.name == name {
            out.push(self);
        }
        for c in &self.children {
            c.all(name, out);
        }
    }

    fn find_all(&self, name: &str) -> Vec<&Element> {
        let mut out = Vec::new();
        self.all(name, &mut out);
        out
    }

    fn count(&self, name: &str) -> usize {
        self.attr(name).unwrap().parse().unwrap()
    }
}

fn element(e: &quick_xml::events::BytesStart) -> Element {
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.expect("attribute parses");
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .expect("attribute value unescapes");
            (a.key.as_ref().to_string(), value.into_owned())
        })
        .collect();
    Element {
        name: e.name().as_ref().to_string(),
        attrs,
        ..Element::default()
    }
}

fn parse_xml(xml: &str) -> Element {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack = vec![Element::default()];
    loop {
        match reader.read_event().expect("JUnit parses as XML") {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let el = element(&e);
                stack.last_mut().unwrap().children.push(el);
            }
            Event::End(e) => {
                let el = stack.pop().unwrap();
                assert_eq!(e.name().as_ref(), el.name);
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().unwrap().unwrap().to_string()
                } else {
                    let name = r.xml10_content();
                    quick_xml::escape::unescape(&format!("&{name};"))
                        .expect("only predefined entities")
                        .into_owned()
                };
                stack.last_mut().unwrap().text.push_str(&resolved);
            }
            Event::CData(_) => panic!("no CDATA"),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "every element is closed");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "one root element");
    root.children.pop().unwrap()
}

#[test]
fn junit_has_a_testcase_per_report_and_rule() {
    let inputs = ["samples/"];
    let oracle = Oracle::new(samples(), &inputs);
    let (out, _) = run_format(samples(), "junit", &inputs);
    let root = parse_xml(&out);
    assert_eq!(root.name, "testsuites");
    assert_eq!(root.attr("name"), Some("auditor"));
    let cases = root.find_all("testcase");
    assert_eq!(cases.len(), SAMPLES * oracle.rules());
    assert_eq!(root.count("tests"), cases.len());
    // Every gap is a failure typed by its severity: the `error` ones are the error gaps.
    let failures = root.find_all("failure");
    assert_eq!(failures.len(), oracle.gaps());
    assert_eq!(root.count("failures"), oracle.gaps());
    let typed = |t: &str| {
        failures
            .iter()
            .filter(|f| f.attr("type") == Some(t))
            .count()
    };
    assert_eq!(typed("error"), oracle.error_gaps());
    assert_eq!(
        typed("error") + typed("warning") + typed("info"),
        oracle.gaps()
    );
    assert!(typed("warning") > 0, "the samples have warning gaps");
    let skips = oracle.results().filter(|f| f["status"] == "skip").count();
    assert_eq!(root.find_all("skipped").len(), skips);
    assert_eq!(root.count("errors"), 0);
    let suites = root.find_all("testsuite");
    assert_eq!(suites.len(), SAMPLES);
    for (suite, report) in suites.iter().zip(oracle.reports()) {
        assert_eq!(suite.attr("name"), report["path"].as_str());
        let props = suite.find_all("property");
        let prop = |n: &str| {
            props
                .iter()
                .find(|p| p.attr("name") == Some(n))
                .and_then(|p| p.attr("value"))
        };
        assert_eq!(prop("sha256"), report["sha256"].as_str());
        assert_eq!(prop("pack.hash"), Some(pack_hash().as_str()));
        assert_eq!(prop("pack.id"), oracle.json["pack"]["id"].as_str());
        assert_eq!(
            prop("tool"),
            Some(format!("auditor {}", env!("CARGO_PKG_VERSION")).as_str())
        );
        for (case, finding) in suite
            .find_all("testcase")
            .iter()
            .zip(report["results"].as_array().unwrap())
        {
            assert_eq!(case.attr("classname"), report["path"].as_str());
            let name = format!(
                "{} {}",
                finding["rule"].as_str().unwrap(),
                finding["name"].as_str().unwrap()
            );
            assert_eq!(case.attr("name"), Some(name.as_str()));
            let children: Vec<(&str, Option<&str>)> = case
                .children
                .iter()
                .map(|c| (c.name.as_str(), c.attr("type")))
                .collect();
            let expected = match finding["status"].as_str().unwrap() {
                "pass" => vec![],
                "skip" => vec![("skipped", None)],
                _ => vec![("failure", finding["severity"].as_str())],
            };
            assert_eq!(children, expected, "{name}");
        }
    }
}

#[test]
fn junit_keeps_hostile_text_inert_and_errors_on_unreadable_inputs() {
    let dir = hostile_dir();
    let oracle = Oracle::new(dir.path(), &HOSTILE_INPUTS);
    let (out, _) = run_format(dir.path(), "junit", &HOSTILE_INPUTS);
    for raw in ["<script", "<img", "<b>", "]]>", "<![CDATA["] {
        assert!(!out.contains(raw), "raw {raw} in the XML");
    }
    let root = parse_xml(&out);
    assert_eq!(root.find_all("testcase").len(), 3 * oracle.rules() + 1);
    assert_eq!(root.find_all("failure").len(), oracle.gaps());
    assert_eq!(root.count("errors"), 1);
    let errors = root.find_all("error");
    assert_eq!(errors.len(), 1);
    assert!(errors[0].attr("message").unwrap().contains("no such file"));
    // Hostile text and names come back exactly as they were, through the escaping.
    let names: Vec<&str> = root
        .find_all("testsuite")
        .iter()
        .filter_map(|s| s.attr("name"))
        .collect();
    assert_eq!(names, ["evil.txt", HOSTILE_NAME, NEWLINE_NAME, MISSING]);
    let failure = root
        .find_all("failure")
        .into_iter()
        .find(|f| f.text.contains("XX单位"))
        .expect("the placeholder gap quotes its line");
    assert!(
        failure.text.contains("]]><script>alert(2)</script>"),
        "{}",
        failure.text
    );
    let units: Vec<&str> = root
        .find_all("property")
        .into_iter()
        .filter(|p| p.attr("name") == Some("unit"))
        .filter_map(|p| p.attr("value"))
        .collect();
    assert!(
        units.iter().all(|u| u.starts_with("=cmd|' /C calc'!A0")),
        "{units:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// GitHub annotations

/// Undo the runner's escaping of a property or message.
fn unescape_github(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// A workflow command: its name, its properties (unescaped, in order) and its message.
struct Annotation {
    command: String,
    props: Vec<(String, String)>,
    message: String,
}

/// Check that every line but the plain ones is a well-formed command, and parse the commands.
fn check_annotations(out: &str) -> Vec<Annotation> {
    assert!(!out.contains('\r'), "no raw CR");
    let command = regex::Regex::new(r"^::(error|warning|notice) ([^:]*)::(.*)$").unwrap();
    let lines: Vec<&str> = out.lines().collect();
    let (last, commands) = lines.split_last().unwrap();
    assert!(
        !last.starts_with("::"),
        "the summary is a plain line: {last}"
    );
    let mut parsed = Vec::new();
    for line in commands {
        if line.starts_with("skipped: ") || line.starts_with("sha256 ") {
            continue;
        }
        let caps = command
            .captures(line)
            .unwrap_or_else(|| panic!("not a well-formed workflow command: {line}"));
        let props: Vec<(String, String)> = caps[2]
            .split(',')
            .map(|p| {
                let (k, v) = p
                    .split_once('=')
                    .unwrap_or_else(|| panic!("bad property {p} in {line}"));
                assert!(["file", "line", "title"].contains(&k), "{line}");
                (k.to_string(), unescape_github(v))
            })
            .collect();
        parsed.push(Annotation {
            command: caps[1].to_string(),
            props,
            message: unescape_github(&caps[3]),
        });
    }
    parsed
}

#[test]
fn github_annotates_each_gap() {
    let inputs = ["samples/"];
    let oracle = Oracle::new(samples(), &inputs);
    let (out, _) = run_format(samples(), "github", &inputs);
    let annotations = check_annotations(&out);
    assert_eq!(annotations.len(), oracle.gaps());
    let severities: Vec<(&str, &str)> = oracle
        .results()
        .filter(|f| f["status"] == "gap")
        .map(|f| (f["severity"].as_str().unwrap(), f["rule"].as_str().unwrap()))
        .collect();
    for (a, (severity, rule)) in annotations.iter().zip(&severities) {
        let (cmd, props, message) = (&a.command, &a.props, &a.message);
        let expected = match *severity {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        assert_eq!(cmd, expected);
        assert_eq!(props[0].0, "file");
        assert!(props[0].1.starts_with("samples/"));
        assert_eq!(props[1].0, "line");
        assert!(props[1].1.parse::<usize>().unwrap() >= 1);
        assert!(props[2].1.starts_with(&format!("{rule} ")));
        assert!(message.contains(" — "), "message and help: {message}");
    }
    assert_eq!(
        out.lines().filter(|l| l.starts_with("skipped: ")).count(),
        oracle.skipped()
    );
    assert!(
        out.lines()
            .last()
            .unwrap()
            .contains(&format!("{SAMPLES} reports"))
    );
    assert!(out.lines().last().unwrap().contains(&pack_hash()));
    for r in oracle.reports() {
        let line = format!(
            "sha256 {}  {}",
            r["sha256"].as_str().unwrap(),
            r["path"].as_str().unwrap()
        );
        assert!(out.lines().any(|l| l == line), "{line}");
    }
}

#[test]
fn github_escapes_line_breaks_and_properties() {
    let dir = hostile_dir();
    let oracle = Oracle::new(dir.path(), &HOSTILE_INPUTS);
    let (out, _) = run_format(dir.path(), "github", &HOSTILE_INPUTS);
    let annotations = check_annotations(&out);
    assert_eq!(annotations.len(), oracle.gaps() + oracle.unreadable());
    let files: BTreeSet<String> = annotations.iter().map(|a| a.props[0].1.clone()).collect();
    let expected: BTreeSet<String> = HOSTILE_INPUTS.iter().map(|s| s.to_string()).collect();
    assert_eq!(files, expected);
    assert!(out.contains("file=line%0A%3A%3Aerror%3A%3Ainjected.txt,"));
    let unreadable = annotations
        .iter()
        .find(|a| a.props[0].1 == MISSING)
        .unwrap();
    assert_eq!(unreadable.command, "error");
    assert!(unreadable.message.contains("no such file"));
}

// ---------------------------------------------------------------------------------------------
// Determinism and exit codes

#[test]
fn every_format_is_the_same_whatever_the_threads() {
    let dir = hostile_dir();
    let cases: [(&Path, Vec<&str>); 2] = [
        (samples(), vec!["samples/"]),
        (dir.path(), HOSTILE_INPUTS.to_vec()),
    ];
    for (cwd, inputs) in &cases {
        for format in FORMATS {
            let outputs: Vec<Vec<u8>> = ["1", "8", "8"]
                .iter()
                .map(|j| {
                    let mut args = vec!["--format", format, "-j", j];
                    args.extend(inputs.iter());
                    run(cwd, &args).0
                })
                .collect();
            assert!(!outputs[0].is_empty(), "{format}");
            assert!(
                outputs[0] == outputs[1],
                "{format} differs between -j 1 and -j 8"
            );
            assert!(
                outputs[1] == outputs[2],
                "{format} differs between two runs"
            );
        }
    }
}

#[test]
fn fail_on_sets_the_exit_code() {
    let code = |fail_on: &str, input: &str| {
        run(
            samples(),
            &["--format", "github", "--fail-on", fail_on, input],
        )
        .1
    };
    for (input, expected) in [
        ("samples/", [1, 1, 0]),
        ("samples/complete.txt", [0, 0, 0]),
        ("samples/misordered.txt", [0, 1, 0]),
    ] {
        let got = ["error", "warning", "never"].map(|f| code(f, input));
        assert_eq!(got, expected, "{input}");
    }
}
