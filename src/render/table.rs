//! The table a reviewer reads: per report a header (file, unit, year, title, publication), one row
//! per rule with its result and the evidence or what is missing, and a summary line.

use super::summary::{self, ReportRow, Summary};
use super::{Context, End, Renderer};
use crate::Audited;
use crate::rules::Status;
use comfy_table::{Cell, Color, ContentArrangement, Table as Grid, presets::UTF8_FULL_CONDENSED};
use std::fmt::Write;
use std::io;

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

/// Writes each report's table as it comes (unless `--summary`), then the batch summary.
pub struct Table<'a> {
    out: &'a mut dyn io::Write,
    ctx: Context<'a>,
}

impl<'a> Table<'a> {
    pub fn new(ctx: Context<'a>, out: &'a mut dyn io::Write) -> Table<'a> {
        Table { out, ctx }
    }
}

impl Renderer for Table<'_> {
    fn report(&mut self, a: &Audited) -> io::Result<()> {
        if self.ctx.summary_only {
            return Ok(());
        }
        let mut text = String::new();
        report_table(&mut text, a, self.ctx.color);
        self.out.write_all(text.as_bytes())
    }

    fn finish(self: Box<Self>, end: &End) -> io::Result<()> {
        summary_view(self.out, self.ctx, end)?;
        self.out.flush()
    }
}

