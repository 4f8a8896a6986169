//! Waivers: a reviewer's recorded acceptance of a gap (a department with no 行政复议 cases cannot
//! report on them). A waived gap shows as WAIVED with its justification, never silently; an
//! expired waiver no longer waives (the gap stands, and says so); a waiver that matches nothing
//! is reported as stale, so the file does not rot.

use crate::Audited;
use crate::diagnostic::Diagnostic;
use crate::report::Date;
use crate::rules::Status;
use globset::{Glob, GlobMatcher};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const FILE_NAME: &str = "auditor-waivers.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverFile {
    #[serde(default)]
    waiver: Vec<RawWaiver>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawWaiver {
    /// A glob on the report's path as audited, e.g. `reports/白鹭镇*`.
    report: Option<String>,
    /// The reporting unit as the auditor reads it from the report.
    unit: Option<String>,
    rule: String,
    justification: String,
    approved_by: String,
    /// `YYYY-MM-DD`; the waiver holds through that day.
    expires: toml::value::Datetime,
}

/// One waiver, ready to match.
#[derive(Debug, Clone, Serialize)]
pub struct Waiver {
    pub report: Option<String>,
    pub unit: Option<String>,
    pub rule: String,
    pub justification: String,
    pub approved_by: String,
    pub expires: String,
    #[serde(skip)]
    matcher: Option<GlobMatcher>,
    #[serde(skip)]
    expiry: Date,
}

/// A waiver that matched no gap in the batch.
#[derive(Debug, Clone, Serialize)]
pub struct Stale {
    pub rule: String,
    pub report: Option<String>,
    pub unit: Option<String>,
    pub reason: String,
}

/// Read a waivers file; errors name the file and line.
pub fn load(path: &Path) -> Result<Vec<Waiver>, Diagnostic> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::whole(&file, format!("cannot read the waivers file: {e}")))?;
    let raw: WaiverFile = toml::from_str(&text).map_err(|e| {
        Diagnostic::at(&file, &text, e.span().map_or(0, |s| s.start), e.message().trim().to_string())
            .with_help("each [[waiver]] takes report or unit, rule, justification, approved-by, expires = YYYY-MM-DD")
    })?;
    raw.waiver
        .into_iter()
        .map(|w| {
            let at = |what: &str| {
                let offset = text.find(&format!("\"{}\"", w.rule)).unwrap_or(0);
                Diagnostic::at(
                    &file,
                    &text,
                    offset,
                    format!("waiver for rule `{}`: {what}", w.rule),
                )
            };
            if w.report.is_none() && w.unit.is_none() {
                return Err(at("give `report` (a path glob) or `unit`, or both"));
            }
            let d = w
                .expires
                .date
                .ok_or_else(|| at("`expires` must be a date, e.g. 2025-06-30"))?;
            let expiry = Date::new(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .ok_or_else(|| at("`expires` is not a valid date"))?;
            let matcher = match &w.report {
                Some(g) => Some(
                    Glob::new(g)
                        .map_err(|e| at(&format!("bad report glob: {e}")))?
                        .compile_matcher(),
                ),
                None => None,
            };
            Ok(Waiver {
                report: w.report,
                unit: w.unit,
                rule: w.rule,
                justification: w.justification,
                approved_by: w.approved_by,
                expires: expiry.to_string(),
                matcher,
                expiry,
            })
        })
        .collect()
}

impl Waiver {
    fn matches(&self, a: &Audited, rule: &str) -> bool {
        let path_ok = self
            .matcher
            .as_ref()
            .is_none_or(|m| m.is_match(&a.path) || m.is_match(a.path.trim_start_matches("./")));
        let unit_ok = self
            .unit
            .as_ref()
            .is_none_or(|u| a.meta.as_ref().and_then(|m| m.unit.as_deref()) == Some(u.as_str()));
        self.rule == rule && path_ok && unit_ok
    }
}

/// Today's date (UTC), from the system clock.
pub fn today() -> Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

/// Apply waivers to a batch: matching gaps become WAIVED (or stay gaps, saying the waiver
/// expired). Returns the waivers that matched nothing.
pub fn apply(waivers: &[Waiver], audited: &mut [Audited], today: Date) -> Vec<Stale> {
    let mut applier = Applier::new(waivers, today);
    for a in audited.iter_mut() {
        applier.apply(a);
    }
    applier.stale()
}

/// Applies waivers to reports one at a time as a batch streams past, remembering which waivers
/// matched so that the stale ones can be listed at the end.
pub struct Applier<'a> {
    waivers: &'a [Waiver],
    used: Vec<bool>,
    today: Date,
}

