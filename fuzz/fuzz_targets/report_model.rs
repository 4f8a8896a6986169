//! Arbitrary text through the report model (`Report::parse`) and folding (`normalize::fold`):
//! never a panic, folding is idempotent, and the documented invariants of blocks and headings hold.
#![no_main]

use auditor::normalize::{fold, lines};
use auditor::report::Report;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for line in lines(text) {
        let once = fold(line);
        assert_eq!(
            once.origin.len(),
            once.text.chars().count() + 1,
            "origin has one entry per char + 1"
        );
        assert_eq!(*once.origin.last().unwrap() as usize, line.chars().count());
        let twice = fold(&once.text);
        assert_eq!(twice.text, once.text, "fold is not idempotent on {line:?}");
    }

    let report = Report::parse(text);
    for block in &report.blocks {
        let f = &block.folded;
        assert_eq!(f.origin.len(), f.text.chars().count() + 1);
        for s in block.sentences() {
            let _ = block.original(s.clone());
            let _ = block.quote(s, 60);
        }
        if let Some(h) = block.heading() {
            assert!(
                h.body_start <= f.text.len() && f.text.is_char_boundary(h.body_start),
                "{h:?} in {:?}",
                f.text
            );
            let _ = report.level_of(h.rank);
        }
        let _ = block.inline_items();
    }
    for (i, _) in report.headings() {
        let r = report.section(i);
        assert!(r.start <= r.end && r.end <= report.body_end());
    }
    let _ = report.opening();
    assert!(report.body_end() <= report.blocks.len());
});
