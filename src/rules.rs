//! Rule packs: the TOML schema, its strict validation and its compilation into checks.
//!
//! A pack is data. Each `[[rule]]` names a check `kind` (see [`Check`]) and the keys that kind
//! takes; unknown keys, keys of another kind, patterns that do not compile, unknown fragments and
//! references to unknown parts are errors that name the file, the line and the rule.

use crate::diagnostic::{Diagnostic, PackError};
use regex::{Regex, RegexBuilder};
use regex_syntax::hir::{Hir, HirKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

/// Packs compiled into the binary, by name.
pub const BUNDLED: &[(&str, &str)] = &[
    ("2021", include_str!("../rules/2021.toml")),
    ("2019", include_str!("../rules/2019.toml")),
    (
        "province-example",
        include_str!("../rules/province-example.toml"),
    ),
];

/// How much a gap matters: `error` gaps fail the audit (exit code 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A verdict a rule can fall back to when what it looks at is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Gap,
    Skip,
    /// A gap a reviewer accepted, with a justification and an expiry date (see waivers).
    Waived,
}

impl Severity {
    /// The name used in pack files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl Status {
    /// The name used in pack files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Gap => "gap",
            Status::Skip => "skip",
            Status::Waived => "waived",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The unit within which the patterns of a `together` group must all appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Within {
    #[default]
    Sentence,
    Block,
    Scope,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackMeta {
    pub id: String,
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub basis: Vec<String>,
    #[serde(default)]
    pub description: String,
    /// Packs this one builds on: bundled names or paths relative to this file.
    #[serde(default)]
    pub extends: Vec<String>,
    /// Rules of the packs it extends that this pack leaves out.
    #[serde(default)]
    pub remove: Vec<String>,
    /// The report years the pack is written for (first, last), for choosing a pack by year.
    #[serde(default)]
    pub years: Option<(i32, i32)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    pack: PackMeta,
    #[serde(default)]
    fragments: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    rule: Vec<RawRule>,
    /// Changes to rules of the packs this one extends: any key given replaces the base's.
    #[serde(default, rename = "override")]
    overrides: Vec<RawRule>,
    /// Which source file each fragment came from.
    #[serde(skip)]
    fragment_src: BTreeMap<String, usize>,
}

/// A rule's example: a small report and the verdict the rule must give on it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    pub expect: Status,
    #[serde(default)]
    pub note: String,
}

type Patterns = Vec<Spanned<String>>;

/// A rule as written. The common keys are optional here because an `[[override]]` has the same
/// shape and gives only what it changes; a full rule missing one is an error.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRule {
    id: Spanned<String>,
    name: Option<String>,
    kind: Option<Spanned<String>>,
    severity: Option<Severity>,
    basis: Option<String>,
    help: Option<String>,
    #[serde(default)]
    example: Vec<Example>,
    /// Which source file the rule (or its last override) came from.
    #[serde(skip)]
    src: usize,
    // section
    #[serde(default)]
    headings: Patterns,
    #[serde(default)]
    fallback: Patterns,
    levels: Option<Vec<u8>>,
    otherwise: Option<Spanned<String>>,
    #[serde(default)]
    until: Patterns,
    #[serde(default)]
    continued_by: Patterns,
    min_chars: Option<usize>,
    min_items: Option<usize>,
    // content, year, publication
    scope: Option<Spanned<String>>,
    #[serde(default)]
    any: Patterns,
    #[serde(default)]
    together: Vec<Patterns>,
    within: Option<Within>,
    forbid: Option<bool>,
    in_headings: Option<bool>,
    #[serde(default)]
    ignore: Patterns,
    if_missing: Option<Status>,
    offset: Option<i32>,
    #[serde(default)]
    relative: Patterns,
    deadline: Option<Spanned<String>>,
    #[serde(default)]
    statement: Patterns,
    // order
    #[serde(default)]
    parts: Patterns,
    // jurisdiction
    #[serde(default)]
    about_others: Patterns,
    // substance
    max_stock_ratio: Option<f64>,
    #[serde(default)]
    stock: Patterns,
    // figures
    min_figures: Option<usize>,
    // year-consistency
    results: Option<Spanned<String>>,
    plan: Option<Spanned<String>>,
}

/// The kinds of check, and the keys each takes besides the common ones.
const KINDS: &[(&str, &[&str])] = &[
    (
        "section",
        &[
            "headings",
            "fallback",
            "levels",
            "otherwise",
            "until",
            "continued-by",
            "min-chars",
            "min-items",
            "scope",
        ],
    ),
    (
        "content",
        &[
            "scope",
            "any",
            "together",
            "within",
            "forbid",
            "in-headings",
            "ignore",
            "if-missing",
        ],
    ),
    ("year", &["scope", "offset", "relative", "if-missing"]),
    ("publication", &["deadline", "statement", "scope"]),
    ("order", &["parts"]),
    ("numbering", &[]),
    ("jurisdiction", &["scope", "about-others"]),
    (
        "substance",
        &[
            "scope",
            "min-items",
            "max-stock-ratio",
            "stock",
            "if-missing",
        ],
    ),
    ("figures", &["scope", "min-figures", "if-missing"]),
    ("year-consistency", &["results", "plan"]),
];

impl RawRule {
    /// Apply an override: every key it gives replaces this rule's.
    fn apply(&mut self, o: RawRule) {
        macro_rules! take {
            (opt: $($f:ident),*; list: $($l:ident),*) => {
                $(if o.$f.is_some() { self.$f = o.$f; })*
                $(if !o.$l.is_empty() { self.$l = o.$l; })*
            };
        }
        take!(opt: name, kind, severity, basis, help, levels, otherwise, min_chars, min_items, scope,
              within, forbid, in_headings, if_missing, offset, deadline, max_stock_ratio, min_figures, results, plan;
              list: example, headings, fallback, until, continued_by, any, together, ignore, relative, statement, parts,
                    about_others, stock);
        // Errors about the merged rule point at the override, in its own file.
        self.id = o.id;
        self.src = o.src;
    }

    /// The kind-specific keys this rule sets.
    fn keys_set(&self) -> Vec<&'static str> {
        let set = [
            ("headings", !self.headings.is_empty()),
            ("fallback", !self.fallback.is_empty()),
            ("levels", self.levels.is_some()),
            ("otherwise", self.otherwise.is_some()),
            ("until", !self.until.is_empty()),
            ("continued-by", !self.continued_by.is_empty()),
            ("min-chars", self.min_chars.is_some()),
            ("min-items", self.min_items.is_some()),
            ("scope", self.scope.is_some()),
            ("any", !self.any.is_empty()),
            ("together", !self.together.is_empty()),
            ("within", self.within.is_some()),
            ("forbid", self.forbid.is_some()),
            ("in-headings", self.in_headings.is_some()),
            ("ignore", !self.ignore.is_empty()),
            ("if-missing", self.if_missing.is_some()),
            ("offset", self.offset.is_some()),
            ("relative", !self.relative.is_empty()),
            ("deadline", self.deadline.is_some()),
            ("statement", !self.statement.is_empty()),
            ("parts", !self.parts.is_empty()),
            ("about-others", !self.about_others.is_empty()),
            ("max-stock-ratio", self.max_stock_ratio.is_some()),
            ("stock", !self.stock.is_empty()),
            ("min-figures", self.min_figures.is_some()),
            ("results", self.results.is_some()),
            ("plan", self.plan.is_some()),
        ];
        set.iter().filter(|(_, on)| *on).map(|(k, _)| *k).collect()
    }
}

/// Which blocks of a report a check looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Title and body (never web chrome).
    Whole,
    Title,
    /// Body blocks before the first heading.
    Opening,
    /// Everything but the title.
    Body,
    /// The part found by a section rule (index into the pack's rules).
    Part(usize),
    /// That part without its heading's own title (a heading promising causes is not an analysis).
    PartBody(usize),
    /// The whole report without these parts.
    Except(Vec<usize>),
}

#[derive(Debug, Clone)]
pub struct SectionCheck {
    pub headings: Vec<Regex>,
    pub fallback: LazyPatterns,
    /// Outline levels to look at, 1 being the top level the report uses.
    pub levels: Option<Vec<u8>>,
    /// Take the leading top-level parts as this part when neither heading nor fallback is found.
    pub leading_parts: bool,
    pub until: Vec<usize>,
    /// Headings of the part's level right after it that go on with it (三、问题产生的原因 after
    /// 二、存在的问题) when they name no other part.
    pub continued_by: Vec<Regex>,
    pub min_chars: usize,
    pub min_items: usize,
    pub scope: Scope,
}

