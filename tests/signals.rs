//! The signal rules of the 2021 pack (other-jurisdiction, shortcomings-substance, figures,
//! year-consistency) on small invented reports, through the command line as a reviewer runs it:
//! each verdict with the evidence a reviewer would check.

use assert_cmd::Command;

const DIR: &str = "tests/fixtures/signals";

/// The finding of `rule` for one report, audited with the bundled 2021 pack as JSON.
fn finding(file: &str, rule: &str) -> serde_json::Value {
    let out = Command::cargo_bin("auditor")
        .unwrap()
        .args(["--rules", "2021", "--format", "json"])
        .arg(format!("{DIR}/{file}"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{file}: stdout is not JSON: {e}"));
    json["reports"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("{file}: no rule {rule}"))
        .clone()
}

fn status(f: &serde_json::Value) -> &str {
    f["status"].as_str().unwrap()
}

fn message(f: &serde_json::Value) -> &str {
    f["message"].as_str().unwrap()
}

/// (line, quote) of every piece of evidence.
fn evidence(f: &serde_json::Value) -> Vec<(u64, String)> {
    f["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_county_quoting_another_provinces_programme_as_its_own_is_flagged() {
    let f = finding("quotes-other-province.txt", "other-jurisdiction");
    assert_eq!(status(&f), "gap", "{f}");
    assert_eq!(f["severity"], "warning");
    let m = message(&f);
    assert!(m.contains("广西壮族自治区") && m.contains("广东省"), "{m}");
    assert!(
        m.contains("line 7 cites a programme of 广东省 as the unit's basis"),
        "{m}"
    );
    let ev = evidence(&f);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].0, 7);
    assert!(ev[0].1.contains("《广东省法治政府建设实施方案"), "{ev:?}");
    assert!(f["help"].as_str().unwrap().contains("我省"));
}

#[test]
fn a_mere_mention_of_paired_assistance_or_a_study_visit_is_not_flagged() {
    let f = finding("paired-assistance.txt", "other-jurisdiction");
    assert_eq!(status(&f), "pass", "{f}");
    assert!(message(&f).contains("the unit is in 广西壮族自治区"), "{f}");
}

#[test]
fn a_unit_whose_place_is_unknown_gets_no_verdict_on_jurisdiction() {
    let f = finding("stock-shortcomings.txt", "other-jurisdiction");
    assert_eq!(status(&f), "skip", "{f}");
    assert!(message(&f).contains("岚山县人民政府"), "{f}");
}

#[test]
fn stock_phrase_only_shortcomings_are_a_gap_quoting_the_stock_sentences() {
    let f = finding("stock-shortcomings.txt", "shortcomings-substance");
    assert_eq!(status(&f), "gap", "{f}");
    let m = message(&f);
    assert!(m.contains("looked in") && m.contains("lines 7–9"), "{m}");
    assert!(
        m.contains("0 concrete problems (at least 2 expected)"),
        "{m}"
    );
    assert!(m.contains("2 of 2 sentences are stock phrases only"), "{m}");
    let ev = evidence(&f);
    assert!(
        ev.iter()
            .any(|(l, t)| *l == 9 && t.contains("有待进一步提高")),
        "{ev:?}"
    );
}

#[test]
fn concrete_shortcomings_pass_with_the_problems_as_evidence() {
    let f = finding("quotes-other-province.txt", "shortcomings-substance");
    assert_eq!(status(&f), "pass", "{f}");
    assert!(message(&f).starts_with("2 concrete problems"), "{f}");
    let ev = evidence(&f);
    assert_eq!(
        ev[0],
        (
            13,
            "一是乡镇执法人员不足，11个乡镇持证执法人员仅有40名；".into()
        )
    );
}

#[test]
fn results_without_figures_are_a_gap_and_placeholders_do_not_count() {
    let f = finding("no-figures.txt", "figures");
    assert_eq!(status(&f), "gap", "{f}");
    let m = message(&f);
    assert!(m.contains("0 figures"), "{m}");
    assert!(m.contains("2 placeholders"), "{m}");
    let ev = evidence(&f);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].0, 7);
    assert!(ev[0].1.contains("XX件"), "{ev:?}");
}

#[test]
fn results_with_figures_pass() {
    let f = finding("quotes-other-province.txt", "figures");
    assert_eq!(status(&f), "pass", "{f}");
    assert!(message(&f).starts_with("7 figures"), "{f}");
}

#[test]
fn a_plan_for_a_past_year_and_results_of_an_earlier_year_are_flagged() {
    let f = finding("past-plan.txt", "year-consistency");
    assert_eq!(status(&f), "gap", "{f}");
    let m = message(&f);
    assert!(
        m.contains("line 5 leads results with 2021, the report is on 2023"),
        "{m}"
    );
    assert!(m.contains("the plan at line 11 is for 2023"), "{m}");
    let lines: Vec<u64> = evidence(&f).iter().map(|e| e.0).collect();
    assert_eq!(lines, [5, 5, 11]);
    // The span 自2019年以来 in the same part is not a lead.
    assert!(!m.contains("2019"), "{m}");
}

#[test]
fn years_that_fit_the_timeline_pass() {
    let f = finding("quotes-other-province.txt", "year-consistency");
    assert_eq!(status(&f), "pass", "{f}");
}
