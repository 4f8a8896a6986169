//! `auditor` audits Chinese governments' annual rule-of-law reports (法治政府建设年度报告) against
//! rule packs written in TOML.
//!
//! Data flows one way: [`load`] (inputs → text) → [`normalize`] (folded forms for matching) →
//! [`report`] (blocks, outline, metadata) → [`eval`] (rules → findings with evidence) →
//! [`render`] (table, JSON). [`rules`] reads, validates and compiles rule packs.

pub mod authoring;
pub mod config;
pub mod copying;
pub mod diagnostic;
pub mod eval;
pub mod gazetteer;
pub mod load;
pub mod measures;
pub mod normalize;
pub mod render;
pub mod report;
pub mod rules;
pub mod waivers;
mod wrap;

use eval::Finding;
use report::{Meta, Report};
use rules::{Pack, Severity, Status};

/// The outcome of auditing one input: findings, or the reason it could not be read.
#[derive(Debug, Clone)]
pub struct Audited {
    pub path: String,
    /// What the reader knew of the input (format, encoding, document properties).
    pub source: Option<Source>,
    /// With `--rules auto`, the pack chosen for this report and why.
    pub pack_choice: Option<PackChoice>,
    pub meta: Option<Meta>,
    pub findings: Vec<Finding>,
    /// How much substance the report's parts carry (characters, figures, items, stock
    /// phrases), for sorting a batch; `None` when the report could not be read.
    pub measures: Option<measures::Measures>,
    /// Passages shared with other reports of the batch and with the unit's report of the year
    /// before; only when copy detection ran (`--copying`, `--against`).
    pub copying: Option<copying::Copying>,
    pub error: Option<String>,
}

/// What the reader knew of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// SHA-256 of the input's bytes.
    pub sha256: String,
    pub format: load::SourceFormat,
    pub encoding: Option<&'static str>,
    pub created: Option<String>,
    pub modified: Option<String>,
}

impl Audited {
    /// An input that could not be read (or audited), with why.
    pub fn unreadable(path: String, error: String) -> Audited {
        Audited {
            path,
            source: None,
            pack_choice: None,
            meta: None,
            findings: Vec::new(),
            measures: None,
            copying: None,
            error: Some(error),
        }
    }

    /// Gaps of `error` severity.
    pub fn error_gaps(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.status == Status::Gap && f.severity == Severity::Error)
            .count()
    }

    pub fn count(&self, status: Status) -> usize {
        self.findings.iter().filter(|f| f.status == status).count()
    }
}

/// Audit a report's text.
pub fn audit_text(text: &str, pack: &Pack) -> (Meta, Vec<Finding>) {
    let report = Report::parse(text);
    let findings = eval::audit(&report, pack);
    (report.meta, findings)
}

/// Audit a document read by the loader: evidence from PDF and DOCX also names the page or
/// paragraph its line came from.
pub fn audit_document(document: &load::Document, pack: &Pack) -> (Meta, Vec<Finding>) {
    let report = Report::parse(&document.text);
    let mut findings = eval::audit(&report, pack);
    locate(document, &mut findings);
    (report.meta, findings)
}

fn locate(document: &load::Document, findings: &mut [Finding]) {
    if document.locations.is_empty() {
        return;
    }
    for e in findings.iter_mut().flat_map(|f| f.evidence.iter_mut()) {
        if let Some(loc) = e
            .line
            .checked_sub(1)
            .and_then(|i| document.locations.get(i))
        {
            e.location = *loc;
        }
    }
}

/// Compile the regexes of the report model, the signal checks and the gazetteer on a thread of
/// their own, while the caller compiles its pack and reads the first report: on a single small
/// report, regex compilation is most of the run. Their results are the same whoever compiles
/// them first (each is a `LazyLock`). They come in the order a report first needs them. The
/// regexes that fewer than a third of reports need are left to their first use: compiling them
/// ahead kept the second core from the pack and the audit, and a report that needs one pays
/// about 0.2 ms for it.
pub fn warm_up() -> std::thread::JoinHandle<()> {
    std::thread::spawn(|| {
        report::warm();
        std::sync::LazyLock::force(&gazetteer::GAZETTEER);
        eval::signals::warm();
    })
}