/// Patterns that may be compiled on first use. A bundled pack's section `fallback` patterns are:
/// most reports name their parts by headings and never need them, and they cost about a tenth
/// of a single report's run to compile (bounded gaps such as `[^。]{0,40}`). So are its content
/// checks' `ignore` patterns, needed only where something matched. A bundled pack is held to
/// compiling by its tests; any other pack's patterns are compiled at load, where an error can
/// name the file and line.
#[derive(Debug, Clone)]
pub struct LazyPatterns {
    /// The patterns as written, fragments expanded.
    sources: Vec<String>,
    compiled: std::sync::OnceLock<Vec<Regex>>,
}

impl LazyPatterns {
    fn compiled(patterns: Vec<Regex>) -> LazyPatterns {
        LazyPatterns {
            sources: patterns.iter().map(|re| re.as_str().to_string()).collect(),
            compiled: std::sync::OnceLock::from(patterns),
        }
    }

    fn deferred(sources: Vec<String>) -> LazyPatterns {
        LazyPatterns {
            sources,
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// The compiled patterns, compiling them now if they were deferred.
    pub fn get(&self) -> &[Regex] {
        self.compiled.get_or_init(|| {
            self.sources
                .iter()
                .map(|p| build_pattern(p).expect("a bundled pack's patterns compile (tested)"))
                .collect()
        })
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct ContentCheck {
    pub scope: Scope,
    pub any: Vec<Regex>,
    pub together: Vec<Vec<Regex>>,
    pub within: Within,
    pub forbid: bool,
    /// Whether the titles of headings count. A heading announces a part (三、党政主要负责人履行
    /// 第一责任人职责情况); with `false`, only the text reports it, and a title alone is named in
    /// the gap's message.
    pub in_headings: bool,
    /// Spans that never count: a match that overlaps one (第一责任人 inside the title of a
    /// regulation studied at a training, 局长 in 局长办公会议) is not a match.
    pub ignore: LazyPatterns,
    pub if_missing: Status,
    /// One regex that matches wherever any of the patterns could, compiled on first use (see
    /// [`ContentCheck::prefilter`]).
    prefilter: std::sync::OnceLock<Option<Regex>>,
    /// Per pattern, a cheaper regex matching wherever it could (see [`ContentCheck::gates`]).
    gates: std::sync::OnceLock<Vec<Option<Regex>>>,
    /// For checks with `together` groups (see [`ContentCheck::group_filter`]).
    group_filter: std::sync::OnceLock<GroupFilter>,
}

/// What tells, block by block, whether a check with `together` groups can match there: the
/// prefilter of its `any` patterns alone, and for each pattern of each group a regex that
/// matches wherever the pattern could (its gate, or the pattern without look-arounds). A group
/// can only match in a block that each of its patterns' tests matches; one alternation of all
/// the patterns would pass a block where any one of them does (法治 is in most).
#[derive(Debug, Clone)]
pub struct GroupFilter {
    /// `None` when there are no `any` patterns; `Some(None)` when their prefilter could not be
    /// built (every block passes).
    pub any: Option<Option<Regex>>,
    pub tests: Vec<Vec<Regex>>,
}

impl ContentCheck {
    /// One regex that matches wherever any of the patterns could: a block it does not match is
    /// passed over without splitting it into sentences and trying each pattern on each. It costs
    /// about as much to compile as the patterns themselves, so it is built on first use.
    pub fn prefilter(&self) -> Option<&Regex> {
        self.prefilter
            .get_or_init(|| prefilter(self.any.iter().chain(self.together.iter().flatten())))
            .as_ref()
    }

    /// For each pattern, `any` first and then each `together` group's in order: a regex that
    /// matches wherever the pattern could, when the pattern's own search has no literal to start
    /// from and the gate has one (see `gate`). A block the gate does not match is not searched
    /// sentence by sentence for that pattern. Built on first use, like the prefilter.
    pub fn gates(&self) -> &[Option<Regex>] {
        self.gates.get_or_init(|| {
            self.any
                .iter()
                .chain(self.together.iter().flatten())
                .map(gate)
                .collect()
        })
    }

    /// The block tests of a check with `together` groups, built on first use (see
    /// [`GroupFilter`]).
    pub fn group_filter(&self) -> &GroupFilter {
        self.group_filter.get_or_init(|| {
            let gates = &self.gates()[self.any.len()..];
            let mut k = 0;
            let tests = self
                .together
                .iter()
                .map(|group| {
                    group
                        .iter()
                        .map(|re| {
                            let gate = gates[k].clone();
                            k += 1;
                            gate.or_else(|| look_free(re)).unwrap_or_else(|| re.clone())
                        })
                        .collect()
                })
                .collect();
            GroupFilter {
                any: (!self.any.is_empty()).then(|| prefilter(self.any.iter())),
                tests,
            }
        })
    }
}

/// A pattern without its look-around assertions, when it has any: it matches a whole block
/// wherever the pattern matches a sentence of it.
fn look_free(re: &Regex) -> Option<Regex> {
    let hir = regex_syntax::Parser::new().parse(re.as_str()).ok()?;
    if hir.properties().look_set().is_empty() {
        return None;
    }
    RegexBuilder::new(&without_looks(&hir, false).to_string())
        .size_limit(1 << 23)
        .build()
        .ok()
}

#[derive(Debug, Clone)]
pub struct YearCheck {
    pub scope: Scope,
    pub offset: i32,
    pub relative: Vec<Regex>,
    pub if_missing: Status,
}

#[derive(Debug, Clone)]
pub struct PublicationCheck {
    /// Month and day of the year after the report year.
    pub deadline: (u32, u32),
    pub statement: Vec<Regex>,
    pub scope: Scope,
    /// One regex that matches wherever a statement could, compiled on first use (see
    /// [`PublicationCheck::prefilter`]).
    prefilter: std::sync::OnceLock<Option<Regex>>,
}

impl PublicationCheck {
    /// One regex that matches wherever any statement pattern could, as for a content rule
    /// ([`ContentCheck::prefilter`]): a report without a publication date has every block of
    /// its scope searched, and a block it does not match is passed over after one search
    /// instead of one per pattern.
    pub fn prefilter(&self) -> Option<&Regex> {
        self.prefilter
            .get_or_init(|| prefilter(self.statement.iter()))
            .as_ref()
    }
}

/// Places named as the unit's own that are not its own (see [`crate::gazetteer`]).
#[derive(Debug, Clone)]
pub struct JurisdictionCheck {
    pub scope: Scope,
    /// Clauses about other places (对口支援, 赴…考察): a place named there is not claimed.
    pub about_others: Vec<Regex>,
}

/// A shortcomings part that names concrete problems rather than stock phrases.
#[derive(Debug, Clone)]
pub struct SubstanceCheck {
    pub scope: Scope,
    /// Concrete problems the part must list.
    pub min_items: usize,
    /// Largest share of the part's sentences that may be stock phrases only.
    pub max_stock_ratio: f64,
    /// Stock phrases (有待进一步加强); the built-in list when the pack gives none.
    pub stock: Vec<Regex>,
    pub if_missing: Status,
}

/// A part that carries figures: counts, rates, amounts.
#[derive(Debug, Clone)]
pub struct FiguresCheck {
    pub scope: Scope,
    pub min_figures: usize,
    pub if_missing: Status,
}

/// Years that fit the report's timeline.
#[derive(Debug, Clone)]
pub struct YearConsistencyCheck {
    /// The part on the year's results, whose leading years must be the report year.
    pub results: Option<usize>,
    /// The plan, which must not be for the report year or before.
    pub plan: Option<usize>,
}

#[derive(Debug, Clone)]
pub enum Check {
    /// A required part, found by its heading at any level, by a paragraph that introduces it, or
    /// as the leading parts of the report.
    Section(SectionCheck),
    /// Content that must (or, with `forbid`, must not) appear in a scope.
    Content(ContentCheck),
    /// The year a part names, relative to the report year.
    Year(YearCheck),
    /// Publication by a deadline, or a statement that the report is published.
    Publication(PublicationCheck),
    /// Parts appear in the listed order.
    Order(Vec<usize>),
    /// Headings are numbered in sequence at every level.
    Numbering,
    /// No other province's or prefecture's programme or name is presented as the unit's own.
    Jurisdiction(JurisdictionCheck),
    /// The shortcomings name concrete problems, not only stock phrases.
    Substance(SubstanceCheck),
    /// A part carries figures.
    Figures(FiguresCheck),
    /// Every year fits the report's timeline.
    YearConsistency(YearConsistencyCheck),
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub basis: String,
    pub help: String,
    /// Small reports with the verdict this rule must give on each.
    pub examples: Vec<Example>,
    pub check: Check,
}

#[derive(Debug, Clone)]
pub struct Pack {
    pub meta: PackMeta,
    pub rules: Vec<Rule>,
    /// Where the pack came from: a path, or `bundled:NAME`.
    pub origin: String,
    /// FNV-1a hash of the pack's text, so an audit can name exactly which pack it used.
    pub hash: String,
    /// Section rules in an order where every part a rule refers to comes first.
    pub section_order: Vec<usize>,
}

impl Pack {
    pub fn rule_index(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.id == id)
    }

    /// Load a pack named on the command line: a path to a TOML file, or the name of a bundled pack
    /// (`2021`, `2021.toml`).
    pub fn load(spec: &str) -> Result<Pack, PackError> {
        let path = std::path::Path::new(spec);
        if path.is_file() {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Diagnostic::whole(spec, format!("cannot read the rules file: {e}")))?;
            return Pack::parse(&text, spec);
        }
        let name = spec.strip_suffix(".toml").unwrap_or(spec);
        let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
        match BUNDLED.iter().find(|(n, _)| *n == name) {
            Some((n, text)) => Pack::compile_text(text, &format!("bundled:{n}"), true),
            None => {
                let names: Vec<&str> = BUNDLED.iter().map(|(n, _)| *n).collect();
                Err(
                    Diagnostic::whole(spec, "no such rules file, and no bundled pack of that name")
                        .with_help(format!(
                            "give a path to a .toml rule pack, or one of the bundled packs: {}",
                            names.join(", ")
                        ))
                        .into(),
                )
            }
        }
    }

    /// Parse, validate and compile a pack from its TOML text. `file` names it in errors and
    /// anchors the paths of the packs it extends.
    pub fn parse(text: &str, file: &str) -> Result<Pack, PackError> {
        Pack::compile_text(text, file, false)
    }

    /// [`Pack::parse`], with the section fallback patterns compiled on first use when
    /// `defer_patterns` (a bundled pack: see [`LazyPatterns`]).
    fn compile_text(text: &str, file: &str, defer_patterns: bool) -> Result<Pack, PackError> {
        let mut sources = Vec::new();
        let raw = load_raw(text, file, &mut sources, &mut Vec::new())?;
        Compiler {
            sources,
            current: 0,
            diagnostics: Vec::new(),
            compiled: Default::default(),
            defer_patterns,
        }
        .compile(raw)
    }
}

/// The text of a pack named in `extends`: a bundled name, or a path relative to the extending file.
fn resolve_base(spec: &str, from: &str) -> Result<(String, String), String> {
    let name = spec.strip_suffix(".toml").unwrap_or(spec);
    if let Some((n, text)) = BUNDLED.iter().find(|(n, _)| *n == name) {
        return Ok((format!("bundled:{n}"), text.to_string()));
    }
    let base_dir = std::path::Path::new(from)
        .parent()
        .filter(|_| !from.starts_with("bundled:"));
    let path = base_dir.map_or_else(|| std::path::PathBuf::from(spec), |d| d.join(spec));
    let text = std::fs::read_to_string(&path).map_err(|e| {
        let names: Vec<&str> = BUNDLED.iter().map(|(n, _)| *n).collect();
        format!(
            "cannot read `{}` ({e}); extends takes a path or a bundled pack ({})",
            path.display(),
            names.join(", ")
        )
    })?;
    Ok((path.display().to_string(), text))
}

/// Read a pack and the packs it extends, merged into one: the bases' rules in order, then the
/// removals, the overrides, and this pack's own rules.
fn load_raw(
    text: &str,
    file: &str,
    sources: &mut Vec<(String, String)>,
    stack: &mut Vec<String>,
) -> Result<RawPack, PackError> {
    let src = sources.len();
    sources.push((file.to_string(), text.to_string()));
    let mut raw: RawPack = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        Diagnostic::at(file, text, offset, e.message().trim().to_string())
            .with_help("see the rule-file reference in README.md for the keys each rule takes")
    })?;
    for r in raw.rule.iter_mut().chain(raw.overrides.iter_mut()) {
        r.src = src;
    }
    raw.fragment_src = raw.fragments.keys().map(|k| (k.clone(), src)).collect();
    let at = |offset: usize, message: String| Diagnostic::at(file, text, offset, message);
    if raw.pack.extends.is_empty() {
        if let Some(o) = raw.overrides.first() {
            return Err(at(o.id.span().start, "an [[override]] changes a rule of a pack this one extends: add `extends` to [pack]".into()).into());
        }
        return Ok(raw);
    }
    stack.push(file.to_string());
    let mut rules: Vec<RawRule> = Vec::new();
    let mut fragments = BTreeMap::new();
    let mut fragment_src = BTreeMap::new();
    for spec in raw.pack.extends.clone() {
        let (base_file, base_text) = resolve_base(&spec, file)
            .map_err(|e| Diagnostic::whole(file, format!("extends `{spec}`: {e}")))?;
        if stack.contains(&base_file) {
            let mut cycle = stack.clone();
            cycle.push(base_file);
            return Err(Diagnostic::whole(
                file,
                format!("packs extend each other in a cycle: {}", cycle.join(" → ")),
            )
            .into());
        }
        let base = load_raw(&base_text, &base_file, sources, stack)?;
        fragments.extend(base.fragments);
        fragment_src.extend(base.fragment_src);
        for r in base.rule {
            match rules.iter_mut().find(|x| x.id.get_ref() == r.id.get_ref()) {
                Some(x) => *x = r,
                None => rules.push(r),
            }
        }
    }
    stack.pop();
    let mut diagnostics = Vec::new();
    for id in &raw.pack.remove {
        let before = rules.len();
        rules.retain(|r| r.id.get_ref() != id);
        if rules.len() == before {
            let offset = text.find(&format!("\"{id}\"")).unwrap_or(0);
            diagnostics.push(at(
                offset,
                format!("remove: no rule `{id}` in the packs this one extends"),
            ));
        }
    }
    for o in std::mem::take(&mut raw.overrides) {
        match rules.iter_mut().find(|r| r.id.get_ref() == o.id.get_ref()) {
            Some(r) => r.apply(o),
            None => diagnostics.push(at(
                o.id.span().start,
                format!(
                    "override of unknown rule `{}`: the packs this one extends have no such rule",
                    o.id.get_ref()
                ),
            )),
        }
    }
    for r in std::mem::take(&mut raw.rule) {
        if rules.iter().any(|x| x.id.get_ref() == r.id.get_ref()) {
            diagnostics.push(at(
                r.id.span().start,
                format!(
                    "rule `{}` is already in a pack this one extends: change it with [[override]]",
                    r.id.get_ref()
                ),
            ));
        } else {
            rules.push(r);
        }
    }
    if !diagnostics.is_empty() {
        return Err(PackError { diagnostics });
    }
    fragments.extend(std::mem::take(&mut raw.fragments));
    fragment_src.extend(std::mem::take(&mut raw.fragment_src));
    raw.rule = rules;
    raw.fragments = fragments;
    raw.fragment_src = fragment_src;
    Ok(raw)
}

