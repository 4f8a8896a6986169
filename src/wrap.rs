//! Paragraphs from lines wrapped at a fixed width: a PDF's text layer (one visual line per line,
//! see `load::pdf`) and text files copied out of a PDF or a page viewer. A line continues the
//! paragraph above when that line is full (about as wide as most lines of the page) and the
//! next does not start a new paragraph (an indented first line, a heading marker), with the
//! exceptions official documents need (a full line that ends a sentence, a heading that fills
//! its line). Widths are in half-width units, as a Chinese font sets them.

/// First-line indent of a paragraph in official documents, in half-width units (2 characters).
pub(crate) const INDENT: usize = 4;

/// A visual line and the full-line width of its page.
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) typical: usize,
}

/// Display width in half-width units: ASCII (and half-width katakana) count 1, everything else
/// 2, as in Chinese fonts, where even ×, ·, “” and Greek letters are full-width.
pub(crate) fn char_width(c: char) -> usize {
    let u = c as u32;
    if u < 0x80 || (0xFF61..=0xFF9F).contains(&u) {
        1
    } else {
        2
    }
}

pub(crate) fn width(line: &str) -> usize {
    line.chars().map(char_width).sum()
}

/// The width of a full line: the top of the cluster of widths that carries the most text, so
/// that one over-long line (a table row, a URL) or many short lines (headings, web chrome) do
/// not set it. 0 when no three lines make a cluster: then no line counts as full.
pub(crate) fn typical_width(widths: &[usize]) -> usize {
    let mut sorted = widths.to_vec();
    sorted.sort_unstable();
    let mut prefix = Vec::with_capacity(sorted.len() + 1);
    prefix.push(0usize);
    for w in &sorted {
        prefix.push(prefix.last().copied().unwrap_or(0) + w);
    }
    let mut best = (0, 0);
    for (i, &w) in sorted.iter().enumerate() {
        if sorted.get(i + 1) == Some(&w) {
            continue; // the last of equal widths stands for them all
        }
        let low = w.saturating_sub(slack(w));
        let first = sorted.partition_point(|&x| x < low);
        let (count, score) = (i + 1 - first, prefix[i + 1] - prefix[first]);
        if count >= 3 && score >= best.1 {
            best = (w, score);
        }
    }
    best.0
}

/// How much shorter than the typical width a line may be and still count as full: the first-line
/// indent, a character or two pushed down by line-breaking rules (避头尾) and half-width digits.
pub(crate) fn slack(typical: usize) -> usize {
    (typical * 12 / 100).max(6)
}

/// Whether `next` continues the paragraph whose last visual line is `prev`; `prev_single` says
/// `prev` is the paragraph's first line, which is indented in official documents, and `after`
/// is the line after `next` when there is one.
pub(crate) fn continues(prev: &Line, prev_single: bool, next: &Line, after: Option<&Line>) -> bool {
    if prev.typical == 0 || next.typical == 0 {
        // Too few lines to know how wide a full line is.
        return false;
    }
    let prev_width = width(&prev.text);
    let next_width = width(&next.text);
    // Full: nearly the typical width, or, for an indented first line, too full for the next
    // line's first word (or character with its trailing punctuation) to have fitted.
    let full = prev_width + slack(prev.typical) >= prev.typical
        || (prev_single
            && prev_width + first_token_width(&next.text) > prev.typical.saturating_sub(INDENT));
    if !full {
        return false;
    }
    // A new paragraph's first line is indented, so it is narrower than a full line.
    let indented = next_width + INDENT <= next.typical;
    // Whether the next line had room for the word that starts the line after it, so that it
    // ends a paragraph (or is a first line whose paragraph goes on, then the line after it is
    // full width).
    let next_unexplained = after.is_none_or(|a| {
        starts_with_marker(&a.text) || next_width + first_token_width(&a.text) <= next.typical
    });
    if ends_sentence(&prev.text) {
        // A full line that ends a sentence may still be inside a paragraph: when the next line
        // is wider than an indented first line could be, or when it is the paragraph's last
        // line: it ends a sentence and it had room for more.
        let tail = ends_sentence(&next.text) && next_unexplained;
        return !starts_with_marker(&next.text) && (!indented || tail);
    }
    if ends_open(&prev.text) {
        return true;
    }
    // Mid-sentence. A line as wide as an indented full line that does not end a sentence is a
    // new paragraph's first line (after a title or heading that filled its line), unless the
    // lines around explain it as a continuation: the previous line was cut short because this
    // line's first word did not fit, or this one because the next line's did; and the
    // paragraph that such a first line starts goes on at full width.
    let prev_unexplained = prev_width + first_token_width(&next.text) <= prev.typical;
    let after_full = after.is_some_and(|a| width(&a.text) + INDENT > a.typical);
    if indented
        && next_width + INDENT + 3 >= next.typical
        && !ends_sentence(&next.text)
        && next_unexplained
        && prev_unexplained
        && after_full
    {
        return false;
    }
    if starts_with_marker(&next.text) {
        // A continuation runs the full width; a new paragraph of more than one line starts
        // with an indented full line. (A short line that starts with a marker may be the end
        // of a wrapped sentence: 包括 / 1.健全制度；2.强化监督。)
        if indented && next_width + INDENT + 3 >= next.typical {
            return false;
        }
        // A full heading line followed by a subheading: 三、……情况 / （一）……
        if prev_single && starts_with_marker(&prev.text) {
            return false;
        }
    }
    true
}

