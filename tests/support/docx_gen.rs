//! A hand-written DOCX generator for tests: renders a plain-text report as a Word document the
//! way Word itself lays one out, optionally with the heading numbers (`一、`, `（一）`, `1.`)
//! produced by Word's automatic list numbering instead of typed.
//!
//! Every file also carries a header, a footer and a comment whose text is full of rule keywords
//! (`第一责任人`, `存在的问题`, `2019年工作安排` …), which a correct reader leaves out, and
//! docProps/core.xml with fixed creation and modification dates.
//!
//! Self-contained (std and `zip` only), so any test target can include it with
//! `#[path = "support/docx_gen.rs"] mod docx_gen;` or through `mod support;`.
#![allow(dead_code)]

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// `dcterms:created` written by [`docx_from_text`].
pub const DOCX_CREATED: &str = "2023-03-01T08:00:00Z";
/// `dcterms:modified` written by [`docx_from_text`].
pub const DOCX_MODIFIED: &str = "2023-03-02T09:30:00Z";
/// Text of the page header part (must not be read).
pub const HEADER_TEXT: &str = "第一责任人 存在的问题 2019年工作安排";
/// Text of the page footer part (must not be read).
pub const FOOTER_TEXT: &str =
    "存在的不足和原因 党政主要负责人履行推进法治建设第一责任人职责情况 2019年工作安排 第1页";
/// Text of the comment anchored on the first paragraph (must not be read).
pub const COMMENT_TEXT: &str = "请补充存在的问题及原因、第一责任人履职情况和2019年工作安排";

/// Render a plain-text report (one paragraph per line) as a DOCX file. With `auto_numbering`,
/// heading markers at the start of a line — `一、`…`十、` (level 0), `（一）`/`(一)` (level 1),
/// `1.`/`1、`/`1．` (level 2) — are removed from the text and produced by Word numbering
/// (numbering.xml with chineseCounting `%1、`, chineseCounting `（%2）`, decimal `%3.` in one
/// multi-level list; levels 0 and 1 through the Heading 1 and Heading 2 styles, level 2 through
/// direct `w:numPr`), restarting levels 1 and 2 under each new higher-level item, exactly so
/// that the DOCX reader renders the same markers back. Lines keep their order; empty lines
/// become empty paragraphs.
///
/// A marker is converted only when it is immediately followed by non-space text and the list
/// would render exactly it: a skipped or repeated number (`一、` then `三、`) keeps its typed
/// marker. Of the level 1 and 2 spellings, the one most lines use is produced by the list; the
/// others stay typed. So `extract(docx).paragraphs.join("\n")` gives back `text` exactly,
/// except that `\r` and characters XML cannot hold (other C0 controls) are dropped.
pub fn docx_from_text(text: &str, auto_numbering: bool) -> Vec<u8> {
    docx_from_text_with_dates(
        text,
        auto_numbering,
        Some(DOCX_CREATED),
        Some(DOCX_MODIFIED),
    )
}

