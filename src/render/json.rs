//! The JSON contract: `{"tool", "pack", "reports": [{"path", "meta", "results", "summary", "error"}], "summary"}`.
//! Fields documented in README.md are stable; new fields may be added.

use crate::Audited;
use crate::eval::Finding;
use crate::report::YearSource;
use crate::rules::{Pack, Status};
use serde::Serialize;

#[derive(Serialize)]
struct Output<'a> {
    tool: Tool,
    pack: PackInfo<'a>,
    reports: Vec<ReportOut<'a>>,
    summary: BatchSummary,
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
}

#[derive(Serialize)]
struct Counts {
    pass: usize,
    gap: usize,
    skip: usize,
    error_gaps: usize,
}

#[derive(Serialize)]
struct ReportOut<'a> {
    path: &'a str,
    meta: Option<MetaOut<'a>>,
    results: &'a [Finding],
    summary: Option<Counts>,
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct BatchSummary {
    reports: usize,
    unreadable: usize,
    with_error_gaps: usize,
}

pub fn render(pack: &Pack, audited: &[Audited]) -> String {
    let reports = audited
        .iter()
        .map(|a| ReportOut {
            path: &a.path,
            meta: a.meta.as_ref().map(|m| MetaOut {
                title: m.title.as_deref(),
                unit: m.unit.as_deref(),
                year: m.year,
                year_source: m.year_source,
                published: m.published.map(|d| d.to_string()),
            }),
            results: &a.findings,
            summary: a.error.is_none().then(|| Counts {
                pass: a.count(Status::Pass),
                gap: a.count(Status::Gap),
                skip: a.count(Status::Skip),
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
        },
    };
    let mut s = serde_json::to_string_pretty(&out).expect("results serialise");
    s.push('\n');
    s
}
