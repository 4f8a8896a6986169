//! Bytes to text: BOM, an HTML `<meta charset>`, then detection (chardetng) for GB18030/GBK,
//! Big5 and UTF-8, and a heuristic for UTF-16 without BOM. Text that decodes with errors or
//! holds control characters is not a text report.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// Decoded text and the encoding it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
}

/// An encoding by the names users give (`gbk`, `GB2312`, `utf-16le`, `big5`…).
pub fn encoding_by_name(name: &str) -> Option<&'static Encoding> {
    Encoding::for_label(name.trim().as_bytes())
}

/// The encoding's name as shown to users. GBK and GB2312 text is read with the GB18030 decoder
/// (a superset), and shown as GB18030.
pub fn name(e: &'static Encoding) -> &'static str {
    if e == encoding_rs::GBK || e == GB18030 {
        "GB18030"
    } else {
        e.name()
    }
}

/// Decode bytes, with `forced` overriding detection.
pub fn decode(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    html: bool,
) -> Result<Decoded, String> {
    let encoding = match forced {
        Some(e) => e,
        None => detect(bytes, html),
    };
    // Reports come in UTF-8, GB18030/GBK, Big5 or UTF-16. A guess outside those on text that is
    // almost all valid UTF-8 means a damaged UTF-8 file: say where, rather than decode noise.
    let expected = [
        UTF_8,
        GB18030,
        encoding_rs::GBK,
        encoding_rs::BIG5,
        UTF_16LE,
        UTF_16BE,
    ];
    if forced.is_none() && !expected.contains(&encoding) {
        // Nearly valid UTF-8 or GB18030 is a damaged file in that encoding; anything else in a
        // Western single-byte encoding is not a Chinese report (its decoding would be noise).
        return Err(damaged_utf8(bytes)
            .or_else(|| damaged_gb18030(bytes))
            .unwrap_or_else(|| {
                format!(
                    "not a text report in a supported encoding: the bytes read best as {}, which \
                     reports do not use; give the encoding with --encoding NAME if you know it",
                    name(encoding)
                )
            }));
    }
    // GBK and GB2312 labels are decoded as GB18030, their superset.
    let encoding = if encoding == encoding_rs::GBK {
        GB18030
    } else {
        encoding
    };
    let (text, used, had_errors) = encoding.decode(bytes);
    if had_errors {
        return Err(match forced {
            Some(e) => format!(
                "the file is not valid {} text (--encoding {})",
                name(e),
                name(e)
            ),
            None => (used == GB18030)
                .then(|| damaged_gb18030(bytes))
                .flatten()
                .unwrap_or_else(|| {
                    format!(
                        "not a text report: the bytes are not valid in any supported encoding (best guess {}); \
                         give the encoding with --encoding NAME if you know it",
                        name(used)
                    )
                }),
        });
    }
    let mut text = text.into_owned();
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    let controls = control_chars(&text);
    if controls > 0 && controls * 100 > text.chars().count() {
        return Err(format!(
            "not a text report: decoded as {} it is mostly control characters",
            name(used)
        ));
    }
    Ok(Decoded {
        text,
        encoding: used,
    })
}

/// How many control characters (general category Cc: U+0000–U+001F and U+007F–U+009F) a text
/// holds besides line breaks, tabs and form feeds, counted on its bytes: C0 controls and DEL are
/// single bytes, and C1 controls are C2 80–C2 9F. It runs on every report; decoding each
/// character to ask `char::is_control` cost four times as much.
fn control_chars(text: &str) -> usize {
    let bytes = text.as_bytes();
    // Without branches and in byte-wide counters (255 bytes at a time), so that the count
    // vectorises: five times faster than decoding characters.
    let mut c0 = 0;
    for chunk in bytes.chunks(255) {
        let mut n = 0u8;
        for &b in chunk {
            let c = (b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') & (b != 0x0C);
            n += u8::from(c | (b == 0x7F));
        }
        c0 += usize::from(n);
    }
    let c1 = memchr::memchr_iter(0xC2, bytes)
        .filter(|&i| bytes.get(i + 1).is_some_and(|c| (0x80..=0x9F).contains(c)))
        .count();
    c0 + c1
}

/// For bytes that are valid UTF-8 but for a few sequences: how many, and where the first is.
fn damaged_utf8(bytes: &[u8]) -> Option<String> {
    let (mut bad, mut first, mut rest, mut at) = (0usize, None, bytes, 0usize);
    while let Err(e) = std::str::from_utf8(rest) {
        let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to()).max(1);
        first.get_or_insert(at + e.valid_up_to());
        bad += 1;
        at += skip;
        rest = &rest[skip.min(rest.len())..];
    }
    let first = first?;
    (bad * 100 < bytes.len() / 3).then(|| {
        let line = bytes[..first].iter().filter(|&&b| b == b'\n').count() + 1;
        format!(
            "not valid UTF-8: {bad} byte sequence{} cannot be decoded, the first at byte {first} (line {line}); \
             the file is damaged or mixes encodings: re-save it as UTF-8, or give --encoding NAME",
            if bad == 1 { "" } else { "s" }
        )
    })
}

/// For bytes that are GB18030 but for a few sequences (a damaged or truncated GBK file): how
/// many, and where the first is.
fn damaged_gb18030(bytes: &[u8]) -> Option<String> {
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() * 3 / 2 + 16);
    let (mut bad, mut first, mut at) = (0usize, None, 0usize);
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[at..], &mut text, true);
        at += read;
        match result {
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::OutputFull => {
                text.reserve(bytes.len() - at + 16);
            }
            encoding_rs::DecoderResult::Malformed(_, _) => {
                bad += 1;
                first.get_or_insert(at);
            }
        }
    }
    let first = first?;
    let non_ascii = bytes.iter().filter(|b| !b.is_ascii()).count();
    let cjk = text
        .chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .count();
    // Mostly Chinese once decoded, with few bad sequences.
    (cjk * 2 * 10 >= non_ascii * 6 && bad * 100 < non_ascii / 2).then(|| {
        let line = bytes[..first.min(bytes.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        format!(
            "not valid GB18030 (GBK): {bad} byte sequence{} cannot be decoded, the first near byte {first} (line {line}); \
             the file is damaged or mixes encodings: re-save it, or give --encoding NAME",
            if bad == 1 { "" } else { "s" }
        )
    })
}

fn detect(bytes: &[u8], html: bool) -> &'static Encoding {
    if let Some((e, _)) = Encoding::for_bom(bytes) {
        return e;
    }
    // encoding_rs's validator: seventeen times faster than `str::from_utf8` on Chinese text.
    let utf8 = Encoding::utf8_valid_up_to(bytes) == bytes.len();
    // UTF-16 text has zero bytes (in every ASCII character, line breaks included) or is not
    // valid UTF-8 (its CJK code units are not UTF-8 sequences). Most reports are UTF-8 without
    // a zero byte, and skip the pass over their code units.
    if (!utf8 || memchr::memchr(0, bytes).is_some())
        && let Some(e) = utf16_without_bom(bytes)
    {
        return e;
    }
    if html && let Some(e) = meta_charset(bytes) {
        return e;
    }
    if utf8 {
        return UTF_8;
    }
    // A window from the first non-ASCII byte is plenty for the detector, and it keeps the cost
    // of a long GBK report flat (the detector was a sixth of a batch's time).
    const WINDOW: usize = 16 * 1024;
    let start = bytes.iter().position(|b| !b.is_ascii()).unwrap_or(0);
    let window = &bytes[start..bytes.len().min(start + WINDOW)];
    if looks_gb18030(window) {
        return GB18030;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(window, true);
    // No TLD hint: a `cn` hint makes Big5 text look like GBK.
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// Frequent characters of Chinese official prose: in GB18030 text that decodes to Chinese, a large
/// share of the characters are among them; Big5, EUC-KR or Shift_JIS bytes read as GB18030 give
/// rare characters instead.
const COMMON_HANZI: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研治依规县市镇乡街责督查执审议";

/// Whether a window of non-UTF-8 bytes is GB18030/GBK Chinese: it decodes without error (a
/// character cut at the window's end is fine) to mostly common Chinese characters. GBK is by far
/// the most common legacy encoding of the reports, and this check costs a small part of what the
/// general detector does; anything it is unsure of goes to the detector.
fn looks_gb18030(window: &[u8]) -> bool {
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(window.len() * 3 / 2 + 16);
    let (result, _) = decoder.decode_to_string_without_replacement(window, &mut text, false);
    if !matches!(result, encoding_rs::DecoderResult::InputEmpty) {
        return false;
    }
    static COMMON: std::sync::LazyLock<crate::normalize::HanSet> =
        std::sync::LazyLock::new(|| crate::normalize::HanSet::new(COMMON_HANZI));
    let (mut cjk, mut common) = (0usize, 0usize);
    for c in text
        .chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
    {
        cjk += 1;
        common += usize::from(COMMON.contains(c));
    }
    cjk >= 20 && common * 10 >= cjk * 3
}

/// UTF-16 without BOM: many zero bytes in one parity, none in the other (ASCII-heavy text), or
/// most code units in the CJK range when read in one byte order only.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 8 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.len() / 2;
    // One pass over the code units for all four counts: this runs on every text file. The
    // tests are written without branches (`|` on bools, ranges as one wrapping comparison) so
    // that the loop vectorises.
    let likely = |u: u16| {
        (u.wrapping_sub(0x4E00) <= 0x9FFF - 0x4E00)
            | (u.wrapping_sub(0x3000) <= 0x303F - 0x3000)
            | (u.wrapping_sub(0xFF00) <= 0xFFEF - 0xFF00)
            | (u == 0x0A)
            | (u == 0x0D)
    };
    let (mut even, mut odd, mut le, mut be) = (0usize, 0usize, 0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        let (a, b) = (pair[0], pair[1]);
        even += usize::from(a == 0);
        odd += usize::from(b == 0);
        le += usize::from(likely(u16::from_le_bytes([a, b])));
        be += usize::from(likely(u16::from_be_bytes([a, b])));
    }
    if odd * 4 > units && even == 0 {
        return Some(UTF_16LE);
    }
    if even * 4 > units && odd == 0 {
        return Some(UTF_16BE);
    }
    // Read in the wrong byte order, CJK text still lands in the CJK range about a third of
    // the time; in the right order, almost always.
    if le * 10 > units * 6 && le > be * 2 {
        return Some(UTF_16LE);
    }
    if be * 10 > units * 6 && be > le * 2 {
        return Some(UTF_16BE);
    }
    None
}

/// The HTML prescan for `<meta charset=…>` / `<meta http-equiv content="…charset=…">` in the
/// first 4 KiB (a simplified form of the WHATWG algorithm).
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + 7..];
            let rest = rest
                .iter()
                .skip_while(|b| {
                    b.is_ascii_whitespace() || **b == b'=' || **b == b'"' || **b == b'\''
                })
                .copied();
            let label: Vec<u8> = rest
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
                .collect();
            if let Some(e) = Encoding::for_label(&label) {
                // A page that says UTF-16 in ASCII bytes is not UTF-16.
                return Some(if e == UTF_16LE || e == UTF_16BE {
                    UTF_8
                } else {
                    e
                });
            }
        }
        from = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_counted_on_bytes_as_char_is_control_counts_them() {
        let by_char = |t: &str| {
            t.chars()
                .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
                .count()
        };
        for t in [
            "",
            "法治\n政府\r\n\t\u{c}",
            "\u{0}\u{1}\u{1f}\u{7f}\u{80}\u{85}\u{9f}\u{a0}\u{ad}",
            "Â¢ À Ÿ ©\u{200b}",
            "控\u{7}制\u{9c}字符",
        ] {
            assert_eq!(control_chars(t), by_char(t), "{t:?}");
        }
    }

    const TEXT: &str =
        "青岚县人民政府关于2022年度法治政府建设情况的报告\n一、主要举措和成效（一）加强统筹。";

    fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
        }
        for u in text.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    #[test]
    fn reads_every_encoding_reviewers_receive() {
        let (gb, _, _) = GB18030.encode(TEXT);
        let (big5, _, _) = encoding_rs::BIG5
            .encode("臺灣省政府關於法治政府建設情況的報告，依法行政工作推進情況良好。");
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (TEXT.as_bytes().to_vec(), "UTF-8"),
            ([&[0xEF, 0xBB, 0xBF][..], TEXT.as_bytes()].concat(), "UTF-8"),
            (gb.into_owned(), "GB18030"),
            (utf16(TEXT, true, true), "UTF-16LE"),
            (utf16(TEXT, false, true), "UTF-16BE"),
            (utf16(TEXT, true, false), "UTF-16LE"),
            (utf16(TEXT, false, false), "UTF-16BE"),
            (big5.into_owned(), "Big5"),
        ];
        for (bytes, want) in cases {
            let d = decode(&bytes, None, false).unwrap();
            assert_eq!(name(d.encoding), want);
            if want != "Big5" {
                assert_eq!(d.text, TEXT);
            }
        }
    }

    #[test]
    fn the_gb18030_shortcut_takes_chinese_and_leaves_other_legacy_encodings_to_the_detector() {
        let text = "云山县人民政府关于2023年度法治政府建设情况的报告。一、主要举措和成效：全县行政机关负责人出庭应诉率100%，审查规范性文件23件。二、存在的不足和原因。";
        let (gbk, _, _) = GB18030.encode(text);
        assert!(looks_gb18030(&gbk));
        // Cut inside a two-byte character: still GB18030.
        assert!(looks_gb18030(&gbk[..gbk.len() - 1]));
        let traditional = traditional(text);
        let (big5, _, _) = encoding_rs::BIG5.encode(&traditional);
        assert!(!looks_gb18030(&big5));
        let (korean, _, _) = encoding_rs::EUC_KR.encode("법치정부 건설 연례 보고서: 주요 조치와 성과, 부족한 점과 원인, 다음 해의 주요 계획을 보고합니다. 법치정부 건설 연례 보고서");
        assert!(!looks_gb18030(&korean));
        // And the full path still reads Big5 as Big5.
        assert_eq!(
            decode(&big5, None, false).unwrap().encoding,
            encoding_rs::BIG5
        );
    }

    /// The text in traditional characters (OpenCC, a dev-dependency with `s2t`).
    fn traditional(text: &str) -> String {
        use ferrous_opencc::{OpenCC, config::BuiltinConfig};
        OpenCC::from_config(BuiltinConfig::S2t)
            .expect("the s2t dictionary loads")
            .convert(text)
    }

    #[test]
    fn a_damaged_gbk_file_says_where_and_latin_text_is_refused() {
        let text = "云山县人民政府关于2023年度法治政府建设情况的报告\n一、主要举措和成效\n全县行政机关负责人出庭应诉率100%，审查规范性文件23件，办理行政复议案件41件。\n".repeat(20);
        let (gbk, _, _) = GB18030.encode(&text);
        let mut damaged = gbk.to_vec();
        let at = damaged.len() / 2;
        damaged.splice(at..at, [0xFF, 0xFE, 0xFD, 0x80, 0x80]);
        let err = decode(&damaged, None, false).unwrap_err();
        assert!(err.starts_with("not valid GB18030 (GBK): "), "{err}");
        assert!(err.contains("cannot be decoded"), "{err}");
        let latin: Vec<u8> = "Rapport annuel très détaillé, élaboré à Genève. "
            .repeat(40)
            .chars()
            .map(|c| c as u32 as u8)
            .collect();
        let err = decode(&latin, None, false).unwrap_err();
        assert!(
            err.starts_with("not a text report in a supported encoding"),
            "{err}"
        );
        // Told the encoding, the auditor reads it.
        assert!(decode(&latin, encoding_by_name("windows-1252"), false).is_ok());
    }

    #[test]
    fn four_byte_gb18030_characters_decode() {
        let (gb, _, _) = GB18030.encode("刘䶮€法治政府建设年度报告");
        assert_eq!(
            decode(&gb, None, false).unwrap().text,
            "刘䶮€法治政府建设年度报告"
        );
    }

    #[test]
    fn html_meta_charset_is_honoured() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>法治</body></html>";
        let (bytes, _, _) = GB18030.encode(page);
        let d = decode(&bytes, None, true).unwrap();
        assert_eq!(name(d.encoding), "GB18030");
        assert!(d.text.contains("法治"));
    }

    #[test]
    fn forced_encoding_overrides_detection_and_is_checked() {
        let (gb, _, _) = GB18030.encode(TEXT);
        let e = encoding_by_name("gbk").unwrap();
        assert_eq!(decode(&gb, Some(e), false).unwrap().text, TEXT);
        assert!(
            decode(&[0xFF, 0xFF, 0xFF], Some(UTF_8), false)
                .unwrap_err()
                .contains("not valid UTF-8")
        );
    }

    #[test]
    fn a_damaged_utf8_file_says_where() {
        let text = TEXT.repeat(20);
        let at = (300..).find(|&i| text.is_char_boundary(i)).unwrap();
        let mut bytes = text.into_bytes();
        bytes.splice(at..at, [0xFF, 0xFE, 0x80]);
        let e = decode(&bytes, None, false).unwrap_err();
        assert!(
            e.starts_with("not valid UTF-8: 3 byte sequences")
                && e.contains(&format!("at byte {at}")),
            "{e}"
        );
    }

    #[test]
    fn binary_is_not_a_text_report() {
        let noise: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 32) as u8).collect();
        assert!(
            decode(&noise, None, false)
                .unwrap_err()
                .starts_with("not a text report")
        );
    }
}
