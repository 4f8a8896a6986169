//! Normalisation for matching. The original text is never changed: every normalised line keeps a
//! map from its characters back to the original characters, so evidence quotes the report as
//! written while rules match one canonical form.

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use std::sync::LazyLock;

/// A line folded for matching, with the way from each folded character back to the original
/// line ([`Folded::origin`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    /// The folded text that rules match against.
    pub text: String,
    /// The chars in `text`, counted once: the measures and the section rules both need them.
    chars: usize,
    /// The char index in the original of the first char of `text`.
    base: u32,
    /// Folding maps characters one to one, except those it drops (zero-width spaces and the
    /// like): for each dropped character, how many chars of `text` come before it. Nearly every
    /// line drops none, so this is empty and the map costs nothing; a table of every
    /// character's position was 4 bytes a character, written and freed for every block.
    dropped: Vec<u32>,
}

impl Folded {
    /// The number of chars in `text`.
    pub fn chars(&self) -> usize {
        self.chars
    }

    /// The char index in the original of the `i`-th char of `text`; `i` may be the text's char
    /// count, for the end of the original.
    pub fn origin(&self, i: usize) -> usize {
        let dropped = self.dropped.partition_point(|&k| k as usize <= i);
        self.base as usize + i + dropped
    }

    /// Drop a byte range (on char boundaries) from the folded text, keeping the way back to the
    /// original: the dropped chars count as dropped by folding.
    pub fn remove(&mut self, range: std::ops::Range<usize>) {
        let at = self.text[..range.start].chars().count() as u32;
        let n = self.text[range.clone()].chars().count() as u32;
        // Chars dropped after the range now have `n` fewer chars of text before them; those
        // inside it, `at`.
        for k in &mut self.dropped {
            if *k > at {
                *k = k.saturating_sub(n).max(at);
            }
        }
        let from = self.dropped.partition_point(|&k| k <= at);
        self.dropped
            .splice(from..from, std::iter::repeat_n(at, n as usize));
        self.text.replace_range(range, "");
        self.chars -= n as usize;
    }

    /// The folded text from byte `at` on (a char boundary), keeping the way back to the
    /// original.
    pub fn tail(&self, at: usize) -> Folded {
        let skip = self.text[..at].chars().count();
        let before = self.dropped.partition_point(|&k| k as usize <= skip);
        Folded {
            text: self.text[at..].to_string(),
            chars: self.chars - skip,
            base: self.origin(skip) as u32,
            dropped: self.dropped[before..]
                .iter()
                .map(|&k| k - skip as u32)
                .collect(),
        }
    }
}

/// Fold one character: full-width ASCII forms become half-width (（→(, ，→,, ：→:, ０→0), and every
/// kind of space (ideographic, no-break, thin, tab) becomes a plain space. Returns `None` for
/// characters that carry nothing for matching (zero-width spaces, BOM, soft hyphen).
pub fn fold_char(c: char) -> Option<char> {
    Some(match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}'
        | '\u{00A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\t' => ' ',
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => return None,
        '\u{FF61}' => '。',
        '\u{FF64}' => '、',
        '\u{FF62}' => '「',
        '\u{FF63}' => '」',
        _ => c,
    })
}

/// Where a run that starts at byte `from` of valid UTF-8 ends: a run of CJK ideographs (lead
/// bytes E4–E9, U+4000–U+9FFF) and ASCII bytes for which `stop` is false. Most of a report is
/// such runs, and what folds or collapses text keeps them as they are: they are copied whole,
/// without decoding each character.
pub(crate) fn plain_run_end(bytes: &[u8], from: usize, stop: impl Fn(u8) -> bool) -> usize {
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        match b {
            0xE4..=0xE9 => i += 3,
            _ if b.is_ascii() && !stop(b) => i += 1,
            _ => break,
        }
    }
    i
}

/// Fold a whole line (no line breaks inside).
pub fn fold(line: &str) -> Folded {
    let bytes = line.as_bytes();
    let mut text = String::with_capacity(line.len());
    let mut dropped = Vec::new();
    // The chars of `text[..counted]`, counted only when a char is dropped.
    let mut kept = 0u32;
    let mut counted = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Ideographs and ASCII other than a tab fold to themselves.
        let start = i;
        i = plain_run_end(bytes, i, |b| b == b'\t');
        if i > start {
            text.push_str(&line[start..i]);
            continue;
        }
        let c = line[i..].chars().next().expect("a character starts here");
        match fold_char(c) {
            Some(f) => text.push(f),
            None => {
                kept += text[counted..].chars().count() as u32;
                counted = text.len();
                dropped.push(kept);
            }
        }
        i += c.len_utf8();
    }
    Folded {
        chars: text.chars().count(),
        text,
        base: 0,
        dropped,
    }
}

