//! Rule packs: the TOML schema, its strict validation and its compilation into checks.
//!
//! A pack is data. Each `[[rule]]` names a check `kind` (see [`Check`]) and the keys that kind
//! takes; unknown keys, keys of another kind, patterns that do not compile, unknown fragments and
//! references to unknown parts are errors that name the file, the line and the rule.

use crate::diagnostic::{Diagnostic, PackError};
use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

/// Packs compiled into the binary, by name.
pub const BUNDLED: &[(&str, &str)] = &[("2021", include_str!("../rules/2021.toml"))];

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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    pack: PackMeta,
    #[serde(default)]
    fragments: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    rule: Vec<RawRule>,
}

type Patterns = Vec<Spanned<String>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRule {
    id: Spanned<String>,
    name: String,
    kind: Spanned<String>,
    severity: Severity,
    basis: String,
    help: String,
    // section
    #[serde(default)]
    headings: Patterns,
    #[serde(default)]
    fallback: Patterns,
    levels: Option<Vec<u8>>,
    otherwise: Option<Spanned<String>>,
    #[serde(default)]
    until: Patterns,
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
            "min-chars",
            "min-items",
            "scope",
        ],
    ),
    (
        "content",
        &["scope", "any", "together", "within", "forbid", "if-missing"],
    ),
    ("year", &["scope", "offset", "relative", "if-missing"]),
    ("publication", &["deadline", "statement", "scope"]),
    ("order", &["parts"]),
    ("numbering", &[]),
];

impl RawRule {
    /// The kind-specific keys this rule sets.
    fn keys_set(&self) -> Vec<&'static str> {
        let set = [
            ("headings", !self.headings.is_empty()),
            ("fallback", !self.fallback.is_empty()),
            ("levels", self.levels.is_some()),
            ("otherwise", self.otherwise.is_some()),
            ("until", !self.until.is_empty()),
            ("min-chars", self.min_chars.is_some()),
            ("min-items", self.min_items.is_some()),
            ("scope", self.scope.is_some()),
            ("any", !self.any.is_empty()),
            ("together", !self.together.is_empty()),
            ("within", self.within.is_some()),
            ("forbid", self.forbid.is_some()),
            ("if-missing", self.if_missing.is_some()),
            ("offset", self.offset.is_some()),
            ("relative", !self.relative.is_empty()),
            ("deadline", self.deadline.is_some()),
            ("statement", !self.statement.is_empty()),
            ("parts", !self.parts.is_empty()),
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
    pub fallback: Vec<Regex>,
    /// Outline levels to look at, 1 being the top level the report uses.
    pub levels: Option<Vec<u8>>,
    /// Take the leading top-level parts as this part when neither heading nor fallback is found.
    pub leading_parts: bool,
    pub until: Vec<usize>,
    pub min_chars: usize,
    pub min_items: usize,
    pub scope: Scope,
}

#[derive(Debug, Clone)]
pub struct ContentCheck {
    pub scope: Scope,
    pub any: Vec<Regex>,
    pub together: Vec<Vec<Regex>>,
    pub within: Within,
    pub forbid: bool,
    pub if_missing: Status,
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
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub basis: String,
    pub help: String,
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
            Some((n, text)) => Pack::parse(text, &format!("bundled:{n}")),
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

    /// Parse, validate and compile a pack from its TOML text. `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Pack, PackError> {
        let raw: RawPack = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            Diagnostic::at(file, text, offset, e.message().trim().to_string())
                .with_help("see the rule-file reference in README.md for the keys each rule takes")
        })?;
        Compiler {
            file,
            text,
            diagnostics: Vec::new(),
        }
        .compile(raw)
    }
}

