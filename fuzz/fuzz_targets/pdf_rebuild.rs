//! pdftotext's output, rebuilt into paragraphs without running pdftotext: arbitrary text, split
//! into pages at form feeds as `pdf::extract` does, through `pdf::rebuild`. Never a panic, and
//! one string per page.
#![no_main]

use auditor::load::pdf::rebuild;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let pages: Vec<&str> = text.split('\x0c').collect();
    let out = rebuild(&pages);
    assert_eq!(out.len(), pages.len());
});
