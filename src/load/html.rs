//! HTML reader: the article's main text of a page saved from a government site.
//!
//! The page is parsed with html5ever (through `scraper`) and flattened once into an arena in
//! document order, with the subtree of every node as an index range; every later step is a loop
//! over that arena, so deeply nested pages cost no recursion. Then:
//!
//! 1. **Main container.** A known CMS container (`.TRS_Editor`, `#zoom`, `#UCAP-CONTENT`, …) when
//!    it holds a fair share of the page's text, else a Readability-style choice: runs of text
//!    between block boundaries score their nearest container elements (parent fully, grandparent
//!    half, great-grandparent a third), scores are damped by link density, and siblings that
//!    score well join the winner.
//! 2. **Chrome.** Scripts, styles, forms and the like never count. Navigation, headers, footers,
//!    breadcrumbs, related links, share and print bars (by tag, or by a word of their id/class)
//!    and link lists are dropped from the main text — unless they hold half of its text or of
//!    its prose (runs of sentences), which makes them wrappers, not chrome. The main container
//!    and its ancestors are never dropped.
//! 3. **Lines.** Block elements and `<br>` end lines, a data-table row is one line with its cells
//!    joined by tabs, whitespace collapses (a source line break between two Chinese characters
//!    vanishes, as a browser shows it).
//! 4. **Metadata.** The title from a heading near the main container, `<meta name="ArticleTitle">`
//!    or `<title>`; the publication date from page metadata (`PubDate`, `publishdate`, …) or a
//!    labelled date outside the main text (`发布日期：…`, never a clock line `今天是…`).

use regex::Regex;
use scraper::{Html, Node};
use std::sync::LazyLock;

/// The main text of a page, as lines: the article title first, then a `发布日期：YYYY-MM-DD`
/// line when the page's metadata gives a publication date, then the body paragraphs.
pub fn extract(html: &str) -> String {
    let doc = Html::parse_document(html);
    let page = Page::build(&doc);
    page.extract()
}

const NONE: usize = usize::MAX;

/// Elements whose content is never text of the page.
const ALWAYS_DROP: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "select", "button",
    "object", "embed", "svg", "math", "canvas", "textarea", "input", "option", "audio", "video",
    "map", "title", "link", "base",
];

/// Elements that end a line.
#[rustfmt::skip]
const BLOCKS: &[&str] = &[
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu",
    "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
];

/// Elements that may be the main container.
const CONTAINERS: &[&str] = &["div", "td", "article", "section", "main", "body", "center"];

/// Known main containers of Chinese government CMSs, most specific first.
const KNOWN_CONTAINERS: &[Pattern] = &[
    Pattern::Class("TRS_Editor"),
    Pattern::Class("TRS_UEDITOR"),
    Pattern::Id("UCAP-CONTENT"),
    Pattern::Id("zoom"),
    Pattern::Class("pages_content"),
    Pattern::Id("fontzoom"),
    Pattern::Class("article-content"),
    Pattern::Class("article_content"),
    Pattern::Class("content_text"),
    Pattern::Class("wzcon"),
    Pattern::Class("main-txt"),
    Pattern::Class("zw"),
    Pattern::Id("zw"),
    Pattern::Id("content"),
    Pattern::Class("content"),
    Pattern::Tag("article"),
];

/// A known container, matched case-insensitively.
enum Pattern {
    Class(&'static str),
    Id(&'static str),
    Tag(&'static str),
}

/// Words of an id or class that mark chrome. Soft chrome (page heads, banners) may still hold
/// the article's title; hard chrome never does.
const HARD_WORDS: &[&str] = &[
    "nav",
    "navi",
    "navbar",
    "menu",
    "menus",
    "submenu",
    "breadcrumb",
    "breadcrumbs",
    "crumb",
    "crumbs",
    "location",
    "position",
    "dqwz",
    "footer",
    "foot",
    "bottom",
    "copyright",
    "bq",
    "sidebar",
    "side",
    "aside",
    "related",
    "relate",
    "xgwz",
    "xglj",
    "xgxx",
    "share",
    "fenxiang",
    "bdshare",
    "print",
    "close",
    "toolbar",
    "tools",
    "tool",
    "search",
    "login",
    "comment",
    "comments",
    "pagination",
    "pager",
    "paging",
    "qrcode",
    "ewm",
    "erweima",
    "gotop",
    "backtop",
    "yqlj",
];
const SOFT_WORDS: &[&str] = &["head", "header", "top", "topbar", "banner", "logo"];
const HARD_PARTS: &[&str] = &[
    "breadcrumb",
    "crumb",
    "copyright",
    "sidebar",
    "fenxiang",
    "pagination",
    "qrcode",
    "toolbar",
    "navbar",
    "xgwz",
    "xglj",
    "dqwz",
    "footer",
    "bdshare",
    "erweima",
    "friendlink",
    "yqlj",
];
const SOFT_PARTS: &[&str] = &["header"];
/// CSS utility words: a class holding one is layout, not chrome (`position-relative`).
const UTILITY_WORDS: &[&str] = &["relative", "absolute", "fixed", "sticky", "static"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Chrome {
    No,
    Soft,
    Hard,
}

static TITLE_WORDS: LazyLock<Regex> = LazyLock::new(|| re(r"法治|法制|依法行政|依法治"));
static TITLE_KIND: LazyLock<Regex> = LazyLock::new(|| re(r"报告|总结|情况"));
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"([0-9０-９]{4})\s*[-年/.]\s*([0-9０-９]{1,2})\s*[-月/.]\s*([0-9０-９]{1,2})|^\s*([0-9０-９]{4})([0-9０-９]{2})([0-9０-９]{2})(?:[^0-9０-９]|$)",
    )
});
/// A labelled date; the last group catches a weekday after it (a clock, not a date of record).
static LABELLED_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:^|[\s|｜:：,，;；【\[(（])(发布日期|发布时间|公开日期|公开时间|生成日期|更新时间|日期|时间)",
        r"\s*[:：]?\s*([0-9０-９]{4})\s*[-年/.]\s*([0-9０-９]{1,2})\s*[-月/.]\s*([0-9０-９]{1,2})(\s*日?\s*(?:星期|周|礼拜))?",
    ))
});
use super::PUBLICATION_LABELS as LABELS;
/// A labelled date the report parser reads as the publication date.
static PUBLICATION_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[\s|｜:：【\[(（])(?:发布日期|发布时间|公开日期|公开时间|生成日期|更新时间)\s*[:：]?\s*[0-9０-９]{4}",
    )
});

/// A built-in pattern. Digits are written `[0-9０-９]`, not `\d`: `\d` is every script's
/// decimal digits, which Chinese reports do not use and which double a pattern's compile time.
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in pattern compiles")
}

/// One node of the flattened page.
struct Item<'a> {
    parent: usize,
    /// Index of the last node of the subtree.
    end: usize,
    kind: Kind<'a>,
}

enum Kind<'a> {
    Element {
        name: &'a str,
        el: &'a scraper::node::Element,
        chrome: Chrome,
    },
    Text(&'a str),
    /// Comments, doctypes, the document itself.
    Other,
}

/// Text measures. `units` weigh a Chinese character 4 and an ASCII letter or digit 1.
#[derive(Debug, Clone, Copy, Default)]
struct Weight {
    units: u32,
    commas: u32,
}

impl Weight {
    fn of(text: &str) -> Weight {
        let mut w = Weight::default();
        for c in text.chars() {
            if is_han(c) {
                w.units += 4;
            } else if c.is_ascii_alphanumeric() {
                w.units += 1;
            }
            if matches!(c, '，' | '、' | '；' | '。' | ',' | ';') {
                w.commas += 1;
            }
        }
        w
    }

