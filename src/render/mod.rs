//! Renderers: one file per output format, all working from the same [`Batch`] of results.

pub mod csv;
pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod summary;
pub mod table;
pub mod xlsx;

use crate::Audited;
use crate::rules::Pack;
use serde::Serialize;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A table per report, then the batch summary.
    Table,
    /// The documented machine contract (see README.md).
    Json,
    /// One row per report × rule, with evidence (UTF-8 with BOM, for Excel).
    Csv,
    /// An Excel workbook: matrix, findings, rules.
    Xlsx,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// One self-contained HTML page: the matrix, then each report's findings.
    Html,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// JUnit XML: one testcase per report × rule.
    Junit,
    /// GitHub Actions workflow annotations (::error file=…).
    Github,
}

impl Format {
    /// Formats that are not text and are not written to a terminal.
    pub fn is_binary(self) -> bool {
        self == Format::Xlsx
    }
}

/// A file the walk passed over, and why (never silently).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// Text that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab, CR at the start)
/// made inert with a leading apostrophe: report text must never run in a reviewer's Excel.
pub fn neutralize_formula(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// The line every output carries so an audit can be reproduced: tool, pack and its hash.
pub fn provenance(batch: &Batch) -> String {
    let p = &batch.pack;
    format!(
        "{} {} · pack {} {} ({}, hash {})",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        p.meta.id,
        p.meta.version,
        p.origin,
        p.hash
    )
}

/// Everything a renderer needs.
pub struct Batch<'a> {
    pub pack: &'a Pack,
    pub audited: &'a [Audited],
    pub skipped: &'a [Skipped],
    /// Waivers that matched nothing in the batch.
    pub stale_waivers: &'a [crate::waivers::Stale],
    /// Show only the batch summary (table and Markdown).
    pub summary_only: bool,
    /// Colour for a terminal (table only).
    pub color: bool,
}

/// Render a batch. Text formats are UTF-8; the result is the bytes to write.
pub fn render(format: Format, batch: &Batch) -> Result<Vec<u8>, String> {
    Ok(match format {
        Format::Table => table::render(batch).into_bytes(),
        Format::Json => json::render(batch).into_bytes(),
        Format::Csv => csv::render(batch).into_bytes(),
        Format::Xlsx => xlsx::render(batch)?,
        Format::Markdown => markdown::render(batch).into_bytes(),
        Format::Html => html::render(batch).into_bytes(),
        Format::Sarif => sarif::render(batch).into_bytes(),
        Format::Junit => junit::render(batch).into_bytes(),
        Format::Github => github::render(batch).into_bytes(),
    })
}
