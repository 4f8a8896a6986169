//! Properties that must hold for every input, checked with proptest (case counts kept modest so
//! that the file runs in well under a minute in a debug build):
//!
//! - auditing never panics, on arbitrary text and on text built from report fragments, heading
//!   markers, sentence ends, `\r`, NBSP, U+3000 and zero-width characters;
//! - folding is idempotent, and its map back to the original is monotonic and in bounds;
//! - verdicts do not depend on web chrome around a report, on the width of its punctuation and
//!   digits, or on its line endings;
//! - the JSON output is the same, byte for byte, whatever the number of threads.

use auditor::normalize::{fold, fold_char};
use auditor::rules::{Pack, Status};
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::path::Path;
use std::sync::LazyLock;

/// The bundled packs, compiled once.
static PACKS: LazyLock<Vec<Pack>> = LazyLock::new(|| {
    ["2021", "2019", "province-example"]
        .iter()
        .map(|n| Pack::load(n).unwrap_or_else(|e| panic!("bundled pack {n}: {e}")))
        .collect()
});

/// The sample reports (`samples/*.txt`), by name.
static SAMPLES: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut samples: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    samples.sort();
    assert!(samples.len() >= 10, "samples/*.txt");
    samples
});

/// `cases` cases, or `PROPTEST_CASES` when it is set (for a longer run).
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    Config {
        cases,
        // Shrinking re-audits many times; a failure is reported with its input anyway.
        max_shrink_iters: 200,
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------------
// No panic on any text

/// Pieces that real reports (and broken copies of them) are made of.
const FRAGMENTS: &[&str] = &[
    "一、",
    "二、",
    "十一、",
    "（一）",
    "（二）",
    "(三)",
    "1.",
    "2、",
    "3．",
    "（1）",
    "2)",
    "①",
    "⑴",
    "第一部分",
    "# ",
    "## ",
    "一是",
    "。",
    "：",
    "；",
    "，",
    "\n",
    "\r",
    "\r\n",
    "\u{A0}",
    "\u{3000}",
    "\u{200B}",
    "\u{200D}",
    "\u{FEFF}",
    "\u{00AD}",
    "\t",
    " ",
    "青岚县人民政府关于2022年度法治政府建设情况的报告",
    "2023年度法治政府建设工作报告",
    "主要举措和成效",
    "存在的不足和原因",
    "存在的问题",
    "究其原因",
    "党政主要负责人履行推进法治建设第一责任人职责情况",
    "第一责任人",
    "述法",
    "2024年工作安排",
    "下一年度",
    "明年",
    "我们也清醒地认识到",
    "2024年，我们将",
    "发布日期：2023-03-10",
    "发布时间：2023年3月10日",
    "今天是：2023年6月7日 星期三",
    "您当前所在位置：首页 > 政务公开 > ",
    "打印本页 关闭窗口",
    "相关文章",
    "索引号",
    "第1页 共4页",
    "二〇二三年",
    "《法治政府建设实施纲要（2021—2025年）》",
    "2021—2025年",
    "XX县",
    "20XX年",
    "××",
    "【】",
    "共受理 件",
    "秘密★",
    "縣人民政府關於法治政府建設情況的報告",
    "全年办结案件十件。",
    "２０２３",
    "ＡＢＣ",
    "𠀀",
    "e\u{301}",
    "\u{0}",
];

/// Text made of report fragments and arbitrary short strings.
fn report_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => prop::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => "\\PC{0,6}",
        1 => "[0-9一二三四五六七八九十〇()（）.、。:：\\-—年月日 ]{0,8}",
    ];
    prop::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat())
}

