//! Structured DOCX fuzzing: a valid ZIP whose parts are fuzz data, so the mutations reach the XML
//! readers (document, styles, numbering, core properties, relationships) instead of dying in the
//! ZIP layer. Errors are fine, panics are not.
//!
//! Input: UTF-8 text split at NUL characters into
//!   options \0 document body \0 styles.xml \0 numbering.xml \0 core.xml \0 document.xml.rels \0 .rels
//! A missing or empty piece leaves that part out. The body goes inside
//! `<w:document><w:body>…</w:body></w:document>` unless the options hold `r` (raw: the piece is
//! the whole document.xml); with `d` the parts are deflated instead of stored. A plain-text
//! input is therefore a document body.
#![no_main]

use auditor::load::{Options, read_bytes};
use libfuzzer_sys::fuzz_target;
use std::io::{Cursor, Write};
use std::path::Path;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

const NAMES: [&str; 5] = [
    "word/styles.xml",
    "word/numbering.xml",
    "docProps/core.xml",
    "word/_rels/document.xml.rels",
    "_rels/.rels",
];

fuzz_target!(|text: &str| {
    let mut pieces = text.split('\0');
    let (options, body) = match (pieces.next(), pieces.next()) {
        (Some(o), Some(b)) => (o, b),
        (Some(b), None) => ("", b),
        _ => return,
    };
    let document = if options.contains('r') {
        body.to_string()
    } else {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>"#
        )
    };
    let mut parts: Vec<(&str, &str)> = vec![("word/document.xml", &document)];
    for (name, piece) in NAMES.into_iter().zip(pieces) {
        if !piece.is_empty() {
            parts.push((name, piece));
        }
    }
    let method = if options.contains('d') {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let zip_options = zip::write::SimpleFileOptions::default().compression_method(method);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, part) in parts {
        zip.start_file(name, zip_options).unwrap();
        zip.write_all(part.as_bytes()).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    if let Ok(doc) = read_bytes(&bytes, Some(Path::new("r.docx")), &Options::default()) {
        assert_eq!(doc.locations.len(), doc.text.split('\n').count());
    }
});