static TO_SIMPLIFIED: LazyLock<Option<OpenCC>> =
    LazyLock::new(|| OpenCC::from_config(BuiltinConfig::T2s).ok());

/// A set of CJK unified ideographs (U+4E00–U+9FFF) as a bitmap: membership in a few
/// nanoseconds, where `str::contains(char)` scans the whole list for every character tested.
pub(crate) struct HanSet(Vec<u64>);

impl HanSet {
    pub(crate) fn new(chars: &str) -> HanSet {
        let mut bits = vec![0u64; (0x9FFF - 0x4E00) / 64 + 1];
        for i in chars.chars().filter_map(Self::index) {
            bits[i / 64] |= 1 << (i % 64);
        }
        HanSet(bits)
    }

    fn index(c: char) -> Option<usize> {
        (c as usize)
            .checked_sub(0x4E00)
            .filter(|&i| i <= 0x9FFF - 0x4E00)
    }

    pub(crate) fn contains(&self, c: char) -> bool {
        Self::index(c).is_some_and(|i| self.0[i / 64] & (1 << (i % 64)) != 0)
    }
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// `char::is_alphanumeric`, answered at once for the common CJK ideographs (all alphabetic)
/// instead of through the Unicode tables: most characters of a report are ideographs.
pub(crate) fn is_word_char(c: char) -> bool {
    is_cjk(c) || c.is_alphanumeric()
}

/// Characters that exist only in traditional script and are frequent in reports: any report in
/// traditional script has dozens of them. Few enough (16) for the fastest SIMD searcher.
const TRADITIONAL_HINTS: &str = "縣關於設報為國會發對與規辦黨領導";

/// Whether a text is written in traditional characters (some mirror sites convert pages): more
/// than 3% of its first 2,000 CJK characters change when converted to simplified.
pub fn looks_traditional(text: &str) -> bool {
    // A simplified report has none of the hints, so the dictionary conversion below runs only
    // on likely candidates. They are found as byte strings by one multi-literal search (SIMD),
    // about four times faster than decoding and testing every character (2.4 % of a batch).
    const SCANNED_CHARS: usize = 20_000;
    static HINTS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
        let hints: Vec<String> = TRADITIONAL_HINTS.chars().map(String::from).collect();
        // Leftmost-first, so that the packed SIMD searcher (Teddy) is used: with patterns of
        // one character each, the matches are the same as the standard semantics'.
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(hints)
            .expect("single characters build an automaton")
    });
    // The first SCANNED_CHARS characters lie within this many bytes (four at most a character).
    let scanned = &text.as_bytes()[..text.len().min(SCANNED_CHARS * 4)];
    let Some(third) = HINTS.find_iter(scanned).nth(2) else {
        return false;
    };
    if text[..third.start()].chars().count() >= SCANNED_CHARS {
        return false;
    }
    let Some(cc) = TO_SIMPLIFIED.as_ref() else {
        return false;
    };
    let sample: String = text.chars().filter(|&c| is_cjk(c)).take(2_000).collect();
    if sample.is_empty() {
        return false;
    }
    let changed = sample
        .chars()
        .zip(cc.convert(&sample).chars())
        .filter(|(a, b)| a != b)
        .count();
    changed * 100 > sample.chars().count() * 3
}

/// Convert folded text to simplified characters in place, keeping one character for one, so
/// the map back to the original stays valid. Phrase conversions that change the length fall
/// back to converting character by character.
pub fn simplify(folded: &mut Folded) {
    let Some(cc) = TO_SIMPLIFIED.as_ref() else {
        return;
    };
    let converted = cc.convert(&folded.text);
    if converted.chars().count() == folded.chars {
        folded.text = converted;
        return;
    }
    folded.text = folded
        .text
        .chars()
        .map(|c| {
            let one = cc.convert(c.encode_utf8(&mut [0; 4]));
            let mut it = one.chars();
            match (it.next(), it.next()) {
                (Some(s), None) => s,
                _ => c,
            }
        })
        .collect();
}