/// Width of what a typesetter could not have split off the start of a line: opening brackets
/// with what follows them, an ASCII word (or a character), and the punctuation that may not
/// begin a line after it.
pub(crate) fn first_token_width(line: &str) -> usize {
    let mut chars = line.chars().peekable();
    let mut w = 0;
    while let Some(&c) = chars.peek() {
        if !"（《“‘「『【〔([{".contains(c) {
            break;
        }
        w += char_width(c);
        chars.next();
    }
    let Some(first) = chars.next() else { return w };
    w += char_width(first);
    if first.is_ascii_graphic() {
        while let Some(&c) = chars.peek() {
            if !c.is_ascii_graphic() {
                break;
            }
            w += 1;
            chars.next();
        }
    }
    while let Some(&c) = chars.peek() {
        if !"，。、；：！？）》”’」』】〕,.;:!?)]}%".contains(c) {
            break;
        }
        w += char_width(c);
        chars.next();
    }
    w
}

/// Ends with 。！？：；!?:; (or a period after a non-digit), possibly followed by closing quotes
/// or brackets.
pub(crate) fn ends_sentence(line: &str) -> bool {
    let t = line.trim_end_matches(['”', '’', '」', '』', '"', '\'', '）', ')', '】', '》', '〕']);
    let mut rev = t.chars().rev();
    match rev.next() {
        Some('。' | '！' | '？' | '：' | '；' | '!' | '?' | ':' | ';' | '…') => true,
        Some('.') => rev.next().is_some_and(|c| !c.is_ascii_digit()),
        _ => false,
    }
}

/// Ends in the middle of a clause: a comma, an enumeration comma or an opening bracket.
pub(crate) fn ends_open(line: &str) -> bool {
    line.chars()
        .last()
        .is_some_and(|c| "，、,（(《“‘「『【".contains(c))
}

/// Starts with a heading marker: 第一部分 第一章 一、 （一） (一) 1. 1． 1、 （1） (1) ①.
pub(crate) fn starts_with_marker(line: &str) -> bool {
    let chars: Vec<char> = line.chars().take(8).collect();
    let is_cn = |c: char| "一二三四五六七八九十".contains(c);
    let cn = chars.iter().take_while(|&&c| is_cn(c)).count();
    if (1..=3).contains(&cn) && chars.get(cn) == Some(&'、') {
        return true;
    }
    if chars.first() == Some(&'第') {
        let cn = chars[1..].iter().take_while(|&&c| is_cn(c)).count();
        let rest: String = chars[1 + cn..].iter().take(2).collect();
        return (1..=3).contains(&cn) && (rest == "部分" || rest.starts_with('章'));
    }
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=2).contains(&digits) {
        return match chars.get(digits) {
            Some('、') => true,
            Some('.' | '．') => !chars.get(digits + 1).is_some_and(|c| c.is_ascii_digit()),
            _ => false,
        };
    }
    if let Some('（' | '(') = chars.first() {
        let inner = chars[1..]
            .iter()
            .take_while(|&&c| is_cn(c) || c.is_ascii_digit())
            .count();
        return (1..=3).contains(&inner) && matches!(chars.get(1 + inner), Some('）' | ')'));
    }
    chars
        .first()
        .is_some_and(|&c| ('\u{2460}'..='\u{2473}').contains(&c))
}

