//! The report model. The text is cut into blocks — one per line, and a line is cut again where a
//! top-level heading starts after a sentence end — and every block is classified as web chrome,
//! title, heading or body. Headings form the outline; metadata (title, unit, year, publication
//! date) is read from the blocks. Rules see only title and body blocks, never chrome.

use crate::normalize::{self, Folded, chinese_year, fold, numeral_value};
use regex::Regex;
use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

/// One block of the report: a line of the original, or part of one.
#[derive(Debug, Clone)]
pub struct Block {
    /// 1-based line number in the original text.
    pub line: usize,
    /// The block as written (trimmed).
    pub text: String,
    /// The block folded for matching, with the way back to `text`.
    pub folded: Folded,
    pub kind: BlockKind,
    /// The sentences of `folded`, found on first use: most rules read a block by sentences.
    sentences: std::sync::OnceLock<Vec<Range<usize>>>,
    /// The number of inline items, counted on first use: a part's rule and the measures both
    /// count them, and the marker regex has no literal to start from.
    items: std::sync::OnceLock<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    /// Web-page or document-sharing chrome: navigation, metadata boxes, banners, related links.
    Chrome,
    Title,
    Heading(Heading),
    Body,
}

/// A numbered heading of the outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Depth by numbering style: 一、=1, （一）=2, 1.=3, （1）=4, ①=5; Markdown `#` by its count.
    pub rank: u8,
    /// The heading's number within its style (一 → 1), when it has one.
    pub number: Option<u32>,
    /// The marker as it appears in the folded text, e.g. `(二)`.
    pub marker: String,
    /// Folded heading text after the marker, up to the first sentence end.
    pub title: String,
    /// Byte offset in the folded block where the text after the title begins.
    pub body_start: usize,
}

impl Heading {
    /// The marker of an attachment's heading ([`mark_attachments`]).
    pub const ATTACHMENT: &'static str = "附件";

    /// Whether this heading opens an attachment after the report's signature.
    pub fn is_attachment(&self) -> bool {
        self.marker == Self::ATTACHMENT
    }

    /// Longest heading title that is matched as a heading; a longer first sentence is a numbered
    /// paragraph (an item), which still counts for the outline.
    pub const MAX_TITLE_CHARS: usize = 50;

    pub fn is_titled(&self) -> bool {
        self.title.chars().count() <= Self::MAX_TITLE_CHARS
    }
}

/// A calendar date as found in page metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Date { year, month, day })
    }
}

/// Where the report year was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum YearSource {
    Title,
    Opening,
    Body,
}

#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: Option<String>,
    pub title_line: Option<usize>,
    pub unit: Option<String>,
    pub year: Option<i32>,
    pub year_source: Option<YearSource>,
    pub published: Option<Date>,
    pub published_line: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub blocks: Vec<Block>,
    pub meta: Meta,
    /// Blocks after this index are trailing chrome (related links, footer).
    body_end: usize,
    /// The heading ranks the report uses, highest first (rank 1 before rank 2 …).
    ranks: Vec<u8>,
}

/// A built-in pattern. Digits are written `[0-9０-９]`, not `\d`: `\d` is every script's
/// decimal digits, which Chinese reports do not use and which double a pattern's compile time.
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in pattern compiles")
}

/// A top-level or second-level heading that starts after a sentence end inside a line.
static MIDLINE_HEADING: LazyLock<Regex> =
    LazyLock::new(|| re(r"。\s*(\(?)([一二三四五六七八九十]{1,3})(?:、|\))"));
/// What ends a sentence in folded text: `。` `!` `?` `;` `…`. The functions below find these
/// marks on their bytes; the tests hold them to this list.
#[cfg(test)]
static SENTENCE_END: &[char] = &['。', '!', '?', ';', '…'];

/// Where each sentence mark of a folded text ends, in order. Found with `memchr` on the
/// marks' bytes (the ASCII marks, and the lead bytes of `。` E3 80 82 and `…` E2 80 A6) rather
/// than by decoding every character: sentences are split in every block of every report.
fn sentence_mark_ends(t: &str) -> Vec<usize> {
    let b = t.as_bytes();
    let mut ends: Vec<usize> = memchr::memchr3_iter(b'!', b'?', b';', b)
        .map(|i| i + 1)
        .collect();
    let ascii = ends.len();
    ends.extend(memchr::memchr2_iter(0xE2, 0xE3, b).filter_map(|i| {
        match (b[i], b.get(i + 1..i + 3)) {
            (0xE3, Some([0x80, 0x82])) | (0xE2, Some([0x80, 0xA6])) => Some(i + 3),
            _ => None,
        }
    }));
    if ascii > 0 && ascii < ends.len() {
        ends.sort_unstable();
    }
    ends
}
/// Where the last sentence mark of `t[..at]` ends, or 0: the start of the sentence that
/// holds byte `at`. Found on bytes like [`sentence_mark_ends`]: the three-byte marks by their
/// last bytes (82 of `。`, A6 of `…`), checked backwards.
fn mark_end_before(t: &str, at: usize) -> usize {
    let b = &t.as_bytes()[..at];
    let ascii = memchr::memrchr3(b'!', b'?', b';', b).map_or(0, |i| i + 1);
    let wide = memchr::memrchr2_iter(0x82, 0xA6, b)
        .find(|&i| {
            i >= 2
                && matches!(
                    (&b[i - 2..i], b[i]),
                    ([0xE3, 0x80], 0x82) | ([0xE2, 0x80], 0xA6)
                )
        })
        .map_or(0, |i| i + 1);
    ascii.max(wide)
}

/// Where the first sentence mark that starts at or after byte `at` ends, or `t.len()`:
/// the end of the sentence that holds byte `at`.
fn mark_end_after(t: &str, at: usize) -> usize {
    let b = t.as_bytes();
    let ascii = memchr::memchr3(b'!', b'?', b';', &b[at..]).map(|i| at + i);
    let wide = memchr::memchr2_iter(0xE2, 0xE3, &b[at..])
        .map(|i| at + i)
        .find(|&i| {
            matches!(
                (b[i], b.get(i + 1..i + 3)),
                (0xE3, Some([0x80, 0x82])) | (0xE2, Some([0x80, 0xA6]))
            )
        });
    match (ascii, wide) {
        (Some(a), Some(w)) if a < w => a + 1,
        (_, Some(w)) => w + 3,
        (Some(a), None) => a + 1,
        (None, None) => t.len(),
    }
}

/// Characters a line may end with when its sentence is complete; a page number glued to the
/// next line follows a line that ends otherwise.
static LINE_CLOSERS: &[char] = &[
    '。', '!', '?', ';', ':', '…', '”', '"', '’', ')', '》', '」', '』', '】', '！', '？', '；',
    '：', '）',
];

/// Lines that are web-page chrome wherever they stand, when short.
static CHROME: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(?:关怀版|无障碍|长者模式|适老化|繁體|简体版|您当前所在位置|您现在的位置|您的位置|当前位置|首页\s*[>>»/]|",
        r"访问量|浏览次数|浏览量|点击数|阅读次数|索引号|发布机构|组配分类|主题分类|主题词|(?:文章|信息)?来源\s*:|",
        r"文号|发文字号|发文机关|制发机构|成文日期|有效性|公开方式|公开范围|",
        r"打印本页|【?打印|关闭窗口|【?关闭|扫一扫|分享到|字号|【?字体|相关文章|相关链接|相关阅读|上一篇|下一篇|",
        r"版权所有|主办单位|承办单位|网站标识码|网站地图|联系我们|今天是|发布日期|发布时间|更新时间|生成日期|作者\s*:|",
        r"本文档|文档由|用户上传|下载文档|立即下载|点击下载|免费下载|文档贡献者|原创力文档|道客巴巴|豆丁网|百度文库)",
    ))
});

/// A folded line that is only a page number (`- 3 -`, `12`, `3/15`): a page break of a printed or
/// shared document. Read by hand, as [`is_file_name`]: as regex alternatives of [`CHROME`]
/// (`[-—\s]*\d{1,3}[-—\s]*$`, `\d{1,3}\s*/\s*\d{1,3}$`, `\S{1,80}\.(?:docx?|…)$`) they took
/// four fifths of its 1.4 ms compile and gave its search no literal to start from.
fn is_page_number(line: &str) -> bool {
    let number = |t: &str| (1..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
    let dash_or_space = |c: char| c == '-' || c == '—' || c.is_whitespace();
    number(line.trim_matches(dash_or_space))
        || line
            .split_once('/')
            .is_some_and(|(page, of)| number(page.trim_end()) && number(of.trim_start()))
}

/// A line that is only a file name (`某县2023年法治政府建设年度报告.docx`), up to 80 characters
/// before the extension, none of them a space.
fn is_file_name(line: &str) -> bool {
    ["docx", "doc", "pdf", "wps", "txt", "ppt"]
        .iter()
        .any(|ext| {
            line.strip_suffix(ext)
                .and_then(|l| l.strip_suffix('.'))
                .is_some_and(|stem| {
                    !stem.is_empty()
                        && stem.chars().count() <= 80
                        && !stem.chars().any(char::is_whitespace)
                })
        })
}
/// A site clock: a date with its weekday (`2019年12月3日星期二`), on a short line.
static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日\s*(?:星期|周)[一二三四五六日天]",
    )
});
static CHROME_ANYWHERE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"ICP备|网站标识码|公网安备|仅供.{0,6}(?:学习|参考|交流)|首页\s*>|访问量\s*:|浏览次数\s*:")
});
/// Lines that open the trailer of a web page: everything after them is chrome.
static TRAILER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:【?相关(?:文章|链接|阅读|新闻|文件)|上一篇|下一篇|打印本页|【?打印|关闭窗口)")
});
const CHROME_MAX_CHARS: usize = 100;

/// A label some pages put before the title.
static TITLE_LABEL: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?:文章)?(?:标\s*题|题\s*名|名\s*称)\s*[:：|]\s*"));
static TITLE_WORDS: LazyLock<Regex> = LazyLock::new(|| re(r"法治|法制|依法行政|依法治"));
static TITLE_KIND: LazyLock<Regex> = LazyLock::new(|| re(r"报告|总结|情况"));
static UNIT_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:政府|委员会|办公室|局|委|镇|乡|街道|办事处|管委会|院|厅|中心|部|小组|公司|署|所)$")
});
static UNIT_BEFORE_TITLE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(.+?)\s*(?:关于|(?:[0-9０-９]{4}|[一二三四五六七八九〇零○]{4})\s*年)"));
static UNIT_AFTER_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:关于)?(?:[0-9０-９]{4}|[一二三四五六七八九〇零○]{4})\s*年度?\s*(.+?)(?:法治政府建设|法治建设|依法行政|法治)",
    )
});
/// Spans whose years are not the report's: cited documents and year ranges.
static NOT_REPORT_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"《[^》]*》|(?:[0-9０-９]{4}|[一二三四五六七八九〇零○]{4})\s*年?\s*[-—–~～至到]+\s*(?:[0-9０-９]{4}|[一二三四五六七八九〇零○]{4})",
    )
});
static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:^|[\s|:])(发布日期|发布时间|公开日期|公开时间|生成日期|更新时间|日期|时间)[\s:|]*",
        r"([0-9０-９]{4})\s*[-年/.]\s*([0-9０-９]{1,2})\s*[-月/.]\s*([0-9０-９]{1,2})"
    ))
});
static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[^0-9０-９/-])([0-9０-９]{4})[-/.]([0-9０-９]{1,2})[-/.]([0-9０-９]{1,2})(?:$|[^0-9０-９])",
    )
});
/// Words of a page's metadata line; 发表于 and 原创 are a WeChat article's (原创 某县司法
/// 2024-03-29 18:00 发表于湖南).
static META_WORDS: LazyLock<Regex> =
    LazyLock::new(|| re(r"来源|浏览|点击|阅读|字号|作者|发布|分享|打印|编辑|发表于|原创"));

