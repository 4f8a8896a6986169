//! Copy detection (issue #8): passages shared between the reports of a batch, and the share of a
//! report that repeats the same unit's report of the year before.
//!
//! # Method
//!
//! **Sentences as the unit of matching.** Every body block (never chrome or the title) is cut
//! into sentences at `。；！？` and at line ends. Each sentence is normalised so that the edits a
//! copier makes do not hide the copy: quoted titles and quotations (`《…》`, `“…”`, `「…」` …)
//! are dropped — quoting the same regulation is not copying —, every run of digits or Chinese
//! numerals becomes one digit class, every run of Latin letters one letter class, punctuation
//! and spaces go (so full- and half-width punctuation match), and the two characters before a
//! place or office suffix (`青岚镇`, `澄溪县`, `司法局`) become a placeholder, so a copy with
//! the names changed still matches. Sentences with fewer than
//! [`Options::min_sentence_chars`] CJK characters left (headings, `一是…` stubs) are ignored.
//! A sentence is then one 64-bit FNV-1a hash. Sentences rather than character *k*-shingles
//! because the copy reviewers care about is whole sentences and paragraphs, and a hash per
//! sentence keeps both the fingerprint and the exact verification small.
//!
//! **Index a sample chosen by the sentence itself.** The inverted index holds the sentences
//! whose hash falls in one residue class ([`Options::sample_one_in`], default 1 in 2), so a
//! sentence shared by two reports is indexed in both or in neither. Candidates need
//! [`Options::min_shared_samples`] (2) shared indexed sentences: a pair sharing `s` sentences
//! is found with probability P(Binomial(s, ½) ≥ 2) — 89% at 6 shared sentences, 99.4% at 11
//! — whether they are one passage or scattered paragraphs. Winnowing (the minimum of every
//! window of sentences) was the first design: it guarantees runs of `2w` sentences, but the
//! choice depends on the neighbours, so a copied paragraph between a report's own paragraphs
//! is sampled in one report and not in the other; two departments sharing a third of their
//! text in scattered paragraphs is the case reviewers care about. MinHash/LSH over whole
//! documents was not chosen either: a pair sharing 30% of its sentences has a Jaccard
//! similarity of about 0.18, which banding finds only with many bands, and it says nothing
//! about which passages are shared.
//!
//! **Boilerplate by frequency.** A count-min sketch counts, for every sentence hash, the
//! reports it occurs in. A sentence in at least [`CopyIndex::boilerplate_threshold`] reports
//! (`max(boilerplate_min, min(boilerplate_fraction × N, boilerplate_cap))`) is a standard
//! opening or stock sentence: it neither makes two reports candidates nor counts as copied.
//! The sketch overestimates, never underestimates, so an error can only make a sentence
//! boilerplate early; with 2 × 2²¹ counters and 7 million distinct sentences (100,000
//! reports) a cell holds a few sentences' counts, far below the threshold of 200, unless both
//! of a sentence's cells are shared with a boilerplate sentence — for ten thousand boilerplate
//! sentences, about 1 sentence in 40,000.
//!
//! **Candidates, then verification on keys, then on the text.** Two reports are candidates
//! when they share at least [`Options::min_shared_samples`] indexed non-boilerplate sentences;
//! each report keeps its [`Options::max_candidates`] best partners, so the work is bounded
//! however much a batch shares. The index keeps every report's sentence keys (4 bytes a
//! sentence), so candidates are first checked in memory: a pair stays when one side shares at
//! least [`Options::min_sentences`] sentences and [`Options::min_chars`] normalised
//! characters. Only then are reports re-read — each report with a partner once, through the
//! caller's `load` closure (a batch cannot keep 100,000 texts in memory) — for the exact
//! shares, the passages (runs of shared sentences within a paragraph) with their line numbers
//! on both sides, and the text as written.
//!
//! # Use in a two-pass batch
//!
//! ```no_run
//! use auditor::copying::{self, CopyIndex, Options};
//! use auditor::report::Report;
//! # let texts: Vec<String> = Vec::new();
//! # let paths: Vec<String> = Vec::new();
//! // Pass 1 (in the parallel audit): one fingerprint per report, added as it comes back.
//! let mut index = CopyIndex::new(Options::default());
//! for (id, text) in texts.iter().enumerate() {
//!     index.add(id, copying::fingerprint(&Report::parse(text)));
//! }
//! // Between the passes: candidates, verified by re-reading the reports.
//! let copying = index.detect(&paths, |id| texts.get(id).map(|t| Report::parse(t)));
//! // Pass 2: `copying[id]` is report `id`'s `copying` object.
//! ```

use crate::eval;
use crate::report::{BlockKind, Meta, Report};
use crate::rules::Pack;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;

/// Tunable thresholds; [`Options::default`] holds the values `docs/copying.md` argues for.
#[derive(Debug, Clone)]
pub struct Options {
    /// One sentence in this many is indexed, chosen by its hash (so the same sentences in
    /// every report): 2 finds 99% of pairs sharing 11 sentences, scattered or not.
    pub sample_one_in: u32,
    /// A sentence counts when this many CJK characters are left after normalisation.
    pub min_sentence_chars: usize,
    /// A sentence in at least this many reports is boilerplate, whatever the batch size…
    pub boilerplate_min: u32,
    /// …or in this fraction of the batch's reports…
    pub boilerplate_fraction: f64,
    /// …but never more than this many reports are needed (a sentence in 200 reports is a
    /// template, and pairing 200 reports with each other says nothing).
    pub boilerplate_cap: u32,
    /// Indexed sentences two reports must share to be candidates.
    pub min_shared_samples: u32,
    /// Partners per report sent to verification (the most shared samples first).
    pub max_candidates: usize,
    /// A pair is reported when one side shares at least this many sentences…
    pub min_sentences: usize,
    /// …and at least this many normalised characters.
    pub min_chars: usize,
    /// Pairs listed per report (the share still counts every pair).
    pub max_pairs: usize,
    /// Passages listed per pair or part.
    pub max_passages: usize,
    /// Characters of a passage's quoted text.
    pub passage_chars: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            sample_one_in: 2,
            min_sentence_chars: 12,
            boilerplate_min: 5,
            boilerplate_fraction: 0.01,
            boilerplate_cap: 200,
            min_shared_samples: 2,
            max_candidates: 20,
            min_sentences: 2,
            min_chars: 60,
            max_pairs: 5,
            max_passages: 8,
            passage_chars: 80,
        }
    }
}

