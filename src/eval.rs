//! Evaluation: every rule of a pack applied to a report model, each giving pass, gap or skip with
//! a message and evidence (line numbers and short quotes of the original text), for passes too.

use crate::load::Location;
use crate::report::{BlockKind, Heading, Report, years_in};
use crate::rules::{
    Check, ContentCheck, Pack, PublicationCheck, Scope, SectionCheck, Severity, Status, Within,
    YearCheck,
};
use regex::Regex;
use serde::Serialize;
use std::borrow::Cow;

/// Whether content and publication rules pass over blocks with their prefilter
/// ([`ContentCheck::prefilter`], [`PublicationCheck::prefilter`]). The verdicts are the same
/// either way; the prefilters save a fifth of a batch's time but cost a few milliseconds to
/// compile, more than they save on a handful of reports.
static PREFILTERS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Turn the prefilters on (the default) or off: off for runs of a few reports.
pub fn use_prefilters(on: bool) {
    PREFILTERS.store(on, std::sync::atomic::Ordering::Relaxed);
}

fn prefilters_on() -> bool {
    PREFILTERS.load(std::sync::atomic::Ordering::Relaxed)
}

pub(crate) mod signals;

/// Longest quote, in characters, given as evidence.
const QUOTE_CHARS: usize = 60;
const MAX_EVIDENCE: usize = 3;
const MAX_GAP_EVIDENCE: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// 1-based line of the (extracted) text.
    pub line: usize,
    /// A short quote of the original.
    pub text: String,
    /// The page (PDF) or paragraph (DOCX) the line came from.
    #[serde(flatten)]
    pub location: Location,
}