/// Join a wrapped line to its paragraph: CJK without a space, Latin words with one.
pub(crate) fn join(text: &mut String, next: &str) {
    let mut rev = text.chars().rev();
    let last = rev.next();
    let before = rev.next();
    let first = next.chars().next();
    let latin = |c: char| c.is_ascii_alphanumeric() || ('\u{00C0}'..='\u{024F}').contains(&c);
    let space = match (last, first) {
        (Some(l), Some(r)) if l.is_ascii_digit() && r.is_ascii_digit() => false,
        (Some(l), Some(r)) if latin(r) || r == '(' => {
            latin(l) || (",.;:!?)%".contains(l) && before.is_some_and(latin))
        }
        _ => false,
    };
    if space {
        text.push(' ');
    }
    text.push_str(next);
}

/// `- 3 -`, `— 3 —`, `3`, `第3页`, `第3页 共10页`, `3/10`, `Page 3 of 10`.
pub(crate) fn is_page_number(line: &str) -> bool {
    let t: String = line
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '／' => '/',
            _ => c,
        })
        .collect();
    let t = t.trim_matches(|c| matches!(c, '-' | '—' | '–' | '－' | '~' | '～' | '·' | '•' | '_'));
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    if digits(t) {
        return true;
    }
    if let Some((a, b)) = t.split_once('/') {
        return digits(a) && digits(b);
    }
    let lower = t.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("page") {
        let (a, b) = rest.split_once("of").unwrap_or((rest, "1"));
        return digits(a) && digits(b);
    }
    if let Some(rest) = t.strip_prefix('第')
        && let Some((n, rest)) = rest.split_once('页')
    {
        let rest = rest.trim_start_matches([',', '，', '/', '、']);
        let total_ok = rest.is_empty()
            || rest
                .strip_prefix('共')
                .and_then(|r| r.strip_suffix('页'))
                .is_some_and(digits);
        return digits(n) && total_ok;
    }
    false
}

/// Fewest non-blank lines for a text to be read as wrapped: a few short lines say nothing.
const MIN_WRAPPED_LINES: usize = 8;
/// Widest full line of a wrapped text, in half-width units (80 CJK characters): a page or a
/// viewer's column is narrower; a file with a paragraph per line has longer ones.
const MAX_WRAP_WIDTH: usize = 160;
/// Narrowest full line of a wrapped text (15 CJK characters): narrower lines of one width are
/// a list or a table's rows, not a column of text.
const MIN_WRAP_WIDTH: usize = 30;

/// Starts with a page's label (`发布时间：`, `来源：`): a copied web page's metadata line, which
/// starts a line of its own even after a full one (a title that filled its line).
fn starts_with_label(line: &str) -> bool {
    crate::load::PUBLICATION_LABELS
        .iter()
        .chain(&["来源", "索引号", "发布机构", "文号"])
        .any(|label| {
            line.strip_prefix(label)
                .is_some_and(|rest| rest.starts_with(['：', ':']))
        })
}