fn date_of(y: &str, m: &str, d: &str) -> Option<Date> {
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Whether `c` is one of the Chinese numerals that number headings and items (一、, (二), 三是).
/// A `match`: `str::contains(char)` sets up a substring search for every call, and the hand
/// readings ask this of most characters they read.
fn is_heading_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// How many inline items (一是, ①, (1)) a folded text holds: markers at its start or after a
/// mark that ends a clause (`。;:!?,`), with optional spaces between, as the regex
/// `(?:^|[。;:!?,])\s*(?:[一二三四五六七八九十]{1,3}是|[①-⑳]|\([0-9]{1,2}\))` finds them.
///
/// The marks are found with `memchr` and `memmem` and only what follows each is read: as a
/// regex from the marker (the marks read back by hand) this was 3.5 % of a batch, its search
/// stopping at every Chinese numeral. No marker holds a mark, so each mark opens at most one
/// item and the order in which the marks are visited does not matter.
fn count_inline_items(text: &str) -> usize {
    let bytes = text.as_bytes();
    let after = |i: usize| usize::from(item_marker_at(text[i..].trim_start()));
    let ascii = memchr::memchr3_iter(b';', b':', b'!', bytes)
        .chain(memchr::memchr2_iter(b'?', b',', bytes))
        .map(|i| after(i + 1));
    let stops = FULL_STOP.find_iter(bytes).map(|i| after(i + "。".len()));
    after(0) + ascii.sum::<usize>() + stops.sum::<usize>()
}

/// Whether a text opens with an inline item's marker: one to three Chinese numerals and 是, a
/// circled number up to ⑳, or one or two digits in brackets.
fn item_marker_at(t: &str) -> bool {
    match t.chars().next() {
        Some('①'..='⑳') => true,
        Some('(') => {
            let digits = t[1..].bytes().take_while(u8::is_ascii_digit).count();
            (1..=2).contains(&digits) && t[1 + digits..].starts_with(')')
        }
        Some(c) if is_heading_numeral(c) => {
            let numerals = t.chars().take_while(|&c| is_heading_numeral(c)).count();
            // Each numeral is three bytes long.
            numerals <= 3 && t[numerals * 3..].starts_with('是')
        }
        _ => false,
    }
}

/// Byte offset of the `n`-th char of `s` (or `s.len()`). Counted on bytes (a char starts at
/// every byte that is not a UTF-8 continuation byte), a chunk at a time where the count
/// vectorises, instead of decoding every char before it: quoting evidence asks this of long
/// paragraphs.
fn byte_at(s: &str, n: usize) -> usize {
    const CHUNK: usize = 64;
    let bytes = s.as_bytes();
    let is_start = |b: &u8| (*b as i8) >= -0x40;
    let (mut at, mut seen) = (0, 0);
    while let Some(chunk) = bytes.get(at..at + CHUNK) {
        let starts = chunk.iter().filter(|b| is_start(b)).count();
        if seen + starts > n {
            break;
        }
        seen += starts;
        at += CHUNK;
    }
    for (i, b) in bytes[at..].iter().enumerate() {
        if is_start(b) {
            if seen == n {
                return at + i;
            }
            seen += 1;
        }
    }
    s.len()
}

/// Char index of a byte offset of `s`.
fn char_at(s: &str, byte: usize) -> usize {
    s[..byte].chars().count()
}

impl Block {
    fn new(line: usize, text: &str, simplify: bool) -> Block {
        let mut folded = fold(text);
        if simplify {
            normalize::simplify(&mut folded);
        }
        Block {
            line,
            text: text.to_string(),
            folded,
            kind: BlockKind::Body,
            sentences: std::sync::OnceLock::new(),
            items: std::sync::OnceLock::new(),
        }
    }

    pub fn heading(&self) -> Option<&Heading> {
        match &self.kind {
            BlockKind::Heading(h) => Some(h),
            _ => None,
        }
    }

    pub fn is_content(&self) -> bool {
        self.kind != BlockKind::Chrome
    }

    /// Characters of content in the block.
    pub fn chars(&self) -> usize {
        self.folded.chars()
    }

    /// Number of inline enumerated items (一是…, ①, (1)) in the block.
    pub fn inline_items(&self) -> usize {
        *self
            .items
            .get_or_init(|| count_inline_items(&self.folded.text))
    }

    /// Byte ranges of the sentences of the folded text.
    pub fn sentences(&self) -> &[Range<usize>] {
        self.sentences.get_or_init(|| self.split_sentences())
    }

    fn split_sentences(&self) -> Vec<Range<usize>> {
        let t = &self.folded.text;
        let mut out = Vec::new();
        let mut start = 0;
        for end in sentence_mark_ends(t) {
            // A sentence of one character (a stray mark) is not one.
            if t[start..end].trim().chars().nth(1).is_some() {
                out.push(start..end);
            }
            start = end;
        }
        if !t[start..].trim().is_empty() {
            out.push(start..t.len());
        }
        out
    }

    /// The original text behind a byte range of the folded text.
    pub fn original(&self, folded: Range<usize>) -> &str {
        let [original] = self.originals(folded.start, [folded.end.max(folded.start)]);
        original
    }

    /// The original text behind folded ranges that start at one byte, `start..end` for each
    /// end (none before `start`). The block is counted from its beginning once, to `start`, and
    /// only from there to each end: quoting a sentence late in a long paragraph counted the
    /// whole paragraph up to it six times.
    fn originals<const N: usize>(&self, start: usize, ends: [usize; N]) -> [&str; N] {
        let f = &self.folded;
        let chars = char_at(&f.text, start);
        let a = f.origin(chars);
        let rest = &self.text[byte_at(&self.text, a)..];
        ends.map(|end| {
            let b = f.origin(chars + f.text[start..end].chars().count());
            &rest[..byte_at(rest, b - a)]
        })
    }

    /// A short quote of the original around a match (a byte range of the folded text): the
    /// sentence holding it, cut to `max` characters around the match.
    pub fn quote(&self, m: Range<usize>, max: usize) -> String {
        let t = &self.folded.text;
        let start = mark_end_before(t, m.start);
        let end = mark_end_after(t, m.end);
        let [sentence, before] = self.originals(start, [end, m.start]);
        let sentence = sentence.trim();
        let n = sentence.chars().count();
        if n <= max {
            return sentence.to_string();
        }
        // Window around the match, in original chars.
        let before = before.trim_start().chars().count();
        let from = before.saturating_sub(max / 4);
        let mut q: String = sentence.chars().skip(from).take(max).collect();
        if from > 0 {
            q.insert(0, '…');
        }
        if from + max < n {
            q.push('…');
        }
        q
    }
}

/// The heading marker at the start of a folded block, if any: (rank, number, marker length).
/// Ranks: 0 `第一部分` `第一章`, 1 `一、`, 2 `（一）`, 3 `1.`, 4 `（1）`, 5 `①`, 7 a line that is
/// only a bracketed title (`【主要成效】`, unnumbered, below every numbered rank: the top level
/// when a report uses nothing else); only their order matters ([`Report::level_of`]).
///
/// Read by hand: as seven anchored regexes with capture groups (kept in the tests, which hold
/// this reading to them) they were 2.4 % of a batch's time, most of it in making captures.
fn heading_marker(t: &str) -> Option<(u8, Option<u32>, usize)> {
    let cn = is_heading_numeral;
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let mut m = Marker::new(t);
    match m.peek()? {
        // `◆ 三、…`, `★（一）…`, `📌 1.…`: symbols that dress a heading up (web and WeChat
        // articles) before its marker. A caption (`▲图为…`) has no marker after them.
        c if is_decoration(c) => {
            m.skip(|c| is_decoration(c) || c.is_whitespace());
            let (rank, number, len) = heading_marker(&t[m.at..]).filter(|h| h.0 != 7)?;
            Some((rank, number, m.at + len))
        }
        // `㈠`: one character for `（一）`.
        c @ '㈠'..='㈩' => {
            m.at += c.len_utf8();
            let _ = m.eat('、') || m.eat('.');
            m.spaces();
            Some((2, Some(c as u32 - '㈠' as u32 + 1), m.at))
        }
        // Roman numerals (`Ⅱ、`, `II、`) number the top parts of a few reports, above any `一、`.
        c @ 'Ⅰ'..='Ⅻ' => {
            m.at += c.len_utf8();
            if !(m.eat('、') || m.eat('.')) {
                return None;
            }
            m.spaces();
            Some((0, Some(c as u32 - 'Ⅰ' as u32 + 1), m.at))
        }
        'I' | 'V' | 'X' => {
            let number = roman_value(m.run(|c| matches!(c, 'I' | 'V' | 'X'), 4)?)?;
            if !m.eat('、') {
                return None;
            }
            m.spaces();
            Some((0, Some(number), m.at))
        }
        '【' => {
            let inner = t.strip_prefix('【')?.trim_end().strip_suffix('】')?;
            let title = !inner.trim().is_empty()
                && inner.chars().count() <= 40
                && !inner.contains(['【', '】', '。']);
            title.then_some((7, None, '【'.len_utf8()))
        }
        // `## 一、…`: the Chinese marker decides the rank, the hashes are formatting.
        '#' => {
            let hashes = m.run(|c| c == '#', 6)?.len();
            if m.spaces() == 0 {
                return None;
            }
            let len = m.at;
            if let Some((rank, number, inner)) = heading_marker(&t[len..]).filter(|h| h.0 < 6) {
                return Some((rank, number, len + inner));
            }
            Some((hashes as u8, None, len))
        }
        '第' => {
            m.at += '第'.len_utf8();
            let numeral = m.run(cn, 3)?;
            if !(m.eat_str("部分") || m.eat_str("章")) {
                return None;
            }
            m.skip(|c| matches!(c, '、' | '.' | ':') || c.is_whitespace());
            // Above `一、`: reports that use both number 一、 afresh under each 第X部分.
            Some((0, numeral_value(numeral), m.at))
        }
        '(' => {
            m.at += 1;
            m.spaces();
            if m.peek().is_some_and(cn) {
                let numeral = m.run(cn, 3)?;
                m.spaces();
                if !m.eat(')') {
                    return None;
                }
                let _ = m.eat('、') || m.eat('.');
                m.spaces();
                return Some((2, numeral_value(numeral), m.at));
            }
            let number = m.run(digit, 2)?;
            m.spaces();
            if !m.eat(')') {
                return None;
            }
            m.spaces();
            Some((4, number.parse().ok(), m.at))
        }
        c if cn(c) => {
            let numeral = m.run(cn, 3)?;
            if !(m.eat('、') || m.eat('.')) {
                return None;
            }
            m.spaces();
            Some((1, numeral_value(numeral), m.at))
        }
        c if digit(c) => {
            let number = m.run(digit, 2)?;
            if m.eat(')') {
                m.spaces();
                return Some((4, number.parse().ok(), m.at));
            }
            let dot = m.peek() == Some('.');
            if !(m.eat('、') || m.eat('.')) {
                return None;
            }
            let spaced = m.spaces() > 0;
            let rest = &t[m.at..];
            // `1.5万`, `12.3%`: a number, not a heading; nor a line that is only `3.`. After
            // `、` or a space, or before a year (`1.2023年工作安排`), a digit starts the title.
            let decimal = dot
                && !spaced
                && rest.starts_with(|c: char| c.is_ascii_digit())
                && !starts_with_year(rest);
            if decimal || dot && !spaced && rest.is_empty() {
                return None;
            }
            Some((3, number.parse().ok(), m.at))
        }
        c @ ('①'..='⑳' | '⑴'..='⒇') => {
            let n = if c <= '⑳' {
                c as u32 - '①' as u32 + 1
            } else {
                c as u32 - '⑴' as u32 + 1
            };
            m.at += c.len_utf8();
            m.spaces();
            Some((5, Some(n), m.at))
        }
        _ => None,
    }
}

/// Whether a text starts with a year: four digits and 年 (`2023年`).
fn starts_with_year(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() >= 7 && b[..4].iter().all(u8::is_ascii_digit) && t[4..].starts_with('年')
}

/// Symbols that dress up a heading or a line: bullets, geometric shapes, stars, dingbats, emoji.
fn is_decoration(c: char) -> bool {
    matches!(c,
        '\u{2022}'
        | '\u{25A0}'..='\u{25FF}'
        | '\u{2600}'..='\u{27BF}'
        | '\u{2B00}'..='\u{2BFF}'
        | '\u{1F300}'..='\u{1FAFF}'
        | '\u{FE0F}')
}

/// The value of a Roman numeral written in ASCII, one to twelve.
fn roman_value(s: &str) -> Option<u32> {
    const NUMERALS: [&str; 12] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    NUMERALS.iter().position(|n| *n == s).map(|i| i as u32 + 1)
}

/// A reading position at the start of a block, for [`heading_marker`].
struct Marker<'a> {
    t: &'a str,
    at: usize,
}

