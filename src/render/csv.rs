//! CSV for a spreadsheet: UTF-8 with a byte-order mark (so Excel reads it as UTF-8), a header row,
//! then one row per report × rule in input order and pack order. An unreadable report is one row
//! with status `error`. Every row also carries the provenance (tool, pack, pack hash) in its last
//! columns, so a row copied out of the sheet still says how it was produced.
//!
//! Every text cell goes through [`neutralize_formula`]: report text (and file names) must never
//! run as a formula in a reviewer's spreadsheet.

use super::{Context, End, Renderer, neutralize_formula};
use crate::Audited;
use crate::eval::{Evidence, Finding};
use std::io::{self, Write};

const HEADER: [&str; 18] = [
    "path",
    "unit",
    "year",
    "rule",
    "rule_name",
    "status",
    "severity",
    "message",
    "evidence",
    "help",
    "basis",
    "sha256",
    "tool",
    "pack",
    "pack_hash",
    "substance",
    "copied",
    "last_year",
];

const BOM: &str = "\u{feff}";

/// `L12: quote; L30 (p. 3): quote` — each line with its page (PDF) or paragraph (DOCX) if known.
pub(crate) fn evidence_text(evidence: &[Evidence]) -> String {
    evidence
        .iter()
        .map(|e| {
            let mut s = format!("L{}", e.line);
            match (e.location.page, e.location.paragraph) {
                (Some(p), Some(q)) => s.push_str(&format!(" (p. {p}, ¶ {q})")),
                (Some(p), None) => s.push_str(&format!(" (p. {p})")),
                (None, Some(q)) => s.push_str(&format!(" (¶ {q})")),
                (None, None) => {}
            }
            format!("{s}: {}", e.text)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The provenance columns every row carries.
struct Provenance {
    tool: String,
    pack: String,
    hash: String,
}

/// The report's substance score and copy shares (0–1), the same on each of its rows, for sorting
/// and filtering; empty when not measured or copy detection did not run.
fn report_columns(a: &Audited) -> [String; 3] {
    let copying = a.copying.as_ref();
    [
        a.measures
            .as_ref()
            .map(|m| m.substance().to_string())
            .unwrap_or_default(),
        copying.map(|c| c.share.to_string()).unwrap_or_default(),
        copying
            .and_then(|c| c.previous_year.as_ref())
            .map(|y| y.share.to_string())
            .unwrap_or_default(),
    ]
}

fn finding_row(a: &Audited, f: &Finding, p: &Provenance) -> [String; 18] {
    let [substance, copied, last_year] = report_columns(a);
    let meta = a.meta.as_ref();
    [
        a.path.clone(),
        meta.and_then(|m| m.unit.clone()).unwrap_or_default(),
        meta.and_then(|m| m.year)
            .map(|y| y.to_string())
            .unwrap_or_default(),
        f.rule.clone(),
        f.name.clone(),
        f.status.as_str().to_string(),
        f.severity.as_str().to_string(),
        f.message.clone(),
        evidence_text(&f.evidence),
        f.help.clone().unwrap_or_default(),
        f.basis.clone(),
        a.source
            .as_ref()
            .map(|s| s.sha256.clone())
            .unwrap_or_default(),
        p.tool.clone(),
        p.pack.clone(),
        p.hash.clone(),
        substance,
        copied,
        last_year,
    ]
}

fn error_row(a: &Audited, error: &str, p: &Provenance) -> [String; 18] {
    [
        a.path.clone(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        "error".to_string(),
        String::new(),
        error.to_string(),
        String::new(),
        String::new(),
        String::new(),
        a.source
            .as_ref()
            .map(|s| s.sha256.clone())
            .unwrap_or_default(),
        p.tool.clone(),
        p.pack.clone(),
        p.hash.clone(),
        String::new(),
        String::new(),
        String::new(),
    ]
}

/// Writes the header at once and each report's rows as it comes.
pub struct Csv<'a> {
    writer: csv::Writer<&'a mut dyn Write>,
    ctx: Context<'a>,
    provenance: Provenance,
}

impl<'a> Csv<'a> {
    pub fn new(ctx: Context<'a>, out: &'a mut dyn Write) -> io::Result<Csv<'a>> {
        let pack = ctx.pack;
        let provenance = Provenance {
            tool: format!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
            pack: format!("{} {}", pack.meta.id, pack.meta.version),
            hash: pack.hash.clone(),
        };
        out.write_all(BOM.as_bytes())?;
        let writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        let mut csv = Csv {
            writer,
            ctx,
            provenance,
        };
        csv.row(&HEADER.map(String::from))?;
        Ok(csv)
    }

    fn row(&mut self, row: &[String]) -> io::Result<()> {
        self.writer
            .write_record(row.iter().map(|cell| neutralize_formula(cell).into_owned()))
            .map_err(io::Error::other)
    }
}

impl Renderer for Csv<'_> {
    fn report(&mut self, a: &Audited) -> io::Result<()> {
        if let Some(err) = &a.error {
            let row = error_row(a, err, &self.provenance);
            return self.row(&row);
        }
        for rule in &self.ctx.pack.rules {
            if let Some(f) = a.findings.iter().find(|f| f.rule == rule.id) {
                let row = finding_row(a, f, &self.provenance);
                self.row(&row)?;
            }
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, _end: &End) -> io::Result<()> {
        self.writer.flush()
    }
}
