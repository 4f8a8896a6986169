//! Loading: which inputs to audit (files, directories walked recursively, `-` for stdin) and
//! their bytes turned into text, whatever the format: plain text in any common encoding,
//! Markdown, HTML pages, DOCX, PDF and legacy .doc. Every input yields either a document or an
//! error of its own, so one unreadable report never stops a batch.

pub mod decode;
pub mod docx;
pub mod html;
pub mod pdf;
pub mod select;

pub use select::{Selection, collect};

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest report read, in bytes; real reports are well under 1 MB.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;
/// File types audited when a directory is walked. Named files are read whatever their type.
pub const REPORT_EXTENSIONS: &[&str] = &[
    "txt", "md", "markdown", "html", "htm", "shtml", "docx", "pdf", "doc",
];

/// One thing to audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
    /// A path that could not be listed, with why.
    Broken(PathBuf, String),
}

impl Input {
    /// How the input is named in output.
    pub fn label(&self) -> String {
        match self {
            Input::File(p) | Input::Broken(p, _) => p.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }
}

pub fn is_report_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| REPORT_EXTENSIONS.iter().any(|r| r.eq_ignore_ascii_case(e)))
}

/// The format of an input, decided by its content first and its extension second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    Text,
    Markdown,
    Html,
    Docx,
    Pdf,
    /// Legacy Word 97–2003.
    Doc,
}

/// Where a line of extracted text came from, for formats with pages or paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u32>,
}

/// An input read as text, with what is known about where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub text: String,
    pub format: SourceFormat,
    /// The character encoding, for text and HTML inputs.
    pub encoding: Option<&'static str>,
    /// Document properties (DOCX): when the file was created and last modified.
    pub created: Option<String>,
    pub modified: Option<String>,
    /// For PDF and DOCX, where each line of `text` came from (index = line - 1).
    pub locations: Vec<Location>,
    /// SHA-256 of the input's bytes, so an audit names exactly what it read.
    pub sha256: String,
}

impl Document {
    fn plain(text: String, format: SourceFormat, encoding: Option<&'static str>) -> Document {
        Document {
            text,
            format,
            encoding,
            created: None,
            modified: None,
            locations: Vec::new(),
            sha256: String::new(),
        }
    }
}

/// How inputs are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Read text and HTML in this encoding instead of detecting it.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// Read an input as a document. Errors say what is wrong and what to do.
pub fn read(input: &Input, options: &Options) -> Result<Document, String> {
    let (bytes, path) = match input {
        Input::Broken(_, why) => return Err(why.clone()),
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            (buf, None)
        }
        Input::File(path) => {
            let meta = fs::metadata(path).map_err(|e| format!("cannot read the file: {e}"))?;
            // A FIFO or a device would block or never end.
            if !meta.is_file() {
                return Err(
                    "not a regular file (a FIFO, socket or device): nothing to audit".into(),
                );
            }
            if meta.len() > MAX_INPUT_BYTES {
                return Err(too_large(meta.len()));
            }
            // Read through the limit too: the size the file system reports may be wrong. Sized
            // from it, the buffer is read into at once instead of grown a doubling at a time
            // (`Take` hides the file's size from `read_to_end`).
            let mut buf = Vec::with_capacity(meta.len() as usize + 1);
            fs::File::open(path)
                .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut buf))
                .map_err(|e| format!("cannot read the file: {e}"))?;
            (buf, Some(path.as_path()))
        }
    };
    read_bytes(&bytes, path, options)
}

fn too_large(len: u64) -> String {
    format!("file too large ({len} bytes; the limit is {MAX_INPUT_BYTES} bytes): is this a report?")
}