/// What copy detection keeps of a report: its sentences' keys in order and their lengths — 5
/// bytes a sentence (350 bytes for a report of 70 sentences). [`CopyIndex::add`] takes it as
/// it is (no copy), so a pipeline may hold every report's fingerprint until it builds the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprint {
    /// The key of every counted sentence, in order: the high 32 bits of its 64-bit hash.
    pub keys: Box<[u32]>,
    /// The normalised characters of each, saturating at 255.
    pub lengths: Box<[u8]>,
}

impl Fingerprint {
    /// Counted sentences.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// A report's `copying` object in the JSON output.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Copying {
    /// Share (0–1, three decimals) of the report's normalised text shared with any other report.
    pub share: f64,
    /// The reports it shares passages with, the largest share first.
    pub pairs: Vec<CopyPair>,
    /// What it repeats of the same unit's report of the year before, when the batch (or the
    /// `--against` set) has one: filled by the caller from [`compare_years`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_year: Option<YearOverYear>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CopyPair {
    /// The other report's path.
    pub with: String,
    /// Share of *this* report's normalised text found in the other.
    pub share: f64,
    pub passages: Vec<Passage>,
}

/// A shared passage: where it starts here and in the other report, and its text here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    pub line: usize,
    pub with_line: usize,
    pub text: String,
}

/// How much of a report repeats the same unit's report of the year before.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct YearOverYear {
    /// Last year's report (its path).
    pub with: String,
    /// Share (0–1) of this year's normalised text found in last year's report.
    pub share: f64,
    /// The same by part (the pack's section rules), in the pack's order.
    pub by_part: Vec<PartRepeat>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartRepeat {
    /// The section rule's id: `achievements`, `shortcomings`, `next-year-plan` …
    pub part: String,
    pub share: f64,
    pub passages: Vec<Passage>,
}

// ---- sentences -------------------------------------------------------------------------------

/// A sentence as matching sees it, with the way back to the report.
#[derive(Debug, Clone, Copy)]
struct Sentence {
    hash: u64,
    /// Normalised characters.
    chars: u32,
    /// Block index in the report.
    block: u32,
    /// Byte range in the block's folded text.
    start: u32,
    end: u32,
}

