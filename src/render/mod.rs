//! Renderers: one file per output format, each a [`Renderer`] fed the reports one at a time.

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
use std::io::{self, Write};
use summary::Summary;

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

    /// Whether the format's end shows a row per report (the matrix, the worst reports, the
    /// inputs' hashes), which the summary must then keep ([`summary::Summary::without_rows`]).
    pub fn shows_report_rows(self) -> bool {
        match self {
            Format::Table | Format::Markdown | Format::Html | Format::Github => true,
            Format::Json | Format::Csv | Format::Xlsx | Format::Sarif | Format::Junit => false,
        }
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
pub fn provenance(pack: &Pack) -> String {
    format!(
        "{} {} · pack {} {} ({}, hash {})",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        pack.meta.id,
        pack.meta.version,
        pack.origin,
        pack.hash
    )
}

/// A share as a whole percentage: `0.527` → `53%`.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// The measures in one line: `substance 75/100: 19 figures in the results, 3 problems named, 0%
/// stock phrases, 3 plan items, 1,335 characters`.
pub fn measures_line(m: &crate::measures::Measures) -> String {
    format!(
        "substance {}/100: {} figures in the results, {} problems named, {} stock phrases, {} plan items, {} characters",
        m.substance(),
        m.figures,
        m.shortcomings_items,
        percent(m.stock_phrase_ratio),
        m.plan_items,
        m.chars
    )
}

/// Copy detection's result in lines of plain text (renderers escape them): the share copied and
/// each pair with its first passages (`L6↔L6`), then what the report repeats of last year's,
/// part by part.
pub fn copying_lines(c: &crate::copying::Copying, passages: usize) -> Vec<String> {
    let mut lines = Vec::new();
    if c.pairs.is_empty() {
        lines.push("copied: nothing shared with other reports of the batch".to_string());
    } else {
        lines.push(format!(
            "copied: {} of the text is shared with other reports",
            percent(c.share)
        ));
    }
    for p in &c.pairs {
        let at: Vec<String> = p
            .passages
            .iter()
            .take(passages)
            .map(|x| format!("L{}↔L{} {}", x.line, x.with_line, x.text))
            .collect();
        lines.push(format!(
            "  {} with {}: {}",
            percent(p.share),
            p.with,
            at.join(" | ")
        ));
    }
    if let Some(y) = &c.previous_year {
        let parts: Vec<String> = y
            .by_part
            .iter()
            .map(|p| format!("{} {}", p.part, percent(p.share)))
            .collect();
        lines.push(format!(
            "last year: {} repeats {} ({})",
            percent(y.share),
            y.with,
            parts.join(", ")
        ));
    }
    lines
}

/// The pack as JSON and SARIF name it: id, name, version, origin and hash.
#[derive(Serialize)]
pub(crate) struct PackInfo<'a> {
    id: &'a str,
    name: &'a str,
    version: &'a str,
    origin: &'a str,
    hash: &'a str,
}

impl<'a> PackInfo<'a> {
    pub(crate) fn of(pack: &'a Pack) -> PackInfo<'a> {
        PackInfo {
            id: &pack.meta.id,
            name: &pack.meta.name,
            version: &pack.meta.version,
            origin: &pack.origin,
            hash: &pack.hash,
        }
    }
}

/// What every renderer knows before the first report.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The batch's pack (under `--rules auto`, the latest: its rules are the matrix columns).
    pub pack: &'a Pack,
    /// Show only the batch summary (table, Markdown, HTML).
    pub summary_only: bool,
    /// Colour for a terminal (table only).
    pub color: bool,
}

/// What is known once the last report has gone past.
pub struct End<'a> {
    pub summary: &'a Summary,
    /// Files the walk passed over.
    pub skipped: &'a [Skipped],
    /// Waivers that matched nothing in the batch.
    pub stale_waivers: &'a [crate::waivers::Stale],
}

/// A renderer is fed the reports one at a time, in input order, and writes as it goes; what
/// depends on the whole batch (totals, the matrix) comes at [`Renderer::finish`]. Formats whose
/// summary comes first (HTML, Markdown, JUnit) spool the per-report part to an anonymous
/// temporary file, so no format holds a batch's findings in memory.
pub trait Renderer {
    /// The next report, in input order.
    fn report(&mut self, a: &Audited) -> io::Result<()>;
    /// After the last report: the summary-dependent parts; flushes the output.
    fn finish(self: Box<Self>, end: &End) -> io::Result<()>;
}