/// Read the bytes of an input; `path` (when there is one) helps to tell the format.
pub fn read_bytes(
    bytes: &[u8],
    path: Option<&Path>,
    options: &Options,
) -> Result<Document, String> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty report: the file has no text".into());
    }
    let format = sniff(bytes, path);
    let document = match format {
        SourceFormat::Text | SourceFormat::Markdown | SourceFormat::Html => {
            let decoded = decode::decode(bytes, options.encoding, format == SourceFormat::Html)?;
            let encoding = Some(decode::name(decoded.encoding));
            let text = match format {
                SourceFormat::Html => {
                    check_html_depth(&decoded.text)?;
                    html::extract(&decoded.text)
                }
                SourceFormat::Markdown => plain_markdown(&decoded.text),
                _ => decoded.text,
            };
            Document::plain(text, format, encoding)
        }
        SourceFormat::Docx => {
            let docx = docx::extract(bytes)?;
            let mut lines = Vec::new();
            let mut locations = Vec::new();
            for (i, p) in docx.paragraphs.iter().enumerate() {
                for line in p.split('\n') {
                    lines.push(line.to_string());
                    locations.push(Location {
                        page: None,
                        paragraph: Some(i as u32 + 1),
                    });
                }
            }
            Document {
                text: lines.join("\n"),
                format,
                encoding: None,
                created: docx.created,
                modified: docx.modified,
                locations,
                sha256: String::new(),
            }
        }
        SourceFormat::Pdf => {
            let pages = pdf::extract(bytes)?;
            let mut lines = Vec::new();
            let mut locations = Vec::new();
            for (i, page) in pages.iter().enumerate() {
                for line in crate::normalize::lines(page) {
                    lines.push(line.to_string());
                    locations.push(Location {
                        page: Some(i as u32 + 1),
                        paragraph: None,
                    });
                }
            }
            Document {
                text: lines.join("\n"),
                format,
                encoding: None,
                created: None,
                modified: None,
                locations,
                sha256: String::new(),
            }
        }
        SourceFormat::Doc => Document::plain(legacy_doc(bytes)?, format, None),
    };
    let mut document = document;
    document.sha256 = sha256_hex(bytes);
    // Empty when nothing is left once spaces, zero-width characters and BOMs are folded away.
    let has_text = document
        .text
        .chars()
        .any(|c| crate::normalize::fold_char(c).is_some_and(|f| !f.is_whitespace()));
    if !has_text {
        return Err(match format {
            SourceFormat::Pdf => "the PDF has no text layer (a scanned document?): it needs OCR before it can be audited".into(),
            _ => "empty report: no text was found in the file".into(),
        });
    }
    Ok(document)
}

/// Labels of a page's publication date, the most specific first (the HTML reader and the report
/// parser both read them).
pub const PUBLICATION_LABELS: [&str; 8] = [
    "发布日期",
    "发布时间",
    "公开日期",
    "公开时间",
    "生成日期",
    "更新时间",
    "日期",
    "时间",
];

/// A publication label alone at the end of a line (`发布时间：`), its date on the next line, as
/// pages that lay their metadata out in list items or table cells put it: the two lines joined,
/// so that the label's date is read as if written on one line. `None` for any other line.
pub fn label_with_next_line(line: &str, next: Option<&str>) -> Option<String> {
    let next = next?.trim_start();
    let bare = line.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：' | '|'));
    let label = PUBLICATION_LABELS.iter().find(|l| bare.ends_with(*l))?;
    let before = bare[..bare.len() - label.len()].chars().next_back();
    let starts_label = before.is_none_or(|c| c.is_whitespace() || "|｜:：【[(（".contains(c));
    let starts_date = next
        .chars()
        .take(4)
        .filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .count()
        == 4;
    (starts_label && starts_date).then(|| format!("{line} {next}"))
}

/// Deepest element nesting accepted in an HTML page. Real pages nest a few dozen levels; the HTML
/// parser's time grows with the square of the depth, so a hostile page is refused up front.
pub const MAX_HTML_DEPTH: usize = 2_000;

/// A linear scan of tag nesting (void and self-closing elements do not nest).
fn check_html_depth(html: &str) -> Result<(), String> {
    // Void elements never nest; elements whose end tag HTML lets authors omit (a table of
    // `<tr><td>` rows without end tags) are not counted either way.
    const NO_NESTING: [&str; 33] = [
        "br", "img", "meta", "link", "input", "hr", "wbr", "area", "base", "col", "embed",
        "source", "track", "param", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody",
        "tfoot", "colgroup", "option", "optgroup", "rt", "rp", "html", "head", "body", "caption",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
        i += off + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let name_len = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            continue;
        }
        let name = html[start..start + name_len].to_ascii_lowercase();
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |e| start + e);
        if NO_NESTING.contains(&name.as_str()) {
            // neither opens nor closes a level
        } else if closing {
            depth = depth.saturating_sub(1);
        } else if end == 0 || bytes.get(end - 1) != Some(&b'/') {
            depth += 1;
            deepest = deepest.max(depth);
        }
        i = end.min(bytes.len());
    }
    if deepest > MAX_HTML_DEPTH {
        return Err(format!(
            "HTML nested {deepest} elements deep (the limit is {MAX_HTML_DEPTH}): not a report page"
        ));
    }
    Ok(())
}

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    sha2::Sha256::digest(bytes)
        .iter()
        .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}