/// What page breaks leave in a text copied out of a PDF, which is no text of the report:
/// page-number lines (`- 3 -`, [`is_page_number`]) and a running header or footer, the same
/// line at two page breaks or more. A line is at a page break when it holds a form feed (as
/// `pdftotext` starts a page) or only blank lines part it from a page-number line or a form
/// feed.
pub(crate) fn page_furniture(lines: &[&str]) -> Vec<bool> {
    // The first line of a walk that holds text or a form feed.
    fn stop(
        mut walk: impl Iterator<Item = usize>,
        trimmed: &[&str],
        lines: &[&str],
    ) -> Option<usize> {
        walk.find(|&j| !trimmed[j].is_empty() || lines[j].contains('\u{c}'))
    }
    let trimmed: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
    let feed = |i: usize| lines[i].contains('\u{c}');
    let mut furniture: Vec<bool> = trimmed
        .iter()
        .map(|l| !l.is_empty() && is_page_number(l))
        .collect();
    let breaks = |stop: Option<usize>| stop.is_some_and(|j| feed(j) || furniture[j]);
    let mut at_breaks: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut candidates = Vec::new();
    for (i, l) in trimmed.iter().enumerate() {
        if l.is_empty() || furniture[i] {
            continue;
        }
        if feed(i)
            || breaks(stop((0..i).rev(), &trimmed, lines))
            || breaks(stop(i + 1..lines.len(), &trimmed, lines))
        {
            *at_breaks.entry(l).or_default() += 1;
            candidates.push(i);
        }
    }
    for i in candidates {
        if at_breaks[trimmed[i]] >= 2 {
            furniture[i] = true;
        }
    }
    furniture
}

/// Which lines a page break takes: its page numbers and running headers (`furniture`) and the
/// blank lines around them or around a form feed. Nothing of it is text, and it does not end a
/// paragraph: a PDF's text runs on across its pages.
fn page_breaks(lines: &[&str], furniture: &[bool]) -> Vec<bool> {
    let mut gone = furniture.to_vec();
    let mut start = 0;
    while start < lines.len() {
        // A run of blank lines and furniture, up to the next line of text.
        let end = (start..lines.len())
            .find(|&j| !furniture[j] && !lines[j].trim().is_empty())
            .unwrap_or(lines.len());
        if (start..end).any(|j| furniture[j] || lines[j].contains('\u{c}')) {
            gone[start..end].fill(true);
        }
        start = end + 1;
    }
    gone
}

/// Width of a line's leading blanks, in half-width units: an ideographic space (　) 2, a tab
/// [`INDENT`], any other space 1; a form feed (a page break) nothing.
fn lead_width(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| match c {
            '\u{3000}' => 2,
            '\t' => INDENT,
            '\u{b}' | '\u{c}' => 0,
            _ => 1,
        })
        .sum()
}

/// Which lines open with a paragraph's indent typed into the text (`　　`, spaces): at least one
/// character (2 half-width units) more leading blank than most lines have, so that a margin
/// every line carries is no indent. A file copied from a PDF keeps the indent of a paragraph's
/// first line, and nothing tells a new paragraph better: widths only guess it, and a first line
/// with a character squeezed in (避头尾) or a full-width heading above it defeats the guess.
fn typed_indents(lines: &[&str], counted: impl Fn(usize) -> bool) -> Vec<bool> {
    let leads: Vec<usize> = lines.iter().map(|l| lead_width(l)).collect();
    let mut seen: Vec<(usize, usize)> = Vec::new();
    for (_, &lead) in leads.iter().enumerate().filter(|&(i, _)| counted(i)) {
        match seen.iter_mut().find(|(w, _)| *w == lead) {
            Some((_, n)) => *n += 1,
            None => seen.push((lead, 1)),
        }
    }
    // The margin: the most common lead (the narrowest of equally common ones).
    let margin = seen
        .iter()
        .max_by_key(|&&(w, n)| (n, std::cmp::Reverse(w)))
        .map_or(0, |&(w, _)| w);
    leads.iter().map(|&lead| lead >= margin + 2).collect()
}

/// Whether lines of these widths look set at a fixed width `typical`: at least two in five are
/// full, and at most one in ten is wider (a table row, a URL). A file with a paragraph per line
/// has many lines far wider than its most common width.
fn looks_set(widths: &[usize], typical: usize) -> bool {
    let full = widths
        .iter()
        .filter(|&&w| w + slack(typical) >= typical)
        .count();
    let over = widths
        .iter()
        .filter(|&&w| w > typical + slack(typical))
        .count();
    full * 5 >= widths.len() * 2 && over * 10 <= widths.len()
}