/// The renderer of `format`, writing to `out`.
pub fn renderer<'a>(
    format: Format,
    ctx: Context<'a>,
    out: &'a mut dyn Write,
) -> io::Result<Box<dyn Renderer + 'a>> {
    Ok(match format {
        Format::Table => Box::new(table::Table::new(ctx, out)),
        Format::Json => Box::new(json::Json::new(ctx, out)?),
        Format::Csv => Box::new(csv::Csv::new(ctx, out)?),
        Format::Xlsx => Box::new(xlsx::Xlsx::new(ctx, out).map_err(io::Error::other)?),
        Format::Markdown => Box::new(markdown::Markdown::new(ctx, out)?),
        Format::Html => Box::new(html::Html::new(ctx, out)?),
        Format::Sarif => Box::new(sarif::Sarif::new(ctx, out)?),
        Format::Junit => Box::new(junit::Junit::new(ctx, out)?),
        Format::Github => Box::new(github::Github::new(ctx, out)),
    })
}

/// A whole batch already in memory (tests, benchmarks, library users with small batches).
pub struct Batch<'a> {
    pub pack: &'a Pack,
    pub audited: &'a [Audited],
    pub skipped: &'a [Skipped],
    /// Waivers that matched nothing in the batch.
    pub stale_waivers: &'a [crate::waivers::Stale],
    /// Show only the batch summary (table, Markdown, HTML).
    pub summary_only: bool,
    /// Colour for a terminal (table only).
    pub color: bool,
}

/// Render a batch in memory: the bytes to write. The same renderers as the streaming path.
pub fn render(format: Format, batch: &Batch) -> Result<Vec<u8>, String> {
    let mut summary = summary::Summary::for_format(batch.pack, format);
    for a in batch.audited {
        summary.add(a);
    }
    render_with(format, batch, &summary)
}

