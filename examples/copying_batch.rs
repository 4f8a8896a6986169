//! Copy detection over a whole directory, the way a two-pass batch runs it, with timings: the
//! measured runs of `docs/copying.md`.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- /tmp/corpus 10000 7
//! /usr/bin/time -v cargo run --release --example copying_batch -- /tmp/corpus
//! ```
//!
//! Pass 1 reads, parses and fingerprints every report in parallel, a chunk at a time, adding
//! each chunk's fingerprints to the index (so only one chunk of full fingerprints is ever
//! held). Then the index finds candidates, and verification re-reads the reports it needs.
//! Prints one line per stage and a summary; `COPYING_JSON=1` also prints every report's
//! `copying` object as JSON lines.

use auditor::copying::{self, CopyIndex, Options};
use auditor::load::{self, Input};
use auditor::report::Report;
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

const CHUNK: usize = 1_000;

fn read(input: &Input) -> Option<Report> {
    let document = load::read(input, &load::Options::default()).ok()?;
    Some(Report::parse(&document.text))
}

/// The default options, with `COPYING_<FIELD>` environment variables overriding some (e.g.
/// `COPYING_BOILERPLATE_CAP=100000` to see every shared sentence as copying).
fn options_from_env() -> Options {
    let mut o = Options::default();
    let var = |name: &str| std::env::var(format!("COPYING_{name}")).ok();
    if let Some(v) = var("BOILERPLATE_CAP").and_then(|v| v.parse().ok()) {
        o.boilerplate_cap = v;
    }
    if let Some(v) = var("BOILERPLATE_FRACTION").and_then(|v| v.parse().ok()) {
        o.boilerplate_fraction = v;
    }
    if let Some(v) = var("MAX_CANDIDATES").and_then(|v| v.parse().ok()) {
        o.max_candidates = v;
    }
    if let Some(v) = var("SAMPLE_ONE_IN").and_then(|v| v.parse().ok()) {
        o.sample_one_in = v;
    }
    println!("options: {o:?}");
    o
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .expect("usage: copying_batch DIR");
    let (inputs, _) = load::collect(&[dir], &load::Selection::default());
    let paths: Vec<String> = inputs.iter().map(Input::label).collect();
    println!("reports: {}", inputs.len());

    let t = Instant::now();
    let mut index = CopyIndex::new(options_from_env());
    let mut sentences = 0usize;
    for (c, chunk) in inputs.chunks(CHUNK).enumerate() {
        let fps: Vec<Option<copying::Fingerprint>> = chunk
            .par_iter()
            .map(|i| read(i).map(|r| copying::fingerprint(&r)))
            .collect();
        for (k, fp) in fps.into_iter().enumerate() {
            if let Some(fp) = fp {
                sentences += fp.len();
                index.add(c * CHUNK + k, fp);
            }
        }
    }
    let pass1 = t.elapsed();
    println!(
        "pass 1 (read, parse, fingerprint, index): {:.2}s; {} sentences, {:.0} per report",
        pass1.as_secs_f64(),
        sentences,
        sentences as f64 / inputs.len().max(1) as f64
    );

    let t = Instant::now();
    let candidates = index.candidates();
    println!(
        "candidates: {} pairs in {:.2}s; boilerplate threshold {} reports; index {:.1} MB ({} bytes per report)",
        candidates.len(),
        t.elapsed().as_secs_f64(),
        index.boilerplate_threshold(),
        index.heap_bytes() as f64 / 1e6,
        index.heap_bytes() / inputs.len().max(1)
    );

    let t = Instant::now();
    let loads = std::sync::atomic::AtomicUsize::new(0);
    let out = index.verify_candidates(&candidates, &paths, |id| {
        loads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        inputs.get(id).and_then(read)
    });
    let flagged: Vec<f64> = out
        .iter()
        .flatten()
        .filter(|c| !c.pairs.is_empty())
        .map(|c| c.share)
        .collect();
    let pairs: usize = out.iter().flatten().map(|c| c.pairs.len()).sum::<usize>() / 2;
    let result_bytes: usize = out
        .iter()
        .flatten()
        .map(|c| serde_json::to_string(c).map_or(0, |s| s.len()))
        .sum();
    println!(
        "verify: {:.2}s, {} reports re-read; {} pairs reported; {} reports with copying, mean share {:.3}; results {:.1} MB as JSON",
        t.elapsed().as_secs_f64(),
        loads.into_inner(),
        pairs,
        flagged.len(),
        if flagged.is_empty() {
            0.0
        } else {
            flagged.iter().sum::<f64>() / flagged.len() as f64
        },
        result_bytes as f64 / 1e6
    );
    if std::env::var_os("COPYING_JSON").is_some() {
        for (p, c) in paths.iter().zip(&out) {
            if let Some(c) = c {
                println!("{}", serde_json::json!({"path": p, "copying": c}));
            }
        }
    }
}
