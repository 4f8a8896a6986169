//! `auditor rules …` and `auditor init`: the rule author's workflow, as a user runs it.

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;

fn auditor() -> Command {
    Command::cargo_bin("auditor").unwrap()
}

/// A pack file written into a new temporary directory, kept while the handle lives.
fn temp_pack(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, text).unwrap();
    (dir, path)
}

/// `auditor rules check PATH`.
fn rules_check(path: impl AsRef<std::path::Path>) -> Command {
    let mut cmd = auditor();
    cmd.args(["rules", "check"]).arg(path.as_ref());
    cmd
}

fn stdout(args: &[&str]) -> String {
    String::from_utf8(auditor().args(args).output().unwrap().stdout).unwrap()
}

#[test]
fn list_shows_every_rule_of_a_pack() {
    let out = stdout(&["rules", "list"]);
    for id in ["title", "achievements", "frp", "placeholders", "numbering"] {
        assert!(out.contains(id), "{id} missing:\n{out}");
    }
    assert!(stdout(&["rules", "list", "--rules", "province-example"]).contains("shufa"));
}

#[test]
fn explain_snapshot() {
    insta::assert_snapshot!(
        "explain_shortcoming_causes",
        stdout(&["rules", "explain", "shortcoming-causes"])
    );
}

#[test]
fn explain_an_unknown_rule_lists_the_ids() {
    auditor()
        .args(["rules", "explain", "nope"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no rule `nope`")
                .and(predicate::str::contains("achievements")),
        );
}

#[test]
fn check_passes_the_bundled_packs_and_reports_a_broken_one_with_a_caret() {
    // benches/floor.toml is scripts/bench.sh's one-rule pack: checked here so the script cannot rot.
    for pack in [
        "2021",
        "2019",
        "province-example",
        "rules/2021.toml",
        "benches/floor.toml",
    ] {
        auditor()
            .args(["rules", "check", pack])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("ok:"));
    }
    let (dir, bad) = temp_pack(
        "bad.toml",
        "[pack]\nid = \"b\"\nname = \"b\"\nversion = \"1\"\nextends = [\"2021\"]\n\n[[override]]\nid = \"frp\"\nany = ['第一责任人(']\n",
    );
    let out = rules_check(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr)
        .unwrap()
        .replace(&dir.path().display().to_string(), "[dir]");
    insta::assert_snapshot!("check_bad_override", stderr);
}

#[test]
fn check_notes_slow_patterns_without_failing() {
    let text = "[pack]\nid = \"slow\"\nname = \"slow\"\nversion = \"1\"\nextends = [\"2021\"]\n\n[[rule]]\nid = \"cases\"\nname = \"案件数\"\nkind = \"content\"\nseverity = \"warning\"\nbasis = \"b\"\nhelp = \"h\"\nany = ['受理\\d+件', '[^。]{2,}', '受理[0-9]+件']\n";
    let (_dir, pack) = temp_pack("slow.toml", text);
    let out = rules_check(&pack).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let notes: Vec<&str> = text.lines().filter(|l| l.starts_with("note:")).collect();
    assert_eq!(notes.len(), 2, "{text}");
    assert!(
        notes[0].contains("rule `cases`: `受理\\d+件` uses \\d"),
        "{text}"
    );
    assert!(
        notes[1].contains("`[^。]{2,}` opens with a class"),
        "{text}"
    );
    assert!(text.contains("ok:"), "{text}");
    // The bundled packs have none.
    for pack in ["2021", "2019", "province-example"] {
        assert!(
            !stdout(&["rules", "check", pack]).contains("note:"),
            "{pack}"
        );
    }
}

#[test]
fn check_reports_examples_that_disagree_with_their_rule() {
    let text = "[pack]\nid = \"p\"\nname = \"p\"\nversion = \"1\"\n\n[[rule]]\nid = \"t\"\nname = \"标题\"\nkind = \"content\"\nseverity = \"error\"\nbasis = \"b\"\nhelp = \"h\"\nany = ['报告']\n\n[[rule.example]]\nexpect = \"pass\"\ntext = '''\n没有这个词\n'''\n";
    let (_dir, pack) = temp_pack("p.toml", text);
    rules_check(&pack)
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "rule `t` example 1 gives gap, but the example expects pass",
        ));
    auditor()
        .args(["rules", "test"])
        .arg(&pack)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("test t::example-1 ... FAILED")
                .and(predicate::str::contains("0 passed, 1 failed")),
        );
}