/// A text file's lines as paragraphs, when the file was wrapped at a fixed width: for each
/// paragraph, the index of its first line and its text, lines joined. `None` when the lines do
/// not look wrapped (nearly every file, which has a paragraph per line): fewer than
/// [`MIN_WRAPPED_LINES`] non-blank lines, widths that do not look set ([`looks_set`]), or
/// most full lines ending a sentence. The first test is on byte lengths, so that an ordinary
/// file costs one pass over its line lengths. A blank line ends a paragraph, and so does a line
/// with a typed indent ([`typed_indents`]); page-number lines (`- 3 -`, `第3页`) and running
/// headers ([`page_furniture`]) are left out, of the test too, and a paragraph runs on across
/// them and the blank lines around them ([`page_breaks`]).
pub(crate) fn unwrap_lines(lines: &[&str]) -> Option<Vec<(usize, String)>> {
    // A line of more than this many bytes is wider than any full line of a wrapped text (a
    // character is at most twice as wide as it has bytes). One in ten of them, as a paragraph
    // per line gives, and the text is not wrapped: most files stop here, with nothing built
    // and no line read but its two ends. (A table's long rows count here too.)
    const OVER_BYTES: usize = 2 * (MAX_WRAP_WIDTH + MAX_WRAP_WIDTH * 12 / 100);
    let (mut count, mut over) = (0, 0);
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        count += 1;
        over += usize::from(line.len() > OVER_BYTES);
    }
    if count < MIN_WRAPPED_LINES || over * 10 > count {
        return None;
    }
    // A table's rows (cells joined by tabs) are lines of their own, whatever their width. Page
    // numbers and running headers are not the text's lines: short, many of them (one or two a
    // page) would make a wrapped text look unset.
    let furniture = page_furniture(lines);
    let filled: Vec<(usize, &str)> = lines
        .iter()
        .map(|l| l.trim())
        .enumerate()
        .filter(|&(i, l)| !l.is_empty() && !l.contains('\t') && !furniture[i])
        .collect();
    if filled.len() < MIN_WRAPPED_LINES {
        return None;
    }
    // Most lines of a wrapped text are full; bytes tell that well enough to rule most files out.
    let bytes: Vec<usize> = filled.iter().map(|(_, l)| l.len()).collect();
    let typical_bytes = typical_width(&bytes);
    if typical_bytes == 0 || !looks_set(&bytes, typical_bytes) {
        return None;
    }
    let widths: Vec<usize> = filled.iter().map(|(_, l)| width(l)).collect();
    let typical = typical_width(&widths);
    if !(MIN_WRAP_WIDTH..=MAX_WRAP_WIDTH).contains(&typical) || !looks_set(&widths, typical) {
        return None;
    }
    let full: Vec<&str> = filled
        .iter()
        .zip(&widths)
        .filter(|(_, w)| *w + slack(typical) >= typical)
        .map(|((_, l), _)| *l)
        .collect();
    let mid_sentence = full.iter().filter(|l| !ends_sentence(l)).count();
    if mid_sentence * 2 <= full.len() {
        return None;
    }
    // The lines in order, `None` for a blank one; page breaks left out, so that a paragraph
    // runs on across them, as in a PDF.
    let gone = page_breaks(lines, &furniture);
    let items: Vec<(usize, Option<Line>)> = lines
        .iter()
        .map(|l| l.trim())
        .enumerate()
        .filter(|&(i, _)| !gone[i])
        .map(|(i, l)| {
            let line = (!l.is_empty()).then(|| Line {
                text: l.to_string(),
                typical,
            });
            (i, line)
        })
        .collect();
    let indented = typed_indents(lines, |i| !lines[i].trim().is_empty() && !furniture[i]);
    // A table's rows and a page's metadata lines stay lines of their own; a line with a typed
    // indent starts a paragraph, whatever the line above (a heading that fills its line).
    Some(paragraphs(&items, |(_, prev), (i, next)| {
        prev.text.contains('\t')
            || next.text.contains('\t')
            || starts_with_label(&next.text)
            || indented[i]
    }))
}