impl<'a> Marker<'a> {
    fn new(t: &'a str) -> Marker<'a> {
        Marker { t, at: 0 }
    }

    fn peek(&self) -> Option<char> {
        self.t[self.at..].chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        let hit = self.peek() == Some(c);
        if hit {
            self.at += c.len_utf8();
        }
        hit
    }

    fn eat_str(&mut self, s: &str) -> bool {
        let hit = self.t[self.at..].starts_with(s);
        if hit {
            self.at += s.len();
        }
        hit
    }

    /// Every character from here that `f` accepts, and how many.
    fn skip(&mut self, f: impl Fn(char) -> bool) -> usize {
        let mut n = 0;
        while let Some(c) = self.peek().filter(|&c| f(c)) {
            self.at += c.len_utf8();
            n += 1;
        }
        n
    }

    /// `\s*`: the whitespace from here, and how many characters of it.
    fn spaces(&mut self) -> usize {
        self.skip(char::is_whitespace)
    }

    /// A run of one to `max` characters that `f` accepts, as a regex `[…]{1,max}` followed by
    /// something else reads it: `None` if the run is empty or longer than `max`.
    fn run(&mut self, f: impl Fn(char) -> bool, max: usize) -> Option<&'a str> {
        let start = self.at;
        let n = self.skip(f);
        (1..=max).contains(&n).then(|| &self.t[start..self.at])
    }
}

/// The heading's title (up to the first sentence end) and the length of text it takes.
fn heading_title(rest: &str) -> (String, usize) {
    // A half-width full stop ends the title too after a Chinese character, when no digit
    // follows (情况.局党组书记…, not 93.3%): some reports are typed with `.` for `。`.
    let stop = rest.char_indices().find(|&(i, c)| {
        matches!(c, '。' | '!' | '?' | ';' | ':')
            || c == '.'
                && rest[..i].chars().next_back().is_some_and(|p| !p.is_ascii())
                && !rest[i + 1..].starts_with(|n: char| n.is_ascii_digit())
    });
    let end = stop.map_or(rest.len(), |(i, _)| i);
    let taken = rest[end..]
        .chars()
        .next()
        .map_or(end, |c| end + c.len_utf8());
    (
        (rest[..end].trim_end_matches(|c: char| c.is_whitespace() || is_decoration(c)))
            .trim()
            .trim_end_matches([',', '、', '】'])
            .to_string(),
        taken,
    )
}

fn is_chrome(b: &Block) -> bool {
    let t = b.folded.text.trim();
    if t.chars().count() > CHROME_MAX_CHARS {
        return false;
    }
    let chrome_line = |l: &str| CHROME.is_match(l) || is_page_number(l) || is_file_name(l);
    // Metadata tables space out their labels (索 引 号 | …): such a line is tested without its
    // spaces too (most lines have none, and are tested once).
    let spaced_chrome = || {
        t.contains(char::is_whitespace)
            && chrome_line(&t.chars().filter(|c| !c.is_whitespace()).collect::<String>())
    };
    chrome_line(t) || spaced_chrome() || CHROME_ANYWHERE.is_match(t) || CLOCK.is_match(t)
}

/// The page markers of a folded line (`第2页`, `共 9 页`, `第2页/共9页`): byte ranges, markers
/// that only spaces, slashes or commas separate taken as one. Read by hand: the line is searched
/// for 页 first, which most lines do not hold.
fn page_markers(text: &str) -> Vec<Range<usize>> {
    let mut found: Vec<Range<usize>> = Vec::new();
    for (at, _) in text.match_indices('页') {
        let head = text[..at].trim_end();
        let number = head.trim_end_matches(|c: char| c.is_ascii_digit());
        if !(1..=4).contains(&(head.len() - number.len())) {
            continue;
        }
        let Some(start) = number.trim_end().strip_suffix(['第', '共']).map(str::len) else {
            continue;
        };
        let end = at + '页'.len_utf8();
        match found.last_mut() {
            Some(last)
                if text[last.end..start]
                    .chars()
                    .all(|c| matches!(c, ' ' | '/' | ',')) =>
            {
                last.end = end;
            }
            _ => found.push(start..end),
        }
    }
    found
}

/// A document-sharing site's page markers in a block (`第2页 共9页`): a block that holds
/// nothing else but a running header is chrome, and `true` is returned; glued into a sentence
/// or a heading, a page with its count is dropped from the folded text, so that the sentence
/// and a heading marker after it read as they were written before the site paginated them.
/// The original text keeps them.
fn drop_page_markers(b: &mut Block) -> bool {
    if PAGE.find(b.folded.text.as_bytes()).is_none() {
        return false;
    }
    let markers = page_markers(&b.folded.text);
    if markers.is_empty() {
        return false;
    }
    let mut rest = b.folded.text.clone();
    for m in markers.iter().rev() {
        rest.replace_range(m.clone(), "");
    }
    // A running header (the title, then the page) is chrome; a sentence or a heading is not.
    if !rest.contains(['。', ',', ';', '!', '?']) && heading_marker(rest.trim()).is_none() {
        return true;
    }
    // In running text, only a page with its count is a marker: `共9页` alone may be what the
    // sentence says.
    for m in markers.into_iter().rev() {
        let marker = &b.folded.text[m.clone()];
        if marker.starts_with('第') && marker.contains('共') {
            b.folded.remove(m);
        }
    }
    false
}

/// Whether a line may hold [`MIDLINE_HEADING`]: in its folded form, a `。`, then (after spaces
/// and an optional opening parenthesis) a Chinese numeral. Checked without building the folded
/// line, it spares most lines the folding that the regex needs; and only the characters after
/// each full stop (`。`, or `｡`, which folds to it) are decoded, the stops being found with
/// `memmem`.
fn may_hold_midline_heading(line: &str) -> bool {
    let after_stop = |stop: &'static memchr::memmem::Finder| {
        stop.find_iter(line.as_bytes())
            .map(move |i| i + stop.needle().len())
    };
    after_stop(&FULL_STOP)
        .chain(after_stop(&HALF_WIDTH_FULL_STOP))
        .any(|i| numeral_after_stop(&line[i..]))
}

/// Searchers for the full stops, built once: `memmem::find_iter` builds one for every call,
/// which on lines and blocks of a few dozen bytes cost as much as the search.
static FULL_STOP: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("。"));
static HALF_WIDTH_FULL_STOP: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("｡"));
/// 页, which every page marker holds: `str::contains` of a character that is not ASCII runs a
/// general substring search, twice the cost of this one over every block.
static PAGE: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("页"));

/// Whether `rest`, the text after a full stop, opens (in its folded form) with spaces, an
/// optional opening parenthesis and a Chinese numeral.
fn numeral_after_stop(rest: &str) -> bool {
    let mut chars = rest.chars().filter_map(normalize::fold_char).peekable();
    while chars.next_if(|c| c.is_whitespace()).is_some() {}
    chars.next_if_eq(&'(');
    chars.next_if(|&c| is_heading_numeral(c)).is_some()
}

/// Cut a line where a heading starts after a sentence end, if its number follows the last one
/// seen at its rank (so that a stray `。二、` inside a quotation does not start a part).
fn split_line<'l>(line: &'l str, last_number: &mut [u32; 2]) -> Vec<&'l str> {
    if !may_hold_midline_heading(line) {
        let line = line.trim();
        return if line.is_empty() {
            Vec::new()
        } else {
            vec![line]
        };
    }
    let folded = fold(line);
    let mut cuts = Vec::new();
    for m in MIDLINE_HEADING.captures_iter(&folded.text) {
        let rank = if m[1].is_empty() { 0 } else { 1 };
        let Some(n) = numeral_value(&m[2]) else {
            continue;
        };
        if n == last_number[rank] + 1 && n > 1 {
            last_number[rank] = n;
            if rank == 0 {
                last_number[1] = 0;
            }
            let at = m.get(1).unwrap().start();
            cuts.push(folded.origin(char_at(&folded.text, at)));
        }
    }
    let mut out = Vec::new();
    let mut from = 0;
    for c in cuts {
        let b = byte_at(line, c);
        out.push(&line[from..b]);
        from = b;
    }
    out.push(&line[from..]);
    out.into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Years named in folded text, outside cited documents and year ranges, with the byte range of
/// each (four digits, or four Chinese numerals of three bytes each).
///
/// A year is four digits or four Chinese numerals, then optional spaces, then 年. Each 年 is
/// found with a plain search and read backwards: the regex `(\d{4}|[一…九〇零○]{4})\s*年` has no
/// literal to start from and cost 2 ns a byte over every block. Digits are ASCII: folding makes
/// them so.
pub fn years_in(text: &str) -> Vec<(i32, Range<usize>)> {
    const NUMERALS: &str = "一二三四五六七八九〇零○";
    let mut found = Vec::new();
    for (at, _) in text.match_indices('年') {
        let head = text[..at].trim_end_matches(char::is_whitespace);
        let Some((start, _)) = head.char_indices().rev().nth(3) else {
            continue;
        };
        let group = &head[start..];
        let year = if group.bytes().all(|b| b.is_ascii_digit()) {
            group.parse().ok()
        } else if group.chars().all(|c| NUMERALS.contains(c)) {
            chinese_year(group)
        } else {
            None
        };
        if let Some(y) = year.filter(|y| (2000..=2099).contains(y)) {
            found.push((y, start..head.len()));
        }
    }
    // Cited titles and ranges hold 《 or a dash, 至 or 到: without one there is nothing to leave out.
    if !found.is_empty() && text.contains(['《', '-', '—', '–', '~', '～', '至', '到']) {
        let excluded: Vec<Range<usize>> =
            NOT_REPORT_YEAR.find_iter(text).map(|m| m.range()).collect();
        found.retain(|(_, g)| !excluded.iter().any(|r| r.contains(&g.start)));
    }
    found
}