/// Split text into lines, accepting LF, CRLF and lone CR line ends.
pub fn lines(text: &str) -> Vec<&str> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        match memchr::memchr2(b'\n', b'\r', rest.as_bytes()) {
            Some(i) => {
                out.push(&rest[..i]);
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
            }
            None => {
                out.push(rest);
                rest = "";
            }
        }
    }
    out
}

/// Value of a Chinese numeral as used in headings (一 … 九十九), or of ASCII digits.
pub fn numeral_value(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse::<u32>() {
        return Some(n);
    }
    let digit = |c: char| "〇一二三四五六七八九".find(c).map(|i| (i / 3) as u32);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => digit(*a).filter(|&d| d > 0),
        ['十', b] => digit(*b).map(|d| 10 + d),
        [a, '十'] => digit(*a).map(|d| d * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

/// Value of a year written in Chinese digits (二〇二三, 二零二三).
pub fn chinese_year(s: &str) -> Option<i32> {
    let mut y = 0i32;
    let mut count = 0;
    for c in s.chars() {
        let d = match c {
            '〇' | '零' | '○' | 'Ｏ' | 'O' => 0,
            _ => "〇一二三四五六七八九".find(c).map(|i| (i / 3) as i32)?,
        };
        y = y * 10 + d;
        count += 1;
    }
    (count == 4).then_some(y)
}

/// For tests of a fast search that replaced a plain one: both must give the same on each of
/// `edge_cases` and on every line of the bundled samples (`samples/*.txt`), as written and
/// folded.
#[cfg(test)]
pub(crate) fn assert_same_as_before<T: PartialEq + std::fmt::Debug>(
    edge_cases: &[&str],
    fast: impl Fn(&str) -> T,
    before: impl Fn(&str) -> T,
) {
    for text in edge_cases {
        assert_eq!(fast(text), before(text), "{text}");
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("samples/ exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("samples are UTF-8");
        for line in text.lines() {
            let folded = fold(line).text;
            for t in [line, folded.as_str()] {
                assert_eq!(fast(t), before(t), "{}: {t}", path.display());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Folded {
        /// Every char's origin, and the end's: the table `Folded` once kept.
        fn origins(&self) -> Vec<u32> {
            (0..=self.text.chars().count())
                .map(|i| self.origin(i) as u32)
                .collect()
        }
    }

    /// Lines with dropped characters at the start, the end, in runs and between folded ones.
    const DROPPING: &[&str] = &[
        "\u{200b}法治",
        "法治\u{feff}",
        "\u{200b}\u{200c}法\u{ad}\u{ad}（治）\u{2060}",
        "a\u{200d}\tb\u{a0}\u{200b}",
        "\u{200b}",
    ];

    #[test]
    fn the_tail_of_a_folded_line_keeps_the_way_back() {
        for line in DROPPING.iter().chain(&["", "（一）２０２３年，ＸＸ件"]) {
            let f = fold(line);
            let all = f.origins();
            for (skip, (at, _)) in f
                .text
                .char_indices()
                .chain([(f.text.len(), ' ')])
                .enumerate()
            {
                let tail = f.tail(at);
                assert_eq!(tail.text, f.text[at..], "{line:?} from {at}");
                assert_eq!(tail.origins(), all[skip..], "{line:?} from {at}");
                assert_eq!(
                    tail.chars(),
                    tail.text.chars().count(),
                    "{line:?} from {at}"
                );
            }
        }
    }

    #[test]
    fn word_chars_are_the_alphanumeric_chars() {
        let samples = ('\u{0}'..='\u{FFFF}').chain('\u{20000}'..='\u{2A6DF}');
        for c in samples {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn folding_copies_runs_that_fold_to_themselves_and_gives_what_folding_each_character_gives() {
        let by_char = |line: &str| {
            let mut text = String::new();
            let mut origin = Vec::new();
            let mut n = 0u32;
            for c in line.chars() {
                if let Some(f) = fold_char(c) {
                    text.push(f);
                    origin.push(n);
                }
                n += 1;
            }
            origin.push(n);
            (text.chars().count(), text, origin)
        };
        assert_same_as_before(
            &[
                "",
                "\t法治（一）\u{3000}２０２３年，ＸＸ件\u{200b}·…\u{feff}",
                "a\tb\u{a0}c\u{ad}d\u{ff61}\u{ff64}𠀀丂龥",
                "ｈｔｔｐ：／／ｗｗｗ．ｇｏｖ．ｃｎ",
            ]
            .iter()
            .chain(DROPPING)
            .copied()
            .collect::<Vec<_>>(),
            |l| {
                let f = fold(l);
                let origin = f.origins();
                (f.chars(), f.text, origin)
            },
            by_char,
        );
    }

    #[test]
    fn folds_full_width_forms_and_spaces() {
        let f = fold("（一）２０２３年，加强统筹：\u{3000}一是");
        assert_eq!(f.text, "(一)2023年,加强统筹: 一是");
        assert_eq!(f.origins().len(), f.text.chars().count() + 1);
    }

    #[test]
    fn folding_is_idempotent() {
        let once = fold("ＡＢＣ　１２．５％，（２）\u{00A0}x").text;
        assert_eq!(fold(&once).text, once);
    }

    #[test]
    fn zero_width_characters_are_dropped_and_positions_kept() {
        let f = fold("法\u{200B}治");
        assert_eq!(f.text, "法治");
        assert_eq!(f.origins(), vec![0, 2, 3]);
    }

    #[test]
    fn a_removed_range_maps_back_around_itself_and_around_dropped_characters() {
        // Original chars: 甲0 ZWSP1 乙2 第3 2(4) 页5 丙6 ZWSP7 丁8.
        let mut f = fold("甲\u{200B}乙第2页丙\u{200B}丁");
        assert_eq!(f.text, "甲乙第2页丙丁");
        let at = f.text.find('第').unwrap();
        f.remove(at..at + "第2页".len());
        assert_eq!(f.text, "甲乙丙丁");
        assert_eq!(f.chars(), 4);
        assert_eq!(f.origins(), vec![0, 2, 6, 8, 9]);
        // Removing a range that holds a character folding dropped.
        let mut f = fold("甲乙\u{200B}丙丁");
        f.remove("甲".len().."甲乙丙".len());
        assert_eq!(f.text, "甲丁");
        assert_eq!(f.origins(), vec![0, 4, 5]);
    }

    #[test]
    fn splits_every_line_ending() {
        assert_eq!(lines("a\r\nb\rc\nd"), vec!["a", "b", "c", "d"]);
        assert_eq!(lines("\u{FEFF}a\n\nb\n"), vec!["a", "", "b"]);
    }

    #[test]
    fn traditional_hints_count_in_the_first_20000_characters_only() {
        let traditional = "縣人民政府關於法治政府建設情況的報告";
        // Two-byte characters before it: the limit is in characters, not bytes.
        let before = |n: usize| "é".repeat(n) + traditional;
        assert!(looks_traditional(&before(19_990)));
        assert!(!looks_traditional(&before(20_000)));
        // Two hints are not enough, however traditional the rest.
        assert!(!looks_traditional("縣關法治政府建设"));
    }

    #[test]
    fn traditional_text_is_matched_as_simplified_and_keeps_its_map() {
        let text = "縣人民政府關於2022年度法治政府建設情況的報告。存在的問題和不足";
        assert!(looks_traditional(text));
        assert!(!looks_traditional(
            "县人民政府关于2022年度法治政府建设情况的报告。显著成效"
        ));
        let mut f = fold(text);
        let n = f.text.chars().count();
        simplify(&mut f);
        assert_eq!(
            f.text,
            "县人民政府关于2022年度法治政府建设情况的报告。存在的问题和不足"
        );
        assert_eq!(f.text.chars().count(), n);
        assert_eq!(f.chars(), n);
    }

    #[test]
    fn reads_heading_numerals() {
        assert_eq!(numeral_value("一"), Some(1));
        assert_eq!(numeral_value("十"), Some(10));
        assert_eq!(numeral_value("十二"), Some(12));
        assert_eq!(numeral_value("二十"), Some(20));
        assert_eq!(numeral_value("二十三"), Some(23));
        assert_eq!(numeral_value("12"), Some(12));
        assert_eq!(numeral_value("是"), None);
    }

    #[test]
    fn reads_chinese_years() {
        assert_eq!(chinese_year("二〇二三"), Some(2023));
        assert_eq!(chinese_year("二零二一"), Some(2021));
        assert_eq!(chinese_year("二〇二"), None);
    }
}