const SENTENCE_ENDS: &[char] = &['。', ';', '!', '?'];
const QUOTES: &[(char, char)] = &[
    ('《', '》'),
    ('“', '”'),
    ('「', '」'),
    ('『', '』'),
    ('〈', '〉'),
    ('‘', '’'),
    ('"', '"'),
];
/// Suffixes of place and office names: the two characters before one are a name stem.
const NAME_SUFFIXES: &[char] = &[
    '省', '市', '县', '区', '镇', '乡', '旗', '州', '村', '局', '街',
];
/// Characters that do not belong to a name stem (`全县`, `我镇`, `各村`, `政府在县委`).
const STEM_STOP: &[char] = &[
    '全', '本', '我', '各', '该', '在', '于', '和', '及', '与', '等', '个', '级', '两', '城', '府',
    '委', '会', '省', '市', '县', '区', '镇', '乡', '局', '村', '的', '对', '到', '为',
];
const NUMERALS: &[char] = &[
    '〇', '零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千', '万', '亿',
    '两',
];
const DIGIT_CLASS: char = '0';
const LATIN_CLASS: char = 'a';
const NAME_MASK: char = '□';

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// FNV-1a, 64 bits, over the chars' code points: std-only and fast enough for short inputs.
fn fnv1a(chars: &[char]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in chars {
        for b in (c as u32).to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Reusable buffers, so that cutting a report into sentences allocates nothing per sentence.
#[derive(Default)]
struct Scratch {
    kept: Vec<char>,
    norm: Vec<char>,
}

/// Normalise the kept characters of one sentence into `s.norm`; returns its CJK count.
fn normalise(s: &mut Scratch) -> usize {
    s.norm.clear();
    for &c in &s.kept {
        let class = if c.is_ascii_digit() || NUMERALS.contains(&c) {
            DIGIT_CLASS
        } else if c.is_ascii_alphabetic() {
            LATIN_CLASS
        } else if is_cjk(c) {
            c
        } else {
            // Punctuation, spaces, symbols: dropped, so that 12.5% and 12％ are one number.
            continue;
        };
        if (class == DIGIT_CLASS || class == LATIN_CLASS) && s.norm.last() == Some(&class) {
            continue;
        }
        s.norm.push(class);
    }
    // Name stems: the two characters before a place or office suffix.
    for i in 2..s.norm.len() {
        if NAME_SUFFIXES.contains(&s.norm[i]) {
            let (a, b) = (s.norm[i - 2], s.norm[i - 1]);
            if is_cjk(a) && is_cjk(b) && !STEM_STOP.contains(&a) && !STEM_STOP.contains(&b) {
                s.norm[i - 2] = NAME_MASK;
                s.norm[i - 1] = NAME_MASK;
            }
        }
    }
    s.norm.iter().filter(|&&c| is_cjk(c)).count()
}

/// Longest quotation, in characters, that is dropped; the bound keeps a line of unclosed
/// quotes linear to scan.
const MAX_QUOTE_CHARS: usize = 1_000;

/// The closing quote of an opening one at `chars[i]`, if the block closes it soon enough.
fn quote_end(chars: &[(usize, char)], i: usize) -> Option<usize> {
    let open = chars[i].1;
    let &(_, close) = QUOTES.iter().find(|(o, _)| *o == open)?;
    chars[i + 1..]
        .iter()
        .take(MAX_QUOTE_CHARS)
        .position(|&(_, c)| c == close)
        .map(|p| i + 1 + p)
}

/// Every counted sentence of the report's body, in order.
fn sentences(report: &Report, min_chars: usize) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut scratch = Scratch::default();
    let mut chars: Vec<(usize, char)> = Vec::new();
    for bi in report.body() {
        let block = &report.blocks[bi];
        if block.kind == BlockKind::Title {
            continue;
        }
        let text = &block.folded.text;
        // A heading's title is the standard wording of the outline (三、存在的不足和原因), not
        // the report's own text; what follows it on the line is.
        let from = block.heading().map_or(0, |h| h.body_start.min(text.len()));
        if !text.is_char_boundary(from) {
            continue;
        }
        chars.clear();
        chars.extend(text[from..].char_indices().map(|(i, c)| (i + from, c)));
        let mut start = from;
        let mut i = 0usize;
        scratch.kept.clear();
        let mut finish = |scratch: &mut Scratch, from: usize, to: usize| {
            let cjk = normalise(scratch);
            scratch.kept.clear();
            if cjk >= min_chars {
                out.push(Sentence {
                    hash: fnv1a(&scratch.norm),
                    chars: scratch.norm.len() as u32,
                    block: bi as u32,
                    start: from as u32,
                    end: to as u32,
                });
            }
        };
        while i < chars.len() {
            let (at, c) = chars[i];
            if let Some(close) = quote_end(&chars, i) {
                // A quotation is the quoted author's text, not the report's.
                i = close + 1;
                continue;
            }
            if SENTENCE_ENDS.contains(&c) {
                let end = at + c.len_utf8();
                finish(&mut scratch, start, end);
                start = end;
            } else {
                scratch.kept.push(c);
            }
            i += 1;
        }
        if start < text.len() {
            finish(&mut scratch, start, text.len());
        }
    }
    out
}

/// A report's fingerprint for [`CopyIndex::add`].
pub fn fingerprint(report: &Report) -> Fingerprint {
    fingerprint_with(report, &Options::default())
}

/// [`fingerprint`] with other thresholds (only `min_sentence_chars` matters here).
pub fn fingerprint_with(report: &Report, options: &Options) -> Fingerprint {
    let ss = sentences(report, options.min_sentence_chars);
    Fingerprint {
        keys: ss.iter().map(|s| key(s.hash)).collect(),
        lengths: ss.iter().map(|s| s.chars.min(255) as u8).collect(),
    }
}

/// The index key of a sentence hash: its high 32 bits. Two different sentences of a pair of
/// reports share a key with a probability of about n²/2³² (n sentences each: 10⁻⁵ for reports
/// of 200 sentences), so keys are matched as if they were the sentences.
fn key(hash: u64) -> u32 {
    (hash >> 32) as u32
}

/// The indexed sample of a report's sentence keys: those whose mixed key is divisible by
/// `one_in` — a choice that depends on the sentence alone, so a sentence shared by two reports
/// is sampled in both or in neither, whatever surrounds it. Sorted, without repeats.
fn sample(keys: &[u32], one_in: u32) -> Vec<u32> {
    let one_in = one_in.max(1);
    let mut out: Vec<u32> = keys
        .iter()
        .copied()
        .filter(|&k| (k.wrapping_mul(0x9E37_79B1) >> 8) % one_in == 0)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

// ---- index -----------------------------------------------------------------------------------

const SKETCH_BITS: u32 = 21;
const SKETCH_WIDTH: usize = 1 << SKETCH_BITS;

/// Count-min sketch of the number of reports each sentence occurs in: two rows of saturating
/// 16-bit counters (8 MB), indexed by two multiplicative hashes of the sentence key.
struct Sketch {
    rows: [Vec<u16>; 2],
}

impl Sketch {
    fn new() -> Sketch {
        Sketch {
            rows: [vec![0; SKETCH_WIDTH], vec![0; SKETCH_WIDTH]],
        }
    }

    fn cells(k: u32) -> [usize; 2] {
        let k = u64::from(k);
        let a = k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SKETCH_BITS);
        let b = (k ^ 0x5bd1_e995).wrapping_mul(0xC2B2_AE3D_27D4_EB4F) >> (64 - SKETCH_BITS);
        [a as usize, b as usize]
    }

    fn add(&mut self, k: u32) {
        for (row, cell) in self.rows.iter_mut().zip(Sketch::cells(k)) {
            row[cell] = row[cell].saturating_add(1);
        }
    }

    fn count(&self, k: u32) -> u32 {
        let [a, b] = Sketch::cells(k);
        u32::from(self.rows[0][a].min(self.rows[1][b]))
    }
}

/// The batch's copy index: every report's sentence keys (4 bytes a sentence) and lengths (1
/// byte) — its [`Fingerprint`], moved in —, an inverted index of the indexed half of them (8
/// bytes an indexed sentence), and how many reports each sentence occurs in (an 8 MB sketch).
/// About 10 bytes a sentence and 8 MB in all; `docs/copying.md` has the measured figures.
pub struct CopyIndex {
    options: Options,
    /// Sentence keys per report id, in order (empty for ids never added).
    keys: Vec<Box<[u32]>>,
    /// Normalised length of each sentence, saturating at 255 (for choosing pairs; shares are
    /// counted exactly when the report is re-read).
    lengths: Vec<Box<[u8]>>,
    added: Vec<bool>,
    reports: u32,
    /// `key << 32 | id`, sorted by [`CopyIndex::build`]: the inverted index.
    postings: Vec<u64>,
    sorted: bool,
    sketch: Sketch,
}

impl std::fmt::Debug for CopyIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CopyIndex")
            .field("reports", &self.reports)
            .field("postings", &self.postings.len())
            .finish()
    }
}

/// Two reports to verify, `a < b`, with the sampled sentences they share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub a: usize,
    pub b: usize,
    pub shared: u32,
}

/// A pair that passed the check on keys, with each side's estimated share (for ranking).
struct Accepted {
    a: u32,
    b: u32,
    share_a: f64,
    share_b: f64,
}

