//! PDF reader: the text layer, page by page, in reading order, with paragraphs put back together.
//!
//! The text comes from poppler's `pdftotext` run as an external program (Debian/Ubuntu packages
//! `poppler-utils` and `poppler-data`; without poppler-data the non-embedded Chinese CID fonts that
//! most government PDFs use, such as `STSong-Light` with `UniGB-UCS2-H`, come out wrong). Rust
//! PDF crates either panic on those fonts or are very heavy; see /work/shared/crates.md.
//!
//! `pdftotext` prints one line per visual line, so a paragraph wrapped over three lines comes out
//! as three lines and sentence-level matching would break. [`rebuild`] joins the wrapped lines
//! again, using the line widths, sentence-final punctuation, heading markers and the first-line
//! indent of official documents (每个自然段左空二字), and drops page-number headers and footers.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// At most this many pages are read (`pdftotext -l`).
pub const MAX_PAGES: u32 = 500;
/// `pdftotext` is killed after this long, so a hostile PDF cannot hang a batch.
pub const TIMEOUT: Duration = Duration::from_secs(60);
/// At most this much text is read from `pdftotext`.
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;
/// Fewer non-space characters than this over all pages means there is no usable text layer.
const MIN_TEXT_CHARS: usize = 20;
/// How often the child is polled while it runs.
const POLL: Duration = Duration::from_millis(5);

pub const NOT_INSTALLED: &str = "PDF support needs poppler's pdftotext: install it with `apt-get install poppler-utils poppler-data` (Debian/Ubuntu)";
pub const ENCRYPTED: &str = "encrypted PDF: remove the password and save again";
pub const NO_TEXT_LAYER: &str = "the PDF has no text layer (a scanned document?): it needs OCR before it can be audited";

/// The text of each page, paragraphs reconstructed: one paragraph per line, and a paragraph that
/// runs on across a page break belongs to the page where it starts.
pub fn extract(bytes: &[u8]) -> Result<Vec<String>, String> {
    let raw = run_pdftotext(bytes)?;
    let mut pages: Vec<&str> = raw.split('\x0c').collect();
    // pdftotext ends every page with a form feed, so the last piece is empty.
    if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    let pages = rebuild(&pages);
    let chars: usize = pages.iter().map(|p| p.chars().filter(|c| !c.is_whitespace()).count()).sum();
    if chars < MIN_TEXT_CHARS {
        return Err(NO_TEXT_LAYER.into());
    }
    Ok(pages)
}

// ---------------------------------------------------------------------------------------------
// Running pdftotext

/// A temporary file that is deleted when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn create(bytes: &[u8]) -> Result<TempFile, String> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir();
        let mut last_error = None;
        for _ in 0..16 {
            let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
            let name = format!(
                "auditor-{}-{}-{nanos}.pdf",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            );
            let path = dir.join(name);
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    let file_guard = TempFile(path);
                    std::io::Write::write_all(&mut file, bytes)
                        .map_err(|e| format!("cannot write a temporary file for pdftotext: {e}"))?;
                    return Ok(file_guard);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(e),
                Err(e) => return Err(format!("cannot create a temporary file for pdftotext: {e}")),
            }
        }
        Err(format!(
            "cannot create a temporary file for pdftotext: {}",
            last_error.map(|e| e.to_string()).unwrap_or_default()
        ))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Kills and reaps the child unless it has finished, whatever way we leave.
struct Reaper(Option<Child>);

impl Drop for Reaper {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// What a program run under limits gave.
struct Output {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: String,
}

/// Why a program run under limits gave nothing.
#[derive(Debug)]
enum RunError {
    NotFound,
    Spawn(std::io::Error),
    Wait(std::io::Error),
    /// Killed after the time limit.
    Timeout,
    /// More output than the limit; the program was stopped.
    TooLarge,
}

/// Run a command with no input, reading its output and error output on their own threads (so
/// that neither pipe fills up and blocks it), polling it until `timeout` and killing it then, and
/// keeping at most `max_output` bytes of output: past that the pipe is closed, which stops the
/// program (EPIPE) or else the timeout does.
fn run_limited(command: &mut Command, timeout: Duration, max_output: u64) -> Result<Output, RunError> {
    let child = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(RunError::NotFound),
        Err(e) => return Err(RunError::Spawn(e)),
    };
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let mut reaper = Reaper(Some(child));
    let overflowed = Arc::new(AtomicBool::new(false));
    let out_reader = thread::spawn({
        let overflowed = Arc::clone(&overflowed);
        move || {
            let mut buf = Vec::new();
            if let Some(pipe) = stdout {
                let _ = pipe.take(max_output + 1).read_to_end(&mut buf);
            }
            if buf.len() as u64 > max_output {
                overflowed.store(true, Ordering::Relaxed);
            }
            buf
        }
    });
    let err_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(pipe) = stderr {
            let _ = pipe.take(64 * 1024).read_to_end(&mut buf);
        }
        buf
    });
    let start = Instant::now();
    let waited = loop {
        // (The child is taken out of the reaper only when it has exited, just below.)
        let Some(child) = reaper.0.as_mut() else { break Err(RunError::Timeout) };
        match child.try_wait() {
            Ok(Some(status)) => {
                reaper.0 = None;
                break Ok(status);
            }
            Ok(None) if overflowed.load(Ordering::Relaxed) => break Err(RunError::TooLarge),
            Ok(None) if start.elapsed() >= timeout => break Err(RunError::Timeout),
            Ok(None) => thread::sleep(POLL),
            Err(e) => break Err(RunError::Wait(e)),
        }
    };
    // Kill and reap the child if it still runs, so that the readers see the pipes close.
    drop(reaper);
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    let status = waited?;
    if stdout.len() as u64 > max_output {
        return Err(RunError::TooLarge);
    }
    Ok(Output { status, stdout, stderr })
}

