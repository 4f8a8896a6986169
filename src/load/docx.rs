//! DOCX reader: the text of the main document part (`word/document.xml`), one string per
//! paragraph and one per table row, in document order, with Word's automatic list numbering
//! (`一、`, `（一）`, `1.` …) rendered back into the text, plus the dates in docProps/core.xml.
//!
//! Only the main document part is read for text. Headers, footers, footnotes, endnotes and
//! comments live in parts of their own and are never opened; deleted text (tracked changes),
//! field instructions, hidden text and the VML fallback copies of text boxes are skipped.
//! Styles (`word/styles.xml`) and numbering definitions (`word/numbering.xml`) are read only to
//! work out list numbers and heading levels (a heading style without a number is written as a
//! Markdown heading, `## …`). Every part is read through a size limit, so a ZIP bomb is an error,
//! not an out-of-memory crash, and nothing here panics on bad input.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

const KIB: u64 = 1 << 10;
const MIB: u64 = 1 << 20;
/// Most bytes the main document part may decompress to.
pub const DOCUMENT_PART_LIMIT: u64 = 64 * MIB;
/// Most bytes any other part read (styles, numbering, core properties, relationships) may
/// decompress to.
pub const OTHER_PART_LIMIT: u64 = 16 * MIB;
/// Most paragraphs (`w:p`, counting those in table cells and text boxes) in one document.
pub const MAX_PARAGRAPHS: usize = 200_000;
/// Deepest element nesting accepted in any XML part.
pub const MAX_XML_DEPTH: usize = 256;

const NOT_WORD: &str = "a ZIP archive but not a Word document (no word/document.xml)";
const ENCRYPTED: &str = "encrypted DOCX: remove the password and save again";
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Text and properties of a DOCX file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocxText {
    /// One entry per paragraph (and per table row), in document order. An entry may hold `\n`
    /// (a manual line break inside the paragraph) and `\t` (tabs, and between table cells).
    pub paragraphs: Vec<String>,
    /// `dcterms:created` from docProps/core.xml, as written there.
    pub created: Option<String>,
    /// `dcterms:modified` from docProps/core.xml.
    pub modified: Option<String>,
}

/// Reads a DOCX file. Errors are messages for the user: not a ZIP, not a Word document,
/// encrypted, damaged, too large or malformed (naming the part).
pub fn extract(bytes: &[u8]) -> Result<DocxText, String> {
    extract_with(bytes, Limits::DEFAULT)
}

#[derive(Debug, Clone, Copy)]
struct Limits {
    document: u64,
    other: u64,
    paragraphs: usize,
    depth: usize,
}

impl Limits {
    const DEFAULT: Limits = Limits {
        document: DOCUMENT_PART_LIMIT,
        other: OTHER_PART_LIMIT,
        paragraphs: MAX_PARAGRAPHS,
        depth: MAX_XML_DEPTH,
    };
}

fn extract_with(bytes: &[u8], limits: Limits) -> Result<DocxText, String> {
    let mut package = Package::open(bytes)?;
    let root_rels = package.relationships("", limits)?;
    let main = root_rels
        .target("/officeDocument")
        .filter(|p| package.index(p).is_some())
        .unwrap_or_else(|| "word/document.xml".to_string());
    let Some(document) = package.read(&main, limits.document)? else {
        return Err(NOT_WORD.into());
    };
    let document = xml_string(document, &main)?;
    check_root(&document, &main)?;

    let rels = package.relationships(&main, limits)?;
    let styles_part = rels
        .target("/styles")
        .unwrap_or_else(|| "word/styles.xml".into());
    let styles = match package.read(&styles_part, limits.other)? {
        Some(b) => parse_styles(&xml_string(b, &styles_part)?, &styles_part, limits)?,
        None => Styles::default(),
    };
    let numbering_part = rels
        .target("/numbering")
        .unwrap_or_else(|| "word/numbering.xml".into());
    let numbering = match package.read(&numbering_part, limits.other)? {
        Some(b) => parse_numbering(&xml_string(b, &numbering_part)?, &numbering_part, limits)?,
        None => Numbering::default(),
    };
    let paragraphs = parse_document(&document, &main, &styles, &numbering, limits)?;

    let core_part = root_rels
        .target("/core-properties")
        .unwrap_or_else(|| "docProps/core.xml".into());
    let (created, modified) = match package.read(&core_part, limits.other)? {
        Some(b) => parse_core(&xml_string(b, &core_part)?, &core_part, limits)?,
        None => (None, None),
    };
    Ok(DocxText {
        paragraphs,
        created,
        modified,
    })
}

// ---------------------------------------------------------------------------------------------
// The ZIP package

struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, String> {
        if bytes.starts_with(&OLE_MAGIC) {
            return Err("not a DOCX file: this is an OLE compound file, either a legacy Word .doc or a \
                        password-protected Office document (remove the password and save it as .docx)"
                .into());
        }
        match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(zip) => Ok(Package { zip }),
            Err(e) if bytes.starts_with(b"PK") => Err(format!(
                "not a DOCX file: the ZIP archive is damaged or truncated ({e})"
            )),
            Err(e) => Err(format!("not a DOCX file: not a ZIP archive ({e})")),
        }
    }

    /// The index of a part; part names are case-insensitive in OPC packages.
    fn index(&self, name: &str) -> Option<usize> {
        self.zip.index_for_name(name).or_else(|| {
            (0..self.zip.len()).find(|&i| {
                self.zip
                    .name_for_index(i)
                    .and_then(Result::ok)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
        })
    }

    /// The decompressed bytes of a part, `None` when the package has no such part.
    fn read(&mut self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, String> {
        let Some(i) = self.index(name) else {
            return Ok(None);
        };
        let entry = self.zip.by_index_data(i).map_err(|e| part_error(name, e))?;
        if entry.encrypted() {
            return Err(ENCRYPTED.into());
        }
        if entry.is_dir() {
            return Ok(None);
        }
        if entry.size() > limit {
            return Err(too_large(name, limit));
        }
        let file = self.zip.by_index(i).map_err(|e| part_error(name, e))?;
        let mut buf = Vec::new();
        file.take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| format!("DOCX part {name} is damaged and cannot be decompressed: {e}"))?;
        if buf.len() as u64 > limit {
            return Err(too_large(name, limit));
        }
        Ok(Some(buf))
    }

    /// The relationships of a part (`""` for the package itself). A missing or unreadable
    /// relationships part only means the default part names are used.
    fn relationships(&mut self, source: &str, limits: Limits) -> Result<Relationships, String> {
        let path = match source.rsplit_once('/') {
            Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
            None if source.is_empty() => "_rels/.rels".to_string(),
            None => format!("_rels/{source}.rels"),
        };
        let Some(bytes) = self.read(&path, limits.other)? else {
            return Ok(Relationships::default());
        };
        let Ok(xml) = xml_string(bytes, &path) else {
            return Ok(Relationships::default());
        };
        let mut rels = Relationships::default();
        let parsed = walk(&xml, &path, limits.depth, |node| {
            if let Node::Start(_, e) = node
                && e.local_name().as_ref() == "Relationship"
                && attr(e, "TargetMode").is_none_or(|m| !m.eq_ignore_ascii_case("External"))
                && let (Some(kind), Some(target)) = (attr(e, "Type"), attr(e, "Target"))
            {
                rels.0.push((kind, resolve_target(source, &target)));
            }
            Ok(())
        });
        Ok(if parsed.is_ok() {
            rels
        } else {
            Relationships::default()
        })
    }
}

/// (relationship type, resolved part name) pairs.
#[derive(Default)]
struct Relationships(Vec<(String, String)>);

impl Relationships {
    /// The part of the first relationship whose type ends with `suffix` (e.g. `/styles`), which
    /// matches both transitional and strict OOXML type URIs.
    fn target(&self, suffix: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(kind, _)| kind.ends_with(suffix))
            .map(|(_, p)| p.clone())
    }
}

/// A relationship target resolved against the folder of its source part, as a ZIP entry name.
fn resolve_target(source: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => match source.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{target}"),
            None => target.to_string(),
        },
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn part_error(name: &str, e: zip::result::ZipError) -> String {
    use zip::result::ZipError;
    match e {
        ZipError::UnsupportedArchive(m) if m == ZipError::PASSWORD_REQUIRED => ENCRYPTED.into(),
        ZipError::InvalidPassword => ENCRYPTED.into(),
        ZipError::UnsupportedArchive(_) | ZipError::CompressionMethodNotSupported(_) => {
            format!(
                "DOCX part {name} uses a ZIP feature this reader does not support ({e}): save the file again in Word"
            )
        }
        e => format!("DOCX part {name} is damaged: {e}"),
    }
}

fn too_large(name: &str, limit: u64) -> String {
    let size = if limit.is_multiple_of(MIB) {
        format!("{} MiB", limit / MIB)
    } else if limit.is_multiple_of(KIB) {
        format!("{} KiB", limit / KIB)
    } else {
        format!("{limit} bytes")
    };
    format!("DOCX part {name} is larger than the {size} limit")
}

/// The text of an XML part: UTF-8 (a BOM is dropped) or UTF-16 with a BOM.
fn xml_string(bytes: Vec<u8>, part: &str) -> Result<String, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        // `decode` follows the BOM, whichever byte order it names.
        let (text, _, malformed) = encoding_rs::UTF_16LE.decode(&bytes);
        if malformed {
            return Err(format!("DOCX part {part} is not valid UTF-16 XML"));
        }
        return Ok(text.into_owned());
    }
    let mut text =
        String::from_utf8(bytes).map_err(|_| format!("DOCX part {part} is not valid UTF-8 XML"))?;
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    Ok(text)
}

// ---------------------------------------------------------------------------------------------
// Streaming XML

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// WordprocessingML, transitional or strict.
    W,
    /// Markup compatibility (`mc:AlternateContent`).
    Mc,
    /// Office math.
    Math,
    Other,
}

fn ns_of(resolved: &ResolveResult<'_>) -> Ns {
    match resolved {
        ResolveResult::Bound(ns) => match ns.0 {
            "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
            | "http://purl.oclc.org/ooxml/wordprocessingml/main" => Ns::W,
            "http://schemas.openxmlformats.org/markup-compatibility/2006" => Ns::Mc,
            "http://schemas.openxmlformats.org/officeDocument/2006/math"
            | "http://purl.oclc.org/ooxml/officeDocument/math" => Ns::Math,
            _ => Ns::Other,
        },
        // Some generators forget to declare the usual prefixes.
        ResolveResult::Unknown(prefix) if prefix == "w" => Ns::W,
        ResolveResult::Unknown(prefix) if prefix == "mc" => Ns::Mc,
        _ => Ns::Other,
    }
}

