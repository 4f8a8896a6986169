//! An Excel workbook for reviewers: `matrix` (one row per report, one column per rule, ✓ ✗ –
//! on green, red and grey, with the provenance under the table), `findings` (one row per report ×
//! rule with message, evidence, help, basis and the input's SHA-256) and `rules` (the pack, with
//! each rule's results across the batch).
//!
//! Every string goes through [`neutralize_formula`] and is written as a string, never as a
//! formula, so report text cannot run in a reviewer's spreadsheet. The document's creation time is
//! fixed, so the same input gives the same bytes.

use super::summary::{self, Summary};
use super::{Context, End, Renderer, neutralize_formula, provenance};
use crate::Audited;
use crate::eval::{Evidence, Finding};
use crate::rules::{Pack, Severity, Status};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

/// Excel's limit on the characters of one cell.
const CELL_CHARS: usize = 32_767;

/// Header of the `findings` sheet.
const FINDINGS_HEADER: [&str; 12] = [
    "path", "unit", "year", "rule", "name", "status", "severity", "message", "evidence", "help",
    "basis", "sha256",
];

/// Header of the `rules` sheet.
const RULES_HEADER: [&str; 10] = [
    "#",
    "id",
    "name",
    "severity",
    "basis",
    "help",
    "pass",
    "gap",
    "skip",
    "pass rate",
];

/// The formats of the workbook, made once.
struct Styles {
    header: Format,
    text: Format,
    wrap: Format,
    center: Format,
    note: Format,
    percent: Format,
    pass: Format,
    gap: Format,
    skip: Format,
    unreadable: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xD0D0D0));
        let status = |fill: u32, font: u32| {
            cell.clone()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(fill))
                .set_font_color(Color::RGB(font))
        };
        Styles {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xDDE4EE))
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0xA0A8B4)),
            text: cell.clone(),
            wrap: cell.clone().set_text_wrap(),
            center: cell.clone().set_align(FormatAlign::Center),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x595959)),
            percent: cell.clone().set_num_format("0%"),
            pass: status(0xC6EFCE, 0x006100),
            gap: status(0xFFC7CE, 0x9C0006),
            skip: status(0xEDEDED, 0x595959),
            unreadable: cell.set_font_color(Color::RGB(0x9C0006)),
        }
    }

    fn status(&self, s: Status) -> &Format {
        match s {
            Status::Pass => &self.pass,
            Status::Gap => &self.gap,
            Status::Skip | Status::Waived => &self.skip,
        }
    }
}

/// The sheets' indices in the workbook.
const MATRIX: usize = 0;
const FINDINGS: usize = 1;
const RULES: usize = 2;
const COPYING: usize = 3;

/// Header of the `copying` sheet.
const COPYING_HEADER: [&str; 7] = [
    "path",
    "shared with",
    "kind",
    "share",
    "line",
    "line there",
    "passage",
];

/// Writes the `matrix` and `findings` rows of each report as it comes, in rust_xlsxwriter's
/// constant-memory mode (each row goes to a temporary file once the next begins); at the end the
/// notes under the matrix, the `rules` sheet, and the workbook.
pub struct Xlsx<'a> {
    out: &'a mut dyn std::io::Write,
    ctx: Context<'a>,
    workbook: Workbook,
    styles: Styles,
    matrix: Widths,
    findings: Widths,
    copying: Widths,
    /// Rows written so far (after the header) on `matrix` and on `findings`.
    matrix_rows: u32,
    findings_rows: u32,
    copying_rows: u32,
}

/// Columns of the matrix sheet: path, unit, year, then the rules, then the counts.
const FIRST_RULE: usize = 3;