    fn add(&mut self, o: Weight) {
        self.units = self.units.saturating_add(o.units);
        self.commas = self.commas.saturating_add(o.commas);
    }

    /// Readability's paragraph score, for Chinese: one point, one per 25 characters (at most
    /// six), a quarter per comma (at most three). Runs under 8 characters score nothing.
    fn score(self) -> f64 {
        if self.units < 32 {
            return 0.0;
        }
        1.0 + (f64::from(self.units) / 100.0).min(6.0) + (f64::from(self.commas) * 0.25).min(3.0)
    }
}

struct Page<'a> {
    items: Vec<Item<'a>>,
    /// Text weight of each subtree, and the part of it inside links.
    total: Vec<u32>,
    link: Vec<u32>,
    links: Vec<u32>,
    tables: Vec<u32>,
    blocks: Vec<u32>,
    /// Score of the runs of text whose nearest block is this element, and of the subtree.
    paragraphs: Vec<f64>,
    prose: Vec<f64>,
    title: Option<String>,
    metas: Vec<(String, String)>,
}

impl<'a> Page<'a> {
    fn build(doc: &'a Html) -> Page<'a> {
        let mut page = Page {
            items: Vec::new(),
            total: Vec::new(),
            link: Vec::new(),
            links: Vec::new(),
            tables: Vec::new(),
            blocks: Vec::new(),
            paragraphs: Vec::new(),
            prose: Vec::new(),
            title: None,
            metas: Vec::new(),
        };
        // Open elements (arena index), blocks with their current run of text, links open.
        let mut open: Vec<usize> = Vec::new();
        let mut runs: Vec<(usize, Weight)> = Vec::new();
        let mut in_link = 0usize;
        let mut node = doc.tree.root();
        'walk: loop {
            let index = page.items.len();
            let parent = open.last().copied().unwrap_or(NONE);
            let mut descend = false;
            let kind = match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    if name == "title" && page.title.is_none() {
                        let text: String = node
                            .children()
                            .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                            .collect();
                        page.title = Some(collapse(&text));
                    }
                    if name == "meta" {
                        let key = el
                            .attr("name")
                            .or_else(|| el.attr("property"))
                            .or_else(|| el.attr("itemprop"))
                            .unwrap_or("");
                        if let Some(content) = el.attr("content") {
                            page.metas
                                .push((key.trim().to_ascii_lowercase(), content.to_string()));
                        }
                    }
                    if ALWAYS_DROP.contains(&name) {
                        None
                    } else {
                        descend = true;
                        Some(Kind::Element {
                            name,
                            el,
                            chrome: chrome_of(name, el),
                        })
                    }
                }
                Node::Text(t) => Some(Kind::Text(t)),
                _ => {
                    descend = true;
                    Some(Kind::Other)
                }
            };
            if let Some(kind) = kind {
                page.items.push(Item {
                    parent,
                    end: index,
                    kind,
                });
                page.total.push(0);
                page.link.push(0);
                page.links.push(0);
                page.tables.push(0);
                page.blocks.push(0);
                page.paragraphs.push(0.0);
                match &page.items[index].kind {
                    Kind::Text(t) => {
                        let w = Weight::of(t);
                        page.total[index] = w.units;
                        if in_link > 0 {
                            page.link[index] = w.units;
                        } else if let Some(run) = runs.last_mut() {
                            run.1.add(w);
                        }
                    }
                    Kind::Element { name, .. } => {
                        if *name == "br" {
                            page.close_run(&mut runs);
                        } else if *name == "a" {
                            in_link += 1;
                        } else if is_block(name) {
                            page.close_run(&mut runs);
                            runs.push((index, Weight::default()));
                        }
                    }
                    Kind::Other => {}
                }
            } else {
                descend = false;
            }
            if descend && let Some(child) = node.first_child() {
                open.push(index);
                node = child;
                continue;
            }
            if descend {
                page.close(index, &mut runs, &mut in_link);
            }
            // Climb to the next node in document order, closing finished elements.
            loop {
                if let Some(next) = node.next_sibling() {
                    node = next;
                    break;
                }
                let Some(up) = node.parent() else {
                    break 'walk;
                };
                let Some(closed) = open.pop() else {
                    break 'walk;
                };
                page.close(closed, &mut runs, &mut in_link);
                node = up;
            }
        }
        while let Some(closed) = open.pop() {
            page.close(closed, &mut runs, &mut in_link);
        }
        page.prose = page.paragraphs.clone();
        page.sum_up();
        page
    }

    fn close_run(&mut self, runs: &mut [(usize, Weight)]) {
        if let Some((block, w)) = runs.last_mut() {
            self.paragraphs[*block] += w.score();
            *w = Weight::default();
        }
    }

    fn close(&mut self, index: usize, runs: &mut Vec<(usize, Weight)>, in_link: &mut usize) {
        self.items[index].end = self.items.len() - 1;
        if let Kind::Element { name, .. } = self.items[index].kind {
            if name == "a" {
                *in_link = in_link.saturating_sub(1);
            } else if runs.last().is_some_and(|r| r.0 == index) {
                self.close_run(runs);
                runs.pop();
            }
        }
    }

    /// Subtree sums, children before parents (a parent's index is always lower).
    fn sum_up(&mut self) {
        for i in (0..self.items.len()).rev() {
            let p = self.items[i].parent;
            if p == NONE {
                continue;
            }
            self.total[p] = self.total[p].saturating_add(self.total[i]);
            self.link[p] = self.link[p].saturating_add(self.link[i]);
            self.links[p] += self.links[i];
            self.tables[p] += self.tables[i];
            self.blocks[p] += self.blocks[i];
            self.prose[p] += self.prose[i];
            if let Kind::Element { name, .. } = self.items[i].kind {
                match name {
                    "a" => self.links[p] += 1,
                    "table" => self.tables[p] += 1,
                    "p" | "div" | "li" | "br" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                        self.blocks[p] += 1
                    }
                    _ => {}
                }
            }
        }
    }

    fn name(&self, i: usize) -> Option<&'a str> {
        match self.items[i].kind {
            Kind::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    fn element(&self, i: usize) -> Option<&'a scraper::node::Element> {
        match self.items[i].kind {
            Kind::Element { el, .. } => Some(el),
            _ => None,
        }
    }

    fn chrome(&self, i: usize) -> Chrome {
        match self.items[i].kind {
            Kind::Element { chrome, .. } => chrome,
            _ => Chrome::No,
        }
    }

    /// Whether chrome-looking element `i` rather wraps the text of `within`: it holds half of
    /// its text, or half of its prose (runs of sentences, which menus and footers lack).
    fn wraps(&self, i: usize, within: usize) -> bool {
        u64::from(self.total[i]) * 2 >= u64::from(self.total[within])
            || (self.prose[within] > 0.0 && self.prose[i] * 2.0 >= self.prose[within])
    }

    fn contains(&self, outer: usize, inner: usize) -> bool {
        outer <= inner && inner <= self.items[outer].end
    }

    /// Direct children of an element.
    fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.items[i].end;
        let mut next = i + 1;
        std::iter::from_fn(move || {
            if next > end {
                return None;
            }
            let c = next;
            next = self.items[c].end + 1;
            Some(c)
        })
    }

    /// The text of a subtree, whitespace collapsed.
    fn text_of(&self, i: usize) -> String {
        let mut s = String::new();
        for j in i..=self.items[i].end {
            match self.items[j].kind {
                Kind::Text(t) => s.push_str(t),
                Kind::Element { name, .. } if is_block(name) || name == "br" => s.push(' '),
                _ => {}
            }
        }
        collapse(&s)
    }

    fn extract(&self) -> String {
        if self.items.is_empty() {
            return String::new();
        }
        // Chrome that does not wrap the page's text is left out when the container is chosen.
        let n = self.items.len();
        let mut excluded = vec![false; n];
        let mut clean = vec![0u32; n];
        let mut clean_link = vec![0u32; n];
        for i in 0..n {
            let p = self.items[i].parent;
            let dropped = self.chrome(i) != Chrome::No && !self.wraps(i, 0);
            excluded[i] = dropped || (p != NONE && excluded[p]);
        }
        // Clean sums: only text outside excluded subtrees counts.
        for i in (0..n).rev() {
            if matches!(self.items[i].kind, Kind::Text(_)) {
                clean[i] = self.total[i];
                clean_link[i] = self.link[i];
            }
            let p = self.items[i].parent;
            if p != NONE && !excluded[i] {
                clean[p] = clean[p].saturating_add(clean[i]);
                clean_link[p] = clean_link[p].saturating_add(clean_link[i]);
            }
        }
        let density = |i: usize| {
            if clean[i] == 0 {
                1.0
            } else {
                f64::from(clean_link[i]) / f64::from(clean[i])
            }
        };

        // Readability: paragraphs score their container ancestors.
        let mut score = vec![0.0f64; n];
        for (b, &s) in self.paragraphs.iter().enumerate() {
            if s <= 0.0 || excluded[b] {
                continue;
            }
            let mut a = self.items[b].parent;
            let mut level = 0;
            let mut steps = 0;
            while a != NONE && level < 3 && steps < 16 {
                if self.name(a).is_some_and(|n| CONTAINERS.contains(&n)) {
                    score[a] += s / f64::from(level + 1);
                    level += 1;
                }
                a = self.items[a].parent;
                steps += 1;
            }
        }
        let mut best: Option<(usize, f64)> = None;
        for i in 0..n {
            if score[i] > 0.0 && !excluded[i] {
                let s = score[i] * (1.0 - density(i));
                if s > 0.0 && best.is_none_or(|(_, b)| s > b) {
                    best = Some((i, s));
                }
            }
        }

        // A known CMS container wins when it holds a fair share of the text.
        let page_clean = clean[0];
        let mut roots: Vec<usize> = Vec::new();
        'patterns: for pattern in KNOWN_CONTAINERS {
            let mut found: Option<usize> = None;
            for i in 0..n {
                let p = self.items[i].parent;
                if p != NONE && excluded[p] {
                    continue;
                }
                if let Some(el) = self.element(i)
                    && matches(pattern, el)
                    && found.is_none_or(|f| clean[i] > clean[f])
                {
                    found = Some(i);
                }
            }
            let Some(c) = found else { continue };
            if clean[c] < 40 {
                continue;
            }
            let share = u64::from(clean[c]) * 10 >= u64::from(page_clean) * 3;
            let related = best.is_some_and(|(t, _)| {
                self.contains(c, t)
                    || (self.contains(t, c) && u64::from(clean[c]) * 10 >= u64::from(clean[t]) * 3)
            });
            if share || related {
                roots.push(c);
                break 'patterns;
            }
        }
        if roots.is_empty()
            && let Some((top, top_score)) = best
        {
            roots.push(top);
            let p = self.items[top].parent;
            if p != NONE {
                let threshold = (top_score * 0.2).max(10.0);
                for c in self.children(p) {
                    if c == top || excluded[c] || self.element(c).is_none() {
                        continue;
                    }
                    let s = score[c] * (1.0 - density(c));
                    let paragraph =
                        self.name(c) == Some("p") && clean[c] >= 80 && density(c) < 0.25;
                    if s >= threshold || paragraph {
                        roots.push(c);
                    }
                }
                roots.sort_unstable();
            }
        }
        if roots.is_empty() {
            // No paragraph anywhere: the body, or whatever the document holds.
            let body = (0..n).find(|&i| self.name(i) == Some("body")).unwrap_or(0);
            if self.total[body] == 0 {
                return String::new();
            }
            roots.push(body);
        }

        let rendered = self.render(&roots);
        let body = tidy(rendered.main);
        let title = self.title(&roots);
        let date = if body
            .iter()
            .any(|l| l.chars().count() <= 100 && PUBLICATION_LINE.is_match(l))
        {
            None
        } else {
            self.meta_date()
                .or_else(|| labelled_date(&rendered.side, rendered.main_at))
        };
        assemble(title, date, body)
    }

    /// Whether an element inside a main container is chrome to drop from it.
    fn dropped_in(&self, i: usize, root: usize) -> bool {
        let Some(name) = self.name(i) else {
            return false;
        };
        if self.wraps(i, root) {
            return false;
        }
        if self.chrome(i) != Chrome::No {
            return true;
        }
        // Link lists: menus, related articles.
        let min_links = match name {
            "ul" | "ol" | "dl" | "menu" => 2,
            "div" | "table" | "section" => 3,
            _ => return false,
        };
        self.links[i] >= min_links
            && self.total[i] > 0
            && u64::from(self.link[i]) * 10 >= u64::from(self.total[i]) * 8
    }

    /// A table row whose cells are short texts (data), as opposed to a layout row.
    fn data_row(&self, tr: usize) -> bool {
        let mut cells = 0;
        for c in self.children(tr) {
            if matches!(self.name(c), Some("td" | "th")) {
                cells += 1;
                if self.tables[c] > 0 || self.total[c] > 800 || self.blocks[c] > 2 {
                    return false;
                }
            }
        }
        cells > 0
    }

    fn render(&self, roots: &[usize]) -> Rendered {
        let n = self.items.len();
        let mut main = LineBuf::default();
        let mut side = LineBuf::default();
        let mut main_at = None;
        // Open elements: (index, renders to main, is a data row).
        let mut stack: Vec<(usize, bool, bool)> = Vec::new();
        let mut root: Option<usize> = None;
        let mut i = 0;
        while i < n {
            while let Some(&(top, in_main, row)) = stack.last() {
                if self.items[top].end >= i {
                    break;
                }
                stack.pop();
                let parent_main = stack.last().is_some_and(|f| f.1);
                let buf = if in_main { &mut main } else { &mut side };
                self.close_element(top, row, buf);
                if root == Some(top) {
                    root = None;
                }
                if in_main != parent_main {
                    let outer = if parent_main { &mut main } else { &mut side };
                    outer.boundary();
                }
            }
            let parent_main = stack.last().is_some_and(|f| f.1);
            match self.items[i].kind {
                Kind::Text(t) => {
                    let buf = if parent_main { &mut main } else { &mut side };
                    buf.text(t);
                }
                Kind::Element { name, .. } => {
                    let mut in_main = parent_main;
                    if root.is_none() && roots.contains(&i) {
                        root = Some(i);
                        in_main = true;
                        side.boundary();
                        main_at.get_or_insert(side.lines.len());
                    } else if let Some(r) = root
                        && in_main
                        && self.dropped_in(i, r)
                    {
                        in_main = false;
                        main.boundary();
                    }
                    let row = name == "tr" && self.data_row(i);
                    let buf = if in_main { &mut main } else { &mut side };
                    self.open_element(name, row, buf);
                    stack.push((i, in_main, row));
                }
                Kind::Other => {}
            }
            i += 1;
        }
        while let Some((top, in_main, row)) = stack.pop() {
            let buf = if in_main { &mut main } else { &mut side };
            self.close_element(top, row, buf);
        }
        main.soft();
        side.soft();
        Rendered {
            main: main.lines,
            side: side.lines,
            main_at: main_at.unwrap_or(0),
        }
    }

    fn open_element(&self, name: &str, row: bool, buf: &mut LineBuf) {
        match name {
            "br" => buf.hard(),
            "tr" if row => {
                buf.soft();
                buf.row = Some(0);
            }
            "td" | "th" if buf.row.is_some() => {
                if let Some(cells) = buf.row.as_mut() {
                    if *cells > 0 {
                        buf.cur.push('\t');
                    }
                    *cells += 1;
                }
            }
            "pre" => {
                buf.boundary();
                buf.pre += 1;
            }
            _ if is_block(name) => buf.boundary(),
            _ => {}
        }
    }

    fn close_element(&self, i: usize, row: bool, buf: &mut LineBuf) {
        let Some(name) = self.name(i) else { return };
        match name {
            "tr" if row => {
                buf.row = None;
                buf.soft();
            }
            "td" | "th" if buf.row.is_some() => {}
            "pre" => {
                buf.pre = buf.pre.saturating_sub(1);
                buf.boundary();
            }
            _ if is_block(name) => buf.boundary(),
            _ => {}
        }
    }

    /// The article's title: a heading near the main container, the `ArticleTitle` meta, or the
    /// part of `<title>` that names the report.
    fn title(&self, roots: &[usize]) -> Option<String> {
        let n = self.items.len();
        let first = roots[0];
        let last_end = roots
            .iter()
            .map(|&r| self.items[r].end)
            .max()
            .unwrap_or(first);
        // Candidates must not sit in hard chrome (menus, related lists), links or list items.
        let mut blocked = vec![false; n];
        let mut soft = vec![false; n];
        // Text before each node, to tell a heading atop the main text from a section heading.
        let mut before = vec![0u64; n + 1];
        for i in 0..n {
            let own = match self.items[i].kind {
                Kind::Text(_) => u64::from(self.total[i]),
                _ => 0,
            };
            before[i + 1] = before[i] + own;
            let p = self.items[i].parent;
            let wrapper = self.wraps(i, 0);
            let own = match self.items[i].kind {
                Kind::Element { name, chrome, .. } => {
                    (chrome == Chrome::Hard && !wrapper) || matches!(name, "a" | "li")
                }
                _ => false,
            };
            blocked[i] = own || (p != NONE && blocked[p]);
            soft[i] = (self.chrome(i) == Chrome::Soft && !wrapper) || (p != NONE && soft[p]);
        }
        let mut title_like: Option<(usize, String)> = None;
        let mut near: Option<(usize, String)> = None;
        for i in 0..n {
            if i > last_end {
                break;
            }
            let Some(el) = self.element(i) else { continue };
            let name = el.name();
            let heading = matches!(name, "h1" | "h2" | "h3")
                || el
                    .id()
                    .into_iter()
                    .chain(el.classes())
                    .any(|a| a.to_ascii_lowercase().contains("title"));
            if !heading
                || blocked[i]
                || self.total[i] == 0
                || self.total[i] > 600
                || self.items[i].end - i > 200
            {
                continue;
            }
            // Inside the main text only a heading at its very top is the article's title.
            if i > first && before[i] - before[first] > 80 {
                continue;
            }
            if u64::from(self.link[i]) * 2 > u64::from(self.total[i]) {
                continue;
            }
            let text = self.text_of(i);
            if text.is_empty() || text.chars().count() > 120 || numbered(&text) {
                continue;
            }
            let distance = first.abs_diff(i);
            if is_title_like(&text) {
                if title_like.as_ref().is_none_or(|(d, _)| distance < *d) {
                    title_like = Some((distance, text));
                }
            } else if !soft[i] {
                // A plain heading counts only next to the main container.
                let p = self.items[first].parent;
                let region = if p == NONE { first } else { p };
                if self.contains(region, i)
                    && i < first + 40
                    && near.as_ref().is_none_or(|(d, _)| distance < *d)
                {
                    near = Some((distance, text));
                }
            }
        }
        if let Some((_, t)) = title_like {
            return Some(t);
        }
        let meta = self
            .metas
            .iter()
            .find(|(k, v)| k == "articletitle" && !collapse(v).is_empty())
            .map(|(_, v)| collapse(v));
        if meta.is_some() {
            return meta;
        }
        if let Some((_, t)) = near {
            return Some(t);
        }
        self.title.as_deref().and_then(title_from_page_title)
    }

    /// The publication date from `<meta>`: publication times first, the page generation time
    /// last.
    fn meta_date(&self) -> Option<String> {
        const KEYS: &[&str] = &[
            "pubdate",
            "publishdate",
            "publish_date",
            "firstpublishedtime",
            "article:published_time",
            "og:published_time",
            "datepublished",
            "dc.date.issued",
        ];
        for key in KEYS {
            for (k, v) in &self.metas {
                if k == key
                    && let Some(d) = parse_date(v)
                {
                    return Some(d);
                }
            }
        }
        self.metas.iter().find_map(|(k, v)| {
            (k == "others" && v.contains("生成时间"))
                .then(|| parse_date(v.split("生成时间").nth(1).unwrap_or(v)))
                .flatten()
        })
    }
}

