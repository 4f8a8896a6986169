//! The table a reviewer reads: per report a header (file, unit, year, title, publication), one row
//! per rule with its result and the evidence or what is missing, and a summary line.

use super::Batch;
use super::summary::{self, Summary};
use crate::Audited;
use crate::rules::{Severity, Status};
use comfy_table::{Cell, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use std::fmt::Write;

/// Table width in terminal columns; fixed so output is the same wherever it is run.
const WIDTH: u16 = 120;
const EVIDENCE_LINES: usize = 2;

fn status_label(s: Status) -> &'static str {
    match s {
        Status::Pass => "PASS",
        Status::Gap => "GAP",
        Status::Skip => "SKIP",
        Status::Waived => "WAIVED",
    }
}

pub fn render(batch: &Batch) -> String {
    let mut out = String::new();
    if !batch.summary_only {
        for a in batch.audited {
            report_table(&mut out, a, batch.color);
        }
    }
    summary_view(&mut out, batch);
    out
}

fn new_table(color: bool) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(WIDTH);
    if !color {
        table.force_no_tty();
    }
    table
}

fn status_cell(s: Status, text: &str, color: bool) -> Cell {
    let cell = Cell::new(text);
    match (color, s) {
        (false, _) => cell,
        (true, Status::Pass) => cell.fg(Color::Green),
        (true, Status::Gap) => cell.fg(Color::Red),
        (true, Status::Skip) => cell.fg(Color::DarkGrey),
        (true, Status::Waived) => cell.fg(Color::Yellow),
    }
}

/// Per report: a header, one row per rule, a summary line.
fn report_table(out: &mut String, a: &Audited, color: bool) {
    let _ = writeln!(out, "== {}", a.path);
    if let Some(err) = &a.error {
        let _ = writeln!(out, "error: {err}\n");
        return;
    }
    if let Some(m) = &a.meta {
        let or_none = |s: Option<&str>| s.unwrap_or("(none)").to_string();
        let year = m.year.map_or("(unknown)".to_string(), |y| {
            let from = m.year_source.map_or(String::new(), |s| {
                format!(" (from the {})", format!("{s:?}").to_lowercase())
            });
            format!("{y}{from}")
        });
        if let Some(src) = &a.source {
            let format = format!("{:?}", src.format).to_lowercase();
            let _ = match src.encoding {
                Some(e) => writeln!(out, "read as: {format}, {e} | sha256 {}", src.sha256),
                None => writeln!(out, "read as: {format} | sha256 {}", src.sha256),
            };
        }
        if let Some(p) = &a.pack_choice {
            let _ = writeln!(out, "pack: {} ({})", p.id, p.reason);
        }
        let _ = writeln!(out, "title: {}", or_none(m.title.as_deref()));
        let _ = writeln!(
            out,
            "unit: {} | year: {year} | published: {}",
            or_none(m.unit.as_deref()),
            m.published
                .map_or("(not shown)".to_string(), |d| d.to_string())
        );
    }
    let mut table = new_table(color);
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
            status_cell(f.status, status_label(f.status), color),
            Cell::new(f.severity.as_str()),
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

/// The batch summary: the matrix of reports × rules, each rule's pass rate, the reports with the
/// most error gaps, and what was skipped.
fn summary_view(out: &mut String, batch: &Batch) {
    let summary: Summary = summary::summarize(batch);
    // One report needs no matrix: its table says it all.
    let one = summary.reports.len() <= 1 && !batch.summary_only;
    if !one {
        matrix_view(out, batch, &summary);
    }
    for s in batch.skipped {
        let _ = writeln!(out, "skipped: {}: {}", s.path, s.reason);
    }
    for w in batch.stale_waivers {
        let target = w.report.as_deref().or(w.unit.as_deref()).unwrap_or("?");
        let _ = writeln!(
            out,
            "stale waiver: rule {} on {target}: {}",
            w.rule, w.reason
        );
    }
    let _ = writeln!(out, "{}", super::provenance(batch));
    let unreadable = summary.reports.iter().filter(|r| r.error.is_some()).count();
    let failing = summary.reports.iter().filter(|r| r.error_gaps > 0).count();
    let _ = writeln!(
        out,
        "{} report{} audited with pack {} {}: {failing} with error gaps, {unreadable} unreadable, {} skipped",
        summary.reports.len(),
        if summary.reports.len() == 1 { "" } else { "s" },
        batch.pack.meta.id,
        batch.pack.meta.version,
        batch.skipped.len()
    );
}

fn matrix_view(out: &mut String, batch: &Batch, summary: &Summary) {
    let _ = writeln!(
        out,
        "== summary: {} reports, pack {} {}",
        summary.reports.len(),
        batch.pack.meta.id,
        batch.pack.meta.version
    );
    if !summary.reports.is_empty() {
        let mut table = new_table(batch.color);
        let mut header = vec![Cell::new("report")];
        header.extend(
            summary
                .rules
                .iter()
                .enumerate()
                .map(|(i, _)| Cell::new(format!("{}", i + 1))),
        );
        header.push(Cell::new("error gaps"));
        table.set_header(header);
        for row in &summary.reports {
            let mut cells = vec![Cell::new(&row.path)];
            if let Some(err) = &row.error {
                cells.push(Cell::new(format!("unreadable: {err}")));
            } else {
                cells.extend(
                    row.statuses
                        .iter()
                        .map(|&s| status_cell(s, summary::symbol(s), batch.color)),
                );
                cells.push(Cell::new(row.error_gaps));
            }
            table.add_row(cells);
        }
        let _ = writeln!(out, "{table}");
    }
    let mut rates = new_table(batch.color);
    rates.set_header(vec![
        "#",
        "rule",
        "severity",
        "pass",
        "gap",
        "skip",
        "pass rate",
    ]);
    for (i, r) in summary.rules.iter().enumerate() {
        let rate = r
            .pass_rate()
            .map_or("–".to_string(), |p| format!("{:.0}%", p * 100.0));
        rates.add_row(vec![
            Cell::new(i + 1),
            Cell::new(format!("{} {}", r.id, r.name)),
            Cell::new(r.severity.as_str()),
            Cell::new(r.pass),
            Cell::new(r.gap),
            Cell::new(r.skip),
            Cell::new(rate),
        ]);
    }
    let _ = writeln!(out, "{rates}");
    let worst = summary.worst_first();
    if !worst.is_empty() {
        let _ = writeln!(out, "reports with error gaps, most first:");
        for i in worst {
            let row = &summary.reports[i];
            let what = match &row.error {
                Some(e) => format!("unreadable: {e}"),
                None => {
                    let missing: Vec<&str> = row
                        .statuses
                        .iter()
                        .zip(&summary.rules)
                        .filter(|(s, r)| **s == Status::Gap && r.severity == Severity::Error)
                        .map(|(_, r)| r.id.as_str())
                        .collect();
                    format!("{} error gaps: {}", row.error_gaps, missing.join(", "))
                }
            };
            let _ = writeln!(out, "  {}  {what}", row.path);
        }
    }
}