/// The packs an audit uses: one pack for every report, or — `--rules auto` — the bundled
/// national packs, chosen for each report by the year it covers.
#[derive(Debug)]
pub struct PackSet {
    /// The first is the default (and the batch's pack in outputs).
    entries: Vec<PackEntry>,
    pub auto: bool,
}

/// A pack of the set: its metadata at once, the compiled pack when a report first needs it
/// (compiling a pack's patterns is most of a single report's start-up).
#[derive(Debug)]
struct PackEntry {
    meta: rules::PackMeta,
    /// The bundled pack to compile on first use.
    bundled: &'static str,
    pack: std::sync::OnceLock<Pack>,
}

/// The bundled packs `--rules auto` chooses from, latest first.
pub const AUTO_PACKS: &[&str] = &["2021", "2019"];

/// Which pack audited a report under `--rules auto`, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PackChoice {
    pub id: String,
    pub reason: String,
}

impl PackSet {
    pub fn one(pack: Pack) -> PackSet {
        let entry = PackEntry {
            meta: pack.meta.clone(),
            bundled: "",
            pack: std::sync::OnceLock::from(pack),
        };
        PackSet {
            entries: vec![entry],
            auto: false,
        }
    }

    pub fn auto() -> Result<PackSet, diagnostic::PackError> {
        let primary = Pack::load(AUTO_PACKS[0])?;
        let mut entries = vec![PackEntry {
            meta: primary.meta.clone(),
            bundled: AUTO_PACKS[0],
            pack: std::sync::OnceLock::from(primary),
        }];
        for name in &AUTO_PACKS[1..] {
            let meta = rules::bundled_meta(name)
                .ok_or_else(|| diagnostic::Diagnostic::whole(name, "not a bundled pack"))?;
            entries.push(PackEntry {
                meta,
                bundled: name,
                pack: std::sync::OnceLock::new(),
            });
        }
        Ok(PackSet {
            entries,
            auto: true,
        })
    }

    pub fn primary(&self) -> &Pack {
        self.get(0)
    }

    /// The i-th pack, compiled on first use. Bundled packs always compile (a test holds them to
    /// it), so a failure here is a bug in the binary, not in the user's input.
    pub fn get(&self, i: usize) -> &Pack {
        let e = &self.entries[i];
        e.pack.get_or_init(|| {
            Pack::load(e.bundled)
                .unwrap_or_else(|err| panic!("bundled pack {} does not compile: {err}", e.bundled))
        })
    }

    /// The pack for a report of this year: the one whose `years` hold it; before every pack's
    /// years, the earliest; otherwise (later, or unknown) the latest.
    pub fn choose(&self, year: Option<i32>) -> (usize, Option<PackChoice>) {
        if !self.auto {
            return (0, None);
        }
        let span = |m: &rules::PackMeta| m.years.unwrap_or((i32::MIN, i32::MAX));
        let metas: Vec<&rules::PackMeta> = self.entries.iter().map(|e| &e.meta).collect();
        let choice = |i: usize, reason: String| {
            (
                i,
                Some(PackChoice {
                    id: metas[i].id.clone(),
                    reason,
                }),
            )
        };
        let Some(y) = year else {
            return choice(0, "the report year is not known; the latest pack".into());
        };
        if let Some(i) = metas
            .iter()
            .position(|m| (span(m).0..=span(m).1).contains(&y))
        {
            let (a, b) = span(metas[i]);
            return choice(
                i,
                format!("report year {y} is within the pack's years {a}–{b}"),
            );
        }
        let earliest = (0..metas.len())
            .min_by_key(|&i| span(metas[i]).0)
            .unwrap_or(0);
        if y < span(metas[earliest]).0 {
            return choice(
                earliest,
                format!("report year {y} precedes every pack; the earliest"),
            );
        }
        choice(
            0,
            format!("report year {y} is after every pack's years; the latest"),
        )
    }
}