/// A sample report cut up: lines dropped, repeated and reordered, and the text cut at a char.
fn mangled_sample() -> impl Strategy<Value = String> {
    (
        0..SAMPLES.len(),
        prop::collection::vec(0usize..400, 0..60),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(|(i, picks, cut, crlf)| {
            let lines: Vec<&str> = SAMPLES[i].1.lines().collect();
            let mut text = picks
                .iter()
                .map(|&p| lines[p % lines.len()])
                .collect::<Vec<_>>()
                .join(if crlf { "\r\n" } else { "\n" });
            let boundaries: Vec<usize> = text
                .char_indices()
                .map(|(b, _)| b)
                .chain([text.len()])
                .collect();
            text.truncate(boundaries[cut.index(boundaries.len())]);
            text
        })
}

fn audit_every_pack(text: &str) {
    let lines = auditor::normalize::lines(text).len();
    for pack in PACKS.iter() {
        let (_, findings) = auditor::audit_text(text, pack);
        assert_eq!(
            findings.len(),
            pack.rules.len(),
            "one finding per rule ({})",
            pack.meta.id
        );
        for f in &findings {
            for e in &f.evidence {
                assert!(
                    (1..=lines).contains(&e.line),
                    "evidence line {} of {lines}: {f:?}",
                    e.line
                );
                let quote = e.text.trim_start_matches('…').trim_end_matches('…');
                assert!(
                    quote.chars().count() <= 60,
                    "quotes are at most 60 characters (and ellipses): {:?}",
                    e.text
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn auditing_arbitrary_text_never_panics(text in any::<String>()) {
        audit_every_pack(&text);
    }

    #[test]
    fn auditing_report_fragments_never_panics(text in report_like()) {
        audit_every_pack(&text);
    }

    #[test]
    fn auditing_cut_up_samples_never_panics(text in mangled_sample()) {
        audit_every_pack(&text);
    }
}

/// Found by `auditing_report_fragments_never_panics`. Bug: `eval::year_verdict` quotes the year
/// it found as the bytes `at..at + 4`, which cut inside a year in Chinese numerals (`二〇二三`, 12
/// bytes), and `report::Block::quote` panics on the char boundary. Real reports write years so
/// (`四、二〇二三年推进法治政府建设的主要安排`); see also `tests/bad_inputs.rs`.
#[test]
fn a_plan_year_in_chinese_numerals_does_not_panic() {
    for text in [
        "一、下一年度二〇二三年",
        "二〇二三年2024年，我们将一、",
        "青岚县人民政府关于2022年度法治政府建设情况的报告\n一、主要举措\n全年办结案件十件。\n二、二〇二三年工作安排\n继续推进。",
    ] {
        audit_every_pack(text);
    }
}

// ---------------------------------------------------------------------------------------------
// Folding

/// Lines of mixed widths, spaces and invisible characters.
fn foldable() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\u{FF01}-\\u{FF5E}\\u{3000}\\u{A0}\\u{2000}-\\u{200D}\\u{2060}\\u{FEFF}\\u{AD}\\u{FF61}-\\u{FF64}a-z0-9，。（）法治 ]{0,40}",
        report_like(),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn folding_is_idempotent_and_its_map_is_monotonic_and_in_bounds(line in foldable()) {
        let once = fold(&line);
        prop_assert_eq!(&fold(&once.text).text, &once.text, "fold(fold(x)) == fold(x)");

        let original: Vec<char> = line.chars().collect();
        let folded: Vec<char> = once.text.chars().collect();
        // Where each folded char, and the end, lie in the original.
        let origin: Vec<u32> = (0..=folded.len()).map(|i| once.origin(i) as u32).collect();
        prop_assert_eq!(*origin.last().unwrap() as usize, original.len());
        prop_assert!(origin.windows(2).all(|w| w[0] < w[1]), "strictly increasing: {:?}", origin);
        for (i, &o) in origin[..folded.len()].iter().enumerate() {
            let o = o as usize;
            prop_assert!(o < original.len());
            // Each folded char is the fold of the char its map points at.
            prop_assert_eq!(fold_char(original[o]), Some(folded[i]));
        }
        // The chars the map skips are exactly the ones folding drops.
        let kept: std::collections::HashSet<u32> = origin.iter().copied().collect();
        for (j, &c) in original.iter().enumerate() {
            prop_assert_eq!(kept.contains(&(j as u32)), fold_char(c).is_some(), "char {} {:?}", j, c);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Verdicts that must not change

/// What must not depend on the form: every rule's status, and the report year.
fn verdicts(text: &str) -> (Vec<(String, Status)>, Option<i32>) {
    let (meta, findings) = auditor::audit_text(text, &PACKS[0]);
    (
        findings.into_iter().map(|f| (f.rule, f.status)).collect(),
        meta.year,
    )
}

/// Breadcrumbs above an article, as CMSs write them.
const BREADCRUMBS: &[&str] = &[
    "您当前所在位置：首页 > 政务公开 > 法治政府建设 > 年度报告",
    "当前位置：首页 > 信息公开 > 法定主动公开内容 > 法治政府建设",
    "您现在的位置: 首页 > 政府信息公开 > 法治政府建设年度报告",
];

/// Web chrome as a CMS puts it around an article: a breadcrumb above, print and close links
/// below, and a `相关文章` list naming other years' reports and plans.
fn wrap_in_chrome(text: &str, other_year: i32, breadcrumb: usize) -> String {
    let breadcrumb = BREADCRUMBS[breadcrumb % BREADCRUMBS.len()];
    format!(
        "{breadcrumb}\n\n{text}\n\n【打印本页】 【关闭窗口】\n打印本页 关闭窗口\n相关文章\n\
         青岚县人民政府关于{other_year}年度法治政府建设情况的报告\n\
         {other_year}年法治政府建设工作计划\n\
         关于印发《{other_year}年法治政府建设工作要点》的通知\n"
    )
}

/// Paragraphs indented by two ideographic spaces, as official documents are typeset.
fn indent(text: &str) -> String {
    auditor::normalize::lines(text)
        .iter()
        .map(|l| {
            if l.trim().is_empty() {
                l.to_string()
            } else {
                format!("\u{3000}\u{3000}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Switch punctuation and digits between full and half width (，↔, ：↔: （↔( ）↔) ０-９↔0-9): every
/// switchable character whose bit in `mask` (cycled) is set.
fn switch_width(text: &str, mask: &[bool]) -> String {
    let mut n = 0;
    text.chars()
        .map(|c| {
            let other = match c {
                '，' => ',',
                ',' => '，',
                '：' => ':',
                ':' => '：',
                '（' => '(',
                '(' => '（',
                '）' => ')',
                ')' => '）',
                '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap(),
                '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                _ => return c,
            };
            n += 1;
            if mask[(n - 1) % mask.len()] { other } else { c }
        })
        .collect()
}

/// Every switchable character in one width: full (`true`) or half.
fn one_width(text: &str, full: bool) -> String {
    let switched = switch_width(text, &[true]);
    text.chars()
        .zip(switched.chars())
        .map(|(c, s)| if (c as u32 >= 0xFF00) == full { c } else { s })
        .collect()
}

/// The text with LF (0), CRLF (1) or CR (2) line endings.
fn line_endings(text: &str, style: u8) -> String {
    let end = ["\n", "\r\n", "\r"][usize::from(style)];
    auditor::normalize::lines(text).join(end) + end
}

proptest! {
    #![proptest_config(config(40))]

    #[test]
    fn verdicts_do_not_depend_on_chrome_width_or_line_endings(
        i in 0..SAMPLES.len(),
        chrome in any::<bool>(),
        other_year in prop::sample::select(vec![2019, 2020, 2021, 2023, 2024]),
        breadcrumb in 0..BREADCRUMBS.len(),
        indented in any::<bool>(),
        mask in prop::collection::vec(any::<bool>(), 1..16),
        style in 0u8..3,
    ) {
        let (name, text) = &SAMPLES[i];
        let expected = verdicts(text);
        let mut changed = text.clone();
        if chrome {
            changed = wrap_in_chrome(&changed, other_year, breadcrumb);
        }
        if indented {
            changed = indent(&changed);
        }
        changed = switch_width(&changed, &mask);
        changed = line_endings(&changed, style);
        let got = verdicts(&changed);
        prop_assert_eq!(
            &got, &expected,
            "{}: chrome {} ({}), indented {}, width mask {:?}, line endings {}",
            name, chrome, other_year, indented, mask, ["LF", "CRLF", "CR"][usize::from(style)]
        );
    }
}

/// Each transformation alone, on every sample: a failure names the one that changes a verdict.
#[test]
fn each_transformation_alone_keeps_every_samples_verdicts() {
    let mut failures = Vec::new();
    for (name, text) in SAMPLES.iter() {
        let expected = verdicts(text);
        let forms = [
            ("chrome (2019)", wrap_in_chrome(text, 2019, 0)),
            ("chrome (2024)", wrap_in_chrome(text, 2024, 1)),
            ("chrome (2021)", wrap_in_chrome(text, 2021, 2)),
            ("indented", indent(text)),
            ("width switched", switch_width(text, &[true])),
            ("all half-width", one_width(text, false)),
            ("all full-width", one_width(text, true)),
            ("CRLF", line_endings(text, 1)),
            ("CR", line_endings(text, 2)),
        ];
        for (form, changed) in &forms {
            let got = verdicts(changed);
            if got != expected {
                let diff: Vec<String> = expected
                    .0
                    .iter()
                    .zip(&got.0)
                    .filter(|(a, b)| a != b)
                    .map(|(a, b)| format!("{} {:?} → {:?}", a.0, a.1, b.1))
                    .collect();
                failures.push(format!(
                    "{name} ({form}): year {:?} → {:?}; {}",
                    expected.1,
                    got.1,
                    diff.join(", ")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "verdicts changed:\n{}",
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Threads

#[test]
fn json_output_is_byte_identical_across_thread_counts() {
    let run = |threads: &str| {
        let out = assert_cmd::Command::cargo_bin("auditor")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "--no-config",
                "--no-waivers",
                "--format",
                "json",
                "-j",
                threads,
                "samples",
            ])
            .output()
            .unwrap();
        assert!(
            !out.stdout.is_empty(),
            "-j {threads}: no output; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code(), out.stdout, out.stderr)
    };
    let one = run("1");
    for threads in ["8", "3", "8"] {
        let many = run(threads);
        assert_eq!(many.0, one.0, "exit code with -j {threads}");
        assert!(
            many.1 == one.1,
            "stdout with -j {threads} differs from -j 1"
        );
        assert_eq!(many.2, one.2, "stderr with -j {threads}");
    }
}
