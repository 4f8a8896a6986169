//! A hand-written PDF generator for tests: renders a plain-text report the way Chinese
//! government PDFs usually come, with a non-embedded `STSong-Light` CID font (Adobe-GB1) under
//! the predefined `UniGB-UCS2-H` CMap and the text as UCS-2 hex strings (`<4E2D6587> Tj`), so
//! reading it back needs poppler-data. Standard library only.
//!
//! Default layout: A4, 12 pt text, 20 pt leading, 38 em per visual line (CJK and full-width
//! forms are 1 em, ASCII ½ em), greedy wrapping with ASCII words kept whole and the usual
//! Chinese punctuation rules (避头尾), every paragraph's first line indented by 2 em as in official
//! documents, no extra gap between paragraphs, paragraphs running on across page breaks, and a
//! `- N -` footer centred at the bottom of every page. [`Layout`] sets other line lengths.
#![allow(dead_code)]

use std::fmt::Write as _;

/// Page size (A4) and fixed layout, in PDF points.
const PAGE_W: f64 = 595.28;
const PAGE_H: f64 = 841.89;
/// Width of the text column: 38 em at 12 pt.
const TEXT_W: f64 = 456.0;
const LEFT: f64 = (PAGE_W - TEXT_W) / 2.0;
const TOP_MARGIN: f64 = 72.0;
const LOWEST_BASELINE: f64 = 90.0;
const FOOTER_BASELINE: f64 = 50.0;
const FONT_SIZE: f64 = 12.0;
const LEADING: f64 = 20.0;

/// How a report is set: characters per visual line (the font size follows from the fixed text
/// column) and the first-line indent, both in em (one CJK character).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    pub em_per_line: usize,
    pub indent_em: usize,
}

impl Default for Layout {
    /// 38 characters of 12 pt per line, paragraphs indented by two characters.
    fn default() -> Layout {
        Layout {
            em_per_line: 38,
            indent_em: 2,
        }
    }
}

impl Layout {
    /// 28 characters of about 16 pt, like an official document (GB/T 9704: 仿宋三号, 28 字/行).
    pub fn official() -> Layout {
        Layout {
            em_per_line: 28,
            indent_em: 2,
        }
    }
    fn font_size(&self) -> f64 {
        TEXT_W / self.em_per_line.max(1) as f64
    }
}

/// Render a plain-text report (one paragraph per line) as a PDF: each paragraph wrapped at 38
/// characters per visual line, consecutive paragraphs at the normal line spacing, page breaks
/// whenever a page is full (paragraphs run on across pages) and a `- N -` footer on every page.
pub fn pdf_from_text(text: &str) -> Vec<u8> {
    pdf_from_text_with(text, Layout::default())
}

/// [`pdf_from_text`] with another layout.
pub fn pdf_from_text_with(text: &str, layout: Layout) -> Vec<u8> {
    let size = layout.font_size();
    let leading = size * 5.0 / 3.0;
    let top_baseline = PAGE_H - TOP_MARGIN - size;
    let units = layout.em_per_line * 2;
    let indent_units = layout.indent_em * 2;
    let mut pages: Vec<Vec<(f64, f64, String)>> = vec![Vec::new()];
    let mut y = top_baseline;
    for paragraph in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        // Runs of spaces (ideographic ones too) are set as one narrow space, as a browser sets
        // HTML: pdftotext reads a gap of 1 em or more as a column break and puts the two sides
        // on different lines.
        let paragraph = pdf_text(paragraph)
            .split([' ', '\u{3000}'])
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        for (i, line) in wrap(&paragraph, units, indent_units)
            .into_iter()
            .enumerate()
        {
            if y < LOWEST_BASELINE {
                pages.push(Vec::new());
                y = top_baseline;
            }
            let indent = if i == 0 {
                indent_units as f64 * size / 2.0
            } else {
                0.0
            };
            pages.last_mut().unwrap().push((LEFT + indent, y, line));
            y -= leading;
        }
    }
    let streams: Vec<String> = pages
        .iter_mut()
        .enumerate()
        .map(|(n, page)| {
            let footer = format!("- {} -", n + 1);
            let x = (PAGE_W - text_units(&footer) as f64 * FONT_SIZE / 2.0) / 2.0;
            let mut s = text_stream(page, size);
            s.push_str(&text_stream(&[(x, FOOTER_BASELINE, footer)], FONT_SIZE));
            s
        })
        .collect();
    build(&streams, false)
}