/// Read and audit one input; a read error becomes the input's `error`. A bug that panics while
/// auditing one report becomes that report's error too: the rest of the batch is still audited.
pub fn audit_input(input: &load::Input, packs: &PackSet, options: &load::Options) -> Audited {
    let run = std::panic::AssertUnwindSafe(|| audit_input_inner(input, packs, options));
    std::panic::catch_unwind(run).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let error = format!(
            "internal error while auditing this report ({what}); please report it with the file"
        );
        Audited::unreadable(input.label(), error)
    })
}

fn audit_input_inner(input: &load::Input, packs: &PackSet, options: &load::Options) -> Audited {
    audit_together(
        std::slice::from_ref(input),
        packs,
        options,
        GROUP_TEXT_BYTES,
    )
    .pop()
    .expect("one result per input")
}

/// Read and audit several inputs: the same results as [`audit_input`] on each, for less work,
/// the rules being evaluated on all of them rule by rule ([`eval::audit_and_measure`]). A bug
/// that panics while auditing them has them audited again one at a time, so that the error is
/// charged to the report that caused it; its message is printed once, by that second run.
pub fn audit_inputs(
    inputs: &[load::Input],
    packs: &PackSet,
    options: &load::Options,
) -> Vec<Audited> {
    if let [input] = inputs {
        return vec![audit_input(input, packs, options)];
    }
    let run =
        std::panic::AssertUnwindSafe(|| audit_together(inputs, packs, options, GROUP_TEXT_BYTES));
    std::panic::catch_unwind(|| quiet_panics(run)).unwrap_or_else(|_| {
        inputs
            .iter()
            .map(|input| audit_input(input, packs, options))
            .collect()
    })
}

thread_local! {
    /// Set while a panic on this thread will be met again and reported by a second run.
    static PANICS_QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The panics the hook let through on this thread, for the tests.
    #[cfg(test)]
    static PANICS_REPORTED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Run `f` with the panic hook silent on this thread: a panic unwinds as usual, but its message
/// is not printed. The hook in place before (the standard one, or the embedding program's) is
/// kept for every other panic.
fn quiet_panics<R>(f: impl FnOnce() -> R) -> R {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !PANICS_QUIET.with(std::cell::Cell::get) {
                #[cfg(test)]
                PANICS_REPORTED.with(|n| n.set(n.get() + 1));
                previous(info);
            }
        }));
    });
    // Restored however `f` ends, unwinding included.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            PANICS_QUIET.with(|q| q.set(self.0));
        }
    }
    let _restore = Restore(PANICS_QUIET.with(|q| q.replace(true)));
    f()
}

/// The most text a worker reads ahead before it audits what it has read: a chunk of large files
/// is audited in several groups, so that a worker holds about one large report at a time, as it
/// did report by report (a chunk of 32 reports of the usual size is 0.5 MB).
const GROUP_TEXT_BYTES: usize = 4 << 20;

/// Audit inputs in groups of at most `group_text_bytes` of text read (and at least one input).
fn audit_together(
    inputs: &[load::Input],
    packs: &PackSet,
    options: &load::Options,
    group_text_bytes: usize,
) -> Vec<Audited> {
    let mut audited = Vec::with_capacity(inputs.len());
    let mut rest = inputs;
    while !rest.is_empty() {
        // An input that cannot be read is its own result at once. Like the rules, each stage
        // runs on every input of the group before the next stage.
        let mut documents = Vec::new();
        let mut text_bytes = 0;
        for input in rest {
            // A stand-in for a bug, so that the tests can see a panic charged to its report.
            #[cfg(test)]
            if input.label().ends_with("panics-here.txt") {
                panic!("a bug met while reading {}", input.label());
            }
            let document = load::read(input, options);
            text_bytes += document.as_ref().map_or(0, |d| d.text.len());
            documents.push(document);
            if text_bytes >= group_text_bytes {
                break;
            }
        }
        let (group, after) = rest.split_at(documents.len());
        audited.extend(audit_group(group, documents, packs));
        rest = after;
    }
    audited
}

