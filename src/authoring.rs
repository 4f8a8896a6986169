//! Tools for rule authors: run a pack's own examples, explain a rule, write a pack's reference,
//! compare two packs, list every pattern (for a ripgrep baseline).

use crate::eval::Finding;
use crate::rules::{Check, Pack, Rule, Scope, Status};
use std::fmt::Write;

/// The outcome of one `[[rule.example]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleRun {
    pub rule: String,
    /// 1-based number of the example within its rule.
    pub number: usize,
    pub expect: Status,
    pub got: Status,
    pub message: String,
}

impl ExampleRun {
    pub fn ok(&self) -> bool {
        self.expect == self.got
    }
}

/// Audit every rule's examples with the whole pack (a section rule's example is a small report
/// in which other parts may be needed) and compare each with its expected verdict.
pub fn run_examples(pack: &Pack) -> Vec<ExampleRun> {
    let mut runs = Vec::new();
    for rule in &pack.rules {
        for (n, ex) in rule.examples.iter().enumerate() {
            let (_, findings) = crate::audit_text(&ex.text, pack);
            let f: Option<&Finding> = findings.iter().find(|f| f.rule == rule.id);
            let (got, message) = f.map_or((Status::Skip, "rule gave no finding".into()), |f| {
                (f.status, f.message.clone())
            });
            runs.push(ExampleRun {
                rule: rule.id.clone(),
                number: n + 1,
                expect: ex.expect,
                got,
                message,
            });
        }
    }
    runs
}