/// The text a reader copies out of such a PDF into a text file: the visual lines of
/// [`pdf_from_text_with`] (no indent shown), `lines_per_page` to a page, each page followed by
/// its `- N -` footer line.
pub fn wrapped_text(text: &str, layout: Layout, lines_per_page: usize) -> String {
    let units = layout.em_per_line * 2;
    let indent_units = layout.indent_em * 2;
    let mut out = Vec::new();
    let mut on_page = 0;
    let mut page = 1;
    for paragraph in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        for line in wrap(paragraph, units, indent_units) {
            out.push(line);
            on_page += 1;
            if on_page == lines_per_page {
                out.push(format!("- {page} -"));
                page += 1;
                on_page = 0;
            }
        }
    }
    out.join("\n")
}

/// A PDF whose pages hold exactly the given visual lines, top to bottom at the normal leading,
/// without wrapping or footers.
pub fn pdf_from_pages(pages: &[&[&str]]) -> Vec<u8> {
    let streams: Vec<String> = pages
        .iter()
        .map(|lines| {
            let placed: Vec<(f64, f64, String)> = lines
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    (
                        LEFT,
                        PAGE_H - TOP_MARGIN - FONT_SIZE - i as f64 * LEADING,
                        pdf_text(l),
                    )
                })
                .collect();
            text_stream(&placed, FONT_SIZE)
        })
        .collect();
    build(&streams, false)
}

/// A PDF of `pages` pages that carry only a grey box each, like a scan without a text layer.
pub fn pdf_without_text(pages: usize) -> Vec<u8> {
    let box_only = "0.6 g\n60 80 475 680 re\nf\n".to_string();
    build(&vec![box_only; pages.max(1)], false)
}

/// A PDF encrypted with a user password (the empty password does not open it).
pub fn pdf_encrypted(text: &str) -> Vec<u8> {
    let placed = vec![(LEFT, PAGE_H - TOP_MARGIN - FONT_SIZE, pdf_text(text))];
    build(&[text_stream(&placed, FONT_SIZE)], true)
}

/// The text as the PDF carries it: characters that `UniGB-UCS2-H` cannot map (outside the BMP
/// or missing from Adobe-GB1, such as `·`) and control characters other than line feeds become
/// a space.
pub fn pdf_text(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\n' { c } else { representable(c) })
        .collect()
}

fn representable(c: char) -> char {
    let u = c as u32;
    if !c.is_control() && MAPPED.iter().any(|&(a, b)| (a..=b).contains(&u)) {
        c
    } else {
        ' '
    }
}

/// Width in half-em units: ASCII is proportional CIDs 1–95 at 500, everything else 1000.
fn char_units(c: char) -> usize {
    if (' '..='~').contains(&c) { 1 } else { 2 }
}

fn text_units(s: &str) -> usize {
    s.chars().map(char_units).sum()
}

/// Characters that may not start a visual line, and ones that may not end it (避头尾).
fn no_line_start(c: char) -> bool {
    "，。、；：！？）》”’」』】〕,.;:!?)]}%".contains(c)
}
fn no_line_end(c: char) -> bool {
    "（《“‘「『【〔([{".contains(c)
}

