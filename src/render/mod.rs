//! Renderers: one file per output format, all working from the same [`Audited`] results.

pub mod json;
pub mod table;

use crate::Audited;
use crate::rules::Pack;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table per report, then a summary line.
    Table,
    /// The documented machine contract (see README.md).
    Json,
}

pub fn render(format: Format, pack: &Pack, audited: &[Audited]) -> String {
    match format {
        Format::Table => table::render(pack, audited),
        Format::Json => json::render(pack, audited),
    }
}