fn new_table(color: bool) -> Grid {
    let mut table = Grid::new();
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
    if let Some(m) = &a.measures {
        let _ = writeln!(out, "{}", super::measures_line(m));
    }
    if let Some(c) = &a.copying {
        for line in super::copying_lines(c, 2) {
            let _ = writeln!(out, "{line}");
        }
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
fn summary_view(out: &mut dyn io::Write, ctx: Context, end: &End) -> io::Result<()> {
    let summary = end.summary;
    // One report needs no matrix: its table says it all.
    let one = summary.report_count() <= 1 && !ctx.summary_only;
    if !one {
        matrix_view(out, ctx, summary)?;
    }
    let mut text = String::new();
    for s in end.skipped {
        let _ = writeln!(text, "skipped: {}: {}", s.path, s.reason);
    }
    for w in end.stale_waivers {
        let target = w.report.as_deref().or(w.unit.as_deref()).unwrap_or("?");
        let _ = writeln!(
            text,
            "stale waiver: rule {} on {target}: {}",
            w.rule, w.reason
        );
    }
    let _ = writeln!(text, "{}", super::provenance(ctx.pack));
    let _ = writeln!(
        text,
        "{} report{} audited with pack {} {}: {} with error gaps, {} unreadable, {} skipped",
        summary.report_count(),
        if summary.report_count() == 1 { "" } else { "s" },
        ctx.pack.meta.id,
        ctx.pack.meta.version,
        summary.with_error_gaps(),
        summary.unreadable(),
        end.skipped.len()
    );
    out.write_all(text.as_bytes())
}

fn matrix_view(out: &mut dyn io::Write, ctx: Context, summary: &Summary) -> io::Result<()> {
    writeln!(
        out,
        "== summary: {} reports, pack {} {}",
        summary.report_count(),
        ctx.pack.meta.id,
        ctx.pack.meta.version
    )?;
    if !summary.reports.is_empty() {
        matrix_table(out, summary, ctx.color)?;
    }
    let mut text = String::new();
    let mut rates = new_table(ctx.color);
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
    let _ = writeln!(text, "{rates}");
    let worst = summary.worst_first();
    if !worst.is_empty() {
        let _ = writeln!(text, "reports with error gaps, most first:");
        for i in worst {
            let row = &summary.reports[i];
            let what = match &row.error {
                Some(e) => format!("unreadable: {e}"),
                None => format!(
                    "{} error gaps: {}",
                    row.error_gaps,
                    summary.error_gap_rules(row).join(", ")
                ),
            };
            let _ = writeln!(text, "  {}  {what}", row.path);
        }
    }
    out.write_all(text.as_bytes())
}

/// Display width in terminal columns (CJK characters take two).
fn width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` cut into pieces of at most `max` columns.
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max && used > 0 {
            lines.push(String::new());
            used = 0;
        }
        lines.last_mut().expect("never empty").push(c);
        used += w;
    }
    lines
}

/// A matrix column after the rules: its value for a report's row.
type Column = Box<dyn Fn(&ReportRow) -> String>;

/// The reports × rules matrix, drawn row by row in the style of the other tables (comfy-table's
/// UTF8_FULL_CONDENSED). A comfy-table of 100,000 rows would hold hundreds of MB of cells and
/// take seconds to lay out; this writes each row as it goes, in constant memory.
fn matrix_table(out: &mut dyn io::Write, summary: &Summary, color: bool) -> io::Result<()> {
    let numbers: Vec<String> = (1..=summary.rules.len()).map(|i| i.to_string()).collect();
    // After the rules: error gaps, the substance score and, when copy detection ran, the shares
    // copied from other reports and repeated from the unit's report of the year before.
    let percent = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{:.0}%", v * 100.0));
    let mut tail: Vec<(&str, Column)> = vec![
        (
            "error gaps",
            Box::new(|r: &ReportRow| r.error_gaps.to_string()),
        ),
        (
            "substance",
            Box::new(|r: &ReportRow| r.substance.map_or("–".into(), |s| s.to_string())),
        ),
    ];
    if summary.has_copying() {
        tail.push(("copied", Box::new(move |r: &ReportRow| percent(r.copied))));
        tail.push((
            "last year",
            Box::new(move |r: &ReportRow| percent(r.repeated)),
        ));
    }
    // Every column but the first: content, one space each side, one border.
    let rest: usize = numbers.iter().map(|n| n.len() + 3).sum::<usize>()
        + tail.iter().map(|(h, _)| h.len() + 3).sum::<usize>();
    let longest = summary
        .reports
        .iter()
        .map(|r| width(&r.path))
        .max()
        .unwrap_or(0)
        .max("report".len());
    // Within 120 columns when the paths allow it; never narrower than 32 for the paths.
    let path_w = longest.min((WIDTH as usize).saturating_sub(rest + 4).max(32));
    let mut widths = vec![path_w];
    widths.extend(numbers.iter().map(String::len));
    widths.extend(tail.iter().map(|(h, _)| h.len()));
    let rule = |left: &str, fill: &str, mid: &str, right: &str| {
        let parts: Vec<String> = widths.iter().map(|w| fill.repeat(w + 2)).collect();
        format!("{left}{}{right}\n", parts.join(mid))
    };
    let line = |cells: &[(&str, Option<Status>)]| {
        let mut s = String::from("│");
        for (i, ((text, status), w)) in cells.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(w.saturating_sub(width(text)));
            let text = match (color, status) {
                (true, Some(st)) => format!("\x1b[{}m{text}\x1b[0m", ansi(*st)),
                _ => text.to_string(),
            };
            let sep = if i + 1 == widths.len() { "│" } else { "┆" };
            s.push_str(&format!(" {text}{pad} {sep}"));
        }
        s.push('\n');
        s
    };
    let mut header: Vec<(&str, Option<Status>)> = vec![("report", None)];
    header.extend(numbers.iter().map(|n| (n.as_str(), None)));
    header.extend(tail.iter().map(|(h, _)| (*h, None)));
    let mut text = rule("┌", "─", "┬", "┐");
    text.push_str(&line(&header));
    text.push_str(&rule("╞", "═", "╪", "╡"));
    out.write_all(text.as_bytes())?;
    for row in &summary.reports {
        let values: Vec<String> = match &row.error {
            Some(_) => std::iter::once("unreadable".to_string())
                .chain(tail[1..].iter().map(|_| "–".to_string()))
                .collect(),
            None => tail.iter().map(|(_, value)| value(row)).collect(),
        };
        let mut cells: Vec<(&str, Option<Status>)> = Vec::with_capacity(widths.len());
        let path = wrap(&row.path, path_w);
        cells.push((&path[0], None));
        match &row.error {
            Some(_) => cells.extend(numbers.iter().map(|_| ("?", None))),
            None => cells.extend(
                row.statuses
                    .iter()
                    .map(|s| (s.map_or("", summary::symbol), *s)),
            ),
        }
        cells.extend(values.iter().map(|v| (v.as_str(), None)));
        out.write_all(line(&cells).as_bytes())?;
        for more in &path[1..] {
            let mut cells: Vec<(&str, Option<Status>)> = vec![(more, None)];
            cells.extend(widths[1..].iter().map(|_| ("", None)));
            out.write_all(line(&cells).as_bytes())?;
        }
    }
    out.write_all(rule("└", "─", "┴", "┘").as_bytes())
}

/// ANSI colour code of a status: green, red, grey, yellow.
fn ansi(s: Status) -> &'static str {
    match s {
        Status::Pass => "32",
        Status::Gap => "31",
        Status::Skip => "90",
        Status::Waived => "33",
    }
}