struct Rendered {
    main: Vec<String>,
    side: Vec<String>,
    /// Where the main text sits among the side lines.
    main_at: usize,
}

/// Lines being written.
#[derive(Default)]
struct LineBuf {
    lines: Vec<String>,
    cur: String,
    /// Inside a data row: the number of cells seen.
    row: Option<usize>,
    pre: usize,
}

impl LineBuf {
    fn text(&mut self, t: &str) {
        if self.pre > 0 && self.row.is_none() {
            let mut parts = t.split('\n');
            if let Some(first) = parts.next() {
                self.push_text(first);
            }
            for part in parts {
                self.hard();
                self.push_text(part);
            }
        } else {
            self.push_text(t);
        }
    }

    fn push_text(&mut self, t: &str) {
        // Tabs separate cells; a tab in the text is a space.
        if memchr::memchr(b'\t', t.as_bytes()).is_none() {
            self.cur.push_str(t);
        } else {
            self.cur.push_str(&t.replace('\t', " "));
        }
    }

    /// End the line if it holds text.
    fn soft(&mut self) {
        let line = collapse_cells(&self.cur);
        self.cur.clear();
        if !line.is_empty() {
            self.lines.push(line);
        }
    }

    /// End the line, even an empty one (`<br>`).
    fn hard(&mut self) {
        if self.row.is_some() {
            self.cur.push(' ');
            return;
        }
        let line = collapse_cells(&self.cur);
        self.cur.clear();
        self.lines.push(line);
    }

