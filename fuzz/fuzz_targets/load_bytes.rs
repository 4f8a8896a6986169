//! Arbitrary bytes through the loader, as a `.txt`, `.html`, `.docx` and `.md` file: errors are
//! fine, panics are not. Inputs that sniff as PDF or legacy .doc are skipped: those spawn an
//! external program (pdftotext, catdoc/soffice) whatever their extension.
#![no_main]

use auditor::load::{Options, SourceFormat, read_bytes, sniff};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

const NAMES: [&str; 4] = ["r.txt", "r.html", "r.docx", "r.md"];

fuzz_target!(|bytes: &[u8]| {
    for name in NAMES {
        let path = Path::new(name);
        if matches!(
            sniff(bytes, Some(path)),
            SourceFormat::Pdf | SourceFormat::Doc
        ) {
            continue;
        }
        if let Ok(doc) = read_bytes(bytes, Some(path), &Options::default()) {
            // Locations, when there are any, are one per line of text.
            if !doc.locations.is_empty() {
                assert_eq!(doc.locations.len(), doc.text.split('\n').count(), "{name}");
            }
            assert!(!doc.text.trim().is_empty(), "{name}: Ok with an empty text");
        }
    }
});
