//! Per-stage micro-benchmarks on the bundled samples: decoding (UTF-8, GB18030, HTML pages),
//! normalisation, report parsing, rule evaluation, pack compilation, rendering, and the whole
//! pipeline for one report. Each benchmark processes all 17 samples and counts their bytes, so
//! divan prints a throughput (MB/s) that can be set against `rg` and the CLI (see
//! `scripts/bench.sh` and `docs/performance.md`).
//!
//! ```sh
//! cargo bench --bench stages                 # everything
//! cargo bench --bench stages -- eval         # only the benchmarks whose name holds `eval`
//! ```

mod support;

use auditor::load::{self, Input, Options};
use auditor::normalize;
use auditor::render::{self, Batch, Format};
use auditor::report::Report;
use auditor::rules::Pack;
use divan::Bencher;
use divan::counter::BytesCount;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

fn main() {
    divan::main();
}

/// The samples: their paths, UTF-8 text, and the same text encoded in GB18030 and wrapped in a
/// minimal government web page.
struct Samples {
    paths: Vec<PathBuf>,
    utf8: Vec<Vec<u8>>,
    gb18030: Vec<Vec<u8>>,
    html: Vec<Vec<u8>>,
    texts: Vec<String>,
}

impl Samples {
    fn bytes(set: &[Vec<u8>]) -> BytesCount {
        BytesCount::new(set.iter().map(Vec::len).sum::<usize>())
    }
}

static SAMPLES: LazyLock<Samples> = LazyLock::new(|| {
    let (paths, texts) = support::samples();
    let utf8 = texts.iter().map(|t| t.as_bytes().to_vec()).collect();
    let gb18030 = texts
        .iter()
        .map(|t| encoding_rs::GB18030.encode(t).0.into_owned())
        .collect();
    let html = texts.iter().map(|t| html_page(t).into_bytes()).collect();
    Samples {
        paths,
        utf8,
        gb18030,
        html,
        texts,
    }
});

static PACK: LazyLock<Pack> = LazyLock::new(|| Pack::load("2021").expect("bundled pack"));

/// The documents as the loader gives them (decoded text).
static TEXTS: LazyLock<Vec<String>> =
    LazyLock::new(|| SAMPLES.utf8.iter().map(|b| read(b, "r.txt").text).collect());

static REPORTS: LazyLock<Vec<Report>> =
    LazyLock::new(|| TEXTS.iter().map(|t| Report::parse(t)).collect());

/// A page like the ones saved from government sites: navigation, metadata box, article, footer.
fn html_page(text: &str) -> String {
    let mut page = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>报告</title></head><body>\n\
         <div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/gk\">政务公开</a></div>\n\
         <div class=\"info\">发布时间：2023-03-10 浏览次数：</div>\n<div class=\"TRS_Editor\">\n",
    );
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let line = line
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        page.push_str("<p>");
        page.push_str(&line);
        page.push_str("</p>\n");
    }
    page.push_str("</div>\n<div class=\"footer\">版权所有</div></body></html>\n");
    page
}

fn read(bytes: &[u8], name: &str) -> load::Document {
    load::read_bytes(bytes, Some(Path::new(name)), &Options::default()).expect("sample reads")
}

// ---- load: bytes to text -------------------------------------------------------------------

mod load_stage {
    use super::*;

    /// Format sniffing, UTF-8 validation, control-character check and SHA-256.
    #[divan::bench]
    fn decode_utf8(bencher: Bencher) {
        let s = &*SAMPLES;
        bencher.counter(Samples::bytes(&s.utf8)).bench(|| {
            for b in &s.utf8 {
                divan::black_box(read(b, "r.txt"));
            }
        });
    }

    /// GB18030 input: UTF-8 validation fails, chardetng guesses, encoding_rs decodes.
    #[divan::bench]
    fn decode_gb18030(bencher: Bencher) {
        let s = &*SAMPLES;
        bencher.counter(Samples::bytes(&s.gb18030)).bench(|| {
            for b in &s.gb18030 {
                divan::black_box(read(b, "r.txt"));
            }
        });
    }

    /// HTML pages: decoding, html5ever parse, main-text extraction.
    #[divan::bench]
    fn decode_html(bencher: Bencher) {
        let s = &*SAMPLES;
        bencher.counter(Samples::bytes(&s.html)).bench(|| {
            for b in &s.html {
                divan::black_box(read(b, "r.html"));
            }
        });
    }

    /// SHA-256 of the input, as every read computes it.
    #[divan::bench]
    fn sha256(bencher: Bencher) {
        let s = &*SAMPLES;
        bencher.counter(Samples::bytes(&s.utf8)).bench(|| {
            for b in &s.utf8 {
                divan::black_box(load::sha256_hex(b));
            }
        });
    }
}