enum Node<'e> {
    Start(Ns, &'e BytesStart<'e>),
    End,
    Text(&'e str),
}

fn malformed(part: &str, position: u64, e: impl std::fmt::Display) -> String {
    format!("DOCX part {part} is not well-formed XML (at byte {position}): {e}")
}

/// Streams an XML part to `visit`: element starts (empty elements give a start and an end),
/// ends, and text with entity and character references resolved.
fn walk(
    xml: &str,
    part: &str,
    max_depth: usize,
    mut visit: impl FnMut(Node<'_>) -> Result<(), String>,
) -> Result<(), String> {
    let mut reader = NsReader::from_str(xml);
    let mut depth = 0usize;
    loop {
        let event = reader
            .read_resolved_event()
            .map(|(ns, event)| (ns_of(&ns), event));
        let (ns, event) = event.map_err(|e| malformed(part, reader.error_position(), e))?;
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth > max_depth {
                    return Err(format!(
                        "DOCX part {part} is nested more than {max_depth} elements deep"
                    ));
                }
                visit(Node::Start(ns, &e))?;
            }
            Event::Empty(e) => {
                if depth + 1 > max_depth {
                    return Err(format!(
                        "DOCX part {part} is nested more than {max_depth} elements deep"
                    ));
                }
                visit(Node::Start(ns, &e))?;
                visit(Node::End)?;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                visit(Node::End)?;
            }
            Event::Text(t) if depth > 0 => visit(Node::Text(&t.xml10_content()))?,
            Event::CData(t) if depth > 0 => visit(Node::Text(&t.xml10_content()))?,
            Event::GeneralRef(r) if depth > 0 => {
                let text = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match resolve_predefined_entity(&r) {
                        Some(s) => s.to_string(),
                        None => {
                            let e = format!("unknown entity &{};", &*r);
                            return Err(malformed(part, reader.buffer_position(), e));
                        }
                    },
                    Err(e) => return Err(malformed(part, reader.buffer_position(), e)),
                };
                visit(Node::Text(&text))?;
            }
            Event::Eof => {
                if depth > 0 {
                    return Err(format!(
                        "DOCX part {part} is truncated or not well-formed XML: it ends before all elements are closed"
                    ));
                }
                return Ok(());
            }
            _ => {}
        }
    }
}

/// The unescaped value of the attribute with this local name (`w:val` → `"val"`).
fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// An on/off property (`<w:vanish/>`, `<w:isLgl w:val="0"/>`).
fn on_off(e: &BytesStart<'_>) -> bool {
    attr(e, "val").is_none_or(|v| !matches!(v.trim(), "0" | "false" | "off"))
}

fn int_attr<T: std::str::FromStr>(e: &BytesStart<'_>, local: &str) -> Option<T> {
    attr(e, local).and_then(|v| v.trim().parse().ok())
}

/// The main part must be a WordprocessingML document (an .xlsx or .pptx is a ZIP too).
fn check_root(xml: &str, part: &str) -> Result<(), String> {
    let mut reader = NsReader::from_str(xml);
    loop {
        let event = reader
            .read_resolved_event()
            .map(|(ns, event)| (ns_of(&ns), event));
        let (ns, event) = event.map_err(|e| malformed(part, reader.error_position(), e))?;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                return if ns == Ns::W && e.local_name().as_ref() == "document" {
                    Ok(())
                } else {
                    Err(format!(
                        "a ZIP archive but not a Word document ({part} is not a WordprocessingML document)"
                    ))
                };
            }
            Event::Eof => return Err(format!("DOCX part {part} is empty")),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Styles

/// The outline level of a built-in heading style by its name (`heading 2` → 1; Word writes the
/// English names whatever the language of its interface, WPS sometimes `标题 2`).
fn heading_level(name: &str) -> Option<u8> {
    let name = name.trim().to_lowercase();
    let n = name
        .strip_prefix("heading")
        .or_else(|| name.strip_prefix("标题"))?
        .trim();
    n.parse::<u8>()
        .ok()
        .filter(|n| (1..=9).contains(n))
        .map(|n| n - 1)
}

#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, Style>,
    /// The style of paragraphs that name none.
    default_paragraph: Option<String>,
}

#[derive(Debug, Default)]
struct Style {
    based_on: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<u8>,
    /// The outline level (0 for `heading 1`) of a heading style: by its name, or its
    /// `w:outlineLvl`.
    outline: Option<u8>,
}

impl Styles {
    /// The outline level a style gives its paragraphs, inherited through `w:basedOn`.
    /// A style that styles.xml does not define (or a package without one) is read by its id,
    /// which Word makes of the English name (`Heading2`).
    fn outline(&self, id: Option<&str>) -> Option<u8> {
        let mut current = id;
        for _ in 0..32 {
            let Some(style) = current.and_then(|id| self.by_id.get(id)) else {
                return current.and_then(heading_level);
            };
            if style.outline.is_some() {
                return style.outline;
            }
            current = style.based_on.as_deref();
        }
        None
    }

    /// The list (numId) and level a style gives its paragraphs, inherited through `w:basedOn`.
    fn numbering(&self, id: Option<&str>) -> (Option<u32>, Option<u8>) {
        let (mut num_id, mut ilvl) = (None, None);
        let mut current = id;
        for _ in 0..32 {
            let Some(style) = current.and_then(|id| self.by_id.get(id)) else {
                break;
            };
            num_id = num_id.or(style.num_id);
            ilvl = ilvl.or(style.ilvl);
            if num_id.is_some() && ilvl.is_some() {
                break;
            }
            current = style.based_on.as_deref();
        }
        (num_id, ilvl)
    }
}

/// Qualified names for the small path stacks of styles.xml and numbering.xml.
fn qualified(ns: Ns, local: &str) -> String {
    match ns {
        Ns::W => format!("w:{local}"),
        Ns::Mc => format!("mc:{local}"),
        _ => format!("?:{local}"),
    }
}

fn path_ends(stack: &[String], tail: &[&str]) -> bool {
    stack.len() >= tail.len()
        && stack[stack.len() - tail.len()..]
            .iter()
            .zip(tail)
            .all(|(a, b)| a == b)
}

fn parse_styles(xml: &str, part: &str, limits: Limits) -> Result<Styles, String> {
    let mut styles = Styles::default();
    let mut stack: Vec<String> = Vec::new();
    let mut current: Option<(String, Style)> = None;
    walk(xml, part, limits.depth, |node| {
        match node {
            Node::Start(ns, e) => {
                stack.push(qualified(ns, e.local_name().as_ref()));
                if path_ends(&stack, &["w:styles", "w:style"]) {
                    let id = attr(e, "styleId").unwrap_or_default();
                    let paragraph = attr(e, "type").is_none_or(|t| t == "paragraph");
                    if paragraph
                        && attr(e, "default")
                            .is_some_and(|d| matches!(d.as_str(), "1" | "true" | "on"))
                    {
                        styles.default_paragraph = Some(id.clone());
                    }
                    current = Some((id, Style::default()));
                } else if let Some((_, style)) = current.as_mut() {
                    if path_ends(&stack, &["w:style", "w:basedOn"]) {
                        style.based_on = attr(e, "val");
                    } else if path_ends(&stack, &["w:style", "w:name"]) {
                        style.outline = style
                            .outline
                            .or(attr(e, "val").and_then(|n| heading_level(&n)));
                    } else if path_ends(&stack, &["w:style", "w:pPr", "w:outlineLvl"]) {
                        style.outline = int_attr(e, "val").filter(|&l: &u8| l < 9);
                    } else if path_ends(&stack, &["w:style", "w:pPr", "w:numPr", "w:numId"]) {
                        style.num_id = int_attr(e, "val");
                    } else if path_ends(&stack, &["w:style", "w:pPr", "w:numPr", "w:ilvl"]) {
                        style.ilvl = int_attr(e, "val");
                    }
                }
            }
            Node::End => {
                if path_ends(&stack, &["w:styles", "w:style"])
                    && let Some((id, style)) = current.take()
                {
                    styles.by_id.entry(id).or_insert(style);
                }
                stack.pop();
            }
            Node::Text(_) => {}
        }
        Ok(())
    })?;
    Ok(styles)
}

// ---------------------------------------------------------------------------------------------
// Numbering definitions

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum NumFmt {
    #[default]
    Decimal,
    DecimalZero,
    DecimalFullWidth,
    DecimalEnclosedCircle,
    DecimalEnclosedFullstop,
    DecimalEnclosedParen,
    ChineseCounting,
    ChineseLegalSimplified,
    ChineseLegalTraditional,
    IdeographDigital,
    IdeographTraditional,
    IdeographZodiac,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
    Bullet,
    None,
}

impl NumFmt {
    /// `None` for `custom` (Word 2010's extension, always paired with a fallback format).
    fn parse(s: &str) -> Option<NumFmt> {
        Some(match s {
            "custom" => return None,
            "decimalZero" => NumFmt::DecimalZero,
            "decimalFullWidth" | "decimalFullWidth2" => NumFmt::DecimalFullWidth,
            "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => {
                NumFmt::DecimalEnclosedCircle
            }
            "decimalEnclosedFullstop" => NumFmt::DecimalEnclosedFullstop,
            "decimalEnclosedParen" => NumFmt::DecimalEnclosedParen,
            "chineseCounting"
            | "chineseCountingThousand"
            | "taiwaneseCounting"
            | "taiwaneseCountingThousand"
            | "japaneseCounting" => NumFmt::ChineseCounting,
            "chineseLegalSimplified" => NumFmt::ChineseLegalSimplified,
            "ideographLegalTraditional" | "japaneseLegal" => NumFmt::ChineseLegalTraditional,
            "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => {
                NumFmt::IdeographDigital
            }
            "ideographTraditional" => NumFmt::IdeographTraditional,
            "ideographZodiac" | "ideographZodiacTraditional" => NumFmt::IdeographZodiac,
            "lowerLetter" => NumFmt::LowerLetter,
            "upperLetter" => NumFmt::UpperLetter,
            "lowerRoman" => NumFmt::LowerRoman,
            "upperRoman" => NumFmt::UpperRoman,
            "bullet" => NumFmt::Bullet,
            "none" => NumFmt::None,
            // decimal, decimalHalfWidth, ordinal, cardinalText and anything unknown.
            _ => NumFmt::Decimal,
        })
    }

    fn shows_number(self) -> bool {
        !matches!(self, NumFmt::Bullet | NumFmt::None)
    }
}

