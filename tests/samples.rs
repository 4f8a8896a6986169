//! The bundled samples against their expected verdicts (samples/expected.toml), and the promise
//! that every rule of every bundled pack is shown both passing and failing on some sample.

use auditor::rules::{BUNDLED, Pack, Status};
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

fn status(s: &str) -> Status {
    match s {
        "pass" => Status::Pass,
        "gap" => Status::Gap,
        "skip" => Status::Skip,
        other => panic!("unknown status {other}"),
    }
}

#[test]
fn samples_get_their_expected_verdicts() {
    let pack = Pack::load("2021").unwrap();
    let mut failures = Vec::new();
    for doc in expected().doc {
        let text = fs::read_to_string(format!("samples/{}", doc.file)).unwrap();
        let (meta, findings) = auditor::audit_text(&text, &pack);
        if let Some(y) = doc.year {
            if meta.year != Some(y) {
                failures.push(format!("{}: year {:?}, expected {y}", doc.file, meta.year));
            }
        }
        if let Some(p) = &doc.published {
            let got = meta.published.map(|d| d.to_string()).unwrap_or_default();
            if &got != p {
                failures.push(format!("{}: published {got:?}, expected {p:?}", doc.file));
            }
        }
        for (rule, want) in &doc.rules {
            let f = findings
                .iter()
                .find(|f| &f.rule == rule)
                .unwrap_or_else(|| panic!("{}: no rule {rule}", doc.file));
            if f.status != status(want) {
                failures.push(format!(
                    "{}: {rule} = {:?}, expected {want}: {} {:?}",
                    doc.file,
                    f.status,
                    f.message,
                    f.evidence.first()
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

#[test]
fn every_rule_of_every_bundled_pack_has_a_passing_and_a_failing_sample() {
    let docs = expected().doc;
    for (name, _) in BUNDLED {
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