/// The `[pack]` table of a bundled pack, without compiling its rules.
pub fn bundled_meta(name: &str) -> Option<PackMeta> {
    #[derive(Deserialize)]
    struct Head {
        pack: PackMeta,
    }
    let (_, text) = BUNDLED.iter().find(|(n, _)| *n == name)?;
    toml::from_str::<Head>(text).ok().map(|h| h.pack)
}

fn fnv1a(text: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

struct Compiler {
    /// Every file read (name, text): the pack and the packs it extends.
    sources: Vec<(String, String)>,
    /// The source the rule or fragment being compiled came from.
    current: usize,
    diagnostics: Vec<Diagnostic>,
    /// Patterns compiled ahead on several threads ([`Compiler::precompile`]), by expanded text.
    compiled: std::collections::HashMap<String, Regex>,
    /// Whether section fallback patterns are compiled on first use (a bundled pack).
    defer_patterns: bool,
}

impl Compiler {
    fn error_at(&mut self, offset: usize, message: String) {
        let (file, text) = &self.sources[self.current];
        self.diagnostics
            .push(Diagnostic::at(file, text, offset, message));
    }

    fn compile(mut self, raw: RawPack) -> Result<Pack, PackError> {
        let fragments = self.expand_fragments(&raw.fragments, &raw.fragment_src);
        self.precompile(&raw.rule, &fragments);
        let ids: Vec<String> = raw.rule.iter().map(|r| r.id.get_ref().clone()).collect();
        for (i, r) in raw.rule.iter().enumerate() {
            self.current = r.src;
            if ids[..i].contains(r.id.get_ref()) {
                self.error_at(
                    r.id.span().start,
                    format!("duplicate rule id `{}`", r.id.get_ref()),
                );
            }
            if r.id.get_ref().is_empty()
                || !r
                    .id
                    .get_ref()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                self.error_at(
                    r.id.span().start,
                    "a rule id is made of ASCII letters, digits, `-` and `_`".into(),
                );
            }
        }
        let kinds: Vec<Option<&str>> = raw
            .rule
            .iter()
            .map(|r| {
                let kind = r.kind.as_ref()?;
                KINDS.iter().find(|k| k.0 == kind.get_ref()).map(|k| k.0)
            })
            .collect();
        let mut rules = Vec::new();
        for (i, r) in raw.rule.iter().enumerate() {
            self.current = r.src;
            let id = r.id.get_ref();
            let missing: Vec<&str> = [
                ("name", r.name.is_none()),
                ("kind", r.kind.is_none()),
                ("severity", r.severity.is_none()),
                ("basis", r.basis.is_none()),
                ("help", r.help.is_none()),
            ]
            .iter()
            .filter(|(_, m)| *m)
            .map(|(k, _)| *k)
            .collect();
            if !missing.is_empty() {
                let message = format!(
                    "rule `{id}`: missing key{} {}",
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", ")
                );
                self.error_at(r.id.span().start, message);
                continue;
            }
            let Some(kind) = kinds[i] else {
                let names: Vec<&str> = KINDS.iter().map(|k| k.0).collect();
                let k = r.kind.as_ref().map_or((0, String::new()), |k| {
                    (k.span().start, k.get_ref().clone())
                });
                self.error_at(
                    k.0,
                    format!(
                        "rule `{id}`: unknown kind `{}` (kinds: {})",
                        k.1,
                        names.join(", ")
                    ),
                );
                continue;
            };
            let allowed = KINDS.iter().find(|k| k.0 == kind).map_or(&[][..], |k| k.1);
            for key in r.keys_set() {
                if !allowed.contains(&key) {
                    self.error_at(
                        r.id.span().start,
                        format!("rule `{id}`: key `{key}` does not apply to kind `{kind}` (it takes: {})", allowed.join(", ")),
                    );
                }
            }
            let mut cx = RuleCx {
                c: &mut self,
                fragments: &fragments,
                ids: &ids,
                kinds: &kinds,
                rule: r,
            };
            if let Some(check) = cx.check(kind) {
                rules.push(Rule {
                    id: id.clone(),
                    name: r.name.clone().unwrap_or_default(),
                    severity: r.severity.unwrap_or(Severity::Error),
                    basis: r.basis.clone().unwrap_or_default(),
                    help: r.help.clone().unwrap_or_default(),
                    examples: r.example.clone(),
                    check,
                });
            }
        }
        let section_order = if self.diagnostics.is_empty() {
            self.order_sections(&raw, &rules)
        } else {
            Vec::new()
        };
        if !self.diagnostics.is_empty() {
            return Err(PackError {
                diagnostics: self.diagnostics,
            });
        }
        let all_text: String = self
            .sources
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("\u{0}");
        Ok(Pack {
            meta: raw.pack,
            rules,
            origin: self.sources[0].0.clone(),
            hash: fnv1a(&all_text),
            section_order,
        })
    }

    /// Compile every pattern of the rules ahead (but deferred fallback patterns), spread over the
    /// cores: compiling the patterns is most of loading a pack (about 8 ms of CPU for the 2021
    /// pack), and so of auditing a single report. A pattern that does not expand or compile is
    /// left to [`RuleCx::pattern`], which says why.
    fn precompile(&mut self, rules: &[RawRule], fragments: &BTreeMap<String, String>) {
        let defer_patterns = self.defer_patterns;
        let mut todo: Vec<String> = rules
            .iter()
            .flat_map(|r| {
                let fallback: &[Spanned<String>] = if defer_patterns { &[] } else { &r.fallback };
                let deferred_ignore = defer_patterns && r.forbid == Some(true);
                let ignore: &[Spanned<String>] = if deferred_ignore { &[] } else { &r.ignore };
                [
                    &r.headings[..],
                    fallback,
                    &r.any,
                    &r.relative,
                    &r.statement,
                    &r.about_others,
                    &r.stock,
                    ignore,
                ]
                .into_iter()
                .flatten()
                .chain(r.together.iter().flatten())
            })
            .filter_map(|p| expand(p.get_ref(), fragments).ok())
            .collect();
        todo.sort();
        todo.dedup();
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4);
        if threads < 2 || todo.len() < 8 {
            return;
        }
        // The longest patterns cost the most: dealt out in turn, each thread gets a fair share.
        // This thread takes the first share: one thread fewer to start, and one fewer to fault
        // in the compiler's scratch memory (a third of a single report's page faults).
        todo.sort_by_key(|p| std::cmp::Reverse(p.len()));
        let share = |t: usize| {
            todo.iter()
                .skip(t)
                .step_by(threads)
                .filter_map(|p| Some((p.clone(), build_pattern(p).ok()?)))
                .collect::<Vec<_>>()
        };
        let compiled = std::thread::scope(|scope| {
            let workers: Vec<_> = (1..threads)
                .map(|t| scope.spawn(move || share(t)))
                .collect();
            let mut compiled: std::collections::HashMap<String, Regex> =
                share(0).into_iter().collect();
            for w in workers {
                compiled.extend(w.join().unwrap_or_default());
            }
            compiled
        });
        self.compiled = compiled;
    }

    /// Fragments may use other fragments; expand them all, reporting unknown names and cycles.
    fn expand_fragments(
        &mut self,
        raw: &BTreeMap<String, Spanned<String>>,
        src: &BTreeMap<String, usize>,
    ) -> BTreeMap<String, String> {
        let mut done = BTreeMap::new();
        for name in raw.keys() {
            let mut stack = Vec::new();
            self.expand_fragment(name, raw, src, &mut done, &mut stack);
        }
        done
    }

    fn expand_fragment(
        &mut self,
        name: &str,
        raw: &BTreeMap<String, Spanned<String>>,
        src: &BTreeMap<String, usize>,
        done: &mut BTreeMap<String, String>,
        stack: &mut Vec<String>,
    ) -> Option<String> {
        if let Some(v) = done.get(name) {
            return Some(v.clone());
        }
        let spanned = raw.get(name)?;
        self.current = src.get(name).copied().unwrap_or(0);
        if stack.iter().any(|s| s == name) {
            self.error_at(
                spanned.span().start,
                format!(
                    "fragment `{name}` refers to itself through {}",
                    stack.join(" → ")
                ),
            );
            return None;
        }
        stack.push(name.to_string());
        let mut out = String::new();
        let mut rest = spanned.get_ref().as_str();
        while let Some(open) = rest.find("{{") {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find("}}") else {
                break;
            };
            let inner = rest[open + 2..open + close].trim();
            match raw.get(inner) {
                Some(_) => {
                    let v = self
                        .expand_fragment(inner, raw, src, done, stack)
                        .unwrap_or_default();
                    self.current = src.get(name).copied().unwrap_or(0);
                    out.push_str(&format!("(?:{v})"));
                }
                None => self.error_at(
                    spanned.span().start,
                    format!("fragment `{name}` uses unknown fragment `{inner}`"),
                ),
            }
            rest = &rest[open + close + 2..];
        }
        out.push_str(rest);
        stack.pop();
        done.insert(name.to_string(), out.clone());
        Some(out)
    }

    /// Order section rules so that each comes after the parts its scope and `until` refer to;
    /// a cycle is an error.
    fn order_sections(&mut self, raw: &RawPack, rules: &[Rule]) -> Vec<usize> {
        let deps = |i: usize| -> Vec<usize> {
            match &rules[i].check {
                Check::Section(s) => {
                    let mut d = scope_parts(&s.scope);
                    d.extend(&s.until);
                    d
                }
                _ => Vec::new(),
            }
        };
        let mut order = Vec::new();
        let mut state = vec![0u8; rules.len()]; // 0 new, 1 visiting, 2 done
        fn visit(
            i: usize,
            deps: &dyn Fn(usize) -> Vec<usize>,
            state: &mut [u8],
            order: &mut Vec<usize>,
            path: &mut Vec<usize>,
        ) -> Result<(), Vec<usize>> {
            match state[i] {
                2 => return Ok(()),
                1 => {
                    path.push(i);
                    return Err(path.clone());
                }
                _ => {}
            }
            state[i] = 1;
            path.push(i);
            for d in deps(i) {
                visit(d, deps, state, order, path)?;
            }
            path.pop();
            state[i] = 2;
            order.push(i);
            Ok(())
        }
        for i in 0..rules.len() {
            if matches!(rules[i].check, Check::Section(_)) {
                let mut path = Vec::new();
                if let Err(cycle) = visit(i, &deps, &mut state, &mut order, &mut path) {
                    let names: Vec<&str> = cycle.iter().map(|&k| rules[k].id.as_str()).collect();
                    let at = raw.rule[cycle[0]].id.span().start;
                    self.current = raw.rule[cycle[0]].src;
                    self.error_at(
                        at,
                        format!(
                            "parts refer to each other in a cycle: {}",
                            names.join(" → ")
                        ),
                    );
                    return Vec::new();
                }
            }
        }
        order
    }
}