    /// A block boundary: a new line, or a space inside a table row.
    fn boundary(&mut self) {
        if self.row.is_some() {
            self.cur.push(' ');
        } else {
            self.soft();
        }
    }
}

fn collapse_cells(s: &str) -> String {
    if !s.contains('\t') {
        return collapse(s);
    }
    s.split('\t')
        .map(collapse)
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join("\t")
}

/// Collapse whitespace runs to one space and trim. A run holding a line break between two
/// Chinese characters disappears, as it does in a browser.
fn collapse(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut gap = Gap::default();
    let mut prev: Option<char> = None;
    let mut i = 0;
    while i < bytes.len() {
        // A run of ideographs and ASCII other than whitespace is kept as it is: only its first
        // and last characters are decoded.
        let start = i;
        i = crate::normalize::plain_run_end(bytes, i, |b| {
            matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
        });
        let c = if i > start {
            s[start..].chars().next().expect("a run holds a character")
        } else {
            let c = s[i..].chars().next().expect("a character starts here");
            i += c.len_utf8();
            if gap.absorbs(c) {
                continue;
            }
            c
        };
        if gap.space_before(prev, c) {
            out.push(' ');
        }
        let run = &s[start..i];
        out.push_str(run);
        prev = run.chars().next_back();
    }
    out
}