/// One report's verified copying, before the other reports' lines are known.
struct Verified {
    id: usize,
    /// Line of each of its sentences, for the partners' `with_line`.
    lines: Box<[u32]>,
    share: f64,
    /// Partner id, share, passages whose `with_line` is still the partner's sentence index.
    pairs: Vec<(usize, f64, Vec<Passage>)>,
}

impl CopyIndex {
    pub fn new(options: Options) -> CopyIndex {
        CopyIndex {
            options,
            keys: Vec::new(),
            lengths: Vec::new(),
            added: Vec::new(),
            reports: 0,
            postings: Vec::new(),
            sorted: true,
            sketch: Sketch::new(),
        }
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Reports added.
    pub fn len(&self) -> usize {
        self.reports as usize
    }

    pub fn is_empty(&self) -> bool {
        self.reports == 0
    }

    /// Add report `id` (its index in the batch's paths; ids should be dense, since the index
    /// keeps a slot for every id up to the largest). A second fingerprint for the same id is
    /// ignored, and so are ids above `u32::MAX`.
    pub fn add(&mut self, id: usize, fingerprint: Fingerprint) {
        let Ok(id32) = u32::try_from(id) else {
            return;
        };
        if self.added.get(id).copied().unwrap_or(false) {
            return;
        }
        if self.added.len() <= id {
            self.added.resize(id + 1, false);
            self.keys.resize_with(id + 1, Default::default);
            self.lengths.resize_with(id + 1, Default::default);
        }
        self.added[id] = true;
        self.reports += 1;
        let Fingerprint { keys, mut lengths } = fingerprint;
        if lengths.len() != keys.len() {
            lengths = (0..keys.len())
                .map(|i| lengths.get(i).copied().unwrap_or(0))
                .collect();
        }
        let mut distinct = keys.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        for &k in &distinct {
            self.sketch.add(k);
        }
        let sample = sample(&keys, self.options.sample_one_in);
        self.postings
            .extend(sample.iter().map(|&k| u64::from(k) << 32 | u64::from(id32)));
        self.lengths[id] = lengths;
        self.keys[id] = keys;
        self.sorted = false;
    }

    /// Reports a sentence must occur in to be boilerplate, for this batch's size.
    pub fn boilerplate_threshold(&self) -> u32 {
        let o = &self.options;
        let by_fraction = (o.boilerplate_fraction * f64::from(self.reports)).ceil();
        let by_fraction = if by_fraction.is_finite() && by_fraction > 0.0 {
            by_fraction.min(f64::from(u32::MAX)) as u32
        } else {
            0
        };
        o.boilerplate_min.max(by_fraction.min(o.boilerplate_cap))
    }

    /// Whether a sentence (by its key, as in [`Fingerprint::keys`]) is boilerplate in this
    /// batch.
    pub fn is_boilerplate(&self, key: u32) -> bool {
        self.sketch.count(key) >= self.boilerplate_threshold()
    }

    /// Sort the inverted index (done by [`CopyIndex::candidates`] when needed).
    pub fn build(&mut self) {
        if !self.sorted {
            self.postings.par_sort_unstable();
            self.sorted = true;
        }
    }

    /// The buckets of the inverted index worth pairing: keys sampled in at least two reports,
    /// fewer than the boilerplate threshold, and not boilerplate by the sketch — as `key →
    /// (start, length)` in `postings`. Built by one sequential scan; looking a key up here
    /// instead of binary-searching `postings` keeps the candidate search in cache (most keys
    /// are in one report only and miss this small map), which at 100,000 reports is the
    /// difference between seconds and a fraction of one.
    fn shared_buckets(&self) -> HashMap<u32, (u32, u32)> {
        let threshold = self.boilerplate_threshold() as usize;
        let mut out = HashMap::new();
        let mut start = 0;
        while start < self.postings.len() {
            let k = (self.postings[start] >> 32) as u32;
            let len = self.postings[start..]
                .iter()
                .take_while(|&&p| (p >> 32) as u32 == k)
                .count();
            if len >= 2 && len < threshold && !self.is_boilerplate(k) {
                out.insert(k, (start as u32, len as u32));
            }
            start += len;
        }
        out
    }

    /// Pairs of reports to verify, sorted, each once: reports sharing at least
    /// `min_shared_samples` sampled non-boilerplate sentences, each report's
    /// `max_candidates` best partners.
    pub fn candidates(&mut self) -> Vec<Candidate> {
        self.build();
        let buckets = self.shared_buckets();
        let o = &self.options;
        let mut found: Vec<Candidate> = (0..self.keys.len())
            .into_par_iter()
            .map_init(HashMap::<u32, u32>::new, |counts, i| {
                counts.clear();
                for k in sample(&self.keys[i], o.sample_one_in) {
                    let Some(&(start, len)) = buckets.get(&k) else {
                        continue;
                    };
                    for &p in &self.postings[start as usize..(start + len) as usize] {
                        let j = (p & 0xFFFF_FFFF) as u32;
                        if j as usize != i {
                            *counts.entry(j).or_insert(0) += 1;
                        }
                    }
                }
                let mut best: Vec<(u32, u32)> = counts
                    .iter()
                    .filter(|&(_, &n)| n >= o.min_shared_samples)
                    .map(|(&j, &n)| (j, n))
                    .collect();
                best.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
                best.truncate(o.max_candidates);
                best.into_iter()
                    .map(|(j, n)| Candidate {
                        a: i.min(j as usize),
                        b: i.max(j as usize),
                        shared: n,
                    })
                    .collect::<Vec<_>>()
            })
            .flatten()
            .collect();
        found.par_sort_unstable();
        found.dedup_by_key(|c| (c.a, c.b));
        found
    }

    /// Find, verify and report copying in the batch. `paths[id]` names report `id`; `load(id)`
    /// gives report `id` again (re-read and parsed; `None` if it can no longer be read). Each
    /// report is loaded at most once. Returns one entry per path: `Some` for every report added
    /// to the index, `None` for the others. The result is the same whatever the number of
    /// threads.
    pub fn detect<F>(&mut self, paths: &[String], load: F) -> Vec<Option<Copying>>
    where
        F: Fn(usize) -> Option<Report> + Sync,
    {
        let candidates = self.candidates();
        self.verify_candidates(&candidates, paths, load)
    }

    /// The second half of [`CopyIndex::detect`], for callers that time or inspect the
    /// candidates: verify them and build every report's `copying` object.
    pub fn verify_candidates<F>(
        &self,
        candidates: &[Candidate],
        paths: &[String],
        load: F,
    ) -> Vec<Option<Copying>>
    where
        F: Fn(usize) -> Option<Report> + Sync,
    {
        let accepted = self.accept(candidates);
        let partners = self.partners(&accepted);
        let verified = self.verify(&partners, &load);
        self.assemble(paths, verified)
    }

    /// Heap bytes the index holds (sketch, keys, inverted index), for memory budgets.
    pub fn heap_bytes(&self) -> usize {
        let boxes = std::mem::size_of::<Box<[u32]>>();
        let sketch = self
            .sketch
            .rows
            .iter()
            .map(|r| r.capacity() * 2)
            .sum::<usize>();
        let keys =
            self.keys.capacity() * boxes + self.keys.iter().map(|k| k.len() * 4).sum::<usize>();
        let lengths =
            self.lengths.capacity() * boxes + self.lengths.iter().map(|k| k.len()).sum::<usize>();
        sketch + keys + lengths + self.added.capacity() + self.postings.capacity() * 8
    }

    /// The sentences of `x` (non-boilerplate) whose key `y` has: (count, chars).
    fn overlap(&self, x: usize, sorted_y: &[u32]) -> (usize, usize) {
        let mut n = 0;
        let mut chars = 0;
        for (&k, &len) in self.keys[x].iter().zip(self.lengths[x].iter()) {
            if sorted_y.binary_search(&k).is_ok() && !self.is_boilerplate(k) {
                n += 1;
                chars += usize::from(len);
            }
        }
        (n, chars)
    }

    /// Candidates that share enough on their keys: a first, in-memory verification.
    fn accept(&self, candidates: &[Candidate]) -> Vec<Accepted> {
        let o = &self.options;
        let total = |x: usize| self.lengths[x].iter().map(|&n| n as usize).sum::<usize>();
        candidates
            .par_iter()
            .filter_map(|c| {
                let sorted = |x: usize| {
                    let mut k = self.keys.get(x)?.to_vec();
                    k.sort_unstable();
                    Some(k)
                };
                let (ka, kb) = (sorted(c.a)?, sorted(c.b)?);
                let (na, ca) = self.overlap(c.a, &kb);
                let (nb, cb) = self.overlap(c.b, &ka);
                let enough = |n: usize, chars: usize| n >= o.min_sentences && chars >= o.min_chars;
                (enough(na, ca) || enough(nb, cb)).then(|| Accepted {
                    a: c.a as u32,
                    b: c.b as u32,
                    share_a: ca as f64 / total(c.a).max(1) as f64,
                    share_b: cb as f64 / total(c.b).max(1) as f64,
                })
            })
            .collect()
    }

    /// Each report's partners, the largest estimated share first: `(id, partners)`, by id.
    fn partners(&self, accepted: &[Accepted]) -> Vec<(usize, Vec<u32>)> {
        let mut by_report: HashMap<u32, Vec<(u32, f64)>> = HashMap::new();
        for p in accepted {
            by_report.entry(p.a).or_default().push((p.b, p.share_a));
            by_report.entry(p.b).or_default().push((p.a, p.share_b));
        }
        let mut out: Vec<(usize, Vec<u32>)> = by_report
            .into_iter()
            .map(|(id, mut ps)| {
                ps.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
                (id as usize, ps.into_iter().map(|(q, _)| q).collect())
            })
            .collect();
        out.sort_unstable_by_key(|(id, _)| *id);
        out
    }

    /// Exact verification: every report with partners is loaded once and compared with its
    /// partners' keys; passages are listed for its first `max_pairs` partners.
    fn verify<F>(&self, partners: &[(usize, Vec<u32>)], load: &F) -> Vec<Verified>
    where
        F: Fn(usize) -> Option<Report> + Sync,
    {
        let o = &self.options;
        let boilerplate = |k: u32| self.is_boilerplate(k);
        partners
            .par_iter()
            .filter_map(|(id, ps)| {
                let x = Loaded::new(Cow::Owned(load(*id)?), o);
                let mut matched: Vec<(u32, u32)> = Vec::new();
                let mut pairs = Vec::new();
                for (rank, &q) in ps.iter().enumerate() {
                    let y = KeyTarget::new(self.keys.get(q as usize)?);
                    let listed = rank < o.max_pairs;
                    let view = compare(&x, &y, o, &boilerplate, None, listed);
                    if view.matched.is_empty() {
                        continue;
                    }
                    if listed {
                        let share = ratio(view.matched_chars as u64, view.total_chars);
                        pairs.push((q as usize, share, view.passages));
                    }
                    matched.extend(view.matched);
                }
                matched.sort_unstable();
                matched.dedup();
                let shared: u64 = matched.iter().map(|&(_, c)| u64::from(c)).sum();
                let total: u64 = x.sentences.iter().map(|s| u64::from(s.chars)).sum();
                Some(Verified {
                    id: *id,
                    lines: (0..x.sentences.len() as u32)
                        .map(|i| x.line(i) as u32)
                        .collect(),
                    share: ratio(shared, total),
                    pairs,
                })
            })
            .collect()
    }

    fn assemble(&self, paths: &[String], verified: Vec<Verified>) -> Vec<Option<Copying>> {
        let mut out: Vec<Option<Copying>> = (0..paths.len())
            .map(|id| {
                self.added
                    .get(id)
                    .copied()
                    .unwrap_or(false)
                    .then(Copying::default)
            })
            .collect();
        let mut verified = verified;
        let lines: HashMap<usize, Box<[u32]>> = verified
            .iter_mut()
            .map(|v| (v.id, std::mem::take(&mut v.lines)))
            .collect();
        let path = |id: usize| paths.get(id).cloned().unwrap_or_default();
        for v in verified {
            let Some(Some(copying)) = out.get_mut(v.id) else {
                continue;
            };
            copying.share = v.share;
            for (q, share, mut passages) in v.pairs {
                // `with_line` holds the partner's sentence index until now; 0 when the
                // partner could not be read again.
                let with_lines = lines.get(&q);
                for p in &mut passages {
                    p.with_line = with_lines
                        .and_then(|l| l.get(p.with_line))
                        .map_or(0, |&l| l as usize);
                }
                copying.pairs.push(CopyPair {
                    with: path(q),
                    share,
                    passages,
                });
            }
            copying.pairs.sort_by(|x, y| {
                y.share
                    .total_cmp(&x.share)
                    .then_with(|| x.with.cmp(&y.with))
            });
        }
        out
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    ((part as f64 / whole as f64).min(1.0) * 1000.0).round() / 1000.0
}

/// The other side of a comparison: a report's sentences by key, and where each one is.
trait Target {
    fn len(&self) -> usize;
    fn key_at(&self, i: u32) -> Option<u32>;
    /// The first sentence with this key.
    fn find(&self, k: u32) -> Option<u32>;
    /// Whether two sentences are in one paragraph (unknown: yes).
    fn same_block(&self, i: u32, j: u32) -> bool;
    /// What `with_line` records of a sentence: its line, or its index to be resolved later.
    fn locate(&self, i: u32) -> usize;
}

/// A report re-derived for verification: its sentences and a lookup by key.
struct Loaded<'r> {
    report: Cow<'r, Report>,
    sentences: Vec<Sentence>,
    /// `(key, sentence index)`, sorted.
    by_key: Vec<(u32, u32)>,
}

impl<'r> Loaded<'r> {
    fn new(report: Cow<'r, Report>, options: &Options) -> Loaded<'r> {
        let sentences = sentences(&report, options.min_sentence_chars);
        let mut by_key: Vec<(u32, u32)> = sentences
            .iter()
            .enumerate()
            .map(|(i, s)| (key(s.hash), i as u32))
            .collect();
        by_key.sort_unstable();
        Loaded {
            report,
            sentences,
            by_key,
        }
    }

    fn line(&self, sentence: u32) -> usize {
        let s = &self.sentences[sentence as usize];
        self.report.blocks[s.block as usize].line
    }

    fn original(&self, sentence: u32) -> &str {
        let s = &self.sentences[sentence as usize];
        let block = &self.report.blocks[s.block as usize];
        block.original(s.start as usize..s.end as usize).trim()
    }
}

fn find_sorted(by_key: &[(u32, u32)], k: u32) -> Option<u32> {
    let i = by_key.partition_point(|&(h, _)| h < k);
    by_key.get(i).filter(|&&(h, _)| h == k).map(|&(_, s)| s)
}

impl Target for Loaded<'_> {
    fn len(&self) -> usize {
        self.sentences.len()
    }
    fn key_at(&self, i: u32) -> Option<u32> {
        self.sentences.get(i as usize).map(|s| key(s.hash))
    }
    fn find(&self, k: u32) -> Option<u32> {
        find_sorted(&self.by_key, k)
    }
    fn same_block(&self, i: u32, j: u32) -> bool {
        let b = |i: u32| self.sentences.get(i as usize).map(|s| s.block);
        b(i) == b(j)
    }
    fn locate(&self, i: u32) -> usize {
        self.line(i)
    }
}

/// A partner known only by its keys in the index: `with_line` is resolved when it is loaded.
struct KeyTarget<'a> {
    keys: &'a [u32],
    by_key: Vec<(u32, u32)>,
}