/// [`docx_from_text`] with the given `dcterms:created` and `dcterms:modified` (left out when
/// `None`).
pub fn docx_from_text_with_dates(
    text: &str,
    auto_numbering: bool,
    created: Option<&str>,
    modified: Option<&str>,
) -> Vec<u8> {
    let lines: Vec<&str> = text.split('\n').collect();
    let plan = if auto_numbering {
        plan_numbering(&lines)
    } else {
        Plan::none(lines.len())
    };

    let mut body = String::new();
    for (i, line) in lines.iter().enumerate() {
        let (level, content) = match plan.numbered[i] {
            Some((level, marker_len)) => (Some(level), &line[marker_len..]),
            None => (None, *line),
        };
        body.push_str(&paragraph(content, level, i == 0));
    }
    body.push_str(concat!(
        r#"<w:sectPr><w:headerReference w:type="default" r:id="rId4"/>"#,
        r#"<w:footerReference w:type="default" r:id="rId5"/>"#,
        r#"<w:pgSz w:w="11906" w:h="16838"/>"#,
        r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/>"#,
        r#"</w:sectPr>"#
    ));
    let document = format!(r#"{DECL}<w:document {NS}><w:body>{body}</w:body></w:document>"#);

    let parts: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/styles.xml", STYLES.to_string()),
        ("word/numbering.xml", numbering_xml(&plan.variants)),
        ("word/header1.xml", header_footer("hdr", HEADER_TEXT)),
        ("word/footer1.xml", header_footer("ftr", FOOTER_TEXT)),
        ("word/comments.xml", comments()),
        ("docProps/core.xml", core(created, modified)),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(name, options).expect("zip entry");
        zip.write_all(content.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

// ---------------------------------------------------------------------------------------------
// Which lines become numbered paragraphs

/// How a heading marker is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    /// `一、` (level 0).
    Dun,
    /// `（一）` (level 1).
    FullParen,
    /// `(一)` (level 1).
    HalfParen,
    /// `1.` (level 2).
    Dot,
    /// `1、` (level 2).
    DunDigit,
    /// `1．` (level 2).
    FullDot,
}

impl Variant {
    fn level(self) -> usize {
        match self {
            Variant::Dun => 0,
            Variant::FullParen | Variant::HalfParen => 1,
            Variant::Dot | Variant::DunDigit | Variant::FullDot => 2,
        }
    }

    /// `w:lvlText` and `w:numFmt` of the list level that renders this spelling.
    fn level_text(self) -> (&'static str, &'static str) {
        match self {
            Variant::Dun => ("%1、", "chineseCounting"),
            Variant::FullParen => ("（%2）", "chineseCounting"),
            Variant::HalfParen => ("(%2)", "chineseCounting"),
            Variant::Dot => ("%3.", "decimal"),
            Variant::DunDigit => ("%3、", "decimal"),
            Variant::FullDot => ("%3．", "decimal"),
        }
    }
}

/// A heading marker at the start of a line: its spelling, number and length in bytes.
#[derive(Debug, Clone, Copy)]
struct Marker {
    variant: Variant,
    number: u32,
    len: usize,
}

struct Plan {
    /// Per line: the list level and the byte length of the marker it no longer types.
    numbered: Vec<Option<(usize, usize)>>,
    /// The spelling each level's list renders.
    variants: [Variant; 3],
}

impl Plan {
    fn none(lines: usize) -> Plan {
        Plan {
            numbered: vec![None; lines],
            variants: [Variant::Dun, Variant::FullParen, Variant::Dot],
        }
    }
}

fn plan_numbering(lines: &[&str]) -> Plan {
    let markers: Vec<Option<Marker>> = lines.iter().map(|l| marker(l)).collect();
    let mut plan = Plan::none(lines.len());
    let spellings: [(usize, &[Variant]); 2] = [
        (1, &[Variant::FullParen, Variant::HalfParen]),
        (2, &[Variant::Dot, Variant::DunDigit, Variant::FullDot]),
    ];
    for (level, choices) in spellings {
        let count = |v: Variant| markers.iter().flatten().filter(|m| m.variant == v).count();
        // The most used spelling; the first listed on a tie.
        let mut best = choices[0];
        for &v in choices {
            if count(v) > count(best) {
                best = v;
            }
        }
        plan.variants[level] = best;
    }
    // Simulate the list's counters exactly as Word (and the reader) advance them.
    let mut counters: [Option<u32>; 3] = [None; 3];
    for (i, m) in markers.iter().enumerate() {
        let Some(m) = m else { continue };
        let level = m.variant.level();
        if plan.variants[level] != m.variant || m.number != counters[level].map_or(1, |c| c + 1) {
            continue;
        }
        counters[level] = Some(m.number);
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = None;
        }
        plan.numbered[i] = Some((level, m.len));
    }
    plan
}

const CN_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// chineseCounting as Word renders it: 一 … 十, 十一, 二十, 二十一 … 九十九.
fn chinese_counting(n: u32) -> String {
    let (tens, ones) = (n / 10, n % 10);
    let mut s = String::new();
    if tens > 1 {
        s.push(CN_DIGITS[tens as usize]);
    }
    if tens > 0 {
        s.push('十');
    }
    if ones > 0 || n == 0 {
        s.push(CN_DIGITS[ones as usize]);
    }
    s
}

/// The value of a canonical Chinese numeral from 1 to 99.
fn chinese_value(s: &str) -> Option<u32> {
    (1..100).find(|&n| chinese_counting(n) == s)
}

fn is_cn_numeral(c: char) -> bool {
    c == '十' || CN_DIGITS[1..].contains(&c)
}

/// The heading marker a line starts with, if the marker is immediately followed by text.
fn marker(line: &str) -> Option<Marker> {
    let numeral_len = |s: &str| {
        s.char_indices()
            .find(|&(_, c)| !is_cn_numeral(c))
            .map_or(s.len(), |(i, _)| i)
    };
    let found = if let Some(n) = Some(numeral_len(line)).filter(|&n| n > 0) {
        let number = chinese_value(&line[..n])?;
        line[n..].starts_with('、').then_some(Marker {
            variant: Variant::Dun,
            number,
            len: n + '、'.len_utf8(),
        })?
    } else if let Some((open, close, variant)) = [
        ('（', '）', Variant::FullParen),
        ('(', ')', Variant::HalfParen),
    ]
    .into_iter()
    .find(|(o, ..)| line.starts_with(*o))
    {
        let inner = &line[open.len_utf8()..];
        let n = numeral_len(inner);
        let number = chinese_value(&inner[..n])?;
        inner[n..].starts_with(close).then_some(Marker {
            variant,
            number,
            len: open.len_utf8() + n + close.len_utf8(),
        })?
    } else {
        let n = line.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 3 || line.starts_with('0') {
            return None;
        }
        let number: u32 = line[..n].parse().ok()?;
        let sep = line[n..].chars().next()?;
        let variant = match sep {
            '.' => Variant::Dot,
            '、' => Variant::DunDigit,
            '．' => Variant::FullDot,
            _ => return None,
        };
        Marker {
            variant,
            number,
            len: n + sep.len_utf8(),
        }
    };
    let next = line[found.len..].chars().next()?;
    let decimal_point =
        matches!(found.variant, Variant::Dot | Variant::FullDot) && next.is_ascii_digit();
    (!next.is_whitespace() && !decimal_point).then_some(found)
}

// ---------------------------------------------------------------------------------------------
// XML parts

const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#
);

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Not representable in XML 1.0 (tabs and line ends never reach here).
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn run(text: &str) -> String {
    format!(
        r#"<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
        escape(text)
    )
}