/// Lines to paragraphs: each run of lines where one [`continues`] the one before, ended by a
/// blank (`None`) or where `apart(previous, next)` says two lines cannot be one paragraph. Each
/// paragraph comes with the key of its first line (its page, its line number).
pub(crate) fn paragraphs<K: Copy>(
    items: &[(K, Option<Line>)],
    apart: impl Fn((K, &Line), (K, &Line)) -> bool,
) -> Vec<(K, String)> {
    let mut out = Vec::new();
    // The paragraph being built: its first line's key, its text, and the position in `items`
    // of its last line and whether that line is its first.
    let mut open: Option<(K, String, usize, bool)> = None;
    for (k, (key, item)) in items.iter().enumerate() {
        let Some(next) = item else {
            out.extend(open.take().map(|(first, text, ..)| (first, text)));
            continue;
        };
        if let Some((_, text, last, single)) = open.as_mut()
            && let (prev_key, Some(prev)) = (items[*last].0, &items[*last].1)
            && !apart((prev_key, prev), (*key, next))
            && continues(
                prev,
                *single,
                next,
                items.get(k + 1).and_then(|(_, l)| l.as_ref()),
            )
        {
            join(text, &next.text);
            *last = k;
            *single = false;
            continue;
        }
        out.extend(open.take().map(|(first, text, ..)| (first, text)));
        open = Some((*key, next.text.clone(), k, true));
    }
    out.extend(open.take().map(|(first, text, ..)| (first, text)));
    out
}