/// What `collapse` has passed over since the last character it kept.
#[derive(Default)]
struct Gap {
    /// Whitespace, to become one space.
    pending: bool,
    /// A line break among it.
    newline: bool,
}

impl Gap {
    /// Whether `c` is left out (whitespace, zero-width space, BOM), noting whitespace.
    fn absorbs(&mut self, c: char) -> bool {
        if c.is_whitespace() {
            self.pending = true;
            self.newline |= c == '\n' || c == '\r';
            true
        } else {
            matches!(c, '\u{200B}' | '\u{FEFF}')
        }
    }

    /// Whether the gap before `c`, after `prev`, leaves a space, and a new gap begins: not at the
    /// start of the text, and not for a line break between two wide characters (a browser
    /// joins them).
    fn space_before(&mut self, prev: Option<char>, c: char) -> bool {
        let space =
            self.pending && prev.is_some_and(|p| !(self.newline && is_wide(p) && is_wide(c)));
        *self = Gap::default();
        space
    }
}

/// Runs of empty lines become one, and none lead or trail.
fn tidy(lines: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for l in lines {
        if l.is_empty() && out.last().is_none_or(|p| p.is_empty()) {
            continue;
        }
        out.push(l);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

fn assemble(title: Option<String>, date: Option<String>, body: Vec<String>) -> String {
    let date_line = date.map(|d| format!("发布日期：{d}"));
    let mut out: Vec<String> = Vec::with_capacity(body.len() + 2);
    let title = title.filter(|t| !t.is_empty());
    match title {
        Some(t) => match title_in_body(&t, &body) {
            Some(k) => {
                out.extend(body[..=k].iter().cloned());
                out.extend(date_line);
                out.extend(body[k + 1..].iter().cloned());
            }
            None => {
                out.push(t);
                out.extend(date_line);
                out.extend(body);
            }
        },
        // No title apart from the body: the date follows a title line at the top of the body.
        None => {
            let k = (0..body.len())
                .filter(|&i| !body[i].is_empty())
                .take(6)
                .find(|&i| is_title_like(&body[i]));
            let split = k.map_or(0, |k| k + 1);
            out.extend(body[..split].iter().cloned());
            out.extend(date_line);
            out.extend(body[split..].iter().cloned());
        }
    }
    if out.iter().all(|l| l.trim().is_empty()) {
        return String::new();
    }
    out.join("\n")
}

/// Where the body already states the title, among its first lines (the line that ends it):
/// the title itself, or a line holding it, or two lines joined (unit, then title).
fn title_in_body(title: &str, body: &[String]) -> Option<usize> {
    let squash = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let t = squash(title);
    if t.is_empty() {
        return None;
    }
    let first: Vec<usize> = (0..body.len())
        .filter(|&i| !body[i].is_empty())
        .take(6)
        .collect();
    for (k, &i) in first.iter().enumerate() {
        let line = squash(&body[i]);
        if line.contains(&t) {
            return Some(i);
        }
        if let Some(&j) = first.get(k + 1) {
            let two = line + &squash(&body[j]);
            if two.contains(&t) && t.chars().count() > squash(&body[j]).chars().count() {
                return Some(j);
            }
        }
    }
    None
}

/// Whether a heading is numbered like a section (`一、`, `（二）`, `3.`): no article title is.
fn numbered(t: &str) -> bool {
    let mut chars = t.chars();
    let first = chars.next();
    let second = chars.next();
    match (first, second) {
        (Some('（' | '('), _) => true,
        (Some(c), Some('、' | '.' | '．')) => {
            c.is_ascii_digit() || "一二三四五六七八九十".contains(c)
        }
        (Some(c), Some(d)) => {
            c.is_ascii_digit() && d.is_ascii_digit() && t[2..].starts_with(['、', '.'])
        }
        _ => false,
    }
}

fn is_title_like(t: &str) -> bool {
    t.chars().count() <= 90
        && TITLE_WORDS.is_match(t)
        && TITLE_KIND.is_match(t)
        && !t.contains("现将")
        && !t.contains("如下")
        && !t.contains('。')
}

/// The part of a `<title>` that names the report, without the site's name.
fn title_from_page_title(t: &str) -> Option<String> {
    let parts: Vec<String> = t
        .split(['-', '_', '|', '｜', '—', '–'])
        .map(collapse)
        .filter(|p| !p.is_empty())
        .collect();
    parts
        .iter()
        .find(|p| is_title_like(p))
        .or_else(|| {
            parts
                .iter()
                .find(|p| p.contains("法治") || p.contains("报告"))
        })
        .cloned()
}

/// A date as `YYYY-MM-DD`, from the first date in a text.
fn parse_date(s: &str) -> Option<String> {
    let s = ascii_digits(s);
    let c = DATE.captures(&s)?;
    let part = |a: usize, b: usize| c.get(a).or_else(|| c.get(b)).map(|m| m.as_str());
    let (y, m, d) = (part(1, 4)?, part(2, 5)?, part(3, 6)?);
    date(y, m, d)
}

fn date(y: &str, m: &str, d: &str) -> Option<String> {
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1990..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A labelled date in the text outside the main container: the most specific label, then the
/// line nearest the main text. A clock (a date followed by the weekday) is not one.
fn labelled_date(lines: &[String], main_at: usize) -> Option<String> {
    let mut best: Option<(usize, usize, String)> = None;
    for (i, line) in lines.iter().enumerate() {
        if line.chars().count() > 200 {
            continue;
        }
        let line = super::label_with_next_line(line, lines.get(i + 1).map(String::as_str))
            .unwrap_or_else(|| line.clone());
        let line = ascii_digits(&line);
        for c in LABELLED_DATE.captures_iter(&line) {
            if c.get(5).is_some() {
                continue;
            }
            let Some(d) = date(&c[2], &c[3], &c[4]) else {
                continue;
            };
            let rank = LABELS
                .iter()
                .position(|l| *l == &c[1])
                .unwrap_or(LABELS.len());
            let distance = if i < main_at {
                main_at - i
            } else {
                i - main_at + 1
            };
            if best
                .as_ref()
                .is_none_or(|(r, dist, _)| (rank, distance) < (*r, *dist))
            {
                best = Some((rank, distance, d));
            }
        }
    }
    best.map(|(_, _, d)| d)
}

fn is_block(name: &str) -> bool {
    BLOCKS.contains(&name)
}

fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// Chinese characters and the punctuation set with them: no space between them in a browser.
fn is_wide(c: char) -> bool {
    is_han(c)
        || matches!(c,
            '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' | '\u{2010}'..='\u{206F}')
}

fn matches(pattern: &Pattern, el: &scraper::node::Element) -> bool {
    match pattern {
        Pattern::Class(c) => el.classes().any(|k| k.eq_ignore_ascii_case(c)),
        Pattern::Id(id) => el.id().is_some_and(|i| i.trim().eq_ignore_ascii_case(id)),
        Pattern::Tag(t) => el.name() == *t,
    }
}

/// Whether an element is page chrome by its tag, its id or class, or being hidden.
fn chrome_of(name: &str, el: &scraper::node::Element) -> Chrome {
    let mut kind = match name {
        // Not `form`: ASP.NET pages wrap everything in one; search and login forms are chrome by
        // their class, and their inputs and buttons never count.
        "nav" | "footer" | "aside" | "menu" => Chrome::Hard,
        "header" => Chrome::Soft,
        _ => Chrome::No,
    };
    if kind == Chrome::Hard {
        return kind;
    }
    let style: String = el
        .attr("style")
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    if el.attr("hidden").is_some()
        || style.contains("display:none")
        || style.contains("visibility:hidden")
    {
        return Chrome::Hard;
    }
    for token in el.id().into_iter().chain(el.classes()) {
        kind = kind.max(chrome_token(token));
        if kind == Chrome::Hard {
            break;
        }
    }
    kind
}

/// Chrome by one id or class token: `breadcrumb`, `news-nav`, `topMenu`, `xgwz_list`.
fn chrome_token(token: &str) -> Chrome {
    // Split camelCase, then on anything that is not a letter.
    let mut spaced = String::with_capacity(token.len() + 4);
    let mut prev_lower = false;
    for c in token.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            spaced.push(' ');
        }
        prev_lower = c.is_ascii_lowercase();
        spaced.push(c.to_ascii_lowercase());
    }
    let words: Vec<&str> = spaced
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().any(|w| UTILITY_WORDS.contains(w))
        || (words.len() == 1 && spaced.chars().any(|c| c.is_ascii_digit()) && spaced.contains('-'))
    {
        // `position-relative`, `top-0`: layout utilities.
        return Chrome::No;
    }
    let lower = token.to_ascii_lowercase();
    if words.iter().any(|w| HARD_WORDS.contains(w)) || HARD_PARTS.iter().any(|p| lower.contains(p))
    {
        Chrome::Hard
    } else if words.iter().any(|w| SOFT_WORDS.contains(w))
        || SOFT_PARTS.iter().any(|p| lower.contains(p))
    {
        Chrome::Soft
    } else {
        Chrome::No
    }
}

#[cfg(test)]
#[path = "../../tests/support/html_gen.rs"]
mod html_gen;

#[cfg(test)]
mod tests {
    use super::*;

    /// [`collapse`] a character at a time, as it was before runs were copied whole.
    fn collapse_by_char(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut gap = Gap::default();
        let mut prev: Option<char> = None;
        for c in s.chars() {
            if gap.absorbs(c) {
                continue;
            }
            if gap.space_before(prev, c) {
                out.push(' ');
            }
            out.push(c);
            prev = Some(c);
        }
        out
    }

    #[test]
    fn collapsing_runs_gives_what_collapsing_each_character_gave() {
        // Every string of up to four characters over an alphabet of the cases: wide and narrow
        // characters, every kind of break and space, and characters collapse drops.
        let alphabet: Vec<char> = "法a，é\u{3000} \n\r\t\u{0B}\u{200B}\u{FEFF}\u{85}"
            .chars()
            .collect();
        let mut texts = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(last.iter().cloned());
        }
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
        for entry in std::fs::read_dir(dir).expect("samples/ exists").flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                texts.push(text);
            }
        }
        for t in &texts {
            assert_eq!(collapse(t), collapse_by_char(t), "{t:?}");
        }
    }

    fn lines(html: &str) -> Vec<String> {
        extract(html).lines().map(str::to_string).collect()
    }

    /// Index of each needle among the lines (the first line containing it), asserting order.
    fn assert_in_order(text: &str, needles: &[&str]) {
        let mut from = 0;
        for needle in needles {
            match text[from..].find(needle) {
                Some(at) => from += at + needle.len(),
                None => panic!("{needle:?} missing or out of order in:\n{text}"),
            }
        }
    }

    const GOVERNMENT_PAGE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>云溪镇关于2022年度法治政府建设情况的报告_云溪县人民政府</title>