/// A report read and parsed, with the pack it chose.
struct Parsed {
    document: load::Document,
    report: Report,
    pack: usize,
    pack_choice: Option<PackChoice>,
}

/// Parse and audit a group of inputs that have been read.
fn audit_group(
    inputs: &[load::Input],
    documents: Vec<Result<load::Document, String>>,
    packs: &PackSet,
) -> Vec<Audited> {
    let parsed: Vec<Result<Parsed, String>> = documents
        .into_iter()
        .map(|document| {
            document.map(|document| {
                let report = Report::parse(&document.text);
                let (pack, pack_choice) = packs.choose(report.meta.year);
                Parsed {
                    document,
                    report,
                    pack,
                    pack_choice,
                }
            })
        })
        .collect();
    // Each pack audits the reports that chose it (with `--rules auto`, a batch may use several).
    let mut verdicts: Vec<Option<(Vec<Finding>, measures::Measures)>> =
        inputs.iter().map(|_| None).collect();
    let mut used: Vec<usize> = parsed.iter().flatten().map(|p| p.pack).collect();
    used.sort_unstable();
    used.dedup();
    for pack in used {
        let (at, reports): (Vec<usize>, Vec<&Report>) = parsed
            .iter()
            .enumerate()
            .filter_map(|(k, p)| {
                p.as_ref()
                    .ok()
                    .filter(|p| p.pack == pack)
                    .map(|p| (k, &p.report))
            })
            .unzip();
        let audited = eval::audit_and_measure(&reports, packs.get(pack));
        for (k, verdict) in at.into_iter().zip(audited) {
            verdicts[k] = Some(verdict);
        }
    }
    parsed
        .into_iter()
        .zip(verdicts)
        .zip(inputs)
        .map(|((parsed, verdict), input)| {
            let p = match parsed {
                Ok(p) => p,
                Err(e) => return Audited::unreadable(input.label(), e),
            };
            let (mut findings, measures) =
                verdict.expect("every report read is audited by the pack it chose");
            locate(&p.document, &mut findings);
            let source = Source {
                sha256: p.document.sha256,
                format: p.document.format,
                encoding: p.document.encoding,
                created: p.document.created,
                modified: p.document.modified,
            };
            Audited {
                path: input.label(),
                source: Some(source),
                pack_choice: p.pack_choice,
                meta: Some(p.report.meta),
                findings,
                measures: Some(measures),
                copying: None,
                error: None,
            }
        })
        .collect()
}

/// How many reports the workers may run ahead of the first one not yet handed on: it bounds the
/// results held in memory (a slow report holds back the others' output, not their auditing).
const WINDOW: usize = 512;

/// The most inputs a worker audits together ([`audit_inputs`], rule by rule) and hands on at
/// once. Each rule's regexes and code then serve that many reports while they are in the
/// processor's caches; and handing results on one at a time woke the calling thread (a futex
/// system call) for every report, about 4 % of a batch's CPU.
const CHUNK: usize = 32;

/// How many inputs a worker takes at a time: [`CHUNK`], or fewer in a small batch so that
/// every thread gets several.
fn chunk_size(inputs: usize, threads: usize) -> usize {
    (inputs / (4 * threads.max(1))).clamp(1, CHUNK)
}

