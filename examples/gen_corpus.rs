//! Generate a corpus of synthetic annual rule-of-law reports for benchmarks.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- OUT_DIR N [SEED]
//! ```
//!
//! Writes N reports built from the samples in `samples/*.txt` (or `$SAMPLES_DIR`): parts and
//! paragraphs dropped, paragraphs borrowed from other samples (so sizes vary from a few KB to
//! a few hundred KB), years shifted and place names changed, full- and half-width punctuation
//! swapped, CRLF line ends on some, some GB18030-encoded, some wrapped as government web pages
//! (`.html`, with navigation, metadata boxes and footers) and a few as Markdown. Files are
//! spread over subdirectories of 1,000 each (`d0000/r0000000.txt`). The same N and SEED always
//! give the same bytes. The last line printed is `total_bytes=…` for scripts.
//! `GEN_CORPUS_DEBUG=1` prints the place-name stems and borrowable paragraphs found in each sample.

use encoding_rs::GB18030;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const PER_DIR: usize = 1_000;

/// xorshift64* — small, fast, deterministic; no extra crates.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // splitmix64 once, so that nearby seeds give unrelated streams (and never 0).
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) % n as u64) as usize
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Characters for invented place names (two of them make a county, district or town).
const NAME_CHARS: &[char] = &[
    '青', '岚', '栖', '梧', '丹', '溪', '苇', '澄', '岭', '桐', '岫', '川', '松', '鹭', '沧', '澜',
    '江', '柘', '枳', '鸣', '泉', '枫', '芦', '湾', '雁', '云', '峰', '石', '河', '阳', '安', '宁',
    '平', '兴', '华', '龙', '凤', '泽', '林', '山', '湖', '源', '清', '明', '东', '西', '南', '北',
];
/// Characters that never belong to a place-name stem (`政府在县委`, `开发区`, `全县`).
const STEM_STOP: &[char] = &[
    '县', '区', '市', '镇', '乡', '的', '全', '本', '我', '各', '该', '府', '在', '于', '和', '及',
    '与', '局', '委', '会', '经', '开', '发', '省', '等', '个', '级', '两', '城',
];
const PLACE_SUFFIXES: &[char] = &['县', '区', '市', '镇', '乡', '旗'];

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

fn is_heading(line: &str) -> bool {
    let t = line.trim_start_matches(['\u{3000}', ' ']);
    let mut cs = t.chars();
    let first = cs.next();
    let second = cs.next();
    matches!(
        first,
        Some('一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十')
    ) && matches!(second, Some('、'))
        || t.starts_with('（') && t.chars().nth(2) == Some('）')
        || t.starts_with('#')
}

fn is_top_heading(line: &str) -> bool {
    let t = line.trim_start_matches(['\u{3000}', ' ']);
    t.chars().nth(1) == Some('、')
        && matches!(
            t.chars().next(),
            Some('一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十')
        )
}

struct Sample {
    lines: Vec<String>,
    /// Place-name stems (the two characters before 县/区/市/镇/乡) found near the top.
    stems: Vec<String>,
    /// Long body paragraphs that other reports may borrow.
    paragraphs: Vec<String>,
}

fn load_samples(dir: &Path) -> Vec<Sample> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no samples in {}", dir.display());
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).expect("samples are UTF-8");
            let lines: Vec<String> = text.lines().map(str::to_string).collect();
            let mut stems = Vec::new();
            // Short lines near the top (title, unit, breadcrumbs) and the first clause of the
            // opening paragraph name the unit and its superiors.
            for line in lines.iter().filter(|l| !l.trim().is_empty()).take(8) {
                let head = line.split(['，', ',', '。']).next().unwrap_or(line);
                if head.chars().count() > 60 {
                    continue;
                }
                let cs: Vec<char> = head.chars().collect();
                for i in 2..cs.len() {
                    if PLACE_SUFFIXES.contains(&cs[i]) && is_cjk(cs[i - 1]) && is_cjk(cs[i - 2]) {
                        let stem: String = cs[i - 2..i].iter().collect();
                        let common = [
                            "人民", "政府", "关于", "委员", "法治", "建设", "城乡", "街道",
                        ];
                        if !common.contains(&stem.as_str())
                            && !stem.contains(STEM_STOP)
                            && !stems.contains(&stem)
                        {
                            stems.push(stem);
                        }
                    }
                }
            }
            let paragraphs = lines
                .iter()
                .filter(|l| l.chars().count() > 80 && !is_heading(l))
                .cloned()
                .collect();
            Sample {
                lines,
                stems,
                paragraphs,
            }
        })
        .collect()
}