#[derive(Debug, Clone)]
struct Level {
    start: i64,
    fmt: NumFmt,
    /// `w:lvlText`; without it the level shows nothing.
    text: Option<String>,
    /// `w:lvlRestart`: restart after a level with a (0-based) index below this is used;
    /// `None` is the default (after any higher level), `Some(0)` never.
    restart: Option<usize>,
    /// `w:isLgl`: every number in the text shown as decimal.
    legal: bool,
    /// `w:pStyle`: the paragraph style linked to this level.
    style: Option<String>,
}

impl Default for Level {
    fn default() -> Self {
        // ECMA-376 says an omitted w:start is 0, but Word always writes it and files from
        // other tools that omit it mean 1.
        Level {
            start: 1,
            fmt: NumFmt::Decimal,
            text: None,
            restart: None,
            legal: false,
            style: None,
        }
    }
}

const LEVELS: usize = 9;

#[derive(Debug, Default)]
struct AbstractNum {
    levels: [Option<Level>; LEVELS],
    /// `w:numStyleLink`: the definition lives in the list that a numbering style points to.
    style_link: Option<String>,
}

#[derive(Debug, Default)]
struct Num {
    abstract_id: String,
    start_overrides: [Option<i64>; LEVELS],
    level_overrides: [Option<Level>; LEVELS],
}

impl Num {
    fn overridden(&self) -> bool {
        self.start_overrides.iter().any(Option::is_some)
            || self.level_overrides.iter().any(Option::is_some)
    }
}

#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, AbstractNum>,
    nums: HashMap<u32, Num>,
}

impl Numbering {
    /// The abstract definition behind a list, following `w:numStyleLink`.
    fn abstract_of<'n>(
        &'n self,
        num: &'n Num,
        styles: &Styles,
    ) -> Option<(&'n str, &'n AbstractNum)> {
        let mut id = num.abstract_id.as_str();
        for _ in 0..8 {
            let abs = self.abstracts.get(id)?;
            let Some(link) = abs.style_link.as_deref() else {
                return Some((id, abs));
            };
            let linked = styles
                .numbering(Some(link))
                .0
                .and_then(|n| self.nums.get(&n));
            match linked {
                Some(next) if next.abstract_id != id => id = &next.abstract_id,
                _ => return Some((id, abs)),
            }
        }
        None
    }
}

fn parse_numbering(xml: &str, part: &str, limits: Limits) -> Result<Numbering, String> {
    let mut numbering = Numbering::default();
    let mut stack: Vec<String> = Vec::new();
    let mut abs: Option<(String, AbstractNum)> = None;
    let mut num: Option<(u32, Num)> = None;
    let mut override_level: Option<usize> = None;
    let mut level: Option<(usize, Level)> = None;
    walk(xml, part, limits.depth, |node| {
        match node {
            Node::Start(ns, e) => {
                let local = e.local_name();
                let local = local.as_ref();
                stack.push(qualified(ns, local));
                if ns != Ns::W {
                    return Ok(());
                }
                if let Some((_, lvl)) = level.as_mut() {
                    // Inside w:lvl, possibly within mc:AlternateContent (a `custom` numFmt in
                    // mc:Choice comes with a standard one in mc:Fallback).
                    match local {
                        "start" => lvl.start = int_attr(e, "val").unwrap_or(lvl.start),
                        "numFmt" => {
                            if let Some(f) = attr(e, "val").and_then(|v| NumFmt::parse(&v)) {
                                lvl.fmt = f;
                            }
                        }
                        "lvlText" => lvl.text = Some(attr(e, "val").unwrap_or_default()),
                        "lvlRestart" => lvl.restart = int_attr(e, "val"),
                        "isLgl" => lvl.legal = on_off(e),
                        "pStyle" => lvl.style = attr(e, "val"),
                        _ => {}
                    }
                    return Ok(());
                }
                match local {
                    "abstractNum" if path_ends(&stack, &["w:numbering", "w:abstractNum"]) => {
                        abs = Some((
                            attr(e, "abstractNumId").unwrap_or_default(),
                            AbstractNum::default(),
                        ));
                    }
                    "numStyleLink" => {
                        if let Some((_, a)) = abs.as_mut() {
                            a.style_link = attr(e, "val");
                        }
                    }
                    "num" if path_ends(&stack, &["w:numbering", "w:num"]) => {
                        num = int_attr(e, "numId").map(|id| (id, Num::default()));
                    }
                    "abstractNumId" => {
                        if let Some((_, n)) = num.as_mut() {
                            n.abstract_id = attr(e, "val").unwrap_or_default().trim().to_string();
                        }
                    }
                    "lvlOverride" => override_level = int_attr(e, "ilvl"),
                    "startOverride" => {
                        if let (Some((_, n)), Some(i)) =
                            (num.as_mut(), override_level.filter(|&i| i < LEVELS))
                        {
                            n.start_overrides[i] = int_attr(e, "val");
                        }
                    }
                    "lvl" => level = Some((int_attr(e, "ilvl").unwrap_or(0), Level::default())),
                    _ => {}
                }
            }
            Node::End => {
                let closed = stack.pop().unwrap_or_default();
                match closed.as_str() {
                    "w:lvl" => {
                        if let Some((i, lvl)) = level.take().filter(|(i, _)| *i < LEVELS) {
                            if let (Some((_, n)), Some(o)) = (num.as_mut(), override_level) {
                                if o == i {
                                    n.level_overrides[i] = Some(lvl);
                                }
                            } else if let Some((_, a)) = abs.as_mut() {
                                a.levels[i] = Some(lvl);
                            }
                        }
                    }
                    "w:lvlOverride" => override_level = None,
                    "w:abstractNum" if stack.len() == 1 => {
                        if let Some((id, a)) = abs.take() {
                            numbering
                                .abstracts
                                .entry(id.trim().to_string())
                                .or_insert(a);
                        }
                    }
                    "w:num" if stack.len() == 1 => {
                        if let Some((id, n)) = num.take() {
                            numbering.nums.entry(id).or_insert(n);
                        }
                    }
                    _ => {}
                }
            }
            Node::Text(_) => {}
        }
        Ok(())
    })?;
    Ok(numbering)
}

/// List counters and the rendering of list markers, in document order.
struct Lists<'a> {
    styles: &'a Styles,
    numbering: &'a Numbering,
    /// Per list: the current number of each level, `None` until used or after a restart.
    /// Lists sharing an abstract definition share counters, as in Word, unless a list
    /// overrides the definition (restarted numbering).
    counters: HashMap<String, [Option<i64>; LEVELS]>,
}

impl Lists<'_> {
    /// Advances the counters for a paragraph and returns its marker (`一、`, `（二）`, `3.`),
    /// `None` for paragraphs that are not numbered or show no number (bullets).
    fn marker(
        &mut self,
        style: Option<&str>,
        num_id: Option<u32>,
        ilvl: Option<u8>,
    ) -> Option<String> {
        let (styles, numbering) = (self.styles, self.numbering);
        let style = style.or(styles.default_paragraph.as_deref());
        let (style_num, style_ilvl) = styles.numbering(style);
        let num_id = num_id.or(style_num).filter(|&n| n != 0)?;
        let num = numbering.nums.get(&num_id)?;
        let (abs_id, abs) = numbering.abstract_of(num, styles)?;
        let level = |i: usize| num.level_overrides[i].as_ref().or(abs.levels[i].as_ref());
        let ilvl = match ilvl.or(style_ilvl) {
            Some(i) => usize::from(i),
            None => style
                .and_then(|s| {
                    (0..LEVELS).find(|&i| level(i).is_some_and(|l| l.style.as_deref() == Some(s)))
                })
                .unwrap_or(0),
        };
        if ilvl >= LEVELS {
            return None;
        }
        let lvl = level(ilvl)?;
        let start = |i: usize| {
            num.start_overrides[i]
                .or_else(|| level(i).map(|l| l.start))
                .unwrap_or(1)
        };
        let key = if num.overridden() {
            format!("num {num_id}")
        } else {
            format!("abstract {abs_id}")
        };
        let counters = self.counters.entry(key).or_default();
        counters[ilvl] = Some(match counters[ilvl] {
            Some(n) => n.saturating_add(1),
            None => start(ilvl),
        });
        for (deeper, counter) in counters.iter_mut().enumerate().skip(ilvl + 1) {
            let restart_below = level(deeper).and_then(|l| l.restart).unwrap_or(deeper);
            if ilvl < restart_below {
                *counter = None;
            }
        }
        if !lvl.fmt.shows_number() {
            return None;
        }
        let template = lvl.text.as_deref()?;
        let mut marker = String::new();
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            let placeholder = (c == '%')
                .then(|| chars.peek().and_then(|d| d.to_digit(10)))
                .flatten()
                .filter(|d| (1..=9).contains(d));
            let Some(d) = placeholder else {
                marker.push(c);
                continue;
            };
            chars.next();
            let i = d as usize - 1;
            let Some(referenced) = level(i).filter(|l| l.fmt.shows_number()) else {
                continue;
            };
            let value = counters[i].unwrap_or_else(|| start(i));
            let fmt = if lvl.legal {
                NumFmt::Decimal
            } else {
                referenced.fmt
            };
            marker.push_str(&format_number(value, fmt));
        }
        (!marker.is_empty()).then_some(marker)
    }
}

// ---------------------------------------------------------------------------------------------
// Number formats

const CN_COUNTING: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const CN_COUNTING_UNITS: [char; 5] = ['十', '百', '千', '万', '亿'];
const CN_LEGAL: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const CN_LEGAL_UNITS: [char; 5] = ['拾', '佰', '仟', '万', '亿'];
const CN_LEGAL_TRAD: [char; 10] = ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'];
const CN_LEGAL_TRAD_UNITS: [char; 5] = ['拾', '佰', '仟', '萬', '億'];
const TIANGAN: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
const DIZHI: [char; 12] = [
    '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
];