impl Report {
    pub fn parse(text: &str) -> Report {
        let mut blocks = Vec::new();
        let mut last_number = [0u32; 2];
        // A report in traditional script is matched as if simplified; quotes stay as written.
        let simplify = normalize::looks_traditional(text);
        // Each block's heading marker, read once here and again used to classify headings.
        let mut markers = Vec::new();
        let lines = normalize::lines(text);
        // A file wrapped at a fixed width (copied out of a PDF) is read a paragraph at a time,
        // each numbered by its first line: a word cut across two lines would not be matched.
        let paragraphs = crate::wrap::unwrap_lines(&lines);
        let logical: Vec<(usize, &str)> = match &paragraphs {
            Some(paragraphs) => paragraphs.iter().map(|(i, p)| (*i, p.as_str())).collect(),
            None => lines.iter().copied().enumerate().collect(),
        };
        for (i, line) in logical {
            for piece in split_line(line.trim(), &mut last_number) {
                let mut b = Block::new(i + 1, piece, simplify);
                let page_chrome = drop_page_markers(&mut b);
                let marker = heading_marker(&b.folded.text);
                match marker {
                    Some((0, _, _)) => last_number = [0, 0],
                    Some((1, Some(n), _)) => last_number = [n, 0],
                    Some((2, Some(n), _)) => last_number[1] = n,
                    _ => {}
                }
                if page_chrome || is_chrome(&b) {
                    b.kind = BlockKind::Chrome;
                }
                blocks.push(b);
                markers.push(marker);
            }
        }
        // A running header or footer in a text read a line per paragraph (a PDF copied page
        // by page), as a wrapped text has them taken out with its page breaks: the same short
        // line beside a page number at two page breaks or more (the title on every page; its
        // first appearance, with no page number beside it, stays). Asked only of a text with
        // two page-number lines or more.
        let page_numbers = (blocks.iter())
            .filter(|b| b.kind == BlockKind::Chrome && is_page_number(b.folded.text.trim()))
            .count();
        if paragraphs.is_none() && page_numbers >= 2 {
            let furniture = crate::wrap::page_furniture(&lines);
            for b in &mut blocks {
                if furniture.get(b.line - 1) == Some(&true) {
                    b.kind = BlockKind::Chrome;
                }
            }
        }
        let body_end = trailer_start(&blocks);
        for b in &mut blocks[body_end..] {
            b.kind = BlockKind::Chrome;
        }
        classify_headings(&mut blocks[..body_end], &markers);
        mark_attachments(&mut blocks[..body_end]);
        let mut report = Report {
            blocks,
            meta: Meta::default(),
            body_end,
            ranks: Vec::new(),
        };
        report.read_meta();
        // An attachment stands outside the report's outline: it has no level.
        let mut ranks: Vec<u8> = (report.headings())
            .filter(|(_, h)| !h.is_attachment())
            .map(|(_, h)| h.rank)
            .collect();
        ranks.sort_unstable();
        ranks.dedup();
        report.ranks = ranks;
        report
    }

    /// Indices of the content blocks (title and body), in order.
    pub fn content(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.body_end).filter(|&i| self.blocks[i].is_content())
    }

    /// Indices of the body blocks (content without the title).
    pub fn body(&self) -> impl Iterator<Item = usize> + '_ {
        self.content()
            .filter(|&i| self.blocks[i].kind != BlockKind::Title)
    }

    pub fn headings(&self) -> impl Iterator<Item = (usize, &Heading)> + '_ {
        (0..self.body_end).filter_map(|i| self.blocks[i].heading().map(|h| (i, h)))
    }

    /// Outline level of a heading rank: 1 for the highest rank the report uses, and so on.
    pub fn level_of(&self, rank: u8) -> u8 {
        self.ranks
            .iter()
            .position(|&r| r == rank)
            .map_or(0, |p| p as u8 + 1)
    }

    pub fn first_heading(&self) -> Option<usize> {
        self.headings().next().map(|(i, _)| i)
    }

    /// The blocks of the section a heading opens: up to the next heading of the same or a higher
    /// level, or the end of the body.
    pub fn section(&self, heading: usize) -> Range<usize> {
        let Some(rank) = self.blocks[heading].heading().map(|h| h.rank) else {
            return heading..heading + 1;
        };
        let end = (heading + 1..self.body_end)
            .find(|&j| self.blocks[j].heading().is_some_and(|h| h.rank <= rank))
            .unwrap_or(self.body_end);
        heading..end
    }

    pub fn body_end(&self) -> usize {
        self.body_end
    }

    /// Body blocks before the first heading (the opening).
    pub fn opening(&self) -> Vec<usize> {
        let stop = self.first_heading().unwrap_or(self.body_end);
        self.body().filter(|&i| i < stop).collect()
    }

    fn read_meta(&mut self) {
        let title = find_title(&self.blocks, self.body_end);
        let mut meta = Meta::default();
        if let Some(range) = &title {
            for i in range.clone() {
                self.blocks[i].kind = BlockKind::Title;
            }
            let parts: Vec<String> = range
                .clone()
                .map(|i| {
                    let t = self.blocks[i].text.trim_start_matches('#').trim();
                    TITLE_LABEL
                        .replace(t, "")
                        .trim_end_matches(['|', ' '])
                        .to_string()
                })
                .collect();
            meta.title = Some(parts.join(" "));
            meta.title_line = Some(self.blocks[range.start].line);
            let folded: Vec<String> = range
                .clone()
                .map(|i| {
                    let t = TITLE_LABEL.replace(&self.blocks[i].folded.text, "");
                    t.trim_end_matches(['|', ' ']).to_string()
                })
                .collect();
            let folded: Vec<&str> = folded.iter().map(String::as_str).collect();
            meta.unit = unit_from_title(&folded);
            if let Some((y, _)) = years_in(&folded.join(" ")).first() {
                meta.year = Some(*y);
                meta.year_source = Some(YearSource::Title);
            }
        }
        if meta.year.is_none() {
            let opening = self.opening();
            if let Some(y) = opening
                .iter()
                .take(3)
                .find_map(|&i| years_in(&self.blocks[i].folded.text).into_iter().next())
            {
                meta.year = Some(y.0);
                meta.year_source = Some(YearSource::Opening);
            }
        }
        if meta.year.is_none() {
            let mut counts = std::collections::BTreeMap::new();
            for i in self.body() {
                for (y, _) in years_in(&self.blocks[i].folded.text) {
                    *counts.entry(y).or_insert(0usize) += 1;
                }
            }
            // Most mentioned; on a tie the earlier year (plans name the later one).
            if let Some((y, _)) = counts.iter().max_by_key(|(y, n)| (**n, -**y)) {
                meta.year = Some(*y);
                meta.year_source = Some(YearSource::Body);
            }
        }
        if meta.unit.is_none() {
            meta.unit = self.unit_from_signature();
        }
        if let Some((date, line)) = self.publication_date() {
            meta.published = Some(date);
            meta.published_line = Some(line);
        }
        self.meta = meta;
    }

    /// The signature at the end of a report: a unit's name on a line of its own, before a date.
    fn unit_from_signature(&self) -> Option<String> {
        let body: Vec<usize> = self.body().collect();
        body.iter().rev().take(3).find_map(|&i| {
            let t = self.blocks[i].folded.text.trim();
            (t.chars().count() <= 30 && UNIT_SUFFIX.is_match(t) && !t.contains(['。', ',', ':']))
                .then(|| self.blocks[i].text.trim().to_string())
        })
    }

    /// The publication date from page metadata: labelled dates in chrome or near the top, the most
    /// specific label first. A site clock (`今天是…`) has no such label.
    fn publication_date(&self) -> Option<(Date, usize)> {
        use crate::load::PUBLICATION_LABELS as LABELS;
        let mut best: Option<(usize, Date, usize)> = None;
        for (i, b) in self.blocks.iter().enumerate() {
            if b.kind != BlockKind::Chrome && i >= 6 {
                continue;
            }
            let next = self.blocks.get(i + 1).map(|n| n.folded.text.as_str());
            let joined = crate::load::label_with_next_line(&b.folded.text, next);
            for c in PUBLISHED.captures_iter(joined.as_deref().unwrap_or(&b.folded.text)) {
                let rank = LABELS
                    .iter()
                    .position(|l| *l == &c[1])
                    .unwrap_or(LABELS.len());
                let Some(date) = date_of(&c[2], &c[3], &c[4]) else {
                    continue;
                };
                if best.is_none_or(|(r, _, _)| rank < r) {
                    best = Some((rank, date, b.line));
                }
            }
            // Many CMS pages print the date unlabelled in the metadata line
            // (`2021-03-03 11:44  来源：县司法局  浏览：`); a site clock has 星期 and is chrome
            // of its own kind.
            if best.is_none()
                && !CLOCK.is_match(&b.folded.text)
                && META_WORDS.is_match(&b.folded.text)
                && let Some(c) = ISO_DATE.captures(&b.folded.text)
                && let Some(date) = date_of(&c[1], &c[2], &c[3])
            {
                best = Some((LABELS.len() + 1, date, b.line));
            }
        }
        best.map(|(_, d, l)| (d, l))
    }
}

/// Where the trailing chrome of a web page begins: the first trailer line (related links, print
/// and close buttons) after some content.
fn trailer_start(blocks: &[Block]) -> usize {
    let mut seen_content = 0;
    for (i, b) in blocks.iter().enumerate() {
        if seen_content >= 3 && b.chars() <= 40 && TRAILER.is_match(b.folded.text.trim()) {
            return i;
        }
        if b.kind != BlockKind::Chrome && b.chars() >= 8 {
            seen_content += 1;
        }
    }
    blocks.len()
}

/// `markers` holds each block's [`heading_marker`], as parsing read it.
fn classify_headings(blocks: &mut [Block], markers: &[Option<(u8, Option<u32>, usize)>]) {
    let mut previous: Option<usize> = None; // previous content block
    for i in 0..blocks.len() {
        if blocks[i].kind == BlockKind::Chrome {
            continue;
        }
        if let Some((rank, number, len)) = markers[i] {
            if rank == 3 && previous.is_some_and(|p| ends_mid_sentence(&blocks[p])) {
                // A page number glued to a sentence broken across pages: drop it from the folded text.
                blocks[i].folded = blocks[i].folded.tail(len);
                blocks[i].sentences = std::sync::OnceLock::new();
            } else {
                let t = &blocks[i].folded.text;
                let marker = t[..len].trim().to_string();
                let (title, taken) = heading_title(&t[len..]);
                blocks[i].kind = BlockKind::Heading(Heading {
                    rank,
                    number,
                    marker,
                    title,
                    body_start: len + taken,
                });
            }
        }
        previous = Some(i);
    }
}