/// Shift every four-digit year 2000–2099 outside 《…》 by `delta`.
fn shift_years(line: &str, delta: i32) -> String {
    if delta == 0 {
        return line.to_string();
    }
    let cs: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut depth = 0usize;
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        match c {
            '《' => depth += 1,
            '》' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0
            && c == '2'
            && i + 3 < cs.len()
            && cs[i + 1] == '0'
            && cs[i + 2].is_ascii_digit()
            && cs[i + 3].is_ascii_digit()
            && (i == 0 || !cs[i - 1].is_ascii_digit())
            && cs.get(i + 4).is_none_or(|d| !d.is_ascii_digit())
        {
            let y: i32 = cs[i..i + 4]
                .iter()
                .collect::<String>()
                .parse()
                .unwrap_or(2000);
            let _ = write!(out, "{}", (y + delta).clamp(2000, 2099));
            i += 4;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Full-width punctuation to half-width (as some sites and word processors emit it).
fn to_half_width(line: &str) -> String {
    line.chars()
        .map(|c| match c {
            '，' => ',',
            '：' => ':',
            '；' => ';',
            '（' => '(',
            '）' => ')',
            '！' => '!',
            '？' => '?',
            _ => c,
        })
        .collect()
}

/// ASCII digits and punctuation to full-width forms (`２０２２`, `（一）` stays).
fn to_full_width(line: &str) -> String {
    line.chars()
        .map(|c| match c {
            '0'..='9' | ',' | ':' | ';' | '(' | ')' | '%' | '.' => {
                char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A government web page around the report's lines: header, navigation, breadcrumb, metadata
/// box, the article in a CMS container, related links, footer and scripts.
fn html_page(lines: &[String], unit: &str, year: i32, charset: &str, rng: &mut Rng) -> String {
    let title = lines
        .iter()
        .find(|l| l.contains("报告") && l.chars().count() < 60)
        .cloned()
        .unwrap_or_else(|| format!("{unit}{year}年度法治政府建设情况报告"));
    let mut p = String::with_capacity(lines.iter().map(|l| l.len() + 16).sum::<usize>() + 8_192);
    let _ = write!(
        p,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head>\n<meta charset=\"{charset}\">\n\
         <title>{t}-{unit}</title>\n<meta name=\"ArticleTitle\" content=\"{t}\">\n\
         <link rel=\"stylesheet\" href=\"/css/main.css\">\n<style>\n",
        t = escape_html(&title)
    );
    for k in 0..20 + rng.below(40) {
        let _ = writeln!(
            p,
            ".c{k} {{ margin: {k}px; padding: 0 {k}px; font-size: 14px; }}"
        );
    }
    p.push_str("</style>\n</head>\n<body>\n<div class=\"header\"><div class=\"top\">关怀版 | 无障碍 | 繁體</div>\n");
    let _ = writeln!(
        p,
        "<div class=\"logo\">{unit}</div></div>\n<div class=\"nav\"><ul>"
    );
    for item in [
        "首页",
        "政务公开",
        "政务服务",
        "互动交流",
        "走进本地",
        "专题专栏",
        "数据发布",
        "政策解读",
    ] {
        let _ = writeln!(p, "<li><a href=\"/{}/\">{item}</a></li>", rng.below(1000));
    }
    p.push_str("</ul></div>\n<div class=\"breadcrumb\">您当前所在位置：<a href=\"/\">首页</a> &gt; 政务公开 &gt; 法治政府建设年度报告</div>\n");
    let _ = writeln!(
        p,
        "<div class=\"info\">信息来源：{unit} 发布时间：{}-{:02}-{:02} 浏览次数：{}</div>",
        year + 1,
        1 + rng.below(5),
        1 + rng.below(28),
        rng.below(5000)
    );
    p.push_str("<div class=\"TRS_Editor\">\n");
    for l in lines {
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        if is_top_heading(t) && rng.chance(0.5) {
            let _ = writeln!(p, "<p><strong>{}</strong></p>", escape_html(t));
        } else {
            let _ = writeln!(p, "<p style=\"text-indent:2em\">{}</p>", escape_html(t));
        }
    }
    p.push_str("</div>\n<div class=\"article-tools\"><a href=\"javascript:window.print()\">打印本页</a> <a href=\"javascript:window.close()\">关闭窗口</a></div>\n");
    p.push_str("<div class=\"xgwz\"><h3>相关文章</h3><ul>\n");
    for k in 1..=3 + rng.below(5) {
        let _ = writeln!(
            p,
            "<li><a href=\"/a/{k}\">{unit}关于{}年度法治政府建设情况的报告</a></li>",
            year - k as i32
        );
    }
    p.push_str("</ul></div>\n<div class=\"footer\">版权所有：");
    let _ = writeln!(
        p,
        "{unit} 网站标识码：{} ICP备{}号</div>",
        1_000_000_000 + rng.below(1_000_000_000),
        rng.below(100_000_000)
    );
    p.push_str("<script>var _hmt = _hmt || []; (function() { var hm = document.createElement('script'); })();</script>\n</body></html>\n");
    p
}

#[derive(Default)]
struct Stats {
    files: usize,
    bytes: u64,
    txt: usize,
    html: usize,
    md: usize,
    gb18030: usize,
    crlf: usize,
    half_width: usize,
    full_width: usize,
    smallest: u64,
    largest: u64,
}

fn generate(samples: &[Sample], i: usize, seed: u64, stats: &mut Stats) -> (String, Vec<u8>) {
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93));
    let base_index = rng.below(samples.len());
    let base = &samples[base_index];

    // New place names for the stems of this sample.
    let renames: Vec<(String, String)> = base
        .stems
        .iter()
        .map(|s| {
            let a = *rng.pick(NAME_CHARS);
            let b = *rng.pick(NAME_CHARS);
            (s.clone(), format!("{a}{b}"))
        })
        .collect();
    let delta = rng.below(7) as i32 - 3;

    // Which top-level part to drop, if any (never the first, which holds the title).
    let tops: Vec<usize> = (0..base.lines.len())
        .filter(|&k| is_top_heading(&base.lines[k]))
        .collect();
    let dropped_part = (rng.chance(0.12) && tops.len() >= 3).then(|| {
        let k = rng.below(tops.len());
        let end = tops.get(k + 1).copied().unwrap_or(base.lines.len());
        tops[k]..end
    });
    // Borrowed paragraphs: most reports are sample-sized, some much longer.
    let extra = if rng.chance(0.01) {
        100 + rng.below(300)
    } else if rng.chance(0.35) {
        2 + rng.below(30)
    } else {
        0
    };
    let insert_at = tops.first().map_or(base.lines.len() / 2, |&t| t + 1);

    let mut lines: Vec<String> = Vec::with_capacity(base.lines.len() + extra);
    for (k, line) in base.lines.iter().enumerate() {
        if dropped_part.as_ref().is_some_and(|r| r.contains(&k)) {
            continue;
        }
        if k > 3 && !is_heading(line) && line.chars().count() > 40 && rng.chance(0.06) {
            continue;
        }
        lines.push(line.clone());
        if k == insert_at {
            for _ in 0..extra {
                let other = &samples[rng.below(samples.len())];
                if let Some(p) = (!other.paragraphs.is_empty()).then(|| rng.pick(&other.paragraphs))
                {
                    lines.push(p.clone());
                    if rng.chance(0.5) {
                        lines.push(String::new());
                    }
                }
            }
        }
    }
    for line in &mut lines {
        let mut l = shift_years(line, delta);
        for (from, to) in &renames {
            if l.contains(from.as_str()) {
                l = l.replace(from.as_str(), to);
            }
        }
        *line = l;
    }
    let punctuation = rng.below(10);
    if punctuation < 3 {
        stats.half_width += 1;
        lines.iter_mut().for_each(|l| *l = to_half_width(l));
    } else if punctuation == 3 {
        stats.full_width += 1;
        lines.iter_mut().for_each(|l| *l = to_full_width(l));
    }

    let unit = renames.first().map_or_else(
        || "某县人民政府".to_string(),
        |(_, to)| format!("{to}县人民政府"),
    );
    let year = 2022 + delta;
    let form = rng.below(100);
    let gb = rng.chance(0.15);
    let crlf = rng.chance(0.2);
    let newline = if crlf { "\r\n" } else { "\n" };
    let (ext, text) = if form < 20 {
        stats.html += 1;
        let page = html_page(
            &lines,
            &unit,
            year,
            if gb { "gb2312" } else { "utf-8" },
            &mut rng,
        );
        (
            "html",
            if crlf {
                page.replace('\n', "\r\n")
            } else {
                page
            },
        )
    } else if form < 25 {
        stats.md += 1;
        let md: Vec<String> = lines
            .iter()
            .enumerate()
            .map(|(k, l)| {
                if k == 0 {
                    format!("# {l}")
                } else if is_top_heading(l) {
                    format!("## {l}")
                } else {
                    l.clone()
                }
            })
            .collect();
        ("md", md.join(newline) + newline)
    } else {
        stats.txt += 1;
        ("txt", lines.join(newline) + newline)
    };
    if crlf {
        stats.crlf += 1;
    }
    let bytes = if gb && ext != "md" {
        stats.gb18030 += 1;
        let (b, _, _) = GB18030.encode(&text);
        b.into_owned()
    } else {
        text.into_bytes()
    };
    let name = format!("d{:04}/r{i:07}.{ext}", i / PER_DIR);
    (name, bytes)
}

/// A damaged file in one of the ways real batches contain: binary junk named `.txt`, a `.docx`
/// that is not a ZIP, an empty file, a UTF-8 report with invalid bytes after its start, a PDF
/// header with nothing behind it.
fn damage(name: String, mut bytes: Vec<u8>, rng: &mut Rng) -> (String, Vec<u8>) {
    let stem = name
        .rsplit_once('.')
        .map_or(name.as_str(), |(s, _)| s)
        .to_string();
    match rng.below(5) {
        0 => (
            format!("{stem}.txt"),
            (0..4096).map(|_| (rng.next() >> 56) as u8).collect(),
        ),
        1 => (format!("{stem}.docx"), b"PK\x03\x04 truncated".to_vec()),
        2 => (format!("{stem}.txt"), Vec::new()),
        3 => {
            let at = bytes.len() / 2;
            bytes.splice(at..at, [0xFF, 0xFE, 0xFD, 0x80, 0x80]);
            bytes.truncate(at + 200);
            (format!("{stem}.txt"), bytes)
        }
        _ => (format!("{stem}.pdf"), b"%PDF-1.7\n%broken".to_vec()),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 || args.len() > 3 {
        eprintln!("usage: gen_corpus OUT_DIR N [SEED]");
        std::process::exit(2);
    }
    let out = PathBuf::from(&args[0]);
    let n: usize = args[1].parse().unwrap_or_else(|_| {
        eprintln!("N must be a number");
        std::process::exit(2)
    });
    let seed: u64 = args.get(2).map_or(42, |s| {
        s.parse().unwrap_or_else(|_| {
            eprintln!("SEED must be a number");
            std::process::exit(2)
        })
    });
    let samples_dir = std::env::var_os("SAMPLES_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"));
    let samples = load_samples(&samples_dir);
    if std::env::var_os("GEN_CORPUS_DEBUG").is_some() {
        for s in &samples {
            eprintln!(
                "{:?} | {} borrowable paragraphs",
                s.stems,
                s.paragraphs.len()
            );
        }
    }

    let mut stats = Stats {
        smallest: u64::MAX,
        ..Stats::default()
    };
    // GEN_CORPUS_CORRUPT=0.01: that share of the files is damaged (reliability runs).
    let corrupt_share: f64 = std::env::var("GEN_CORPUS_CORRUPT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    let mut corrupt = Vec::new();
    for i in 0..n {
        let (mut name, mut bytes) = generate(&samples, i, seed, &mut stats);
        let mut rng = Rng::new(seed ^ 0xC0FF_EE00 ^ i as u64);
        if rng.chance(corrupt_share) {
            (name, bytes) = damage(name, bytes, &mut rng);
            corrupt.push(name.clone());
        }
        let path = out.join(&name);
        if i % PER_DIR == 0 {
            std::fs::create_dir_all(path.parent().unwrap()).expect("create the output directory");
        }
        std::fs::write(&path, &bytes)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        stats.files += 1;
        stats.bytes += bytes.len() as u64;
        stats.smallest = stats.smallest.min(bytes.len() as u64);
        stats.largest = stats.largest.max(bytes.len() as u64);
    }
    let mib = stats.bytes as f64 / (1024.0 * 1024.0);
    println!(
        "wrote {} reports to {} ({} dirs) from {} samples, seed {seed}",
        stats.files,
        out.display(),
        n.div_ceil(PER_DIR),
        samples.len()
    );
    println!(
        "  forms: {} txt, {} html, {} md; {} GB18030, {} CRLF, {} half-width, {} full-width",
        stats.txt,
        stats.html,
        stats.md,
        stats.gb18030,
        stats.crlf,
        stats.half_width,
        stats.full_width
    );
    if stats.files > 0 {
        println!(
            "  sizes: {} to {} bytes, mean {} bytes",
            stats.smallest,
            stats.largest,
            stats.bytes / stats.files as u64
        );
    }
    println!("  total: {:.1} MiB", mib);
    if !corrupt.is_empty() {
        let list = out.join("corrupt.lst");
        std::fs::write(&list, corrupt.join("\n") + "\n").expect("write corrupt.lst");
        println!(
            "  damaged: {} files, listed in {}",
            corrupt.len(),
            list.display()
        );
    }
    println!("total_bytes={}", stats.bytes);
}
