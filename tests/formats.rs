//! The same report gives the same verdicts whatever its form. Every sample is rendered as
//! full-width and half-width text, GB18030, UTF-16 with CRLF, Markdown, traditional script, an
//! HTML page wrapped in site chrome, DOCX with and without automatic numbering, PDF, and text
//! copied out of a PDF (wrapped at 38 and at 28 characters, with page-number lines); each
//! rendering goes through the real reader (`load::read_bytes`) and must give the verdicts the
//! plain text gives.

mod support;

use auditor::load::{self, Options};
use auditor::normalize;
use auditor::rules::{Pack, Status};
use std::fs;
use std::path::Path;

/// Verdicts and metadata that must not depend on the form.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    year: Option<i32>,
    published: Option<String>,
    title: Option<String>,
    statuses: Vec<(String, Status)>,
}

fn outcome(bytes: &[u8], name: &str, pack: &Pack) -> Result<Outcome, String> {
    let doc = load::read_bytes(bytes, Some(Path::new(name)), &Options::default())?;
    let (meta, findings) = auditor::audit_document(&doc, pack);
    Ok(Outcome {
        year: meta.year,
        published: meta.published.map(|d| d.to_string()),
        // Titles are quoted as written; compare them as matched (folded, simplified).
        title: meta.title.map(|t| {
            let mut f = normalize::fold(&t);
            normalize::simplify(&mut f);
            f.text.chars().filter(|c| !c.is_whitespace()).collect()
        }),
        statuses: findings.into_iter().map(|f| (f.rule, f.status)).collect(),
    })
}

fn samples() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fs::read_dir("samples")
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(out.len() >= 8);
    out
}

/// Half-width ASCII punctuation and digits to their full-width forms.
fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '!'..='~' if c.is_ascii_punctuation() || c.is_ascii_digit() => {
                char::from_u32(c as u32 + 0xFEE0).unwrap()
            }
            ' ' => '\u{3000}',
            _ => c,
        })
        .collect()
}

/// Full-width forms to half-width ASCII.
fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap(),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

fn utf16le_crlf(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.replace('\n', "\r\n").encode_utf16() {
        out.extend(u.to_le_bytes());
    }
    out
}

