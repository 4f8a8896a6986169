//! The bundled samples against their expected verdicts (samples/expected.toml), and the promise
//! that every rule of every bundled pack is shown both passing and failing on some sample.

use auditor::rules::Pack;
use std::collections::BTreeMap;
use std::fs;

#[derive(serde::Deserialize)]
struct Expected {
    doc: Vec<Doc>,
}

#[derive(serde::Deserialize)]
struct Doc {
    file: String,
    year: Option<i32>,
    published: Option<String>,
    rules: BTreeMap<String, String>,
}

fn expected() -> Expected {
    toml::from_str(&fs::read_to_string("samples/expected.toml").unwrap()).unwrap()
}

/// Runs the binary once over samples/ and holds every report to samples/expected.toml.
#[test]
fn samples_get_their_expected_verdicts() {
    let out = assert_cmd::Command::cargo_bin("auditor")
        .unwrap()
        .args(["--format", "json", "samples"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reports: BTreeMap<String, &serde_json::Value> = json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["path"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("samples/")
                    .to_string(),
                r,
            )
        })
        .collect();
    let mut failures = Vec::new();
    let docs = expected().doc;
    assert_eq!(
        docs.len(),
        reports.len(),
        "every sample has its expected verdicts"
    );
    for doc in docs {
        let r = reports
            .get(&doc.file)
            .unwrap_or_else(|| panic!("{} was not audited", doc.file));
        let meta = &r["meta"];
        if let Some(y) = doc.year
            && meta["year"].as_i64() != Some(i64::from(y))
        {
            failures.push(format!("{}: year {}, expected {y}", doc.file, meta["year"]));
        }
        let got = meta["published"].as_str().unwrap_or_default();
        if let Some(p) = &doc.published
            && got != p
        {
            failures.push(format!("{}: published {got:?}, expected {p:?}", doc.file));
        }
        for (rule, want) in &doc.rules {
            let results = r["results"].as_array().unwrap();
            let f = results
                .iter()
                .find(|f| f["rule"] == rule.as_str())
                .unwrap_or_else(|| panic!("{}: no rule {rule}", doc.file));
            if f["status"] != want.as_str() {
                failures.push(format!(
                    "{}: {rule} = {}, expected {want}: {} {}",
                    doc.file, f["status"], f["message"], f["evidence"]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The national packs' rules are held to the sample reports; every bundled pack's rules (the
/// example provincial pack's own rules too) also carry passing and failing examples, checked in
/// `rules::tests::every_bundled_pack_compiles_and_its_examples_hold`.
#[test]
fn every_rule_of_the_national_packs_has_a_passing_and_a_failing_sample() {
    let docs = expected().doc;
    for name in auditor::AUTO_PACKS {
        let pack = Pack::load(name).unwrap();
        for rule in &pack.rules {
            let verdicts: Vec<&str> = docs
                .iter()
                .filter_map(|d| d.rules.get(&rule.id).map(String::as_str))
                .collect();
            assert!(
                verdicts.contains(&"pass"),
                "pack {name}: rule {} has no passing sample",
                rule.id
            );
            assert!(
                verdicts.contains(&"gap"),
                "pack {name}: rule {} has no failing sample",
                rule.id
            );
        }
    }
}