/// Audit inputs on `threads` worker threads (0: one per core) and hand each result to `each`
/// on the calling thread, in input order whatever the number of threads, as soon as it and
/// every earlier one are done. Each worker audits a chunk of up to `CHUNK` inputs at a time
/// ([`audit_inputs`]). At most `WINDOW` results (and a chunk a worker) wait in memory at any
/// time, so a batch of any size runs in bounded memory. `progress` is called once per input,
/// when its chunk is done. An error from `each` (the output cannot be written) stops the
/// workers and is returned.
pub fn audit_each<E>(
    inputs: &[load::Input],
    packs: &PackSet,
    options: &load::Options,
    threads: usize,
    progress: &(dyn Fn() + Sync),
    mut each: impl FnMut(Audited) -> Result<(), E>,
) -> Result<(), E> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex, mpsc};
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(inputs.len().max(1));
    let chunk = chunk_size(inputs.len(), threads);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // The index of the first result not yet handed on, which workers wait on to stay in the
    // window, and how many are waiting: with none, setting it wakes no one (`notify_all` is a
    // system call even then).
    let emitted = (Mutex::new(Window::default()), Condvar::new());
    let (tx, rx) = mpsc::channel::<Vec<(usize, Audited)>>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, emitted) = (&next, &stop, &emitted);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(chunk, Ordering::Relaxed);
                    if i >= inputs.len() {
                        break;
                    }
                    let end = (i + chunk).min(inputs.len());
                    let last = end - 1;
                    if last >= emitted.0.lock().unwrap_or_else(|e| e.into_inner()).done + WINDOW {
                        let (lock, cvar) = emitted;
                        let mut window = lock.lock().unwrap_or_else(|e| e.into_inner());
                        while last >= window.done + WINDOW && !stop.load(Ordering::Relaxed) {
                            window.waiting += 1;
                            window = cvar.wait(window).unwrap_or_else(|e| e.into_inner());
                            window.waiting -= 1;
                        }
                    }
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let results = audit_inputs(&inputs[i..end], packs, options);
                    for _ in i..end {
                        progress();
                    }
                    // The receiver is gone only when `each` failed; nothing is lost then.
                    if tx.send((i..end).zip(results).collect()).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending = std::collections::BTreeMap::new();
        let mut want = 0;
        let mut result = Ok(());
        for results in rx {
            pending.extend(results);
            while let Some(a) = pending.remove(&want) {
                want += 1;
                if result.is_ok() {
                    result = each(a);
                }
            }
            if result.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            let (lock, cvar) = &emitted;
            let mut window = lock.lock().unwrap_or_else(|e| e.into_inner());
            window.done = want;
            if window.waiting > 0 {
                cvar.notify_all();
            }
        }
        result
    })
}

/// The results handed on so far ([`audit_each`]) and the workers waiting for more to be.
#[derive(Default)]
struct Window {
    done: usize,
    waiting: usize,
}