/// Break a paragraph into visual lines: greedy, ASCII words kept whole, spaces at a break
/// dropped, and the usual Chinese rules for punctuation at line starts and ends.
fn wrap(paragraph: &str, line_units: usize, indent_units: usize) -> Vec<String> {
    // Tokens: an ASCII word, a single space, or any other single character.
    let mut tokens: Vec<String> = Vec::new();
    for c in paragraph.chars() {
        let word = c.is_ascii_graphic();
        match tokens.last_mut() {
            Some(t) if word && t.chars().last().is_some_and(|p| p.is_ascii_graphic()) => t.push(c),
            _ => tokens.push(c.to_string()),
        }
    }
    let mut lines: Vec<Vec<String>> = vec![Vec::new()];
    let mut width = 0;
    let mut capacity = line_units.saturating_sub(indent_units);
    for token in tokens {
        let w = text_units(&token);
        let line = lines.last_mut().unwrap();
        if token == " " && line.is_empty() {
            continue;
        }
        if width + w > capacity && !line.is_empty() {
            if token == " " {
                continue;
            }
            let mut carry = Vec::new();
            // Keep closing punctuation off the next line start: take the last character with it.
            if token.chars().next().is_some_and(no_line_start) && line.len() > 1 {
                carry.push(line.pop().unwrap());
            }
            // Keep opening punctuation off this line's end.
            while line.len() > 1
                && line
                    .last()
                    .and_then(|t| t.chars().last())
                    .is_some_and(no_line_end)
            {
                carry.insert(0, line.pop().unwrap());
            }
            while line.last().is_some_and(|t| t == " ") {
                line.pop();
            }
            carry.push(token);
            width = carry.iter().map(|t| text_units(t)).sum();
            lines.push(carry);
            capacity = line_units;
            continue;
        }
        line.push(token);
        width += w;
    }
    lines
        .into_iter()
        .map(|l| l.concat())
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// The content stream that shows each line at its position.
fn text_stream(lines: &[(f64, f64, String)], size: f64) -> String {
    let mut s = String::from("BT\n");
    let _ = writeln!(s, "/F1 {size:.2} Tf");
    for (x, y, text) in lines {
        let mut hex = String::new();
        for c in text.chars() {
            let _ = write!(hex, "{:04X}", c as u32);
        }
        let _ = writeln!(s, "1 0 0 1 {x:.2} {y:.2} Tm\n<{hex}> Tj");
    }
    s.push_str("ET\n");
    s
}

/// Assemble the file: catalog, page tree, font objects, the pages with their content streams,
/// the cross-reference table with exact byte offsets, and the trailer.
fn build(streams: &[String], encrypted: bool) -> Vec<u8> {
    let n = streams.len();
    let first_page = 6;
    let mut objects: Vec<String> = Vec::new();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    let kids: Vec<String> = (0..n)
        .map(|i| format!("{} 0 R", first_page + 2 * i))
        .collect();
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {n} >>",
        kids.join(" ")
    ));
    objects.push(
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H \
         /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>"
            .into(),
    );
    objects.push(
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> \
         /FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>"
            .into(),
    );
    objects.push(
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 \
         /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 \
         /CapHeight 737 /StemV 58 >>"
            .into(),
    );
    for (i, stream) in streams.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] \
             /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            first_page + 2 * i + 1
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{stream}endstream",
            stream.len()
        ));
    }
    let mut encrypt_ref = String::new();
    if encrypted {
        // RC4 40-bit, revision 2; the /U entry matches no password we know, so the empty user
        // password is refused, as for any PDF that asks for a password to open.
        let hex32 = |seed: u8| {
            (0..32u8)
                .map(|i| format!("{:02X}", i.wrapping_mul(37).wrapping_add(seed)))
                .collect::<String>()
        };
        objects.push(format!(
            "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <{}> /U <{}> >>",
            hex32(11),
            hex32(97)
        ));
        encrypt_ref = format!(
            " /Encrypt {} 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]",
            objects.len()
        );
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for off in offsets {
        let _ = writeln!(table, "{off:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R{encrypt_ref} >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    out
}

/// Unicode ranges that `UniGB-UCS2-H` (Adobe-GB1-4) maps, from poppler-data's CMap file.
#[rustfmt::skip]
const MAPPED: &[(u32, u32)] = &[
    (0x0020, 0x007E), (0x00A4, 0x00A5), (0x00A7, 0x00A8), (0x00B0, 0x00B1), (0x00D7, 0x00D7),
    (0x00E0, 0x00E1), (0x00E8, 0x00EA), (0x00EC, 0x00ED), (0x00F2, 0x00F3), (0x00F7, 0x00F7),
    (0x00F9, 0x00FA), (0x00FC, 0x00FC), (0x0101, 0x0101), (0x0113, 0x0113), (0x011B, 0x011B),
    (0x012B, 0x012B), (0x014D, 0x014D), (0x016B, 0x016B), (0x01CE, 0x01CE), (0x01D0, 0x01D0),
    (0x01D2, 0x01D2), (0x01D4, 0x01D4), (0x01D6, 0x01D6), (0x01D8, 0x01D8), (0x01DA, 0x01DA),
    (0x01DC, 0x01DC), (0x01F9, 0x01F9), (0x02C7, 0x02C7), (0x02C9, 0x02CB), (0x02D9, 0x02D9),
    (0x0391, 0x03A1), (0x03A3, 0x03A9), (0x03B1, 0x03C1), (0x03C3, 0x03C9), (0x0401, 0x0401),
    (0x0410, 0x044F), (0x0451, 0x0451), (0x1E3F, 0x1E3F), (0x2010, 0x2010), (0x2013, 0x2016),
    (0x2018, 0x2019), (0x201C, 0x201D), (0x2025, 0x2026), (0x2030, 0x2030), (0x2032, 0x2033),
    (0x2035, 0x2035), (0x203B, 0x203B), (0x20AC, 0x20AC), (0x2103, 0x2103), (0x2105, 0x2105),
    (0x2109, 0x2109), (0x2116, 0x2116), (0x2121, 0x2121), (0x2160, 0x216B), (0x2170, 0x2179),
    (0x2190, 0x2193), (0x2196, 0x2199), (0x2208, 0x2208), (0x220F, 0x220F), (0x2211, 0x2211),
    (0x2215, 0x2215), (0x221A, 0x221A), (0x221D, 0x2220), (0x2223, 0x2223), (0x2225, 0x2225),
    (0x2227, 0x222B), (0x222E, 0x222E), (0x2234, 0x2237), (0x223D, 0x223D), (0x2248, 0x2248),
    (0x224C, 0x224C), (0x2252, 0x2252), (0x2260, 0x2261), (0x2264, 0x2267), (0x226E, 0x226F),
    (0x2295, 0x2295), (0x2299, 0x2299), (0x22A5, 0x22A5), (0x22BF, 0x22BF), (0x22EF, 0x22EF),
    (0x2312, 0x2312), (0x2460, 0x2469), (0x2474, 0x249B), (0x2500, 0x254B), (0x2550, 0x2573),
    (0x2581, 0x258F), (0x2593, 0x2595), (0x25A0, 0x25A1), (0x25B2, 0x25B3), (0x25BC, 0x25BD),
    (0x25C6, 0x25C7), (0x25CB, 0x25CB), (0x25CE, 0x25CF), (0x25E2, 0x25E5), (0x2605, 0x2606),
    (0x2609, 0x2609), (0x2640, 0x2640), (0x2642, 0x2642), (0x2E80, 0x2E99), (0x2E9B, 0x2EF3),
    (0x2F00, 0x2FD5), (0x2FF0, 0x2FFB), (0x3000, 0x3003), (0x3005, 0x3017), (0x301D, 0x301E),
    (0x3021, 0x3029), (0x3033, 0x3035), (0x3038, 0x303A), (0x303E, 0x303F), (0x3041, 0x3094),
    (0x309B, 0x309E), (0x30A1, 0x30FE), (0x3105, 0x312C), (0x31A0, 0x31B7), (0x3220, 0x3229),
    (0x3231, 0x3231), (0x32A3, 0x32A3), (0x338E, 0x338F), (0x339C, 0x339E), (0x33A1, 0x33A1),
    (0x33C4, 0x33C4), (0x33CE, 0x33CE), (0x33D1, 0x33D2), (0x33D5, 0x33D5), (0x3400, 0x4DB5),
    (0x4E00, 0x9FA5), (0xE816, 0xE818), (0xE81E, 0xE81E), (0xE826, 0xE826), (0xE82B, 0xE82C),
    (0xE831, 0xE832), (0xE83B, 0xE83B), (0xE843, 0xE843), (0xE854, 0xE855), (0xE864, 0xE864),
    (0xF92C, 0xF92C), (0xFA0D, 0xFA0F), (0xFA11, 0xFA11), (0xFA13, 0xFA14), (0xFA18, 0xFA18),
    (0xFA1F, 0xFA21), (0xFA23, 0xFA24), (0xFA27, 0xFA29), (0xFE30, 0xFE30), (0xFE49, 0xFE52),
    (0xFE54, 0xFE57), (0xFE59, 0xFE66), (0xFE68, 0xFE6B), (0xFF01, 0xFF5E), (0xFFE0, 0xFFE5),
];
