//! The batch summary every renderer can show: a matrix of reports × rules, the pass rate of each
//! rule across the batch, and the reports with the most error gaps first.

use super::Batch;
use crate::rules::{Severity, Status};

/// One rule across the batch.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleStats {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub pass: usize,
    pub gap: usize,
    pub skip: usize,
    pub waived: usize,
}

impl RuleStats {
    /// Passes among the reports the rule could judge (skips left out); `None` when none could.
    pub fn pass_rate(&self) -> Option<f64> {
        let judged = self.pass + self.gap;
        (judged > 0).then(|| self.pass as f64 / judged as f64)
    }
}

/// One report's row of the matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub path: String,
    pub unit: Option<String>,
    pub year: Option<i32>,
    /// One status per rule, in pack order; empty when the report could not be read.
    pub statuses: Vec<Status>,
    pub error_gaps: usize,
    pub warning_gaps: usize,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub rules: Vec<RuleStats>,
    /// In input order.
    pub reports: Vec<ReportRow>,
}

impl Summary {
    /// Indices of the reports with error gaps, most first (ties in input order), then the
    /// unreadable ones.
    pub fn worst_first(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.reports.len())
            .filter(|&i| self.reports[i].error_gaps > 0 || self.reports[i].error.is_some())
            .collect();
        idx.sort_by_key(|&i| {
            (
                self.reports[i].error.is_some(),
                std::cmp::Reverse(self.reports[i].error_gaps),
            )
        });
        idx
    }
}

/// The matrix symbol of a status: ✓ pass, ✗ gap, – skip, W waived.
pub fn symbol(s: Status) -> &'static str {
    match s {
        Status::Pass => "✓",
        Status::Gap => "✗",
        Status::Skip => "–",
        Status::Waived => "W",
    }
}

pub fn summarize(batch: &Batch) -> Summary {
    let mut rules: Vec<RuleStats> = batch
        .pack
        .rules
        .iter()
        .map(|r| RuleStats {
            id: r.id.clone(),
            name: r.name.clone(),
            severity: r.severity,
            pass: 0,
            gap: 0,
            skip: 0,
            waived: 0,
        })
        .collect();
    let mut reports = Vec::new();
    for a in batch.audited {
        let mut statuses = Vec::new();
        for (stats, rule) in rules.iter_mut().zip(&batch.pack.rules) {
            let Some(f) = a.findings.iter().find(|f| f.rule == rule.id) else {
                continue;
            };
            match f.status {
                Status::Pass => stats.pass += 1,
                Status::Gap => stats.gap += 1,
                Status::Skip => stats.skip += 1,
                Status::Waived => stats.waived += 1,
            }
            statuses.push(f.status);
        }
        let warning_gaps = a
            .findings
            .iter()
            .filter(|f| f.status == Status::Gap && f.severity == Severity::Warning)
            .count();
        reports.push(ReportRow {
            path: a.path.clone(),
            unit: a.meta.as_ref().and_then(|m| m.unit.clone()),
            year: a.meta.as_ref().and_then(|m| m.year),
            statuses,
            error_gaps: a.error_gaps(),
            warning_gaps,
            error: a.error.clone(),
        });
    }
    Summary { rules, reports }
}
