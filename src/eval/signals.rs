//! The checks that read a report's substance rather than its parts: another jurisdiction's
//! programme presented as the unit's own, stock-phrase shortcomings, results without figures,
//! and years that do not fit the report's timeline.
//!
//! Each is written to be precise before it is sensitive: a false gap on a real report costs a
//! reviewer more than a missed signal, so every doubtful case (an unknown place, a comparison
//! between years, a clause about another place) gives no gap.

use super::{
    MAX_EVIDENCE, MAX_GAP_EVIDENCE, Parts, Verdict, evidence, lines_label, part_name, scope_blocks,
    scope_label, text_from,
};
use crate::eval::Evidence;
use crate::gazetteer::{GAZETTEER, Level, UnitPlace};
use crate::report::{Report, years_in};
use crate::rules::{
    FiguresCheck, JurisdictionCheck, Pack, Scope, Status, SubstanceCheck, YearConsistencyCheck,
};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// A built-in pattern. Digits are written `[0-9０-９]`, not `\d`: `\d` is every script's
/// decimal digits, which Chinese reports do not use and which double a pattern's compile time.
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in pattern compiles")
}

/// The blocks of a scope with where each starts, or the verdict when there are none.
fn scope_or_missing(
    report: &Report,
    pack: &Pack,
    parts: &Parts,
    scope: &Scope,
    if_missing: Status,
) -> Result<Vec<usize>, Verdict> {
    match scope_blocks(report, parts, scope) {
        Ok(b) if !b.is_empty() => Ok(b),
        Ok(_) => Err((
            if_missing,
            format!(
                "nothing to look in: {} is missing or empty",
                scope_label(pack, scope)
            ),
            Vec::new(),
        )),
        Err(p) => Err((
            if_missing,
            format!(
                "cannot be judged without the part {}, which was not found",
                part_name(pack, p)
            ),
            Vec::new(),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// jurisdiction

/// A unit speaking of its own place: 我省, 本市, 全县.
static SELF_REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:我|本|全)(省|市|州|盟|区|县|旗)"));
/// Clauses about other places: help given or received, visits, cooperation, comparisons.
static ABOUT_OTHERS: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"对口|援[建助藏疆]|支援|帮扶|协作|结对|考察|借鉴|学习[^,;。]{0,8}(?:经验|做法)|赴|前往|",
        r"[到去][^,;。]{0,10}(?:学习|考察|交流|调研)|交流|来自|邀请|来[我本]|兄弟|外省|外地|跨省|跨区域|",
        r"异地|省外|市外|区域合作|一体化|毗邻|接壤|联动|互认|通办|签订|签署|合作|联合|与|同|相比|对标|",
        r"对接|协同|共建|携手|周边|流域|举办|主办|参加|出席|参会|比赛|籍|务工|游客|客商|投资"
    ))
});
/// What presents a cited document as the unit's own basis.
static BASIS_VERB: LazyLock<Regex> = LazyLock::new(|| {
    re(r"根据|依据|按照|遵照|贯彻|落实|对照|执行|出台|印发|制定|制发|修订|编制|结合|围绕")
});
/// The longest title of a cited document, in characters.
const CITED_MAX_CHARS: usize = 120;

/// Cited documents (`《…》` holding 2 to 120 characters, none a `》`), leftmost first: each as
/// the whole citation and its title. Read from each `《` by hand: the regex for it,
/// `《([^》]{2,120})》`, cost 0.7 ms to compile, a bounded repetition of a negated class.
fn cited(text: &str) -> Vec<(Range<usize>, Range<usize>)> {
    const OPEN: usize = '《'.len_utf8();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find('《').map(|i| from + i) {
        let title = at + OPEN;
        let mut end = None;
        for (n, (i, c)) in text[title..].char_indices().enumerate() {
            if c == '》' {
                end = (n >= 2).then_some(title + i);
                break;
            }
            if n == CITED_MAX_CHARS {
                break;
            }
        }
        match end {
            Some(end) => {
                out.push((at..end + '》'.len_utf8(), title..end));
                from = end + '》'.len_utf8();
            }
            // No citation opens here; one may open at a later 《, even inside this one.
            None => from = title,
        }
    }
    out
}

/// The text without its cited documents.
fn without_cited(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (whole, _) in cited(text) {
        out.push_str(&text[last..whole.start]);
        last = whole.end;
    }
    out.push_str(&text[last..]);
    out
}
static CLAUSE_END: &[char] = &[',', ';', '。', ':', '!', '?'];

/// Byte ranges of the clauses of a text.
fn clauses(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if CLAUSE_END.contains(&c) {
            out.push(start..i);
            start = i + c.len_utf8();
        }
    }
    out.push(start..text.len());
    out.retain(|r| !r.is_empty());
    out
}

/// The place a cited document's title opens with: 湖北省…, 中共湖北省委…, 法治湖北建设….
fn document_place(title: &str) -> Option<usize> {
    let g = &*GAZETTEER;
    let head = title.strip_prefix("中共").unwrap_or(title);
    if let Some((i, r)) = g.full_names_in(head).into_iter().next()
        && r.start == 0
    {
        return Some(i);
    }
    let rest = head.strip_prefix("法治")?;
    g.places
        .iter()
        .enumerate()
        .filter(|(_, p)| p.level == Level::Province)
        .find(|(_, p)| {
            p.short
                .iter()
                .any(|s| s.chars().count() >= 2 && rest.starts_with(&format!("{s}建设")))
        })
        .map(|(i, _)| i)
}

/// Whether place `i` is another jurisdiction than the unit's for the purpose at hand:
/// another province always; another prefecture of the unit's province only when the unit's own
/// prefecture is known and `same_province_counts` (a cited programme, or 我市 beside the name).
fn is_other(unit: UnitPlace, i: usize, same_province_counts: bool) -> bool {
    let g = &*GAZETTEER;
    let p = &g.places[i];
    if p.province != unit.province {
        return true;
    }
    p.level == Level::Prefecture && same_province_counts && unit.prefecture.is_some_and(|q| q != i)
}