fn scope_text(pack: &Pack, scope: &Scope) -> String {
    let name = |p: &usize| format!("`{}`", pack.rules[*p].id);
    match scope {
        Scope::Whole => "the whole report (title and body)".into(),
        Scope::Title => "the title".into(),
        Scope::Opening => "the opening, before the first heading".into(),
        Scope::Body => "the body".into(),
        Scope::Part(p) => format!("the part found by {}", name(p)),
        Scope::PartBody(p) => format!("the part found by {}, without its heading", name(p)),
        Scope::Except(ps) => format!(
            "the report outside the parts found by {}",
            ps.iter().map(name).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn patterns(res: &[regex::Regex]) -> String {
    res.iter()
        .map(|r| format!("`{}`", r.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a rule decides, in words, from its compiled check.
pub fn how_it_decides(pack: &Pack, rule: &Rule) -> Vec<String> {
    let mut out = Vec::new();
    match &rule.check {
        Check::Section(s) => {
            out.push(format!("Looks in {}.", scope_text(pack, &s.scope)));
            if !s.headings.is_empty() {
                let levels = s.levels.as_ref().map_or("at any level".to_string(), |l| {
                    format!("at outline level {l:?} (1 = top)")
                });
                out.push(format!("Finds the part by a heading {levels} matching {}; the highest level wins, then the earliest.", patterns(&s.headings)));
            }
            if !s.fallback.is_empty() {
                out.push(format!(
                    "Without such a heading, by the first paragraph matching {}.",
                    patterns(s.fallback.get())
                ));
            }
            if s.leading_parts {
                let until: Vec<String> = s
                    .until
                    .iter()
                    .map(|u| format!("`{}`", pack.rules[*u].id))
                    .collect();
                out.push(format!(
                    "Failing both, takes the top-level parts before {} as this part.",
                    until.join(" / ")
                ));
            }
            if !s.continued_by.is_empty() {
                out.push(format!(
                    "Goes on over the headings of its level right after it that match {} and name no other part.",
                    patterns(&s.continued_by)
                ));
            }
            if s.min_chars > 0 || s.min_items > 0 {
                out.push(format!(
                    "The part needs at least {} characters and {} items.",
                    s.min_chars, s.min_items
                ));
            }
            out.push("Evidence: the heading (or paragraph) that starts the part.".into());
        }
        Check::Content(c) => {
            out.push(format!("Looks in {}.", scope_text(pack, &c.scope)));
            let unit = match c.within {
                crate::rules::Within::Sentence => "one sentence",
                crate::rules::Within::Block => "one line",
                crate::rules::Within::Scope => "anywhere in the scope",
            };
            if !c.any.is_empty() {
                out.push(format!("Counts any of {}.", patterns(&c.any)));
            }
            for g in &c.together {
                out.push(format!("Counts {} together in {unit}.", patterns(g)));
            }
            if !c.in_headings {
                out.push(
                    "Headings' titles do not count: a heading announces, the text reports.".into(),
                );
            }
            if !c.ignore.is_empty() {
                out.push(format!(
                    "Nothing counts inside {}.",
                    patterns(c.ignore.get())
                ));
            }
            out.push(if c.forbid {
                "A gap when anything counts; every place is listed as evidence.".into()
            } else {
                "A pass when something counts; the matching sentences are the evidence.".into()
            });
            out.push(format!("When the scope is missing: {}.", c.if_missing));
        }
        Check::Year(y) => {
            out.push(format!(
                "Reads the first year named in {} (its heading first).",
                scope_text(pack, &y.scope)
            ));
            out.push(format!(
                "It must be the report year {:+}; {} also pass.",
                y.offset,
                patterns(&y.relative)
            ));
            out.push(format!(
                "When the part is missing: {}; when it names no year: skip.",
                y.if_missing
            ));
        }
        Check::Publication(p) => {
            out.push(format!(
                "With a publication date in the page metadata: pass when it is on or before {:02}-{:02} of the year after the report year, gap when later.",
                p.deadline.0, p.deadline.1
            ));
            out.push(format!(
                "Without a date: pass when {} states publication ({}); otherwise skip.",
                scope_text(pack, &p.scope),
                patterns(&p.statement)
            ));
        }
        Check::Order(parts) => {
            let ids: Vec<String> = parts
                .iter()
                .map(|p| format!("`{}`", pack.rules[*p].id))
                .collect();
            out.push(format!("The parts found by {} must start in this order; a skip when fewer than two are found.", ids.join(", ")));
        }
        Check::Numbering => out.push(
            "Every numbered heading must follow its sibling's number (1, 2, 3…), at every level."
                .into(),
        ),
        Check::Jurisdiction(j) => {
            out.push(format!("Looks in {}.", scope_text(pack, &j.scope)));
            out.push("Takes the unit's province (and prefecture) from its name or title; a skip when the name gives none.".into());
            out.push("A gap when a self-reference (我省, 本市, 全县 …) stands beside another province's or prefecture's name, or when a cited document of another province (or of another prefecture of the unit's province) is given as the unit's basis (根据《…》, 贯彻落实《…》).".into());
            if !j.about_others.is_empty() {
                out.push(format!(
                    "Clauses matching {} are about other places and not counted.",
                    patterns(&j.about_others)
                ));
            }
        }
        Check::Substance(s) => {
            out.push(format!("Looks in {}.", scope_text(pack, &s.scope)));
            out.push(format!(
                "Counts concrete problems (items or sentences that say more than stock phrases); a gap below {} or when more than {:.0}% of the sentences are stock phrases only.",
                s.min_items,
                s.max_stock_ratio * 100.0
            ));
            out.push(format!("When the part is missing: {}.", s.if_missing));
        }
        Check::Figures(f) => {
            out.push(format!("Looks in {}.", scope_text(pack, &f.scope)));
            out.push(format!("Counts figures (counts with a measure word, rates, amounts; not years, dates, document or item numbers, nor placeholders like XX件); a gap below {}.", f.min_figures));
            out.push(format!("When the part is missing: {}.", f.if_missing));
        }
        Check::YearConsistency(y) => {
            let name = |p: Option<usize>| {
                p.map_or("(none)".to_string(), |p| format!("`{}`", pack.rules[p].id))
            };
            out.push("A gap when the opening reports on another year than the title's.".into());
            out.push(format!("A gap when sentences of the results part {} lead with an earlier year as the year's work (2021年，我县… in a report on 2023), or when none leads with the report year but several lead with another.", name(y.results)));
            out.push(format!(
                "A gap when the plan part {} is for the report year or earlier.",
                name(y.plan)
            ));
            out.push(
                "A gap when a township-level unit (镇, 乡, 街道) claims to make 规章 or 地方性法规."
                    .into(),
            );
        }
    }
    out
}

/// `auditor rules explain ID`.
pub fn explain(pack: &Pack, id: &str) -> Option<String> {
    let rule = pack.rules.iter().find(|r| r.id == id)?;
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", rule.id, rule.name);
    let _ = writeln!(out, "severity: {}", rule.severity);
    let _ = writeln!(out, "basis: {}", rule.basis);
    let _ = writeln!(out, "\nWhat a compliant report contains:\n  {}", rule.help);
    let _ = writeln!(out, "\nHow it decides:");
    for line in how_it_decides(pack, rule) {
        let _ = writeln!(out, "  - {line}");
    }
    for (want, label) in [
        (Status::Pass, "A passing example"),
        (Status::Gap, "A failing example"),
    ] {
        if let Some(ex) = rule.examples.iter().find(|e| e.expect == want) {
            let _ = writeln!(
                out,
                "\n{label}{}:",
                if ex.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", ex.note)
                }
            );
            for line in ex.text.lines() {
                let _ = writeln!(out, "  | {line}");
            }
        }
    }
    Some(out)
}

/// `auditor rules doc`: the pack's reference in Markdown.
pub fn doc(pack: &Pack) -> String {
    let mut out = String::new();
    let m = &pack.meta;
    let _ = writeln!(out, "# {} ({} {})\n", m.name, m.id, m.version);
    if !m.description.is_empty() {
        let _ = writeln!(out, "{}\n", m.description);
    }
    if !m.basis.is_empty() {
        let _ = writeln!(out, "Legal basis:\n");
        for b in &m.basis {
            let _ = writeln!(out, "- {b}");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "| id | name | severity |\n|---|---|---|");
    for r in &pack.rules {
        let _ = writeln!(
            out,
            "| [`{}`](#{}) | {} | {} |",
            r.id, r.id, r.name, r.severity
        );
    }
    for r in &pack.rules {
        let _ = writeln!(
            out,
            "\n## {}\n\n**{}** · {}\n\n{}\n\n*Basis:* {}\n",
            r.id, r.name, r.severity, r.help, r.basis
        );
        for line in how_it_decides(pack, r) {
            let _ = writeln!(out, "- {}", line.replace('|', "\\|"));
        }
    }
    out
}

/// A rule's whole definition as text, for comparing packs.
fn fingerprint(pack: &Pack, r: &Rule) -> Vec<String> {
    let mut lines = vec![
        format!("name: {}", r.name),
        format!("severity: {}", r.severity),
        format!("help: {}", r.help),
        format!("basis: {}", r.basis),
    ];
    lines.extend(how_it_decides(pack, r));
    lines
}

/// `auditor rules diff A B`: rules added, removed and changed (with what changed).
pub fn diff(a: &Pack, b: &Pack) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "--- {} {} ({})\n+++ {} {} ({})",
        a.meta.id, a.meta.version, a.origin, b.meta.id, b.meta.version, b.origin
    );
    let mut changes = 0;
    for r in &a.rules {
        if !b.rules.iter().any(|x| x.id == r.id) {
            let _ = writeln!(out, "- removed {} ({})", r.id, r.name);
            changes += 1;
        }
    }
    for r in &b.rules {
        match a.rules.iter().find(|x| x.id == r.id) {
            None => {
                let _ = writeln!(out, "+ added {} ({}, {})", r.id, r.name, r.severity);
                changes += 1;
            }
            Some(old) => {
                let (fa, fb) = (fingerprint(a, old), fingerprint(b, r));
                if fa != fb {
                    changes += 1;
                    let _ = writeln!(out, "~ changed {}", r.id);
                    for l in fa.iter().filter(|l| !fb.contains(l)) {
                        let _ = writeln!(out, "    - {l}");
                    }
                    for l in fb.iter().filter(|l| !fa.contains(l)) {
                        let _ = writeln!(out, "    + {l}");
                    }
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "{changes} rule{} differ",
        if changes == 1 { "" } else { "s" }
    );
    out
}

/// Every pattern of the pack with the id of its rule, in rule order, fragments expanded.
pub fn rule_patterns_of(pack: &Pack) -> Vec<(&str, &regex::Regex)> {
    let mut out = Vec::new();
    for r in &pack.rules {
        let res: Vec<&regex::Regex> = match &r.check {
            Check::Section(s) => s.headings.iter().chain(s.fallback.get()).collect(),
            Check::Content(c) => c.any.iter().chain(c.together.iter().flatten()).collect(),
            Check::Year(y) => y.relative.iter().collect(),
            Check::Publication(p) => p.statement.iter().collect(),
            Check::Jurisdiction(j) => j.about_others.iter().collect(),
            Check::Substance(s) => s.stock.iter().collect(),
            Check::Order(_) | Check::Numbering | Check::Figures(_) | Check::YearConsistency(_) => {
                Vec::new()
            }
        };
        out.extend(res.into_iter().map(|re| (r.id.as_str(), re)));
    }
    out
}

/// Every pattern of the pack, fragments expanded, one per line (for `rg -f`).
pub fn all_patterns(pack: &Pack) -> Vec<String> {
    let mut out: Vec<String> = rule_patterns_of(pack)
        .into_iter()
        .map(|(_, re)| re.as_str().to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Notes for a pack's author on patterns slower than they need to be (see
/// [`crate::rules::Slowness`]): the rule, the pattern cut short, and what to do. A pattern
/// several rules share is noted once.
pub fn slow_patterns(pack: &Pack) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (rule, re) in rule_patterns_of(pack) {
        if !seen.insert(re.as_str()) {
            continue;
        }
        for s in crate::rules::slowness(re) {
            let p = re.as_str();
            let shown: String = p.chars().take(40).collect();
            let cut = if shown.len() < p.len() { "…" } else { "" };
            out.push(format!("rule `{rule}`: `{shown}{cut}` {}", s.advice()));
        }
    }
    out
}