fn format_number(n: i64, fmt: NumFmt) -> String {
    let offset = |base: u32, from: i64| char::from_u32(base + (n - from) as u32).map(String::from);
    let formatted = match fmt {
        _ if n < 0 => None,
        NumFmt::Decimal => None,
        NumFmt::Bullet | NumFmt::None => Some(String::new()),
        NumFmt::DecimalZero if n < 10 => Some(format!("0{n}")),
        NumFmt::DecimalZero => None,
        NumFmt::DecimalFullWidth => Some(
            n.to_string()
                .chars()
                .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
                .collect(),
        ),
        NumFmt::DecimalEnclosedCircle => match n {
            1..=20 => offset(0x2460, 1),
            21..=35 => offset(0x3251, 21),
            36..=50 => offset(0x32B1, 36),
            _ => None,
        },
        NumFmt::DecimalEnclosedFullstop => {
            (1..=20).contains(&n).then(|| offset(0x2488, 1)).flatten()
        }
        NumFmt::DecimalEnclosedParen => (1..=20).contains(&n).then(|| offset(0x2474, 1)).flatten(),
        NumFmt::ChineseCounting => chinese(n, &CN_COUNTING, &CN_COUNTING_UNITS, '零', true),
        NumFmt::ChineseLegalSimplified => chinese(n, &CN_LEGAL, &CN_LEGAL_UNITS, '零', false),
        NumFmt::ChineseLegalTraditional => {
            chinese(n, &CN_LEGAL_TRAD, &CN_LEGAL_TRAD_UNITS, '零', false)
        }
        NumFmt::IdeographDigital => Some(
            n.to_string()
                .chars()
                .map(|c| CN_COUNTING[c as usize - '0' as usize])
                .collect(),
        ),
        NumFmt::IdeographTraditional if n >= 1 => {
            Some(TIANGAN[((n - 1) % 10) as usize].to_string())
        }
        NumFmt::IdeographZodiac if n >= 1 => Some(DIZHI[((n - 1) % 12) as usize].to_string()),
        NumFmt::IdeographTraditional | NumFmt::IdeographZodiac => None,
        NumFmt::LowerLetter | NumFmt::UpperLetter if (1..=780).contains(&n) => {
            let base = if fmt == NumFmt::LowerLetter {
                b'a'
            } else {
                b'A'
            };
            let letter = char::from(base + ((n - 1) % 26) as u8);
            Some(std::iter::repeat_n(letter, ((n - 1) / 26 + 1) as usize).collect())
        }
        NumFmt::LowerLetter | NumFmt::UpperLetter => None,
        NumFmt::LowerRoman | NumFmt::UpperRoman if (1..=3999).contains(&n) => {
            let roman = roman(n);
            Some(if fmt == NumFmt::LowerRoman {
                roman.to_lowercase()
            } else {
                roman
            })
        }
        NumFmt::LowerRoman | NumFmt::UpperRoman => None,
    };
    formatted.unwrap_or_else(|| n.to_string())
}

/// Chinese numerals: 一, 十, 十一, 二十一, 一百零一, 一万零一十 (counting) or 壹拾壹 (legal).
fn chinese(
    n: i64,
    digits: &[char; 10],
    units: &[char; 5],
    zero: char,
    short_ten: bool,
) -> Option<String> {
    if !(0..1_0000_0000_0000).contains(&n) {
        return None;
    }
    if n == 0 {
        return Some(digits[0].to_string());
    }
    let section = |g: i64, out: &mut String| {
        let ds = [g / 1000, g / 100 % 10, g / 10 % 10, g % 10];
        let (mut started, mut gap) = (false, false);
        for (i, &d) in ds.iter().enumerate() {
            if d == 0 {
                gap |= started;
                continue;
            }
            if gap {
                out.push(zero);
                gap = false;
            }
            out.push(digits[d as usize]);
            if i < 3 {
                out.push(units[2 - i]);
            }
            started = true;
        }
    };
    let mut out = String::new();
    let mut gap = false;
    for (group, unit) in [
        (n / 1_0000_0000, Some(units[4])),
        (n / 1_0000 % 1_0000, Some(units[3])),
        (n % 1_0000, None),
    ] {
        if group == 0 {
            gap |= !out.is_empty();
            continue;
        }
        if !out.is_empty() && (gap || group < 1000) {
            out.push(zero);
        }
        gap = false;
        section(group, &mut out);
        out.extend(unit);
    }
    // 十一, 十二万 rather than 一十一, 一十二万.
    let leading = [n / 1_0000_0000, n / 1_0000 % 1_0000, n % 1_0000]
        .into_iter()
        .find(|&g| g > 0);
    if short_ten && leading.is_some_and(|g| (10..20).contains(&g)) {
        out.remove(0);
    }
    Some(out)
}

fn roman(mut n: i64) -> String {
    const TABLE: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, s) in TABLE {
        while n >= value {
            out.push_str(s);
            n -= value;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The main document

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    P,
    PPr,
    NumPr,
    /// `w:pPr/w:rPr`: the paragraph mark's properties.
    MarkRPr,
    R,
    RunRPr,
    T,
    Tbl,
    Tr,
    TrPr,
    Tc,
    Other,
}

#[derive(Debug, Default)]
struct Para {
    text: String,
    style: Option<String>,
    /// `w:outlineLvl` set on the paragraph itself.
    outline: Option<u8>,
    num_id: Option<u32>,
    ilvl: Option<u8>,
    /// The paragraph mark is a tracked deletion: the text joins the next paragraph.
    mark_deleted: bool,
    /// A page or column break was seen after some text; it becomes `\n` if more text follows.
    pending_break: bool,
}

enum Frame {
    Table { rows: Vec<String>, nested: bool },
    Row { cells: Vec<String>, deleted: bool },
    Cell { paras: Vec<String>, carry: String },
}

struct DocReader<'a> {
    part: &'a str,
    lists: Lists<'a>,
    max_paragraphs: usize,
    paragraphs_seen: usize,
    out: Vec<String>,
    /// Text of paragraphs whose mark was deleted, waiting for the next body paragraph.
    carry: String,
    frames: Vec<Frame>,
    /// Open paragraphs: more than one inside text boxes.
    paras: Vec<Para>,
    /// Open runs: whether each is hidden (`w:vanish`).
    runs: Vec<bool>,
    tags: Vec<Tag>,
    /// Set while skipping a subtree (deleted text, instructions, fallbacks): the stack height
    /// of its root.
    skip_from: Option<usize>,
}

fn parse_document(
    xml: &str,
    part: &str,
    styles: &Styles,
    numbering: &Numbering,
    limits: Limits,
) -> Result<Vec<String>, String> {
    let mut doc = DocReader {
        part,
        lists: Lists {
            styles,
            numbering,
            counters: HashMap::new(),
        },
        max_paragraphs: limits.paragraphs,
        paragraphs_seen: 0,
        out: Vec::new(),
        carry: String::new(),
        frames: Vec::new(),
        paras: Vec::new(),
        runs: Vec::new(),
        tags: Vec::new(),
        skip_from: None,
    };
    walk(xml, part, limits.depth, |node| match node {
        Node::Start(ns, e) => doc.start(ns, e),
        Node::End => {
            doc.end();
            Ok(())
        }
        Node::Text(t) => {
            if doc.skip_from.is_none() && doc.tags.last() == Some(&Tag::T) {
                if t.contains(['\n', '\r']) {
                    doc.append(&t.replace(['\n', '\r'], " "));
                } else {
                    doc.append(t);
                }
            }
            Ok(())
        }
    })?;
    if !doc.carry.is_empty() {
        doc.out.push(std::mem::take(&mut doc.carry));
    }
    Ok(doc.out)
}