pub(super) fn jurisdiction_verdict(
    report: &Report,
    parts: &Parts,
    j: &JurisdictionCheck,
) -> Verdict {
    let g = &*GAZETTEER;
    let named = report.meta.unit.as_deref().or(report.meta.title.as_deref());
    let Some(unit) = named.and_then(|n| g.unit_place(n)).or_else(|| {
        // A title may name the place when the unit line does not (湖南省云山县人民政府 in the
        // title, 县政府 as the unit).
        report.meta.title.as_deref().and_then(|t| g.unit_place(t))
    }) else {
        return (
            Status::Skip,
            format!(
                "the unit's place is not known: {} names no province or prefecture",
                named.map_or("the report".to_string(), |n| format!("「{n}」"))
            ),
            Vec::new(),
        );
    };
    let own = match unit.prefecture {
        Some(p) => format!("{}{}", g.places[unit.province].name, g.places[p].name),
        None => g.places[unit.province].name.clone(),
    };
    let blocks = match scope_blocks(report, parts, &j.scope) {
        Ok(b) => b,
        Err(_) => report.body().collect(),
    };
    let about_others = |clause: &str| {
        if j.about_others.is_empty() {
            ABOUT_OTHERS.is_match(clause)
        } else {
            j.about_others.iter().any(|re| re.is_match(clause))
        }
    };
    let mut found: Vec<(Evidence, String)> = Vec::new();
    // Both signs need a cited document or a self-reference in the clause: a clause (or a
    // block) with neither is passed over before the slower test of what it is about.
    let may_tell = |t: &str| t.contains('《') || SELF_REFERENCE.is_match(t);
    for &b in &blocks {
        let text = &report.blocks[b].folded.text;
        if !may_tell(text) {
            continue;
        }
        let citations: Vec<Range<usize>> =
            cited(text).into_iter().map(|(whole, _)| whole).collect();
        for clause in clauses(text) {
            let words = &text[clause.clone()];
            if !may_tell(words) || about_others(words) {
                continue;
            }
            // A cited document of another place, given as the unit's basis.
            for (whole, title) in cited(words) {
                let Some(place) = document_place(&words[title]) else {
                    continue;
                };
                let lead = without_cited(&words[..whole.start]);
                if !BASIS_VERB.is_match(&lead) || !is_other(unit, place, true) {
                    continue;
                }
                let at = clause.start + whole.start..clause.start + whole.end;
                let why = format!(
                    "line {} cites a programme of {} as the unit's basis",
                    report.blocks[b].line, g.places[place].name
                );
                found.push((evidence(report, b, at), why));
            }
            // A self-reference beside another place's name.
            let Some(me) = SELF_REFERENCE.captures(words) else {
                continue;
            };
            let city_level = matches!(me.get(1).map(|l| l.as_str()), Some("市" | "州" | "盟"));
            for (place, range) in g.full_names_in(words) {
                let at = clause.start + range.start..clause.start + range.end;
                if citations.iter().any(|c| c.contains(&at.start))
                    || !is_other(unit, place, city_level)
                {
                    continue;
                }
                let why = format!(
                    "line {} names {} beside 「{}」",
                    report.blocks[b].line,
                    g.places[place].name,
                    me.get(0).map_or("", |m| m.as_str())
                );
                found.push((evidence(report, b, at), why));
            }
        }
    }
    if found.is_empty() {
        // The evidence of a pass is where the unit's place was read.
        let ev = match (report.meta.title_line, &report.meta.title) {
            (Some(line), Some(title)) => vec![Evidence::new(line, title.clone())],
            _ => Vec::new(),
        };
        return (
            Status::Pass,
            format!(
                "the unit is in {own}; no other province's or prefecture's name or programme is presented as its own"
            ),
            ev,
        );
    }
    let n = found.len();
    found.truncate(MAX_GAP_EVIDENCE);
    let whys: Vec<String> = found.iter().map(|(_, w)| w.clone()).take(3).collect();
    let message = format!(
        "the unit is in {own}, but {n} place{} present{} another jurisdiction as its own: {}{}",
        super::plural(n),
        if n == 1 { "s" } else { "" },
        whys.join("; "),
        if n > 3 { "; …" } else { "" }
    );
    (
        Status::Gap,
        message,
        found.into_iter().map(|(e, _)| e).collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// substance

/// Stock phrases: what any report can say about any shortcoming.
static STOCK: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"有待(?:于)?(?:进一步|继续)?(?:加强|提高|提升|完善|深化|改进|规范|健全|强化|加大|增强|落实|推进)|",
        r"(?:仍|还|尚|仍然|依然)?(?:需|需要|亟需|亟待)(?:进一步|继续)?(?:加强|提高|提升|完善|深化|改进|规范|健全|强化|加大|增强|落实|推进)|",
        r"(?:还|仍|尚|仍然)?不够(?:到位|完善|健全|深入|全面|有力|规范|明显|充分|高|强|好)?|",
        r"(?:还|仍|尚|仍然|依然)?(?:存在|有)(?:一定|较大|不小)?(?:的)?差距|",
        r"(?:还|仍|尚|仍然|依然)?存在(?:一些|一定|不少|诸多)?(?:的)?(?:不足|问题|短板|薄弱环节|差距)|",
        r"(?:与|同|距离?)[^,;。]{0,24}(?:要求|期待|期望|目标|需求)(?:相比|相较|比较)?|",
        r"不平衡|不充分|不适应|不相适应|需进一步|进一步"
    ))
});
/// Words that say what is short but not where: a sentence made of them and stock phrases names
/// no concrete problem. Earlier words win where several start at one place (法治政府建设 before
/// 法治, 表现在 before 表现), as in a regex alternation; all are Chinese characters.
const GENERIC_WORDS: &[&str] = &[
    "法治政府建设",
    "法治建设",
    "依法行政",
    "依法治县",
    "依法治市",
    "依法治区",
    "依法治省",
    "依法治镇",
    "依法治乡",
    // What any unit can say it lacks: ways of thinking and working, publicity, the -性 virtues.
    "法治思维",
    "法治方式",
    "法治宣传",
    "普法宣传",
    "宣传教育",
    "领导干部",
    "解决问题",
    "法治",
    "思维",
    "方式",
    "方法",
    "手段",
    "运用",
    "宣传",
    "普法",
    "形式",
    "内容",
    "丰富",
    "单一",
    "针对性",
    "实效性",
    "有效性",
    "主动性",
    "积极性",
    "自觉性",
    "创新性",
    "系统性",
    "思想",
    "观念",
    "认识到",
    "认识",
    "重视",
    "程度",
    "效果",
    "干部",
    "问题",
    "工作",
    "能力",
    "水平",
    "意识",
    "机制",
    "体制",
    "制度",
    "力度",
    "质量",
    "成效",
    "方面",
    "领域",
    "环节",
    "一些",
    "部分",
    "个别",
    "少数",
    "我县",
    "我市",
    "我区",
    "我镇",
    "我乡",
    "我局",
    "我委",
    "我州",
    "我省",
    "本县",
    "本市",
    "本区",
    "本镇",
    "本乡",
    "本局",
    "本委",
    "本单",
    "本位",
    "全县",
    "全市",
    "全区",
    "全镇",
    "全乡",
    "主要",
    "表现在",
    "表现为",
    "表现",
    "虽然",
    "取得",
    "一定",
    "成绩",
    "但是",
    "但",
    "同时",
    "也要",
    "看到",
    "清醒",
    "如下",
    "以下",
    "几个",
    "几点",
    "还",
    "仍",
    "尚",
    "也",
    "的",
    "了",
    "和",
    "与",
    "及",
    "等",
    "在",
    "上",
    "中",
    "对",
    "是",
    "有",
    "较",
    "方面",
    "仍然",
    "依然",
    "存在",
    "一是",
    "二是",
    "三是",
    "四是",
    "五是",
    "六是",
    "七是",
    "八是",
    "九是",
    "十是",
];
/// [`GENERIC_WORDS`] as one automaton, leftmost-first like a regex alternation: a sentence of
/// the shortcomings is dense with them, and the automaton costs less per match than a regex.
/// This one is quick to build, for a few reports ([`generic`]).
static GENERIC: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| generic_words(None));
/// The same as a DFA, for a batch: searched over every sentence of the shortcomings of every
/// report, it repays its build, six times the other's (the builder picks a DFA by itself only
/// for fewer words).
static GENERIC_DFA: LazyLock<aho_corasick::AhoCorasick> =
    LazyLock::new(|| generic_words(Some(aho_corasick::AhoCorasickKind::DFA)));

fn generic_words(kind: Option<aho_corasick::AhoCorasickKind>) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .kind(kind)
        .build(GENERIC_WORDS)
        .expect("the generic words build an automaton")
}

/// The generic words' automaton for this run: the DFA when the batch is large enough for the
/// prefilters, whose switch says the same thing.
fn generic() -> &'static aho_corasick::AhoCorasick {
    if super::prefilters_on() {
        &GENERIC_DFA
    } else {
        &GENERIC
    }
}
/// A sentence that gives causes, not a problem.
static CAUSE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^\s*(?:[一二三四五六七八九十]{1,3}是)?[^,;。]{0,12}(?:原因|根源|之所以)")
});
/// The words every match of [`CAUSE`] ends with (a test holds the two together).
const CAUSE_WORDS: [&str; 3] = ["原因", "根源", "之所以"];

/// A problem that is a lack of analysis: 缺少原因分析, 对败诉案件的原因剖析不深.
static NO_ANALYSIS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:缺少|缺乏|没有|未|无)(?:原因|成因)(?:分析|剖析)|(?:原因|成因)(?:剖析|分析|查找|研判|排查)[^。;,]{0,4}(?:不深|不透|不够|不到位|不足|欠缺|不全面)",
    )
});

/// Whether a sentence gives causes ([`CAUSE`]), and is not a problem of analysis
/// ([`NO_ANALYSIS`]). Most sentences have none of its words, and `str::contains` tells so faster
/// than a regex call on a short sentence (about a microsecond, its automaton having left the
/// caches since the last sentence).
fn is_cause(sentence: &str) -> bool {
    CAUSE_WORDS.iter().any(|w| sentence.contains(w))
        && CAUSE.is_match(sentence)
        && !NO_ANALYSIS.is_match(sentence)
}
static ITEM_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[。;:!?,])\s*(?:[一二三四五六七八九十]{1,3}是|[①-⑳]|\([0-9０-９]{1,2}\)|[0-9０-９]{1,2}[.、](?:[^0-9０-９]|$))",
    )
});
/// The longest sub-heading title read as a label rather than as a sentence.
const LABEL_CHARS: usize = 15;
/// Characters left in a sentence once stock phrases and generic words are taken out, below
/// which it names no concrete problem.
const CONCRETE_CHARS: usize = 4;