// ---- normalize -----------------------------------------------------------------------------

mod normalize_stage {
    use super::*;

    /// `fold` over every line of every sample.
    #[divan::bench]
    fn fold_lines(bencher: Bencher) {
        let s = &*SAMPLES;
        bencher.counter(Samples::bytes(&s.utf8)).bench(|| {
            for t in &s.texts {
                for line in normalize::lines(t) {
                    divan::black_box(normalize::fold(line));
                }
            }
        });
    }

    /// The traditional-script check `Report::parse` runs on every report (OpenCC over up to
    /// 20,000 CJK characters).
    #[divan::bench]
    fn looks_traditional(bencher: Bencher) {
        let s = &*SAMPLES;
        bencher.counter(Samples::bytes(&s.utf8)).bench(|| {
            for t in &s.texts {
                divan::black_box(normalize::looks_traditional(t));
            }
        });
    }
}

// ---- report model, evaluation, pack --------------------------------------------------------

/// `Report::parse`: blocks, folding, chrome, outline, metadata.
#[divan::bench]
fn report_parse(bencher: Bencher) {
    let texts = &*TEXTS;
    let n: usize = texts.iter().map(String::len).sum();
    bencher.counter(BytesCount::new(n)).bench(|| {
        for t in texts {
            divan::black_box(Report::parse(t));
        }
    });
}

/// `eval::audit` on parsed reports: every rule of the 2021 pack.
#[divan::bench]
fn eval_audit(bencher: Bencher) {
    let pack = &*PACK;
    let reports = &*REPORTS;
    let n: usize = TEXTS.iter().map(String::len).sum();
    bencher.counter(BytesCount::new(n)).bench(|| {
        for r in reports {
            divan::black_box(auditor::eval::audit(r, pack));
        }
    });
}

/// `eval::audit_and_measure` on the same reports at once, rule by rule (as a worker audits its
/// chunk), with the measures. Here every automaton stays in the caches either way; in a batch
/// the reading and parsing between two reports push them out (see `docs/performance.md`).
#[divan::bench]
fn eval_audit_rule_by_rule(bencher: Bencher) {
    let pack = &*PACK;
    let reports: Vec<&Report> = REPORTS.iter().collect();
    let n: usize = TEXTS.iter().map(String::len).sum();
    bencher.counter(BytesCount::new(n)).bench(|| {
        divan::black_box(auditor::eval::audit_and_measure(&reports, pack));
    });
}

/// Loading, validating and compiling the bundled 2021 pack (done once per run).
#[divan::bench]
fn pack_compile() -> Pack {
    Pack::load("2021").expect("bundled pack")
}

/// The whole pipeline for one report at a time, in memory: decode, parse, evaluate.
#[divan::bench]
fn pipeline_in_memory(bencher: Bencher) {
    let s = &*SAMPLES;
    let pack = &*PACK;
    bencher.counter(Samples::bytes(&s.utf8)).bench(|| {
        for b in &s.utf8 {
            let doc = read(b, "r.txt");
            divan::black_box(auditor::audit_document(&doc, pack));
        }
    });
}

// ---- render --------------------------------------------------------------------------------

mod render_stage {
    use super::*;

    /// Audited samples repeated to `n` reports, as the CLI holds them before rendering.
    fn audited(n: usize) -> Vec<auditor::Audited> {
        let packs = auditor::PackSet::one(PACK.clone());
        let one: Vec<auditor::Audited> = SAMPLES
            .paths
            .iter()
            .map(|p| auditor::audit_input(&Input::File(p.clone()), &packs, &Options::default()))
            .collect();
        one.iter().cycle().take(n).cloned().collect()
    }

    fn run(bencher: Bencher, n: usize, format: Format, summary_only: bool) {
        let audited = audited(n);
        let pack = &*PACK;
        bencher.bench(|| {
            let batch = Batch {
                pack,
                audited: &audited,
                skipped: &[],
                stale_waivers: &[],
                summary_only,
                color: false,
            };
            divan::black_box(render::render(format, &batch).expect("renders"))
        });
    }

    #[divan::bench(args = [17, 1000])]
    fn json(bencher: Bencher, n: usize) {
        run(bencher, n, Format::Json, false);
    }

    #[divan::bench(args = [17, 1000])]
    fn table(bencher: Bencher, n: usize) {
        run(bencher, n, Format::Table, false);
    }

    #[divan::bench(args = [17, 1000])]
    fn summary(bencher: Bencher, n: usize) {
        run(bencher, n, Format::Table, true);
    }
}