impl<'a> Xlsx<'a> {
    pub fn new(ctx: Context<'a>, out: &'a mut dyn std::io::Write) -> Result<Xlsx<'a>, XlsxError> {
        let styles = Styles::new();
        let mut workbook = Workbook::new();
        let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
        let properties = DocProperties::new()
            .set_title("auditor: 法治政府建设年度报告审查")
            .set_author(env!("CARGO_PKG_NAME"))
            .set_comment(provenance(ctx.pack))
            .set_creation_datetime(&created);
        workbook.set_properties(&properties);
        let rules = &ctx.pack.rules;

        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("matrix")?;
        let mut names: Vec<&str> = vec!["path", "unit", "year"];
        names.extend(rules.iter().map(|r| r.id.as_str()));
        names.extend([
            "error gaps",
            "warning gaps",
            "substance",
            "copied",
            "last year",
            "unreadable",
        ]);
        let mut bounds = vec![(10, 60), (8, 36), (6, 8)];
        bounds.extend(rules.iter().map(|_| (5, 22)));
        bounds.extend([(8, 12), (8, 14), (8, 10), (6, 8), (8, 10), (12, 60)]);
        let mut matrix = Widths::new(&bounds);
        header(sheet, &names, &mut matrix, &styles)?;

        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("findings")?;
        let mut findings = Widths::new(&[
            (10, 50),
            (8, 30),
            (6, 8),
            (6, 22),
            (8, 30),
            (8, 12),
            (8, 10),
            (20, 60),
            (20, 80),
            (12, 60),
            (12, 60),
            (12, 66),
        ]);
        header(sheet, &FINDINGS_HEADER, &mut findings, &styles)?;
        workbook.add_worksheet().set_name("rules")?;
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("copying")?;
        let mut copying = Widths::new(&[
            (10, 50),
            (10, 50),
            (8, 22),
            (6, 8),
            (5, 6),
            (5, 10),
            (20, 90),
        ]);
        header(sheet, &COPYING_HEADER, &mut copying, &styles)?;
        Ok(Xlsx {
            out,
            ctx,
            workbook,
            styles,
            matrix,
            findings,
            copying,
            matrix_rows: 0,
            findings_rows: 0,
            copying_rows: 0,
        })
    }

    /// One row per report: path, unit, year, a ✓ ✗ – per rule, counts.
    fn matrix_row(&mut self, a: &Audited) -> Result<(), XlsxError> {
        let (styles, widths) = (&self.styles, &mut self.matrix);
        let rules = &self.ctx.pack.rules;
        let after = FIRST_RULE + rules.len();
        let unreadable = after + 5;
        let sheet = self.workbook.worksheet_from_index(MATRIX)?;
        self.matrix_rows += 1;
        let r = self.matrix_rows;
        put(sheet, r, 0, &a.path, &styles.text)?;
        widths.fit(0, &a.path);
        let meta = a.meta.as_ref();
        if let Some(unit) = meta.and_then(|m| m.unit.as_deref()) {
            put(sheet, r, 1, unit, &styles.text)?;
            widths.fit(1, unit);
        }
        if let Some(year) = meta.and_then(|m| m.year) {
            put_number(sheet, r, 2, year as f64, &styles.center)?;
        }
        if let Some(err) = &a.error {
            put(sheet, r, unreadable, err, &styles.unreadable)?;
            widths.fit(unreadable, err);
            return Ok(());
        }
        for (j, rule) in rules.iter().enumerate() {
            if let Some(f) = finding(a, &rule.id) {
                put(
                    sheet,
                    r,
                    FIRST_RULE + j,
                    summary::symbol(f.status),
                    styles.status(f.status),
                )?;
            }
        }
        let warning_gaps = a
            .findings
            .iter()
            .filter(|f| f.status == Status::Gap && f.severity == Severity::Warning)
            .count();
        put_number(sheet, r, after, a.error_gaps() as f64, &styles.center)?;
        put_number(sheet, r, after + 1, warning_gaps as f64, &styles.center)?;
        if let Some(m) = &a.measures {
            put_number(
                sheet,
                r,
                after + 2,
                f64::from(m.substance()),
                &styles.center,
            )?;
        }
        if let Some(c) = &a.copying {
            put_number(sheet, r, after + 3, c.share, &styles.percent)?;
            if let Some(y) = &c.previous_year {
                put_number(sheet, r, after + 4, y.share, &styles.percent)?;
            }
        }
        Ok(())
    }

    /// One row per passage shared with another report or repeated from last year's.
    fn copying_rows(&mut self, a: &Audited) -> Result<(), XlsxError> {
        let Some(c) = &a.copying else {
            return Ok(());
        };
        let (styles, widths) = (&self.styles, &mut self.copying);
        let sheet = self.workbook.worksheet_from_index(COPYING)?;
        let mut rows: Vec<(&str, String, f64, &crate::copying::Passage)> = Vec::new();
        for pair in &c.pairs {
            for p in &pair.passages {
                rows.push((&pair.with, "copied".to_string(), pair.share, p));
            }
        }
        if let Some(y) = &c.previous_year {
            for part in &y.by_part {
                for p in &part.passages {
                    rows.push((&y.with, format!("last year: {}", part.part), part.share, p));
                }
            }
        }
        for (with, kind, share, p) in rows {
            self.copying_rows += 1;
            let r = self.copying_rows;
            put(sheet, r, 0, &a.path, &styles.text)?;
            widths.fit(0, &a.path);
            put(sheet, r, 1, with, &styles.text)?;
            widths.fit(1, with);
            put(sheet, r, 2, &kind, &styles.text)?;
            widths.fit(2, &kind);
            put_number(sheet, r, 3, share, &styles.percent)?;
            put_number(sheet, r, 4, p.line as f64, &styles.center)?;
            put_number(sheet, r, 5, p.with_line as f64, &styles.center)?;
            put(sheet, r, 6, &p.text, &styles.wrap)?;
            widths.fit(6, &p.text);
        }
        Ok(())
    }

    /// One row per report × rule.
    fn findings_rows(&mut self, a: &Audited) -> Result<(), XlsxError> {
        let (styles, widths) = (&self.styles, &mut self.findings);
        let sheet = self.workbook.worksheet_from_index(FINDINGS)?;
        let unit = a.meta.as_ref().and_then(|m| m.unit.as_deref());
        let year = a.meta.as_ref().and_then(|m| m.year);
        let sha = a.source.as_ref().map(|s| s.sha256.as_str());
        for rule in &self.ctx.pack.rules {
            self.findings_rows += 1;
            let r = self.findings_rows;
            put(sheet, r, 0, &a.path, &styles.text)?;
            widths.fit(0, &a.path);
            if let Some(unit) = unit {
                put(sheet, r, 1, unit, &styles.text)?;
                widths.fit(1, unit);
            }
            if let Some(year) = year {
                put_number(sheet, r, 2, year as f64, &styles.center)?;
            }
            put(sheet, r, 3, &rule.id, &styles.text)?;
            widths.fit(3, &rule.id);
            put(sheet, r, 4, &rule.name, &styles.text)?;
            widths.fit(4, &rule.name);
            let severity = finding(a, &rule.id).map_or(rule.severity, |f| f.severity);
            put(sheet, r, 6, severity.as_str(), &styles.text)?;
            match (finding(a, &rule.id), &a.error) {
                (Some(f), _) => {
                    put(sheet, r, 5, f.status.as_str(), styles.status(f.status))?;
                    put(sheet, r, 7, &f.message, &styles.wrap)?;
                    widths.fit(7, &f.message);
                    let evidence: Vec<String> = f.evidence.iter().map(evidence_line).collect();
                    let evidence = evidence.join("\n");
                    put(sheet, r, 8, &evidence, &styles.wrap)?;
                    widths.fit(8, &evidence);
                    if let Some(help) = &f.help {
                        put(sheet, r, 9, help, &styles.wrap)?;
                        widths.fit(9, help);
                    }
                    put(sheet, r, 10, &f.basis, &styles.wrap)?;
                    widths.fit(10, &f.basis);
                }
                (None, error) => {
                    let message = match error {
                        Some(e) => format!("unreadable: {e}"),
                        None => "not evaluated".to_string(),
                    };
                    put(sheet, r, 5, "unreadable", &styles.unreadable)?;
                    put(sheet, r, 7, &message, &styles.wrap)?;
                    widths.fit(7, &message);
                    put(sheet, r, 10, &rule.basis, &styles.wrap)?;
                    widths.fit(10, &rule.basis);
                }
            }
            if let Some(sha) = sha {
                put(sheet, r, 11, sha, &styles.text)?;
                widths.fit(11, sha);
            }
        }
        Ok(())
    }

    fn finish_sheets(&mut self, end: &End) -> Result<Vec<u8>, XlsxError> {
        let styles = &self.styles;
        let pack = self.ctx.pack;
        let columns = FIRST_RULE + pack.rules.len() + 6;
        let sheet = self.workbook.worksheet_from_index(MATRIX)?;
        let last = self.matrix_rows;
        self.matrix.apply(sheet)?;
        sheet.set_freeze_panes(1, 1)?;
        sheet.autofilter(0, 0, last, (columns - 1) as u16)?;
        // Under the table, apart from it so that sorting and filtering leave it alone.
        let mut note = last + 2;
        put(
            sheet,
            note,
            0,
            "✓ pass  ✗ gap  – skip; rule names and basis on the `rules` sheet",
            &styles.note,
        )?;
        note += 1;
        put(sheet, note, 0, &provenance(pack), &styles.note)?;
        for s in end.skipped {
            note += 1;
            put(
                sheet,
                note,
                0,
                &format!("skipped: {}: {}", s.path, s.reason),
                &styles.note,
            )?;
        }

        let sheet = self.workbook.worksheet_from_index(FINDINGS)?;
        self.findings.apply(sheet)?;
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(0, 0, self.findings_rows, (FINDINGS_HEADER.len() - 1) as u16)?;

        let sheet = self.workbook.worksheet_from_index(COPYING)?;
        self.copying.apply(sheet)?;
        sheet.set_freeze_panes(1, 0)?;
        if self.copying_rows == 0 {
            put(
                sheet,
                2,
                0,
                if end.summary.has_copying() {
                    "no passages shared between the reports of this batch"
                } else {
                    "copy detection did not run: audit with --copying or --against DIR"
                },
                &styles.note,
            )?;
        } else {
            sheet.autofilter(0, 0, self.copying_rows, (COPYING_HEADER.len() - 1) as u16)?;
        }
        rules_sheet(
            self.workbook.worksheet_from_index(RULES)?,
            pack,
            end.summary,
            styles,
        )?;
        self.workbook.save_to_buffer()
    }
}