/// How a sentence reads: stock phrases only, filler (neither stock nor concrete), or concrete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    Stock,
    Filler,
    Concrete,
}

fn read_sentence(text: &str, stock: &[Regex]) -> Reading {
    let mut has_stock = false;
    let mut rest = std::borrow::Cow::Borrowed(text);
    let stock = if stock.is_empty() {
        std::slice::from_ref(&*STOCK)
    } else {
        stock
    };
    for re in stock {
        // `replace_all` borrows when nothing matches: no second search to ask first.
        if let std::borrow::Cow::Owned(cut) = re.replace_all(&rest, "") {
            has_stock = true;
            rest = std::borrow::Cow::Owned(cut);
        }
    }
    // Letters and digits left once generic words are out, counted without building the rest.
    let alnum = |t: &str| {
        t.chars()
            .filter(|&c| crate::normalize::is_word_char(c))
            .count()
    };
    let generic: usize = generic()
        .find_iter(rest.as_ref())
        .map(|m| alnum(&rest[m.range()]))
        .sum();
    let left = alnum(&rest) - generic;
    match (left >= CONCRETE_CHARS, has_stock) {
        (true, _) => Reading::Concrete,
        (false, true) => Reading::Stock,
        (false, false) => Reading::Filler,
    }
}

/// The first sentence of a range, without the punctuation around it, so that a quote of it is
/// that sentence and not its neighbours.
fn first_sentence(text: &str, r: Range<usize>) -> Range<usize> {
    let inner = &text[r.clone()];
    let lead = inner.len()
        - inner
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .len();
    let start = r.start + lead;
    let end = text[start..r.end]
        .find(['。', ';', '!', '?'])
        .map_or(r.end, |i| start + i);
    if start < end { start..end } else { r }
}

/// Quotes for a list of places, in order, one per sentence (two figures of one sentence are one
/// piece of evidence).
fn quotes(report: &Report, places: &[(usize, Range<usize>)], max: usize) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = Vec::new();
    let mut sentences: Vec<(usize, usize)> = Vec::new();
    for (b, r) in places {
        let sentence = report.blocks[*b]
            .sentences()
            .iter()
            .find(|s| s.contains(&r.start))
            .map_or(r.start, |s| s.start);
        if sentences.contains(&(*b, sentence)) {
            continue;
        }
        sentences.push((*b, sentence));
        out.push(evidence(report, *b, r.clone()));
        if out.len() == max {
            break;
        }
    }
    out
}

/// What the substance check measured in a part.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SubstanceCount {
    pub chars: usize,
    /// Concrete problems: items (or, without items, sentences) that say more than stock phrases.
    pub concrete: Vec<(usize, Range<usize>)>,
    /// Sentences that are stock phrases only.
    pub stock: Vec<(usize, Range<usize>)>,
    /// Sentences that are stock or concrete (filler such as 主要表现在以下方面 left out).
    pub sentences: usize,
}

impl SubstanceCount {
    pub fn stock_ratio(&self) -> f64 {
        if self.sentences == 0 {
            0.0
        } else {
            self.stock.len() as f64 / self.sentences as f64
        }
    }
}

/// A substance reading already made for a report: the part's scope, the stock patterns (by
/// address: the pack's own), and the result.
pub(crate) type SubstanceMemo = (Scope, usize, SubstanceCount);

/// What the substance check reads in a part: characters, concrete problems, stock sentences.
/// The substance rule and the measures read the same part; the second reading is the first's.
pub(crate) fn count_substance(
    report: &Report,
    parts: &Parts,
    scope: &Scope,
    blocks: &[usize],
    stock: &[Regex],
) -> SubstanceCount {
    let key = stock.as_ptr() as usize;
    if let Some((_, _, count)) = parts
        .substance
        .borrow()
        .iter()
        .find(|(s, k, _)| s == scope && *k == key)
    {
        return count.clone();
    }
    let count = read_substance(report, parts, scope, blocks, stock);
    parts
        .substance
        .borrow_mut()
        .push((scope.clone(), key, count.clone()));
    count
}

fn read_substance(
    report: &Report,
    parts: &Parts,
    scope: &Scope,
    blocks: &[usize],
    stock: &[Regex],
) -> SubstanceCount {
    let mut count = SubstanceCount::default();
    // Items: (block, range of the item's text), opened by a sub-heading or an inline marker.
    let mut items: Vec<(usize, Range<usize>)> = Vec::new();
    let mut sentences: Vec<(usize, Range<usize>, Reading)> = Vec::new();
    // The rank of a sub-heading about causes (（二）原因分析) while inside its section.
    let mut in_causes: Option<u8> = None;
    for (k, &b) in blocks.iter().enumerate() {
        let block = &report.blocks[b];
        let text = &block.folded.text;
        let from = text_from(report, parts, scope, b).min(text.len());
        count.chars += text[from..].chars().count();
        let sub_heading = block.heading().filter(|_| k > 0);
        if let Some(h) = sub_heading {
            in_causes = h
                .title
                .contains("原因")
                .then_some(h.rank)
                .or(in_causes.filter(|&r| h.rank > r));
        }
        // Causes are not problems, and not stock phrases either.
        if in_causes.is_some() {
            continue;
        }
        // A short sub-heading title is a label (（一）存在的问题), not a sentence of the text; a
        // long one (1.法治宣传教育工作仍存薄弱环节,……。) is the problem itself.
        let body = sub_heading
            .filter(|h| h.title.chars().count() <= LABEL_CHARS)
            .map_or(from, |h| h.body_start.min(text.len()));
        for s in block.sentences().iter().cloned() {
            if s.end <= body {
                continue;
            }
            let s = s.start.max(body)..s.end;
            let reading = read_sentence(&text[s.clone()], stock);
            if !is_cause(&text[s.clone()]) {
                let s = first_sentence(text, s);
                sentences.push((b, s, reading));
            }
        }
        // Items: a sub-heading of the part opens one (its title and text up to any inline
        // items), and each inline marker (一是…, ①, (1), 1.) opens one.
        let markers: Vec<usize> = ITEM_MARKER
            .find_iter(text)
            .map(|m| m.start())
            .filter(|&at| at >= body)
            .collect();
        if sub_heading.is_some() {
            items.push((b, 0..markers.first().copied().unwrap_or(text.len())));
        }
        for (n, &at) in markers.iter().enumerate() {
            let end = markers.get(n + 1).copied().unwrap_or(text.len());
            items.push((b, at..end));
        }
    }
    count.sentences = sentences
        .iter()
        .filter(|(_, _, r)| *r != Reading::Filler)
        .count();
    count.stock = sentences
        .iter()
        .filter(|(_, _, r)| *r == Reading::Stock)
        .map(|(b, s, _)| (*b, s.clone()))
        .collect();
    count.concrete = if items.is_empty() {
        // No items: each concrete clause (causes left out) stands for a problem, so that
        // 执法力量薄弱,人员严重不足 written as one sentence counts as two.
        sentences
            .iter()
            .filter(|(_, _, r)| *r == Reading::Concrete)
            .flat_map(|(b, s, _)| {
                let text = &report.blocks[*b].folded.text;
                clauses(&text[s.clone()])
                    .into_iter()
                    .filter(|c| {
                        read_sentence(&text[s.start + c.start..s.start + c.end], stock)
                            == Reading::Concrete
                    })
                    .map(|c| (*b, s.start + c.start..s.start + c.end))
                    .collect::<Vec<_>>()
            })
            .collect()
    } else {
        // An item is concrete when one of its sentences is; causes written into the last item
        // (三是…。究其原因,…) are not part of it.
        items
            .into_iter()
            .filter(|(b, r)| {
                report.blocks[*b].folded.text[r.clone()]
                    .split(['。', ';'])
                    .map(|s| s.trim_start_matches(|c: char| !c.is_alphanumeric()))
                    .take_while(|s| !is_cause(s))
                    .any(|s| read_sentence(s, stock) == Reading::Concrete)
            })
            .map(|(b, r)| (b, first_sentence(&report.blocks[b].folded.text, r)))
            .collect()
    };
    count
}

