//! The prefilters, gates and block tests of the content and publication rules only pass over
//! text where a pattern cannot match, so an audit says the same with them and without them:
//! verdicts, messages and evidence. (`eval::use_prefilters` is a process-wide switch; this file
//! is a test binary of its own, so switching it here touches no other test.)

use auditor::eval;
use auditor::report::Report;
use auditor::rules::Pack;
use std::path::{Path, PathBuf};

/// Every text report under `dir`, recursively (`.txt` and `.md`), sorted.
fn texts(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("directory exists").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(texts(&path));
        } else if path.extension().is_some_and(|e| e == "txt" || e == "md") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// A report in the forms real ones take: as written, with half-width punctuation, and with the
/// line breaks of its paragraphs taken out (one long block).
fn variants(text: &str) -> Vec<String> {
    let half: String = text
        .chars()
        .map(|c| match c {
            '，' => ',',
            '；' => ';',
            '：' => ':',
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect();
    let joined = text.replace("。\n", "。");
    vec![text.to_string(), half, joined]
}

#[test]
fn audits_are_the_same_with_and_without_the_prefilters() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let packs = ["2021", "2019"].map(|p| Pack::load(p).expect("bundled pack"));
    let mut files = texts(&root.join("samples"));
    files.extend(texts(&root.join("tests/fixtures")));
    assert!(
        files.len() >= 20,
        "too few reports to compare: {}",
        files.len()
    );
    let mut compared = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for variant in variants(&text) {
            let report = Report::parse(&variant);
            for pack in &packs {
                eval::use_prefilters(false);
                let plain = serde_json::to_string(&eval::audit(&report, pack)).unwrap();
                eval::use_prefilters(true);
                let filtered = serde_json::to_string(&eval::audit(&report, pack)).unwrap();
                assert_eq!(
                    filtered,
                    plain,
                    "{} (pack {})",
                    path.display(),
                    pack.meta.id
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 120, "compared only {compared} audits");
}