impl KeyTarget<'_> {
    fn new(keys: &[u32]) -> KeyTarget<'_> {
        let mut by_key: Vec<(u32, u32)> = keys
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, i as u32))
            .collect();
        by_key.sort_unstable();
        KeyTarget { keys, by_key }
    }
}

impl Target for KeyTarget<'_> {
    fn len(&self) -> usize {
        self.keys.len()
    }
    fn key_at(&self, i: u32) -> Option<u32> {
        self.keys.get(i as usize).copied()
    }
    fn find(&self, k: u32) -> Option<u32> {
        find_sorted(&self.by_key, k)
    }
    fn same_block(&self, _: u32, _: u32) -> bool {
        true
    }
    fn locate(&self, i: u32) -> usize {
        i as usize
    }
}

/// One side of a comparison: what of `x` is found in `y`.
#[derive(Debug, Default)]
struct View {
    /// Shared sentences of `x`: (index, normalised chars).
    matched: Vec<(u32, u32)>,
    matched_chars: usize,
    /// Normalised chars of the sentences compared (all of `x`, or the part's).
    total_chars: u64,
    passages: Vec<Passage>,
}

/// The sentences of `x` (those in `blocks`, when given) found in `y`, and — when `list` — the
/// passages they form: runs of shared sentences of one paragraph, continuing in `y` where the
/// run continues there.
fn compare(
    x: &Loaded,
    y: &dyn Target,
    options: &Options,
    boilerplate: &dyn Fn(u32) -> bool,
    blocks: Option<&[usize]>,
    list: bool,
) -> View {
    let mut view = View::default();
    // The `y` sentence the previous `x` sentence matched, when it did.
    let mut previous: Option<u32> = None;
    let mut text_chars = 0usize;
    // Whether the current run has a passage (the list is capped; the share still counts).
    let mut listed = false;
    for (k, s) in x.sentences.iter().enumerate() {
        if blocks.is_some_and(|b| b.binary_search(&(s.block as usize)).is_err()) {
            previous = None;
            continue;
        }
        view.total_chars += u64::from(s.chars);
        let sk = key(s.hash);
        if boilerplate(sk) {
            previous = None;
            continue;
        }
        let next_in_y = previous
            .map(|p| p + 1)
            .filter(|&p| (p as usize) < y.len() && y.key_at(p) == Some(sk));
        // A passage is one paragraph on each side, so that its lines say where it is.
        let same_blocks = next_in_y.is_some_and(|p| {
            k > 0 && x.sentences[k - 1].block == s.block && y.same_block(p - 1, p)
        });
        let Some(at) = next_in_y.or_else(|| y.find(sk)) else {
            previous = None;
            continue;
        };
        view.matched.push((k as u32, s.chars));
        view.matched_chars += s.chars as usize;
        previous = Some(at);
        if !list {
            continue;
        }
        if !same_blocks {
            listed = view.passages.len() < options.max_passages;
            if listed {
                view.passages.push(Passage {
                    line: x.line(k as u32),
                    with_line: y.locate(at),
                    text: String::new(),
                });
            }
            text_chars = 0;
        }
        // The quote of the run: its sentences as written, up to `passage_chars`.
        if let Some(p) = view.passages.last_mut().filter(|_| listed)
            && text_chars < options.passage_chars
        {
            for c in x.original(k as u32).chars() {
                if text_chars == options.passage_chars {
                    p.text.push('…');
                    text_chars += 1;
                    break;
                }
                p.text.push(c);
                text_chars += 1;
            }
        }
    }
    view
}

