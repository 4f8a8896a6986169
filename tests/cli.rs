//! The command line as a user runs it: exit codes, stdout and stderr together.

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;

fn auditor() -> Command {
    Command::cargo_bin("auditor").unwrap()
}

fn json(args: &[&str]) -> (serde_json::Value, i32) {
    let out = auditor()
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON: {e}: {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (v, out.status.code().unwrap())
}

/// Hide what changes with every edit of the pack or the version, so snapshots pin behaviour.
fn stable(text: &str) -> String {
    let hash = auditor::rules::Pack::load("2021").unwrap().hash;
    text.replace(&hash, "[pack-hash]")
        .replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn a_complete_report_passes_with_exit_code_0() {
    auditor()
        .arg("samples/complete.txt")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 with error gaps"));
}

#[test]
fn error_gaps_give_exit_code_1() {
    auditor()
        .arg("samples/no-frp.txt")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("GAP"));
}

#[test]
fn json_follows_the_contract() {
    let (v, code) = json(&["samples/complete.txt", "samples/frp-in-plan-only.txt"]);
    assert_eq!(code, 1);
    assert_eq!(v["tool"]["name"], "auditor");
    assert_eq!(v["pack"]["id"], "2021");
    let reports = v["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    for r in reports {
        assert!(r["path"].is_string());
        for key in ["title", "unit", "year", "published"] {
            assert!(r["meta"].get(key).is_some(), "meta.{key} missing");
        }
        assert!(r["error"].is_null());
        for res in r["results"].as_array().unwrap() {
            for key in ["rule", "status", "severity", "message", "evidence"] {
                assert!(res.get(key).is_some(), "result.{key} missing");
            }
            if res["status"] == "pass"
                && res["rule"] != "placeholders"
                && res["rule"] != "secret-marking"
                && res["rule"] != "numbering"
            {
                let ev = &res["evidence"][0];
                assert!(
                    ev["line"].as_u64().unwrap() > 0 && !ev["text"].as_str().unwrap().is_empty(),
                    "pass without evidence: {res}"
                );
            }
        }
    }
    let frp = reports[1]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "frp")
        .unwrap();
    assert_eq!(frp["status"], "gap");
    assert!(frp["help"].as_str().unwrap().contains("第一责任人"));
}

#[test]
fn directories_are_walked_in_sorted_order() {
    let (v, _) = json(&["samples"]);
    let paths: Vec<&str> = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(paths.len() >= 8, "{paths:?}");
    assert!(
        paths
            .iter()
            .all(|p| p.ends_with(".txt") || p.ends_with(".md"))
    );
}

#[test]
fn an_unreadable_report_is_reported_and_the_rest_still_audited() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("binary.txt");
    let noise: Vec<u8> = (0..4000u32).map(|i| (i * 7 % 32) as u8).collect();
    fs::write(&bad, noise).unwrap();
    let out = auditor()
        .args(["--format", "json", "samples/complete.txt"])
        .arg(&bad)
        .arg("missing.txt")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reports = v["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 3);
    assert!(reports[0]["error"].is_null() && reports[0]["results"].as_array().unwrap().len() > 5);
    assert!(
        reports[1]["error"]
            .as_str()
            .unwrap()
            .contains("not a text report")
    );
    assert!(
        reports[2]["error"]
            .as_str()
            .unwrap()
            .contains("no such file")
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("missing.txt: no such file"), "{stderr}");
}

#[test]
fn reads_a_report_from_stdin() {
    let text = fs::read_to_string("samples/complete.txt").unwrap();
    let out = auditor()
        .args(["--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["reports"][0]["path"], "-");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn rules_accept_a_path_or_a_bundled_name() {
    for spec in ["rules/2021.toml", "2021", "2021.toml"] {
        auditor()
            .args(["--rules", spec, "samples/complete.txt"])
            .assert()
            .code(0);
    }
}

#[test]
fn a_bad_rules_file_is_exit_2_with_file_line_and_caret() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("bad.toml");
    let text = fs::read_to_string("rules/2021.toml").unwrap().replacen(
        "any = ['第一责任人']",
        "any = ['第一责任人(']",
        1,
    );
    fs::write(&pack, text).unwrap();
    let out = auditor()
        .arg("--rules")
        .arg(&pack)
        .arg("samples/complete.txt")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("bad.toml:"), "{stderr}");
    assert!(
        stderr.contains("rule `frp`: pattern `第一责任人(` does not compile"),
        "{stderr}"
    );
    assert!(stderr.contains('^'), "{stderr}");
}

#[test]
fn an_unknown_pack_or_flag_is_exit_2() {
    auditor()
        .args(["--rules", "1999", "samples/complete.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bundled packs: 2021"));
    auditor().args(["--frobnicate"]).assert().code(2);
}

#[test]
fn output_is_deterministic() {
    let run = || {
        auditor()
            .args(["--format", "json", "samples"])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn table_snapshot() {
    let out = auditor().arg("samples/no-causes.txt").output().unwrap();
    insta::assert_snapshot!(
        "table_no_causes",
        stable(&String::from_utf8(out.stdout).unwrap())
    );
}

#[test]
fn json_snapshot() {
    let out = auditor()
        .args(["--format", "json", "samples/unheaded-parts.txt"])
        .output()
        .unwrap();
    insta::assert_snapshot!(
        "json_unheaded_parts",
        stable(&String::from_utf8(out.stdout).unwrap())
    );
}

#[test]
fn gbk_reports_are_detected_and_the_encoding_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string("samples/complete.txt").unwrap();
    let gbk = dir.path().join("gbk.txt");
    fs::write(&gbk, encoding_rs::GB18030.encode(&text).0).unwrap();
    let (v, code) = json(&[gbk.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(v["reports"][0]["meta"]["encoding"], "GB18030");
    assert_eq!(v["reports"][0]["meta"]["format"], "text");
    auditor()
        .arg(&gbk)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("read as: text, GB18030"));
}

#[test]
fn the_encoding_flag_overrides_detection() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string("samples/complete.txt").unwrap();
    let gbk = dir.path().join("gbk.txt");
    fs::write(&gbk, encoding_rs::GB18030.encode(&text).0).unwrap();
    let (v, _) = json(&["--encoding", "gbk", gbk.to_str().unwrap()]);
    assert_eq!(v["reports"][0]["meta"]["encoding"], "GB18030");
    let (v, code) = json(&["--encoding", "utf-8", gbk.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        v["reports"][0]["error"]
            .as_str()
            .unwrap()
            .contains("not valid UTF-8")
    );
    auditor()
        .args(["--encoding", "klingon", "samples/complete.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown encoding"));
}
