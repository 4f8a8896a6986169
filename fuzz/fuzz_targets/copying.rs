//! Two arbitrary texts (split at the first NUL) through copy detection: fingerprints, the
//! index, verification and the year-over-year comparison by part, plus the measures. Never a
//! panic; shares stay within 0–1.
#![no_main]

use auditor::copying::{CopyIndex, Options, compare_years, fingerprint};
use auditor::report::Report;
use auditor::rules::Pack;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static PACK: OnceLock<Pack> = OnceLock::new();

fuzz_target!(|text: &str| {
    let pack = PACK.get_or_init(|| Pack::load("2021").expect("bundled pack 2021"));
    let (a, b) = text.split_once('\0').unwrap_or((text, text));
    let texts = [a, b];
    let mut index = CopyIndex::new(Options {
        boilerplate_min: 3,
        ..Options::default()
    });
    for (id, t) in texts.iter().enumerate() {
        index.add(id, fingerprint(&Report::parse(t)));
    }
    let paths = vec!["a".to_string(), "b".to_string()];
    for copying in index.detect(&paths, |id| Some(Report::parse(texts[id]))).into_iter().flatten() {
        assert!((0.0..=1.0).contains(&copying.share));
    }
    let (x, y) = (Report::parse(a), Report::parse(b));
    let yoy = compare_years(&x, &y, "b", pack, Some(&index));
    assert!((0.0..=1.0).contains(&yoy.share));
    let _ = auditor::measures::measure(&x, pack);
});