/// Copy detection for a batch, before it is audited: each input's [`copying::Copying`], in input
/// order (`None` for an input that could not be read, or stdin, which is read once, by the
/// audit). Passages shared between reports of the batch, and — for each report whose unit has
/// a report of the year before in the batch or in `against` (`--against DIR`) — what it
/// repeats of that report, by part. Pass 1 reads, parses and fingerprints every input (a few
/// bytes a sentence are kept); the index then finds candidate pairs; only the reports in a pair
/// are read again to verify them and quote the passages. `progress` is called once per input
/// of pass 1.
pub fn detect_copying(
    inputs: &[load::Input],
    against: &[load::Input],
    packs: &PackSet,
    options: &load::Options,
    threads: usize,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<Option<copying::Copying>>, String> {
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    let read = |input: &load::Input| -> Option<Report> {
        if matches!(input, load::Input::Stdin) {
            return None;
        }
        load::read(input, options)
            .ok()
            .map(|d| Report::parse(&d.text))
    };
    Ok(pool.install(|| {
        let first: Vec<Option<(copying::Fingerprint, Meta)>> = inputs
            .par_iter()
            .map(|input| {
                let fingerprint = read(input).map(|r| (copying::fingerprint(&r), r.meta));
                progress();
                fingerprint
            })
            .collect();
        let mut index = copying::CopyIndex::new(copying::Options::default());
        let mut metas = Vec::with_capacity(inputs.len());
        for (id, f) in first.into_iter().enumerate() {
            metas.push(f.map(|(fingerprint, meta)| {
                index.add(id, fingerprint);
                meta
            }));
        }
        let paths: Vec<String> = inputs.iter().map(load::Input::label).collect();
        let mut found = index.detect(&paths, |id| read(&inputs[id]));

        // Year over year: the unit's report of the year before, in the batch, else in `against`.
        let refs: Vec<Option<&Meta>> = metas.iter().map(Option::as_ref).collect();
        let pack_of = |i: usize| packs.get(packs.choose(refs[i].and_then(|m| m.year)).0);
        let in_batch = copying::pair_years(&refs, &refs);
        let mut years = copying::previous_years(
            &in_batch,
            &paths,
            |i| read(&inputs[i]),
            |j| read(&inputs[j]),
            pack_of,
            Some(&index),
        );
        if !against.is_empty() {
            let earlier: Vec<Option<Meta>> = against
                .par_iter()
                .map(|input| read(input).map(|r| r.meta))
                .collect();
            let earlier_refs: Vec<Option<&Meta>> = earlier.iter().map(Option::as_ref).collect();
            let paired: std::collections::HashSet<usize> = in_batch.iter().map(|p| p.0).collect();
            let pairs: Vec<(usize, usize)> = copying::pair_years(&refs, &earlier_refs)
                .into_iter()
                .filter(|(i, _)| !paired.contains(i))
                .collect();
            let earlier_paths: Vec<String> = against.iter().map(load::Input::label).collect();
            years.extend(copying::previous_years(
                &pairs,
                &earlier_paths,
                |i| read(&inputs[i]),
                |j| read(&against[j]),
                pack_of,
                Some(&index),
            ));
        }
        for (i, yoy) in years {
            found[i].get_or_insert_with(Default::default).previous_year = Some(yoy);
        }
        // Every report that was indexed carries its result, a zero share included.
        for (i, meta) in metas.iter().enumerate() {
            if meta.is_some() {
                found[i].get_or_insert_with(Default::default);
            }
        }
        found
    }))
}

/// Audit inputs in parallel and collect the results in input order: for batches that fit in
/// memory (the CLI streams them with [`audit_each`] instead).
pub fn audit_all(
    inputs: &[load::Input],
    packs: &PackSet,
    options: &load::Options,
    threads: usize,
    progress: &(dyn Fn() + Sync),
) -> Vec<Audited> {
    let mut all = Vec::with_capacity(inputs.len());
    let collected: Result<(), std::convert::Infallible> =
        audit_each(inputs, packs, options, threads, progress, |a| {
            all.push(a);
            Ok(())
        });
    let Ok(()) = collected;
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Inputs that fail at once (no file is read), each named by its index.
    fn broken(n: usize) -> Vec<load::Input> {
        (0..n)
            .map(|i| load::Input::Broken(format!("r{i}").into(), "unreadable".into()))
            .collect()
    }

    fn packs() -> PackSet {
        PackSet::one(rules::Pack::load("2021").expect("the bundled pack loads"))
    }

    #[test]
    fn results_come_in_input_order_whatever_the_number_of_threads() {
        // More inputs than the window, so that workers wait on it.
        let inputs = broken(3 * WINDOW + 5);
        let packs = packs();
        for threads in [1, 3, 8] {
            let ticks = AtomicUsize::new(0);
            let tick = || {
                ticks.fetch_add(1, Ordering::Relaxed);
            };
            let all = audit_all(&inputs, &packs, &load::Options::default(), threads, &tick);
            let paths: Vec<String> = all.into_iter().map(|a| a.path).collect();
            let expected: Vec<String> = (0..inputs.len()).map(|i| format!("r{i}")).collect();
            assert_eq!(paths, expected, "{threads} threads");
            assert_eq!(ticks.load(Ordering::Relaxed), inputs.len());
        }
    }

    /// The samples, the tests' fixtures and an unreadable input, in a fixed order.
    fn mixed_inputs() -> Vec<load::Input> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<std::path::PathBuf> = ["samples", "tests/fixtures/signals"]
            .iter()
            .flat_map(|dir| std::fs::read_dir(root.join(dir)).into_iter().flatten())
            .map(|entry| entry.expect("a directory entry").path())
            .filter(|path| path.is_file() && !path.ends_with("expected.toml"))
            .collect();
        files.sort();
        let mut inputs: Vec<load::Input> = files.into_iter().map(load::Input::File).collect();
        inputs.insert(
            3,
            load::Input::Broken("gone.txt".into(), "no such file".into()),
        );
        inputs
    }

    #[test]
    fn auditing_inputs_together_gives_what_auditing_each_alone_gives() {
        let inputs = mixed_inputs();
        assert!(inputs.len() > 20, "{} inputs", inputs.len());
        let packs = packs();
        let options = load::Options::default();
        let alone: Vec<String> = inputs
            .iter()
            .map(|input| format!("{:?}", audit_input(input, &packs, &options)))
            .collect();
        let together: Vec<String> = audit_inputs(&inputs, &packs, &options)
            .iter()
            .map(|a| format!("{a:?}"))
            .collect();
        assert_eq!(together.len(), alone.len());
        for (k, (t, a)) in together.iter().zip(&alone).enumerate() {
            assert_eq!(t, a, "input {k}");
        }
        // In groups cut by the text read: of one input each, and of a few.
        for group_text_bytes in [1, 20_000] {
            let grouped: Vec<String> = audit_together(&inputs, &packs, &options, group_text_bytes)
                .iter()
                .map(|a| format!("{a:?}"))
                .collect();
            assert_eq!(grouped, alone, "groups of {group_text_bytes} bytes");
        }
        // And through the workers, in chunks, whatever the number of threads.
        for threads in [1, 2, 5] {
            let all = audit_all(&inputs, &packs, &options, threads, &|| {});
            let all: Vec<String> = all.iter().map(|a| format!("{a:?}")).collect();
            assert_eq!(all, alone, "{threads} threads");
        }
    }

    #[test]
    fn a_panic_in_a_chunk_is_charged_to_its_report_and_the_others_are_audited() {
        let mut inputs = mixed_inputs();
        let at = 5;
        inputs.insert(at, load::Input::File("panics-here.txt".into()));
        let packs = packs();
        let options = load::Options::default();
        let reported = PANICS_REPORTED.with(std::cell::Cell::get);
        let together = audit_inputs(&inputs, &packs, &options);
        // Once, by the report's second run alone: the chunk's run is silent.
        assert_eq!(PANICS_REPORTED.with(std::cell::Cell::get), reported + 1);
        assert!(!PANICS_QUIET.with(std::cell::Cell::get));
        assert_eq!(together.len(), inputs.len());
        for (k, (a, input)) in together.iter().zip(&inputs).enumerate() {
            if k == at {
                let error = a.error.as_deref().unwrap_or_default();
                assert!(error.contains("internal error"), "{error}");
                assert!(error.contains("a bug met while reading"), "{error}");
            } else {
                let alone = audit_input(input, &packs, &options);
                assert_eq!(format!("{a:?}"), format!("{alone:?}"), "input {k}");
            }
        }
    }

    #[test]
    fn a_small_batch_is_shared_between_the_threads_in_small_chunks() {
        assert_eq!(chunk_size(1, 2), 1);
        assert_eq!(chunk_size(20, 2), 2);
        assert_eq!(chunk_size(100_000, 2), CHUNK);
        assert_eq!(chunk_size(5, 0), 1);
    }

    #[test]
    fn an_error_from_each_stops_the_workers_and_is_returned() {
        let inputs = broken(20 * WINDOW);
        let packs = packs();
        let ticks = AtomicUsize::new(0);
        let tick = || {
            ticks.fetch_add(1, Ordering::Relaxed);
        };
        let threads = 4;
        let mut handed = 0;
        let result = audit_each(
            &inputs,
            &packs,
            &load::Options::default(),
            threads,
            &tick,
            |_| {
                handed += 1;
                if handed == 10 {
                    Err("output closed")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result, Err("output closed"));
        assert_eq!(handed, 10);
        // The workers stop within the window (and a chunk each), not at the end of the batch.
        let audited = ticks.load(Ordering::Relaxed);
        assert!(
            audited <= 10 + WINDOW + threads * CHUNK,
            "{audited} audited after the error"
        );
    }
}