/// One paragraph: numbered through a heading style (levels 0 and 1) or direct numbering
/// (level 2); the text split over several runs as Word does, tabs as `w:tab`.
fn paragraph(text: &str, level: Option<usize>, first: bool) -> String {
    let mut p = String::from("<w:p>");
    match level {
        Some(0) => p.push_str(r#"<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>"#),
        Some(1) => p.push_str(r#"<w:pPr><w:pStyle w:val="Heading2"/></w:pPr>"#),
        Some(l) => p.push_str(&format!(
            r#"<w:pPr><w:numPr><w:ilvl w:val="{l}"/><w:numId w:val="1"/></w:numPr></w:pPr>"#
        )),
        None => {}
    }
    if first {
        p.push_str(r#"<w:commentRangeStart w:id="0"/>"#);
    }
    for (i, segment) in text.split('\t').enumerate() {
        if i > 0 {
            p.push_str("<w:r><w:tab/></w:r>");
        }
        let chars: Vec<char> = segment.chars().filter(|&c| c != '\r').collect();
        for (j, chunk) in chars.chunks(12).enumerate() {
            if j == 1 {
                p.push_str(r#"<w:proofErr w:type="gramStart"/>"#);
            }
            p.push_str(&run(&chunk.iter().collect::<String>()));
            if j == 1 {
                p.push_str(r#"<w:proofErr w:type="gramEnd"/>"#);
            }
        }
    }
    if first {
        p.push_str(r#"<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>"#);
    }
    p.push_str("</w:p>");
    p
}

fn numbering_xml(variants: &[Variant; 3]) -> String {
    let mut levels = String::new();
    for (ilvl, variant) in variants.iter().enumerate() {
        let (text, fmt) = variant.level_text();
        let style = match ilvl {
            0 => r#"<w:pStyle w:val="Heading1"/>"#,
            1 => r#"<w:pStyle w:val="Heading2"/>"#,
            _ => "",
        };
        levels.push_str(&format!(
            r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{style}<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:suff w:val="nothing"/><w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>"#
        ));
    }
    for ilvl in 3..9 {
        levels.push_str(&format!(
            r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="({})"/><w:lvlJc w:val="left"/></w:lvl>"#,
            format_args!("%{}", ilvl + 1)
        ));
    }
    format!(
        r#"{DECL}<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
    )
}

const STYLES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr></w:rPrDefault></w:docDefaults>"#,
    r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:ind w:firstLine="640"/></w:pPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>"#,
    r#"<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>"#,
    r#"<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/></w:rPr></w:style>"#,
    r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/></w:style>"#,
    r#"</w:styles>"#
);

fn header_footer(root: &str, text: &str) -> String {
    format!(
        r#"{DECL}<w:{root} {NS}><w:p><w:pPr><w:jc w:val="center"/></w:pPr>{}</w:p></w:{root}>"#,
        run(text)
    )
}

fn comments() -> String {
    format!(
        r#"{DECL}<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="审核人" w:date="2023-02-28T10:00:00Z" w:initials="S"><w:p>{}</w:p></w:comment></w:comments>"#,
        run(COMMENT_TEXT)
    )
}

fn core(created: Option<&str>, modified: Option<&str>) -> String {
    let date = |name: &str, value: Option<&str>| {
        value.map_or(String::new(), |v| {
            format!(
                r#"<dcterms:{name} xsi:type="dcterms:W3CDTF">{}</dcterms:{name}>"#,
                escape(v)
            )
        })
    };
    format!(
        concat!(
            "{}",
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:creator>auditor tests</dc:creator><cp:lastModifiedBy>auditor tests</cp:lastModifiedBy>",
            "<cp:revision>2</cp:revision>{}{}</cp:coreProperties>"
        ),
        DECL,
        date("created", created),
        date("modified", modified)
    )
}

const CONTENT_TYPES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
    r#"<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#,
    r#"<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>"#,
    r#"<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>"#,
    r#"<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>"#,
    r#"<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>"#,
    r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
    r#"</Types>"#
);

const ROOT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
    r#"</Relationships>"#
);

const DOCUMENT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>"#,
    r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>"#,
    r#"<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>"#,
    r#"<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>"#,
    r#"</Relationships>"#
);