pub(super) fn substance_verdict(
    report: &Report,
    pack: &Pack,
    parts: &Parts,
    s: &SubstanceCheck,
) -> Verdict {
    let blocks = match scope_or_missing(report, pack, parts, &s.scope, s.if_missing) {
        Ok(b) => b,
        Err(v) => return v,
    };
    let count = count_substance(report, parts, &s.scope, &blocks, &s.stock);
    let where_ = format!(
        "{} ({})",
        scope_label(pack, &s.scope),
        lines_label(report, &blocks)
    );
    let n = count.concrete.len();
    let ratio = count.stock_ratio();
    let stock_text = format!(
        "{} of {} sentence{} {} stock phrases only ({:.0}%)",
        count.stock.len(),
        count.sentences,
        super::plural(count.sentences),
        if count.stock.len() == 1 { "is" } else { "are" },
        ratio * 100.0
    );
    let mut problems = Vec::new();
    if n < s.min_items {
        problems.push(format!(
            "{n} concrete problem{} (at least {} expected)",
            super::plural(n),
            s.min_items
        ));
    }
    if ratio > s.max_stock_ratio {
        problems.push(format!(
            "{stock_text}, at most {:.0}% expected",
            s.max_stock_ratio * 100.0
        ));
    }
    if problems.is_empty() {
        let ev = quotes(report, &count.concrete, MAX_EVIDENCE);
        return (
            Status::Pass,
            format!(
                "{n} concrete problem{} in {where_}; {stock_text}",
                super::plural(n)
            ),
            ev,
        );
    }
    // The stock sentences are the rejected passages; then what did count.
    let mut ev = quotes(report, &count.stock, MAX_EVIDENCE);
    ev.extend(quotes(report, &count.concrete, MAX_EVIDENCE));
    let rejected = if count.stock.is_empty() {
        String::new()
    } else {
        "; the stock sentences are quoted first".into()
    };
    (
        Status::Gap,
        format!("looked in {where_}: {}{rejected}", problems.join("; ")),
        ev,
    )
}

// ---------------------------------------------------------------------------------------------
// figures

const MEASURE: &str = r"(?:人次|件次|户次|个工作日|个百分点|万人|万元|亿元|千元|元|件|次|人|名|场|个|家|户|起|宗|项|条|份|篇|期|批|卷|部|台|所|处|座|支|套|本|例|位|轮|类|公里|千米|米|亩|公顷|平方米|吨|辆|小时|天|倍|笔|张|册|万|亿)";

/// A count with a measure word, a rate or an amount, in Arabic figures: the number and what
/// follows it. The character before the number must not be a digit, a decimal mark or 第
/// (第3次 is an ordinal); [`after_boundary`] checks it.
static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"[0-9]+(?:[.,][0-9]+)*\s*(?:余|多)?\s*(?:[%‰]|成(?:以上)?[^立为功果绩效本熟员]|{MEASURE})"
    ))
});
fn before_figure(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '.' | ',' | '第')
}
/// The same in Chinese numerals (十件, 二十三次, 两百余人); single digits (三项制度, 一个中心)
/// are names of things more often than results. The character before must not be a numeral
/// or 第.
static CHINESE_FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:[一二三四五六七八九两][十百千万]|[十百千万])[一二三四五六七八九十百千万两]*\s*(?:余|多)?\s*(?:人次|件|次|人|名|场|家|户|起|宗|份|篇|期|批)",
    )
});
fn before_chinese_figure(c: char) -> bool {
    "第一二三四五六七八九十百千万两零〇".contains(c)
}

/// The matches of `tail` that `(?:^|[^…])tail` would find, where `excluded` says what `[^…]`
/// leaves out: each must start the text or follow a character that is not excluded and not
/// part of the previous match. A pattern that opens with such a class has no literal to search
/// from, so the engine runs its automaton over every byte (2 ns a byte); the tail alone starts
/// from its literals, and the character before is checked here.
fn after_boundary(tail: &Regex, text: &str, excluded: fn(char) -> bool) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut at = 0;
    let mut last_end = 0;
    while let Some(m) = tail.find_at(text, at) {
        let start = m.start();
        let free = match text[..start].chars().next_back() {
            None => true,
            Some(c) => !excluded(c) && start - c.len_utf8() >= last_end,
        };
        if free {
            found.push(m.range());
            last_end = m.end();
            at = m.end();
        } else {
            // A match may still start at the next character (第5成3件: 3件).
            at = start + text[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

static PERCENT_WORDS: LazyLock<Regex> =
    LazyLock::new(|| re(r"百分之[零〇一二三四五六七八九十百点]+"));
/// A blank left where a figure belongs: XX件, ××%, *次, ___%, □□件.
static PLACEHOLDER_FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:[Xx×]{{1,4}}|\*{{1,3}}|_{{2,}}|□{{1,4}})\s*(?:余|多)?\s*(?:[%‰]|{MEASURE})"
    ))
});

/// How many placeholders for figures (XX件, ××%) a text holds.
pub(crate) fn placeholders_in(text: &str) -> usize {
    PLACEHOLDER_FIGURE.find_iter(text).count()
}

/// A measure word or a percent sign alone: the unit column of a table row.
static UNIT_CELL: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"^(?:[%‰]|{MEASURE})$")));

/// The numbers of a table row that gives its unit in a cell of its own (矛盾纠纷排查化解⇥件⇥3412⇥
/// 3876, its tabs folded to spaces): the number cells after the unit are figures. A row is a
/// line of three cells or more without sentence punctuation.
fn table_row_figures(text: &str) -> Vec<Range<usize>> {
    // Most blocks are prose without a space: one byte search turns them away.
    if memchr::memchr(b' ', text.as_bytes()).is_none()
        || memchr::memchr2(b',', b';', text.as_bytes()).is_some()
        || text.contains('。')
    {
        return Vec::new();
    }
    let cells: Vec<Range<usize>> = text
        .split_whitespace()
        .map(|c| {
            let start = c.as_ptr() as usize - text.as_ptr() as usize;
            start..start + c.len()
        })
        .collect();
    let is_number = |c: &str| {
        let digits = c.trim_end_matches('%');
        !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && digits.as_bytes()[0].is_ascii_digit()
    };
    // The unit regex is compiled and run only for a line of cells with a number among them.
    let numbers = cells
        .iter()
        .filter(|c| is_number(&text[(*c).clone()]))
        .count();
    if cells.len() < 3 || numbers == 0 {
        return Vec::new();
    }
    let Some(unit) = cells
        .iter()
        .position(|c| UNIT_CELL.is_match(&text[c.clone()]))
    else {
        return Vec::new();
    };
    cells[unit + 1..]
        .iter()
        .filter(|c| is_number(&text[(*c).clone()]))
        .cloned()
        .collect()
}

/// The figures and the placeholders for figures in a text, as byte ranges.
pub(crate) fn figures_in(text: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    // A four-digit number before 年 is a year and never matches, and a date's day (15日) has no
    // measure word, so what matches is a figure.
    let mut figures = after_boundary(&FIGURE, text, before_figure);
    figures.extend(after_boundary(&CHINESE_FIGURE, text, before_chinese_figure));
    figures.extend(PERCENT_WORDS.find_iter(text).map(|m| m.range()));
    figures.extend(table_row_figures(text));
    figures.sort_by_key(|r| r.start);
    figures.dedup_by(|b, a| b.start < a.end);
    let placeholders = PLACEHOLDER_FIGURE
        .find_iter(text)
        .map(|m| m.range())
        .collect();
    (figures, placeholders)
}