<meta name="SiteName" content="云溪县人民政府">
<script>var hotWords = ["第一责任人", "存在的问题", "2024年工作安排"]; function go(){}</script>
<style>.TRS_Editor p { text-indent: 2em; }</style>
</head>
<body>
<div class="top-bar">关怀版 无障碍 <span id="clock">今天是：2023年6月7日 星期三</span></div>
<div class="header"><div class="logo">云溪县人民政府</div></div>
<div class="nav"><ul>
  <li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
  <li><a href="/zt">第一责任人述法专栏</a></li><li><a href="/wt">存在的问题整改台账</a></li>
  <li><a href="/ap">2024年工作安排解读</a></li></ul></div>
<div class="breadcrumb">您当前所在位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 法治政府建设年度报告</div>
<div class="main-content">
 <table class="xxgk-info">
  <tr><td>索引号：</td><td>001/2023-00017</td><td>发布机构：</td><td>云溪镇人民政府</td></tr>
  <tr><td>发布日期：</td><td>2023-03-10</td><td>主题分类：</td><td>其他</td></tr>
 </table>
 <h1 class="article-title">云溪镇关于2022年度法治政府建设情况的报告</h1>
 <div class="TRS_Editor">
  <p>　　2022年，我镇坚持依法行政，推进法治政府建设取得新成效。现将有关情况报告如下：</p>
  <p><strong>一、主要举措和成效</strong></p>
  <p>　　全年开展普法活动三十场，受教育群众五千余人次，
     详见<a href="/fj.pdf">附件</a>。</p>
  <table>
   <tr><th>项目</th><th>数量</th></tr>
   <tr><td><p>行政复议案件</p></td><td>12件</td></tr>
   <tr><td>行政诉讼案件</td><td>5件</td></tr>
  </table>
  <p><strong>二、存在的不足和原因</strong></p>
  <p>　　一是执法力量薄弱；二是普法形式单一。</p>
 </div>
 <div class="article-tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
 <div class="xgwz"><h3>相关文章</h3><ul>
  <li><a href="/a">云溪镇关于2019年度法治政府建设情况的报告</a></li>
  <li><a href="/b">云溪镇关于2021年度法治政府建设情况的报告</a></li></ul></div>