/// Why a pattern's `{{fragment}}` references could not be expanded.
enum Unexpanded {
    Unclosed,
    Unknown(String),
}

/// A pattern with its `{{fragment}}` references replaced by the fragments, each as a group.
fn expand(pattern: &str, fragments: &BTreeMap<String, String>) -> Result<String, Unexpanded> {
    let mut expanded = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find("{{") {
        expanded.push_str(&rest[..open]);
        let close = rest[open..].find("}}").ok_or(Unexpanded::Unclosed)?;
        let name = rest[open + 2..open + close].trim();
        let fragment = fragments
            .get(name)
            .ok_or_else(|| Unexpanded::Unknown(name.to_string()))?;
        expanded.push_str(&format!("(?:{fragment})"));
        rest = &rest[open + close + 2..];
    }
    expanded.push_str(rest);
    Ok(expanded)
}

fn build_pattern(expanded: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(expanded).size_limit(1 << 22).build()
}

/// The parts a scope refers to.
pub fn scope_parts(scope: &Scope) -> Vec<usize> {
    match scope {
        Scope::Part(p) | Scope::PartBody(p) => vec![*p],
        Scope::Except(ps) => ps.clone(),
        _ => Vec::new(),
    }
}

struct RuleCx<'c> {
    c: &'c mut Compiler,
    fragments: &'c BTreeMap<String, String>,
    ids: &'c [String],
    kinds: &'c [Option<&'static str>],
    rule: &'c RawRule,
}

