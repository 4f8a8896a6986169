//! The batch summary every renderer can show: a matrix of reports × rules, the pass rate of each
//! rule across the batch, and the reports with the most error gaps first.
//!
//! The summary is built one report at a time ([`Summary::add`]) while the reports stream past,
//! and keeps only a small row per report (about 400 bytes with its strings), never the findings.
//! A renderer that shows no rows (JSON, CSV, Excel, SARIF, JUnit) takes a summary
//! [`Summary::without_rows`], which keeps counts alone: its memory does not grow with the batch.

use super::Format;
use crate::Audited;
use crate::config::FailOn;
use crate::rules::{Pack, Severity, Status};

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
    /// SHA-256 of the input, when it could be read.
    pub sha256: Option<String>,
    /// One status per rule, in pack order (`None`: the rule gave no finding); empty when the
    /// report could not be read.
    pub statuses: Vec<Option<Status>>,
    pub error_gaps: usize,
    pub warning_gaps: usize,
    /// [`crate::measures::Measures::substance`], 0–100.
    pub substance: Option<u8>,
    /// Share of the report shared with other reports of the batch (copy detection only).
    pub copied: Option<f64>,
    /// Share of the report repeating the unit's report of the year before, when there is one.
    pub repeated: Option<f64>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub rules: Vec<RuleStats>,
    /// In input order; empty in a summary [`Summary::without_rows`].
    pub reports: Vec<ReportRow>,
    keep_rows: bool,
    counts: Counts,
}

/// What the batch's totals and exit code need, counted as the reports pass.
#[derive(Debug, Clone, Default, PartialEq)]
struct Counts {
    reports: usize,
    unreadable: usize,
    with_error_gaps: usize,
    /// Reports with a gap of either severity.
    with_gaps: usize,
    copying: bool,
}

impl Summary {
    /// An empty summary for a batch audited with `pack`.
    pub fn new(pack: &Pack) -> Summary {
        let rules = pack
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
        Summary {
            rules,
            reports: Vec::new(),
            keep_rows: true,
            counts: Counts::default(),
        }
    }

    /// The same summary without a row per report: the rules' counts and the batch's totals only,
    /// for renderers that show no rows.
    pub fn without_rows(mut self) -> Summary {
        self.keep_rows = false;
        self.reports = Vec::new();
        self
    }

    /// The summary a format shows: with rows or without ([`Format::shows_report_rows`]).
    pub fn for_format(pack: &Pack, format: Format) -> Summary {
        let summary = Summary::new(pack);
        if format.shows_report_rows() {
            summary
        } else {
            summary.without_rows()
        }
    }

    /// Count one more report, the next in input order.
    pub fn add(&mut self, a: &Audited) {
        let mut statuses = Vec::new();
        if a.error.is_none() {
            if self.keep_rows {
                statuses.reserve(self.rules.len());
            }
            for stats in &mut self.rules {
                let status = a
                    .findings
                    .iter()
                    .find(|f| f.rule == stats.id)
                    .map(|f| f.status);
                match status {
                    Some(Status::Pass) => stats.pass += 1,
                    Some(Status::Gap) => stats.gap += 1,
                    Some(Status::Skip) => stats.skip += 1,
                    Some(Status::Waived) => stats.waived += 1,
                    None => {}
                }
                if self.keep_rows {
                    statuses.push(status);
                }
            }
        }
        let warning_gaps = a
            .findings
            .iter()
            .filter(|f| f.status == Status::Gap && f.severity == Severity::Warning)
            .count();
        let error_gaps = a.error_gaps();
        let counts = &mut self.counts;
        counts.reports += 1;
        counts.unreadable += usize::from(a.error.is_some());
        counts.with_error_gaps += usize::from(error_gaps > 0);
        counts.with_gaps += usize::from(error_gaps + warning_gaps > 0);
        counts.copying |= a.copying.is_some();
        if !self.keep_rows {
            return;
        }
        self.reports.push(ReportRow {
            path: a.path.clone(),
            unit: a.meta.as_ref().and_then(|m| m.unit.clone()),
            year: a.meta.as_ref().and_then(|m| m.year),
            sha256: a.source.as_ref().map(|s| s.sha256.clone()),
            statuses,
            error_gaps,
            warning_gaps,
            substance: a.measures.as_ref().map(|m| m.substance()),
            copied: a.copying.as_ref().map(|c| c.share),
            repeated: a
                .copying
                .as_ref()
                .and_then(|c| c.previous_year.as_ref())
                .map(|y| y.share),
            error: a.error.clone(),
        });
    }

    /// The reports counted, readable or not.
    pub fn report_count(&self) -> usize {
        self.counts.reports
    }

    /// Whether copy detection ran (a report carries its result).
    pub fn has_copying(&self) -> bool {
        self.counts.copying
    }

    /// Reports that could not be read.
    pub fn unreadable(&self) -> usize {
        self.counts.unreadable
    }

    /// Reports with at least one gap of severity error.
    pub fn with_error_gaps(&self) -> usize {
        self.counts.with_error_gaps
    }

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

    /// The ids of a report's error gaps, in pack order.
    pub fn error_gap_rules(&self, row: &ReportRow) -> Vec<&str> {
        row.statuses
            .iter()
            .zip(&self.rules)
            .filter(|(s, r)| **s == Some(Status::Gap) && r.severity == Severity::Error)
            .map(|(_, r)| r.id.as_str())
            .collect()
    }

    /// Exit codes: 2 when an input could not be read; 1 when a gap fails under `fail_on`; else 0.
    pub fn exit_code(&self, fail_on: FailOn) -> i32 {
        let failing = match fail_on {
            FailOn::Error => self.counts.with_error_gaps,
            FailOn::Warning => self.counts.with_gaps,
            FailOn::Never => 0,
        };
        if self.unreadable() > 0 {
            2
        } else if failing > 0 {
            1
        } else {
            0
        }
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
