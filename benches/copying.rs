//! Copy detection (`auditor::copying`) stage by stage: fingerprinting a parsed report, building
//! the index and finding candidates for a batch of fingerprints, and verifying a small batch
//! with its passages. The whole pipeline over a generated corpus (reading files included) is
//! `examples/copying_batch.rs`; `docs/copying.md` has both sets of figures.
//!
//! ```sh
//! cargo bench --bench copying
//! ```

mod support;

use auditor::copying::{self, CopyIndex, Fingerprint, Options};
use auditor::report::Report;
use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use std::sync::LazyLock;

fn main() {
    divan::main();
}

/// The bundled samples' texts.
static TEXTS: LazyLock<Vec<String>> = LazyLock::new(|| support::samples().1);

static REPORTS: LazyLock<Vec<Report>> =
    LazyLock::new(|| TEXTS.iter().map(|t| Report::parse(t)).collect());

/// `fingerprint` on every parsed sample: sentence cutting, normalisation, hashing.
#[divan::bench]
fn fingerprint(bencher: Bencher) {
    let n: usize = TEXTS.iter().map(String::len).sum();
    bencher
        .counter(BytesCount::new(n))
        .bench(|| REPORTS.iter().map(copying::fingerprint).collect::<Vec<_>>());
}

/// `n` fingerprints with the samples' lengths (in sentences) and sentences of their own, but
/// every odd report copies a run of a third of the report before it, and every report opens
/// with the same three stock sentences (boilerplate).
fn synthetic(n: usize) -> Vec<Fingerprint> {
    let lengths: Vec<usize> = REPORTS
        .iter()
        .map(|r| copying::fingerprint(r).len().max(9))
        .collect();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 32) as u32
    };
    let mut out: Vec<Fingerprint> = Vec::with_capacity(n);
    for i in 0..n {
        let len = lengths[i % lengths.len()];
        let mut keys: Vec<u32> = (0..len).map(|_| next()).collect();
        keys[..3].copy_from_slice(&[1, 2, 3]);
        if i % 2 == 1 {
            let before = &out[i - 1].keys;
            let run = before.len() / 3;
            let to = len.min(3 + run).min(before.len());
            keys[3..to].copy_from_slice(&before[3..to]);
        }
        out.push(Fingerprint {
            lengths: vec![30; len].into(),
            keys: keys.into(),
        });
    }
    out
}

/// Adding `n` fingerprints to an index and finding the candidate pairs.
#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 3)]
fn index_and_candidates(bencher: Bencher, n: usize) {
    let fps = synthetic(n);
    bencher
        .counter(ItemsCount::new(n))
        .with_inputs(|| fps.clone())
        .bench_local_values(|fps| {
            let mut index = CopyIndex::new(Options::default());
            for (id, fp) in fps.into_iter().enumerate() {
                index.add(id, fp);
            }
            index.candidates()
        });
}

/// The whole detection on the samples plus a copy of each with another sample's paragraphs
/// pasted in: candidates, verification (parsing each report again) and passages.
#[divan::bench(sample_count = 10)]
fn detect_samples(bencher: Bencher) {
    let texts = &*TEXTS;
    let mut batch: Vec<String> = texts.clone();
    for (i, t) in texts.iter().enumerate() {
        let donor = &texts[(i + 1) % texts.len()];
        let pasted: Vec<&str> = donor
            .lines()
            .filter(|l| l.chars().count() > 60)
            .take(4)
            .collect();
        batch.push(format!("{t}\n{}", pasted.join("\n")));
    }
    let paths: Vec<String> = (0..batch.len()).map(|i| format!("r{i}.txt")).collect();
    let fps: Vec<Fingerprint> = batch
        .iter()
        .map(|t| copying::fingerprint(&Report::parse(t)))
        .collect();
    bencher
        .counter(ItemsCount::new(batch.len()))
        .with_inputs(|| fps.clone())
        .bench_local_values(|fps| {
            let mut index = CopyIndex::new(Options::default());
            for (id, fp) in fps.into_iter().enumerate() {
                index.add(id, fp);
            }
            index.detect(&paths, |id| batch.get(id).map(|t| Report::parse(t)))
        });
}

/// Adding `n` fingerprints to an index only (no candidates).
#[divan::bench(args = [10_000, 100_000], sample_count = 3)]
fn index_add(bencher: Bencher, n: usize) {
    let fps = synthetic(n);
    bencher
        .counter(ItemsCount::new(n))
        .with_inputs(|| fps.clone())
        .bench_local_values(|fps| {
            let mut index = CopyIndex::new(Options::default());
            for (id, fp) in fps.into_iter().enumerate() {
                index.add(id, fp);
            }
            index
        });
}