// ---- year over year --------------------------------------------------------------------------

/// How much of `current` repeats `previous` (the same unit's report of the year before), in
/// all and by part — the parts found as the pack's section rules find them. `boilerplate`,
/// when given, leaves out sentences that are boilerplate in the batch. A part copied forward
/// (last year's plan as this year's plan) or unchanged (the same shortcomings, never solved)
/// shows as a part share near 1.
pub fn compare_years(
    current: &Report,
    previous: &Report,
    previous_path: &str,
    pack: &Pack,
    boilerplate: Option<&CopyIndex>,
) -> YearOverYear {
    let options = boilerplate.map_or_else(Options::default, |i| i.options.clone());
    let parts = eval::find_sections(current, pack);
    let x = Loaded::new(Cow::Borrowed(current), &options);
    let y = Loaded::new(Cow::Borrowed(previous), &options);
    let is_boilerplate = |k: u32| boilerplate.is_some_and(|i| i.is_boilerplate(k));
    let whole = compare(&x, &y, &options, &is_boilerplate, None, false);
    let by_part = parts
        .into_iter()
        .map(|(id, part)| {
            let v = compare(&x, &y, &options, &is_boilerplate, Some(&part.blocks), true);
            PartRepeat {
                part: id.to_string(),
                share: ratio(v.matched_chars as u64, v.total_chars),
                passages: v.passages,
            }
        })
        .collect();
    YearOverYear {
        with: previous_path.to_string(),
        share: ratio(whole.matched_chars as u64, whole.total_chars),
        by_part,
    }
}