/// [`render`] with the batch's summary given.
fn render_with(
    format: Format,
    batch: &Batch,
    summary: &summary::Summary,
) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let ctx = Context {
        pack: batch.pack,
        summary_only: batch.summary_only,
        color: batch.color,
    };
    let end = End {
        summary,
        skipped: batch.skipped,
        stale_waivers: batch.stale_waivers,
    };
    let run = |bytes: &mut Vec<u8>| -> io::Result<()> {
        let mut r = renderer(format, ctx, bytes)?;
        for a in batch.audited {
            r.report(a)?;
        }
        r.finish(&end)
    };
    run(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// Pretty JSON of `value`, its lines after the first indented by `indent`, so that it can be
/// placed at that depth of the document.
pub(crate) fn indented(value: &impl Serialize, indent: &str) -> String {
    let mut out = Vec::new();
    write_indented(&mut out, value, indent);
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// [`indented`], appended to `out` as bytes: a report's JSON is written as it comes, into a
/// buffer kept from one report to the next, and checking its UTF-8 again would be one more
/// pass over it.
pub(crate) fn write_indented(out: &mut Vec<u8>, value: &impl Serialize, indent: &str) {
    let formatter = PrettyUnder {
        indent: indent.as_bytes(),
        depth: 0,
        has_value: false,
    };
    value
        .serialize(&mut serde_json::Serializer::with_formatter(out, formatter))
        .expect("results serialise");
}

/// `serde_json`'s pretty format (two spaces a level) with every line after the first opening
/// with `indent`. Pretty-printing and then indenting each line was one more pass over every
/// report's JSON and a second copy of it.
struct PrettyUnder<'i> {
    indent: &'i [u8],
    depth: usize,
    has_value: bool,
}

impl PrettyUnder<'_> {
    fn new_line<W: ?Sized + Write>(&self, w: &mut W, after_value: bool) -> io::Result<()> {
        const SPACES: &[u8; 32] = b"                                ";
        w.write_all(if after_value { b",\n" } else { b"\n" })?;
        w.write_all(self.indent)?;
        let mut n = 2 * self.depth;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(w, false)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for PrettyUnder<'_> {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.new_line(w, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.new_line(w, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Text written aside while the reports stream past, to be copied into the output after the
/// parts that need the whole batch: an anonymous temporary file (removed by the OS whatever
/// happens), buffered.
pub(crate) struct Spool {
    file: io::BufWriter<std::fs::File>,
}

impl Spool {
    pub(crate) fn new() -> io::Result<Spool> {
        let file = tempfile::tempfile().map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot create a temporary file for the output: {e}"),
            )
        })?;
        Ok(Spool {
            file: io::BufWriter::with_capacity(64 * 1024, file),
        })
    }

    pub(crate) fn write_str(&mut self, s: &str) -> io::Result<()> {
        self.file.write_all(s.as_bytes())
    }

    /// Copy everything spooled into `out`.
    pub(crate) fn copy_into(self, out: &mut dyn Write) -> io::Result<()> {
        use std::io::Seek;
        let mut file = self.file.into_inner().map_err(|e| e.into_error())?;
        file.seek(io::SeekFrom::Start(0))?;
        io::copy(&mut file, out)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FailOn;
    use crate::rules::{Severity, Status};
    use clap::ValueEnum;

    /// [`indented`] as it was: `serde_json`'s pretty format, then `indent` after each line break.
    fn pretty_then_indented(value: &serde_json::Value, indent: &str) -> String {
        serde_json::to_string_pretty(value)
            .expect("a value serialises")
            .replace('\n', &format!("\n{indent}"))
    }

    /// The samples audited, an unreadable input, and a sample whose gaps are all warnings.
    fn audited_samples(pack: &Pack) -> Vec<crate::Audited> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut files: Vec<_> = std::fs::read_dir(root)
            .expect("the samples")
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        let mut inputs: Vec<crate::load::Input> =
            files.into_iter().map(crate::load::Input::File).collect();
        inputs.push(crate::load::Input::Broken(
            "gone.txt".into(),
            "no such file".into(),
        ));
        let packs = crate::PackSet::one(pack.clone());
        let options = crate::load::Options::default();
        let mut audited = crate::audit_all(&inputs, &packs, &options, 1, &|| {});
        let mut warned = audited[0].clone();
        warned.path = "warnings-only.txt".into();
        for f in &mut warned.findings {
            f.severity = Severity::Warning;
            f.status = Status::Gap;
        }
        audited.push(warned);
        audited
    }

    #[test]
    fn a_summary_without_rows_counts_and_renders_as_one_with_them() {
        let pack = Pack::load("2021").expect("the bundled pack");
        let audited = audited_samples(&pack);
        for batch in [&audited[..], &audited[..1], &audited[audited.len() - 1..]] {
            let mut with = summary::Summary::new(&pack);
            let mut without = summary::Summary::new(&pack).without_rows();
            for a in batch {
                with.add(a);
                without.add(a);
            }
            assert_eq!(with.reports.len(), batch.len());
            assert!(without.reports.is_empty());
            assert_eq!(with.rules, without.rules);
            for (w, wo) in [
                (with.report_count(), without.report_count()),
                (with.unreadable(), without.unreadable()),
                (with.with_error_gaps(), without.with_error_gaps()),
                (
                    usize::from(with.has_copying()),
                    usize::from(without.has_copying()),
                ),
            ] {
                assert_eq!(w, wo);
            }
            for fail_on in [FailOn::Error, FailOn::Warning, FailOn::Never] {
                assert_eq!(with.exit_code(fail_on), without.exit_code(fail_on));
            }
            // Every format renders the same bytes with the summary it is given as with rows.
            let none = Vec::new();
            let view = Batch {
                pack: &pack,
                audited: batch,
                skipped: &[],
                stale_waivers: &none,
                summary_only: false,
                color: false,
            };
            for format in Format::value_variants() {
                let given = render(*format, &view).expect("renders");
                let full = render_with(*format, &view, &with).expect("renders");
                assert!(given == full, "{format:?}");
            }
        }
        // The warnings-only report fails under `--fail-on warning` alone.
        let mut warned = summary::Summary::new(&pack).without_rows();
        warned.add(audited.last().expect("a report"));
        assert_eq!(warned.exit_code(FailOn::Error), 0);
        assert_eq!(warned.exit_code(FailOn::Warning), 1);
    }

    #[test]
    fn indenting_while_serialising_gives_what_indenting_the_pretty_json_gave() {
        let mut deep = serde_json::json!({"leaf": [1, {"a": null}], "empty": {}});
        for i in 0..20 {
            deep = serde_json::json!({ format!("k{i}"): [deep, [], "x"] });
        }
        let values = [
            serde_json::json!(null),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!("一行\n两行\t\"引号\""),
            serde_json::json!({"a": [], "b": {}, "c": [[], [{}], {"d": [1, 2.5, "e"]}]}),
            deep,
        ];
        for value in &values {
            for indent in ["", "  ", "    ", "        "] {
                assert_eq!(indented(value, indent), pretty_then_indented(value, indent));
            }
        }
    }
}