impl Evidence {
    pub fn new(line: usize, text: String) -> Evidence {
        Evidence {
            line,
            text,
            location: Location::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: String,
    pub name: String,
    pub status: Status,
    pub severity: Severity,
    pub message: String,
    pub evidence: Vec<Evidence>,
    /// What a compliant report contains; given with gaps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub basis: String,
}

/// A part of the report found by a section rule.
#[derive(Debug, Clone)]
pub struct Part {
    /// Block indices, ascending.
    pub blocks: Vec<usize>,
    pub how: FoundBy,
    /// Where the part begins in its first block: 0, or for a paragraph that introduces it after
    /// sentences of the part before (…办结231件。同时也要看到，…), the introducing sentence.
    pub from: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundBy {
    /// Under a heading (the block index of the heading).
    Heading(usize),
    /// A paragraph without heading that introduces the part.
    Paragraph(usize),
    /// The leading top-level parts of the report.
    LeadingParts,
}

impl Part {
    pub fn start(&self) -> usize {
        match self.how {
            FoundBy::Heading(b) | FoundBy::Paragraph(b) => b,
            FoundBy::LeadingParts => self.blocks.first().copied().unwrap_or(0),
        }
    }
}

/// Parts found so far, by rule index, and what the rules read in them that the measures need
/// again, so that it is read once.
pub(crate) struct Parts {
    pub(crate) found: Vec<Option<Part>>,
    /// Which section rules each heading's title names, tested once per report.
    names: HeadingNames,
    /// The readings of the shortcomings (see [`signals::count_substance`]).
    pub(crate) substance: std::cell::RefCell<Vec<signals::SubstanceMemo>>,
    /// The figures the figures rule counted in a scope.
    pub(crate) figures: std::cell::RefCell<Vec<(Scope, usize)>>,
}

/// The parts a pack's section rules find in a report, as `(rule id, part)` in the pack's order;
/// parts not found are left out. The same search [`audit`] uses, for callers that compare
/// reports part by part (year-over-year copying in [`crate::copying`]).
pub fn find_sections<'p>(report: &Report, pack: &'p Pack) -> Vec<(&'p str, Part)> {
    find_parts(report, pack)
        .found
        .into_iter()
        .enumerate()
        .filter_map(|(i, part)| part.map(|p| (pack.rules[i].id.as_str(), p)))
        .collect()
}

/// Audit one report against a pack: one finding per rule, in the pack's order.
pub fn audit(report: &Report, pack: &Pack) -> Vec<Finding> {
    audit_parts(report, pack, &find_parts(report, pack))
}

/// [`audit`] for several reports, with each report's [`crate::measures::Measures`] from the
/// same parts (finding them is a good part of the cost of either). Each stage runs on every
/// report before the next, and the rules one at a time: each rule on every report before the
/// next rule. A rule's regexes and code then serve one report after another while they are in
/// the processor's caches, where report by report some ninety regexes took turns. The findings
/// are the same either way.
pub fn audit_and_measure(
    reports: &[&Report],
    pack: &Pack,
) -> Vec<(Vec<Finding>, crate::measures::Measures)> {
    let parts = find_parts_each(reports, pack);
    let mut findings: Vec<Vec<Finding>> = reports
        .iter()
        .map(|_| Vec::with_capacity(pack.rules.len()))
        .collect();
    for (i, rule) in pack.rules.iter().enumerate() {
        for ((report, parts), found) in reports.iter().zip(&parts).zip(&mut findings) {
            found.push(rule_finding(report, pack, parts, i, rule));
        }
    }
    findings
        .into_iter()
        .zip(reports.iter().zip(&parts))
        .map(|(found, (report, parts))| {
            (found, crate::measures::measure_parts(report, pack, parts))
        })
        .collect()
}

fn audit_parts(report: &Report, pack: &Pack, parts: &Parts) -> Vec<Finding> {
    pack.rules
        .iter()
        .enumerate()
        .map(|(i, rule)| rule_finding(report, pack, parts, i, rule))
        .collect()
}

/// Rule `i` of the pack (`rule`): its finding on one report.
fn rule_finding(
    report: &Report,
    pack: &Pack,
    parts: &Parts,
    i: usize,
    rule: &crate::rules::Rule,
) -> Finding {
    let (status, message, evidence) = match &rule.check {
        Check::Section(s) => section_verdict(report, pack, parts, s, i),
        Check::Content(c) => content_verdict(report, pack, parts, c),
        Check::Year(y) => year_verdict(report, pack, parts, y),
        Check::Publication(p) => publication_verdict(report, parts, p),
        Check::Order(ps) => order_verdict(report, pack, parts, ps),
        Check::Numbering => numbering_verdict(report),
        Check::Jurisdiction(j) => signals::jurisdiction_verdict(report, parts, j),
        Check::Substance(s) => signals::substance_verdict(report, pack, parts, s),
        Check::Figures(f) => signals::figures_verdict(report, pack, parts, f),
        Check::YearConsistency(y) => signals::year_consistency_verdict(report, parts, y),
    };
    Finding {
        rule: rule.id.clone(),
        name: rule.name.clone(),
        status,
        severity: rule.severity,
        message,
        evidence,
        help: (status == Status::Gap).then(|| rule.help.clone()),
        basis: rule.basis.clone(),
    }
}

type Verdict = (Status, String, Vec<Evidence>);

fn evidence(report: &Report, block: usize, m: std::ops::Range<usize>) -> Evidence {
    let b = &report.blocks[block];
    Evidence::new(b.line, b.quote(m, QUOTE_CHARS))
}

fn heading_evidence(report: &Report, block: usize) -> Evidence {
    let b = &report.blocks[block];
    let text: String = b.text.chars().take(QUOTE_CHARS).collect();
    let text = if b.text.chars().count() > QUOTE_CHARS {
        text + "…"
    } else {
        text
    };
    Evidence::new(b.line, text)
}

/// The lines a set of blocks spans, for saying where a check looked: "lines 5–23".
fn lines_label(report: &Report, blocks: &[usize]) -> String {
    match (blocks.first(), blocks.last()) {
        (Some(&a), Some(&b)) if a != b => {
            format!("lines {}–{}", report.blocks[a].line, report.blocks[b].line)
        }
        (Some(&a), _) => format!("line {}", report.blocks[a].line),
        _ => "no lines".into(),
    }
}

/// Where matching starts in block `b` of a scope: after the heading's own title for the heading
/// of a `part-body:` scope; at the introducing sentence for the first block of a part that a
/// paragraph introduces after other sentences; else at 0.
pub(crate) fn text_from(report: &Report, parts: &Parts, scope: &Scope, b: usize) -> usize {
    let (Scope::PartBody(p) | Scope::Part(p)) = scope else {
        return 0;
    };
    let Some(part) = parts.found[*p].as_ref() else {
        return 0;
    };
    match part.how {
        FoundBy::Heading(h) if h == b && matches!(scope, Scope::PartBody(_)) => {
            report.blocks[b].heading().map_or(0, |h| h.body_start)
        }
        FoundBy::Paragraph(start) if start == b => part.from,
        _ => 0,
    }
}

fn part_name(pack: &Pack, i: usize) -> String {
    format!("{}（{}）", pack.rules[i].name, pack.rules[i].id)
}

/// The blocks a scope covers, or the part it needs when that part was not found.
pub(crate) fn scope_blocks(
    report: &Report,
    parts: &Parts,
    scope: &Scope,
) -> Result<Vec<usize>, usize> {
    Ok(match scope {
        Scope::Whole => report.content().collect(),
        Scope::Body => report.body().collect(),
        Scope::Title => report
            .content()
            .filter(|&i| report.blocks[i].kind == BlockKind::Title)
            .collect(),
        Scope::Opening => report.opening(),
        Scope::Part(p) | Scope::PartBody(p) => parts.found[*p].as_ref().ok_or(*p)?.blocks.clone(),
        Scope::Except(ps) => {
            let skip: Vec<&Part> = ps.iter().filter_map(|p| parts.found[*p].as_ref()).collect();
            // A paragraph that a part shares with the one before it (it opens mid-paragraph)
            // is not left out.
            let left_out = |p: &Part, b: &usize| {
                p.blocks.binary_search(b).is_ok() && !(p.from > 0 && *b == p.start())
            };
            report
                .content()
                .filter(|b| !skip.iter().any(|p| left_out(p, b)))
                .collect()
        }
    })
}

pub(crate) fn find_parts(report: &Report, pack: &Pack) -> Parts {
    find_parts_each(&[report], pack)
        .pop()
        .expect("one report, one set of parts")
}

/// [`find_parts`] for several reports, section by section: each section on every report before
/// the next, for the same reason the rules are evaluated rule by rule ([`audit_and_measure`]).
fn find_parts_each(reports: &[&Report], pack: &Pack) -> Vec<Parts> {
    let mut all: Vec<Parts> = reports
        .iter()
        .map(|report| Parts {
            found: vec![None; pack.rules.len()],
            names: HeadingNames::new(report, pack),
            substance: Default::default(),
            figures: Default::default(),
        })
        .collect();
    for &i in &pack.section_order {
        let Check::Section(s) = &pack.rules[i].check else {
            continue;
        };
        for (report, parts) in reports.iter().zip(&mut all) {
            parts.found[i] = find_part(report, pack, parts, i, s);
        }
    }
    all
}

/// Where section rule `i` (`s`) finds its part in a report, given the parts found before it.
/// An unheaded part found by its paragraph ends the parts it was written into.
fn find_part(
    report: &Report,
    pack: &Pack,
    parts: &mut Parts,
    i: usize,
    s: &SectionCheck,
) -> Option<Part> {
    // A scope that needs a missing part is searched as the whole body.
    let mut allowed =
        scope_blocks(report, parts, &s.scope).unwrap_or_else(|_| report.body().collect());
    // A combined heading (三、存在的问题及下一步打算) serves both parts: a part left out by
    // the scope stays searchable when its heading also names this part.
    if let Scope::Except(excluded) = &s.scope {
        for &p in excluded {
            let Some(part) = parts.found[p].as_ref() else {
                continue;
            };
            if let FoundBy::Heading(h) = part.how
                && heading_matches(report, pack, parts, i, h)
                && named_apart(report, pack, i, p, h)
            {
                allowed.extend(&part.blocks);
            }
        }
        allowed.sort_unstable();
        allowed.dedup();
    }
    let found = by_heading(report, pack, parts, i, s, &allowed)
        .or_else(|| by_paragraph(report, pack, i, s, &allowed, parts))
        .or_else(|| {
            s.leading_parts
                .then(|| leading_parts(report, s, &allowed, parts))
                .flatten()
        });
    if let Some(part) = &found
        && let FoundBy::Paragraph(start) = part.how
    {
        // The paragraph's first block stays with the part before when it opens with that
        // part's sentences.
        let shared = (part.from > 0).then_some(start);
        for other in parts.found.iter_mut().flatten() {
            if other.start() < start {
                other.blocks.retain(|&b| {
                    b < start || Some(b) == shared || part.blocks.binary_search(&b).is_err()
                });
            }
        }
    }
    found
}

/// Which section rules the title of each titled heading names (matches one of the rule's
/// `headings` patterns), remembered per report: a part's search asks it of a heading for its
/// own rule and of the best heading for every other rule (a combined heading), and the section
/// verdicts ask again.
struct HeadingNames {
    /// The titled headings' block indices, ascending.
    blocks: Vec<usize>,
    /// One row of `words` bit words per heading in `blocks`, one bit per rule of the pack:
    /// whether the answer is known, and the answer.
    words: usize,
    known: Vec<std::cell::Cell<u64>>,
    named: Vec<std::cell::Cell<u64>>,
}

impl HeadingNames {
    fn new(report: &Report, pack: &Pack) -> HeadingNames {
        let blocks: Vec<usize> = (0..report.blocks.len())
            .filter(|&b| report.blocks[b].heading().is_some_and(Heading::is_titled))
            .collect();
        let words = pack.rules.len().div_ceil(64);
        let cells = || {
            (0..blocks.len() * words)
                .map(|_| Default::default())
                .collect()
        };
        HeadingNames {
            known: cells(),
            named: cells(),
            blocks,
            words,
        }
    }
}

/// Whether block `block` is a titled heading that names section rule `rule`.
fn heading_matches(report: &Report, pack: &Pack, parts: &Parts, rule: usize, block: usize) -> bool {
    let names = &parts.names;
    let Check::Section(s) = &pack.rules[rule].check else {
        return false;
    };
    let Ok(row) = names.blocks.binary_search(&block) else {
        return false;
    };
    let (word, bit) = (row * names.words + rule / 64, 1u64 << (rule % 64));
    let (known, named) = (&names.known[word], &names.named[word]);
    if known.get() & bit == 0 {
        let title = report.blocks[block].heading().map_or("", |h| &h.title);
        if s.headings.iter().any(|re| re.is_match(title)) {
            named.set(named.get() | bit);
        }
        known.set(known.get() | bit);
    }
    named.get() & bit != 0
}

/// Whether the title of heading `block` names section rules `a` and `b` in words of their own
/// (存在的问题 | 下一步打算), as a combined heading does: `2025年重点工作` names the plan, and
/// names the measures only by the same words.
fn named_apart(report: &Report, pack: &Pack, a: usize, b: usize, block: usize) -> bool {
    let title = report.blocks[block].heading().map_or("", |h| &h.title);
    let spans = |rule: usize| -> Vec<std::ops::Range<usize>> {
        match &pack.rules[rule].check {
            Check::Section(s) => (s.headings.iter())
                .flat_map(|re| re.find_iter(title).map(|m| m.range()))
                .collect(),
            _ => Vec::new(),
        }
    };
    let theirs = spans(b);
    spans(a)
        .iter()
        .any(|x| theirs.iter().any(|y| x.end <= y.start || y.end <= x.start))
}

fn by_heading(
    report: &Report,
    pack: &Pack,
    parts: &Parts,
    me: usize,
    s: &SectionCheck,
    allowed: &[usize],
) -> Option<Part> {
    let in_scope = |i: &usize| allowed.binary_search(i).is_ok();
    // The highest-ranked matching heading, the earliest of its rank: the candidates are tested
    // in that order, so that the first match ends the search (a part is nearly always named at
    // the top level, and the sub-headings below are then never tested).
    let mut candidates: Vec<(u8, usize)> = report
        .headings()
        .filter(|(i, h)| {
            in_scope(i)
                && s.levels
                    .as_ref()
                    .is_none_or(|l| l.contains(&report.level_of(h.rank)))
        })
        .map(|(i, h)| (h.rank, i))
        .collect();
    candidates.sort_unstable();
    let (_, mut best) = candidates
        .into_iter()
        .find(|&(_, i)| heading_matches(report, pack, parts, me, i))?;
    // Under a heading that names another part too (三、存在的问题和下一步打算), this part is
    // the sub-heading that names it alone (（二）下一步打算) when there is one.
    let combined = |h: usize| {
        (0..pack.rules.len()).any(|k| k != me && heading_matches(report, pack, parts, k, h))
    };
    while combined(best) {
        let Some(child) = report
            .section(best)
            .skip(1)
            .find(|&c| in_scope(&c) && heading_matches(report, pack, parts, me, c))
        else {
            break;
        };
        best = child;
    }
    // Sections of the same level right after it that only go on with it.
    let mut end = report.section(best).end;
    let rank = report.blocks[best].heading().map(|h| h.rank);
    while let Some(h) = report.blocks.get(end).and_then(|b| b.heading()) {
        let goes_on = Some(h.rank) == rank
            && in_scope(&end)
            && s.continued_by.iter().any(|re| re.is_match(&h.title))
            && !combined(end);
        if !goes_on {
            break;
        }
        end = report.section(end).end;
    }
    let blocks = (best..end).filter(in_scope).collect();
    Some(Part {
        blocks,
        how: FoundBy::Heading(best),
        from: 0,
    })
}

fn by_paragraph(
    report: &Report,
    pack: &Pack,
    me: usize,
    s: &SectionCheck,
    allowed: &[usize],
    parts: &Parts,
) -> Option<Part> {
    let start = *allowed.iter().find(|&&b| {
        s.fallback
            .get()
            .iter()
            .any(|re| re.is_match(&report.blocks[b].folded.text))
    })?;
    // The paragraph runs on over the blocks after it, up to a heading of its enclosing level, the
    // start of another part, or a paragraph that introduces another part.
    let enclosing = report
        .headings()
        .take_while(|(i, _)| *i < start)
        .map(|(_, h)| h.rank)
        .last()
        .unwrap_or(1);
    let starts: Vec<usize> = parts.found.iter().flatten().map(Part::start).collect();
    let others: Vec<&Regex> = pack
        .rules
        .iter()
        .enumerate()
        .filter(|(k, _)| *k != me)
        .filter_map(|(_, r)| match &r.check {
            Check::Section(o) => Some(o.fallback.get().iter()),
            _ => None,
        })
        .flatten()
        .collect();
    let mut blocks = vec![start];
    for b in start + 1..report.body_end() {
        let block = &report.blocks[b];
        if block.kind == BlockKind::Chrome {
            continue;
        }
        if block.heading().is_some_and(|h| h.rank <= enclosing)
            || starts.contains(&b)
            || others.iter().any(|re| re.is_match(&block.folded.text))
        {
            break;
        }
        if allowed.binary_search(&b).is_ok() {
            blocks.push(b);
        }
    }
    // The introducing sentence, when others come before it in the paragraph.
    let text = &report.blocks[start].folded.text;
    let at = (s.fallback.get().iter())
        .filter_map(|re| re.find(text).map(|m| m.start()))
        .min()
        .unwrap_or(0);
    let from = (report.blocks[start].sentences().iter())
        .skip(1)
        .rfind(|u| u.start <= at)
        .map_or(0, |u| u.start);
    Some(Part {
        blocks,
        how: FoundBy::Paragraph(start),
        from,
    })
}

/// The top-level parts before the first of the `until` parts, without the parts the scope leaves out.
fn leading_parts(
    report: &Report,
    s: &SectionCheck,
    allowed: &[usize],
    parts: &Parts,
) -> Option<Part> {
    // A part introduced mid-paragraph shares that paragraph with the parts before it.
    let stop = s
        .until
        .iter()
        .filter_map(|&p| parts.found[p].as_ref())
        .map(|p| p.start() + usize::from(p.from > 0))
        .min()
        .unwrap_or(report.body_end());
    let from = report.first_heading().unwrap_or(0);
    // Without headings the parts start at the body: the title reports nothing.
    let blocks: Vec<usize> = allowed
        .iter()
        .copied()
        .filter(|&b| b >= from && b < stop && report.blocks[b].kind != BlockKind::Title)
        .collect();
    (!blocks.is_empty()).then_some(Part {
        blocks,
        how: FoundBy::LeadingParts,
        from: 0,
    })
}

fn section_verdict(
    report: &Report,
    pack: &Pack,
    parts: &Parts,
    s: &SectionCheck,
    me: usize,
) -> Verdict {
    let Some(part) = parts.found[me].as_ref() else {
        let how = if s.fallback.is_empty() {
            "no heading names it"
        } else {
            "no heading names it and no paragraph introduces it"
        };
        // A heading that names it inside a part the scope leaves out (a plan) does not count; say so.
        if let Scope::Except(excluded) = &s.scope {
            for &p in excluded {
                let Some(other) = &parts.found[p] else {
                    continue;
                };
                if let Some(&h) = other
                    .blocks
                    .iter()
                    .find(|&&b| heading_matches(report, pack, parts, me, b))
                {
                    let message = format!(
                        "not found: {how}; a heading names it only inside {}, which does not count",
                        part_name(pack, p)
                    );
                    return (Status::Gap, message, vec![heading_evidence(report, h)]);
                }
            }
        }
        // Say where it looked, so a reviewer can tell a missing part from one the search missed.
        let searched =
            scope_blocks(report, parts, &s.scope).unwrap_or_else(|_| report.body().collect());
        let headings = searched
            .iter()
            .filter(|&&b| report.blocks[b].heading().is_some())
            .count();
        let message = format!(
            "not found: {how} (searched {headings} heading{} and {} paragraph{} of {}, {})",
            plural(headings),
            searched.len() - headings,
            plural(searched.len() - headings),
            scope_label(pack, &s.scope),
            lines_label(report, &searched)
        );
        return (Status::Gap, message, Vec::new());
    };
    let chars: usize = part.blocks.iter().map(|&b| report.blocks[b].chars()).sum();
    let items: usize = part
        .blocks
        .iter()
        .map(|&b| {
            let block = &report.blocks[b];
            block.inline_items() + usize::from(block.heading().is_some() && part.start() != b)
        })
        .sum();
    let (mut message, ev) = match part.how {
        FoundBy::Heading(h) => (
            format!("found under the heading at line {}", report.blocks[h].line),
            vec![heading_evidence(report, h)],
        ),
        FoundBy::Paragraph(p) => {
            let b = &report.blocks[p];
            let m = s
                .fallback
                .get()
                .iter()
                .find_map(|re| re.find(&b.folded.text))
                .map_or(0..0, |m| m.range());
            (
                format!(
                    "found without a heading: the paragraph at line {} introduces it",
                    b.line
                ),
                vec![evidence(report, p, m)],
            )
        }
        FoundBy::LeadingParts => {
            let heads: Vec<Evidence> = part
                .blocks
                .iter()
                .filter(|&&b| {
                    report.blocks[b]
                        .heading()
                        .is_some_and(|h| report.level_of(h.rank) == 1)
                })
                .map(|&b| heading_evidence(report, b))
                .collect();
            let until: Vec<String> = s
                .until
                .iter()
                .map(|&u| pack.rules[u].name.clone())
                .collect();
            let ev = if heads.is_empty() {
                vec![heading_evidence(report, part.blocks[0])]
            } else {
                heads.into_iter().take(MAX_EVIDENCE).collect()
            };
            (
                format!(
                    "no heading names it; taking the parts before「{}」 as this part",
                    until.join("」「")
                ),
                ev,
            )
        }
    };
    if chars < s.min_chars {
        message = format!(
            "{message}, but it has only {chars} characters (at least {} expected)",
            s.min_chars
        );
        return (Status::Gap, message, ev);
    }
    if items < s.min_items {
        message = format!(
            "{message}, but it lists only {items} items (at least {} expected)",
            s.min_items
        );
        return (Status::Gap, message, ev);
    }
    (Status::Pass, message, ev)
}

/// Whether a unit of text satisfies a content check: the match to quote, and 0 when an `any`
/// pattern matched or 1 for a `together` group (a single telling phrase is the better evidence).
/// Patterns the block's gates ruled out (see [`live_patterns`]) are not tried.
fn unit_match(c: &ContentCheck, text: &str, live: &[bool]) -> Option<(u8, std::ops::Range<usize>)> {
    let find = |i: usize, re: &Regex| is_live(live, i).then(|| re.find(text)).flatten();
    if let Some(m) = c.any.iter().enumerate().find_map(|(i, re)| find(i, re)) {
        return Some((0, m.range()));
    }
    let mut first = c.any.len();
    c.together.iter().find_map(|group| {
        let at = first;
        first += group.len();
        // The group's first match is quoted; the others need only be there, which spares
        // their search for where a match starts (a second, backward scan).
        let (lead, rest) = group.split_first()?;
        let m = find(at, lead)?;
        rest.iter()
            .enumerate()
            .all(|(k, re)| is_live(live, at + 1 + k) && re.is_match(text))
            .then(|| (1, m.range()))
    })
}

/// Which patterns of a content check (numbered as [`ContentCheck::gates`]) may match in a text:
/// all of them unless the prefilters are on, else those whose gate matches or that have none.
fn live_patterns(c: &ContentCheck, text: &str) -> Vec<bool> {
    if !prefilters_on() {
        return Vec::new();
    }
    c.gates()
        .iter()
        .map(|g| g.as_ref().is_none_or(|g| g.is_match(text)))
        .collect()
}

/// Which patterns of a content check may match in a block's text (as [`live_patterns`]), or
/// `None` when no unit of the block can satisfy the check: no `any` pattern and no whole
/// `together` group can match there. With the prefilters off, every block is searched.
fn block_live(c: &ContentCheck, text: &str) -> Option<Vec<bool>> {
    if !prefilters_on() {
        return Some(Vec::new());
    }
    if c.together.is_empty() {
        if c.prefilter().is_some_and(|p| !p.is_match(text)) {
            return None;
        }
        return Some(live_patterns(c, text));
    }
    let filter = c.group_filter();
    let any_hit = filter
        .any
        .as_ref()
        .is_some_and(|p| p.as_ref().is_none_or(|p| p.is_match(text)));
    let mut live = vec![false; c.gates().len()];
    if any_hit {
        for (i, gate) in c.gates()[..c.any.len()].iter().enumerate() {
            live[i] = gate.as_ref().is_none_or(|g| g.is_match(text));
        }
    }
    let mut group_hit = false;
    let mut first = c.any.len();
    for tests in &filter.tests {
        // In order, and no further once one fails: the group cannot match then.
        let passed = tests.iter().take_while(|t| t.is_match(text)).count();
        if passed == tests.len() {
            group_hit = true;
            live[first..first + passed].fill(true);
        }
        first += tests.len();
    }
    (any_hit || group_hit).then_some(live)
}

fn is_live(live: &[bool], i: usize) -> bool {
    live.get(i).copied().unwrap_or(true)
}

/// The units a content check (not `within = "scope"`) is matched in, in block `b` from byte
/// `start`: the block's sentences, or its text. A unit that starts in the heading's title is
/// matched from where the body begins.
fn units<'r>(
    report: &'r Report,
    c: &ContentCheck,
    b: usize,
    start: usize,
) -> impl Iterator<Item = std::ops::Range<usize>> + 'r {
    let block = &report.blocks[b];
    let sentence = c.within == Within::Sentence;
    let sentences: &[std::ops::Range<usize>] = if sentence { block.sentences() } else { &[] };
    let whole = (!sentence).then_some(start..block.folded.text.len());
    sentences
        .iter()
        .cloned()
        .chain(whole)
        .filter(move |u| u.end > start)
        .map(move |u| u.start.max(start)..u.end)
}

