//! Evaluation: every rule of a pack applied to a report model, each giving pass, gap or skip with
//! a message and evidence (line numbers and short quotes of the original text), for passes too.

use crate::report::{BlockKind, Report, years_in};
use crate::rules::{
    Check, ContentCheck, Pack, PublicationCheck, Scope, SectionCheck, Severity, Status, Within,
    YearCheck,
};
use regex::Regex;
use serde::Serialize;

/// Longest quote, in characters, given as evidence.
const QUOTE_CHARS: usize = 60;
const MAX_EVIDENCE: usize = 3;
const MAX_GAP_EVIDENCE: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub line: usize,
    pub text: String,
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

/// Parts found so far, by rule index.
struct Parts(Vec<Option<Part>>);

/// Audit one report against a pack: one finding per rule, in the pack's order.
pub fn audit(report: &Report, pack: &Pack) -> Vec<Finding> {
    let parts = find_parts(report, pack);
    pack.rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let (status, message, evidence) = match &rule.check {
                Check::Section(s) => section_verdict(report, pack, s, parts.0[i].as_ref()),
                Check::Content(c) => content_verdict(report, pack, &parts, c),
                Check::Year(y) => year_verdict(report, pack, &parts, y),
                Check::Publication(p) => publication_verdict(report, &parts, p),
                Check::Order(ps) => order_verdict(report, pack, &parts, ps),
                Check::Numbering => numbering_verdict(report),
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
        })
        .collect()
}

type Verdict = (Status, String, Vec<Evidence>);

fn evidence(report: &Report, block: usize, m: std::ops::Range<usize>) -> Evidence {
    let b = &report.blocks[block];
    Evidence {
        line: b.line,
        text: b.quote(m, QUOTE_CHARS),
    }
}

fn heading_evidence(report: &Report, block: usize) -> Evidence {
    let b = &report.blocks[block];
    let text: String = b.text.chars().take(QUOTE_CHARS).collect();
    Evidence {
        line: b.line,
        text: if b.text.chars().count() > QUOTE_CHARS {
            text + "…"
        } else {
            text
        },
    }
}

fn part_name(pack: &Pack, i: usize) -> String {
    format!("{}（{}）", pack.rules[i].name, pack.rules[i].id)
}

/// The blocks a scope covers, or the part it needs when that part was not found.
fn scope_blocks(report: &Report, parts: &Parts, scope: &Scope) -> Result<Vec<usize>, usize> {
    Ok(match scope {
        Scope::Whole => report.content().collect(),
        Scope::Body => report.body().collect(),
        Scope::Title => report
            .content()
            .filter(|&i| report.blocks[i].kind == BlockKind::Title)
            .collect(),
        Scope::Opening => report.opening(),
        Scope::Part(p) | Scope::PartBody(p) => parts.0[*p].as_ref().ok_or(*p)?.blocks.clone(),
        Scope::Except(ps) => {
            let skip: Vec<&Part> = ps.iter().filter_map(|p| parts.0[*p].as_ref()).collect();
            report
                .content()
                .filter(|b| !skip.iter().any(|p| p.blocks.binary_search(b).is_ok()))
                .collect()
        }
    })
}

fn find_parts(report: &Report, pack: &Pack) -> Parts {
    let mut parts = Parts(vec![None; pack.rules.len()]);
    for &i in &pack.section_order {
        let Check::Section(s) = &pack.rules[i].check else {
            continue;
        };
        // A scope that needs a missing part is searched as the whole body.
        let mut allowed =
            scope_blocks(report, &parts, &s.scope).unwrap_or_else(|_| report.body().collect());
        // A combined heading (三、存在的问题及下一步打算) serves both parts: a part left out by
        // the scope stays searchable when its heading also names this part.
        if let Scope::Except(excluded) = &s.scope {
            for part in excluded.iter().filter_map(|&p| parts.0[p].as_ref()) {
                if let FoundBy::Heading(h) = part.how {
                    if heading_matches(report, s, h) {
                        allowed.extend(&part.blocks);
                    }
                }
            }
            allowed.sort_unstable();
            allowed.dedup();
        }
        let found = by_heading(report, pack, i, s, &allowed)
            .or_else(|| by_paragraph(report, pack, i, s, &allowed, &parts))
            .or_else(|| {
                s.leading_parts
                    .then(|| leading_parts(report, s, &allowed, &parts))
                    .flatten()
            });
        if let Some(part) = &found {
            if let FoundBy::Paragraph(start) = part.how {
                // An unheaded part ends the part it was written into.
                for other in parts.0.iter_mut().flatten() {
                    if other.start() < start {
                        other
                            .blocks
                            .retain(|&b| b < start || part.blocks.binary_search(&b).is_err());
                    }
                }
            }
        }
        parts.0[i] = found;
    }
    parts
}

fn heading_matches(report: &Report, s: &SectionCheck, block: usize) -> bool {
    report.blocks[block]
        .heading()
        .is_some_and(|h| h.is_titled() && s.headings.iter().any(|re| re.is_match(&h.title)))
}

