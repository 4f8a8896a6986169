//! The JSON contract: `{"tool", "pack", "reports": [{"path", "meta", "results", "summary", "error"}], "summary"}`.
//! Fields documented in README.md are stable; new fields may be added.

use super::{Context, End, PackInfo, Renderer, Skipped, indented, write_indented};
use crate::Audited;
use crate::eval::Finding;
use crate::load::SourceFormat;
use crate::report::YearSource;
use crate::rules::Status;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct MetaOut<'a> {
    title: Option<&'a str>,
    unit: Option<&'a str>,
    year: Option<i32>,
    year_source: Option<YearSource>,
    published: Option<String>,
    format: Option<SourceFormat>,
    encoding: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    modified: Option<&'a str>,
}

#[derive(Serialize)]
struct Counts {
    pass: usize,
    gap: usize,
    skip: usize,
    waived: usize,
    error_gaps: usize,
}

#[derive(Serialize)]
struct ReportOut<'a> {
    path: &'a str,
    sha256: Option<&'a str>,
    /// With `--rules auto`: the pack chosen for this report and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pack: Option<&'a crate::PackChoice>,
    meta: Option<MetaOut<'a>>,
    results: &'a [Finding],
    summary: Option<Counts>,
    /// How much substance the parts carry, for sorting (readable reports).
    #[serde(skip_serializing_if = "Option::is_none")]
    measures: Option<MeasuresOut<'a>>,
    /// With `--copying` / `--against`: shared passages and last year's repeats.
    #[serde(skip_serializing_if = "Option::is_none")]
    copying: Option<&'a crate::copying::Copying>,
    error: Option<&'a str>,
}

/// The measures, and the substance score computed from them.
#[derive(Serialize)]
struct MeasuresOut<'a> {
    #[serde(flatten)]
    measures: &'a crate::measures::Measures,
    substance: u8,
}

#[derive(Serialize)]
struct BatchSummary<'a> {
    reports: usize,
    unreadable: usize,
    with_error_gaps: usize,
    /// Files the walk passed over, with the reason.
    skipped: &'a [Skipped],
    /// Waivers that matched nothing.
    stale_waivers: &'a [crate::waivers::Stale],
    /// Each rule across the batch.
    rules: Vec<RuleRate<'a>>,
}

#[derive(Serialize)]
struct RuleRate<'a> {
    rule: &'a str,
    pass: usize,
    gap: usize,
    skip: usize,
    waived: usize,
    /// Passes among the reports the rule could judge; null when none could.
    pass_rate: Option<f64>,
}

/// Writes `{"tool", "pack", "reports": [` at once, each report as it comes, then `], "summary"`:
/// the document is the same as one serialised whole, without holding the batch.
pub struct Json<'a> {
    out: &'a mut dyn Write,
    reports: usize,
    /// Each report's JSON, before it is written: kept from one report to the next.
    buf: Vec<u8>,
}

impl<'a> Json<'a> {
    pub fn new(ctx: Context<'a>, out: &'a mut dyn Write) -> io::Result<Json<'a>> {
        let pack = ctx.pack;
        let tool = Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        };
        let info = PackInfo::of(pack);
        write!(
            out,
            "{{\n  \"tool\": {},\n  \"pack\": {},\n  \"reports\": [",
            indented(&tool, "  "),
            indented(&info, "  ")
        )?;
        Ok(Json {
            out,
            reports: 0,
            buf: Vec::new(),
        })
    }
}

impl Renderer for Json<'_> {
    fn report(&mut self, a: &Audited) -> io::Result<()> {
        let out = report_out(a);
        let sep = if self.reports == 0 { "\n" } else { ",\n" };
        self.reports += 1;
        write!(self.out, "{sep}    ")?;
        self.buf.clear();
        write_indented(&mut self.buf, &out, "    ");
        self.out.write_all(&self.buf)
    }

    fn finish(self: Box<Self>, end: &End) -> io::Result<()> {
        let summary = end.summary;
        let batch = BatchSummary {
            reports: summary.report_count(),
            unreadable: summary.unreadable(),
            with_error_gaps: summary.with_error_gaps(),
            skipped: end.skipped,
            stale_waivers: end.stale_waivers,
            rules: summary
                .rules
                .iter()
                .map(|r| RuleRate {
                    rule: &r.id,
                    pass: r.pass,
                    gap: r.gap,
                    skip: r.skip,
                    waived: r.waived,
                    pass_rate: r.pass_rate().map(|p| (p * 10_000.0).round() / 10_000.0),
                })
                .collect(),
        };
        let close = if self.reports == 0 { "]" } else { "\n  ]" };
        write!(
            self.out,
            "{close},\n  \"summary\": {}\n}}\n",
            indented(&batch, "  ")
        )?;
        self.out.flush()
    }
}

fn report_out(a: &Audited) -> ReportOut<'_> {
    ReportOut {
        path: &a.path,
        sha256: a.source.as_ref().map(|s| s.sha256.as_str()),
        pack: a.pack_choice.as_ref(),
        meta: a.meta.as_ref().map(|m| MetaOut {
            title: m.title.as_deref(),
            unit: m.unit.as_deref(),
            year: m.year,
            year_source: m.year_source,
            published: m.published.map(|d| d.to_string()),
            format: a.source.as_ref().map(|s| s.format),
            encoding: a.source.as_ref().and_then(|s| s.encoding),
            created: a.source.as_ref().and_then(|s| s.created.as_deref()),
            modified: a.source.as_ref().and_then(|s| s.modified.as_deref()),
        }),
        results: &a.findings,
        summary: a.error.is_none().then(|| Counts {
            pass: a.count(Status::Pass),
            gap: a.count(Status::Gap),
            skip: a.count(Status::Skip),
            waived: a.count(Status::Waived),
            error_gaps: a.error_gaps(),
        }),
        measures: a.measures.as_ref().map(|m| MeasuresOut {
            measures: m,
            substance: m.substance(),
        }),
        copying: a.copying.as_ref(),
        error: a.error.as_deref(),
    }
}