/// Run `pdftotext -enc UTF-8 -l 500 FILE -` on the bytes and return its output.
fn run_pdftotext(bytes: &[u8]) -> Result<String, String> {
    run_pdftotext_with("pdftotext", bytes)
}

fn run_pdftotext_with(program: &str, bytes: &[u8]) -> Result<String, String> {
    let file = TempFile::create(bytes)?;
    let mut command = Command::new(program);
    command.args(["-enc", "UTF-8", "-l", &MAX_PAGES.to_string()]).arg(file.path()).arg("-");
    let output = match run_limited(&mut command, TIMEOUT, MAX_TEXT_BYTES) {
        Ok(output) => output,
        Err(RunError::NotFound) => return Err(NOT_INSTALLED.into()),
        Err(RunError::Spawn(e)) => return Err(format!("cannot run pdftotext: {e}")),
        Err(RunError::Wait(e)) => return Err(format!("cannot wait for pdftotext: {e}")),
        Err(RunError::Timeout) => {
            return Err(format!(
                "pdftotext did not finish within {} s: gave up on this PDF (damaged or hostile?)",
                TIMEOUT.as_secs()
            ));
        }
        Err(RunError::TooLarge) => {
            return Err(format!(
                "the PDF's text is larger than {} MiB: is this a report?",
                MAX_TEXT_BYTES / 1024 / 1024
            ));
        }
    };
    if !output.status.success() {
        return Err(failure_message(output.status.code(), &output.stderr));
    }
    if output.stderr.contains("Missing language pack") {
        return Err("the PDF uses Chinese fonts that pdftotext cannot map without poppler-data: install it with `apt-get install poppler-data` (Debian/Ubuntu)".into());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Why pdftotext failed, from its exit code and error output.
fn failure_message(code: Option<i32>, stderr: &str) -> String {
    let lower = stderr.to_lowercase();
    // Exit code 3 is a permissions error (copying forbidden by the owner password).
    if lower.contains("password") || lower.contains("encrypt") || lower.contains("copying of text") || code == Some(3) {
        return ENCRYPTED.into();
    }
    let lines: Vec<&str> = stderr.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let first = lines
        .iter()
        .find(|l| l.to_lowercase().contains("error"))
        .or(lines.first())
        .map(|l| l.to_string());
    match first {
        Some(line) => format!("cannot read the PDF: {line}"),
        None => match code {
            Some(c) => format!("cannot read the PDF: pdftotext failed (exit code {c})"),
            None => "cannot read the PDF: pdftotext was killed".into(),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Paragraph reconstruction

/// First-line indent of a paragraph in official documents, in half-width units (2 characters).
const INDENT: usize = 4;

/// Rebuild paragraphs from pdftotext's pages (one string per page, one visual line per line):
/// wrapped lines are joined, page-number headers and footers dropped, and a paragraph that
/// continues across a page break is joined onto the page where it starts. Returns one string
/// per input page, one paragraph per line.
pub fn rebuild(pages: &[&str]) -> Vec<String> {
    // Lines of each page, trimmed, with `None` for a blank line inside the page.
    let cleaned: Vec<Vec<Option<String>>> = pages.iter().map(|p| clean_page(p)).collect();
    let all: Vec<usize> = cleaned.iter().flatten().flatten().map(|l| width(l)).collect();
    let doc_width = typical_width(&all);
    let page_width: Vec<usize> = cleaned
        .iter()
        .map(|page| {
            let widths: Vec<usize> = page.iter().flatten().map(|l| width(l)).collect();
            typical_width(&widths).max(doc_width)
        })
        .collect();

    // Every line in order, with its page and its page's full-line width; `None` for a blank.
    let items: Vec<(usize, Option<Line>)> = cleaned
        .into_iter()
        .enumerate()
        .flat_map(|(p, page)| {
            let typical = page_width[p];
            page.into_iter().map(move |l| (p, l.map(|text| Line { text, typical })))
        })
        .collect();
    let mut out: Vec<Vec<String>> = vec![Vec::new(); pages.len()];
    // The paragraph being built: its page, its text, the index of its last visual line and
    // whether that line started the paragraph.
    let mut open: Option<(usize, String, usize, bool)> = None;
    for (i, (p, item)) in items.iter().enumerate() {
        let Some(line) = item else {
            // A blank line inside a page separates blocks.
            if let Some((page, text, ..)) = open.take() {
                out[page].push(text);
            }
            continue;
        };
        if let Some((_, text, last, single)) = open.as_mut() {
            let prev = items[*last].1.as_ref().expect("the last line of a paragraph is a line");
            let after = items.get(i + 1).and_then(|(_, l)| l.as_ref());
            if continues(prev, *single, line, after) {
                *text = join(text, &line.text);
                *last = i;
                *single = false;
                continue;
            }
        }
        if let Some((page, text, ..)) = open.take() {
            out[page].push(text);
        }
        open = Some((*p, line.text.clone(), i, true));
    }
    if let Some((page, text, ..)) = open.take() {
        out[page].push(text);
    }
    out.into_iter().map(|paragraphs| paragraphs.join("\n")).collect()
}

/// A visual line and the full-line width of its page.
struct Line {
    text: String,
    typical: usize,
}

/// A page's lines trimmed; page-number headers and footers dropped; blank lines at the page's
/// start and end dropped and runs of blank lines inside it kept as one `None`.
fn clean_page(page: &str) -> Vec<Option<String>> {
    let mut lines: Vec<Option<String>> = page
        .split('\n')
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
        .map(|l| (!l.is_empty()).then(|| l.to_string()))
        .collect();
    // Running headers and footers sit in the first two and the last two lines of the page.
    let filled: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].is_some()).collect();
    let edge: Vec<usize> = filled.iter().take(2).chain(filled.iter().rev().take(2)).copied().collect();
    for i in edge {
        if lines[i].as_deref().is_some_and(is_page_number) {
            lines[i] = None;
        }
    }
    let mut out: Vec<Option<String>> = Vec::new();
    for line in lines {
        if line.is_some() || out.last().is_some_and(Option::is_some) {
            out.push(line);
        }
    }
    while out.last().is_some_and(Option::is_none) {
        out.pop();
    }
    out
}

/// `- 3 -`, `— 3 —`, `3`, `第3页`, `第3页 共10页`, `3/10`, `Page 3 of 10`.
fn is_page_number(line: &str) -> bool {
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
    if let Some(rest) = t.strip_prefix('第') {
        if let Some((n, rest)) = rest.split_once('页') {
            let rest = rest.trim_start_matches([',', '，', '/', '、']);
            let total_ok = rest.is_empty()
                || rest.strip_prefix('共').and_then(|r| r.strip_suffix('页')).is_some_and(digits);
            return digits(n) && total_ok;
        }
    }
    false
}

/// Display width in half-width units: ASCII (and half-width katakana) count 1, everything else
/// 2, as in Chinese fonts, where even ×, ·, “” and Greek letters are full-width.
fn char_width(c: char) -> usize {
    let u = c as u32;
    if u < 0x80 || (0xFF61..=0xFF9F).contains(&u) { 1 } else { 2 }
}

fn width(line: &str) -> usize {
    line.chars().map(char_width).sum()
}

/// The width of a full line: the top of the cluster of widths that carries the most text, so
/// that one over-long line (a table row, a URL) or many short lines (headings, web chrome) do
/// not set it.
fn typical_width(widths: &[usize]) -> usize {
    let mut best = (0, 0);
    let mut candidates: Vec<usize> = widths.to_vec();
    candidates.sort_unstable();
    candidates.dedup();
    for &w in &candidates {
        let low = w.saturating_sub(slack(w));
        let score: usize = widths.iter().filter(|&&x| x >= low && x <= w).sum();
        if score >= best.1 {
            best = (w, score);
        }
    }
    best.0
}

/// How much shorter than the typical width a line may be and still count as full: the first-line
/// indent, a character or two pushed down by line-breaking rules (避头尾) and half-width digits.
fn slack(typical: usize) -> usize {
    (typical * 12 / 100).max(6)
}

/// Whether `next` continues the paragraph whose last visual line is `prev`; `prev_single` says
/// `prev` is the paragraph's first line, which is indented in official documents, and `after`
/// is the line after `next` when there is one.
fn continues(prev: &Line, prev_single: bool, next: &Line, after: Option<&Line>) -> bool {
    let prev_width = width(&prev.text);
    let next_width = width(&next.text);
    // Full: nearly the typical width, or, for an indented first line, too full for the next
    // line's first word (or character with its trailing punctuation) to have fitted.
    let full = prev_width + slack(prev.typical) >= prev.typical
        || (prev_single && prev_width + first_token_width(&next.text) > prev.typical.saturating_sub(INDENT));
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
    // Mid-sentence. A line as wide as an indented full line, that does not end a sentence and
    // is not explained by the next word not fitting at its end, is a new paragraph's first line
    // (after a title or heading that filled its line), not a continuation.
    // (A line cut short because its next word did not fit is a continuation line; and the
    // paragraph that such a first line starts goes on at full width.)
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
        // A continuation runs the full width; a new paragraph is indented.
        if indented {
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
fn first_token_width(line: &str) -> usize {
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
fn ends_sentence(line: &str) -> bool {
    let t = line.trim_end_matches(['”', '’', '」', '』', '"', '\'', '）', ')', '】', '》', '〕']);
    let mut rev = t.chars().rev();
    match rev.next() {
        Some('。' | '！' | '？' | '：' | '；' | '!' | '?' | ':' | ';' | '…') => true,
        Some('.') => rev.next().is_some_and(|c| !c.is_ascii_digit()),
        _ => false,
    }
}

/// Ends in the middle of a clause: a comma, an enumeration comma or an opening bracket.
fn ends_open(line: &str) -> bool {
    line.chars().last().is_some_and(|c| "，、,（(《“‘「『【".contains(c))
}

/// Starts with a heading marker: 一、 （一） (一) 1. 1． 1、 （1） (1) ①.
pub fn starts_with_marker(line: &str) -> bool {
    let chars: Vec<char> = line.chars().take(8).collect();
    let is_cn = |c: char| "一二三四五六七八九十".contains(c);
    let cn = chars.iter().take_while(|&&c| is_cn(c)).count();
    if (1..=3).contains(&cn) && chars.get(cn) == Some(&'、') {
        return true;
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
        let inner = chars[1..].iter().take_while(|&&c| is_cn(c) || c.is_ascii_digit()).count();
        return (1..=3).contains(&inner) && matches!(chars.get(1 + inner), Some('）' | ')'));
    }
    chars.first().is_some_and(|&c| ('\u{2460}'..='\u{2473}').contains(&c))
}

/// Join a wrapped line to its paragraph: CJK without a space, Latin words with one.
fn join(text: &str, next: &str) -> String {
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
    if space { format!("{text} {next}") } else { format!("{text}{next}") }
}

#[cfg(test)]
#[path = "../../tests/support/pdf_gen.rs"]
mod pdf_gen;

#[cfg(test)]
mod tests {
    use super::*;

    fn pdftotext_installed() -> bool {
        let ok = Command::new("pdftotext").arg("-v").output().is_ok();
        if !ok {
            eprintln!("pdftotext is not installed: skipping (install poppler-utils and poppler-data)");
        }
        ok
    }

    fn squeeze(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn samples_round_trip_through_pdf() {
        if !pdftotext_installed() {
            return;
        }
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        names.sort();
        assert!(!names.is_empty());
        let mut failures = Vec::new();
        for path in names {
            let text = std::fs::read_to_string(&path).unwrap();
            let want: Vec<String> = pdf_gen::pdf_text(&text).lines().map(squeeze).filter(|l| !l.is_empty()).collect();
            let pages = extract(&pdf_gen::pdf_from_text(&text)).unwrap();
            assert!(pages.len() >= 2, "{}: expected several pages", path.display());
            let got: Vec<String> = pages.iter().flat_map(|p| p.lines()).map(squeeze).filter(|l| !l.is_empty()).collect();
            if got != want {
                let i = got.iter().zip(&want).position(|(a, b)| a != b).unwrap_or(got.len().min(want.len()));
                failures.push(format!(
                    "{}: {} lines for {}; first difference at line {}:\n  got  {:?}\n  want {:?}",
                    path.file_name().unwrap().to_string_lossy(),
                    got.len(),
                    want.len(),
                    i + 1,
                    got.get(i).map(|l| l.chars().take(60).collect::<String>()),
                    want.get(i).map(|l| l.chars().take(60).collect::<String>())
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