pub(super) fn figures_verdict(
    report: &Report,
    pack: &Pack,
    parts: &Parts,
    f: &FiguresCheck,
) -> Verdict {
    let blocks = match scope_or_missing(report, pack, parts, &f.scope, f.if_missing) {
        Ok(b) => b,
        Err(v) => return v,
    };
    let mut figures = Vec::new();
    let mut placeholders = Vec::new();
    for &b in &blocks {
        let text = &report.blocks[b].folded.text;
        let from = text_from(report, parts, &f.scope, b).min(text.len());
        let (fs, ps) = figures_in(&text[from..]);
        let shift = |r: Range<usize>| (b, r.start + from..r.end + from);
        figures.extend(fs.into_iter().map(shift));
        placeholders.extend(ps.into_iter().map(shift));
    }
    let where_ = format!(
        "{} ({})",
        scope_label(pack, &f.scope),
        lines_label(report, &blocks)
    );
    let n = figures.len();
    parts.figures.borrow_mut().push((f.scope.clone(), n));
    if n >= f.min_figures {
        let ev = quotes(report, &figures, MAX_EVIDENCE);
        return (
            Status::Pass,
            format!("{n} figure{} in {where_}", super::plural(n)),
            ev,
        );
    }
    let mut message = format!(
        "looked in {where_}: {n} figure{} (counts, rates, amounts; at least {} expected)",
        super::plural(n),
        f.min_figures
    );
    if !placeholders.is_empty() {
        let p = placeholders.len();
        message.push_str(&format!(
            "; {p} placeholder{} where a figure belongs, not counted",
            super::plural(p)
        ));
    }
    placeholders.extend(figures);
    let ev = quotes(report, &placeholders, MAX_GAP_EVIDENCE);
    (Status::Gap, message, ev)
}

// ---------------------------------------------------------------------------------------------
// year-consistency

/// A sentence that opens with a year as its time: 2021年，我县…; 一是2021年，…
static LEAD_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?:[一二三四五六七八九十]{1,3}是|\(?[一二三四五六七八九十0-9０-９]{1,3}[)、.])?\s*(?:在)?([0-9０-９]{4}|[一二三四五六七八九〇零○]{4})\s*年度?\s*(?:[,:]|里|中|内|全年|以内)",
    )
});
/// The opening's announcement of the year reported on: 现将2023年法治政府建设情况报告如下.
static REPORTED_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"([0-9０-９]{4}|[一二三四五六七八九〇零○]{4})\s*年度?[^。;]{0,30}(?:报告如下|汇报如下|报告如下:|总结如下)",
    )
});
/// What every [`REPORTED_YEAR`] match holds, at or near its end.
static ANNOUNCED: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("如下"));

/// The year of the first [`REPORTED_YEAR`] match in a text (its first group) that `counts`, as
/// that regex finds it in the whole text. No part of a match holds `。` or `;`, and every match
/// holds 如下: so only the stretches between those marks that hold a 如下 are searched. The regex
/// opens with a class, so searched whole it ran its automaton over every byte of the opening
/// paragraph. A year that does not count (in 《纲要（2021—2025年）》，现将2021年度…报告如下, the
/// range's 2025) is passed over for the next one.
fn announced_year(text: &str, counts: impl Fn(&Range<usize>) -> bool) -> Option<Range<usize>> {
    let mut searched = 0;
    for at in ANNOUNCED.find_iter(text.as_bytes()) {
        if at < searched {
            continue;
        }
        let start = text[..at].rfind(['。', ';']).map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
        let end = text[at..].find(['。', ';']).map_or(text.len(), |i| at + i);
        searched = end;
        let mut from = start;
        while let Some(g) = REPORTED_YEAR
            .captures(&text[from..end])
            .and_then(|c| c.get(1))
        {
            let year = from + g.start()..from + g.end();
            if counts(&year) {
                return Some(year);
            }
            from = year.end;
        }
    }
    None
}
/// A plan's year where a plan states it: at the head of a heading or sentence (三、2024年工作安排;
/// 2024年,我们将), not in passing (巩固2023年创建成果).
static PLAN_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^\s*(?:[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十]{1,3}\)|第[一二三四五六七八九十]{1,3}部分[、.:]?)?\s*(?:关于)?",
        r"([0-9０-９]{4}|[一二三四五六七八九〇零○]{4})\s*年度?",
        r"(?:[^。;,]{0,12}(?:工作)?(?:安排|计划|打算|思路|要点|重点工作)|\s*,?\s*(?:我们|我[县市区镇乡局]|全[县市区]|(?:我|本)?(?:街道|管委会|开发区|园区|高新区|单位))?将)"
    ))
});
/// A year that opens a span of years: 2019年以来, 2021年至2023年.
static SPAN_START: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*年度?\s*(?:以来|以前|之前|至|到|起)"));
/// A sentence that sets years against each other; its years are comparisons, not leads.
static COMPARISON: LazyLock<Regex> = LazyLock::new(|| {
    re(r"同比|环比|较|相比|比上年|增长|下降|减少|增加|提高|上升|分别|以来|以前|之前")
});

fn year_value(s: &str) -> Option<i32> {
    years_in(&format!("{s}年")).first().map(|(y, _)| *y)
}

/// A township-level unit: 镇, 乡, 街道 (the name as read, or the title before 关于).
static TOWNSHIP: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:镇|乡|街道|街道办事处|镇人民政府|乡人民政府|苏木|民族乡)(?:党委|人民政府|政府)?$")
});
/// A unit making rules: 制定/出台/颁布 … 规章 or 地方性法规.
static MAKES_RULES: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:制定|出台|颁布|发布)(?:了)?[^。;,]{0,8}?(政府规章|规章|地方性法规)"));
/// Sentences where the rules are someone else's: a township takes part, learns, applies.
static NOT_ITS_OWN_RULES: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"征求意见|意见建议|配合|参与|协助|上级|省|市|县|宣传|学习|贯彻|落实|执行|备案|解读|培训|国家|新出台|新颁布",
    )
});

/// A township claiming powers it does not have: only the State Council's departments and the
/// governments of provinces and of cities with districts make 规章, only people's congresses
/// make 地方性法规.
fn level_claims(report: &Report) -> Vec<(Evidence, String)> {
    let name = report.meta.unit.as_deref().or(report.meta.title.as_deref());
    let Some(name) = name.map(|n| n.split("关于").next().unwrap_or(n).trim()) else {
        return Vec::new();
    };
    if !TOWNSHIP.is_match(name) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for b in report.body() {
        let block = &report.blocks[b];
        let text = &block.folded.text;
        // A sentence's match is one of its block's (the pattern has no anchors): a block
        // without one is passed over with one search instead of one per sentence.
        if !MAKES_RULES.is_match(text) {
            continue;
        }
        for s in block.sentences().iter().cloned() {
            let sentence = &text[s.clone()];
            let Some(m) = MAKES_RULES.captures(sentence).and_then(|c| c.get(1)) else {
                continue;
            };
            // 规章制度 are a unit's internal rules, which any unit makes.
            if sentence[m.end()..].starts_with("制度") || NOT_ITS_OWN_RULES.is_match(sentence) {
                continue;
            }
            let at = s.start + m.start()..s.start + m.end();
            out.push((
                evidence(report, b, at),
                format!(
                    "line {}: a township-level unit ({name}) claims to make {}",
                    block.line,
                    m.as_str()
                ),
            ));
        }
    }
    out
}