impl Renderer for Xlsx<'_> {
    fn report(&mut self, a: &Audited) -> std::io::Result<()> {
        self.matrix_row(a)
            .and_then(|()| self.findings_rows(a))
            .and_then(|()| self.copying_rows(a))
            .map_err(std::io::Error::other)
    }

    fn finish(mut self: Box<Self>, end: &End) -> std::io::Result<()> {
        let bytes = self.finish_sheets(end).map_err(std::io::Error::other)?;
        self.out.write_all(&bytes)?;
        self.out.flush()
    }
}

/// Columns whose widths follow their longest text, within bounds.
struct Widths(Vec<(usize, usize, usize)>);

impl Widths {
    /// Per column: minimum and maximum width, in Excel character units.
    fn new(bounds: &[(usize, usize)]) -> Widths {
        Widths(bounds.iter().map(|&(min, max)| (0, min, max)).collect())
    }

    fn fit(&mut self, col: usize, text: &str) {
        if let Some(w) = self.0.get_mut(col) {
            w.0 = w.0.max(text.lines().map(display_width).max().unwrap_or(0));
        }
    }

    fn apply(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        for (col, &(seen, min, max)) in self.0.iter().enumerate() {
            sheet.set_column_width(col as u16, (seen + 2).clamp(min, max) as f64)?;
        }
        Ok(())
    }
}