/// A line that is only a date: the signature's (2025年2月18日).
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:[0-9]{4}|[一二三四五六七八九〇零○]{4})\s*年\s*[0-9一二三四五六七八九十]{1,3}\s*月\s*[0-9一二三四五六七八九十]{1,3}\s*日$",
    )
});
/// The label of an attachment (附件, 附件2, 附件：…), with the title when it follows on the line.
static ATTACHMENT: LazyLock<Regex> =
    LazyLock::new(|| re(r"^附件\s*(?:[0-9]{1,2}|[一二三四五六七八九十]{1,2})?\s*:?\s*(.*)$"));

/// Attachments after the signature (附件 / 附件1, then the attachment's title) are documents
/// of their own: the label's line, or the title under a bare label, becomes a heading above
/// every rank, so that no part of the report runs on into an attachment and the attachment's
/// numbering starts afresh. An attachments list before the signature (附件：…情况) is not one.
fn mark_attachments(blocks: &mut [Block]) {
    let mut signed = false;
    let mut i = 0;
    while i < blocks.len() {
        if blocks[i].kind == BlockKind::Chrome {
            i += 1;
            continue;
        }
        let text = blocks[i].folded.text.trim();
        // Every date line ends with 日: most blocks are passed over without the regex.
        if text.ends_with('日') && DATE_LINE.is_match(text) {
            signed = true;
        } else if signed && let Some(c) = ATTACHMENT.captures(text) {
            let on_the_line = c.get(1).is_some_and(|t| !t.as_str().is_empty());
            let next = (i + 1..blocks.len()).find(|&j| blocks[j].kind != BlockKind::Chrome);
            let title_at = match next {
                _ if on_the_line => Some(i),
                Some(j) if is_attachment_title(&blocks[j].folded.text) => {
                    blocks[i].kind = BlockKind::Chrome;
                    Some(j)
                }
                _ => None,
            };
            if let Some(t) = title_at {
                let folded = &blocks[t].folded.text;
                let title = if t == i { &c[1] } else { folded.trim() };
                blocks[t].kind = BlockKind::Heading(Heading {
                    rank: 0,
                    number: None,
                    marker: Heading::ATTACHMENT.to_string(),
                    title: title.trim().to_string(),
                    body_start: folded.len(),
                });
                i = t;
            }
        }
        i += 1;
    }
}

/// A line that can be an attachment's title: short, and not a sentence.
fn is_attachment_title(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty() && t.chars().count() <= 60 && !t.contains('。')
}

/// A block of running text (body, or a heading with its body on the same line) whose sentence
/// runs on into the next line.
fn ends_mid_sentence(b: &Block) -> bool {
    let running_text = match &b.kind {
        BlockKind::Body => true,
        BlockKind::Heading(h) => h.body_start < b.folded.text.len(),
        _ => false,
    };
    running_text
        && b.chars() >= 6
        && !completes_sentence(&b.text)
        && !completes_sentence(&b.folded.text)
}

/// Whether a line's last sentence is complete: it ends with a closer, or with a closer and then
/// a page number of up to three digits that a document-sharing site glued to it (`…100%。2`).
fn completes_sentence(line: &str) -> bool {
    let line = line.trim_end();
    let before_digits = line.trim_end_matches(|c: char| c.is_ascii_digit());
    let glued_number = (1..=3).contains(&(line.len() - before_digits.len()));
    line.ends_with(LINE_CLOSERS)
        || (glued_number && before_digits.trim_end().ends_with(LINE_CLOSERS))
}

/// The first half of a title broken after 关于 or the year: `云山县人民政府关于2023年度`.
static TITLE_HEAD: LazyLock<Regex> =
    LazyLock::new(|| re(r"关于|(?:[0-9]{4}|[一二三四五六七八九〇零○]{4})\s*年度?$"));

fn is_title_candidate(t: &str) -> bool {
    let t = t.trim_start_matches('#').trim();
    t.chars().count() <= 90
        && TITLE_WORDS.is_match(t)
        && TITLE_KIND.is_match(t)
        && !t.contains("现将")
        && !t.contains("如下")
        && !t.ends_with(['。', ':', ','])
        && t.matches('。').count() == 0
}

/// The title: among the first content blocks before the first heading, a short line naming the
/// rule of law and a report; a unit's name on the line above belongs to it.
fn find_title(blocks: &[Block], body_end: usize) -> Option<Range<usize>> {
    let content: Vec<usize> = (0..body_end)
        .filter(|&i| blocks[i].is_content())
        .take(8)
        .collect();
    for (k, &i) in content.iter().enumerate() {
        let b = &blocks[i];
        let t = b.folded.text.trim();
        // A numbered heading ends the search; a Markdown `#` line without a Chinese marker may be
        // the title.
        let unhashed = t.trim_start_matches('#').trim_start();
        if heading_marker(unhashed).is_some()
            || (!t.starts_with('#') && heading_marker(t).is_some())
        {
            break;
        }
        // A short line without punctuation that the next line completes: a title broken in
        // two where neither half names both the rule of law and a report.
        let broken = |t: &str| t.chars().count() <= 40 && !t.contains(['。', ',', ':', ';']);
        if !is_title_candidate(t) {
            if let Some(&n) = content.get(k + 1)
                && n == i + 1
                && broken(t)
                && broken(blocks[n].folded.text.trim())
                && !is_title_candidate(blocks[n].folded.text.trim())
                && is_title_candidate(&format!("{t}{}", blocks[n].folded.text.trim()))
            {
                return Some(i..n + 1);
            }
            continue;
        }
        let mut start = i;
        if k > 0 {
            let p = content[k - 1];
            let pt = blocks[p].folded.text.trim();
            // The unit's name above the title, or the title's first half (…关于2023年度).
            if p + 1 == i && broken(pt) && (UNIT_SUFFIX.is_match(pt) || TITLE_HEAD.is_match(pt)) {
                start = p;
            }
        }
        let mut end = i + 1;
        if let Some(&n) = content.get(k + 1) {
            let nt = blocks[n].folded.text.trim();
            if n == i + 1
                && !t.ends_with("报告")
                && nt.chars().count() <= 20
                && nt.ends_with("报告")
            {
                end = n + 1;
            }
        }
        return Some(start..end);
    }
    None
}

fn unit_from_title(lines: &[&str]) -> Option<String> {
    let clean = |s: &str| s.trim_start_matches('#').trim().to_string();
    if lines.len() > 1 && UNIT_SUFFIX.is_match(lines[0].trim()) {
        return Some(clean(lines[0]));
    }
    let title = clean(&lines.join(""));
    if let Some(c) = UNIT_BEFORE_TITLE.captures(&title) {
        return Some(c[1].trim().to_string());
    }
    UNIT_AFTER_YEAR
        .captures(&title)
        .map(|c| c[1].trim().to_string())
        .filter(|u| !u.is_empty())
}

