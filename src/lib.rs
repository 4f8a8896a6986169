//! `auditor` audits Chinese governments' annual rule-of-law reports (法治政府建设年度报告) against
//! rule packs written in TOML.
//!
//! Data flows one way: [`load`] (inputs → text) → [`normalize`] (folded forms for matching) →
//! [`report`] (blocks, outline, metadata) → [`eval`] (rules → findings with evidence) →
//! [`render`] (table, JSON). [`rules`] reads, validates and compiles rule packs.

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
    pub meta: Option<Meta>,
    pub findings: Vec<Finding>,
    pub error: Option<String>,
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

/// Read and audit one input; a read error becomes the input's `error`.
pub fn audit_input(input: &load::Input, pack: &Pack) -> Audited {
    let path = input.label();
    match load::read(input) {
        Ok(text) => {
            let (meta, findings) = audit_text(&text, pack);
            Audited {
                path,
                meta: Some(meta),
                findings,
                error: None,
            }
        }
        Err(e) => Audited {
            path,
            meta: None,
            findings: Vec::new(),
            error: Some(e),
        },
    }
}

/// Exit codes: 0 no error-severity gap, 1 at least one, 2 an input could not be read.
pub fn exit_code(audited: &[Audited]) -> i32 {
    if audited.iter().any(|a| a.error.is_some()) {
        2
    } else if audited.iter().any(|a| a.error_gaps() > 0) {
        1
    } else {
        0
    }
}
