//! `auditor` audits Chinese governments' annual rule-of-law reports (法治政府建设年度报告) against
//! rule packs written in TOML.
//!
//! Data flows one way: [`load`] (inputs → text) → [`normalize`] (folded forms for matching) →
//! [`report`] (blocks, outline, metadata) → [`eval`] (rules → findings with evidence) →
//! [`render`] (table, JSON). [`rules`] reads, validates and compiles rule packs.

pub mod authoring;
pub mod config;
pub mod diagnostic;
pub mod eval;
pub mod load;
pub mod normalize;
pub mod render;
pub mod report;
pub mod rules;

use eval::Finding;
use report::{Meta, Report};
use rules::{Pack, Severity, Status};

/// The outcome of auditing one input: findings, or the reason it could not be read.
#[derive(Debug, Clone)]
pub struct Audited {
    pub path: String,
    /// What the reader knew of the input (format, encoding, document properties).
    pub source: Option<Source>,
    pub meta: Option<Meta>,
    pub findings: Vec<Finding>,
    pub error: Option<String>,
}

/// What the reader knew of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// SHA-256 of the input's bytes.
    pub sha256: String,
    pub format: load::SourceFormat,
    pub encoding: Option<&'static str>,
    pub created: Option<String>,
    pub modified: Option<String>,
}

impl Audited {
    /// Gaps of `error` severity.
    pub fn error_gaps(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.status == Status::Gap && f.severity == Severity::Error)
            .count()
    }

    pub fn count(&self, status: Status) -> usize {
        self.findings.iter().filter(|f| f.status == status).count()
    }
}

/// Audit a report's text.
pub fn audit_text(text: &str, pack: &Pack) -> (Meta, Vec<Finding>) {
    let report = Report::parse(text);
    let findings = eval::audit(&report, pack);
    (report.meta, findings)
}

/// Audit a document read by the loader: evidence from PDF and DOCX also names the page or
/// paragraph its line came from.
pub fn audit_document(document: &load::Document, pack: &Pack) -> (Meta, Vec<Finding>) {
    let (meta, mut findings) = audit_text(&document.text, pack);
    if !document.locations.is_empty() {
        for e in findings.iter_mut().flat_map(|f| f.evidence.iter_mut()) {
            if let Some(loc) = e
                .line
                .checked_sub(1)
                .and_then(|i| document.locations.get(i))
            {
                e.location = *loc;
            }
        }
    }
    (meta, findings)
}

/// Read and audit one input; a read error becomes the input's `error`.
pub fn audit_input(input: &load::Input, pack: &Pack, options: &load::Options) -> Audited {
    let path = input.label();
    match load::read(input, options) {
        Ok(document) => {
            let (meta, findings) = audit_document(&document, pack);
            let source = Source {
                sha256: document.sha256,
                format: document.format,
                encoding: document.encoding,
                created: document.created,
                modified: document.modified,
            };
            Audited {
                path,
                source: Some(source),
                meta: Some(meta),
                findings,
                error: None,
            }
        }
        Err(e) => Audited {
            path,
            source: None,
            meta: None,
            findings: Vec::new(),
            error: Some(e),
        },
    }
}

/// Audit inputs in parallel on `threads` threads (0: one per core). Results come back in input
/// order whatever the number of threads; `progress` is called once per input as it finishes.
pub fn audit_all(
    inputs: &[load::Input],
    pack: &Pack,
    options: &load::Options,
    threads: usize,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<Audited>, String> {
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    Ok(pool.install(|| {
        inputs
            .par_iter()
            .map(|input| {
                let a = audit_input(input, pack, options);
                progress();
                a
            })
            .collect()
    }))
}

/// Exit codes: 2 when an input could not be read; 1 when a gap fails under `fail_on`; else 0.
pub fn exit_code(audited: &[Audited], fail_on: config::FailOn) -> i32 {
    let fails = |a: &Audited| {
        a.findings.iter().any(|f| {
            f.status == Status::Gap
                && match fail_on {
                    config::FailOn::Error => f.severity == Severity::Error,
                    config::FailOn::Warning => f.severity <= Severity::Warning,
                    config::FailOn::Never => false,
                }
        })
    };
    if audited.iter().any(|a| a.error.is_some()) {
        2
    } else if audited.iter().any(fails) {
        1
    } else {
        0
    }
}
