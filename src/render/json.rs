//! The JSON contract: `{"tool", "pack", "reports": [{"path", "meta", "results", "summary", "error"}], "summary"}`.
//! Fields documented in README.md are stable; new fields may be added.

use super::{Batch, Skipped};
use crate::eval::Finding;
use crate::load::SourceFormat;
use crate::report::YearSource;
use crate::rules::Status;
use serde::Serialize;

#[derive(Serialize)]
struct Output<'a> {
    tool: Tool,
    pack: PackInfo<'a>,
    reports: Vec<ReportOut<'a>>,
    summary: BatchSummary<'a>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct PackInfo<'a> {
    id: &'a str,
    name: &'a str,
    version: &'a str,
    origin: &'a str,
    hash: &'a str,
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
    error: Option<&'a str>,
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

pub fn render(batch: &Batch) -> String {
    let (pack, audited) = (batch.pack, batch.audited);
    let summary = super::summary::summarize(batch);
    let reports = audited
        .iter()
        .map(|a| ReportOut {
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
            error: a.error.as_deref(),
        })
        .collect();
    let out = Output {
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        pack: PackInfo {
            id: &pack.meta.id,
            name: &pack.meta.name,
            version: &pack.meta.version,
            origin: &pack.origin,
            hash: &pack.hash,
        },
        reports,
        summary: BatchSummary {
            reports: audited.len(),
            unreadable: audited.iter().filter(|a| a.error.is_some()).count(),
            with_error_gaps: audited.iter().filter(|a| a.error_gaps() > 0).count(),
            skipped: batch.skipped,
            stale_waivers: batch.stale_waivers,
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
        },
    };
    let mut s = serde_json::to_string_pretty(&out).expect("results serialise");
    s.push('\n');
    s
}