#[test]
fn test_runs_the_bundled_examples_like_a_test_runner() {
    let out = stdout(&["rules", "test", "2021"]);
    assert!(out.contains("test frp::example-2 ... ok"), "{out}");
    // As many as `rules check` counts: ok: bundled:2021: 19 rules, N examples agree.
    let check = stdout(&["rules", "check", "2021"]);
    let examples = check
        .split(", ")
        .nth(1)
        .and_then(|t| t.strip_suffix(" examples agree\n"))
        .unwrap_or_else(|| panic!("{check}"));
    assert!(examples.parse::<usize>().unwrap() > 30, "{check}");
    assert!(
        out.trim_end()
            .ends_with(&format!("{examples} passed, 0 failed")),
        "{out}"
    );
}

#[test]
fn doc_diff_and_patterns() {
    let doc = stdout(&["rules", "doc", "2021"]);
    assert!(doc.starts_with("# 法治政府建设年度报告") && doc.contains("## frp-section"));
    let diff = stdout(&["rules", "diff", "2021", "province-example"]);
    assert!(
        diff.contains("+ added shufa")
            && diff.contains("~ changed frp-section")
            && diff.contains("3 rules differ"),
        "{diff}"
    );
    let patterns = stdout(&["rules", "patterns", "2021"]);
    assert!(patterns.lines().count() > 20);
    assert!(patterns.lines().all(|p| regex::Regex::new(p).is_ok()));
}

#[test]
fn init_writes_a_starter_that_checks_and_audits_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    auditor()
        .arg("init")
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("auditor.toml"));
    rules_check(dir.path().join("rules/local.toml"))
        .assert()
        .code(0);
    fs::copy("samples/complete.txt", dir.path().join("report.txt")).unwrap();
    // The starter config picks the local pack (frp-section made an error) and the paths.
    let out = auditor()
        .current_dir(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["pack"]["id"], "local");
    assert_eq!(v["reports"].as_array().unwrap().len(), 1);
    auditor()
        .arg("init")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("never overwrites"));
}

#[test]
fn waivers_show_as_waived_expire_and_go_stale() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy("samples/no-causes.txt", dir.path().join("no-causes.txt")).unwrap();
    let waivers = |expires: &str, extra: &str| {
        let text = format!(
            "[[waiver]]\nreport = \"no-causes.txt\"\nrule = \"shortcoming-causes\"\njustification = \"原因已在专项报告中说明\"\napproved-by = \"县司法局\"\nexpires = {expires}\n{extra}"
        );
        fs::write(dir.path().join("auditor-waivers.toml"), text).unwrap();
    };
    let run = || {
        let out = auditor()
            .current_dir(dir.path())
            .args(["--no-config", "--format", "json", "no-causes.txt"])
            .output()
            .unwrap();
        (
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
            out.status.code().unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let causes = |v: &serde_json::Value| {
        v["reports"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == "shortcoming-causes")
            .unwrap()
            .clone()
    };

    waivers("2999-12-31", "");
    let (v, code, _) = run();
    assert_eq!(causes(&v)["status"], "waived");
    assert!(
        causes(&v)["message"]
            .as_str()
            .unwrap()
            .contains("原因已在专项报告中说明")
    );
    assert_eq!(code, 0, "the only error gap is waived");

    waivers("2001-01-01", "");
    let (v, code, _) = run();
    assert_eq!(causes(&v)["status"], "gap");
    assert!(
        causes(&v)["message"]
            .as_str()
            .unwrap()
            .starts_with("waiver expired on 2001-01-01")
    );
    assert_eq!(code, 1);

    waivers(
        "2999-12-31",
        "[[waiver]]\nunit = \"不存在的单位\"\nrule = \"frp\"\njustification = \"j\"\napproved-by = \"a\"\nexpires = 2999-12-31\n",
    );
    let (v, _, stderr) = run();
    assert_eq!(v["summary"]["stale_waivers"][0]["rule"], "frp");
    assert!(stderr.contains("stale waiver for rule `frp`"), "{stderr}");
}

#[test]
fn rules_auto_chooses_the_pack_by_report_year_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string("samples/complete.txt")
        .unwrap()
        .replace("2023", "2021")
        .replace("2022", "2020");
    fs::write(dir.path().join("r2020.txt"), text).unwrap();
    let out = auditor()
        .args(["--format", "json", "samples/complete.txt"])
        .arg(dir.path().join("r2020.txt"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["reports"][0]["pack"]["id"], "2021");
    assert_eq!(v["reports"][1]["pack"]["id"], "2019");
    assert!(
        v["reports"][1]["pack"]["reason"]
            .as_str()
            .unwrap()
            .contains("2020")
    );
    let table = stdout(&["samples/complete.txt"]);
    assert!(
        table.contains("pack: 2021 (report year 2022 is within the pack's years 2021–2099)"),
        "{table}"
    );
    // A named pack is used for every report, and no choice is shown.
    let named = stdout(&[
        "--rules",
        "2021",
        "--format",
        "json",
        "samples/complete.txt",
    ]);
    let v: serde_json::Value = serde_json::from_str(&named).unwrap();
    assert!(v["reports"][0].get("pack").is_none());
}
