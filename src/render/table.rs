//! The table a reviewer reads: per report a header (file, unit, year, title, publication), one row
//! per rule with its result and the evidence or what is missing, and a summary line.

use crate::Audited;
use crate::rules::{Pack, Severity, Status};
use comfy_table::{Cell, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use std::fmt::Write;

/// Table width in terminal columns; fixed so output is the same wherever it is run.
const WIDTH: u16 = 120;
const EVIDENCE_LINES: usize = 2;

fn status_label(s: Status) -> &'static str {
    match s {
        Status::Pass => "PASS",
        Status::Gap => "GAP",
        Status::Skip => "SKIP",
    }
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

pub fn render(pack: &Pack, audited: &[Audited]) -> String {
    let mut out = String::new();
    for a in audited {
        let _ = writeln!(out, "== {}", a.path);
        if let Some(err) = &a.error {
            let _ = writeln!(out, "error: {err}\n");
            continue;
        }
        if let Some(m) = &a.meta {
            let or_none = |s: Option<&str>| s.unwrap_or("(none)").to_string();
            let year = m.year.map_or("(unknown)".to_string(), |y| {
                let from = m.year_source.map_or(String::new(), |s| {
                    format!(" (from the {})", format!("{s:?}").to_lowercase())
                });
                format!("{y}{from}")
            });
            let _ = writeln!(out, "title: {}", or_none(m.title.as_deref()));
            let _ = writeln!(
                out,
                "unit: {} | year: {year} | published: {}",
                or_none(m.unit.as_deref()),
                m.published
                    .map_or("(not shown)".to_string(), |d| d.to_string())
            );
        }
        let mut table = Table::new();
        table
            .load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(WIDTH);
        table.set_header(vec![
            "rule",
            "result",
            "severity",
            "evidence / what is missing",
        ]);
        for f in &a.findings {
            let mut detail = f.message.clone();
            for e in f.evidence.iter().take(EVIDENCE_LINES) {
                let _ = write!(detail, "\nL{}: {}", e.line, e.text);
            }
            if f.evidence.len() > EVIDENCE_LINES {
                let _ = write!(detail, "\n(+{} more)", f.evidence.len() - EVIDENCE_LINES);
            }
            if let Some(help) = &f.help {
                let _ = write!(detail, "\n→ {help}");
            }
            table.add_row(vec![
                Cell::new(format!("{}\n{}", f.name, f.rule)),
                Cell::new(status_label(f.status)),
                Cell::new(severity_label(f.severity)),
                Cell::new(detail),
            ]);
        }
        let _ = writeln!(out, "{table}");
        let _ = writeln!(
            out,
            "{} rules: {} pass, {} gap ({} error), {} skip\n",
            a.findings.len(),
            a.count(Status::Pass),
            a.count(Status::Gap),
            a.error_gaps(),
            a.count(Status::Skip)
        );
    }
    let unreadable = audited.iter().filter(|a| a.error.is_some()).count();
    let failing = audited.iter().filter(|a| a.error_gaps() > 0).count();
    let _ = writeln!(
        out,
        "{} report{} audited with pack {} {}: {failing} with error gaps, {unreadable} unreadable",
        audited.len(),
        if audited.len() == 1 { "" } else { "s" },
        pack.meta.id,
        pack.meta.version
    );
    out
}