/// [`compare_years`] for every pair [`pair_years`] found, in parallel: `(index in current,
/// what it repeats of its year before)`, in the order of `pairs`. `load_current(i)` and
/// `load_earlier(j)` read the reports again; `pack(i)` is the pack report `i` was audited
/// with. A pair either side of which cannot be read is left out. Attach the results with
/// `copying[i].previous_year = Some(yoy)`.
pub fn previous_years<'p, C, E, P>(
    pairs: &[(usize, usize)],
    earlier_paths: &[String],
    load_current: C,
    load_earlier: E,
    pack: P,
    boilerplate: Option<&CopyIndex>,
) -> Vec<(usize, YearOverYear)>
where
    C: Fn(usize) -> Option<Report> + Sync,
    E: Fn(usize) -> Option<Report> + Sync,
    P: Fn(usize) -> &'p Pack + Sync,
{
    pairs
        .par_iter()
        .filter_map(|&(i, j)| {
            let current = load_current(i)?;
            let earlier = load_earlier(j)?;
            let path = earlier_paths.get(j).map_or("", String::as_str);
            Some((
                i,
                compare_years(&current, &earlier, path, pack(i), boilerplate),
            ))
        })
        .collect()
}

/// The reporting unit as a pairing key: folded, without spaces and punctuation; of a joint
/// name (`中共X县委 X县人民政府`) the government's; `人民政府` and `政府` at the end dropped, so
/// that `X县人民政府`, `X县政府` and `X县` are one unit (but `X县人民政府办公室` stays an
/// office). `None` when nothing is left.
pub fn unit_key(unit: &str) -> Option<String> {
    let folded = crate::normalize::fold(unit).text;
    let pieces: Vec<&str> = folded.split_whitespace().collect();
    let piece = pieces
        .iter()
        .rev()
        .find(|p| p.contains("政府"))
        .or(pieces.last())?;
    let mut key: String = piece
        .chars()
        .filter(|&c| is_cjk(c) || c.is_alphanumeric())
        .collect::<String>()
        .replace("人民政府", "政府");
    if let Some(stem) = key.strip_suffix("政府")
        && !stem.is_empty()
    {
        key.truncate(stem.len());
    }
    (!key.is_empty()).then_some(key)
}

/// Pair each report of `current` with the report of the same unit for the year before, among
/// `earlier` (the `--against` set, or the batch itself): `(index in current, index in
/// earlier)`, in the order of `current`. Of several candidates the first in `earlier` wins.
pub fn pair_years(current: &[Option<&Meta>], earlier: &[Option<&Meta>]) -> Vec<(usize, usize)> {
    let mut by_key: HashMap<(String, i32), usize> = HashMap::new();
    for (j, meta) in earlier.iter().enumerate() {
        if let Some((k, y)) = meta.and_then(dated) {
            by_key.entry((k, y)).or_insert(j);
        }
    }
    current
        .iter()
        .enumerate()
        .filter_map(|(i, meta)| {
            let (k, y) = meta.and_then(dated)?;
            let j = *by_key.get(&(k, y.checked_sub(1)?))?;
            Some((i, j))
        })
        .collect()
}