/// Markdown: the title as `#`, top-level headings as `##`, bold second-level headings.
fn markdown(text: &str) -> String {
    let mut titled = false;
    text.lines()
        .map(|l| {
            let t = l.trim();
            if !titled
                && t.contains("报告")
                && t.chars().count() < 60
                && !t.contains('。')
                && !t.ends_with(['：', ':'])
            {
                titled = true;
                format!("# {t}")
            } else if t.chars().nth(1) == Some('、')
                && "一二三四五六七八九十".contains(t.chars().next().unwrap())
            {
                format!("## {t}")
            } else if t.starts_with('（') && t.contains('）') && !t.contains('。') {
                format!("**{t}**")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn traditional(text: &str) -> String {
    use ferrous_opencc::{OpenCC, config::BuiltinConfig};
    OpenCC::from_config(BuiltinConfig::S2t)
        .unwrap()
        .convert(text)
}

type Render = fn(&str) -> (Vec<u8>, &'static str);

fn renderings() -> Vec<(&'static str, Render)> {
    vec![
        ("full-width", |t| (full_width(t).into_bytes(), "r.txt")),
        ("half-width", |t| (half_width(t).into_bytes(), "r.txt")),
        ("gb18030", |t| {
            (encoding_rs::GB18030.encode(t).0.into_owned(), "r.txt")
        }),
        ("utf-16le-crlf", |t| (utf16le_crlf(t), "r.txt")),
        ("markdown", |t| (markdown(t).into_bytes(), "r.md")),
        ("traditional", |t| (traditional(t).into_bytes(), "r.txt")),
        ("html", |t| {
            (support::html_gen::html_from_text(t).into_bytes(), "r.html")
        }),
        ("docx", |t| {
            (support::docx_gen::docx_from_text(t, false), "r.docx")
        }),
        ("docx-numbered", |t| {
            (support::docx_gen::docx_from_text(t, true), "r.docx")
        }),
        ("pdf", |t| (support::pdf_gen::pdf_from_text(t), "r.pdf")),
        // Copied out of a PDF: a text file wrapped at a fixed width, with page-number lines.
        ("wrapped-text", |t| {
            let layout = support::pdf_gen::Layout::default();
            let text = support::pdf_gen::wrapped_text(t, layout, 36);
            (text.into_bytes(), "r.txt")
        }),
        ("wrapped-text-official", |t| {
            let layout = support::pdf_gen::Layout::official();
            let text = support::pdf_gen::wrapped_text(t, layout, 22);
            (text.into_bytes(), "r.txt")
        }),
    ]
}

#[test]
fn every_rendering_of_every_sample_gets_the_plain_text_verdicts() {
    let pack = Pack::load("2021").unwrap();
    let pdf_reader = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    let mut failures = Vec::new();
    for (name, text) in samples() {
        let plain = outcome(text.as_bytes(), "r.txt", &pack).unwrap();
        for (form, render) in renderings() {
            if form == "pdf" && !pdf_reader {
                panic!(
                    "pdftotext is not installed: install poppler-utils and poppler-data (see README)"
                );
            }
            let (bytes, file) = render(&text);
            match outcome(&bytes, file, &pack) {
                Ok(got) if got == plain => {}
                // A round trip through traditional script may change a place name's characters
                // (澄 → 澂); the verdicts must still agree.
                Ok(got)
                    if form == "traditional"
                        && (got.year, &got.published, &got.statuses)
                            == (plain.year, &plain.published, &plain.statuses) => {}
                Ok(got) => {
                    let diff: Vec<String> = plain
                        .statuses
                        .iter()
                        .zip(&got.statuses)
                        .filter(|(a, b)| a != b)
                        .map(|(a, b)| format!("{} {:?}→{:?}", a.0, a.1, b.1))
                        .collect();
                    failures.push(format!(
                        "{name} as {form}: year {:?}→{:?}, published {:?}→{:?}, title {:?}→{:?}, {}",
                        plain.year, got.year, plain.published, got.published, plain.title, got.title, diff.join(", ")
                    ));
                }
                Err(e) => failures.push(format!("{name} as {form}: unreadable: {e}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} renderings differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Evidence from a DOCX names its paragraph, from a PDF its page; a scanned (text-less) PDF
/// needs OCR.
#[test]
fn evidence_names_the_paragraph_or_page_and_a_pdf_without_text_needs_ocr() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string("samples/complete.txt").unwrap();
    let docx = dir.path().join("r.docx");
    fs::write(&docx, support::docx_gen::docx_from_text(&text, true)).unwrap();
    let pdf = dir.path().join("r.pdf");
    fs::write(&pdf, support::pdf_gen::pdf_from_text(&text)).unwrap();
    let out = assert_cmd::Command::cargo_bin("auditor")
        .unwrap()
        .args(["--format", "json"])
        .arg(&docx)
        .arg(&pdf)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let evidence = |i: usize, rule: &str| {
        v["reports"][i]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == rule)
            .unwrap()["evidence"][0]
            .clone()
    };
    assert_eq!(v["reports"][0]["meta"]["format"], "docx");
    assert!(evidence(0, "shortcomings")["paragraph"].as_u64().unwrap() > 1);
    assert_eq!(v["reports"][1]["meta"]["format"], "pdf");
    assert!(evidence(1, "next-year-plan")["page"].as_u64().unwrap() >= 1);

    let blank = dir.path().join("scan.pdf");
    fs::write(&blank, support::pdf_gen::pdf_from_text("")).unwrap();
    let out = assert_cmd::Command::cargo_bin("auditor")
        .unwrap()
        .args(["--format", "json"])
        .arg(&blank)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["reports"][0]["error"]
            .as_str()
            .unwrap()
            .contains("needs OCR"),
        "{}",
        v["reports"][0]["error"]
    );
}