</div>
<div class="footer">版权所有：云溪县人民政府 网站标识码：4314270067 滇ICP备12345678号</div>
<script>document.write("第一责任人 存在的问题");</script>
</body></html>"#;

    #[test]
    fn government_page_keeps_the_article_and_drops_the_chrome() {
        let text = extract(GOVERNMENT_PAGE);
        let l: Vec<&str> = text.lines().collect();
        assert_eq!(l[0], "云溪镇关于2022年度法治政府建设情况的报告", "{text}");
        assert_eq!(l[1], "发布日期：2023-03-10", "{text}");
        assert_in_order(
            &text,
            &[
                "2022年，我镇坚持依法行政",
                "一、主要举措和成效",
                "全年开展普法活动三十场，受教育群众五千余人次，详见附件。",
                "项目\t数量",
                "行政复议案件\t12件",
                "行政诉讼案件\t5件",
                "二、存在的不足和原因",
                "一是执法力量薄弱；二是普法形式单一。",
            ],
        );
        for chrome in [
            "第一责任人",
            "存在的问题",
            "2024年工作安排",
            "2019年度",
            "2021年度",
            "相关文章",
            "打印本页",
            "关闭窗口",
            "版权所有",
            "ICP",
            "您当前所在位置",
            "今天是",
            "索引号",
            "首页",
            "{",
        ] {
            assert!(!text.contains(chrome), "{chrome:?} leaked into:\n{text}");
        }
        // Each row of the table is one line, and no paragraph is split.
        assert!(l.contains(&"行政复议案件\t12件"));
        assert_eq!(l.iter().filter(|x| x.contains("普法活动")).count(), 1);
    }

    #[test]
    fn density_picks_the_text_when_no_known_container_exists() {
        let html = r#"<html><head><title>青岚县2023年法治政府建设情况报告 - 青岚县司法局</title></head><body>
<div id="menu"><a href="/">首页</a> <a href="/1">机构概况</a> <a href="/2">政务公开</a> <a href="/3">法治督察第一责任人</a></div>
<div class="wrap"><div class="leftbox"><ul>
  <li><a href="/x">青岚县2020年法治政府建设情况报告</a></li>
  <li><a href="/y">青岚县2021年法治政府建设情况报告</a></li>
  <li><a href="/z">关于开展“八五”普法中期评估的通知</a></li></ul></div>
<div class="rightbox">
  <h2>青岚县2023年法治政府建设情况报告</h2>
  <div class="body-text">
   <p>2023年，青岚县坚持以习近平法治思想为指导，统筹推进法治政府建设，各项工作取得新进展。</p>
   <p>一、主要举措和成效</p>
   <p>（一）依法全面履行政府职能。深化“放管服”改革，承接下放事项四十一项，取消证明事项二十三项。</p>
   <p>（二）严格规范公正文明执法。全县二十八个执法主体公示执法信息五千六百余条，案卷评查一百八十六卷。</p>
  </div>
</div></div>
<div id="bottom">主办单位：青岚县司法局 地址：青岚县文化路1号</div>
</body></html>"#;
        let text = extract(html);
        let l: Vec<&str> = text.lines().collect();
        assert_eq!(l[0], "青岚县2023年法治政府建设情况报告", "{text}");
        assert_in_order(
            &text,
            &[
                "2023年，青岚县坚持",
                "一、主要举措和成效",
                "（一）依法全面履行政府职能",
                "（二）严格规范公正文明执法",
            ],
        );
        for chrome in [
            "2020年",
            "2021年",
            "八五",
            "机构概况",
            "主办单位",
            "第一责任人",
        ] {
            assert!(!text.contains(chrome), "{chrome:?} leaked into:\n{text}");
        }
        assert_eq!(
            l.iter().filter(|x| x.contains("青岚县2023年法治")).count(),
            1
        );
    }

    #[test]
    fn publication_date_from_page_metadata() {
        let html = r#"<html><head>
<meta name="ArticleTitle" content="梧桐镇2021年度法治政府建设工作报告">
<meta name="PubDate" content="2022-03-25 09:00">
<title>梧桐镇2021年度法治政府建设工作报告-梧桐镇人民政府</title></head><body>
<div id="zoom"><p>2021年，梧桐镇全面推进依法行政，法治政府建设取得积极成效。</p>
<p>一、主要举措和成效</p><p>全镇开展法治讲座十二场，覆盖干部群众三千余人次。</p></div>
</body></html>"#;
        assert_eq!(
            lines(html)[..3],
            [
                "梧桐镇2021年度法治政府建设工作报告",
                "发布日期：2022-03-25",
                "2021年，梧桐镇全面推进依法行政，法治政府建设取得积极成效。"
            ]
        );
        let others = html.replace(
            r#"<meta name="PubDate" content="2022-03-25 09:00">"#,
            r#"<meta name="others" content="页面生成时间 2022-04-02 10:21:05">"#,
        );
        assert_eq!(lines(&others)[1], "发布日期：2022-04-02");
    }

    #[test]
    fn a_clock_line_is_not_the_publication_date() {
        let html = r#"<html><body>
<div class="topbar">今天是：2020年5月8日 星期五</div>
<div class="datebox">日期：2020年5月8日 星期五</div>
<div class="TRS_Editor"><p>某县2019年法治政府建设情况报告</p>
<p>2019年，我县深入推进依法行政，加快建设法治政府，取得明显成效，现报告如下。</p></div>
</body></html>"#;
        let text = extract(html);
        assert!(!text.contains("发布日期"), "{text}");
        assert!(!text.contains("2020"), "{text}");
        assert_eq!(text.lines().next(), Some("某县2019年法治政府建设情况报告"));
    }

    #[test]
    fn a_date_in_the_list_item_after_its_label_is_the_publication_date() {
        let html = r#"<html><body><ul class="info"><li>发布时间：</li><li>2024-03-28</li>
<li>来源：县司法局</li></ul><div class="content"><h1>某县2023年法治政府建设情况报告</h1>
<p>2023年，某县深入推进法治政府建设，全年办理行政复议案件12件，纠错3件。</p></div></body></html>"#;
        assert_eq!(lines(html)[1], "发布日期：2024-03-28");
    }

    #[test]
    fn a_labelled_date_in_the_metadata_box_is_read_once() {
        let html = r#"<html><body>
<div class="info">信息来源：县府办 发布时间：2024年3月15日 15:56 浏览次数：</div>
<div class="pages_content"><p>岱山县人民政府关于2023年度法治政府建设工作的报告</p>
<p>2023年，岱山县人民政府坚持以习近平法治思想为根本遵循，推进法治政府建设。</p></div>
</body></html>"#;
        assert_eq!(
            lines(html),
            [
                "岱山县人民政府关于2023年度法治政府建设工作的报告",
                "发布日期：2024-03-15",
                "2023年，岱山县人民政府坚持以习近平法治思想为根本遵循，推进法治政府建设。"
            ]
        );
        // The date inside the main text is not repeated.
        let inside = html.replace(r#"<div class="info">"#, "<p>").replace(
            "浏览次数：</div>\n<div class=\"pages_content\">",
            "</p>\n<div class=\"pages_content\">",
        );
        let inside = inside.replace(
            "<div class=\"pages_content\">",
            "<div class=\"pages_content\"><p>发布时间：2024-03-15</p>",
        );
        let text = extract(&inside);
        assert_eq!(text.matches("2024").count(), 1, "{text}");
    }

    #[test]
    fn br_separated_paragraphs_become_lines() {
        let html = "<html><body><div class=\"nav\"><a>首页</a></div><div id=\"zw\">\
            苇溪乡人民政府法治政府建设情况报告<br><br>　　2023年，我乡坚持依法行政，\n推进法治政府建设。<br>\
            一、主要举措和成效<br/>全乡开展法治宣传活动二十场，发放资料三千份。<br></div></body></html>";
        assert_eq!(
            lines(html),
            [
                "苇溪乡人民政府法治政府建设情况报告",
                "",
                "2023年，我乡坚持依法行政，推进法治政府建设。",
                "一、主要举措和成效",
                "全乡开展法治宣传活动二十场，发放资料三千份。"
            ]
        );
    }

    #[test]
    fn title_from_the_page_title_without_the_site_name() {
        let html = r#"<html><head><title>首页 | 澄江区2023年法治政府建设情况报告 — 沧澜市澄江区人民政府</title></head>
<body><div class="article_content"><p>2023年，澄江区坚持法治引领，依法行政水平持续提升。</p>
<p>一、主要举措和成效</p></div></body></html>"#;
        assert_eq!(lines(html)[0], "澄江区2023年法治政府建设情况报告");
        assert_eq!(
            title_from_page_title("政务公开-某县人民政府"),
            None,
            "a title naming no report is not used"
        );
    }

    #[test]
    fn main_container_with_a_chrome_word_in_its_class_is_kept() {
        let html = r#"<html><body><div class="content-head">
<p>2022年，丹溪县自然资源局坚持依法行政，推进法治政府建设，取得了明显成效。</p>
<p>一、主要举措和成效</p><p>全年办理行政许可事项一千二百件，全部依法按时办结。</p>
<div class="share">分享到：微信 微博</div></div></body></html>"#;
        let text = extract(html);
        assert_in_order(&text, &["2022年，丹溪县", "一、主要举措", "全年办理"]);
        assert!(!text.contains("分享到"), "{text}");
    }

    #[test]
    fn never_panics_and_stays_fast() {
        assert_eq!(extract(""), "");
        assert_eq!(
            extract("<html><body><script>var a = 1;</script></body></html>"),
            ""
        );
        for junk in [
            "<",
            "<<>>",
            "</p></div>",
            "<table><td>一<tr>二",
            "<p>a<b>b<i>c</p>d</b>",
        ] {
            extract(junk);
        }
        // html5ever's own cost grows with the square of the nesting depth (each <div> looks for
        // a <p> in button scope), so pathological depths are slow to parse, not to read.
        let deep = "<div>".repeat(3_000) + "正文" + &"</div>".repeat(3_000);
        assert!(extract(&deep).contains("正文"));
        let deep_spans = "<span>".repeat(50_000) + "正文" + &"<p>段落".repeat(100);
        assert!(extract(&deep_spans).contains("段落"));
        let paragraph = "<p>2022年，我县坚持依法行政，推进法治政府建设，各项工作取得新进展，群众满意度持续提升。</p>\n";
        let big = format!(
            "<html><body><div class=\"nav\">{}</div><div class=\"TRS_Editor\">{}</div></body></html>",
            "<a href=\"/x\">栏目</a>".repeat(2_000),
            paragraph.repeat(15_000)
        );
        assert!(big.len() > 2_000_000);
        let started = std::time::Instant::now();
        let text = extract(&big);
        assert_eq!(text.lines().count(), 15_000);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn chrome_words_in_ids_and_classes() {
        for chrome in [
            "breadcrumb",
            "news-nav",
            "topMenu",
            "xgwz_list",
            "footer2",
            "bdsharebuttonbox",
            "page-nav",
            "qrcode",
        ] {
            assert_eq!(chrome_token(chrome), Chrome::Hard, "{chrome}");
        }
        for soft in ["header", "article-head", "top"] {
            assert_eq!(chrome_token(soft), Chrome::Soft, "{soft}");
        }
        for plain in [
            "TRS_Editor",
            "pages_content",
            "content",
            "position-relative",
            "inside",
            "main-txt",
            "top-0",
        ] {
            assert_eq!(chrome_token(plain), Chrome::No, "{plain}");
        }
    }

    #[test]
    fn samples_survive_a_round_trip_through_a_government_page() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        assert!(!files.is_empty());
        for file in files {
            let sample = std::fs::read_to_string(&file).unwrap();
            let page = html_gen::html_from_text(&sample);
            let text = extract(&page);
            let got: Vec<String> = text.lines().map(collapse).collect();
            let mut at = 0;
            for line in sample.lines().map(collapse).filter(|l| !l.is_empty()) {
                match got[at..].iter().position(|g| *g == line) {
                    Some(k) => at += k + 1,
                    None => panic!(
                        "{}: line {line:?} missing or out of order in:\n{text}",
                        file.display()
                    ),
                }
            }
            for marker in html_gen::CHROME_MARKERS {
                assert!(
                    !text.contains(marker),
                    "{}: chrome {marker:?} leaked",
                    file.display()
                );
                assert!(
                    !sample.contains(marker),
                    "{}: marker {marker:?} is not unique",
                    file.display()
                );
            }
            let non_empty = got.iter().filter(|l| !l.is_empty()).count();
            let expected = sample.lines().filter(|l| !l.trim().is_empty()).count();
            assert_eq!(
                non_empty,
                expected,
                "{}: extra lines in:\n{text}",
                file.display()
            );
        }
    }

    #[test]
    fn section_headings_are_not_the_title() {
        let html = r#"<html><head><title>信息公开 - 丹溪县人民政府</title></head><body>
<div class="TRS_Editor"><p>2022年，丹溪县自然资源局坚持依法行政，全面推进法治政府建设，各项工作取得新成效。</p>
<h2>一、2022年法治政府建设工作开展情况</h2><p>全年办理行政许可事项一千二百件，全部依法按时办结。</p>
<h2>（二）推进法治宣传情况</h2><p>开展法治宣传活动二十场，发放资料三千份。</p></div></body></html>"#;
        let text = extract(html);
        assert!(text.starts_with("2022年，丹溪县自然资源局"), "{text}");
        assert_eq!(
            text.matches("一、2022年法治政府建设工作开展情况").count(),
            1
        );
    }

    #[test]
    fn old_layout_tables_and_link_lists_inside_the_main_container() {
        let html = r##"<html><head><title>关于2020年度法治政府建设工作的报告_开江县人民政府</title></head><body>
<table width="100%"><tr><td><img src="logo.gif"></td><td>今天是：2021年3月5日 星期五 <a href="#">设为首页</a></td></tr></table>
<table width="1000"><tr><td width="200" valign="top"><table>
  <tr><td><a href="/1">政府信息公开指南</a></td></tr><tr><td><a href="/2">政府信息公开制度</a></td></tr>
  <tr><td><a href="/3">2019年法治政府建设报告</a></td></tr></table></td>
<td width="800" valign="top"><table>
  <tr><td align="center"><font size="5"><b>关于2020年度法治政府建设工作的报告</b></font></td></tr>
  <tr><td align="center">更新时间:2021-03-03 11:44:48 作者:admin 点击数: </td></tr>
  <tr><td><font style="font-size:16px">开江县法治政府建设工作领导小组办公室<br>关于2020年度法治政府建设工作的报告<br>
  　　2020年,我县深入推进依法行政,加快推进法治政府建设,各项工作取得了较好成效。现将工作开展情况报告如下:<br>
  一、2020年工作开展情况<br>(一)加强工作统筹谋划。政府常务会议听取法治政府建设工作汇报,研究部署重点工作。<br>
  二、2021年重点工作打算<br>进一步抓好主体责任落实,建立法治政府建设第一责任人职责清单。</font></td></tr>
  <tr><td><ul><li><a href="/a">开江县2018年度法治政府建设工作报告</a></li><li><a href="/b">开江县2019年度法治政府建设工作报告</a></li></ul></td></tr>
</table></td></tr></table>
<table><tr><td>Copyright 2003-2021 开江县人民政府 版权所有 蜀ICP备05000000号</td></tr></table>
</body></html>"##;
        let text = extract(html);
        let l: Vec<&str> = text.lines().collect();
        assert_eq!(
            l[..4],
            [
                "关于2020年度法治政府建设工作的报告",
                "更新时间:2021-03-03 11:44:48 作者:admin 点击数:",
                "开江县法治政府建设工作领导小组办公室",
                "关于2020年度法治政府建设工作的报告",
            ],
            "{text}"
        );
        assert_eq!(l.len(), 9, "{text}");
        for chrome in ["今天是", "信息公开", "2018年度", "2019年", "版权所有"] {
            assert!(!text.contains(chrome), "{chrome:?} leaked into:\n{text}");
        }
    }

    #[test]
    fn a_chrome_named_wrapper_of_a_short_report_is_kept() {
        let menu = "<li><a href=\"/x\">政务公开栏目导航</a></li>".repeat(150);
        let html = format!(
            r#"<html><body><div class="menu"><ul>{menu}</ul></div>
<form id="form1"><div class="page-bottom-box"><div class="TRS_Editor">
<p>2023年，苇溪乡坚持依法行政，推进法治政府建设，取得了新的成效。</p>
<p>一、主要举措和成效</p><p>全乡开展法治宣传活动二十场，发放资料三千份，群众法治意识明显增强。</p>
</div></div></form></body></html>"#
        );
        let text = extract(&html);
        assert_in_order(
            &text,
            &["2023年，苇溪乡", "一、主要举措", "全乡开展法治宣传"],
        );
        assert!(!text.contains("栏目导航"), "{text}");
    }
}