fn dated(meta: &Meta) -> Option<(String, i32)> {
    Some((unit_key(meta.unit.as_deref()?)?, meta.year?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(body: &str) -> Report {
        Report::parse(&format!(
            "青岚镇关于2023年度法治政府建设情况的报告\n\n{body}"
        ))
    }

    #[test]
    fn names_numbers_and_punctuation_do_not_change_the_hash() {
        let a = report("青岚镇全年共办理行政复议案件12件，调解纠纷300余起，群众满意度达到98%。");
        let b = report("栖梧镇全年共办理行政复议案件7件,调解纠纷45余起,群众满意度达到九十五％。");
        let (fa, fb) = (fingerprint(&a), fingerprint(&b));
        assert_eq!(fa.len(), 1);
        assert_eq!(fa.keys, fb.keys);
    }

    #[test]
    fn names_of_streets_and_offices_are_masked_too() {
        let a = report("鹭江街道综合执法队联合澄溪县司法局开展了违法建设专项整治行动。");
        let b = report("岚山街道综合执法队联合柘林县司法局开展了违法建设专项整治行动。");
        assert_eq!(fingerprint(&a).keys, fingerprint(&b).keys);
        // …but not the words around them: 全县 and 各村 keep their first character.
        let c = report("全县各村综合执法队联合县司法局开展了违法建设专项整治行动。");
        assert_ne!(fingerprint(&a).keys, fingerprint(&c).keys);
    }

    #[test]
    fn quotations_and_short_sentences_are_left_out() {
        let r = report(
            "一、主要举措\n认真贯彻《法治政府建设与责任落实督察工作规定》。\
             严格落实“每年4月1日之前向社会公开法治政府建设年度报告”的要求。",
        );
        assert!(fingerprint(&r).is_empty());
    }

    #[test]
    fn a_line_of_unclosed_quotes_is_cut_in_linear_time() {
        let line = "“某某".repeat(20_000);
        let started = std::time::Instant::now();
        let r = Report::parse(&line);
        let parsed = started.elapsed();
        let _ = fingerprint(&r);
        // Fingerprinting costs about what parsing does, not its square.
        assert!(started.elapsed() < parsed * 20 + std::time::Duration::from_secs(2));
    }

    #[test]
    fn a_different_sentence_hashes_differently() {
        let a = report("全镇共开展法治宣传活动十二场，发放宣传资料三千余份。");
        let b = report("全镇共开展行政执法检查十二场，发放整改通知三千余份。");
        assert_ne!(fingerprint(&a).keys, fingerprint(&b).keys);
    }

    #[test]
    fn the_sample_is_the_same_sentences_in_every_report_and_about_half() {
        let keys: Vec<u32> = (0..1000u64)
            .map(|i| key(i.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
            .collect();
        let all = sample(&keys, 2);
        assert!((400..600).contains(&all.len()), "{}", all.len());
        // Whatever surrounds a sentence, it is sampled or not alike.
        let some = sample(&keys[100..200], 2);
        assert!(some.iter().all(|k| all.binary_search(k).is_ok()));
        assert_eq!(sample(&keys, 1).len(), 1000);
        assert_eq!(sample(&keys, 0).len(), 1000);
        assert!(sample(&[], 2).is_empty());
    }

    #[test]
    fn the_boilerplate_threshold_follows_the_batch_size() {
        let mut index = CopyIndex::new(Options::default());
        assert_eq!(index.boilerplate_threshold(), 5);
        for id in 0..2_000 {
            index.add(id, Fingerprint::default());
        }
        assert_eq!(index.boilerplate_threshold(), 20);
        index.reports = 100_000;
        assert_eq!(index.boilerplate_threshold(), 200);
    }

    #[test]
    fn a_sentence_in_many_reports_is_boilerplate() {
        let mut index = CopyIndex::new(Options::default());
        let common = 42u64 << 32 | 7;
        for id in 0..6 {
            let fp = Fingerprint {
                keys: vec![key(common), id as u32 + 100].into(),
                lengths: vec![20, 20].into(),
            };
            index.add(id, fp);
        }
        assert!(index.is_boilerplate(key(common)));
        assert!(!index.is_boilerplate(100));
        assert!(index.candidates().is_empty());
    }

    #[test]
    fn units_pair_across_name_variants() {
        assert_eq!(unit_key("澄溪县人民政府").as_deref(), Some("澄溪县"));
        assert_eq!(unit_key("澄溪县政府").as_deref(), Some("澄溪县"));
        assert_eq!(
            unit_key("中共澄溪县委 澄溪县人民政府").as_deref(),
            Some("澄溪县")
        );
        assert_eq!(
            unit_key("澄溪县人民政府办公室").as_deref(),
            Some("澄溪县政府办公室")
        );
        assert_eq!(unit_key("澄溪县司法局").as_deref(), Some("澄溪县司法局"));
        assert_eq!(unit_key("  "), None);
        assert_eq!(unit_key("政府"), Some("政府".into()));
    }

    #[test]
    fn pairing_takes_the_year_before() {
        let meta = |unit: &str, year| Meta {
            unit: Some(unit.into()),
            year: Some(year),
            ..Meta::default()
        };
        let batch = [
            meta("澄溪县人民政府", 2023),
            meta("澄溪县政府", 2022),
            meta("青岚镇人民政府", 2023),
            meta("澄溪县", 2021),
        ];
        let refs: Vec<Option<&Meta>> = batch.iter().map(Some).collect();
        assert_eq!(pair_years(&refs, &refs), vec![(0, 1), (1, 3)]);
        assert!(pair_years(&[None], &refs).is_empty());
    }

    #[test]
    fn arbitrary_text_does_not_panic() {
        for text in [
            "",
            "“",
            "《》“”「",
            "。。。；；",
            "\u{0}\u{FEFF}“未闭合的引号里有很多很多很多很多很多很多字。",
        ] {
            let r = Report::parse(text);
            let fp = fingerprint(&r);
            let mut index = CopyIndex::new(Options::default());
            index.add(0, fp.clone());
            index.add(0, fp.clone());
            index.add(usize::MAX, fp);
            let out = index.detect(&["a".into()], |_| Some(Report::parse(text)));
            assert_eq!(out.len(), 1);
        }
    }
}
