//! Per-report measures a reviewer can sort a batch by: how long the report and its parts are,
//! how many figures its results carry, how many concrete problems its shortcomings name and how
//! much of them is stock phrases, how many items its plan lists.
//!
//! The parts are the ones the pack's section rules find (the same parts the checks look at):
//! results, shortcomings and plan are taken from the scopes of the pack's `figures`,
//! `substance` and `year-consistency` rules, or else from the rules with the bundled packs' ids
//! (`achievements`, `shortcomings`, `next-year-plan`). A part the report lacks measures 0.

use crate::eval;
use crate::report::Report;
use crate::rules::{Check, Pack, Scope};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Measures {
    /// Characters of the body (title and web chrome left out).
    pub chars: usize,
    /// Characters of the results part.
    pub results_chars: usize,
    /// Figures (counts, rates, amounts) in the results part.
    pub figures: usize,
    /// Placeholders where a figure belongs (XX件) anywhere in the report.
    pub figure_placeholders: usize,
    /// Characters of the shortcomings part, without its heading's title.
    pub shortcomings_chars: usize,
    /// Concrete problems the shortcomings part names.
    pub shortcomings_items: usize,
    /// Share of the shortcomings part's sentences that are stock phrases only, to 2 decimals.
    pub stock_phrase_ratio: f64,
    /// Characters of the plan part.
    pub plan_chars: usize,
    /// Items the plan lists (numbered sub-headings and inline 一是… items).
    pub plan_items: usize,
}

/// The part a measure reads: the scope of the first rule of `kind` that has one, else the part
/// of the section rule `id`.
fn part_scope(pack: &Pack, pick: fn(&Check) -> Option<Scope>, id: &str) -> Option<Scope> {
    pack.rules
        .iter()
        .find_map(|r| pick(&r.check))
        .or_else(|| pack.rule_index(id).map(Scope::PartBody))
}

/// Measure a report, reading its parts as the pack finds them.
pub fn measure(report: &Report, pack: &Pack) -> Measures {
    measure_parts(report, pack, &eval::find_parts(report, pack))
}

/// [`measure`] with the parts already found.
pub(crate) fn measure_parts(report: &Report, pack: &Pack, parts: &eval::Parts) -> Measures {
    let chars = |blocks: &[usize], scope: &Scope| -> usize {
        blocks
            .iter()
            .map(|&b| {
                let block = &report.blocks[b];
                let t = &block.folded.text;
                let from = eval::text_from(report, parts, scope, b).min(t.len());
                block.chars() - t[..from].chars().count()
            })
            .sum()
    };
    let blocks_of = |scope: &Option<Scope>| -> Vec<usize> {
        scope
            .as_ref()
            .and_then(|s| eval::scope_blocks(report, parts, s).ok())
            .unwrap_or_default()
    };
    let mut m = Measures {
        chars: report.body().map(|b| report.blocks[b].chars()).sum(),
        ..Measures::default()
    };
    for b in report.content() {
        m.figure_placeholders += eval::signals::placeholders_in(&report.blocks[b].folded.text);
    }

    let results = part_scope(
        pack,
        |c| match c {
            Check::Figures(f) => Some(f.scope.clone()),
            _ => None,
        },
        "achievements",
    );
    let blocks = blocks_of(&results);
    if let Some(scope) = &results {
        m.results_chars = chars(&blocks, scope);
        // The figures rule has counted them when the pack has one for this scope.
        let counted = parts
            .figures
            .borrow()
            .iter()
            .find(|(s, _)| s == scope)
            .map(|c| c.1);
        m.figures = counted.unwrap_or_else(|| {
            blocks
                .iter()
                .map(|&b| {
                    let t = &report.blocks[b].folded.text;
                    let from = eval::text_from(report, parts, scope, b).min(t.len());
                    eval::signals::figures_in(&t[from..]).0.len()
                })
                .sum()
        });
    }

    let shortcomings = part_scope(
        pack,
        |c| match c {
            Check::Substance(s) => Some(s.scope.clone()),
            _ => None,
        },
        "shortcomings",
    );
    let blocks = blocks_of(&shortcomings);
    if let Some(scope) = &shortcomings
        && !blocks.is_empty()
    {
        let stock = pack.rules.iter().find_map(|r| match &r.check {
            Check::Substance(s) => Some(s.stock.as_slice()),
            _ => None,
        });
        let count =
            eval::signals::count_substance(report, parts, scope, &blocks, stock.unwrap_or(&[]));
        m.shortcomings_chars = count.chars;
        m.shortcomings_items = count.concrete.len();
        m.stock_phrase_ratio = (count.stock_ratio() * 100.0).round() / 100.0;
    }

    let plan = part_scope(
        pack,
        |c| match c {
            Check::YearConsistency(y) => y.plan.map(Scope::Part),
            _ => None,
        },
        "next-year-plan",
    );
    let blocks = blocks_of(&plan);
    if let Some(scope) = &plan {
        m.plan_chars = chars(&blocks, scope);
        m.plan_items = blocks
            .iter()
            .enumerate()
            .map(|(k, &b)| {
                let block = &report.blocks[b];
                block.inline_items() + usize::from(k > 0 && block.heading().is_some())
            })
            .sum();
    }
    m
}