impl RuleCx<'_> {
    fn id(&self) -> &str {
        self.rule.id.get_ref()
    }

    fn err(&mut self, offset: usize, message: String) {
        let m = format!("rule `{}`: {message}", self.id());
        self.c.error_at(offset, m);
    }

    fn pattern(&mut self, p: &Spanned<String>) -> Option<Regex> {
        let expanded = self.expanded(p)?;
        if let Some(re) = self.c.compiled.get(&expanded) {
            return Some(re.clone());
        }
        match build_pattern(&expanded) {
            Ok(r) => Some(r),
            Err(e) => {
                let text = e.to_string();
                let last = text.lines().last().unwrap_or("").trim();
                let detail = last.strip_prefix("error: ").unwrap_or(last);
                self.err(
                    p.span().start,
                    format!("pattern `{}` does not compile: {detail}", p.get_ref()),
                );
                None
            }
        }
    }

    /// A pattern with its fragments expanded, or `None` after reporting why it cannot be.
    fn expanded(&mut self, p: &Spanned<String>) -> Option<String> {
        match expand(p.get_ref(), self.fragments) {
            Ok(e) => Some(e),
            Err(Unexpanded::Unclosed) => {
                self.err(
                    p.span().start,
                    format!("`{{{{` without `}}}}` in pattern `{}`", p.get_ref()),
                );
                None
            }
            Err(Unexpanded::Unknown(name)) => {
                let known: Vec<&str> = self.fragments.keys().map(String::as_str).collect();
                self.err(
                    p.span().start,
                    format!(
                        "unknown fragment `{name}` (fragments: {})",
                        known.join(", ")
                    ),
                );
                None
            }
        }
    }

    /// A rule of a kind that has no sensible default scope must give one.
    fn require_scope(&mut self, kind: &str, example: &str) {
        if self.rule.scope.is_none() {
            self.err(
                self.rule.id.span().start,
                format!("a {kind} rule needs a `scope` (e.g. \"{example}\")"),
            );
        }
    }

    fn patterns(&mut self, ps: &[Spanned<String>]) -> Vec<Regex> {
        ps.iter().filter_map(|p| self.pattern(p)).collect()
    }

    /// A section's fallback or a content check's ignore patterns: deferred in a bundled pack
    /// (see [`LazyPatterns`]), else compiled now. Deferred patterns are still expanded now, so
    /// that a fragment error shows.
    fn deferred(&mut self, ps: &[Spanned<String>]) -> LazyPatterns {
        if !self.c.defer_patterns {
            return LazyPatterns::compiled(self.patterns(ps));
        }
        let sources = ps.iter().filter_map(|p| self.expanded(p)).collect();
        LazyPatterns::deferred(sources)
    }

    /// A reference to a section rule by id.
    fn part(&mut self, name: &str, at: usize) -> Option<usize> {
        match self.ids.iter().position(|id| id == name) {
            Some(i) if self.kinds[i] == Some("section") => Some(i),
            Some(_) => {
                self.err(
                    at,
                    format!("`{name}` is not a part: only rules of kind `section` find parts"),
                );
                None
            }
            None => {
                self.err(at, format!("unknown part `{name}`: no rule has that id"));
                None
            }
        }
    }

    fn scope(&mut self, default: Scope) -> Scope {
        let Some(s) = self.rule.scope.clone() else {
            return default;
        };
        let at = s.span().start;
        let text = s.get_ref().trim();
        match text {
            "whole" => Scope::Whole,
            "title" => Scope::Title,
            "opening" => Scope::Opening,
            "body" => Scope::Body,
            _ => {
                if let Some(p) = text.strip_prefix("part:") {
                    self.part(p.trim(), at).map_or(default, Scope::Part)
                } else if let Some(p) = text.strip_prefix("part-body:") {
                    self.part(p.trim(), at).map_or(default, Scope::PartBody)
                } else if let Some(ps) = text.strip_prefix("except:") {
                    Scope::Except(
                        ps.split(',')
                            .filter_map(|p| self.part(p.trim(), at))
                            .collect(),
                    )
                } else {
                    self.err(at, format!("unknown scope `{text}` (scopes: whole, title, opening, body, part:ID, part-body:ID, except:ID,ID…)"));
                    default
                }
            }
        }
    }

    fn check(&mut self, kind: &str) -> Option<Check> {
        let r = self.rule;
        let check = match kind {
            "section" => {
                if r.headings.is_empty() && r.fallback.is_empty() {
                    self.err(
                        r.id.span().start,
                        "a section needs `headings` or `fallback` patterns".into(),
                    );
                }
                let leading_parts = match &r.otherwise {
                    None => false,
                    Some(o) if o.get_ref() == "leading-parts" => true,
                    Some(o) => {
                        self.err(
                            o.span().start,
                            format!(
                                "unknown `otherwise` value `{}` (the only one is `leading-parts`)",
                                o.get_ref()
                            ),
                        );
                        false
                    }
                };
                let until = r
                    .until
                    .iter()
                    .filter_map(|p| self.part(p.get_ref(), p.span().start))
                    .collect();
                Check::Section(SectionCheck {
                    headings: self.patterns(&r.headings),
                    fallback: self.deferred(&r.fallback),
                    levels: r.levels.clone(),
                    leading_parts,
                    until,
                    continued_by: self.patterns(&r.continued_by),
                    min_chars: r.min_chars.unwrap_or(0),
                    min_items: r.min_items.unwrap_or(0),
                    scope: self.scope(Scope::Body),
                })
            }
            "content" => {
                if r.any.is_empty() && r.together.is_empty() {
                    self.err(
                        r.id.span().start,
                        "a content rule needs `any` or `together` patterns".into(),
                    );
                }
                let together: Vec<Vec<Regex>> =
                    r.together.iter().map(|g| self.patterns(g)).collect();
                Check::Content(ContentCheck {
                    scope: self.scope(Scope::Whole),
                    any: self.patterns(&r.any),
                    together,
                    prefilter: std::sync::OnceLock::new(),
                    gates: std::sync::OnceLock::new(),
                    group_filter: std::sync::OnceLock::new(),
                    within: r.within.unwrap_or_default(),
                    forbid: r.forbid.unwrap_or(false),
                    in_headings: r.in_headings.unwrap_or(true),
                    // A forbid check's ignore patterns are needed only where something forbidden
                    // matched, which is rare: deferred in a bundled pack. A required check's are
                    // needed in nearly every report: compiled with the others, in parallel.
                    ignore: if r.forbid == Some(true) {
                        self.deferred(&r.ignore)
                    } else {
                        LazyPatterns::compiled(self.patterns(&r.ignore))
                    },
                    if_missing: r.if_missing.unwrap_or(Status::Gap),
                })
            }
            "year" => {
                self.require_scope("year", "part:next-year-plan");
                Check::Year(YearCheck {
                    scope: self.scope(Scope::Whole),
                    offset: r.offset.unwrap_or(0),
                    relative: self.patterns(&r.relative),
                    if_missing: r.if_missing.unwrap_or(Status::Skip),
                })
            }
            "publication" => {
                let deadline = match &r.deadline {
                    None => (4, 1),
                    Some(d) => match parse_month_day(d.get_ref()) {
                        Some(md) => md,
                        None => {
                            self.err(
                                d.span().start,
                                format!(
                                    "deadline `{}` is not a month and day like \"04-01\"",
                                    d.get_ref()
                                ),
                            );
                            (4, 1)
                        }
                    },
                };
                Check::Publication(PublicationCheck {
                    deadline,
                    statement: self.patterns(&r.statement),
                    scope: self.scope(Scope::Whole),
                    prefilter: Default::default(),
                })
            }
            "order" => {
                if r.parts.len() < 2 {
                    self.err(
                        r.id.span().start,
                        "an order rule needs at least two `parts`".into(),
                    );
                }
                Check::Order(
                    r.parts
                        .iter()
                        .filter_map(|p| self.part(p.get_ref(), p.span().start))
                        .collect(),
                )
            }
            "numbering" => Check::Numbering,
            "jurisdiction" => Check::Jurisdiction(JurisdictionCheck {
                scope: self.scope(Scope::Body),
                about_others: self.patterns(&r.about_others),
            }),
            "substance" => {
                self.require_scope("substance", "part-body:shortcomings");
                let max_stock_ratio = r.max_stock_ratio.unwrap_or(0.5);
                if !(0.0..=1.0).contains(&max_stock_ratio) {
                    self.err(
                        r.id.span().start,
                        format!("max-stock-ratio {max_stock_ratio} is not a share between 0 and 1"),
                    );
                }
                Check::Substance(SubstanceCheck {
                    scope: self.scope(Scope::Whole),
                    min_items: r.min_items.unwrap_or(2),
                    max_stock_ratio,
                    stock: self.patterns(&r.stock),
                    if_missing: r.if_missing.unwrap_or(Status::Skip),
                })
            }
            "figures" => {
                self.require_scope("figures", "part:achievements");
                Check::Figures(FiguresCheck {
                    scope: self.scope(Scope::Whole),
                    min_figures: r.min_figures.unwrap_or(3),
                    if_missing: r.if_missing.unwrap_or(Status::Skip),
                })
            }
            "year-consistency" => {
                let results = r
                    .results
                    .as_ref()
                    .and_then(|p| self.part(p.get_ref(), p.span().start));
                let plan = r
                    .plan
                    .as_ref()
                    .and_then(|p| self.part(p.get_ref(), p.span().start));
                Check::YearConsistency(YearConsistencyCheck { results, plan })
            }
            _ => return None,
        };
        Some(check)
    }
}

fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.split_once('-')?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((m, d))
}

/// One regex matching a superset of where any of `patterns` matches: their alternation with every
/// look-around assertion (`^`, `$`, `\b`) removed, since a pattern tried on a sentence sees a
/// sentence's start where the same text in its block does not. Removing an assertion can only
/// add matches, so a block the prefilter does not match holds no match of any pattern. `None`
/// when there are no patterns or the alternation is too large to compile.
fn prefilter<'a>(patterns: impl Iterator<Item = &'a Regex>) -> Option<Regex> {
    let mut alternatives = Vec::new();
    for re in patterns {
        let hir = regex_syntax::Parser::new().parse(re.as_str()).ok()?;
        // A pattern without a literal start would make the whole alternation a scan of every
        // byte; its context is dropped too when what is left starts from words of two
        // characters or more (县长, 政府主要), which pass few more blocks. A single character
        // left (年, 件) would pass most blocks.
        let bare = without_looks(&hir, true);
        let words = regex_syntax::hir::literal::Extractor::new()
            .extract(&bare)
            .min_literal_len()
            .is_some_and(|n| n >= 6);
        if !has_literal_start(&hir) && has_literal_start(&bare) && words {
            alternatives.push(bare);
        } else {
            alternatives.push(without_looks(&hir, false));
        }
    }
    if alternatives.is_empty() {
        return None;
    }
    let pattern = Hir::alternation(alternatives).to_string();
    RegexBuilder::new(&pattern).size_limit(1 << 23).build().ok()
}

/// A pattern's HIR with every look-around assertion removed, capture groups dropped (they
/// mean nothing in a yes/no test, and their indices would clash across patterns) and bounded
/// repetitions left open above (`{0,40}` → `*`, cheaper to compile and to run); with
/// `strip_context`, also without the elements at either end of each concatenation that only
/// say what may stand around the match: a wide class (`[^副]`, `\s`, `\d`), an optional part
/// (`[^。]{0,12}`). Each removal can only add places where the result matches, so text the
/// result does not match holds no match of the pattern.
fn without_looks(h: &Hir, strip_context: bool) -> Hir {
    let go = |h: &Hir| without_looks(h, strip_context);
    match h.kind() {
        HirKind::Look(_) => Hir::empty(),
        HirKind::Repetition(r) => {
            let mut r = r.clone();
            r.sub = Box::new(go(&r.sub));
            // A bounded gap (`[^。]{0,40}`) compiles to a copy of its class for each repetition,
            // and its lazy DFA tracks every offset in the gap; unbounded it is one loop, and a
            // filter may match more than the pattern.
            if r.max.is_some_and(|max| max > r.min) {
                r.max = None;
            }
            Hir::repetition(r)
        }
        HirKind::Capture(c) => go(&c.sub),
        HirKind::Concat(hs) => {
            let mut parts: Vec<Hir> = hs.iter().map(go).collect();
            if strip_context {
                while parts.len() > 1 && is_context(&parts[0]) {
                    parts.remove(0);
                }
                while parts.len() > 1 && parts.last().is_some_and(is_context) {
                    parts.pop();
                }
            }
            Hir::concat(parts)
        }
        HirKind::Alternation(hs) => Hir::alternation(hs.iter().map(go).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => h.clone(),
    }
}

/// Whether an element of a concatenation only says what may stand around a match: it can be
/// empty, or it is a class of more characters than a literal search takes.
fn is_context(h: &Hir) -> bool {
    use regex_syntax::hir::Class;
    const WIDE: u64 = 16;
    // Too many ways to start to search for (`(?:[0-9]{4}|[一…○]{4})`): context as well.
    let unsearchable = || {
        !regex_syntax::hir::literal::Extractor::new()
            .extract(h)
            .is_finite()
    };
    let width = |ranges: &mut dyn Iterator<Item = (u64, u64)>| {
        ranges.map(|(a, b)| b - a + 1).sum::<u64>() > WIDE
    };
    match h.kind() {
        HirKind::Look(_) | HirKind::Empty => true,
        HirKind::Class(Class::Unicode(c)) => width(
            &mut c
                .ranges()
                .iter()
                .map(|r| (r.start() as u64, r.end() as u64)),
        ),
        HirKind::Class(Class::Bytes(c)) => width(
            &mut c
                .ranges()
                .iter()
                .map(|r| (r.start() as u64, r.end() as u64)),
        ),
        HirKind::Repetition(r) => r.min == 0 || is_context(&r.sub) || unsearchable(),
        HirKind::Capture(c) => is_context(&c.sub),
        HirKind::Alternation(hs) => hs.iter().any(is_context) || unsearchable(),
        HirKind::Literal(_) | HirKind::Concat(_) => false,
    }
}

/// Whether a search for `h` can start from literals (as the regex engine's own prefilter
/// would): a finite set of non-empty prefixes.
fn has_literal_start(h: &Hir) -> bool {
    let prefixes = regex_syntax::hir::literal::Extractor::new().extract(h);
    prefixes.is_finite() && prefixes.min_literal_len().is_some_and(|n| n > 0)
}

/// A gate for one pattern: the pattern without looks and context ([`without_looks`]), when
/// the pattern's search has no literal to start from and the gate's has (`(?:^|[^副])县长` →
/// `县长`; `(?:\d{4}|…)\s*年` → `年`). A search that starts from literals costs a tenth of one
/// that runs the automaton over every byte.
fn gate(re: &Regex) -> Option<Regex> {
    let hir = regex_syntax::Parser::new().parse(re.as_str()).ok()?;
    if has_literal_start(&hir) {
        return None;
    }
    let gate = without_looks(&hir, true);
    if !has_literal_start(&gate) {
        return None;
    }
    RegexBuilder::new(&gate.to_string())
        .size_limit(1 << 23)
        .build()
        .ok()
}

/// What makes a pattern slow, for `rules check` to tell the pack's author.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slowness {
    /// A class of every script's decimal digits (`\d`), where folded text has ASCII digits only.
    UnicodeDigits,
    /// No literal to start the search from, and no words after the opening class to gate it.
    NoLiteralStart,
}

impl Slowness {
    /// What to do about it, for a note.
    pub fn advice(self) -> &'static str {
        match self {
            Slowness::UnicodeDigits => {
                "uses \\d, every script's digits: rules match folded text, whose digits are ASCII; [0-9] compiles in half the time"
            }
            Slowness::NoLiteralStart => {
                "opens with a class and has no words after it to search for: every byte of its scope is read, about ten times slower than a pattern that opens with words"
            }
        }
    }
}

/// The ways a compiled pattern is slower than it needs to be (see [`Slowness`]).
pub fn slowness(re: &Regex) -> Vec<Slowness> {
    let Ok(hir) = regex_syntax::Parser::new().parse(re.as_str()) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if has_unicode_digits(&hir) {
        found.push(Slowness::UnicodeDigits);
    }
    if !has_literal_start(&hir) && gate(re).is_none() {
        found.push(Slowness::NoLiteralStart);
    }
    found
}