pub(super) fn year_consistency_verdict(
    report: &Report,
    parts: &Parts,
    y: &YearConsistencyCheck,
) -> Verdict {
    let mut problems: Vec<(Evidence, String)> = level_claims(report);
    let Some(year) = report.meta.year else {
        if !problems.is_empty() {
            let whys: Vec<String> = problems.iter().take(3).map(|(_, w)| w.clone()).collect();
            return (
                Status::Gap,
                whys.join("; "),
                problems.into_iter().map(|(e, _)| e).collect(),
            );
        }
        return (
            Status::Skip,
            "the report year is not known".into(),
            Vec::new(),
        );
    };
    let mut checked: Vec<String> = Vec::new();
    // What fits, as the evidence of a pass.
    let mut fits: Vec<Evidence> = Vec::new();

    // The opening announces the year it reports on.
    let head: Vec<usize> = report.opening().into_iter().take(6).collect();
    if let Some((b, m, said)) = head.iter().find_map(|&b| {
        let text = &report.blocks[b].folded.text;
        // A year in a cited document (《关于报送2022年度…的通知》) or a span is not the one reported on.
        let years = std::cell::OnceCell::new();
        let g = announced_year(text, |g| {
            !SPAN_START.is_match(&text[g.end..])
                && years
                    .get_or_init(|| years_in(text))
                    .iter()
                    .any(|(_, r)| r.start == g.start)
        })?;
        Some((b, g.clone(), year_value(&text[g])?))
    }) {
        checked.push("the opening".into());
        if said == year {
            fits.push(evidence(report, b, m.clone()));
        }
        if said != year {
            problems.push((
                evidence(report, b, m),
                format!(
                    "the opening reports on {said} at line {}, the report is on {year}",
                    report.blocks[b].line
                ),
            ));
        }
    }

    // The results part's sentences lead with the report year, not an earlier one.
    if let Some(p) = y.results.and_then(|p| parts.found[p].as_ref()) {
        let mut leads: Vec<(usize, Range<usize>, i32, bool)> = Vec::new();
        for &b in &p.blocks {
            let block = &report.blocks[b];
            let text = &block.folded.text;
            // Read only when a sentence leads with another year.
            let names_report_year = std::cell::OnceCell::new();
            for s in block.sentences().iter().cloned() {
                let sentence = &text[s.clone()];
                // Most sentences have no 年 at all: no need to ask the regex.
                if !sentence.contains('年') {
                    continue;
                }
                let Some(c) = LEAD_YEAR.captures(sentence) else {
                    continue;
                };
                let Some(g) = c.get(1) else { continue };
                let Some(v) = year_value(g.as_str()) else {
                    continue;
                };
                // Set against another year (2021年受理…,2023年增长…) it is a comparison.
                let compared = v != year
                    && *names_report_year
                        .get_or_init(|| years_in(text).iter().any(|(v, _)| *v == year))
                    || COMPARISON.is_match(sentence);
                leads.push((b, s.start + g.start()..s.start + g.end(), v, compared));
            }
        }
        // Its heading names the report year, if it names one (一、2022年主要举措和成效 in a
        // report on 2023 is last year's heading).
        if let super::FoundBy::Heading(h) = p.how
            && let Some(heading) = report.blocks[h].heading()
            && let Some((v, r)) = years_in(&heading.title).into_iter().next()
            && v != year
        {
            let text = &report.blocks[h].folded.text;
            if let Some(at) = text.find(&heading.title).map(|i| i + r.start..i + r.end)
                && !SPAN_START.is_match(&text[at.end..])
            {
                problems.push((
                    evidence(report, h, at),
                    format!(
                        "the results heading at line {} names {v}, the report is on {year}",
                        report.blocks[h].line
                    ),
                ));
            }
        }
        checked.push(match leads.len() {
            0 => "the results part".to_string(),
            n => format!(
                "the results part ({n} sentence{} leading with a year)",
                super::plural(n)
            ),
        });
        let own = leads.iter().filter(|l| l.2 == year).count();
        if let Some((b, r, _, _)) = leads.iter().find(|l| l.2 == year) {
            fits.push(evidence(report, *b, r.clone()));
        }
        let earlier: Vec<&(usize, Range<usize>, i32, bool)> =
            leads.iter().filter(|l| l.2 < year && !l.3).collect();
        // The part's first sentence is its lead; a single history note further on (2021年，我县
        // 被命名为示范县) is background, but several earlier years and none of the report year
        // are another year's results.
        let head = p.blocks.iter().find(|&&b| {
            let block = &report.blocks[b];
            block
                .heading()
                .is_none_or(|h| h.body_start < block.folded.text.len())
        });
        let mut seen: Vec<String> = Vec::new();
        for (b, r, v, _) in &earlier {
            let leads_the_part = Some(b) == head.as_ref().map(|h| *h)
                && report.blocks[*b]
                    .sentences()
                    .first()
                    .is_some_and(|s| s.contains(&r.start));
            if leads_the_part || own == 0 && earlier.len() >= 2 {
                let why = format!(
                    "line {} leads results with {v}, the report is on {year}",
                    report.blocks[*b].line
                );
                if !seen.contains(&why) {
                    seen.push(why.clone());
                }
                problems.push((evidence(report, *b, r.clone()), why));
            }
        }
    }

    // The plan is for a year after the report year.
    if let Some(p) = y.plan.and_then(|p| parts.found[p].as_ref()) {
        checked.push("the plan".into());
        for &b in p.blocks.iter().take(3) {
            let block = &report.blocks[b];
            let text = &block.folded.text;
            // A heading is read by its title (a Markdown `##` or a number before it is not the
            // plan's words), then the sentences of its body.
            let mut heads: Vec<Range<usize>> = Vec::new();
            let mut body_from = 0;
            if let Some(h) = block.heading() {
                if let Some(at) = text.find(&h.title) {
                    heads.push(at..at + h.title.len());
                }
                body_from = h.body_start.min(text.len());
            }
            heads.extend(
                block
                    .sentences()
                    .iter()
                    .filter(|s| s.start >= body_from)
                    .cloned(),
            );
            for sentence in heads {
                let Some(g) = PLAN_YEAR
                    .captures(&text[sentence.clone()])
                    .and_then(|c| c.get(1))
                else {
                    continue;
                };
                let at = sentence.start + g.start()..sentence.start + g.end();
                let Some(v) = year_value(g.as_str()) else {
                    continue;
                };
                if SPAN_START.is_match(&text[at.end..]) {
                    continue;
                }
                if v > year {
                    fits.push(evidence(report, b, at));
                } else {
                    problems.push((
                        evidence(report, b, at),
                        format!(
                            "the plan at line {} is for {v}, not after the report year {year}",
                            block.line
                        ),
                    ));
                }
            }
        }
    }

    if problems.is_empty() {
        // Nothing named a year to hold against the report's: no verdict.
        if fits.is_empty() {
            let looked = if checked.is_empty() {
                "no opening announcement, results part or plan".to_string()
            } else {
                checked.join(", ")
            };
            return (
                Status::Skip,
                format!("no year to check against {year} (looked at {looked})"),
                Vec::new(),
            );
        }
        fits.dedup();
        fits.truncate(MAX_EVIDENCE);
        return (
            Status::Pass,
            format!(
                "the years fit a report on {year} (checked {})",
                checked.join(", ")
            ),
            fits,
        );
    }
    let n = problems.len();
    problems.truncate(MAX_GAP_EVIDENCE);
    let mut whys: Vec<String> = Vec::new();
    for (_, w) in &problems {
        if !whys.contains(w) {
            whys.push(w.clone());
        }
    }
    let more = whys.len() > 3;
    whys.truncate(3);
    (
        Status::Gap,
        format!(
            "{n} problem{} with the timeline or the unit's level: {}{}",
            super::plural(n),
            whys.join("; "),
            if more { "; …" } else { "" }
        ),
        problems.into_iter().map(|(e, _)| e).collect(),
    )
}