/// Decide the format: magic bytes first (a .txt that is really a PDF is read as PDF), then the
/// extension, then a look at the text for HTML.
pub fn sniff(bytes: &[u8], path: Option<&Path>) -> SourceFormat {
    let ext = path
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let head = &bytes[..bytes.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_some() {
        return SourceFormat::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return SourceFormat::Docx;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return SourceFormat::Doc;
    }
    match ext.as_str() {
        "html" | "htm" | "shtml" | "xhtml" => return SourceFormat::Html,
        "md" | "markdown" => return SourceFormat::Markdown,
        "docx" => return SourceFormat::Docx,
        "pdf" => return SourceFormat::Pdf,
        "doc" => return SourceFormat::Doc,
        _ => {}
    }
    // Every tag below opens with `<`: a head without one is text (most files), and is not
    // lowered and searched a window at a time.
    if memchr::memchr(b'<', head).is_none() {
        return SourceFormat::Text;
    }
    let lower: Vec<u8> = head
        .iter()
        .filter(|b| **b != 0)
        .map(u8::to_ascii_lowercase)
        .collect();
    let has = |n: &[u8]| lower.windows(n.len()).any(|w| w == n);
    if has(b"<!doctype html") || has(b"<html") || (has(b"<body") && has(b"</")) {
        SourceFormat::Html
    } else {
        SourceFormat::Text
    }
}

/// Markdown to plain lines, one for one: emphasis, quote and bullet markers go, `#` headings stay
/// (the outline reads them), and ordered lists are numbered as Markdown shows them: `1.` on
/// every item is 1, 2, 3 from the list's first number.
fn plain_markdown(text: &str) -> String {
    // The number the next item of the current ordered list shows, while in one.
    let mut next: Option<u64> = None;
    crate::normalize::lines(text)
        .iter()
        .map(|line| {
            let t = line.trim_start();
            let t = t.strip_prefix("> ").unwrap_or(t);
            let t = t
                .strip_prefix("- ")
                .or_else(|| t.strip_prefix("* "))
                .unwrap_or(t);
            let t = t.replace("**", "").replace("__", "");
            let digits = t.bytes().take_while(u8::is_ascii_digit).count();
            let item = (1..=9).contains(&digits)
                && matches!(t.as_bytes().get(digits), Some(b'.' | b')'))
                && t.as_bytes().get(digits + 1) == Some(&b' ');
            if item {
                let number = next.unwrap_or_else(|| t[..digits].parse().unwrap_or(1));
                next = Some(number + 1);
                return format!("{number}{}", &t[digits..]);
            }
            // Blank lines between items keep the list going; any other line ends it.
            if !t.trim().is_empty() {
                next = None;
            }
            t
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Legacy Word (.doc): converted with `catdoc` or LibreOffice when one is installed.
fn legacy_doc(bytes: &[u8]) -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("auditor-doc-{}", std::process::id()));
    fs::create_dir_all(&dir).map_err(|e| format!("cannot convert the .doc file: {e}"))?;
    let file = dir.join("report.doc");
    let result = (|| {
        fs::write(&file, bytes).map_err(|e| format!("cannot convert the .doc file: {e}"))?;
        if let Ok(out) = std::process::Command::new("catdoc")
            .args(["-d", "utf-8", "-w"])
            .arg(&file)
            .output()
            && out.status.success()
            && !out.stdout.is_empty()
        {
            return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
        }
        for office in ["soffice", "libreoffice"] {
            let Ok(out) = std::process::Command::new(office)
                .args([
                    "--headless",
                    "--convert-to",
                    "txt:Text (encoded):UTF8",
                    "--outdir",
                ])
                .arg(&dir)
                .arg(&file)
                .output()
            else {
                continue;
            };
            if out.status.success()
                && let Ok(text) = fs::read_to_string(dir.join("report.txt"))
            {
                return Ok(text);
            }
        }
        Err("legacy Word .doc file and no converter installed: save it as .docx (Word: File > Save As), \
             or install catdoc or LibreOffice"
            .to_string())
    })();
    let _ = fs::remove_dir_all(&dir);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(bytes: &[u8], name: &str) -> Result<Document, String> {
        read_bytes(bytes, Some(Path::new(name)), &Options::default())
    }

    #[test]
    fn a_label_alone_takes_the_date_on_the_next_line() {
        let join = |a: &str, b: &str| label_with_next_line(a, Some(b));
        assert_eq!(
            join("发布时间：", "2024-03-28").as_deref(),
            Some("发布时间： 2024-03-28")
        );
        assert!(join("来源：县司法局 | 发布日期", "２０２４年3月1日").is_some());
        assert_eq!(
            join("按照规定时间", "2024年3月1日前报送。"),
            None,
            "not a label"
        );
        assert_eq!(join("发布时间：", "县司法局"), None, "no date follows");
        assert_eq!(label_with_next_line("发布时间：", None), None);
    }

    #[test]
    fn sha256_is_lower_case_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn reads_utf8_with_and_without_bom() {
        assert_eq!(text_of("报告".as_bytes(), "a.txt").unwrap().text, "报告");
        assert_eq!(
            text_of("\u{FEFF}报告".as_bytes(), "a.txt").unwrap().text,
            "报告"
        );
    }

    #[test]
    fn rejects_empty_and_binary_input_with_a_reason() {
        assert!(
            text_of(b" \n\t", "a.txt")
                .unwrap_err()
                .contains("empty report")
        );
        assert!(
            text_of("\u{3000}\u{200B}\u{FEFF}\u{A0}\n".as_bytes(), "a.txt")
                .unwrap_err()
                .contains("empty report"),
            "invisible characters only"
        );
        assert!(
            text_of(b"ab\0\x01\x02\x03\x04cd\x05\x06", "a.txt")
                .unwrap_err()
                .contains("not a text report")
        );
    }

    #[test]
    fn deeply_nested_html_is_refused_quickly() {
        let deep = format!(
            "<html><body>{}法治{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let e = text_of(deep.as_bytes(), "r.html").unwrap_err();
        assert!(e.contains("nested 100000 elements deep"), "{e}");
        let fine = format!(
            "<html><body>{}<p>法治<br>建设</p><img src=x/>{}</body></html>",
            "<div>".repeat(50),
            "</div>".repeat(50)
        );
        assert!(check_html_depth(&fine).is_ok());
        let table = format!("<table>{}</table>", "<tr><td>法治<td>建设".repeat(5000));
        assert!(
            check_html_depth(&table).is_ok(),
            "omitted end tags do not nest"
        );
    }

    #[test]
    fn tells_formats_by_content_before_extension() {
        assert_eq!(
            sniff(b"%PDF-1.4 ...", Some(Path::new("r.txt"))),
            SourceFormat::Pdf
        );
        assert_eq!(sniff(b"PK\x03\x04....", None), SourceFormat::Docx);
        assert_eq!(
            sniff(b"<!DOCTYPE html><html>", Some(Path::new("r.txt"))),
            SourceFormat::Html
        );
        assert_eq!(
            sniff("一、主要举措".as_bytes(), Some(Path::new("r.md"))),
            SourceFormat::Markdown
        );
        assert_eq!(sniff("一、主要举措".as_bytes(), None), SourceFormat::Text);
        assert_eq!(sniff("a < b，</".as_bytes(), None), SourceFormat::Text);
        assert_eq!(sniff(b"\n<BODY>x</P>", None), SourceFormat::Html);
        let utf16: Vec<u8> = "<html>一"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(sniff(&utf16, None), SourceFormat::Html);
        let late = format!("{}%PDF-1.7", " ".repeat(1000));
        assert_eq!(sniff(late.as_bytes(), None), SourceFormat::Pdf);
    }

    #[test]
    fn markdown_keeps_one_line_per_line_and_drops_emphasis() {
        assert_eq!(
            plain_markdown("# 标题\n\n**一、主要举措**\n- 一是学法"),
            "# 标题\n\n一、主要举措\n一是学法"
        );
    }

    #[test]
    fn markdown_ordered_lists_are_numbered_as_markdown_shows_them() {
        assert_eq!(
            plain_markdown(
                "## 一、问题\n1. 甲\n1. 乙\n\n1. 丙\n## 二、安排\n3. 丁\n3. 戊\n1.5万人次参加"
            ),
            "## 一、问题\n1. 甲\n2. 乙\n\n3. 丙\n## 二、安排\n3. 丁\n4. 戊\n1.5万人次参加"
        );
    }

    #[test]
    fn walks_directories_in_sorted_order_and_reports_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        for f in ["b.txt", "a.md", "sub/c.TXT", "skip.png"] {
            fs::write(dir.path().join(f), "x").unwrap();
        }
        let (inputs, skipped) = collect(
            &[dir.path().to_path_buf(), dir.path().join("nope.txt")],
            &Selection::default(),
        );
        assert_eq!(skipped.len(), 1);
        assert!(
            skipped[0].reason.contains("not a report type"),
            "{:?}",
            skipped
        );
        let names: Vec<String> = inputs
            .iter()
            .map(|i| i.label().replace(&dir.path().display().to_string(), ""))
            .collect();
        assert_eq!(names, ["/a.md", "/b.txt", "/sub/c.TXT", "/nope.txt"]);
        assert!(matches!(&inputs[3], Input::Broken(_, why) if why.contains("no such file")));
    }
}