/// A text wrapped at 28 characters a line whose second heading fills its line and ends no
/// sentence, with a typed indent under it (tests here and in `report`).
#[cfg(test)]
pub(crate) const UNDER_A_FULL_HEADING: [&str; 10] = [
    "青石县市场监管局法治政府建设情况报告",
    "一、主要举措和成效",
    "　　县市场监管局坚持依法行政，全年审查行政规范性文件十二",
    "件，办理行政复议案件九件，纠正错误行政行为两件，开展执法",
    "案卷评查三轮，评查案卷一百零六卷，组织执法人员培训四期，",
    "培训执法人员两百余人次。",
    "二、党政主要负责人履行推进法治建设第一责任人职责情况",
    "　　局党组书记、局长认真履行推进法治建设第一责任人的职责，",
    "主持召开专题会议研究法治建设工作五次，带头旁听庭审一次，在年",
    "终述职中同步述法，接受干部职工监督。",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Paragraphs of a report body, set `per_line` CJK characters a line (the first line of each
    /// two shorter, for its indent), with a page-number line after every `page` lines.
    fn set(paragraphs: &[&str], per_line: usize, page: usize) -> Vec<String> {
        let mut lines = Vec::new();
        let mut on_page = 0;
        for p in paragraphs {
            let chars: Vec<char> = p.chars().collect();
            let (mut start, mut room) = (0, per_line - 2);
            while start < chars.len() {
                let end = (start + room).min(chars.len());
                lines.push(chars[start..end].iter().collect());
                start = end;
                room = per_line;
                on_page += 1;
                if on_page == page {
                    lines.push(format!("- {} -", lines.len() / page));
                    on_page = 0;
                }
            }
        }
        lines
    }

    const BODY: [&str; 4] = [
        "一、主要举措和成效",
        "青石县坚持把法治政府建设摆在全局工作的突出位置，县政府常务会议专题研究法治政府建设工作四次，审查行政规范性文件十七件，办理行政复议案件三十二件，行政机关负责人出庭应诉率达到百分之百，全年开展各类普法活动八十余场。",
        "二、存在的不足和原因",
        "一是基层行政执法队伍力量仍显薄弱，部分乡镇执法人员身兼数职，执法规范化水平有待提高；二是少数领导干部运用法治思维和法治方式解决问题的能力不足，究其原因，主要是学法用法的制度落实还不够到位。",
    ];

    #[test]
    fn wrapped_lines_come_back_as_their_paragraphs_numbered_by_their_first_line() {
        for (per_line, page) in [(20, 1000), (28, 5), (38, 3)] {
            let lines = set(&BODY, per_line, page);
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            let got = unwrap_lines(&lines).expect("the lines look wrapped");
            let texts: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
            assert_eq!(texts, BODY, "{per_line} a line, pages of {page}");
            for (first, text) in &got {
                assert!(text.starts_with(lines[*first]), "{first}: {text}");
            }
        }
        // A table in a wrapped text: each row stays a line of its own.
        let mut lines = set(&BODY, 20, 1000);
        let rows = [
            "2023年第一季度\t行政复议案件受理数量\t三十二件",
            "2023年第二季度\t行政复议案件受理数量\t二十七件",
            "2023年第三季度\t行政复议案件受理数量\t四十一件",
        ];
        lines.extend(rows.map(String::from));
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let got = unwrap_lines(&lines).expect("the lines look wrapped");
        let texts: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, [&BODY[..], &rows[..]].concat());
    }

    /// A report of short paragraphs under many headings: few lines are full.
    const SHORT: [&str; 9] = [
        "一、主要举措和成效",
        "（一）健全依法决策机制",
        "严格执行重大行政决策程序规定，全年集体研究重大事项十五项，全部经过法律顾问合法性审核，审核各类合同四十二份。",
        "（二）规范行政执法",
        "组建综合执法队伍，持证执法人员达到三十六人，全年开展专项检查九轮，检查经营主体三百余家次，查处违法行为二十起。",
        "二、存在的不足和原因",
        "一是执法人员多为兼职，执法文书不够规范；二是普法形式较为单一。究其原因，是专职法制人员仅有两名，指导督促力度不够。",
        "三、第一责任人履职情况",
        "局长主持召开专题会议研究法治建设工作四次，带头旁听庭审一次，在年终述职中同步述法，接受干部职工监督。",
    ];

    /// `lines` with `brk(n)` after every `every` of them: what the `n`th page break leaves.
    fn paged(lines: &[String], every: usize, brk: impl Fn(usize) -> Vec<String>) -> Vec<String> {
        let mut out = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            out.push(line.clone());
            if (i + 1) % every == 0 {
                out.extend(brk((i + 1) / every));
            }
        }
        out
    }

    #[test]
    fn page_numbers_and_running_headers_do_not_make_a_wrapped_text_look_unset() {
        // Two lines a page that are not the text's would outnumber its full lines.
        let header = "青石县法治政府建设年度报告";
        let mut lines = vec![header.to_string()];
        lines.extend(paged(&set(&SHORT, 24, 1000), 5, |n| {
            vec![format!("- {n} -"), header.to_string()]
        }));
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let got = unwrap_lines(&lines).expect("the lines look wrapped");
        let texts: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
        // The title at the top is no running header, though the header repeats it.
        assert_eq!(texts, [&[header][..], &SHORT[..]].concat());
    }

    #[test]
    fn a_paragraph_runs_on_across_a_page_break_and_the_blank_lines_around_it() {
        // As pdftotext sets a page break: the footer, a form feed, the next page's header.
        let header = "青石县法治政府建设年度报告";
        for every in [3, 4, 5] {
            let lines = paged(&set(&SHORT, 24, 1000), every, |n| {
                vec![
                    String::new(),
                    format!("— {n} —"),
                    format!("\u{c}{header}"),
                    String::new(),
                ]
            });
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            let got = unwrap_lines(&lines).expect("the lines look wrapped");
            let texts: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
            assert_eq!(texts, SHORT, "a page break every {every} lines");
        }
        // A blank line that is no page break still ends a paragraph, even after a full line.
        let mut lines = set(&SHORT, 24, 1000);
        lines.insert(3, String::new());
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let got = unwrap_lines(&lines).expect("the lines look wrapped");
        assert_eq!(got.len(), SHORT.len() + 1);
    }

    #[test]
    fn a_file_with_a_paragraph_per_line_is_left_as_it_is() {
        // The body's paragraphs as written, and the same under lines of site chrome that are
        // nearly as long as each other (they once made the lines look set).
        let mut chrome: Vec<&str> = vec![
            "首页 > 政务公开 > 法治政府建设 > 年度报告 > 2023年",
            "索引号：11330000MB0000000X/2024-00012 发布机构：县司法局",
            "生成日期：2024-03-15 文号：无 主题分类：政务公开",
            "来源：县司法局 浏览次数：1024 字体：大 中 小 打印",
        ];
        chrome.extend(BODY);
        chrome.extend(BODY);
        // A table's rows, all about as wide, below the paragraphs; a list of short items.
        let rows: Vec<String> = (1..=80)
            .map(|i| {
                format!(
                    "2023年{}月\t行政复议案件受理\t已依法办结\t县司法局",
                    i % 12 + 1
                )
            })
            .collect();
        let mut table: Vec<&str> = BODY.to_vec();
        table.extend(rows.iter().map(String::as_str));
        let items: Vec<String> = (1..=20)
            .map(|i| format!("第{i:02}项重点工作任务"))
            .collect();
        let list: Vec<&str> = items.iter().map(String::as_str).collect();
        for lines in [&BODY[..], &chrome[..], &table[..], &list[..]] {
            assert_eq!(unwrap_lines(lines), None, "{lines:?}");
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["samples", "tests/fixtures/signals"] {
            for entry in std::fs::read_dir(root.join(dir)).expect("the directory") {
                let path = entry.expect("an entry").path();
                if path.extension().is_some_and(|e| e == "txt") {
                    let text = std::fs::read_to_string(&path).expect("UTF-8 text");
                    let lines: Vec<&str> = text.lines().collect();
                    assert_eq!(unwrap_lines(&lines), None, "{}", path.display());
                }
            }
        }
    }

    #[test]
    fn lines_of_one_length_among_longer_ones_or_each_ending_a_sentence_are_not_wrapped() {
        let han = |n: usize, end: &str| -> String {
            let mut s: String = "法治政府建设工作规范".chars().cycle().take(n).collect();
            s.push_str(end);
            s
        };
        // Six lines of one length among paragraphs wider than any full line would be.
        let mut mixed: Vec<String> = (0..6).map(|_| han(50, "")).collect();
        mixed.extend([90, 100, 108, 115].map(|n| han(n, "。")));
        // A list whose items happen to be as long as each other, each a sentence.
        let list: Vec<String> = (0..10).map(|_| han(29, "。")).collect();
        for lines in [&mixed, &list] {
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            assert_eq!(unwrap_lines(&lines), None);
        }
    }

    #[test]
    fn a_line_with_a_typed_indent_starts_a_paragraph_even_after_a_full_heading() {
        // 28 characters a line. The heading fills its line and ends no sentence; the first line
        // under it, a comma squeezed in at its end, is too wide to look indented: only the typed
        // indent tells it starts a paragraph.
        let lines = UNDER_A_FULL_HEADING;
        let got = unwrap_lines(&lines).expect("the lines look wrapped");
        let firsts: Vec<usize> = got.iter().map(|(i, _)| *i).collect();
        assert_eq!(firsts, [0, 1, 2, 6, 7]);
        assert_eq!(got[3].1, lines[6]);
        assert!(got[4].1.ends_with("接受干部职工监督。"), "{}", got[4].1);
    }

    #[test]
    fn a_margin_on_every_line_is_no_indent() {
        for margin in ["　　", "  ", "\t"] {
            let lines: Vec<String> = set(&BODY, 20, 1000)
                .iter()
                .map(|l| format!("{margin}{l}"))
                .collect();
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            let got = unwrap_lines(&lines).expect("the lines look wrapped");
            let texts: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
            assert_eq!(texts, BODY, "margin {margin:?}");
        }
    }

    #[test]
    fn a_metadata_line_after_a_full_title_starts_a_line_of_its_own() {
        let title = "青石县人民政府关于2023年度法治政府建设工作情况的报告";
        let per_line = width(title) / 2;
        let mut lines = vec![
            title.to_string(),
            "发布时间：2024-03-15 来源：县司法局".into(),
        ];
        lines.extend(set(&BODY, per_line, 1000));
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let got = unwrap_lines(&lines).expect("the lines look wrapped");
        assert_eq!(got[0], (0, title.to_string()));
        assert_eq!(got[1].0, 1);
    }
}