fn fnv1a(text: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

struct Compiler<'a> {
    file: &'a str,
    text: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl Compiler<'_> {
    fn error_at(&mut self, offset: usize, message: String) {
        self.diagnostics
            .push(Diagnostic::at(self.file, self.text, offset, message));
    }

    fn compile(mut self, raw: RawPack) -> Result<Pack, PackError> {
        let fragments = self.expand_fragments(&raw.fragments);
        let ids: Vec<String> = raw.rule.iter().map(|r| r.id.get_ref().clone()).collect();
        for (i, r) in raw.rule.iter().enumerate() {
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
            .map(|r| KINDS.iter().find(|k| k.0 == r.kind.get_ref()).map(|k| k.0))
            .collect();
        let mut rules = Vec::new();
        for (i, r) in raw.rule.iter().enumerate() {
            let Some(kind) = kinds[i] else {
                let names: Vec<&str> = KINDS.iter().map(|k| k.0).collect();
                self.error_at(
                    r.kind.span().start,
                    format!(
                        "rule `{}`: unknown kind `{}` (kinds: {})",
                        r.id.get_ref(),
                        r.kind.get_ref(),
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
                        format!(
                            "rule `{}`: key `{key}` does not apply to kind `{kind}` (it takes: {})",
                            r.id.get_ref(),
                            allowed.join(", ")
                        ),
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
                    id: r.id.get_ref().clone(),
                    name: r.name.clone(),
                    severity: r.severity,
                    basis: r.basis.clone(),
                    help: r.help.clone(),
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
        Ok(Pack {
            meta: raw.pack,
            rules,
            origin: self.file.to_string(),
            hash: fnv1a(self.text),
            section_order,
        })
    }

    /// Fragments may use other fragments; expand them all, reporting unknown names and cycles.
    fn expand_fragments(
        &mut self,
        raw: &BTreeMap<String, Spanned<String>>,
    ) -> BTreeMap<String, String> {
        let mut done = BTreeMap::new();
        for name in raw.keys() {
            let mut stack = Vec::new();
            self.expand_fragment(name, raw, &mut done, &mut stack);
        }
        done
    }

    fn expand_fragment(
        &mut self,
        name: &str,
        raw: &BTreeMap<String, Spanned<String>>,
        done: &mut BTreeMap<String, String>,
        stack: &mut Vec<String>,
    ) -> Option<String> {
        if let Some(v) = done.get(name) {
            return Some(v.clone());
        }
        let spanned = raw.get(name)?;
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
                        .expand_fragment(inner, raw, done, stack)
                        .unwrap_or_default();
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

/// The parts a scope refers to.
pub fn scope_parts(scope: &Scope) -> Vec<usize> {
    match scope {
        Scope::Part(p) | Scope::PartBody(p) => vec![*p],
        Scope::Except(ps) => ps.clone(),
        _ => Vec::new(),
    }
}

struct RuleCx<'c, 'a> {
    c: &'c mut Compiler<'a>,
    fragments: &'c BTreeMap<String, String>,
    ids: &'c [String],
    kinds: &'c [Option<&'static str>],
    rule: &'c RawRule,
}

impl RuleCx<'_, '_> {
    fn id(&self) -> &str {
        self.rule.id.get_ref()
    }

    fn err(&mut self, offset: usize, message: String) {
        let m = format!("rule `{}`: {message}", self.id());
        self.c.error_at(offset, m);
    }

    fn pattern(&mut self, p: &Spanned<String>) -> Option<Regex> {
        let mut expanded = String::new();
        let mut rest = p.get_ref().as_str();
        while let Some(open) = rest.find("{{") {
            expanded.push_str(&rest[..open]);
            let Some(close) = rest[open..].find("}}") else {
                self.err(
                    p.span().start,
                    format!("`{{{{` without `}}}}` in pattern `{}`", p.get_ref()),
                );
                return None;
            };
            let name = rest[open + 2..open + close].trim();
            match self.fragments.get(name) {
                Some(v) => expanded.push_str(&format!("(?:{v})")),
                None => {
                    let known: Vec<&str> = self.fragments.keys().map(String::as_str).collect();
                    self.err(
                        p.span().start,
                        format!(
                            "unknown fragment `{name}` (fragments: {})",
                            known.join(", ")
                        ),
                    );
                    return None;
                }
            }
            rest = &rest[open + close + 2..];
        }
        expanded.push_str(rest);
        match RegexBuilder::new(&expanded).size_limit(1 << 22).build() {
            Ok(r) => Some(r),
            Err(e) => {
                let detail = e
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                self.err(
                    p.span().start,
                    format!("pattern `{}` does not compile: {detail}", p.get_ref()),
                );
                None
            }
        }
    }

    fn patterns(&mut self, ps: &[Spanned<String>]) -> Vec<Regex> {
        ps.iter().filter_map(|p| self.pattern(p)).collect()
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
                    fallback: self.patterns(&r.fallback),
                    levels: r.levels.clone(),
                    leading_parts,
                    until,
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
                let together = r.together.iter().map(|g| self.patterns(g)).collect();
                Check::Content(ContentCheck {
                    scope: self.scope(Scope::Whole),
                    any: self.patterns(&r.any),
                    together,
                    within: r.within.unwrap_or_default(),
                    forbid: r.forbid.unwrap_or(false),
                    if_missing: r.if_missing.unwrap_or(Status::Gap),
                })
            }
            "year" => {
                if r.scope.is_none() {
                    self.err(
                        r.id.span().start,
                        "a year rule needs a `scope` (e.g. \"part:next-year-plan\")".into(),
                    );
                }
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
}