impl<'a> Applier<'a> {
    pub fn new(waivers: &'a [Waiver], today: Date) -> Applier<'a> {
        Applier {
            waivers,
            used: vec![false; waivers.len()],
            today,
        }
    }

    /// Waive the report's gaps that a current waiver covers; note expired ones in the message.
    pub fn apply(&mut self, a: &mut Audited) {
        for k in 0..a.findings.len() {
            let (rule, status) = (a.findings[k].rule.clone(), a.findings[k].status);
            let Some(i) = self.waivers.iter().position(|w| w.matches(a, &rule)) else {
                continue;
            };
            self.used[i] = true;
            let w = &self.waivers[i];
            let f = &mut a.findings[k];
            if status != Status::Gap {
                continue;
            }
            if w.expiry >= self.today {
                f.status = Status::Waived;
                f.message = format!(
                    "waived until {}: {} (approved by {}); the gap: {}",
                    w.expires, w.justification, w.approved_by, f.message
                );
            } else {
                f.message = format!(
                    "waiver expired on {} ({}); {}",
                    w.expires, w.justification, f.message
                );
            }
        }
    }

    /// The waivers that matched no report and rule of the batch.
    pub fn stale(self) -> Vec<Stale> {
        self.waivers
            .iter()
            .zip(self.used)
            .filter(|(_, u)| !u)
            .map(|(w, _)| Stale {
                rule: w.rule.clone(),
                report: w.report.clone(),
                unit: w.unit.clone(),
                reason: "matches no report and rule in this batch".into(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Pack;

    fn audited(path: &str, text: &str) -> Audited {
        let pack = Pack::load("2021").unwrap();
        let (meta, findings) = crate::audit_text(text, &pack);
        Audited {
            path: path.into(),
            source: None,
            pack_choice: None,
            meta: Some(meta),
            findings,
            measures: None,
            copying: None,
            error: None,
        }
    }

    fn waivers(text: &str) -> Result<Vec<Waiver>, Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(FILE_NAME);
        std::fs::write(&p, text).unwrap();
        load(&p)
    }

    fn status(a: &Audited, rule: &str) -> (Status, String) {
        let f = a.findings.iter().find(|f| f.rule == rule).unwrap();
        (f.status, f.message.clone())
    }

    const REPORT: &str =
        "白鹭镇关于2022年度法治政府建设情况的报告\n一、主要举措和成效\n全年办结案件十件。";

    #[test]
    fn a_waiver_waives_a_gap_with_its_justification_until_it_expires() {
        let w = waivers("[[waiver]]\nreport = \"reports/*.txt\"\nrule = \"shortcomings\"\njustification = \"新设单位\"\napproved-by = \"县司法局\"\nexpires = 2030-06-30\n").unwrap();
        let mut batch = vec![audited("reports/a.txt", REPORT)];
        let stale = apply(
            &w,
            &mut batch,
            Date {
                year: 2030,
                month: 6,
                day: 30,
            },
        );
        assert!(stale.is_empty());
        let (s, m) = status(&batch[0], "shortcomings");
        assert_eq!(s, Status::Waived);
        assert!(m.contains("新设单位") && m.contains("县司法局"), "{m}");

        let mut batch = vec![audited("reports/a.txt", REPORT)];
        apply(
            &w,
            &mut batch,
            Date {
                year: 2030,
                month: 7,
                day: 1,
            },
        );
        let (s, m) = status(&batch[0], "shortcomings");
        assert_eq!(s, Status::Gap);
        assert!(m.starts_with("waiver expired on 2030-06-30"), "{m}");
    }

    #[test]
    fn waivers_match_by_unit_and_unused_ones_are_stale() {
        let text = "[[waiver]]\nunit = \"白鹭镇\"\nrule = \"shortcomings\"\njustification = \"j\"\napproved-by = \"a\"\nexpires = 2999-01-01\n\
                    [[waiver]]\nunit = \"别的镇\"\nrule = \"frp\"\njustification = \"j\"\napproved-by = \"a\"\nexpires = 2999-01-01\n";
        let w = waivers(text).unwrap();
        let mut batch = vec![audited("x.txt", REPORT)];
        let stale = apply(&w, &mut batch, today());
        assert_eq!(status(&batch[0], "shortcomings").0, Status::Waived);
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].rule, "frp");
    }

    #[test]
    fn bad_waiver_files_are_errors_with_their_line() {
        let e = waivers("[[waiver]]\nrule = \"frp\"\njustification = \"j\"\napproved-by = \"a\"\nexpires = 2999-01-01\n").unwrap_err();
        assert!(e.message.contains("give `report`"), "{}", e.message);
        let e = waivers("[[waiver]]\nunit = \"u\"\nrule = \"frp\"\njustification = \"j\"\napproved_by = \"a\"\nexpires = 2999-01-01\n").unwrap_err();
        assert_eq!(e.line, 5);
    }

    #[test]
    fn today_is_a_plausible_date() {
        let t = today();
        assert!(t.year >= 2024 && (1..=12).contains(&t.month) && (1..=31).contains(&t.day));
    }
}