impl Measures {
    /// One number to sort a batch by, 0–100: the mean of four parts, each capped at 1 — figures
    /// in the results (10 or more count fully), concrete problems in the shortcomings (3 or
    /// more), shortcomings that are not stock phrases (1 − the stock-phrase ratio; 0 without a
    /// shortcomings part), and items in the plan (3 or more). A report with ten figures, three
    /// concrete problems and a three-item plan scores 100; one with none of these, 0.
    pub fn substance(&self) -> u8 {
        let capped = |n: usize, full: usize| (n as f64 / full as f64).min(1.0);
        let plain = if self.shortcomings_chars == 0 {
            0.0
        } else {
            1.0 - self.stock_phrase_ratio.clamp(0.0, 1.0)
        };
        let mean = (capped(self.figures, 10)
            + capped(self.shortcomings_items, 3)
            + plain
            + capped(self.plan_items, 3))
            / 4.0;
        (mean * 100.0).round() as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substance_is_the_mean_of_four_capped_parts() {
        let full = Measures {
            figures: 12,
            shortcomings_chars: 300,
            shortcomings_items: 4,
            stock_phrase_ratio: 0.0,
            plan_items: 3,
            ..Measures::default()
        };
        assert_eq!(full.substance(), 100);
        assert_eq!(Measures::default().substance(), 0);
        let half = Measures {
            figures: 5,
            shortcomings_chars: 100,
            shortcomings_items: 3,
            stock_phrase_ratio: 1.0,
            plan_items: 0,
            ..Measures::default()
        };
        // (0.5 + 1 + 0 + 0) / 4
        assert_eq!(half.substance(), 38);
    }

    const REPORT: &str = "云山县人民政府关于2023年度法治政府建设情况的报告\n\
        一、主要举措和成效\n全年审查规范性文件23件，办理行政复议案件41件，出庭应诉率100%。\n\
        二、存在的不足和原因\n一是法治意识有待进一步提高。二是基层执法人员仅30名，难以覆盖12个乡镇。究其原因，主要是编制不足。\n\
        三、2024年工作安排\n一是加强执法队伍建设；二是推进合法性审查全覆盖；三是开展普法宣传。";

    #[test]
    fn a_report_is_measured_by_its_parts() {
        let pack = Pack::load("2021").unwrap();
        let m = measure(&Report::parse(REPORT), &pack);
        assert_eq!(m.figures, 3, "{m:?}");
        assert_eq!(m.shortcomings_items, 1, "{m:?}");
        assert_eq!(m.stock_phrase_ratio, 0.5, "{m:?}");
        assert_eq!(m.plan_items, 3, "{m:?}");
        assert!(m.results_chars > 20 && m.chars > m.results_chars, "{m:?}");
        assert_eq!(m.figure_placeholders, 0);
    }

    #[test]
    fn a_report_without_parts_measures_zero_for_them() {
        let pack = Pack::load("2021").unwrap();
        let m = measure(&Report::parse("没有标题的一段话。"), &pack);
        assert_eq!((m.figures, m.shortcomings_items, m.plan_items), (0, 0, 0));
        assert!(m.chars > 0);
    }
}