fn by_heading(
    report: &Report,
    pack: &Pack,
    me: usize,
    s: &SectionCheck,
    allowed: &[usize],
) -> Option<Part> {
    let in_scope = |i: &usize| allowed.binary_search(i).is_ok();
    let (mut best, _) = report
        .headings()
        .filter(|(i, h)| {
            in_scope(i)
                && s.levels
                    .as_ref()
                    .is_none_or(|l| l.contains(&report.level_of(h.rank)))
                && heading_matches(report, s, *i)
        })
        .min_by_key(|(i, h)| (h.rank, *i))?;
    // Under a heading that names another part too (三、存在的问题和下一步打算), this part is
    // the sub-heading that names it alone (（二）下一步打算) when there is one.
    let combined = |h: usize| {
        pack.rules.iter().enumerate().any(|(k, r)| {
            k != me && matches!(&r.check, Check::Section(o) if heading_matches(report, o, h))
        })
    };
    while combined(best) {
        let Some(child) = report
            .section(best)
            .skip(1)
            .find(|&c| in_scope(&c) && heading_matches(report, s, c))
        else {
            break;
        };
        best = child;
    }
    let blocks = report.section(best).filter(in_scope).collect();
    Some(Part {
        blocks,
        how: FoundBy::Heading(best),
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
    let starts: Vec<usize> = parts.0.iter().flatten().map(Part::start).collect();
    let others: Vec<&Regex> = pack
        .rules
        .iter()
        .enumerate()
        .filter(|(k, _)| *k != me)
        .filter_map(|(_, r)| match &r.check {
            Check::Section(o) => Some(o.fallback.iter()),
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
    Some(Part {
        blocks,
        how: FoundBy::Paragraph(start),
    })
}

/// The top-level parts before the first of the `until` parts, without the parts the scope leaves out.
fn leading_parts(
    report: &Report,
    s: &SectionCheck,
    allowed: &[usize],
    parts: &Parts,
) -> Option<Part> {
    let stop = s
        .until
        .iter()
        .filter_map(|&p| parts.0[p].as_ref().map(Part::start))
        .min()
        .unwrap_or(report.body_end());
    let from = report.first_heading().unwrap_or(0);
    let blocks: Vec<usize> = allowed
        .iter()
        .copied()
        .filter(|&b| b >= from && b < stop)
        .collect();
    (!blocks.is_empty()).then_some(Part {
        blocks,
        how: FoundBy::LeadingParts,
    })
}

fn section_verdict(report: &Report, pack: &Pack, s: &SectionCheck, part: Option<&Part>) -> Verdict {
    let Some(part) = part else {
        let how = if s.fallback.is_empty() {
            "no heading names it"
        } else {
            "no heading names it and no paragraph introduces it"
        };
        return (Status::Gap, format!("not found: {how}"), Vec::new());
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
                .filter(|&&b| report.blocks[b].heading().is_some_and(|h| h.rank == 1))
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
fn unit_match(c: &ContentCheck, text: &str) -> Option<(u8, std::ops::Range<usize>)> {
    if let Some(m) = c.any.iter().find_map(|re| re.find(text)) {
        return Some((0, m.range()));
    }
    c.together.iter().find_map(|group| {
        let ms: Option<Vec<_>> = group.iter().map(|re| re.find(text)).collect();
        ms.and_then(|ms| ms.first().map(|m| (1, m.range())))
    })
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
                let units = if c.within == Within::Sentence {
                    report.blocks[b].sentences()
                } else {
                    std::iter::once(start..text.len()).collect()
                };
                for u in units.into_iter().filter(|u| u.start >= start) {
                    if let Some((rank, m)) = unit_match(c, &text[u.clone()]) {
                        let at = u.start + m.start..u.start + m.end;
                        ranked.push((rank, evidence(report, b, at)));
                    }
                }
            }
        }
        Within::Scope => {
            let hit = |re: &Regex| {
                blocks.iter().find_map(|&b| {
                    re.find_at(&report.blocks[b].folded.text, from(b))
                        .map(|m| (b, m.range()))
                })
            };
            let any = c.any.iter().filter_map(hit).next().map(|h| vec![h]);
            let group = || {
                c.together
                    .iter()
                    .find_map(|g| g.iter().map(hit).collect::<Option<Vec<_>>>())
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
    let from = |b: usize| match &c.scope {
        Scope::PartBody(p)
            if parts.0[*p]
                .as_ref()
                .is_some_and(|part| part.how == FoundBy::Heading(b)) =>
        {
            report.blocks[b].heading().map_or(0, |h| h.body_start)
        }
        _ => 0,
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
            // Say what was found where it does not count (第一责任人 only inside the plan).
            if let Scope::Except(excluded) = &c.scope {
                for &p in excluded {
                    let Some(part) = &parts.0[p] else { continue };
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
            (Status::Gap, format!("not found in {where_}"), found)
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
            if let Some(&(year, at)) = years_in(text).first() {
                let ev = vec![evidence(report, b, at..at + 4)];
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
        let ev = vec![Evidence {
            line,
            text: date.to_string(),
        }];
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
    for &b in &blocks {
        let text = &report.blocks[b].folded.text;
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
        .filter_map(|&p| parts.0[p].as_ref().map(|part| (p, part.start())))
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
        let Some(n) = h.number else { continue };
        count += 1;
        while last.last().is_some_and(|&(r, _)| r > h.rank) {
            last.pop();
        }
        let previous = last.last().filter(|&&(r, _)| r == h.rank).map(|&(_, n)| n);
        let expected = previous.map_or(1, |p| p + 1);
        if n != expected {
            let what = match previous {
                Some(p) => format!("{} follows number {p}", h.marker),
                None => format!("{} opens its level (expected number 1)", h.marker),
            };
            problems.push(Evidence {
                line: report.blocks[i].line,
                text: what,
            });
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