/// Compile the signal checks' regexes that nearly every report uses, in the order the audit
/// first needs them ([`crate::warm_up`]). Those only some reports need (`COMPARISON`,
/// `MAKES_RULES`, `SELF_REFERENCE`, `ABOUT_OTHERS`, `BASIS_VERB`, `NOT_ITS_OWN_RULES`:
/// comparisons, rule-making, other places) are compiled when first used.
pub(crate) fn warm() {
    for re in [
        &ITEM_MARKER,
        &STOCK,
        &CAUSE,
        &FIGURE,
        &CHINESE_FIGURE,
        &PERCENT_WORDS,
        &PLACEHOLDER_FIGURE,
        &TOWNSHIP,
        &LEAD_YEAR,
        &REPORTED_YEAR,
        &PLAN_YEAR,
        &SPAN_START,
    ] {
        LazyLock::force(re);
    }
    LazyLock::force(&GENERIC);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_announced_year_is_the_first_group_of_the_regex_over_the_whole_text() {
        let whole = |t: &str| {
            REPORTED_YEAR
                .captures(t)
                .and_then(|c| c.get(1))
                .map(|g| g.range())
        };
        // Random texts of the regex's pieces and of what cuts a match, with xorshift.
        let pieces = [
            "2023",
            "二〇二三",
            "年",
            "度",
            " ",
            "工作",
            "报告如下",
            "汇报如下",
            "总结如下",
            "如下",
            ":",
            "。",
            ";",
            "现将",
            "x",
            "1",
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut texts: Vec<String> = Vec::new();
        for _ in 0..20_000 {
            let mut t = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            for k in 0..(state % 12) {
                t.push_str(pieces[((state >> (4 * k + 8)) % pieces.len() as u64) as usize]);
            }
            texts.push(t);
        }
        texts.push(format!(
            "{}。现将2023年度法治政府建设情况报告如下:",
            "前文".repeat(40)
        ));
        texts.push(format!("2022年如下;2023年{}报告如下", "很".repeat(31)));
        crate::normalize::assert_same_as_before(
            &texts.iter().map(String::as_str).collect::<Vec<_>>(),
            |t| announced_year(t, |_| true),
            whole,
        );
    }

    #[test]
    fn every_cause_match_ends_with_one_of_the_cause_words() {
        use regex_syntax::hir::literal::{ExtractKind, Extractor};
        let hir = regex_syntax::Parser::new()
            .parse(CAUSE.as_str())
            .expect("CAUSE parses");
        let suffixes = Extractor::new().kind(ExtractKind::Suffix).extract(&hir);
        let mut words: Vec<&[u8]> = suffixes
            .literals()
            .expect("a finite set of suffixes")
            .iter()
            .map(|l| l.as_bytes())
            .collect();
        words.sort_unstable();
        words.dedup();
        let mut expected: Vec<&[u8]> = CAUSE_WORDS.iter().map(|w| w.as_bytes()).collect();
        expected.sort_unstable();
        assert_eq!(
            words, expected,
            "CAUSE_WORDS must be the words CAUSE ends with"
        );
        for s in [
            "究其原因,主要是",
            "一是根源在于",
            "之所以如此",
            "执法力量薄弱",
            "原因",
        ] {
            assert_eq!(is_cause(s), CAUSE.is_match(s), "{s}");
        }
    }

    /// The figures as the single regexes with a leading class found them, before
    /// [`after_boundary`]: the two must agree.
    fn figures_by_regex(text: &str) -> Vec<Range<usize>> {
        static ARABIC: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"(?:^|[^\d.,第])(\d+(?:[.,]\d+)*)\s*(?:余|多)?\s*(?:[%‰]|成(?:以上)?[^立为功果绩效本熟员]|{MEASURE})"
            ))
        });
        static CHINESE: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"(?:^|[^第一二三四五六七八九十百千万两零〇])([一二三四五六七八九两]?[十百千万][一二三四五六七八九十百千万两]*)\s*(?:余|多)?\s*(?:人次|件|次|人|名|场|家|户|起|宗|份|篇|期|批)",
            )
        });
        let mut found = Vec::new();
        for (re, numerals) in [
            (&*ARABIC, "0123456789"),
            (&*CHINESE, "一二三四五六七八九十百千万两"),
        ] {
            for m in re.find_iter(text) {
                if let Some(at) = m.as_str().find(|c| numerals.contains(c)) {
                    found.push(m.start() + at..m.end());
                }
            }
        }
        found
    }

    #[test]
    fn generic_words_are_found_as_the_regex_found_them() {
        let regex = re(concat!(
            r"法治政府建设|法治建设|依法行政|依法治[县市区省镇乡]|",
            r"法治思维|法治方式|法治宣传|普法宣传|宣传教育|领导干部|解决问题|法治|思维|方式|方法|手段|运用|",
            r"宣传|普法|形式|内容|丰富|单一|针对性|实效性|有效性|主动性|积极性|自觉性|创新性|系统性|",
            r"思想|观念|认识到|认识|重视|程度|效果|干部|问题|工作|能力|水平|意识|机制|体制|制度|力度|质量|成效|",
            r"方面|领域|环节|一些|部分|个别|少数|我[县市区镇乡局委州省]|本[县市区镇乡局委单位]|全[县市区镇乡]|",
            r"主要|表现[在为]?|虽然|取得|一定|成绩|但是?|同时|也要|看到|清醒|如下|以下|几个|几点|",
            r"还|仍|尚|也|的|了|和|与|及|等|在|上|中|对|是|有|较|方面|仍然|依然|存在|[一二三四五六七八九十]是"
        ));
        crate::normalize::assert_same_as_before(
            &[
                "法治政府建设工作仍然存在表现在本单位,但是也要看到",
                "表现为十是依法治县",
                "",
            ],
            |t| GENERIC.find_iter(t).map(|m| m.range()).collect::<Vec<_>>(),
            |t| regex.find_iter(t).map(|m| m.range()).collect::<Vec<_>>(),
        );
        crate::normalize::assert_same_as_before(
            &["法治思维和法治方式运用能力", ""],
            |t| {
                GENERIC_DFA
                    .find_iter(t)
                    .map(|m| m.range())
                    .collect::<Vec<_>>()
            },
            |t| GENERIC.find_iter(t).map(|m| m.range()).collect::<Vec<_>>(),
        );
    }

    #[test]
    fn cited_documents_are_found_as_the_regex_found_them() {
        let regex = re(r"《([^》]{2,120})》");
        let long = format!("《{}》《规划》", "长".repeat(121));
        let longest = format!("《{}》", "长".repeat(120));
        crate::normalize::assert_same_as_before(
            &[
                "依据《某省法治政府建设实施方案》和《纲要》",
                "《》《a》《ab》",
                "《外《内文件》",
                "《未闭合",
                "》《规划》》",
                &long,
                &longest,
                "",
            ],
            cited,
            |t| {
                regex
                    .captures_iter(t)
                    .map(|c| (c.get(0).unwrap().range(), c.get(1).unwrap().range()))
                    .collect::<Vec<_>>()
            },
        );
        assert_eq!(without_cited("按照《某规划》要求,《x》"), "按照要求,《x》");
    }

    #[test]
    fn figures_are_found_as_the_regexes_with_a_leading_class_found_them() {
        let ours = |text: &str| {
            let mut found = after_boundary(&FIGURE, text, before_figure);
            found.extend(after_boundary(&CHINESE_FIGURE, text, before_chinese_figure));
            found
        };
        crate::normalize::assert_same_as_before(
            &[
                "5件3件4件",
                "第5成3件",
                "第12件,12件",
                "1.5万元、3,200人次、98.5%",
                "二十三次,第二十件,两百余人,十件十件",
                "5成以上",
                "",
                "共受理 件",
            ],
            ours,
            figures_by_regex,
        );
    }

    #[test]
    fn figures_are_counts_rates_and_amounts_not_years_dates_or_numbers() {
        let count = |t: &str| figures_in(t).0.len();
        assert_eq!(count("审查文件23件,出庭应诉率100%,投入经费1.5万元。"), 3);
        assert_eq!(count("受理案件十件,培训二十三次,两百余人参加。"), 3);
        assert_eq!(count("2023年3月15日印发〔2023〕12号文件,第3次会议。"), 0);
        assert_eq!(count("一是加强领导;1.完善制度;三项制度;一个中心。"), 0);
        assert_eq!(count("共受理XX件,办结率××%。"), 0);
        assert_eq!(figures_in("共受理XX件,办结率××%。").1.len(), 2);
        assert_eq!(count("调解成功率百分之九十八。"), 1);
        assert_eq!(count("召开第二十次全体会议,第12次常务会议。"), 0);
        assert_eq!(count("共受理2023件。"), 1);
        // A table row with its unit in a cell of its own (tabs fold to spaces).
        assert_eq!(count("矛盾纠纷排查化解 件 3412 3876"), 2);
        assert_eq!(count("行政复议纠错率 % 12.5 9.8"), 2);
        assert_eq!(count("项目 单位 2022年 2023年"), 0);
        assert_eq!(count("第3次会议 2023 12"), 0);
    }

    #[test]
    fn stock_sentences_are_told_from_concrete_ones() {
        let r = |t: &str| read_sentence(t, &[]);
        assert_eq!(r("一是依法行政意识有待进一步提高"), Reading::Stock);
        assert_eq!(r("法治政府建设工作还存在一些不足"), Reading::Stock);
        assert_eq!(r("与上级要求相比还有差距"), Reading::Stock);
        assert_eq!(r("基层执法人员仅30名,难以覆盖12个乡镇"), Reading::Concrete);
        assert_eq!(r("主要表现在以下几个方面:"), Reading::Filler);
        // Ways of working, publicity and the -性 virtues say what is short, not where.
        assert_eq!(
            r("运用法治思维和法治方式解决问题的能力还需进一步提高"),
            Reading::Stock
        );
        assert_eq!(r("普法宣传的形式还不够丰富"), Reading::Stock);
        assert_eq!(r("宣传的针对性和实效性有待进一步加强"), Reading::Stock);
        assert_eq!(r("普法宣传形式单一,农村地区覆盖面不广"), Reading::Concrete);
    }

    /// The verdict of one of the 2021 pack's rules on a small report.
    fn verdict(text: &str, rule: &str) -> crate::eval::Finding {
        let pack = Pack::load("2021").unwrap();
        crate::eval::audit(&Report::parse(text), &pack)
            .into_iter()
            .find(|f| f.rule == rule)
            .unwrap()
    }

    fn jurisdiction(unit: &str, sentence: &str) -> Status {
        let text = format!(
            "{unit}关于2023年度法治政府建设情况的报告\n一、主要举措和成效\n{sentence}\n二、2024年工作安排\n继续推进。"
        );
        verdict(&text, "other-jurisdiction").status
    }

    #[test]
    fn other_places_claimed_as_own_are_told_from_places_named_in_passing() {
        let county = "湖南省云山县人民政府";
        let gap = |s: &str| assert_eq!(jurisdiction(county, s), Status::Gap, "{s}");
        let pass = |s: &str| assert_eq!(jurisdiction(county, s), Status::Pass, "{s}");
        gap("我县深入学习贯彻《湖北省法治政府建设实施方案》。");
        gap("依据《法治湖北建设规划(2021-2025年)》制定年度要点。");
        gap("认真落实《中共湖北省委 湖北省人民政府关于加强法治建设的意见》。");
        gap("我县被确定为湖北省法治政府建设示范创建单位。");
        pass("我县被确定为湖南省法治政府建设示范创建单位。");
        pass("我县与湖北省通城县签订执法协作协议。");
        pass("组织执法骨干赴浙江省杭州市学习考察。");
        pass("学习借鉴《浙江省行政执法规定》的经验做法。");
        pass("参照《浙江省行政执法规定》完善本县制度。");
        pass("对口支援西藏自治区的受援县。");
        pass("我县代表队参加湖北省举办的法治知识竞赛。");
        pass("我县为湖北籍务工人员提供法律援助。");
        pass("认真贯彻落实《法治政府建设实施纲要(2021-2025年)》。");
        // A county whose prefecture is not known: another prefecture of its province is no verdict.
        pass("根据《长沙市重大行政决策程序规定》,规范决策程序。");
        // A prefecture-level unit: another prefecture's programme as its basis is flagged.
        let city = "湖南省株洲市人民政府";
        assert_eq!(
            jurisdiction(city, "根据《长沙市重大行政决策程序规定》,规范决策程序。"),
            Status::Gap
        );
        assert_eq!(
            jurisdiction(city, "根据《株洲市重大行政决策程序规定》,规范决策程序。"),
            Status::Pass
        );
        assert_eq!(
            jurisdiction("云山县人民政府", "根据《湖北省方案》。"),
            Status::Skip
        );
    }

    #[test]
    fn shortcomings_in_one_sentence_count_clause_by_clause() {
        let text = "云山县关于2023年度法治政府建设情况的报告\n一、主要举措和成效\n审查文件23件。\n\
            二、存在的问题\n虽然取得了一定成效,但仍存在一些问题:乡镇执法人员严重不足,执法装备老化落后。\n\
            三、2024年工作安排\n继续推进。";
        let f = verdict(text, "shortcomings-substance");
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert!(
            f.message.starts_with("2 concrete problems"),
            "{}",
            f.message
        );
    }

    #[test]
    fn a_history_note_in_the_results_is_background_but_a_wrong_opening_year_is_not() {
        let report = |opening: &str, results: &str| {
            format!(
                "云山县人民政府关于2023年度法治政府建设情况的报告\n{opening}\n一、主要举措和成效\n\
                 全年审查文件23件。{results}\n二、2024年工作安排\n继续推进。"
            )
        };
        let status = |t: &str| verdict(t, "year-consistency").status;
        assert_eq!(
            status(&report(
                "现将2023年度工作报告如下。",
                "2021年,我县被命名为示范县。"
            )),
            Status::Pass
        );
        assert_eq!(
            status(&report("现将2022年度工作报告如下。", "")),
            Status::Gap
        );
        assert_ne!(
            status(&report("按照《关于报送2022年度报告的通知》,报告如下。", "")),
            Status::Gap
        );
        assert_eq!(
            status(&report("现将2019年以来的工作报告如下。", "")),
            Status::Pass
        );
        // A range in a cited programme before the announced year does not hide it.
        let cited = "认真落实《法治政府建设实施纲要(2021—2025年)》,现将2022年度工作报告如下。";
        assert_eq!(status(&report(cited, "")), Status::Gap);
        assert_eq!(
            status(&report(&cited.replace("2022年度", "2023年度"), "")),
            Status::Pass
        );
        let plan = "云山县人民政府关于2023年度法治政府建设情况的报告\n一、主要举措和成效\n全年审查文件23件。\n\
            二、下一步工作安排\n巩固2023年工作要点落实成果,2024年,我们将继续推进。";
        // 2023 in passing is no plan year; 2024 in mid-sentence is not read either: no verdict.
        assert_eq!(status(plan), Status::Skip);
        // The unit as the subject: 2023年,管委会将… is a plan for the report year.
        let plan = "云山经济开发区管委会2023年度法治政府建设情况报告\n一、主要举措和成效\n全年审查文件23件。\n\
            二、下一步工作打算\n2023年,管委会将重点做好三项工作。";
        assert_eq!(status(plan), Status::Gap);
    }

    #[test]
    fn problems_under_a_sub_heading_count_and_causes_under_theirs_do_not() {
        let text = "云山县关于2023年度法治政府建设情况的报告\n一、主要举措和成效\n审查文件23件。\n\
            二、存在的问题和原因\n(一)存在的问题。一是乡镇执法人员严重不足;二是合法性审查覆盖不到村级。\n\
            (二)原因分析\n一是思想认识有待进一步提高;二是工作机制还不够完善。\n\
            三、2024年工作安排\n继续推进。";
        let f = verdict(text, "shortcomings-substance");
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert!(
            f.message.starts_with("2 concrete problems"),
            "{}",
            f.message
        );
        assert!(f.message.contains("0 of 2 sentences"), "{}", f.message);
        // A shallow analysis of causes is a problem, not a cause.
        let shallow = "云山县关于2023年度法治政府建设情况的报告\n一、主要举措和成效\n审查文件23件。\n\
            二、存在的问题\n一是乡镇执法人员严重不足;二是对复议纠错案件的原因剖析不深、整改跟踪不够。\n\
            三、2024年工作安排\n继续推进。";
        let f = verdict(shallow, "shortcomings-substance");
        assert!(
            f.message.starts_with("2 concrete problems"),
            "{}",
            f.message
        );
    }

    #[test]
    fn a_township_making_rules_is_flagged_but_not_its_internal_rules() {
        let report = |unit: &str, sentence: &str| {
            format!(
                "{unit}关于2023年度法治政府建设情况的报告\n一、主要举措和成效\n{sentence}\n二、2024年工作安排\n继续推进。"
            )
        };
        let status = |t: &str| verdict(t, "year-consistency").status;
        assert_eq!(
            status(&report("白石镇人民政府", "我镇制定出台政府规章2部。")),
            Status::Gap
        );
        assert_eq!(
            status(&report("白石镇人民政府", "我镇制定完善内部规章制度5项。")),
            Status::Pass
        );
        assert_eq!(
            status(&report("白石镇人民政府", "认真学习新出台的地方性法规。")),
            Status::Pass
        );
        assert_eq!(
            status(&report("白石市人民政府", "制定出台政府规章2部。")),
            Status::Pass
        );
    }

    #[test]
    fn a_cited_document_names_its_place() {
        let g = &*GAZETTEER;
        let name = |t: &str| document_place(t).map(|i| g.places[i].name.as_str());
        assert_eq!(
            name("湖北省法治政府建设实施方案(2021-2025年)"),
            Some("湖北省")
        );
        assert_eq!(name("中共湖北省委 湖北省人民政府关于…"), Some("湖北省"));
        assert_eq!(name("法治湖北建设规划"), Some("湖北省"));
        assert_eq!(name("武汉市重大行政决策程序规定"), Some("武汉市"));
        assert_eq!(name("法治政府建设实施纲要(2021-2025年)"), None);
    }
}
