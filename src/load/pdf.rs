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

use crate::wrap::{Line, is_page_number, paragraphs, typical_width, width};
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
pub const NO_TEXT_LAYER: &str =
    "the PDF has no text layer (a scanned document?): it needs OCR before it can be audited";

/// The text of each page, paragraphs reconstructed: one paragraph per line, and a paragraph that
/// runs on across a page break belongs to the page where it starts.
pub fn extract(bytes: &[u8]) -> Result<Vec<String>, String> {
    let raw = run_pdftotext(bytes)?;
    let mut pages: Vec<&str> = raw.split('\x0c').collect();
    // pdftotext ends every page with a form feed, so the last piece is empty.
    if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    if pages.len() > MAX_PAGES as usize {
        return Err(format!(
            "the PDF has more than {MAX_PAGES} pages, the limit: is it a single report?"
        ));
    }
    let pages = rebuild(&pages);
    let chars: usize = pages
        .iter()
        .map(|p| p.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
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
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            let name = format!(
                "auditor-{}-{}-{nanos}.pdf",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            );
            let path = dir.join(name);
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
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
fn run_limited(
    command: &mut Command,
    timeout: Duration,
    max_output: u64,
) -> Result<Output, RunError> {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
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
        let Some(child) = reaper.0.as_mut() else {
            break Err(RunError::Timeout);
        };
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
    Ok(Output {
        status,
        stdout,
        stderr,
    })
}

/// Run `pdftotext -enc UTF-8 -l 501 FILE -` on the bytes and return its output.
fn run_pdftotext(bytes: &[u8]) -> Result<String, String> {
    run_pdftotext_with("pdftotext", bytes)
}

fn run_pdftotext_with(program: &str, bytes: &[u8]) -> Result<String, String> {
    let file = TempFile::create(bytes)?;
    let mut command = Command::new(program);
    command
        // One page past the limit, to tell a long PDF from one at the limit.
        .args(["-enc", "UTF-8", "-l", &(MAX_PAGES + 1).to_string()])
        .arg(file.path())
        .arg("-");
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
    // Exit code 3 is poppler's permissions error (copying forbidden by the owner password).
    if lower.contains("password")
        || lower.contains("encrypt")
        || lower.contains("copying of text")
        || code == Some(3)
    {
        return ENCRYPTED.into();
    }
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
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

/// Rebuild paragraphs from pdftotext's pages (one string per page, one visual line per line):
/// wrapped lines are joined, page-number headers and footers dropped, and a paragraph that
/// continues across a page break is joined onto the page where it starts. Returns one string
/// per input page, one paragraph per line.
pub fn rebuild(pages: &[&str]) -> Vec<String> {
    // Lines of each page, trimmed, with `None` for a blank line inside the page.
    let cleaned: Vec<Vec<Option<String>>> = pages.iter().map(|p| clean_page(p)).collect();
    let all: Vec<usize> = cleaned
        .iter()
        .flatten()
        .flatten()
        .map(|l| width(l))
        .collect();
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
            page.into_iter()
                .map(move |l| (p, l.map(|text| Line { text, typical })))
        })
        .collect();
    let mut out: Vec<Vec<String>> = vec![Vec::new(); pages.len()];
    // A page without text (a blank or an image page) ends the paragraph before it.
    for (page, text) in paragraphs(&items, |(p, _), (q, _)| q > p + 1) {
        out[page].push(text);
    }
    out.into_iter()
        .map(|paragraphs| paragraphs.join("\n"))
        .collect()
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
    let edge: Vec<usize> = filled
        .iter()
        .take(2)
        .chain(filled.iter().rev().take(2))
        .copied()
        .collect();
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

#[cfg(test)]
#[path = "../../tests/support/pdf_gen.rs"]
mod pdf_gen;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wrap::{ends_sentence, join, starts_with_marker};

    fn pdftotext_installed() -> bool {
        let ok = Command::new("pdftotext").arg("-v").output().is_ok();
        if !ok {
            eprintln!(
                "pdftotext is not installed: skipping (install poppler-utils and poppler-data)"
            );
        }
        ok
    }

    fn squeeze(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// Set CJK paragraphs the way pdftotext reports them: `per_line` characters a line, the
    /// first line of each indented by two (which pdftotext does not show).
    fn set(paragraphs: &[&str], per_line: usize) -> Vec<String> {
        let mut lines = Vec::new();
        for p in paragraphs {
            let chars: Vec<char> = p.chars().collect();
            let mut start = 0;
            let mut room = per_line - 2;
            while start < chars.len() {
                let end = (start + room).min(chars.len());
                lines.push(chars[start..end].iter().collect());
                start = end;
                room = per_line;
            }
        }
        lines
    }

    /// A paragraph of `n` characters: clauses of ordinary text, ending with 。.
    fn para(seed: &str, n: usize) -> String {
        let body = "依法行政工作稳步推进，行政执法规范化水平不断提升，群众满意度持续提高";
        let mut s: String = seed.to_string();
        for c in body.chars().cycle() {
            if s.chars().count() + 1 >= n {
                break;
            }
            s.push(c);
        }
        s.push('。');
        s
    }

    fn page(lines: &[String]) -> String {
        lines.join("\n")
    }

    // ----- paragraph reconstruction (no pdftotext needed)

    #[test]
    fn wrapped_lines_are_joined_and_paragraphs_kept_apart() {
        let a = para("一年来，", 100);
        let b = para("（一）加强组织领导。", 75);
        let c = para("二是", 41);
        let lines = set(&["一、主要举措和成效", &a, &b, &c], 38);
        assert!(lines.len() >= 8);
        let pages = rebuild(&[&page(&lines)]);
        let want = ["一、主要举措和成效".to_string(), a, b, c].join("\n");
        assert_eq!(pages, vec![want]);
    }

    #[test]
    fn a_sentence_that_ends_at_the_line_end_does_not_end_the_paragraph() {
        // The first visual line of the second paragraph ends exactly with 。 (36 chars after the
        // indent) and the paragraph goes on.
        let first = para("本段第一句", 36);
        assert_eq!(first.chars().count(), 36);
        let second = format!("{first}{}", para("第二句", 60));
        let lines = set(&[&para("开头", 80), &second, "特此报告。"], 38);
        assert!(lines.contains(&first));
        let pages = rebuild(&[&page(&lines)]);
        let got: Vec<&str> = pages[0].lines().collect();
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[1], second);
    }

    #[test]
    fn headings_after_short_lines_start_paragraphs_but_a_wrapped_marker_continues() {
        // The sentence wraps just before 1. and the paragraph ends on that line.
        let start: String = para("为深入贯彻落实全面依法治国战略部署，", 73)
            .chars()
            .take(72)
            .collect();
        let wrapped = format!("{start}包括1.健全制度；2.强化监督。");
        let lines = set(
            &[
                "三、存在的问题",
                &wrapped,
                "（一）存在的不足",
                &para("1.决策程序不够规范。", 60),
            ],
            38,
        );
        assert!(
            lines.iter().any(|l| l.starts_with("1.健全制度")),
            "{lines:?}"
        );
        let pages = rebuild(&[&page(&lines)]);
        let got: Vec<&str> = pages[0].lines().collect();
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0], "三、存在的问题");
        assert_eq!(got[1], wrapped);
        assert_eq!(got[2], "（一）存在的不足");
        assert!(got[3].starts_with("1.决策程序不够规范。"));
    }

    #[test]
    fn a_full_heading_line_before_a_subheading_stays_apart() {
        let body = para("县委书记认真履行推进法治建设第一责任人职责", 90);
        let mut lines = vec![
            // Fills its line (36 characters after the 2-character indent), no punctuation.
            "三、党政主要负责人履行推进法治建设第一责任人职责情况及其他有关事项的说明".to_string(),
        ];
        assert_eq!(width(&lines[0]), 72);
        lines.extend(set(&[&format!("（一）{body}"), &para("其他", 80)], 38));
        let pages = rebuild(&[&page(&lines)]);
        let got: Vec<&str> = pages[0].lines().collect();
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[1].starts_with("（一）县委书记"));
    }

    #[test]
    fn page_numbers_are_dropped_and_paragraphs_run_on_across_pages() {
        let long = para("（二）深化改革，", 200);
        let lines = set(&[&para("第一段", 150), &long, &para("第三段", 90)], 38);
        // Break the page inside the second paragraph, mid-sentence.
        let first_of_long = lines.iter().position(|l| l.starts_with("（二）")).unwrap();
        let cut = first_of_long + 2;
        assert!(!ends_sentence(&lines[cut - 1]));
        let page1 = format!("- 1 -\n{}\n\n- 1 -\n", page(&lines[..cut]));
        let page2 = format!("第2页 共3页\n{}\n\n— 2 —", page(&lines[cut..]));
        let pages = rebuild(&[&page1, &page2]);
        assert_eq!(pages.len(), 2);
        let p1: Vec<&str> = pages[0].lines().collect();
        let p2: Vec<&str> = pages[1].lines().collect();
        assert_eq!(p1.len(), 2, "{p1:?}");
        assert_eq!(
            p1[1], long,
            "the paragraph that runs on belongs to the page where it starts"
        );
        assert_eq!(p2.len(), 1, "{p2:?}");
        assert!(p2[0].starts_with("第三段"));
    }

    #[test]
    fn a_page_without_text_ends_the_paragraph_before_it() {
        // The same break as above, with a blank (image) page between the two halves.
        let long = para("（二）深化改革，", 200);
        let lines = set(&[&long], 38);
        let cut = 2;
        assert!(!ends_sentence(&lines[cut - 1]));
        let together = rebuild(&[&page(&lines[..cut]), &page(&lines[cut..])]);
        assert_eq!(together[0], long);
        let apart = rebuild(&[&page(&lines[..cut]), "", &page(&lines[cut..])]);
        assert_eq!(apart.len(), 3);
        assert_eq!(apart[0], lines[..cut].concat());
        assert_eq!(apart[2], lines[cut..].concat());
    }

    #[test]
    fn a_heading_at_the_top_of_the_next_page_is_not_joined() {
        let lines = set(&[&para("第一段", 112)], 38);
        assert_eq!(width(lines.last().unwrap()), 76);
        let page2 = page(&set(&["二、存在的问题", &para("一是", 90)], 38));
        let pages = rebuild(&[&page(&lines), &page2]);
        assert_eq!(pages[0].lines().count(), 1);
        assert!(pages[1].starts_with("二、存在的问题\n"));
    }

    #[test]
    fn page_numbers_only_at_the_edges_of_a_page() {
        let (one, two) = (para("正文", 112), para("其他", 80));
        let text = format!(
            "3\n{}\n第1页 共4页\n{}\n- 3 -",
            page(&set(&[&one], 38)),
            page(&set(&[&two], 38))
        );
        let pages = rebuild(&[&text]);
        let got: Vec<&str> = pages[0].lines().collect();
        // The page number at the top and the footer go; the banner inside the page stays.
        assert_eq!(got, vec![one.as_str(), "第1页 共4页", &two]);
    }

    #[test]
    fn blank_lines_separate_blocks() {
        let pages = rebuild(&["发布时间：2023-05-18\n\n来源：县司法局\n\n浏览次数："]);
        assert_eq!(
            pages,
            vec!["发布时间：2023-05-18\n来源：县司法局\n浏览次数：".to_string()]
        );
    }

    #[test]
    fn latin_words_are_joined_with_a_space_and_cjk_without() {
        let joined = |a: &str, b: &str| {
            let mut s = a.to_string();
            join(&mut s, b);
            s
        };
        assert_eq!(
            joined("the quick brown", "fox jumps"),
            "the quick brown fox jumps"
        );
        assert_eq!(
            joined("see Section 3.", "The rule"),
            "see Section 3. The rule"
        );
        assert_eq!(joined("法治政府", "建设"), "法治政府建设");
        assert_eq!(joined("截至2022", "年底"), "截至2022年底");
        assert_eq!(joined("审核率", "100%。"), "审核率100%。");
        assert_eq!(joined("编号20", "23"), "编号2023");
        let lines = [
            "The annual report of the county government on the rule of law describes the",
            "measures taken in 2022, the shortcomings found and the plans for next year, and",
            "the duties of the principal leaders, who are responsible for the rule of law as",
            "required.",
        ];
        let pages = rebuild(&[&lines.join("\n")]);
        assert_eq!(pages[0], lines.join(" "));
    }

    #[test]
    fn page_number_forms() {
        for yes in [
            "3",
            "- 3 -",
            "— 12 —",
            "－３－",
            "第3页",
            "第 3 页 共 10 页",
            "第3页，共10页",
            "3/10",
            "3 / 10",
            "Page 3",
            "Page 3 of 10",
            "~ 7 ~",
        ] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in [
            "2023",
            "2023年",
            "三",
            "第3条",
            "共10页",
            "3、考试",
            "- 3 - 4",
            "12345",
            "第3页正文",
        ] {
            assert!(!is_page_number(no) || no == "2023", "{no}");
        }
    }

    #[test]
    fn heading_markers() {
        for yes in [
            "一、主要举措",
            "十二、其他",
            "（一）加强领导",
            "(三)严格执法",
            "1.调整机构",
            "12、其他",
            "1．规范",
            "（1）健全",
            "(2)强化",
            "①落实",
            "第一部分 主要举措",
            "第十二章　其他",
        ] {
            assert!(starts_with_marker(yes), "{yes}");
        }
        for no in [
            "1.5亿元",
            "2022年",
            "一是加强",
            "（2021—2025年）",
            "(2021-2025年)",
            "100%。",
            "第一条",
            "第一次全体会议",
            "第二部",
            "一年来，",
        ] {
            assert!(!starts_with_marker(no), "{no}");
        }
    }

    #[test]
    fn sentence_ends() {
        for yes in [
            "报告如下：",
            "通过率92%。",
            "“未经审查不上会。”",
            "（见附件。）",
            "要求；",
            "Done.",
            "真的吗？",
        ] {
            assert!(ends_sentence(yes), "{yes}");
        }
        for no in [
            "法治政府建设",
            "审核率",
            "1.",
            "版本3.",
            "《纲要》",
            "原因，",
        ] {
            assert!(!ends_sentence(no), "{no}");
        }
    }

    #[test]
    fn typical_width_ignores_outliers_and_short_lines() {
        let mut widths = vec![76; 20];
        widths.extend([72, 70, 74, 75]);
        widths.push(160); // a table row
        widths.extend([8; 30]); // web chrome, headings
        assert_eq!(typical_width(&widths), 76);
        assert_eq!(typical_width(&[]), 0);
    }

    #[test]
    fn huge_inputs_are_rebuilt_in_linear_time() {
        // One paragraph of 50 000 full lines without punctuation, then many distinct widths.
        let line = "法治政府建设年度报告依法行政工作稳步推进行政执法规范化水平不断提升群众满意度持";
        let mut text = vec![line; 50_000].join("\n");
        for n in 1..3000 {
            text.push('\n');
            text.push_str(&"字".repeat(n % 700 + 1));
        }
        let start = Instant::now();
        let pages = rebuild(&[&text]);
        assert!(pages[0].len() > line.len() * 50_000);
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn widths_count_cjk_as_two() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("法治"), 4);
        assert_eq!(width("“×”"), 6);
        assert_eq!(width("2022年"), 6);
    }

    #[test]
    fn temporary_files_are_removed() {
        let file = TempFile::create(b"%PDF-1.4").unwrap();
        let path = file.path().to_path_buf();
        assert!(path.exists());
        assert!(path.starts_with(std::env::temp_dir()));
        let other = TempFile::create(b"x").unwrap();
        assert_ne!(other.path(), path);
        drop(file);
        assert!(!path.exists());
    }

    // ----- running programs under limits

    #[test]
    fn a_missing_pdftotext_says_how_to_install_it() {
        let err = run_pdftotext_with("pdftotext-that-is-not-installed", b"%PDF-1.4").unwrap_err();
        assert_eq!(err, NOT_INSTALLED);
        assert!(err.contains("apt-get install poppler-utils poppler-data"));
    }

    #[test]
    fn a_program_that_hangs_is_killed() {
        let start = Instant::now();
        let result = run_limited(
            Command::new("sleep").arg("30"),
            Duration::from_millis(200),
            1024,
        );
        assert!(
            matches!(result, Err(RunError::Timeout)),
            "{:?}",
            result.err()
        );
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn endless_output_is_cut_off() {
        let start = Instant::now();
        let result = run_limited(
            &mut Command::new("yes"),
            Duration::from_secs(20),
            1024 * 1024,
        );
        assert!(
            matches!(result, Err(RunError::TooLarge)),
            "{:?}",
            result.err()
        );
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn output_and_error_output_are_read() {
        let out = run_limited(
            Command::new("sh").args(["-c", "echo out; echo err >&2; exit 3"]),
            TIMEOUT,
            1024,
        )
        .unwrap();
        assert_eq!(out.stdout, b"out\n");
        assert_eq!(out.stderr, "err\n");
        assert_eq!(out.status.code(), Some(3));
    }

    #[test]
    fn failure_messages() {
        assert_eq!(
            failure_message(Some(1), "Command Line Error: Incorrect password\n"),
            ENCRYPTED
        );
        assert_eq!(
            failure_message(
                Some(1),
                "Syntax Warning: May not be a PDF file (continuing anyway)\nSyntax Error: Couldn't find trailer dictionary\nSyntax Error: Couldn't read xref table\n"
            ),
            "cannot read the PDF: Syntax Error: Couldn't find trailer dictionary"
        );
        assert_eq!(
            failure_message(Some(99), ""),
            "cannot read the PDF: pdftotext failed (exit code 99)"
        );
    }

    // ----- extraction of generated PDFs (needs pdftotext and poppler-data)

    fn sample_texts() -> Vec<(String, String)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        out.sort();
        assert!(!out.is_empty());
        out
    }

    /// The sample's non-empty lines as the PDF can carry them, without whitespace.
    fn expected_lines(text: &str) -> Vec<String> {
        pdf_gen::pdf_text(text)
            .lines()
            .map(squeeze)
            .filter(|l| !l.is_empty())
            .collect()
    }

    fn extracted_lines(pages: &[String]) -> Vec<String> {
        pages
            .iter()
            .flat_map(|p| p.lines())
            .map(squeeze)
            .filter(|l| !l.is_empty())
            .collect()
    }

    #[test]
    fn samples_round_trip_through_pdf() {
        if !pdftotext_installed() {
            return;
        }
        let mut failures = Vec::new();
        let mut across_pages = 0;
        for (name, text) in sample_texts() {
            let want = expected_lines(&text);
            let pdf = pdf_gen::pdf_from_text(&text);
            let pages = extract(&pdf).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(pages.len() >= 2, "{name}: expected several pages");
            let got = extracted_lines(&pages);
            if got != want {
                let i = got
                    .iter()
                    .zip(&want)
                    .position(|(a, b)| a != b)
                    .unwrap_or(got.len().min(want.len()));
                let show = |l: Option<&String>| l.map(|l| l.chars().take(60).collect::<String>());
                failures.push(format!(
                    "{name}: {} lines for {}; first difference at line {}:\n  got  {:?}\n  want {:?}",
                    got.len(),
                    want.len(),
                    i + 1,
                    show(got.get(i)),
                    show(want.get(i))
                ));
                continue;
            }
            // Paragraphs that pdftotext splits over two pages are whole on the first.
            let raw = run_pdftotext(&pdf).unwrap();
            let raw_pages: Vec<String> = raw.split('\x0c').map(squeeze).collect();
            for (p, page) in pages.iter().enumerate() {
                for line in page.lines().map(squeeze) {
                    if !raw_pages.iter().any(|r| r.contains(&line)) {
                        across_pages += 1;
                        let head: String = line.chars().take(20).collect();
                        assert!(
                            raw_pages[p].contains(&head),
                            "{name}: {head}… is not on page {}",
                            p + 1
                        );
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(
            across_pages >= 5,
            "only {across_pages} paragraphs ran on across a page break"
        );
    }

    #[test]
    fn other_layouts_round_trip_nearly_line_for_line() {
        if !pdftotext_installed() {
            return;
        }
        // Narrower and wider lines. A title or a web-page line that fills its line exactly and
        // has no punctuation cannot be told from a wrapped line; allow 2% of lines for that.
        for layout in [
            pdf_gen::Layout::official(),
            pdf_gen::Layout {
                em_per_line: 33,
                indent_em: 2,
            },
            pdf_gen::Layout {
                em_per_line: 45,
                indent_em: 2,
            },
        ] {
            let (mut missing, mut total) = (0, 0);
            let mut examples = Vec::new();
            for (name, text) in sample_texts() {
                let want = expected_lines(&text);
                let got =
                    extracted_lines(&extract(&pdf_gen::pdf_from_text_with(&text, layout)).unwrap());
                total += want.len();
                for w in want.iter().filter(|w| !got.contains(w)) {
                    missing += 1;
                    examples.push(format!(
                        "{name}: {}",
                        w.chars().take(30).collect::<String>()
                    ));
                }
            }
            assert!(
                missing * 50 <= total,
                "{layout:?}: {missing} of {total} lines not reproduced:\n{}",
                examples.join("\n")
            );
        }
    }

    #[test]
    fn chinese_text_comes_out_right() {
        if !pdftotext_installed() {
            return;
        }
        let text = format!(
            "青岚县人民政府关于2022年度法治政府建设情况的报告\n\n{}\n全年审查规范性文件14件，采纳率96.3%，“好差评”满意率99.7%。①②③ ×× ABC xyz。\n不在字库的字：𠀀，·。\n{}",
            para("第一段", 150),
            para("第四段", 120)
        );
        let text = text.as_str();
        let pages = extract(&pdf_gen::pdf_from_text(text)).unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(extracted_lines(&pages), expected_lines(text));
    }

    #[test]
    fn explicit_pages_come_back_page_by_page() {
        if !pdftotext_installed() {
            return;
        }
        let pdf = pdf_gen::pdf_from_pages(&[
            &["第一页的内容：法治政府建设年度报告。"],
            &[],
            &["第三页的内容：依法行政工作稳步推进。"],
        ]);
        let pages = extract(&pdf).unwrap();
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0], "第一页的内容：法治政府建设年度报告。");
        assert_eq!(pages[1], "");
        assert_eq!(pages[2], "第三页的内容：依法行政工作稳步推进。");
    }

    #[test]
    fn scanned_pdfs_need_ocr() {
        if !pdftotext_installed() {
            return;
        }
        assert_eq!(
            extract(&pdf_gen::pdf_without_text(3)).unwrap_err(),
            NO_TEXT_LAYER
        );
        // A footer alone is not a text layer either.
        let pdf = pdf_gen::pdf_from_pages(&[&["- 1 -"], &["- 2 -"]]);
        assert_eq!(extract(&pdf).unwrap_err(), NO_TEXT_LAYER);
    }

    #[test]
    fn encrypted_pdfs_are_refused() {
        if !pdftotext_installed() {
            return;
        }
        assert_eq!(
            extract(&pdf_gen::pdf_encrypted("加密的法治政府建设年度报告")).unwrap_err(),
            ENCRYPTED
        );
    }

    #[test]
    fn a_pdf_over_the_page_limit_is_refused_with_the_limit_named() {
        if !pdftotext_installed() {
            return;
        }
        let line: &[&str] = &["法治政府建设年度报告正文。"];
        let pages = vec![line; MAX_PAGES as usize + 1];
        let e = extract(&pdf_gen::pdf_from_pages(&pages)).unwrap_err();
        assert!(e.contains("more than 500 pages"), "{e}");
        assert!(extract(&pdf_gen::pdf_from_pages(&pages[..3])).is_ok());
    }

    #[test]
    fn damaged_pdfs_are_refused() {
        if !pdftotext_installed() {
            return;
        }
        let pdf = pdf_gen::pdf_from_text(&para("正文", 3000));
        for bytes in [
            &pdf[..pdf.len() / 3],
            b"%PDF-1.4\ngarbage\n".as_slice(),
            b"%PDF-".as_slice(),
        ] {
            let err = extract(bytes).unwrap_err();
            assert!(err.starts_with("cannot read the PDF: "), "{err}");
            assert!(err.len() > "cannot read the PDF: ".len());
        }
    }

    #[test]
    fn the_generator_writes_correct_cross_references() {
        let pdf = pdf_gen::pdf_from_text(&para("正文", 3000));
        let find = |needle: &[u8]| {
            pdf.windows(needle.len())
                .rposition(|w| w == needle)
                .unwrap()
        };
        let tail = String::from_utf8(pdf[find(b"startxref\n")..].to_vec()).unwrap();
        let start: usize = tail.lines().nth(1).unwrap().parse().unwrap();
        let table = String::from_utf8(pdf[start..].to_vec()).unwrap();
        assert!(table.starts_with("xref\n0 "));
        let entries: Vec<&str> = table
            .lines()
            .skip(3)
            .take_while(|l| l.ends_with(" n "))
            .collect();
        assert!(entries.len() > 6);
        for (i, entry) in entries.iter().enumerate() {
            let offset: usize = entry[..10].parse().unwrap();
            assert!(
                pdf[offset..].starts_with(format!("{} 0 obj", i + 1).as_bytes()),
                "object {}",
                i + 1
            );
        }
    }
}