/// Compile the report model's regexes that nearly every report uses, in the order parsing
/// first needs them: called on a second thread at start-up ([`crate::warm_up`]) so that the
/// first report does not wait for them. Those only some reports need (`NOT_REPORT_YEAR`,
/// `UNIT_SUFFIX`, `ISO_DATE`, `UNIT_AFTER_YEAR`: cited documents, dates, unusual titles) are
/// compiled when first used.
pub(crate) fn warm() {
    for re in [
        &CHROME,
        &CHROME_ANYWHERE,
        &CLOCK,
        &MIDLINE_HEADING,
        &TRAILER,
        &TITLE_WORDS,
        &TITLE_KIND,
        &TITLE_LABEL,
        &UNIT_BEFORE_TITLE,
        &PUBLISHED,
        &META_WORDS,
    ] {
        LazyLock::force(re);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_wrapped_at_a_fixed_width_is_read_by_paragraphs_numbered_as_in_the_file() {
        let paragraphs = [
            "青石县人民政府关于二〇二三年度法治政府建设情况的报告",
            "一、主要举措和成效",
            "县政府常务会议专题研究法治政府建设工作四次，审查行政规范性文件十七件，办理行政复议案件三十二件，行政机关负责人出庭应诉率达到百分之百，全年开展普法活动八十余场。",
            "二、存在的不足和原因",
            "一是基层行政执法队伍力量仍显薄弱，部分乡镇执法人员身兼数职；二是少数干部法治意识不强，究其原因，主要是学法用法制度落实还不够到位，培训考核流于形式。",
        ];
        // Twenty characters a line (no ASCII, which is narrower), the first line of a paragraph
        // two shorter; a page number after the ninth line.
        let mut lines: Vec<String> = Vec::new();
        for p in paragraphs {
            let chars: Vec<char> = p.chars().collect();
            let (mut start, mut room) = (0, 18);
            while start < chars.len() {
                let end = (start + room).min(chars.len());
                lines.push(chars[start..end].iter().collect());
                (start, room) = (end, 20);
                if lines.len() == 9 {
                    lines.push("- 1 -".into());
                }
            }
        }
        let report = Report::parse(&lines.join("\n"));
        let blocks: Vec<(usize, &str)> = report
            .blocks
            .iter()
            .map(|b| (b.line, b.text.as_str()))
            .collect();
        let first_lines: Vec<usize> = paragraphs
            .iter()
            .map(|p| {
                1 + lines
                    .iter()
                    .position(|l| p.starts_with(l.as_str()))
                    .unwrap()
            })
            .collect();
        let expected: Vec<(usize, &str)> = first_lines.into_iter().zip(paragraphs).collect();
        assert_eq!(blocks, expected);
        assert_eq!(report.meta.year, Some(2023));
    }

    #[test]
    fn a_heading_that_fills_its_line_keeps_its_title_in_a_wrapped_text() {
        // 28 characters a line; the heading ends no sentence and is as wide as a full line, the
        // paragraph under it opens with a typed indent.
        let text = crate::wrap::UNDER_A_FULL_HEADING.join("\n");
        let report = Report::parse(&text);
        let (i, h) = report.headings().nth(1).expect("the second heading");
        assert_eq!(h.title, "党政主要负责人履行推进法治建设第一责任人职责情况");
        assert_eq!(report.blocks[i].line, 7);
        assert_eq!(report.blocks[i + 1].line, 8);
        assert!(report.blocks[i + 1].text.starts_with("局党组书记"));
    }

    #[test]
    fn heading_numerals_are_one_to_ten() {
        for c in ('\0'..='\u{FFFF}').chain('\u{20000}'..='\u{2A6DF}') {
            assert_eq!(
                is_heading_numeral(c),
                "一二三四五六七八九十".contains(c),
                "{c:?}"
            );
        }
    }

    /// [`heading_marker`] as it was, seven regexes with capture groups.
    mod marker_by_regex {
        use super::super::re;
        use crate::normalize::numeral_value;
        use crate::report::{roman_value, starts_with_year};
        use regex::Regex;
        use std::sync::LazyLock;

        static TOP_MARKER: LazyLock<Regex> =
            LazyLock::new(|| re(r"^([一二三四五六七八九十]{1,3})[、.]\s*"));
        static PART_MARKER: LazyLock<Regex> =
            LazyLock::new(|| re(r"^第([一二三四五六七八九十]{1,3})(?:部分|章)[、.:\s]*"));
        static PAREN_CN_MARKER: LazyLock<Regex> =
            LazyLock::new(|| re(r"^\(\s*([一二三四五六七八九十]{1,3})\s*\)[、.]?\s*"));
        static ARABIC_MARKER: LazyLock<Regex> = LazyLock::new(|| re(r"^([0-9０-９]{1,2})[、.]\s*"));
        static PAREN_ARABIC_MARKER: LazyLock<Regex> =
            LazyLock::new(|| re(r"^(?:\(\s*([0-9０-９]{1,2})\s*\)|([0-9０-９]{1,2})\))\s*"));
        static CIRCLED_MARKER: LazyLock<Regex> = LazyLock::new(|| re(r"^([①-⑳⑴-⒇])\s*"));
        static MARKDOWN_MARKER: LazyLock<Regex> = LazyLock::new(|| re(r"^(#{1,6})\s+"));
        static BRACKET_MARKER: LazyLock<Regex> =
            LazyLock::new(|| re(r"^【([^【】。]{1,40})】\s*$"));
        static DECORATION: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"^[\x{2022}\x{25A0}-\x{25FF}\x{2600}-\x{27BF}\x{2B00}-\x{2BFF}\x{1F300}-\x{1FAFF}\x{FE0F}][\s\x{2022}\x{25A0}-\x{25FF}\x{2600}-\x{27BF}\x{2B00}-\x{2BFF}\x{1F300}-\x{1FAFF}\x{FE0F}]*",
            )
        });
        static IDEOGRAPH_MARKER: LazyLock<Regex> = LazyLock::new(|| re(r"^([㈠-㈩])[、.]?\s*"));
        static ROMAN_MARKER: LazyLock<Regex> =
            LazyLock::new(|| re(r"^(?:([Ⅰ-Ⅻ])[、.]|([IVX]{1,4})、)\s*"));

        pub fn heading_marker_by_regex(t: &str) -> Option<(u8, Option<u32>, usize)> {
            // Every marker below starts with one of these characters; most blocks start with none, and
            // this test spares them seven anchored regex searches (`char::is_numeric` covers `\d` and
            // the circled numbers).
            let first = t.chars().next()?;
            if let Some(m) = DECORATION.find(t) {
                let (rank, number, len) =
                    heading_marker_by_regex(&t[m.end()..]).filter(|h| h.0 != 7)?;
                return Some((rank, number, m.end() + len));
            }
            if let Some(m) = IDEOGRAPH_MARKER.captures(t) {
                let c = m[1].chars().next()?;
                return Some((2, Some(c as u32 - '㈠' as u32 + 1), m[0].len()));
            }
            if let Some(m) = ROMAN_MARKER.captures(t) {
                let number = match (m.get(1), m.get(2)) {
                    (Some(c), _) => c.as_str().chars().next()? as u32 - 'Ⅰ' as u32 + 1,
                    (_, Some(ascii)) => roman_value(ascii.as_str())?,
                    _ => return None,
                };
                return Some((0, Some(number), m[0].len()));
            }
            if !(matches!(first, '#' | '第' | '(' | '【')
                || first.is_numeric()
                || "一二三四五六七八九十".contains(first))
            {
                return None;
            }
            let cn = |m: &regex::Captures| numeral_value(&m[1]);
            if let Some(m) = BRACKET_MARKER.captures(t) {
                return (!m[1].trim().is_empty()).then_some((7, None, '【'.len_utf8()));
            }
            if let Some(m) = MARKDOWN_MARKER.captures(t) {
                let len = m[0].len();
                // `## 一、…`: the Chinese marker decides the rank, the hashes are formatting.
                if let Some((rank, number, inner)) =
                    heading_marker_by_regex(&t[len..]).filter(|h| h.0 < 6)
                {
                    return Some((rank, number, len + inner));
                }
                return Some((m[1].len() as u8, None, len));
            }
            if let Some(m) = PART_MARKER.captures(t) {
                return Some((0, cn(&m), m[0].len()));
            }
            if let Some(m) = TOP_MARKER.captures(t) {
                return Some((1, cn(&m), m[0].len()));
            }
            if let Some(m) = PAREN_CN_MARKER.captures(t) {
                return Some((2, cn(&m), m[0].len()));
            }
            if let Some(m) = ARABIC_MARKER.captures(t) {
                let rest = &t[m[0].len()..];
                let dot = t[m[1].len()..].starts_with('.');
                let spaced = m[0].len() > m[1].len() + 1;
                // `1.5万`, `12.3%`: a number, not a heading; `1.2023年…` is one.
                let decimal = dot
                    && !spaced
                    && rest.starts_with(|c: char| c.is_ascii_digit())
                    && !starts_with_year(rest);
                if decimal || dot && !spaced && rest.is_empty() {
                    return None;
                }
                return Some((3, m[1].parse().ok(), m[0].len()));
            }
            if let Some(m) = PAREN_ARABIC_MARKER.captures(t) {
                let n = m.get(1).or(m.get(2)).and_then(|g| g.as_str().parse().ok());
                return Some((4, n, m[0].len()));
            }
            if let Some(m) = CIRCLED_MARKER.captures(t) {
                let c = m[1].chars().next()?;
                let n = if ('①'..='⑳').contains(&c) {
                    c as u32 - '①' as u32 + 1
                } else {
                    c as u32 - '⑴' as u32 + 1
                };
                return Some((5, Some(n), m[0].len()));
            }
            None
        }
    }

    /// Every line of the samples and the signal fixtures, as written.
    fn sample_lines() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut lines = Vec::new();
        for dir in ["samples", "tests/fixtures/signals"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "txt") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    lines.extend(text.lines().map(String::from));
                }
            }
        }
        assert!(lines.len() > 300, "{} lines", lines.len());
        lines
    }

    /// Every string of one to `up_to` characters over `alphabet`, then `random` strings of four
    /// to twelve characters over it, from a fixed seed: for holding a reading by hand to the
    /// regex it replaced.
    fn strings_over(alphabet: &str, up_to: usize, random: usize) -> Vec<String> {
        let alphabet: Vec<char> = alphabet.chars().collect();
        let mut all = Vec::new();
        let mut strings = vec![String::new()];
        for _ in 0..up_to {
            strings = strings
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(strings.iter().cloned());
        }
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..random {
            let len = 4 + next() % 9;
            all.push(
                (0..len)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect(),
            );
        }
        all
    }

    #[test]
    fn a_midline_heading_is_looked_for_after_each_full_stop_as_in_the_folded_line() {
        // What the check was: every character of the line folded, one by one.
        let folded_check = |line: &str| {
            let mut chars = line.chars().filter_map(normalize::fold_char).peekable();
            while let Some(c) = chars.next() {
                if c != '。' {
                    continue;
                }
                while chars.next_if(|c| c.is_whitespace()).is_some() {}
                chars.next_if_eq(&'(');
                if chars
                    .next_if(|c| "一二三四五六七八九十".contains(*c))
                    .is_some()
                {
                    return true;
                }
            }
            false
        };
        let mut lines = sample_lines();
        lines.extend(strings_over("。｡ \u{3000}\u{200B}(（一十二x、", 4, 0));
        let mut found = 0;
        for line in &lines {
            let expected = folded_check(line);
            assert_eq!(may_hold_midline_heading(line), expected, "{line:?}");
            found += usize::from(expected);
        }
        assert!(found > 100, "{found} lines hold one");
    }

    #[test]
    fn heading_markers_read_by_hand_as_the_regexes_read_them() {
        let check = |t: &str| {
            assert_eq!(
                heading_marker(t),
                marker_by_regex::heading_marker_by_regex(t),
                "{t:?}"
            );
        };
        for line in sample_lines() {
            check(&fold(line.trim()).text);
        }
        // Every string of up to three characters over what the markers are made of, and many
        // longer ones.
        let alphabet = "一二十四第部分章()、.: \u{3000}\t13０#①⑳⑴x。万%【】◆㈡ⅢIV";
        strings_over(alphabet, 3, 50_000)
            .iter()
            .for_each(|s| check(s));
        // Runs at and past each repetition's bounds, with every delimiter.
        for n in 0..=8 {
            for (unit, delimiters) in [
                ("#", &[" ", "  一、x", "\t(二)", "x"][..]),
                ("一", &["、", ".", ")", " "][..]),
                (
                    "1",
                    &["、", ".", ".5", ".2023年", "、2023年", ". 2023年", ")", " "][..],
                ),
            ] {
                for d in delimiters.iter().chain(&[""]) {
                    for wrap in ["{}", "({})", "( {} )", "第{}章", "第{}部分"] {
                        for after in ["", "、", ".", ":", " ", "、 x", ". x", ":\u{3000}x"] {
                            let inner = format!("{}{d}", unit.repeat(n));
                            check(&format!("{}{after}", wrap.replace("{}", &inner)));
                        }
                    }
                }
            }
        }
    }

    fn kinds(r: &Report) -> Vec<String> {
        r.blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Chrome => "chrome".into(),
                BlockKind::Title => "title".into(),
                BlockKind::Body => "body".into(),
                BlockKind::Heading(h) => format!("h{}:{}", h.rank, h.title),
            })
            .collect()
    }

    #[test]
    fn parses_every_numbering_style() {
        let r = Report::parse(
            "一、总体情况\n（一）加强统筹。一是强化安排。\n1.会前学法\n（1）专题讲座\n①旁听庭审\n(二)半角括号",
        );
        assert_eq!(
            kinds(&r),
            [
                "h1:总体情况",
                "h2:加强统筹",
                "h3:会前学法",
                "h4:专题讲座",
                "h5:旁听庭审",
                "h2:半角括号"
            ]
        );
        assert_eq!(r.blocks[1].heading().unwrap().number, Some(1));
        assert_eq!(r.blocks[5].heading().unwrap().number, Some(2));
    }

    #[test]
    fn heading_with_body_on_the_same_line_ends_at_the_first_sentence_end() {
        let r = Report::parse("（一）加强统筹谋划。一是强化工作安排。二是强化督导。");
        let h = r.blocks[0].heading().unwrap();
        assert_eq!(h.title, "加强统筹谋划");
        assert_eq!(r.blocks[0].inline_items(), 2);
    }

    #[test]
    fn splits_a_top_level_heading_that_starts_mid_line() {
        let r = Report::parse("一、工作情况\n全年办结案件十件。二、存在的问题\n一是队伍薄弱。");
        assert_eq!(kinds(&r), ["h1:工作情况", "body", "h1:存在的问题", "body"]);
        assert_eq!(r.blocks[2].line, 2);
        assert_eq!(r.blocks[2].text, "二、存在的问题");
    }

    #[test]
    fn does_not_split_on_a_number_out_of_sequence() {
        let r = Report::parse("一、工作情况\n引用原文。五、其他\n");
        assert_eq!(kinds(&r), ["h1:工作情况", "body"]);
    }

    #[test]
    fn a_page_number_glued_into_a_sentence_is_not_a_heading() {
        let r = Report::parse(
            "（一）执法监督\n全年开展专项督查\n3、行政执法人员持证上岗。\n2、规范执法\n",
        );
        assert_eq!(kinds(&r)[..3], ["h2:执法监督", "body", "body"]);
        assert_eq!(r.blocks[2].folded.text, "行政执法人员持证上岗。");
        assert_eq!(r.blocks[3].heading().unwrap().number, Some(2));
    }

    #[test]
    fn a_page_number_glued_after_a_sentence_end_leaves_the_next_item_a_heading() {
        let r = Report::parse(
            "（一）执法监督\n1.落实三项制度。审核率100%。2\n2.开展卫片执法。查处案件38宗。\n3.打击非法采矿。\n",
        );
        let numbers: Vec<_> = r.headings().map(|(_, h)| h.number).collect();
        assert_eq!(numbers, [Some(1), Some(1), Some(2), Some(3)]);
        // Without a sentence end before it, a number ending a line is the sentence running on.
        let r = Report::parse("（一）执法监督\n全年办理行政复议案件共计12\n3、件，全部办结。\n");
        assert_eq!(kinds(&r), ["h2:执法监督", "body", "body"]);
    }

    #[test]
    fn page_markers_glued_into_a_line_are_dropped_from_what_the_rules_read() {
        let r = Report::parse(concat!(
            "某县2023年度法治政府建设情况报告 第1页 共9页\n",
            "（一）执法监督\n",
            "1.落实三项制度。持证执法人员27名，第2页 共9页现场执法配备记录仪12台。\n",
            "第3页/共9页2.开展卫片执法。查处案件38宗。\n",
            "第 4 页，共 9 页\n",
            "二、存在的不足第5页 共9页\n",
        ));
        // The running header and the page alone are chrome; the rest keep their text as
        // written, and the rules read it without the markers.
        assert_eq!(r.blocks[0].kind, BlockKind::Chrome);
        assert_eq!(r.blocks[4].kind, BlockKind::Chrome);
        assert_eq!(
            r.blocks[2].folded.text,
            "1.落实三项制度。持证执法人员27名,现场执法配备记录仪12台。"
        );
        assert!(r.blocks[2].text.contains("第2页 共9页"));
        let numbers: Vec<_> = r.headings().map(|(_, h)| (h.rank, h.number)).collect();
        assert_eq!(
            numbers,
            [(2, Some(1)), (3, Some(1)), (3, Some(2)), (1, Some(2))]
        );
        // A quote maps back to the original across the dropped marker.
        let f = &r.blocks[2].folded;
        let after = f.text.find("现场").unwrap();
        let i = f.text[..after].chars().count();
        let original: String = r.blocks[2].text.chars().skip(f.origin(i)).take(2).collect();
        assert_eq!(original, "现场");
        // In a sentence, a page or a count of pages alone is what the sentence says.
        let r = Report::parse("卷宗共9页，第3页载明处罚依据。");
        assert_eq!(r.blocks[0].folded.text, "卷宗共9页,第3页载明处罚依据。");
    }

    #[test]
    fn parts_hold_the_sections_numbered_afresh_under_each() {
        let r = Report::parse(concat!(
            "第一部分 2023年法治政府建设主要举措和成效\n",
            "一、依法全面履行政府职能\n",
            "（一）深化放管服改革\n",
            "正文。\n",
            "二、健全依法决策机制\n",
            "正文。二、不是标题\n",
            "第二部分 存在的不足和原因\n",
            "概述。三、不是标题\n",
            "一、基层执法力量不足\n",
            "正文。二、执法监督不到位\n",
        ));
        let outline: Vec<_> = r
            .headings()
            .map(|(i, h)| (i, r.level_of(h.rank), h.number))
            .collect();
        assert_eq!(
            outline,
            [
                (0, 1, Some(1)),
                (1, 2, Some(1)),
                (2, 3, Some(1)),
                (4, 2, Some(2)),
                (6, 1, Some(2)),
                (8, 2, Some(1)),
                (10, 2, Some(2)),
            ]
        );
        // A part runs to the next part, over its numbered sections. The numbering of 一、
        // starts again under the second part: a mid-line 三、 there does not follow the first
        // part's 二、, and a mid-line 二、 after its 一、 opens a section.
        assert_eq!(r.section(0), 0..6);
        assert_eq!(r.section(6), 6..11);
    }

    #[test]
    fn a_heading_title_ends_at_a_half_width_full_stop_after_chinese() {
        let r = Report::parse(
            "（五）局党组书记、局长履行第一责任人职责情况.局党组书记主持召开会议.\n（六）纠错率降至3.5%以下\n",
        );
        let titles: Vec<_> = r.headings().map(|(_, h)| h.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "局党组书记、局长履行第一责任人职责情况",
                "纠错率降至3.5%以下"
            ]
        );
    }

    #[test]
    fn decimals_and_years_are_not_headings() {
        let r = Report::parse("1.5万人次参加培训。\n2023年工作情况");
        assert_eq!(kinds(&r), ["body", "body"]);
    }

    #[test]
    fn an_attachment_after_the_signature_stands_outside_the_outline() {
        let text = "一、主要举措\n正文。\n二、2025年工作安排\n继续推进。\n特此报告。\n\
            附件：县委书记、县长履职情况\n云山县人民政府\n2025年2月18日\n附件\n\
            县委书记、县长履职情况\n一、县委书记\n带头述法。";
        let r = Report::parse(text);
        assert_eq!(
            kinds(&r),
            [
                "h1:主要举措",
                "body",
                "h1:2025年工作安排",
                "body",
                "body",
                "body",
                "body",
                "body",
                "chrome",
                "h0:县委书记、县长履职情况",
                "h1:县委书记",
                "body"
            ],
            "the list before the signature is text; the label after it is not"
        );
        assert_eq!(
            r.section(2),
            2..9,
            "the plan ends where the attachment starts"
        );
        assert_eq!(r.level_of(1), 1, "the attachment has no level");
        let same_line = Report::parse("一、甲\n正文。\n2025年2月18日\n附件2：述法情况\n一、乙");
        assert_eq!(kinds(&same_line)[3], "h0:述法情况");
        let unsigned = Report::parse("一、甲\n正文。\n附件\n述法情况");
        assert_eq!(kinds(&unsigned)[2], "body", "no signature: no attachment");
    }

    #[test]
    fn a_line_that_is_only_a_bracketed_title_is_a_heading() {
        let r = Report::parse(
            "【主要成效】\n办结案件十件。\n【存在的问题和原因】\n一是队伍薄弱。\n【典型案例】某村调解。",
        );
        assert_eq!(
            kinds(&r),
            ["h7:主要成效", "body", "h7:存在的问题和原因", "body", "body"]
        );
        assert_eq!(
            r.level_of(7),
            1,
            "the top level of a report that uses nothing else"
        );
        let under = Report::parse("一、主要举措\n【典型案例】\n某村调解。\n二、存在的问题");
        assert_eq!(under.level_of(7), 2, "below the numbered ranks");
        assert_eq!(under.section(0), 0..3);
    }

    #[test]
    fn decorated_ideograph_and_roman_markers_are_read() {
        let r = Report::parse(
            "Ⅰ、主要举措\n◆◆ 一、依法决策 ◆◆\n★（一）健全机制\n㈡规范执法\n▲图为培训现场。\nII、存在的问题",
        );
        assert_eq!(
            kinds(&r),
            [
                "h0:主要举措",
                "h1:依法决策",
                "h2:健全机制",
                "h2:规范执法",
                "body",
                "h0:存在的问题"
            ]
        );
        let numbers: Vec<_> = r.headings().map(|(_, h)| h.number).collect();
        assert_eq!(numbers, [Some(1), Some(1), Some(1), Some(2), Some(2)]);
        assert_eq!(
            kinds(&Report::parse("IIII、x\nVI.5万"))[..],
            ["body", "body"]
        );
    }

    #[test]
    fn an_arabic_heading_may_open_with_a_year() {
        let r = Report::parse("1. 2023年主要举措\n正文。\n2、2024年工作计划\n3.2024年重点任务");
        assert_eq!(
            kinds(&r),
            [
                "h3:2023年主要举措",
                "body",
                "h3:2024年工作计划",
                "h3:2024年重点任务"
            ]
        );
    }

    #[test]
    fn tolerates_skipped_and_repeated_numbers() {
        let r = Report::parse("一、甲\n三、乙\n三、丙");
        let numbers: Vec<_> = r.headings().map(|(_, h)| h.number).collect();
        assert_eq!(numbers, [Some(1), Some(3), Some(3)]);
        assert_eq!(r.section(1), 1..2);
    }

    #[test]
    fn sections_run_to_the_next_heading_of_the_same_or_higher_level() {
        let r = Report::parse("一、甲\n（一）子\n正文\n二、乙\n正文");
        assert_eq!(r.section(0), 0..3);
        assert_eq!(r.section(1), 1..3);
        assert_eq!(r.section(3), 3..5);
    }

    #[test]
    fn reads_title_unit_and_year() {
        let r = Report::parse("青岚县人民政府关于2022年度法治政府建设情况的报告\n2022年，我县……");
        assert_eq!(
            r.meta.title.as_deref(),
            Some("青岚县人民政府关于2022年度法治政府建设情况的报告")
        );
        assert_eq!(r.meta.unit.as_deref(), Some("青岚县人民政府"));
        assert_eq!(r.meta.year, Some(2022));
        assert_eq!(r.meta.year_source, Some(YearSource::Title));
    }

    #[test]
    fn a_unit_line_above_the_title_joins_it() {
        let r = Report::parse(
            "梧桐镇法治建设领导小组办公室\n关于2021年度法治政府建设工作的报告\n正文。",
        );
        assert_eq!(r.meta.unit.as_deref(), Some("梧桐镇法治建设领导小组办公室"));
        assert_eq!(r.meta.year, Some(2021));
        assert_eq!(r.blocks[1].kind, BlockKind::Title);
    }

    #[test]
    fn title_with_the_year_first() {
        let r = Report::parse("2023年澄江区法治政府建设情况报告\n正文。");
        assert_eq!(r.meta.unit.as_deref(), Some("澄江区"));
    }

    #[test]
    fn a_report_without_title_takes_its_year_from_the_opening() {
        let r = Report::parse(
            "县委全面依法治县委员会办公室：\n现将我局2023年法治政府建设情况报告如下：\n一、主要举措\n落实《法治政府建设实施纲要（2021—2025年）》。",
        );
        assert_eq!(r.meta.title, None);
        assert_eq!(r.meta.year, Some(2023));
        assert_eq!(r.meta.year_source, Some(YearSource::Opening));
    }

    #[test]
    fn years_of_cited_programmes_and_ranges_are_not_report_years() {
        assert_eq!(
            years_in("落实《法治政府建设实施纲要（2021—2025年）》"),
            vec![]
        );
        assert_eq!(
            years_in("2021-2025年规划和2023年工作")
                .iter()
                .map(|y| y.0)
                .collect::<Vec<_>>(),
            [2023]
        );
        assert_eq!(years_in("二〇二二年度")[0].0, 2022);
    }

    /// The regex search `years_in` replaced, as a reference: the two must agree.
    fn years_by_regex(text: &str) -> Vec<(i32, Range<usize>)> {
        static YEAR: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"(\d{4}|[一二三四五六七八九〇零○]{4})\s*年").unwrap());
        let excluded: Vec<Range<usize>> =
            NOT_REPORT_YEAR.find_iter(text).map(|m| m.range()).collect();
        YEAR.captures_iter(text)
            .filter_map(|c| {
                let g = c.get(1)?;
                if excluded.iter().any(|r| r.contains(&g.start())) {
                    return None;
                }
                let y = g
                    .as_str()
                    .parse()
                    .ok()
                    .or_else(|| chinese_year(g.as_str()))?;
                (2000..=2099).contains(&y).then_some((y, g.range()))
            })
            .collect()
    }

    #[test]
    fn page_numbers_and_file_names_are_read_as_the_regex_read_them() {
        let before =
            Regex::new(r"^(?:[-—\s]*\d{1,3}[-—\s]*$|\d{1,3}\s*/\s*\d{1,3}$|\S{1,80}\.(?:docx?|pdf|wps|txt|ppt)$)")
                .unwrap();
        let long_name = format!("{}.pdf", "报".repeat(81));
        let longest_name = format!("{}.pdf", "报".repeat(80));
        normalize::assert_same_as_before(
            &[
                "- 3 -",
                "—12—",
                "1234",
                "-",
                "3/15",
                "3 / 15",
                " 3/15",
                "3/15/2",
                "/15",
                "第3页",
                "某县报告.docx",
                "某县报告.doc",
                "某县 报告.pdf",
                ".pdf",
                "报告.PDF",
                "报告.pdfx",
                &long_name,
                &longest_name,
                "",
            ],
            |t| is_page_number(t) || is_file_name(t),
            |t| before.is_match(t),
        );
    }

    #[test]
    fn inline_items_are_counted_as_the_regex_with_a_leading_mark_counted_them() {
        let before =
            Regex::new(r"(?:^|[。;:!?,])\s*(?:[一二三四五六七八九十]{1,3}是|[①-⑳]|\([0-9]{1,2}\))")
                .unwrap();
        let check =
            |t: &str| assert_eq!(count_inline_items(t), before.find_iter(t).count(), "{t:?}");
        for t in [
            "一是执法力量薄弱;二是培训不足。三是 四是",
            "(1)(2) ①②⑪⑳ ,  十一是,统一是,一二三四是",
            "  一是开头",
            "",
            ",(123),(12),(1 ),( 1),十二三是;一二三是",
        ] {
            check(t);
        }
        for line in sample_lines() {
            check(&fold(line.trim()).text);
        }
        let alphabet = "一十四是①⑳⑴()1２。;, \u{3000}x";
        strings_over(alphabet, 4, 20_000)
            .iter()
            .for_each(|s| check(s));
    }

    #[test]
    fn years_are_read_back_from_each_nian_as_the_regex_found_them() {
        normalize::assert_same_as_before(
            &[
                "2023年，我县",
                "12023年",
                "2023 \u{3000}年度",
                "二〇二三年和二0二三年",
                "年2023年年",
                "1999年、2100年、2000年",
                "2021年至2023年，2022年",
                "《2022年工作要点》与2022年",
                "〇〇二三年二〇二四年",
                "第2023年",
                "",
            ],
            years_in,
            years_by_regex,
        );
    }

    #[test]
    fn web_chrome_is_not_content_and_related_links_are_not_the_title() {
        let text = "关怀版 无障碍\n您当前所在位置：首页 > 政务公开\n今天是：2023年2月8日 星期三\n索引号 001/2023-1 生成日期 2023-03-10\n\
                    云溪镇关于2022年度法治政府建设情况的报告\n访问量：\n2022年，我镇坚持依法行政，推进法治政府建设取得新成效。\n\
                    一、主要举措和成效\n全年开展普法活动三十场，受教育群众五千余人次。\n打印本页 关闭窗口\n相关文章\n云溪镇关于2019年度法治政府建设情况的报告";
        let r = Report::parse(text);
        assert_eq!(
            r.meta.title.as_deref(),
            Some("云溪镇关于2022年度法治政府建设情况的报告")
        );
        assert_eq!(r.meta.published, Date::new(2023, 3, 10));
        assert_eq!(r.meta.published_line, Some(4));
        let content: Vec<usize> = r.content().map(|i| r.blocks[i].line).collect();
        assert_eq!(content, [5, 7, 8, 9]);
    }

    #[test]
    fn metadata_tables_with_spaced_labels_and_bars() {
        let text = "索 引 号 | 1162/2025-48 | 主题分类 | 综合 |\n成文日期 | 2023-02-13 | 发布日期 | 2023-03-30 |\n\
                    标 题 | 青山县2022年度法治政府建设情况报告 |\n天津市某区人民政府 2019年12月3日星期二\n2022年，我县推进法治政府建设。";
        let r = Report::parse(text);
        assert_eq!(
            r.meta.title.as_deref(),
            Some("青山县2022年度法治政府建设情况报告")
        );
        assert_eq!(r.meta.unit.as_deref(), Some("青山县"));
        assert_eq!(r.meta.published, Date::new(2023, 3, 30));
        assert_eq!(r.blocks[0].kind, BlockKind::Chrome);
        assert_eq!(r.blocks[3].kind, BlockKind::Chrome, "a clock line");
    }

    #[test]
    fn the_publication_label_wins_over_the_update_time() {
        let r = Report::parse("更新时间:2021-05-03 10:00\n发布日期：2021年3月3日\n报告正文。");
        assert_eq!(r.meta.published, Date::new(2021, 3, 3));
    }

    #[test]
    fn an_unlabelled_date_in_the_metadata_line_is_the_publication_date() {
        let r = Report::parse(
            "2021-03-03 11:44  来源：县司法局  浏览：\n某县2020年度法治政府建设情况报告\n正文。",
        );
        assert_eq!(r.meta.published, Date::new(2021, 3, 3));
        let r = Report::parse("某县2020年度法治政府建设情况报告\n2021-03-03 起施行的办法。");
        assert_eq!(
            r.meta.published, None,
            "a date in the text is not a publication date"
        );
    }

    #[test]
    fn a_publication_date_on_the_line_after_its_label_is_read() {
        let r = Report::parse(
            "首页 > 政务公开\n发布时间：\n2024-03-28\n某县2023年法治政府建设情况报告\n正文。",
        );
        assert_eq!(r.meta.published, Date::new(2024, 3, 28));
    }

    #[test]
    fn a_running_header_beside_page_numbers_is_chrome_but_the_title_is_not() {
        let header = "某县2023年法治政府建设情况报告";
        let text = format!(
            "{header}\n一、主要举措\n正文一。\n- 1 -\n{header}\n正文二。\n- 2 -\n{header}\n四、下一步工作打算\n正文三。"
        );
        let r = Report::parse(&text);
        assert_eq!(
            kinds(&r),
            [
                "title",
                "h1:主要举措",
                "body",
                "chrome",
                "chrome",
                "body",
                "chrome",
                "chrome",
                "h1:下一步工作打算",
                "body"
            ]
        );
        let once = Report::parse(&format!("{header}\n正文一。\n- 1 -\n{header}\n正文二。"));
        assert_eq!(kinds(&once)[3], "body", "one page break: no running header");
    }

    #[test]
    fn a_title_broken_over_two_lines_is_one_title() {
        for (a, b) in [
            ("云山县人民政府关于2023年度", "法治政府建设情况的报告"),
            ("云山县人民政府关于2023年度法治", "政府建设情况的报告"),
            ("云山县人民政府关于", "2023年度法治政府建设情况的报告"),
        ] {
            let r = Report::parse(&format!("{a}\n{b}\n一、主要举措\n正文。"));
            assert_eq!(
                r.meta.title.as_deref(),
                Some(format!("{a} {b}").as_str()),
                "{a} / {b}"
            );
            assert_eq!(r.meta.year, Some(2023));
        }
    }

    #[test]
    fn a_wechat_article_line_dates_the_article() {
        let r = Report::parse(
            "原创 某县司法 2024-03-29 18:00 发表于湖南\n某县2023年法治政府建设情况报告\n正文。",
        );
        assert_eq!(r.meta.published, Date::new(2024, 3, 29));
    }

    #[test]
    fn a_clock_line_is_not_a_publication_date() {
        let r = Report::parse("今天是：2020年5月8日 星期五\n某县2019年法治政府建设情况报告");
        assert_eq!(r.meta.published, None);
    }

    #[test]
    fn sentence_marks_are_found_on_bytes_as_on_characters() {
        let by_chars = |t: &str| -> Vec<usize> {
            t.char_indices()
                .filter(|(_, c)| SENTENCE_END.contains(c))
                .map(|(i, c)| i + c.len_utf8())
                .collect()
        };
        for t in [
            "",
            "没有句末标点",
            "一是完善制度。二是加强监督;三是?“引号”…省略!结束。",
            "!?;。…",
            "全角括号（一）、顿号、书名号《规定》「」—— 与 \u{3001}\u{2025}\u{2027}",
            "a。",
        ] {
            assert_eq!(sentence_mark_ends(t), by_chars(t), "{t}");
        }
    }

    #[test]
    fn a_quote_finds_its_sentence_on_bytes_as_on_characters() {
        let before = |t: &str, at: usize| {
            t[..at]
                .rfind(SENTENCE_END)
                .map_or(0, |i| i + t[i..].chars().next().map_or(1, char::len_utf8))
        };
        let after = |t: &str, at: usize| {
            t[at..].find(SENTENCE_END).map_or(t.len(), |i| {
                let e = at + i;
                e + t[e..].chars().next().map_or(0, char::len_utf8)
            })
        };
        // The marks, and characters that share their bytes: ℂ and ┦ end in 82 and A6, and
        // 、〃—‥‧ open with E3 80 or E2 80.
        let mut texts = strings_over("。…!?;a法、〃—‥‧ℂ┦", 3, 5_000);
        texts.extend(sample_lines().into_iter().map(|l| fold(&l).text));
        for t in &texts {
            for at in (0..=t.len()).filter(|&i| t.is_char_boundary(i)) {
                assert_eq!(mark_end_before(t, at), before(t, at), "{t:?} before {at}");
                assert_eq!(mark_end_after(t, at), after(t, at), "{t:?} after {at}");
            }
        }
    }

    #[test]
    fn byte_at_counts_chars_as_char_indices_does() {
        let texts = [
            String::new(),
            "abc".to_string(),
            "县人民政府关于2023年度法治政府建设情况的报告。".repeat(7),
            "a😀é中".repeat(40),
        ];
        for t in &texts {
            for n in 0..=t.chars().count() + 2 {
                let expected = t.char_indices().nth(n).map_or(t.len(), |(i, _)| i);
                assert_eq!(byte_at(t, n), expected, "{n} in {t:?}");
            }
        }
    }

    #[test]
    fn quotes_the_original_sentence_around_a_match() {
        let r = Report::parse("前文。（一）县长履行第一责任人职责，主持会议。后文");
        let b = &r.blocks[0];
        let at = b.folded.text.find("第一责任人").unwrap();
        assert_eq!(
            b.quote(at..at + "第一责任人".len(), 60),
            "（一）县长履行第一责任人职责，主持会议。"
        );
        let long = "甲".repeat(100) + "第一责任人" + &"乙".repeat(100);
        let r = Report::parse(&long);
        let at = r.blocks[0].folded.text.find("第一").unwrap();
        let q = r.blocks[0].quote(at..at + 15, 40);
        assert!(
            q.starts_with('…') && q.ends_with('…') && q.contains("第一责任人"),
            "{q}"
        );
    }
}