impl DocReader<'_> {
    fn start(&mut self, ns: Ns, e: &BytesStart<'_>) -> Result<(), String> {
        if self.skip_from.is_some() {
            self.tags.push(Tag::Other);
            return Ok(());
        }
        let parent = self.tags.last().copied();
        let local = e.local_name();
        let tag = match (ns, local.as_ref()) {
            (Ns::Mc, "Fallback") => self.skip(),
            (Ns::Math, "t") => Tag::T,
            (Ns::W, local) => match local {
                "p" => {
                    self.paragraphs_seen += 1;
                    if self.paragraphs_seen > self.max_paragraphs {
                        return Err(format!(
                            "DOCX part {} has more than {} paragraphs",
                            self.part, self.max_paragraphs
                        ));
                    }
                    self.paras.push(Para::default());
                    Tag::P
                }
                "pPr" if parent == Some(Tag::P) => Tag::PPr,
                "pStyle" if parent == Some(Tag::PPr) => {
                    if let Some(p) = self.paras.last_mut() {
                        p.style = attr(e, "val");
                    }
                    Tag::Other
                }
                "outlineLvl" if parent == Some(Tag::PPr) => {
                    if let Some(p) = self.paras.last_mut() {
                        p.outline = int_attr(e, "val");
                    }
                    Tag::Other
                }
                "numPr" if parent == Some(Tag::PPr) => Tag::NumPr,
                "ilvl" if parent == Some(Tag::NumPr) => {
                    if let Some(p) = self.paras.last_mut() {
                        p.ilvl = int_attr(e, "val");
                    }
                    Tag::Other
                }
                "numId" if parent == Some(Tag::NumPr) => {
                    if let Some(p) = self.paras.last_mut() {
                        p.num_id = int_attr(e, "val");
                    }
                    Tag::Other
                }
                "rPr" if parent == Some(Tag::PPr) => Tag::MarkRPr,
                "del" | "moveFrom" if parent == Some(Tag::MarkRPr) => {
                    if let Some(p) = self.paras.last_mut() {
                        p.mark_deleted = true;
                    }
                    Tag::Other
                }
                "trPr" if parent == Some(Tag::Tr) => Tag::TrPr,
                "del" if parent == Some(Tag::TrPr) => {
                    if let Some(Frame::Row { deleted, .. }) = self.frames.last_mut() {
                        *deleted = true;
                    }
                    Tag::Other
                }
                "del" | "moveFrom" | "delText" | "delInstrText" | "instrText" => self.skip(),
                l if l.ends_with("Change") => self.skip(),
                "r" => {
                    self.runs.push(false);
                    Tag::R
                }
                "rPr" if parent == Some(Tag::R) => Tag::RunRPr,
                "vanish" if parent == Some(Tag::RunRPr) => {
                    if let Some(hidden) = self.runs.last_mut() {
                        *hidden = on_off(e);
                    }
                    Tag::Other
                }
                "t" => Tag::T,
                "tab" | "ptab" if parent == Some(Tag::R) => {
                    self.append("\t");
                    Tag::Other
                }
                "br" if parent == Some(Tag::R) => {
                    match attr(e, "type").as_deref() {
                        Some("page" | "column") => self.soft_break(),
                        _ => self.append("\n"),
                    }
                    Tag::Other
                }
                "cr" if parent == Some(Tag::R) => {
                    self.append("\n");
                    Tag::Other
                }
                "noBreakHyphen" if parent == Some(Tag::R) => {
                    self.append("-");
                    Tag::Other
                }
                "tbl" => {
                    let nested = self.frames.iter().any(|f| matches!(f, Frame::Cell { .. }));
                    self.frames.push(Frame::Table {
                        rows: Vec::new(),
                        nested,
                    });
                    Tag::Tbl
                }
                "tr" => {
                    self.frames.push(Frame::Row {
                        cells: Vec::new(),
                        deleted: false,
                    });
                    Tag::Tr
                }
                "tc" => {
                    self.frames.push(Frame::Cell {
                        paras: Vec::new(),
                        carry: String::new(),
                    });
                    Tag::Tc
                }
                _ => Tag::Other,
            },
            _ => Tag::Other,
        };
        self.tags.push(tag);
        Ok(())
    }

    /// Starts skipping the element being opened and everything in it.
    fn skip(&mut self) -> Tag {
        self.skip_from = Some(self.tags.len());
        Tag::Other
    }

    fn end(&mut self) {
        let Some(tag) = self.tags.pop() else {
            return;
        };
        if let Some(from) = self.skip_from {
            if self.tags.len() == from {
                self.skip_from = None;
            }
            return;
        }
        match tag {
            Tag::P => self.finish_paragraph(),
            Tag::R => {
                self.runs.pop();
            }
            Tag::Tc => self.finish_cell(),
            Tag::Tr => self.finish_row(),
            Tag::Tbl => self.finish_table(),
            _ => {}
        }
    }

    fn hidden(&self) -> bool {
        self.runs.last() == Some(&true)
    }

    fn append(&mut self, s: &str) {
        if s.is_empty() || self.hidden() {
            return;
        }
        let Some(p) = self.paras.last_mut() else {
            return;
        };
        if p.pending_break {
            p.text.push('\n');
            p.pending_break = false;
        }
        p.text.push_str(s);
    }

    /// A page or column break: a line break between text, nothing at either end of a paragraph.
    fn soft_break(&mut self) {
        if self.hidden() {
            return;
        }
        if let Some(p) = self.paras.last_mut() {
            p.pending_break |= !p.text.is_empty();
        }
    }

    /// The carry-over text of the innermost cell, or of the body.
    fn carry_mut(&mut self) -> &mut String {
        for frame in self.frames.iter_mut().rev() {
            if let Frame::Cell { carry, .. } = frame {
                return carry;
            }
        }
        &mut self.carry
    }

    /// A finished paragraph (or table row) goes to the innermost cell, or to the output.
    fn emit(&mut self, text: String) {
        for frame in self.frames.iter_mut().rev() {
            if let Frame::Cell { paras, .. } = frame {
                paras.push(text.replace(['\t', '\n'], " "));
                return;
            }
        }
        self.out.push(text);
    }

    fn finish_paragraph(&mut self) {
        let Some(p) = self.paras.pop() else {
            return;
        };
        if p.mark_deleted {
            self.carry_mut().push_str(&p.text);
            return;
        }
        let carry = std::mem::take(self.carry_mut());
        let marker = self.lists.marker(p.style.as_deref(), p.num_id, p.ilvl);
        // A heading by its style, with no number Word shows: written as a Markdown heading of
        // its level, as the report parser reads one (`## 存在的问题和原因`). Not in a table.
        let outline = p
            .outline
            .or_else(|| self.lists.styles.outline(p.style.as_deref()))
            .filter(|&l| l < 6);
        let in_cell = matches!(self.frames.last(), Some(Frame::Cell { .. }));
        let empty = carry.trim().is_empty() && p.text.trim().is_empty();
        let mut text = match (marker, outline) {
            (Some(marker), _) => marker,
            (None, Some(level)) if !in_cell && !empty => {
                format!("{} ", "#".repeat(level as usize + 1))
            }
            _ => String::new(),
        };
        text.push_str(&carry);
        text.push_str(&p.text);
        self.emit(text);
    }

    fn finish_cell(&mut self) {
        let Some(Frame::Cell { paras, carry }) = self.frames.pop() else {
            return;
        };
        let text = paras
            .iter()
            .map(String::as_str)
            .chain([carry.as_str()])
            .filter(|p| !p.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        match self.frames.last_mut() {
            Some(Frame::Row { cells, .. }) => cells.push(text),
            _ => self.emit(text),
        }
    }

    fn finish_row(&mut self) {
        let Some(Frame::Row { cells, deleted }) = self.frames.pop() else {
            return;
        };
        if deleted {
            return;
        }
        let nested = matches!(self.frames.last(), Some(Frame::Table { nested: true, .. }));
        let text = if cells.iter().all(|c| c.trim().is_empty()) {
            String::new()
        } else {
            cells.join(if nested { " " } else { "\t" })
        };
        match self.frames.last_mut() {
            Some(Frame::Table { rows, .. }) => rows.push(text),
            _ => self.emit(text),
        }
    }

    fn finish_table(&mut self) {
        let Some(Frame::Table { rows, .. }) = self.frames.pop() else {
            return;
        };
        for row in rows {
            self.emit(row);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Core properties

/// `dcterms:created` and `dcterms:modified`, trimmed, as written.
fn parse_core(
    xml: &str,
    part: &str,
    limits: Limits,
) -> Result<(Option<String>, Option<String>), String> {
    let mut depth = 0usize;
    let mut field: Option<usize> = None;
    let mut values: [Option<String>; 2] = [None, None];
    walk(xml, part, limits.depth, |node| {
        match node {
            Node::Start(_, e) => {
                depth += 1;
                if depth == 2 {
                    field = match e.local_name().as_ref() {
                        "created" => Some(0),
                        "modified" => Some(1),
                        _ => None,
                    };
                }
            }
            Node::End => {
                if depth == 2 {
                    field = None;
                }
                depth = depth.saturating_sub(1);
            }
            Node::Text(t) => {
                if let (Some(i), 2) = (field, depth) {
                    values[i].get_or_insert_with(String::new).push_str(t);
                }
            }
        }
        Ok(())
    })?;
    let [created, modified] =
        values.map(|v| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()));
    Ok((created, modified))
}

/// The integration tests' DOCX generator, used here for round-trip tests.
#[cfg(test)]
#[path = "../../tests/support/docx_gen.rs"]
mod docx_gen;

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

    fn zip_with(parts: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(method);
        for (name, content) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
        let parts: Vec<(&str, &[u8])> = parts.iter().map(|(n, c)| (*n, c.as_bytes())).collect();
        zip_with(&parts, zip::CompressionMethod::Deflated)
    }

    fn document(body: &str) -> String {
        format!(
            concat!(
                "{}<w:document xmlns:w=\"{}\" ",
                r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
                r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" "#,
                r#"xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" "#,
                r#"xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps">"#,
                "<w:body>{}</w:body></w:document>"
            ),
            DECL, W, body
        )
    }

    /// A plain paragraph.
    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    /// A paragraph in list `num` at level `ilvl`.
    fn np(num: u32, ilvl: u8, text: &str) -> String {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    }

    /// A paragraph in a style.
    fn sp(style: &str, text: &str) -> String {
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    }

    fn lvl(ilvl: u8, fmt: &str, text: &str) -> String {
        format!(
            r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>"#
        )
    }

    fn abstract_num(id: u32, levels: &[String]) -> String {
        format!(
            r#"<w:abstractNum w:abstractNumId="{id}"><w:multiLevelType w:val="multilevel"/>{}</w:abstractNum>"#,
            levels.concat()
        )
    }

    fn num(id: u32, abstract_id: u32, overrides: &str) -> String {
        format!(
            r#"<w:num w:numId="{id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>"#
        )
    }

    fn numbering(inner: &[String]) -> String {
        format!(
            "{DECL}<w:numbering xmlns:w=\"{W}\">{}</w:numbering>",
            inner.concat()
        )
    }

    /// The report-style list: `一、`, `（一）`, `1.`.
    fn report_list() -> String {
        numbering(&[
            abstract_num(
                0,
                &[
                    lvl(0, "chineseCounting", "%1、"),
                    lvl(1, "chineseCounting", "（%2）"),
                    lvl(2, "decimal", "%3."),
                ],
            ),
            num(1, 0, ""),
        ])
    }

    fn read(body: &str, extra: &[(&str, &str)]) -> Vec<String> {
        let doc = document(body);
        let mut parts = vec![("word/document.xml", doc.as_str())];
        parts.extend_from_slice(extra);
        extract(&zip_of(&parts)).unwrap().paragraphs
    }

    fn small_limits() -> Limits {
        Limits {
            document: 4 * KIB,
            other: 2 * KIB,
            paragraphs: 50,
            depth: 32,
        }
    }

    #[test]
    fn plain_paragraphs_and_split_runs() {
        let body = concat!(
            "<w:p><w:r><w:t>青岚县</w:t></w:r><w:proofErr w:type=\"spellStart\"/>",
            "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">人民政府 </w:t></w:r><w:bookmarkStart w:id=\"0\" w:name=\"a\"/>",
            "<w:r><w:t>报告</w:t></w:r><w:bookmarkEnd w:id=\"0\"/></w:p>",
            "<w:p/>",
            "<w:p><w:r><w:t>A &amp; B &lt;C&gt; &#x4E00;&#20108;&quot;</w:t></w:r></w:p>",
            "<w:p><w:hyperlink r:id=\"rId9\"><w:r><w:t>链接</w:t></w:r></w:hyperlink><w:ins w:id=\"1\"><w:r><w:t>插入</w:t></w:r></w:ins>",
            "<w:sdt><w:sdtContent><w:r><w:t>控件</w:t></w:r></w:sdtContent></w:sdt><w:fldSimple w:instr=\" PAGE \"><w:r><w:t>7</w:t></w:r></w:fldSimple></w:p>",
            "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr>",
        );
        assert_eq!(
            read(body, &[]),
            [
                "青岚县人民政府 报告",
                "",
                "A & B <C> 一二\"",
                "链接插入控件7"
            ]
        );
    }

    #[test]
    fn breaks_and_tabs() {
        let body = concat!(
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr>",
            "<w:r><w:t>一是</w:t><w:tab/><w:t>二是</w:t><w:br/><w:t>三是</w:t><w:cr/><w:t>四是</w:t></w:r></w:p>",
            "<w:p><w:r><w:br w:type=\"page\"/></w:r><w:r><w:lastRenderedPageBreak/><w:t>二、标题</w:t></w:r></w:p>",
            "<w:p><w:r><w:t>前</w:t></w:r><w:r><w:br w:type=\"page\"/></w:r><w:r><w:t>后</w:t><w:br w:type=\"page\"/></w:r></w:p>",
        );
        assert_eq!(
            read(body, &[]),
            ["一是\t二是\n三是\n四是", "二、标题", "前\n后"]
        );
    }

    #[test]
    fn a_table_stays_in_order_one_row_per_paragraph() {
        let cell = |inner: &str| {
            format!("<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr>{inner}</w:tc>")
        };
        let row = |cells: &[String]| format!("<w:tr>{}</w:tr>", cells.concat());
        let nested = format!(
            "<w:tbl>{}</w:tbl>",
            row(&[cell(&p("内1")), cell(&p("内2"))])
        );
        let body = [
            p("前文"),
            "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"2000\"/></w:tblGrid>".into(),
            row(&[cell(&p("指标")), cell(&p("数量"))]),
            row(&[cell(&(p("行政复议") + &p("") + &p("案件"))), cell(&p("58"))]),
            row(&[cell(&p("")), cell(&p(""))]),
            row(&[cell(&(p("外") + &nested)), cell(&p("一\t行"))]),
            "<w:tr><w:trPr><w:del w:id=\"5\" w:author=\"a\"/></w:trPr><w:tc><w:p><w:r><w:t>删掉的行</w:t></w:r></w:p></w:tc></w:tr>".into(),
            "</w:tbl>".into(),
            p("后文"),
        ]
        .concat();
        assert_eq!(
            read(&body, &[]),
            [
                "前文",
                "指标\t数量",
                "行政复议 案件\t58",
                "",
                "外 内1 内2\t一 行",
                "后文"
            ]
        );
    }

    #[test]
    fn headers_footers_notes_and_comments_are_not_read() {
        let keywords = "第一责任人 存在的问题 2019年工作安排";
        let hdr = format!("{DECL}<w:hdr xmlns:w=\"{W}\">{}</w:hdr>", p(keywords));
        let ftr = format!("{DECL}<w:ftr xmlns:w=\"{W}\">{}</w:ftr>", p(keywords));
        let comments = format!(
            "{DECL}<w:comments xmlns:w=\"{W}\"><w:comment w:id=\"0\">{}</w:comment></w:comments>",
            p(keywords)
        );
        let notes = format!(
            "{DECL}<w:footnotes xmlns:w=\"{W}\"><w:footnote w:id=\"1\">{}</w:footnote></w:footnotes>",
            p(keywords)
        );
        let body = concat!(
            "<w:p><w:commentRangeStart w:id=\"0\"/><w:r><w:t>正文</w:t></w:r><w:commentRangeEnd w:id=\"0\"/>",
            "<w:r><w:commentReference w:id=\"0\"/></w:r><w:r><w:footnoteReference w:id=\"1\"/></w:r></w:p>",
            "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId1\"/><w:footerReference w:type=\"default\" r:id=\"rId2\"/></w:sectPr>",
        );
        let got = read(
            body,
            &[
                ("word/header1.xml", &hdr),
                ("word/footer1.xml", &ftr),
                ("word/comments.xml", &comments),
                ("word/footnotes.xml", &notes),
                ("word/endnotes.xml", &notes),
            ],
        );
        assert_eq!(got, ["正文"]);
    }

    #[test]
    fn deleted_hidden_instruction_and_fallback_text_is_skipped() {
        let body = [
            "<w:p><w:r><w:t>保留</w:t></w:r><w:del w:id=\"1\" w:author=\"a\"><w:r><w:delText>删除</w:delText></w:r></w:del>",
            "<w:moveFrom w:id=\"2\"><w:r><w:t>移走</w:t></w:r></w:moveFrom><w:moveTo w:id=\"3\"><w:r><w:t>移入</w:t></w:r></w:moveTo></w:p>",
            "<w:p><w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>",
            "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t>页</w:t></w:r></w:p>",
            "<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t>可见</w:t></w:r></w:p>",
            "<w:p><w:r><w:t>锚</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>",
            "<w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>",
            "<w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
            "<w:p><w:pPr><w:rPr><w:del w:id=\"4\" w:author=\"a\"/></w:rPr></w:pPr><w:r><w:t>前半</w:t></w:r></w:p><w:p><w:r><w:t>后半</w:t></w:r></w:p>",
            "<w:p><w:pPr><w:rPr><w:del w:id=\"6\" w:author=\"a\"/></w:rPr></w:pPr><w:del w:id=\"7\" w:author=\"a\"><w:r><w:delText>整段删除</w:delText></w:r></w:del></w:p>",
            "<w:p><w:pPr><w:pPrChange w:id=\"8\" w:author=\"a\"><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr></w:pPrChange></w:pPr><w:r><w:t>无编号</w:t></w:r></w:p>",
        ]
        .concat();
        let got = read(&body, &[("word/numbering.xml", &report_list())]);
        assert_eq!(
            got,
            [
                "保留移入",
                "第3页",
                "可见",
                "文本框",
                "锚",
                "前半后半",
                "无编号"
            ]
        );
    }

    #[test]
    fn chinese_multilevel_numbering_restarts_deeper_levels() {
        let body = [
            np(1, 0, "主要举措"),
            np(1, 1, "健全机制"),
            np(1, 1, "深化改革"),
            np(1, 2, "精简审批"),
            np(1, 2, "提升效能"),
            np(1, 0, "存在的问题"),
            np(1, 1, "问题一"),
            np(1, 2, "细项"),
            np(1, 1, "问题二"),
            np(1, 2, "细项"),
            p("正文不编号"),
            np(1, 0, "工作安排"),
        ]
        .concat();
        assert_eq!(
            read(&body, &[("word/numbering.xml", &report_list())]),
            [
                "一、主要举措",
                "（一）健全机制",
                "（二）深化改革",
                "1.精简审批",
                "2.提升效能",
                "二、存在的问题",
                "（一）问题一",
                "1.细项",
                "（二）问题二",
                "1.细项",
                "正文不编号",
                "三、工作安排",
            ]
        );
    }

    #[test]
    fn separate_lists_restart_by_start_override_and_share_counters_otherwise() {
        // `一、` and `（一）` as two single-level lists, as many real reports have them: every
        // new （一） run is a new w:num restarting the second list.
        let restart = r#"<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>"#;
        let xml = numbering(&[
            abstract_num(0, &[lvl(0, "chineseCounting", "%1、")]),
            abstract_num(1, &[lvl(0, "chineseCounting", "（%1）")]),
            num(1, 0, ""),
            num(2, 1, ""),
            num(3, 1, restart),
            num(4, 1, ""),
        ]);
        let body = [
            np(1, 0, "甲"),
            np(2, 0, "a"),
            np(2, 0, "b"),
            np(1, 0, "乙"),
            np(3, 0, "c"),
            np(3, 0, "d"),
            np(4, 0, "e"),
            np(1, 0, "丙"),
        ]
        .concat();
        assert_eq!(
            read(&body, &[("word/numbering.xml", &xml)]),
            [
                "一、甲",
                "（一）a",
                "（二）b",
                "二、乙",
                "（一）c",
                "（二）d",
                // num 4 shares abstract 1 with num 2 and has no override: it continues num 2's list.
                "（三）e",
                "三、丙",
            ]
        );
    }

    #[test]
    fn a_heading_style_without_a_number_is_a_markdown_heading() {
        let styles = format!(
            concat!(
                "{}<w:styles xmlns:w=\"{}\">",
                r#"<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>"#,
                r#"<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/></w:style>"#,
                r#"<w:style w:type="paragraph" w:styleId="Mine"><w:basedOn w:val="2"/></w:style>"#,
                r#"<w:style w:type="paragraph" w:styleId="Lvl"><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>"#,
                "</w:styles>"
            ),
            DECL, W
        );
        let body = [
            sp("Lvl", "存在的问题和原因"),
            sp("2", "原因分析"),
            sp("Mine", "继承"),
            sp("Heading3", "未定义的样式"),
            r#"<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>段落级别</w:t></w:r></w:p>"#
                .into(),
            sp("a", "正文"),
            sp("Title", "标题"),
        ]
        .concat();
        assert_eq!(
            read(&body, &[("word/styles.xml", &styles)]),
            [
                "# 存在的问题和原因",
                "## 原因分析",
                "## 继承",
                "### 未定义的样式",
                "## 段落级别",
                "正文",
                "标题"
            ]
        );
    }

    #[test]
    fn style_based_numbering_inherits_and_num_id_zero_switches_it_off() {
        let styles = format!(
            concat!(
                "{}<w:styles xmlns:w=\"{}\">",
                r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>"#,
                r#"<w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>"#,
                r#"<w:style w:type="paragraph" w:styleId="Heading2"><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>"#,
                r#"<w:style w:type="paragraph" w:styleId="MyHeading"><w:basedOn w:val="Heading1"/><w:pPr><w:pPrChange w:id="1"><w:pPr><w:numPr><w:numId w:val="9"/></w:numPr></w:pPr></w:pPrChange></w:pPr></w:style>"#,
                r#"<w:style w:type="paragraph" w:styleId="Loop1"><w:basedOn w:val="Loop2"/></w:style>"#,
                r#"<w:style w:type="paragraph" w:styleId="Loop2"><w:basedOn w:val="Loop1"/></w:style>"#,
                "</w:styles>"
            ),
            DECL, W
        );
        let xml = numbering(&[
            abstract_num(0, &[
                r#"<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="Heading1"/><w:lvlText w:val="%1、"/></w:lvl>"#.into(),
                lvl(1, "chineseCounting", "（%2）"),
            ]),
            num(1, 0, ""),
        ]);
        let body = [
            sp("Heading1", "总体情况"),
            sp("Heading2", "小节"),
            sp("MyHeading", "继承"),
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>不编号</w:t></w:r></w:p>"#.into(),
            sp("Heading2", "小节二"),
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr><w:r><w:t>降级</w:t></w:r></w:p>"#.into(),
            sp("Loop1", "循环继承"),
            sp("Normal", "正文"),
        ]
        .concat();
        let got = read(
            &body,
            &[("word/numbering.xml", &xml), ("word/styles.xml", &styles)],
        );
        assert_eq!(
            got,
            [
                "一、总体情况",
                "（一）小节",
                "二、继承",
                "不编号",
                "（一）小节二",
                "（二）降级",
                "循环继承",
                "正文"
            ]
        );
    }

    #[test]
    fn decimal_multilevel_and_num_id_zero() {
        let xml = numbering(&[
            abstract_num(
                0,
                &[
                    lvl(0, "decimal", "%1."),
                    lvl(1, "decimal", "%1.%2"),
                    lvl(2, "decimal", "%1.%2.%3"),
                ],
            ),
            num(1, 0, ""),
        ]);
        let body = [
            np(1, 0, "总体"),
            np(1, 1, "分项"),
            np(1, 1, "分项"),
            np(1, 2, "细目"),
            np(0, 0, "不编号"),
            np(1, 0, "其次"),
            np(1, 2, "跳级"),
            np(7, 0, "未定义的列表"),
        ]
        .concat();
        assert_eq!(
            read(&body, &[("word/numbering.xml", &xml)]),
            [
                "1.总体",
                "1.1分项",
                "1.2分项",
                "1.2.1细目",
                "不编号",
                "2.其次",
                "2.1.1跳级",
                "未定义的列表",
            ]
        );
    }

    #[test]
    fn other_formats_restart_rules_and_legal_numbering() {
        let xml = numbering(&[
            abstract_num(0, &[lvl(0, "ideographTraditional", "%1.")]),
            abstract_num(1, &[lvl(0, "decimalEnclosedCircleChinese", "%1")]),
            abstract_num(2, &[lvl(0, "upperLetter", "%1)")]),
            abstract_num(3, &[lvl(0, "lowerRoman", "(%1)")]),
            abstract_num(4, &[lvl(0, "decimalFullWidth", "%1．")]),
            abstract_num(5, &[lvl(0, "bullet", "\u{F06C}")]),
            abstract_num(6, &[lvl(0, "none", "")]),
            abstract_num(7, &[
                lvl(0, "chineseCounting", "第%1章"),
                r#"<w:lvl w:ilvl="1"><w:start w:val="5"/><w:numFmt w:val="decimal"/><w:lvlRestart w:val="0"/><w:isLgl/><w:lvlText w:val="%1.%2"/></w:lvl>"#.into(),
            ]),
            abstract_num(8, &[
                r#"<w:lvl w:ilvl="0"><w:start w:val="1"/><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="001, 002, 003, ..."/></mc:Choice><mc:Fallback><w:numFmt w:val="decimalZero"/></mc:Fallback></mc:AlternateContent><w:lvlText w:val="%1"/></w:lvl>"#.into(),
            ]),
            num(1, 0, ""),
            num(2, 1, ""),
            num(3, 2, ""),
            num(4, 3, ""),
            num(5, 4, ""),
            num(6, 5, ""),
            num(7, 6, ""),
            num(8, 7, ""),
            num(9, 8, ""),
            num(10, 0, r#"<w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="[%1]"/></w:lvl></w:lvlOverride>"#),
        ]);
        let body = [
            np(1, 0, "甲项"),
            np(1, 0, "乙项"),
            np(2, 0, "圈"),
            np(2, 0, "圈"),
            np(3, 0, "字母"),
            np(4, 0, "罗马"),
            np(4, 0, "罗马"),
            np(5, 0, "全角"),
            np(6, 0, "项目符号"),
            np(7, 0, "无"),
            np(8, 1, "五"),
            np(8, 0, "章"),
            np(8, 1, "不重新开始"),
            np(9, 0, "补零"),
            np(10, 0, "覆盖"),
        ]
        .concat();
        assert_eq!(
            read(&body, &[("word/numbering.xml", &xml)]),
            [
                "甲.甲项",
                "乙.乙项",
                "①圈",
                "②圈",
                "A)字母",
                "(i)罗马",
                "(ii)罗马",
                "１．全角",
                "项目符号",
                "无",
                "1.5五",
                "第一章章",
                "1.6不重新开始",
                "01补零",
                "[3]覆盖",
            ]
        );
    }

    #[test]
    fn number_formats() {
        let cn: Vec<String> = (1..=21)
            .map(|n| format_number(n, NumFmt::ChineseCounting))
            .collect();
        assert_eq!(
            cn,
            [
                "一",
                "二",
                "三",
                "四",
                "五",
                "六",
                "七",
                "八",
                "九",
                "十",
                "十一",
                "十二",
                "十三",
                "十四",
                "十五",
                "十六",
                "十七",
                "十八",
                "十九",
                "二十",
                "二十一",
            ]
        );
        let cases = [
            (0, NumFmt::ChineseCounting, "〇"),
            (99, NumFmt::ChineseCounting, "九十九"),
            (100, NumFmt::ChineseCounting, "一百"),
            (101, NumFmt::ChineseCounting, "一百零一"),
            (110, NumFmt::ChineseCounting, "一百一十"),
            (1010, NumFmt::ChineseCounting, "一千零一十"),
            (10001, NumFmt::ChineseCounting, "一万零一"),
            (120_000, NumFmt::ChineseCounting, "十二万"),
            (1_0000_0001, NumFmt::ChineseCounting, "一亿零一"),
            (10, NumFmt::ChineseLegalSimplified, "壹拾"),
            (23, NumFmt::ChineseLegalSimplified, "贰拾叁"),
            (10, NumFmt::IdeographDigital, "一〇"),
            (11, NumFmt::IdeographTraditional, "甲"),
            (13, NumFmt::IdeographZodiac, "子"),
            (20, NumFmt::DecimalEnclosedCircle, "⑳"),
            (21, NumFmt::DecimalEnclosedCircle, "㉑"),
            (50, NumFmt::DecimalEnclosedCircle, "㊿"),
            (51, NumFmt::DecimalEnclosedCircle, "51"),
            (3, NumFmt::DecimalEnclosedParen, "⑶"),
            (3, NumFmt::DecimalEnclosedFullstop, "⒊"),
            (27, NumFmt::LowerLetter, "aa"),
            (1994, NumFmt::UpperRoman, "MCMXCIV"),
            (4000, NumFmt::UpperRoman, "4000"),
            (12, NumFmt::DecimalFullWidth, "１２"),
            (7, NumFmt::DecimalZero, "07"),
            (-2, NumFmt::ChineseCounting, "-2"),
        ];
        for (n, fmt, want) in cases {
            assert_eq!(format_number(n, fmt), want, "{n} as {fmt:?}");
        }
    }

    #[test]
    fn core_properties_as_written() {
        let core = format!(
            concat!(
                "{}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" ",
                "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" ",
                "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>标题</dc:title>",
                "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2023-03-01T08:00:00Z</dcterms:created>",
                "<dcterms:modified xsi:type=\"dcterms:W3CDTF\"> 2023-03-05T10:20:30Z </dcterms:modified></cp:coreProperties>"
            ),
            DECL
        );
        let doc = document(&p("正文"));
        let got = extract(&zip_of(&[
            ("word/document.xml", &doc),
            ("docProps/core.xml", &core),
        ]))
        .unwrap();
        assert_eq!(got.created.as_deref(), Some("2023-03-01T08:00:00Z"));
        assert_eq!(got.modified.as_deref(), Some("2023-03-05T10:20:30Z"));
        let none = extract(&zip_of(&[("word/document.xml", &doc)])).unwrap();
        assert_eq!((none.created, none.modified), (None, None));
    }

    #[test]
    fn parts_are_found_through_relationships_and_may_be_utf16() {
        let rels = concat!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/main/doc.xml"/>"#,
            "</Relationships>"
        );
        let doc_rels = concat!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="../lists/n.xml"/>"#,
            "</Relationships>"
        );
        let mut utf16 = vec![0xFF, 0xFE];
        for u in document(&np(1, 0, "标题"))
            .replacen("UTF-8", "UTF-16", 1)
            .encode_utf16()
        {
            utf16.extend(u.to_le_bytes());
        }
        let list = report_list();
        let bytes = zip_with(
            &[
                ("_rels/.rels", rels.as_bytes()),
                ("main/doc.xml", &utf16),
                ("main/_rels/doc.xml.rels", doc_rels.as_bytes()),
                ("lists/n.xml", list.as_bytes()),
            ],
            zip::CompressionMethod::Stored,
        );
        assert_eq!(extract(&bytes).unwrap().paragraphs, ["一、标题"]);
    }

    #[test]
    fn not_a_zip() {
        let err = extract(b"just some text, not a Word file").unwrap_err();
        assert!(err.starts_with("not a DOCX file: "), "{err}");
        let err = extract(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0]).unwrap_err();
        assert!(
            err.starts_with("not a DOCX file: ") && err.contains("password"),
            "{err}"
        );
        assert!(extract(&[]).unwrap_err().starts_with("not a DOCX file: "));
    }

    #[test]
    fn a_zip_without_a_word_document() {
        assert_eq!(
            extract(&zip_of(&[("readme.txt", "hello")])).unwrap_err(),
            NOT_WORD
        );
        // An .xlsx is a ZIP whose main part is a workbook.
        let rels = concat!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
            "</Relationships>"
        );
        let workbook = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>"#;
        let err = extract(&zip_of(&[
            ("_rels/.rels", rels),
            ("xl/workbook.xml", workbook),
        ]))
        .unwrap_err();
        assert!(
            err.starts_with("a ZIP archive but not a Word document"),
            "{err}"
        );
    }

    #[test]
    fn a_truncated_file() {
        let bytes = docx_gen::docx_from_text("一、标题\n正文", true);
        for cut in [bytes.len() / 2, bytes.len() - 10, 30] {
            let err = extract(&bytes[..cut]).unwrap_err();
            assert!(
                err.starts_with("not a DOCX file: the ZIP archive is damaged or truncated"),
                "{err}"
            );
        }
    }

    #[test]
    fn part_size_limits_stop_zip_bombs() {
        assert_eq!(
            too_large("word/document.xml", DOCUMENT_PART_LIMIT),
            "DOCX part word/document.xml is larger than the 64 MiB limit"
        );
        assert_eq!(
            too_large("word/styles.xml", OTHER_PART_LIMIT),
            "DOCX part word/styles.xml is larger than the 16 MiB limit"
        );
        // Highly compressible parts just over the (small, for the test) limits.
        let big = document(&p(&" ".repeat(8 * KIB as usize)));
        let bytes = zip_of(&[("word/document.xml", &big)]);
        assert!(bytes.len() < 1024);
        assert_eq!(
            extract_with(&bytes, small_limits()).unwrap_err(),
            "DOCX part word/document.xml is larger than the 4 KiB limit"
        );
        assert_eq!(extract(&bytes).unwrap().paragraphs.len(), 1);
        let styles = format!(
            "{DECL}<w:styles xmlns:w=\"{W}\">{}</w:styles>",
            " ".repeat(3 * KIB as usize)
        );
        let bytes = zip_of(&[
            ("word/document.xml", &document(&p("正文"))),
            ("word/styles.xml", &styles),
        ]);
        assert_eq!(
            extract_with(&bytes, small_limits()).unwrap_err(),
            "DOCX part word/styles.xml is larger than the 2 KiB limit"
        );
    }

    /// Sets a field of every local and central header of a stored ZIP.
    fn patch_headers(bytes: &mut [u8], local_offset: usize, central_offset: usize, value: &[u8]) {
        let mut i = 0;
        while i + 4 <= bytes.len() {
            let at = match &bytes[i..i + 4] {
                b"PK\x03\x04" => Some(i + local_offset),
                b"PK\x01\x02" => Some(i + central_offset),
                _ => None,
            };
            if let Some(at) = at {
                bytes[at..at + value.len()].copy_from_slice(value);
            }
            i += 1;
        }
    }

    #[test]
    fn a_part_larger_than_its_header_says_is_still_stopped() {
        let big = document(&p(&"法治".repeat(4 * KIB as usize)));
        let mut bytes = zip_with(
            &[("word/document.xml", big.as_bytes())],
            zip::CompressionMethod::Stored,
        );
        // Declared uncompressed size: 100 bytes.
        patch_headers(&mut bytes, 22, 24, &100u32.to_le_bytes());
        for result in [extract_with(&bytes, small_limits()), extract(&bytes)] {
            let err = result.unwrap_err();
            assert!(err.starts_with("DOCX part word/document.xml is "), "{err}");
        }
    }

    #[test]
    fn an_encrypted_entry() {
        let doc = document(&p("机密"));
        let mut bytes = zip_with(
            &[("word/document.xml", doc.as_bytes())],
            zip::CompressionMethod::Stored,
        );
        // General purpose flag bit 0: encrypted.
        patch_headers(&mut bytes, 6, 8, &[1]);
        assert_eq!(extract(&bytes).unwrap_err(), ENCRYPTED);
    }

    #[test]
    fn malformed_xml_names_the_part() {
        let cases = [
            (
                "word/document.xml",
                document("<w:p><w:r><w:t>x</w:t></w:p>"),
                "not well-formed XML",
            ),
            (
                "word/document.xml",
                document("<w:p><w:r><w:t>x</w:t></w:r></w:p>")
                    .replace("</w:body></w:document>", ""),
                "truncated",
            ),
            (
                "word/document.xml",
                document("<w:p><w:r><w:t>&nbsp;</w:t></w:r></w:p>"),
                "unknown entity",
            ),
            ("word/document.xml", String::new(), "is empty"),
            (
                "word/numbering.xml",
                numbering(&["<w:num w:numId=\"1\">".into()]),
                "word/numbering.xml",
            ),
            (
                "word/styles.xml",
                "<w:styles xmlns:w=\"x\"><w:style></w:styles>".into(),
                "word/styles.xml",
            ),
            (
                "docProps/core.xml",
                "<cp:coreProperties>".into(),
                "docProps/core.xml",
            ),
        ];
        for (part, xml, want) in cases {
            let doc = document(&p("正文"));
            let mut parts = vec![(part, xml.as_str())];
            if part != "word/document.xml" {
                parts.push(("word/document.xml", &doc));
            }
            let err = extract(&zip_of(&parts)).unwrap_err();
            assert!(
                err.starts_with(&format!("DOCX part {part} ")) && err.contains(want),
                "{part}: {err}"
            );
        }
        let bytes = zip_with(
            &[("word/document.xml", b"<w:document>\xFF\xFE\xFD")],
            zip::CompressionMethod::Deflated,
        );
        assert_eq!(
            extract(&bytes).unwrap_err(),
            "DOCX part word/document.xml is not valid UTF-8 XML"
        );
    }

    #[test]
    fn paragraph_count_and_nesting_are_limited() {
        let many = document(&p("段").repeat(51));
        let err =
            extract_with(&zip_of(&[("word/document.xml", &many)]), small_limits()).unwrap_err();
        assert_eq!(
            err,
            "DOCX part word/document.xml has more than 50 paragraphs"
        );
        let deep = document(&format!(
            "<w:p>{}{}</w:p>",
            "<w:ins>".repeat(40),
            "</w:ins>".repeat(40)
        ));
        let err =
            extract_with(&zip_of(&[("word/document.xml", &deep)]), small_limits()).unwrap_err();
        assert_eq!(
            err,
            "DOCX part word/document.xml is nested more than 32 elements deep"
        );
        let deep = document(&format!("<w:p>{}</w:p>", "<w:ins>".repeat(100_000)));
        assert!(extract(&zip_of(&[("word/document.xml", &deep)])).is_err());
    }

    // -----------------------------------------------------------------------------------------
    // Round trips through the integration tests' generator

    /// A part the generator wrote.
    fn generated_part(bytes: &[u8], part: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name(part).unwrap().read_to_string(&mut xml).unwrap();
        xml
    }

    /// The document.xml the generator wrote.
    fn generated_document(bytes: &[u8]) -> String {
        generated_part(bytes, "word/document.xml")
    }

    fn round_trip(text: &str, auto_numbering: bool) -> DocxText {
        let got = extract(&docx_gen::docx_from_text(text, auto_numbering)).unwrap();
        assert_eq!(
            got.paragraphs.join("\n"),
            text,
            "auto_numbering: {auto_numbering}"
        );
        got
    }

    const REPORT: &str = "青岚县人民政府关于2022年度法治政府建设情况的报告\n\n2022年，我县……现将有关情况报告如下。\n\
        一、主要举措和成效\n（一）健全依法决策机制。一是规范程序。\n（二）深化改革\n1.精简审批事项\n2.提升服务效能\n\
        二、存在的不足和原因\n（一）主要问题\n1.执法不规范\n（二）原因\n1.认识不足\n2.力量不足\n\
        三、党政主要负责人履行推进法治建设第一责任人职责情况\n四、2023年工作安排\n\t表格式\t一行\n\n青岚县人民政府\n2023年2月21日\n";

    #[test]
    fn generated_docx_round_trips_with_and_without_numbering() {
        let plain = round_trip(REPORT, false);
        assert_eq!(plain.created.as_deref(), Some(docx_gen::DOCX_CREATED));
        assert_eq!(plain.modified.as_deref(), Some(docx_gen::DOCX_MODIFIED));
        round_trip(REPORT, true);
        // The markers really came from numbering, not typed text.
        let xml = generated_document(&docx_gen::docx_from_text(REPORT, true));
        for typed in ["一、", "（一）", "（二）", "1.", "2.", "四、"] {
            assert!(
                !xml.contains(&format!(">{typed}")),
                "{typed} is still typed"
            );
        }
        assert!(
            xml.contains("Heading1")
                && xml.contains("Heading2")
                && xml.contains("<w:numId w:val=\"1\"/>")
        );
        let xml = generated_document(&docx_gen::docx_from_text(REPORT, false));
        assert!(xml.contains(">一、主要") && !xml.contains("Heading1\""));
    }

    #[test]
    fn generated_docx_leaves_out_header_footer_and_comment() {
        let got = round_trip("一、标题\n正文", true);
        let all = got.paragraphs.concat();
        for text in [
            docx_gen::HEADER_TEXT,
            docx_gen::FOOTER_TEXT,
            docx_gen::COMMENT_TEXT,
        ] {
            assert!(!all.contains(text));
        }
        assert!(!all.contains("第一责任人") && !all.contains("2019"));
    }

    #[test]
    fn generated_docx_keeps_markers_numbering_cannot_render() {
        let text = "一、甲\n三、乙\n四、丙\n二、丁\n（一）a\n（三）b\n(二)c\n（二）d\n1.x\n1.y\n2、z\n3.w\n\
            五、 有空格\n五、\n二、戊\n1.5亿元\n十一、跳\n（四）e\n一二、非数\n（十）f\n0.g\n2023.h\n";
        round_trip(text, true);
        let xml = generated_document(&docx_gen::docx_from_text(text, true));
        let typed = [
            "三、乙",
            "四、丙",
            "（三）b",
            "(二)c",
            "1.y",
            "2、z",
            "3.w",
            "五、 有空格",
            "五、",
            "二、戊",
            "1.5亿元",
            "十一、跳",
            "（四）e",
            "一二、非数",
            "（十）f",
            "0.g",
            "2023.h",
        ];
        for t in typed {
            assert!(xml.contains(&format!(">{t}")), "{t} should stay typed");
        }
        for numbered in ["一、甲", "二、丁", "（一）a", "（二）d", "1.x"] {
            assert!(
                !xml.contains(&format!(">{numbered}")),
                "{numbered} should be numbered"
            );
        }
    }

    #[test]
    fn generated_docx_uses_the_most_common_spellings() {
        let text = "一、甲\n(一)a\n(二)b\n1、x\n2、y\n1．z\n（一）c\n二、乙\n(一)d\n1、u\n";
        round_trip(text, true);
        let bytes = docx_gen::docx_from_text(text, true);
        let xml = generated_document(&bytes);
        for numbered in [
            "一、甲",
            "(一)a",
            "(二)b",
            "1、x",
            "2、y",
            "二、乙",
            "(一)d",
            "1、u",
        ] {
            assert!(
                !xml.contains(&format!(">{numbered}")),
                "{numbered} should be numbered"
            );
        }
        assert!(xml.contains(">（一）c") && xml.contains(">1．z"));
        let lists = generated_part(&bytes, "word/numbering.xml");
        assert!(lists.contains("\"(%2)\"") && lists.contains("\"%3、\""));
    }

    #[test]
    fn every_sample_round_trips() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "txt") {
                let text = std::fs::read_to_string(&path).unwrap();
                round_trip(&text, false);
                round_trip(&text, true);
                seen += 1;
            }
        }
        assert!(seen > 0);
    }
}
