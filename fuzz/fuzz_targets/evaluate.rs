//! Arbitrary text audited with the bundled 2021 pack (loaded once): never a panic, and one
//! finding per rule.
#![no_main]

use auditor::rules::Pack;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static PACK: OnceLock<Pack> = OnceLock::new();

fuzz_target!(|text: &str| {
    let pack = PACK.get_or_init(|| Pack::load("2021").expect("bundled pack 2021"));
    let (_meta, findings) = auditor::audit_text(text, pack);
    assert_eq!(findings.len(), pack.rules.len());
});