/// Width of text in Excel character units: CJK and other wide characters count double.
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// A string cell: neutralized so it is never taken for a formula, cut to Excel's limit.
fn put(
    sheet: &mut Worksheet,
    row: u32,
    col: usize,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    let text = neutralize_formula(text);
    let text: std::borrow::Cow<str> = if text.chars().count() > CELL_CHARS {
        let mut cut: String = text.chars().take(CELL_CHARS - 1).collect();
        cut.push('…');
        cut.into()
    } else {
        text
    };
    sheet.write_string_with_format(row, col as u16, text.as_ref(), format)?;
    Ok(())
}

fn put_number(
    sheet: &mut Worksheet,
    row: u32,
    col: usize,
    n: f64,
    format: &Format,
) -> Result<(), XlsxError> {
    sheet.write_number_with_format(row, col as u16, n, format)?;
    Ok(())
}

fn header(
    sheet: &mut Worksheet,
    names: &[&str],
    widths: &mut Widths,
    styles: &Styles,
) -> Result<(), XlsxError> {
    for (col, name) in names.iter().enumerate() {
        put(sheet, 0, col, name, &styles.header)?;
        widths.fit(col, name);
    }
    Ok(())
}

fn finding<'a>(a: &'a Audited, rule: &str) -> Option<&'a Finding> {
    a.findings.iter().find(|f| f.rule == rule)
}