/// A block's text with the spans of the check's `ignore` patterns blanked out byte for byte,
/// so that offsets stay the text's and nothing matches inside them.
fn blank_ignored<'t>(c: &ContentCheck, text: &'t str) -> Cow<'t, str> {
    let mut bytes: Option<Vec<u8>> = None;
    for re in c.ignore.get() {
        for m in re.find_iter(text) {
            bytes.get_or_insert_with(|| text.as_bytes().to_vec())[m.range()].fill(b' ');
        }
    }
    match bytes {
        None => Cow::Borrowed(text),
        // Whole characters became ASCII spaces: the bytes are still UTF-8.
        Some(b) => Cow::Owned(String::from_utf8(b).unwrap_or_else(|_| text.to_string())),
    }
}

/// Where each unit of a content check matches within `blocks`, best evidence first. `from(b)` is
/// where matching starts in block `b` (after a heading's title for a part's body).
fn content_matches(
    report: &Report,
    c: &ContentCheck,
    blocks: &[usize],
    from: &dyn Fn(usize) -> usize,
) -> Vec<Evidence> {
    let mut ranked = Vec::new();
    match c.within {
        Within::Sentence | Within::Block => {
            for &b in blocks {
                let text = &report.blocks[b].folded.text;
                let start = from(b).min(text.len());
                let Some(live) = block_live(c, &text[start..]) else {
                    continue;
                };
                // The ignored spans are blanked only in a block where something matched.
                let mut blanked: Option<Cow<str>> = None;
                for u in units(report, c, b, start) {
                    let mut hit = unit_match(c, &text[u.clone()], &live);
                    if hit.is_some() && !c.ignore.is_empty() {
                        let blanked = blanked.get_or_insert_with(|| blank_ignored(c, text));
                        hit = unit_match(c, &blanked[u.clone()], &live);
                    }
                    if let Some((rank, m)) = hit {
                        let at = u.start + m.start..u.start + m.end;
                        ranked.push((rank, evidence(report, b, at)));
                    }
                }
            }
        }
        Within::Scope => {
            // Pattern `k`'s first match in the scope. A block its gate does not match holds
            // none: a pattern without a literal start is not run over it.
            let gates = if prefilters_on() { c.gates() } else { &[] };
            let hit = |k: usize, re: &Regex| {
                let gate = gates.get(k).and_then(Option::as_ref);
                blocks.iter().find_map(|&b| {
                    let text = &report.blocks[b].folded.text;
                    let from = from(b);
                    if gate.is_some_and(|g| !g.is_match(&text[from.min(text.len())..])) {
                        return None;
                    }
                    let m = re.find_at(text, from)?;
                    if c.ignore.is_empty() {
                        return Some((b, m.range()));
                    }
                    re.find_at(&blank_ignored(c, text), from)
                        .map(|m| (b, m.range()))
                })
            };
            let any = (c.any.iter().enumerate())
                .find_map(|(k, re)| hit(k, re))
                .map(|h| vec![h]);
            let group = || {
                let mut first = c.any.len();
                c.together.iter().find_map(|g| {
                    let at = first;
                    first += g.len();
                    let hits = g.iter().enumerate().map(|(j, re)| hit(at + j, re));
                    hits.collect::<Option<Vec<_>>>()
                })
            };
            if let Some(hits) = any.or_else(group) {
                ranked = hits
                    .into_iter()
                    .map(|(b, m)| (0, evidence(report, b, m)))
                    .collect();
            }
        }
    }
    ranked.sort_by_key(|(rank, _)| *rank);
    let mut found: Vec<Evidence> = ranked.into_iter().map(|(_, e)| e).collect();
    found.dedup();
    found
}