/// Whether a class holds the digits of other scripts, as `\d` does: ٠ (U+0660) but not the mark
/// just before it, which a negated class (`[^。]`) holds too.
fn has_unicode_digits(h: &Hir) -> bool {
    match h.kind() {
        HirKind::Class(regex_syntax::hir::Class::Unicode(c)) => {
            let has = |ch: char| c.ranges().iter().any(|r| r.start() <= ch && ch <= r.end());
            has('\u{0660}') && !has('\u{065F}')
        }
        HirKind::Repetition(r) => has_unicode_digits(&r.sub),
        HirKind::Capture(c) => has_unicode_digits(&c.sub),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(has_unicode_digits),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "[pack]\nid = \"t\"\nname = \"test\"\nversion = \"1\"\n";

    fn errors(body: &str) -> Vec<Diagnostic> {
        Pack::parse(&format!("{HEAD}{body}"), "t.toml")
            .expect_err("pack should be rejected")
            .diagnostics
    }

    fn rule(kind: &str, extra: &str) -> String {
        format!(
            "[[rule]]\nid = \"r\"\nname = \"规则\"\nkind = \"{kind}\"\nseverity = \"error\"\nbasis = \"b\"\nhelp = \"h\"\n{extra}\n"
        )
    }

    #[test]
    fn slow_patterns_are_told_apart_from_fast_ones() {
        let of = |p: &str| slowness(&Regex::new(p).unwrap());
        assert_eq!(of(r"\d{4}年"), vec![Slowness::UnicodeDigits]);
        assert_eq!(of(r"第[\d一二]+条"), vec![Slowness::UnicodeDigits]);
        assert_eq!(
            of(r"\d+"),
            vec![Slowness::UnicodeDigits, Slowness::NoLiteralStart]
        );
        assert_eq!(of(r"[^。]{0,8}\s+"), vec![Slowness::NoLiteralStart]);
        for fast in [
            r"[0-9]{4}年",
            r"(?-u:\d)+年",
            r"第一责任人|述法",
            r"(?:^|[^副])县长",
            r"法治[^。]{0,12}部署",
        ] {
            assert_eq!(of(fast), vec![], "{fast}");
        }
        for pack in ["2021", "2019", "province-example"] {
            let pack = Pack::load(pack).unwrap();
            let slow: Vec<&str> = crate::authoring::rule_patterns_of(&pack)
                .into_iter()
                .filter(|(_, re)| !slowness(re).is_empty())
                .map(|(_, re)| re.as_str())
                .collect();
            assert!(slow.is_empty(), "{}: {slow:?}", pack.meta.id);
        }
    }

    #[test]
    fn the_bundled_pack_compiles() {
        let pack = Pack::load("2021").unwrap();
        assert_eq!(pack.meta.id, "2021");
        for id in [
            "title",
            "achievements",
            "shortcomings",
            "shortcoming-causes",
            "frp",
            "frp-section",
            "next-year-plan",
            "plan-year",
            "publication",
            "placeholders",
        ] {
            assert!(pack.rule_index(id).is_some(), "missing rule {id}");
        }
        assert_eq!(Pack::load("2021.toml").unwrap().hash, pack.hash);
    }

    #[test]
    fn unknown_keys_are_errors_with_their_line() {
        let e = errors(&rule("content", "any = [\"x\"]\npatern = \"y\""));
        assert_eq!(e[0].line, 13);
        assert!(
            e[0].message.contains("unknown field `patern`"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn keys_of_another_kind_are_errors() {
        let e = errors(&rule("content", "any = [\"x\"]\nheadings = [\"y\"]"));
        assert!(
            e[0].message
                .contains("key `headings` does not apply to kind `content`"),
            "{}",
            e[0].message
        );
        assert_eq!(e[0].line, 6);
    }

    #[test]
    fn bad_regex_names_rule_and_line() {
        let e = errors(&rule("content", "any = [\"主动公开(政府信息\"]"));
        assert_eq!(e[0].line, 12);
        assert!(
            e[0].message
                .starts_with("rule `r`: pattern `主动公开(政府信息` does not compile"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn unknown_fragments_parts_and_kinds_are_errors() {
        assert!(
            errors(&rule("content", "any = [\"{{nope}}\"]"))[0]
                .message
                .contains("unknown fragment `nope`")
        );
        assert!(
            errors(&rule("content", "any = [\"x\"]\nscope = \"part:ghost\""))[0]
                .message
                .contains("unknown part `ghost`")
        );
        assert!(
            errors(&rule("checklist", ""))[0]
                .message
                .contains("unknown kind `checklist`")
        );
        assert!(
            errors(&rule("content", "any = [\"x\"]\nscope = \"everywhere\""))[0]
                .message
                .contains("unknown scope")
        );
    }

    #[test]
    fn duplicate_ids_are_errors() {
        let two = format!("{}{}", rule("numbering", ""), rule("numbering", ""));
        assert!(errors(&two)[0].message.contains("duplicate rule id `r`"));
    }

    #[test]
    fn fragments_expand_and_nest() {
        let text = format!(
            "{HEAD}[fragments]\na = \"甲|乙\"\nb = \"{{{{a}}}}丙\"\n{}",
            rule("content", "any = [\"{{b}}\"]")
        );
        let pack = Pack::parse(&text, "t.toml").unwrap();
        let Check::Content(c) = &pack.rules[0].check else {
            panic!()
        };
        assert!(c.any[0].is_match("乙丙") && !c.any[0].is_match("丙"));
    }

    #[test]
    fn fragment_cycles_are_errors() {
        let text = format!("{HEAD}[fragments]\na = \"{{{{b}}}}\"\nb = \"{{{{a}}}}\"\n");
        let e = Pack::parse(&text, "t.toml").unwrap_err().diagnostics;
        assert!(
            e[0].message.contains("refers to itself"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn part_cycles_are_errors() {
        let a = "[[rule]]\nid = \"a\"\nname = \"A\"\nkind = \"section\"\nseverity = \"error\"\nbasis = \"\"\nhelp = \"\"\nheadings = [\"甲\"]\nscope = \"except:b\"\n";
        let b = "[[rule]]\nid = \"b\"\nname = \"B\"\nkind = \"section\"\nseverity = \"error\"\nbasis = \"\"\nhelp = \"\"\nheadings = [\"乙\"]\nuntil = [\"a\"]\n";
        let e = errors(&format!("{a}{b}"));
        assert!(
            e[0].message.contains("cycle: a → b → a"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn a_missing_pack_says_what_to_give() {
        let e = Pack::load("no-such-pack").unwrap_err();
        assert!(e.to_string().contains("bundled packs: 2021"), "{e}");
    }

    #[test]
    fn toml_syntax_errors_point_at_the_line() {
        let e = Pack::parse(&format!("{HEAD}[[rule]\n"), "t.toml").unwrap_err();
        assert_eq!(e.diagnostics[0].line, 5);
    }
    fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    }

    #[test]
    fn a_pack_extends_a_bundled_pack_with_overrides_removals_and_new_rules() {
        let dir = tempfile::tempdir().unwrap();
        let text = "[pack]\nid = \"x\"\nname = \"x\"\nversion = \"1\"\nextends = [\"2021\"]\nremove = [\"numbering\"]\n\
                    [[override]]\nid = \"frp-section\"\nseverity = \"error\"\n\
                    [[rule]]\nid = \"new\"\nname = \"新\"\nkind = \"content\"\nseverity = \"info\"\nbasis = \"b\"\nhelp = \"h\"\nany = ['{{leader}}']\n";
        let path = write(dir.path(), "x.toml", text);
        let pack = Pack::load(&path).unwrap();
        let base = Pack::load("2021").unwrap();
        assert_eq!(pack.rules.len(), base.rules.len());
        assert!(pack.rule_index("numbering").is_none());
        assert_eq!(
            pack.rules[pack.rule_index("frp-section").unwrap()].severity,
            Severity::Error
        );
        assert_eq!(
            pack.rules.last().unwrap().id,
            "new",
            "new rules come after the base's; base fragments are usable"
        );
        assert_ne!(pack.hash, base.hash);
    }

    #[test]
    fn extends_errors_name_the_file_and_the_rule() {
        let dir = tempfile::tempdir().unwrap();
        let head = "[pack]\nid = \"x\"\nname = \"x\"\nversion = \"1\"\n";
        let e = |body: &str| {
            Pack::load(&write(dir.path(), "e.toml", &format!("{head}{body}")))
                .unwrap_err()
                .to_string()
        };
        assert!(
            e("extends = [\"2021\"]\n[[override]]\nid = \"ghost\"\nseverity = \"error\"\n")
                .contains("override of unknown rule `ghost`")
        );
        assert!(
            e("extends = [\"2021\"]\nremove = [\"ghost\"]\n").contains("remove: no rule `ghost`")
        );
        assert!(e("[[override]]\nid = \"frp\"\nseverity = \"error\"\n").contains("add `extends`"));
        assert!(e("extends = [\"2021\"]\n[[rule]]\nid = \"frp\"\nname = \"x\"\nkind = \"numbering\"\nseverity = \"error\"\nbasis = \"\"\nhelp = \"\"\n")
            .contains("already in a pack this one extends"));
        assert!(e("extends = [\"nope.toml\"]\n").contains("extends `nope.toml`"));
        assert!(
            e("[[rule]]\nid = \"r\"\nkind = \"numbering\"\n")
                .contains("missing keys name, severity, basis, help")
        );
    }

    #[test]
    fn an_extends_cycle_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let pack = |id: &str, base: &str| {
            format!(
                "[pack]\nid = \"{id}\"\nname = \"x\"\nversion = \"1\"\nextends = [\"{base}\"]\n"
            )
        };
        write(dir.path(), "a.toml", &pack("a", "b.toml"));
        let b = write(dir.path(), "b.toml", &pack("b", "a.toml"));
        let e = Pack::load(&b).unwrap_err().to_string();
        assert!(e.contains("cycle"), "{e}");
    }

    #[test]
    fn an_error_in_a_base_pack_names_the_base_file() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "base.toml",
            &format!("{HEAD}{}", rule("content", "any = ['(']")),
        );
        let child = write(
            dir.path(),
            "child.toml",
            "[pack]\nid = \"c\"\nname = \"c\"\nversion = \"1\"\nextends = [\"base.toml\"]\n",
        );
        let e = Pack::load(&child).unwrap_err();
        assert!(e.diagnostics[0].file.ends_with("base.toml"), "{e}");
        assert_eq!(e.diagnostics[0].line, 12);
    }

    #[test]
    fn every_bundled_pack_compiles_and_its_examples_hold() {
        for (name, _) in BUNDLED {
            let pack = Pack::load(name).unwrap();
            let runs = crate::authoring::run_examples(&pack);
            assert!(!runs.is_empty(), "pack {name} has no examples");
            let failed: Vec<_> = runs.iter().filter(|r| !r.ok()).collect();
            assert!(failed.is_empty(), "pack {name}: {failed:?}");
            for r in &pack.rules {
                // Deferred at load (see `LazyPatterns`): held to compiling here instead.
                if let Check::Section(s) = &r.check {
                    for p in &s.fallback.sources {
                        assert!(
                            build_pattern(p).is_ok(),
                            "pack {name}: rule {}: fallback `{p}` does not compile",
                            r.id
                        );
                    }
                }
                let has = |s: Status| r.examples.iter().any(|e| e.expect == s);
                assert!(
                    has(Status::Pass) && has(Status::Gap),
                    "pack {name}: rule {} needs a passing and a failing example",
                    r.id
                );
            }
        }
    }

    #[test]
    fn fallback_patterns_are_deferred_in_a_bundled_pack_only() {
        let sections = |pack: &Pack| -> Vec<SectionCheck> {
            pack.rules
                .iter()
                .filter_map(|r| match &r.check {
                    Check::Section(s) if !s.fallback.is_empty() => Some(s.clone()),
                    _ => None,
                })
                .collect()
        };
        let bundled = Pack::load("2021").unwrap();
        let deferred = sections(&bundled);
        assert!(!deferred.is_empty());
        for s in &deferred {
            assert!(s.fallback.compiled.get().is_none());
            assert_eq!(s.fallback.get().len(), s.fallback.sources.len());
        }
        let text = BUNDLED.iter().find(|(n, _)| *n == "2021").unwrap().1;
        for s in sections(&Pack::parse(text, "2021.toml").unwrap()) {
            assert!(s.fallback.compiled.get().is_some());
        }
        // A user's pack still hears of a fallback pattern that does not compile, at its line.
        let bad = text.replacen("fallback = [\n", "fallback = [\n  '(?:unclosed',\n", 1);
        let e = Pack::parse(&bad, "mine.toml").unwrap_err();
        assert!(
            e.to_string().contains("mine.toml") && e.to_string().contains("(?:unclosed"),
            "{e}"
        );
        // Deferring the compile does not defer expanding: an unknown fragment is still an error.
        let unknown = text.replacen("fallback = [\n", "fallback = [\n  '{{nope}}',\n", 1);
        let e = Pack::compile_text(&unknown, "bundled:x", true).unwrap_err();
        assert!(e.to_string().contains("unknown fragment `nope`"), "{e}");
    }

    /// Found by fuzzing: errors in a rule that came from another file than the one being
    /// reported must not slice that file at a foreign offset.
    #[test]
    fn errors_in_merged_rules_point_into_the_right_file() {
        let dir = tempfile::tempdir().unwrap();
        let bad_id = write(
            dir.path(),
            "a.toml",
            "[pack]\nid=\"x\"\nname=\"x\"\nversion=\"1\"\nextends=[\"2021\"]\n[[rule]]\n    id=\"é\"\n",
        );
        let e = Pack::load(&bad_id).unwrap_err();
        assert!(
            e.diagnostics.iter().all(|d| d.file.ends_with("a.toml")),
            "{e}"
        );
        let pad = "#".to_string() + &"x".repeat(3000) + "法\n";
        let kind = write(
            dir.path(),
            "b.toml",
            &format!(
                "[pack]\nid=\"x\"\nname=\"x\"\nversion=\"1\"\nextends=[\"2021\"]\n[[override]]\nid=\"title\"\nkind=\"year\"\n{pad}"
            ),
        );
        let e = Pack::load(&kind).unwrap_err();
        assert!(e.to_string().contains("b.toml:7:"), "{e}");
    }

    #[test]
    fn kinds_without_a_default_scope_must_name_one() {
        for (kind, example) in [
            ("year", "part:next-year-plan"),
            ("substance", "part-body:shortcomings"),
            ("figures", "part:achievements"),
        ] {
            let body = format!(
                "[[rule]]\nid = \"r\"\nname = \"n\"\nkind = \"{kind}\"\nseverity = \"warning\"\nbasis = \"b\"\nhelp = \"h\"\n"
            );
            let messages: Vec<String> = errors(&body).iter().map(|d| d.to_string()).collect();
            let wanted = format!("a {kind} rule needs a `scope` (e.g. \"{example}\")");
            assert!(
                messages
                    .iter()
                    .any(|m| m.contains(&wanted) && m.contains("t.toml:")),
                "{kind}: {messages:?}"
            );
        }
    }

    #[test]
    fn gates_start_from_literals_and_match_wherever_their_pattern_does() {
        let leader = Regex::new(r"(?:^|[^副])(?:县长|局长)|政府主要负责人").unwrap();
        let year =
            Regex::new(r"(?:\d{4}|[一二三四五六七八九〇零○]{4})\s*年[^。]{0,16}安排$").unwrap();
        // ASCII digits leave a class too narrow to be context, but too many ways to start.
        let ascii_year =
            Regex::new(r"(?:[0-9]{4}|[一二三四五六七八九〇零○]{4})\s*年[^。]{0,16}安排$").unwrap();
        let years = [
            "2024年工作安排",
            "二〇二四年 的安排",
            "今年工作安排",
            "2024年安排。",
        ];
        let g = gate(&ascii_year).unwrap();
        assert!(
            g.as_str().trim_start_matches("(?:").starts_with('年'),
            "{}",
            g.as_str()
        );
        for (re, texts) in [
            (&ascii_year, &years[..]),
            (
                &leader,
                &[
                    "县长主持",
                    "副县长主持",
                    "由县长、副局长",
                    "政府主要负责人",
                    "无关",
                ][..],
            ),
            (&year, &years[..]),
        ] {
            let gate = gate(re).expect("a pattern without a literal start gets a gate");
            assert!(has_literal_start(
                &regex_syntax::Parser::new().parse(gate.as_str()).unwrap()
            ));
            for t in texts {
                assert!(
                    !re.is_match(t) || gate.is_match(t),
                    "{} on {t}",
                    re.as_str()
                );
            }
        }
        // The gate drops what stands around the match, so it passes more than the pattern.
        assert!(gate(&leader).unwrap().is_match("副县长主持"));
        assert!(!leader.is_match("副县长主持"));
        // A pattern that starts from literals, or whose gate would not, has none.
        assert!(gate(&Regex::new("第一责任人|述法").unwrap()).is_none());
        assert!(gate(&Regex::new(r"\d+").unwrap()).is_none());
    }

    #[test]
    fn a_prefilter_leaves_bounded_gaps_open_and_keeps_exact_counts() {
        let statement = Regex::new("报告[^。]{0,3}公开|[0-9]{4}年").unwrap();
        let p = prefilter(std::iter::once(&statement)).expect("a prefilter");
        // The gap is open above: the prefilter passes what the pattern would not ...
        assert!(p.is_match("报告一二三四五公开"));
        assert!(!statement.is_match("报告一二三四五公开"));
        // ... but not across what the gap's class leaves out, nor a shorter exact count.
        assert!(!p.is_match("报告。公开"));
        assert!(!p.is_match("202年"));
    }
}