/// `L12: quote`, with the page or paragraph when the reader knew it.
fn evidence_line(e: &Evidence) -> String {
    let mut at = format!("L{}", e.line);
    if let Some(p) = e.location.page {
        at.push_str(&format!(" (p. {p})"));
    } else if let Some(p) = e.location.paragraph {
        at.push_str(&format!(" (¶ {p})"));
    }
    format!("{at}: {}", e.text)
}

/// The pack's rules, with their results across the batch.
fn rules_sheet(
    sheet: &mut Worksheet,
    pack: &Pack,
    summary: &Summary,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("rules")?;
    let mut widths = Widths::new(&[
        (4, 5),
        (6, 22),
        (8, 30),
        (8, 10),
        (20, 70),
        (20, 70),
        (6, 8),
        (6, 8),
        (6, 8),
        (8, 10),
    ]);
    header(sheet, &RULES_HEADER, &mut widths, styles)?;
    for (i, (rule, stats)) in pack.rules.iter().zip(&summary.rules).enumerate() {
        let r = i as u32 + 1;
        put_number(sheet, r, 0, (i + 1) as f64, &styles.center)?;
        put(sheet, r, 1, &rule.id, &styles.text)?;
        widths.fit(1, &rule.id);
        put(sheet, r, 2, &rule.name, &styles.text)?;
        widths.fit(2, &rule.name);
        put(sheet, r, 3, rule.severity.as_str(), &styles.text)?;
        put(sheet, r, 4, &rule.basis, &styles.wrap)?;
        widths.fit(4, &rule.basis);
        put(sheet, r, 5, &rule.help, &styles.wrap)?;
        widths.fit(5, &rule.help);
        put_number(sheet, r, 6, stats.pass as f64, &styles.center)?;
        put_number(sheet, r, 7, stats.gap as f64, &styles.center)?;
        put_number(sheet, r, 8, stats.skip as f64, &styles.center)?;
        if let Some(rate) = stats.pass_rate() {
            put_number(sheet, r, 9, rate, &styles.percent)?;
        }
    }
    let last = pack.rules.len() as u32;
    widths.apply(sheet)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last, (RULES_HEADER.len() - 1) as u16)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_double() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("法治政府"), 8);
        assert_eq!(display_width("（2021—2025年）"), 2 + 4 + 1 + 4 + 2 + 2);
    }
}