/// A pattern as shown in a message: its source, cut short.
/// Groups and anchors are left out (fragments expand to `(?:…)`), leaving the alternatives.
fn pattern_label(re: &Regex) -> String {
    let p = re
        .as_str()
        .replace("(?:", "")
        .replace(['(', ')', '^', '$'], "");
    if p.chars().count() <= 24 {
        format!("`{p}`")
    } else {
        format!("`{}…`", p.chars().take(24).collect::<String>())
    }
}

/// The unit (sentence or line) that comes closest to a `together` group without meeting it:
/// the most of the group's patterns matched, at least one and not all.
fn closest_partial(
    report: &Report,
    c: &ContentCheck,
    blocks: &[usize],
    from: &dyn Fn(usize) -> usize,
) -> Option<(Evidence, String)> {
    if c.within == Within::Scope || c.together.is_empty() {
        return None;
    }
    let mut best: Option<(usize, usize, std::ops::Range<usize>, String)> = None;
    // A group can be missing one pattern at best: once a sentence comes that close, no later
    // one replaces it.
    let closest = c.together.iter().map(|g| g.len() - 1).max().unwrap_or(0);
    for &b in blocks {
        if best.as_ref().is_some_and(|b| b.0 >= closest) {
            break;
        }
        let text = &blank_ignored(c, &report.blocks[b].folded.text);
        let start = from(b).min(text.len());
        let live = live_patterns(c, &text[start..]);
        for u in units(report, c, b, start) {
            let mut first = c.any.len();
            for group in &c.together {
                let at = first;
                first += group.len();
                let hits: Vec<Option<regex::Match>> = group
                    .iter()
                    .enumerate()
                    .map(|(k, re)| {
                        is_live(&live, at + k)
                            .then(|| re.find(&text[u.clone()]))
                            .flatten()
                    })
                    .collect();
                let n = hits.iter().flatten().count();
                if n == 0 || n == group.len() || best.as_ref().is_some_and(|b| b.0 >= n) {
                    continue;
                }
                let Some(first) = hits.iter().flatten().next() else {
                    continue;
                };
                let at = u.start + first.start()..u.start + first.end();
                let missing: Vec<String> = group
                    .iter()
                    .zip(&hits)
                    .filter(|(_, h)| h.is_none())
                    .map(|(re, _)| pattern_label(re))
                    .collect();
                let why = format!(
                    "line {} has 「{}」 but not {} in the same {}",
                    report.blocks[b].line,
                    first.as_str(),
                    missing.join(", "),
                    if c.within == Within::Sentence {
                        "sentence"
                    } else {
                        "line"
                    }
                );
                best = Some((n, b, at, why));
            }
        }
    }
    best.map(|(_, b, at, why)| (evidence(report, b, at), why))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn content_verdict(report: &Report, pack: &Pack, parts: &Parts, c: &ContentCheck) -> Verdict {
    let where_ = scope_label(pack, &c.scope);
    let blocks = match scope_blocks(report, parts, &c.scope) {
        Ok(b) if !b.is_empty() => b,
        Ok(_) => {
            let message = format!("nothing to look in: {where_} is missing or empty");
            return (c.if_missing, message, Vec::new());
        }
        Err(p) => {
            let message = format!(
                "cannot be judged without the part {}, which was not found",
                part_name(pack, p)
            );
            return (c.if_missing, message, Vec::new());
        }
    };
    let with_titles = |b: usize| text_from(report, parts, &c.scope, b);
    // Without the titles of headings, the text starts after a heading's title.
    let from = |b: usize| {
        let title_end = match report.blocks[b].heading() {
            Some(h) if !c.in_headings => h.body_start,
            _ => 0,
        };
        with_titles(b).max(title_end)
    };
    let mut found = content_matches(report, c, &blocks, &from);
    let n = found.len();
    match (c.forbid, n == 0) {
        (false, false) => {
            found.truncate(MAX_EVIDENCE);
            let message = format!("found in {where_} ({n} place{})", plural(n));
            (Status::Pass, message, found)
        }
        (false, true) => {
            // A heading that announces it, over text that does not report it.
            if !c.in_headings {
                let mut titles = content_matches(report, c, &blocks, &with_titles);
                if !titles.is_empty() {
                    titles.truncate(MAX_EVIDENCE);
                    let message =
                        format!("only a heading names it in {where_}: the text does not report it");
                    return (Status::Gap, message, titles);
                }
            }
            // Say what was found where it does not count (第一责任人 only inside the plan).
            if let Scope::Except(excluded) = &c.scope {
                for &p in excluded {
                    let Some(part) = &parts.found[p] else {
                        continue;
                    };
                    let mut near = content_matches(report, c, &part.blocks, &|_| 0);
                    if !near.is_empty() {
                        near.truncate(MAX_EVIDENCE);
                        let message = format!(
                            "not found in {where_}; found only inside {}, which does not count",
                            part_name(pack, p)
                        );
                        return (Status::Gap, message, near);
                    }
                }
            }
            // The closest passage it rejected: a sentence with some patterns of a group but not all.
            let lines = lines_label(report, &blocks);
            if let Some((ev, why)) = closest_partial(report, c, &blocks, &from) {
                let message = format!("not found in {where_} ({lines}); closest: {why}");
                return (Status::Gap, message, vec![ev]);
            }
            (
                Status::Gap,
                format!("not found in {where_} ({lines})"),
                found,
            )
        }
        (true, true) => (Status::Pass, format!("none found in {where_}"), found),
        (true, false) => {
            found.truncate(MAX_GAP_EVIDENCE);
            let message = format!("found in {n} place{}", plural(n));
            (Status::Gap, message, found)
        }
    }
}

/// How a scope is named in messages.
fn scope_label(pack: &Pack, scope: &Scope) -> String {
    let names = |ps: &[usize]| {
        ps.iter()
            .map(|&p| format!("「{}」", pack.rules[p].name))
            .collect::<Vec<_>>()
            .join("")
    };
    match scope {
        Scope::Whole => "the report".into(),
        Scope::Title => "the title".into(),
        Scope::Opening => "the opening".into(),
        Scope::Body => "the body".into(),
        Scope::Part(p) => format!("the part {}", names(&[*p])),
        Scope::PartBody(p) => format!("the text of the part {}", names(&[*p])),
        Scope::Except(ps) => format!("the report outside {}", names(ps)),
    }
}

fn year_verdict(report: &Report, pack: &Pack, parts: &Parts, y: &YearCheck) -> Verdict {
    let blocks = match scope_blocks(report, parts, &y.scope) {
        Ok(b) if !b.is_empty() => b,
        Ok(_) => return (y.if_missing, "nothing to look in".into(), Vec::new()),
        Err(p) => {
            return (
                y.if_missing,
                format!(
                    "cannot be judged without the part {}, which was not found",
                    part_name(pack, p)
                ),
                Vec::new(),
            );
        }
    };
    let Some(report_year) = report.meta.year else {
        return (
            Status::Skip,
            "the report year is not known".into(),
            Vec::new(),
        );
    };
    let expected = report_year + y.offset;
    // The heading (the first block) speaks for the part; then its first paragraphs.
    let (head, body) = blocks
        .split_first()
        .map_or((&[][..], &[][..]), |(h, rest)| {
            (std::slice::from_ref(h), rest)
        });
    for group in [head, &body[..body.len().min(2)]] {
        for &b in group {
            let text = &report.blocks[b].folded.text;
            if let Some((year, at)) = years_in(text).into_iter().next() {
                let ev = vec![evidence(report, b, at)];
                return if year == expected {
                    (
                        Status::Pass,
                        format!("names {year}, the year after the report year {report_year}"),
                        ev,
                    )
                } else {
                    (
                        Status::Gap,
                        format!(
                            "names {year}, but the report is on {report_year}: expected {expected}"
                        ),
                        ev,
                    )
                };
            }
            if let Some(m) = y.relative.iter().find_map(|re| re.find(text)) {
                let ev = vec![evidence(report, b, m.range())];
                return (
                    Status::Pass,
                    format!("names the year relatively ({})", m.as_str()),
                    ev,
                );
            }
        }
    }
    (Status::Skip, "the part names no year".into(), Vec::new())
}

fn publication_verdict(report: &Report, parts: &Parts, p: &PublicationCheck) -> Verdict {
    if let Some(date) = report.meta.published {
        let line = report.meta.published_line.unwrap_or(0);
        let ev = vec![Evidence::new(line, date.to_string())];
        let Some(year) = report.meta.year else {
            return (
                Status::Skip,
                format!("published {date}, but the report year is not known"),
                ev,
            );
        };
        let deadline = crate::report::Date {
            year: year + 1,
            month: p.deadline.0,
            day: p.deadline.1,
        };
        return if date <= deadline {
            (
                Status::Pass,
                format!("published {date}, by the deadline {deadline}"),
                ev,
            )
        } else {
            (
                Status::Gap,
                format!("published {date}, after the deadline {deadline}"),
                ev,
            )
        };
    }
    let blocks =
        scope_blocks(report, parts, &p.scope).unwrap_or_else(|_| report.content().collect());
    let prefilter = prefilters_on().then(|| p.prefilter()).flatten();
    for &b in &blocks {
        let text = &report.blocks[b].folded.text;
        if prefilter.is_some_and(|re| !re.is_match(text)) {
            continue;
        }
        if let Some(m) = p.statement.iter().find_map(|re| re.find(text)) {
            return (
                Status::Pass,
                "no publication date shown; the report states that it is published".into(),
                vec![evidence(report, b, m.range())],
            );
        }
    }
    (
        Status::Skip,
        "no publication date shown and no statement of publication".into(),
        Vec::new(),
    )
}

fn order_verdict(report: &Report, pack: &Pack, parts: &Parts, order: &[usize]) -> Verdict {
    let found: Vec<(usize, usize)> = order
        .iter()
        .filter_map(|&p| parts.found[p].as_ref().map(|part| (p, part.start())))
        .collect();
    if found.len() < 2 {
        return (
            Status::Skip,
            "fewer than two of the parts were found".into(),
            Vec::new(),
        );
    }
    for w in found.windows(2) {
        let ((a, sa), (b, sb)) = (w[0], w[1]);
        if sb < sa {
            let ev = vec![heading_evidence(report, sb), heading_evidence(report, sa)];
            return (
                Status::Gap,
                format!("{} comes before {}", part_name(pack, b), part_name(pack, a)),
                ev,
            );
        }
    }
    let ev = found
        .iter()
        .map(|&(_, s)| heading_evidence(report, s))
        .take(MAX_EVIDENCE + 1)
        .collect();
    (Status::Pass, "the parts are in order".into(), ev)
}

fn numbering_verdict(report: &Report) -> Verdict {
    let mut last: Vec<(u8, u32)> = Vec::new(); // (rank, number) along the current path
    let mut problems = Vec::new();
    let mut count = 0;
    for (i, h) in report.headings() {
        // An attachment numbers its headings afresh.
        if h.is_attachment() {
            last.clear();
        }
        // Any heading, numbered or not (a Markdown or Word heading style), closes the levels
        // below it: the items under the next one start afresh.
        while last.last().is_some_and(|&(r, _)| r > h.rank) {
            last.pop();
        }
        let Some(n) = h.number else { continue };
        count += 1;
        let previous = last.last().filter(|&&(r, _)| r == h.rank).map(|&(_, n)| n);
        let expected = previous.map_or(1, |p| p + 1);
        if n != expected {
            let what = match previous {
                Some(p) => format!("{} follows number {p}", h.marker),
                None => format!("{} opens its level (expected number 1)", h.marker),
            };
            problems.push(Evidence::new(report.blocks[i].line, what));
        }
        if previous.is_some() {
            last.pop();
        }
        last.push((h.rank, n));
    }
    if count == 0 {
        return (
            Status::Skip,
            "the report has no numbered headings".into(),
            Vec::new(),
        );
    }
    if problems.is_empty() {
        return (
            Status::Pass,
            format!("{count} numbered headings, all in sequence"),
            Vec::new(),
        );
    }
    let n = problems.len();
    problems.truncate(MAX_GAP_EVIDENCE);
    (
        Status::Gap,
        format!(
            "{n} heading{} out of sequence",
            if n == 1 { "" } else { "s" }
        ),
        problems,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pack of the given rules, with a plan part that other rules can refer to.
    fn pack(rules: &str) -> Pack {
        let text = format!(
            "[pack]\nid = \"t\"\nname = \"t\"\nversion = \"1\"\n\
             [[rule]]\nid = \"plan\"\nname = \"安排\"\nkind = \"section\"\nseverity = \"error\"\nbasis = \"\"\nhelp = \"写安排\"\n\
             headings = ['安排|打算']\nfallback = ['^\\d{{4}}年,我们将']\n{rules}"
        );
        Pack::parse(&text, "t.toml").unwrap()
    }

    fn rule(id: &str, kind: &str, keys: &str) -> String {
        format!(
            "[[rule]]\nid = \"{id}\"\nname = \"{id}\"\nkind = \"{kind}\"\nseverity = \"error\"\nbasis = \"\"\nhelp = \"\"\n{keys}\n"
        )
    }

    fn verdict(pack: &Pack, text: &str, id: &str) -> Finding {
        let report = Report::parse(text);
        audit(&report, pack)
            .into_iter()
            .find(|f| f.rule == id)
            .unwrap()
    }

    const REPORT: &str = "某县关于2022年度法治政府建设情况的报告\n\
        一、主要举措和成效\n全年审查规范性文件十件。县长履行第一责任人职责，主持召开会议研究法治工作。\n\
        二、存在的不足\n一是队伍薄弱。究其原因，主要是培训不够。\n\
        三、2023年工作安排\n严格落实第一责任人职责。";

    #[test]
    fn a_section_is_found_by_its_heading_with_the_heading_as_evidence() {
        let p = pack(&rule("s", "section", "headings = ['不足']"));
        let f = verdict(&p, REPORT, "s");
        assert_eq!(f.status, Status::Pass);
        assert_eq!(f.evidence, vec![Evidence::new(4, "二、存在的不足".into())]);
        let f = verdict(&p, "一、主要举措\n正文。", "s");
        assert_eq!((f.status, f.help.as_deref()), (Status::Gap, Some("")));
    }

    #[test]
    fn a_section_without_heading_is_found_by_its_paragraph_and_ends_where_another_part_begins() {
        let p = pack(&rule(
            "s",
            "section",
            "headings = ['不足']\nfallback = ['同时也要看到']\nmin-items = 2",
        ));
        let text = "一、主要举措\n全年办结案件十件。\n同时也要看到,我县仍有短板:一是队伍薄弱;二是经费不足。\n2023年,我们将加强队伍建设。";
        let f = verdict(&p, text, "s");
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert_eq!(f.evidence[0].line, 3);
        assert_eq!(verdict(&p, text, "plan").evidence[0].line, 4);
    }

    #[test]
    fn a_section_too_short_is_a_gap_that_says_why() {
        let p = pack(&rule(
            "s",
            "section",
            "headings = ['不足']\nmin-chars = 100",
        ));
        let f = verdict(&p, REPORT, "s");
        assert_eq!(f.status, Status::Gap);
        assert!(
            f.message.contains("only") && f.message.contains("at least 100"),
            "{}",
            f.message
        );
    }

    #[test]
    fn leading_parts_stand_in_for_a_part_without_its_own_heading() {
        let keys = "headings = ['主要举措']\notherwise = \"leading-parts\"\nuntil = [\"plan\"]\nscope = \"except:plan\"";
        let p = pack(&rule("a", "section", keys));
        let text = "一、坚持党的领导\n全年召开会议十次。\n二、深化改革\n办结事项百件。\n三、2023年工作安排\n继续推进。";
        let f = verdict(&p, text, "a");
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert_eq!(
            f.evidence.iter().map(|e| e.line).collect::<Vec<_>>(),
            [1, 3]
        );
        // The parts are the report's top level, whatever its marker: here 第X部分 over 一、.
        let text = "第一部分 坚持党的领导\n一、健全机制\n全年召开会议十次。\n第二部分 深化改革\n一、精简审批\n办结事项百件。\n第三部分 2023年工作安排\n继续推进。";
        let f = verdict(&p, text, "a");
        assert_eq!(
            f.evidence.iter().map(|e| e.line).collect::<Vec<_>>(),
            [1, 4]
        );
        // Without headings the part starts at the body, not at the title.
        let f = verdict(
            &p,
            "云山县2023年度法治政府建设情况报告\n全年召开会议十次。",
            "a",
        );
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert_eq!(f.evidence[0].line, 2);
    }

    #[test]
    fn a_part_goes_on_over_the_sections_of_its_level_that_continue_it() {
        let p = pack(&rule(
            "s",
            "section",
            "headings = ['存在的问题']\ncontinued-by = ['原因']",
        ));
        let report = Report::parse(
            "一、主要举措\n正文。\n二、存在的问题\n一是队伍薄弱。\n三、问题产生的原因\n一是培训不足。\n四、原因分析和2024年工作安排\n一是加强培训。",
        );
        let parts = find_parts(&report, &p);
        let s = p.rule_index("s").unwrap();
        // Over 三、…原因, not over 四、, which names the plan too.
        assert_eq!(parts.found[s].as_ref().unwrap().blocks, [2, 3, 4, 5]);
        let without = pack(&rule("s", "section", "headings = ['存在的问题']"));
        let parts = find_parts(&report, &without);
        let s = without.rule_index("s").unwrap();
        assert_eq!(parts.found[s].as_ref().unwrap().blocks, [2, 3]);
    }

    #[test]
    fn the_highest_ranked_heading_names_a_part_then_the_earliest() {
        let p = pack(&rule("s", "section", "headings = ['问题']"));
        // A sub-heading that names it comes first; the top-level heading after it wins.
        let text = "一、主要举措\n（一）查找问题\n正文。\n二、存在的问题\n队伍薄弱。\n三、问题清单\n整改。";
        assert_eq!(verdict(&p, text, "s").evidence[0].line, 4);
        let sub_only =
            "一、主要举措\n（一）工作开展\n正文。\n（二）查找问题\n正文。\n（三）问题整改\n正文。";
        assert_eq!(verdict(&p, sub_only, "s").evidence[0].line, 4);
    }

    #[test]
    fn a_combined_heading_serves_both_parts_and_a_sub_heading_is_more_specific() {
        let p = pack(&rule(
            "s",
            "section",
            "headings = ['问题']\nscope = \"except:plan\"",
        ));
        let combined =
            "一、主要举措\n正文。\n二、存在的问题和下一步打算\n队伍薄弱。下一步加强培训。";
        assert_eq!(verdict(&p, combined, "s").status, Status::Pass);
        let nested = "一、主要举措\n正文。\n二、存在的问题和下一步打算\n（一）存在的问题\n队伍薄弱。\n（二）下一步打算\n加强培训。";
        assert_eq!(verdict(&p, nested, "plan").evidence[0].line, 6);
        assert_eq!(verdict(&p, nested, "s").evidence[0].line, 4);
    }

    #[test]
    fn content_outside_a_part_does_not_count_and_the_near_miss_is_shown() {
        let p = pack(&rule(
            "frp",
            "content",
            "scope = \"except:plan\"\nany = ['第一责任人']",
        ));
        let f = verdict(&p, REPORT, "frp");
        assert_eq!((f.status, f.evidence[0].line), (Status::Pass, 3));
        let only_in_plan =
            "一、主要举措\n全年办结案件十件。\n二、2023年工作安排\n严格落实第一责任人职责。";
        let f = verdict(&p, only_in_plan, "frp");
        assert_eq!(f.status, Status::Gap);
        assert!(f.message.contains("found only inside"), "{}", f.message);
        assert_eq!(f.evidence[0].line, 4);
    }

    #[test]
    fn together_patterns_must_meet_in_one_sentence() {
        let p = pack(&rule("c", "content", "together = [['县长', '述法']]"));
        assert_eq!(verdict(&p, "县长在年终述法。", "c").status, Status::Pass);
        assert_eq!(
            verdict(&p, "县长主持会议。干部述法。", "c").status,
            Status::Gap
        );
        let p = pack(&rule(
            "c",
            "content",
            "together = [['县长', '述法']]\nwithin = \"scope\"",
        ));
        assert_eq!(
            verdict(&p, "县长主持会议。干部述法。", "c").status,
            Status::Pass
        );
    }

    #[test]
    fn without_headings_a_title_announces_and_only_the_text_counts() {
        let p = pack(&rule(
            "c",
            "content",
            "any = ['第一责任人']\nin-headings = false",
        ));
        let announced = "一、主要举措\n全年办结案件十件。\n二、党政主要负责人履行第一责任人职责情况\n主要领导高度重视。";
        let f = verdict(&p, announced, "c");
        assert_eq!(f.status, Status::Gap);
        assert!(
            f.message.starts_with("only a heading names it"),
            "{}",
            f.message
        );
        assert_eq!(f.evidence[0].line, 3);
        // The body of a heading that runs on after its title is text.
        let reported = "一、主要举措\n（一）履职情况。县长认真履行第一责任人职责。";
        assert_eq!(verdict(&p, reported, "c").status, Status::Pass);
        // By default, a title counts like any text.
        let p = pack(&rule("c", "content", "any = ['第一责任人']"));
        assert_eq!(verdict(&p, announced, "c").status, Status::Pass);
    }

    #[test]
    fn forbidden_content_lists_every_place() {
        let p = pack(&rule(
            "x",
            "content",
            "forbid = true\nany = ['XX县', '某某']",
        ));
        let f = verdict(&p, "XX县法治报告\n某某同志主持。\n正文。", "x");
        assert_eq!(f.status, Status::Gap);
        assert_eq!(
            f.evidence.iter().map(|e| e.line).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(verdict(&p, "正文。", "x").status, Status::Pass);
    }

    #[test]
    fn a_match_inside_an_ignored_span_does_not_count() {
        for within in ["sentence", "block", "scope"] {
            let p = pack(&rule(
                "x",
                "content",
                &format!("within = \"{within}\"\nany = ['局长']\nignore = ['局长办公会']"),
            ));
            let meeting = "事项提交局长办公会议审议。";
            assert_eq!(verdict(&p, meeting, "x").status, Status::Gap, "{within}");
            let both = format!("{meeting}\n局长带头述法。");
            let f = verdict(&p, &both, "x");
            assert_eq!(f.status, Status::Pass, "{within}");
            assert_eq!(
                f.evidence[0].line, 2,
                "{within}: the quote is outside the span"
            );
        }
        let p = pack(&rule(
            "x",
            "content",
            "forbid = true\nany = ['内部资料']\nignore = ['《[^》]*》']",
        ));
        assert_eq!(
            verdict(&p, "编印《内部资料汇编》。", "x").status,
            Status::Pass
        );
        assert_eq!(verdict(&p, "内部资料 注意保存", "x").status, Status::Gap);
    }

    #[test]
    fn part_body_skips_the_heading_title() {
        let s = rule("s", "section", "headings = ['不足']");
        let c = rule("c", "content", "scope = \"part-body:s\"\nany = ['原因']");
        let p = pack(&format!("{s}{c}"));
        assert_eq!(
            verdict(&p, "二、存在的不足和原因\n一是队伍薄弱。", "c").status,
            Status::Gap
        );
        assert_eq!(
            verdict(&p, "二、存在的不足和原因：原因是培训少。", "c").status,
            Status::Pass
        );
        assert_eq!(verdict(&p, REPORT, "c").status, Status::Pass);
    }

    #[test]
    fn a_part_introduced_mid_paragraph_shares_it_with_the_part_before() {
        let a = rule(
            "a",
            "section",
            "headings = ['主要举措']\notherwise = \"leading-parts\"\nuntil = [\"s\"]\nscope = \"except:s\"",
        );
        let s = rule("s", "section", "fallback = ['同时也要看到']");
        let results = rule("r", "content", "scope = \"part:a\"\nany = ['办结']");
        let in_s = rule("c", "content", "scope = \"part-body:s\"\nany = ['办结']");
        let p = pack(&format!("{a}{s}{results}{in_s}"));
        for text in [
            "一、主要举措\n全年办结案件十件。同时也要看到，执法力量薄弱。",
            "全年办结案件十件。同时也要看到，执法力量薄弱。",
        ] {
            assert_eq!(verdict(&p, text, "s").status, Status::Pass, "{text}");
            assert_eq!(verdict(&p, text, "r").status, Status::Pass, "{text}");
            assert_eq!(
                verdict(&p, text, "c").status,
                Status::Gap,
                "{text}: the part starts at its introducing sentence"
            );
        }
    }

    #[test]
    fn a_missing_scope_gives_the_if_missing_verdict() {
        let p = pack(&rule(
            "c",
            "content",
            "scope = \"part:plan\"\nany = ['x']\nif-missing = \"skip\"",
        ));
        let f = verdict(&p, "一、主要举措\n正文。", "c");
        assert_eq!(f.status, Status::Skip);
        assert!(f.message.contains("安排（plan）"), "{}", f.message);
    }

    #[test]
    fn the_plan_year_is_the_report_year_plus_one() {
        let p = pack(&rule(
            "y",
            "year",
            "scope = \"part:plan\"\noffset = 1\nrelative = ['下一年度']",
        ));
        assert_eq!(verdict(&p, REPORT, "y").status, Status::Pass);
        let wrong = REPORT.replace("2023年工作安排", "2022年工作安排");
        let f = verdict(&p, &wrong, "y");
        assert_eq!(f.status, Status::Gap);
        assert!(f.message.contains("expected 2023"), "{}", f.message);
        let relative = REPORT.replace("2023年工作安排", "下一年度工作安排");
        assert_eq!(verdict(&p, &relative, "y").status, Status::Pass);
        let chinese = REPORT.replace("2023年工作安排", "二〇二三年推进法治政府建设的主要安排");
        let f = verdict(&p, &chinese, "y");
        assert_eq!((f.status, f.evidence[0].line), (Status::Pass, 6));
        let none = REPORT.replace("2023年工作安排", "工作安排");
        assert_eq!(verdict(&p, &none, "y").status, Status::Skip);
    }

    #[test]
    fn publication_by_date_by_statement_or_skip() {
        let p = pack(&rule(
            "pub",
            "publication",
            "statement = ['本报告[^。]*网站[^。]*公开']",
        ));
        let dated = |d: &str| format!("发布日期：{d}\n{REPORT}");
        assert_eq!(
            verdict(&p, &dated("2023-04-01"), "pub").status,
            Status::Pass
        );
        let late = verdict(&p, &dated("2023-04-02"), "pub");
        assert_eq!((late.status, late.evidence[0].line), (Status::Gap, 1));
        let stated = format!("{REPORT}\n本报告通过政府网站向社会公开。");
        assert_eq!(verdict(&p, &stated, "pub").status, Status::Pass);
        assert_eq!(verdict(&p, REPORT, "pub").status, Status::Skip);
    }

    #[test]
    fn parts_out_of_order_are_a_gap() {
        let s = rule("s", "section", "headings = ['不足']");
        let o = rule("o", "order", "parts = [\"s\", \"plan\"]");
        let p = pack(&format!("{s}{o}"));
        assert_eq!(verdict(&p, REPORT, "o").status, Status::Pass);
        let swapped = "一、2023年工作安排\n继续。\n二、存在的不足\n薄弱。";
        let f = verdict(&p, swapped, "o");
        assert_eq!(f.status, Status::Gap);
        assert_eq!(
            f.evidence.iter().map(|e| e.line).collect::<Vec<_>>(),
            [1, 3]
        );
        assert_eq!(verdict(&p, "正文。", "o").status, Status::Skip);
    }

    #[test]
    fn numbering_gaps_and_repeats_are_found_at_every_level() {
        let p = pack(&rule("n", "numbering", ""));
        assert_eq!(
            verdict(&p, "一、甲\n（一）子\n（二）子\n二、乙\n（一）子", "n").status,
            Status::Pass
        );
        let f = verdict(&p, "一、甲\n（二）子\n三、乙\n三、丙", "n");
        assert_eq!(f.status, Status::Gap);
        assert_eq!(
            f.evidence.iter().map(|e| e.line).collect::<Vec<_>>(),
            [2, 3, 4]
        );
        assert_eq!(verdict(&p, "没有标题。", "n").status, Status::Skip);
        let unnumbered = "# 甲\n（一）子\n（二）子\n# 乙\n（一）子";
        assert_eq!(
            verdict(&p, unnumbered, "n").status,
            Status::Pass,
            "an unnumbered heading closes the levels below it"
        );
        let attached =
            "一、甲\n二、乙\n三、丙\n2025年2月18日\n附件\n述法情况\n一、县委书记\n二、县长";
        assert_eq!(
            verdict(&p, attached, "n").status,
            Status::Pass,
            "an attachment numbers afresh"
        );
    }
}
