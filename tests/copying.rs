//! Copy detection on the fixture batches of `tests/fixtures/copying/`: a township that copied
//! another's report with names, numbers and punctuation changed; a bureau whose shortcomings
//! and plan repeat its report of the year before; and reports that share only the standard
//! opening, a stock sentence and a quoted regulation.

use auditor::copying::{self, CopyIndex, Copying, Options};
use auditor::report::Report;
use auditor::rules::Pack;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/copying")
        .join(rel)
}

fn parse(path: &Path) -> Report {
    Report::parse(&std::fs::read_to_string(path).expect("fixture reads"))
}

fn files(dirs: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for d in dirs {
        let mut found: Vec<PathBuf> = std::fs::read_dir(fixture(d))
            .expect("fixture dir")
            .flatten()
            .map(|e| e.path())
            .collect();
        found.sort();
        out.extend(found);
    }
    out
}

/// The batch API as the pipeline calls it: fingerprints, index, detection with re-reading.
fn detect(paths: &[PathBuf]) -> Vec<Copying> {
    let names: Vec<String> = paths
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut index = CopyIndex::new(Options::default());
    for (id, p) in paths.iter().enumerate() {
        index.add(id, copying::fingerprint(&parse(p)));
    }
    let out = index.detect(&names, |id| paths.get(id).map(|p| parse(p)));
    out.into_iter()
        .map(|c| c.expect("every report indexed"))
        .collect()
}

fn named<'a>(paths: &[PathBuf], out: &'a [Copying], name: &str) -> &'a Copying {
    let i = paths
        .iter()
        .position(|p| p.ends_with(name))
        .expect("fixture in batch");
    &out[i]
}

fn pack() -> Pack {
    Pack::load("2021").expect("bundled pack")
}

#[test]
fn a_township_that_copied_another_is_paired_with_its_passages() {
    let paths = files(&["townships"]);
    let out = detect(&paths);
    let qiwu = named(&paths, &out, "qiwu-2023.txt");
    let qinglan = named(&paths, &out, "qinglan-2023.txt");
    for (me, other) in [(qiwu, "qinglan-2023.txt"), (qinglan, "qiwu-2023.txt")] {
        assert_eq!(me.pairs.len(), 1, "{me:?}");
        assert_eq!(me.pairs[0].with, other);
        assert!((0.45..=0.8).contains(&me.share), "{}", me.share);
        assert_eq!(me.share, me.pairs[0].share);
    }
    // Names, figures and punctuation width changed, the passage still found, on both sides
    // with its own lines and its own text.
    let p = &qiwu.pairs[0].passages;
    let law = p
        .iter()
        .find(|p| p.line == 8)
        .expect("enforcement paragraph");
    assert_eq!(law.with_line, 8);
    assert!(
        law.text.starts_with("深入推进综合行政执法改革,"),
        "{}",
        law.text
    );
    assert!(law.text.contains("203次"), "{}", law.text);
    let back = qinglan.pairs[0]
        .passages
        .iter()
        .find(|p| p.line == 8)
        .unwrap();
    assert!(back.text.contains("186次"), "{}", back.text);
    // The plan copied whole: lines 18–20 of 栖梧 are lines 19–21 of 青岚.
    for (line, with_line) in [(18, 19), (19, 20), (20, 21)] {
        assert!(
            p.iter().any(|x| x.line == line && x.with_line == with_line),
            "{line} ↔ {with_line} in {p:?}"
        );
    }
    // What 栖梧 wrote itself is not a passage: its shortcomings (line 11) and its own measure.
    assert!(p.iter().all(|x| x.line != 11 && x.line != 9), "{p:?}");
    assert!(p.iter().all(|x| x.text.chars().count() <= 81));
}

#[test]
fn reports_sharing_only_the_opening_stock_sentences_and_a_quotation_are_not_flagged() {
    let paths = files(&["boilerplate"]);
    assert_eq!(paths.len(), 6);
    for c in detect(&paths) {
        assert_eq!(c, Copying::default());
    }
}

#[test]
fn boilerplate_stays_out_and_copying_stays_in_a_mixed_batch() {
    let paths = files(&["townships", "years", "boilerplate"]);
    let out = detect(&paths);
    for (p, c) in paths.iter().zip(&out) {
        let copied = !p.to_string_lossy().contains("boilerplate");
        assert_eq!(!c.pairs.is_empty(), copied, "{}: {c:?}", p.display());
    }
    let qiwu = named(&paths, &out, "qiwu-2023.txt");
    assert_eq!(qiwu.pairs.len(), 1);
    assert_eq!(qiwu.pairs[0].with, "qinglan-2023.txt");
}

#[test]
fn two_reports_quoting_the_same_regulation_are_not_a_pair() {
    let quote = "《法治政府建设与责任落实督察工作规定》明确要求，“每年4月1日之前，各级政府应当向同级党委、人大常委会和上一级政府报告上一年度法治政府建设情况，报告要通过报刊、网站等新闻媒体向社会公开。”";
    let a = format!(
        "岚山区司法局2023年度法治政府建设情况报告\n{quote}\n我局全年办理法律援助案件三百余件，为农民工讨回欠薪一千余万元。\n"
    );
    let b = format!(
        "柘林县应急管理局2023年度法治政府建设情况报告\n{quote}\n我局组织开展危险化学品企业安全生产执法检查，责令停产整顿企业十二家。\n"
    );
    let texts = [a, b];
    let mut index = CopyIndex::new(Options::default());
    for (id, t) in texts.iter().enumerate() {
        index.add(id, copying::fingerprint(&Report::parse(t)));
    }
    let out = index.detect(&["a".into(), "b".into()], |id| {
        texts.get(id).map(|t| Report::parse(t))
    });
    assert_eq!(
        out,
        vec![Some(Copying::default()), Some(Copying::default())]
    );
}

#[test]
fn unchanged_shortcomings_and_a_plan_copied_forward_show_by_part() {
    let current = parse(&fixture("years/chengxi-sfj-2023.txt"));
    let previous = parse(&fixture("years/chengxi-sfj-2022.txt"));
    let y = copying::compare_years(&current, &previous, "chengxi-sfj-2022.txt", &pack(), None);
    assert_eq!(y.with, "chengxi-sfj-2022.txt");
    let part = |id: &str| y.by_part.iter().find(|p| p.part == id).expect(id);
    assert!((0.4..=0.7).contains(&y.share), "{}", y.share);
    assert_eq!(part("shortcomings").share, 1.0);
    assert_eq!(part("next-year-plan").share, 1.0);
    assert_eq!(part("achievements").share, 0.0);
    assert!(part("achievements").passages.is_empty());
    assert!(
        part("frp-section").share < 0.1,
        "{}",
        part("frp-section").share
    );
    // Every shortcoming, the figure changed (6 → 5 司法所) and all, with its line last year.
    let lines: Vec<(usize, usize)> = part("shortcomings")
        .passages
        .iter()
        .map(|p| (p.line, p.with_line))
        .collect();
    assert_eq!(lines, vec![(12, 12), (13, 13), (14, 14), (15, 15)]);
    assert!(
        part("shortcomings").passages[1]
            .text
            .contains("有5个司法所")
    );
    let plan: Vec<usize> = part("next-year-plan")
        .passages
        .iter()
        .map(|p| p.line)
        .collect();
    assert_eq!(plan, vec![21, 22, 23, 24]);
}

#[test]
fn a_report_is_paired_with_its_units_report_of_the_year_before() {
    let paths = files(&["years", "townships"]);
    let reports: Vec<Report> = paths.iter().map(|p| parse(p)).collect();
    let metas: Vec<Option<&auditor::report::Meta>> =
        reports.iter().map(|r| Some(&r.meta)).collect();
    let pairs = copying::pair_years(&metas, &metas);
    let named: Vec<(String, String)> = pairs
        .iter()
        .map(|&(i, j)| {
            let name = |k: usize| paths[k].file_name().unwrap().to_string_lossy().into_owned();
            (name(i), name(j))
        })
        .collect();
    assert_eq!(
        named,
        vec![(
            "chengxi-sfj-2023.txt".to_string(),
            "chengxi-sfj-2022.txt".to_string()
        )]
    );
}

#[test]
fn the_result_does_not_depend_on_the_thread_count() {
    let paths = files(&["townships", "years", "boilerplate"]);
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| detect(&paths))
    };
    assert_eq!(run(1), run(3));
}

/// Recall on shared passages, not whole-document duplicates: each bundled sample gets a run
/// of another sample's paragraphs pasted into its middle; every run of ten or more sentences
/// must be found (with half the sentences indexed, 99% of such runs are), and most shorter
/// ones.
#[test]
fn pasted_passages_are_found() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut samples: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    samples.sort();
    let texts: Vec<String> = samples
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let (mut found, mut tried, mut long_missed) = (0, 0, Vec::new());
    for (i, donor) in texts.iter().enumerate() {
        let lines: Vec<&str> = donor.lines().filter(|l| l.chars().count() > 60).collect();
        for take in [2usize, 4, 8] {
            let host = &texts[(i + 1) % texts.len()];
            let Some(run) = lines.get(1..1 + take.min(lines.len().saturating_sub(1))) else {
                continue;
            };
            if run.is_empty() {
                continue;
            }
            let host_lines: Vec<&str> = host.lines().collect();
            let mid = host_lines.len() / 2;
            let mut pasted: Vec<&str> = host_lines[..mid].to_vec();
            pasted.extend(run);
            pasted.extend(&host_lines[mid..]);
            let pasted = pasted.join("\n");
            let batch = [donor.as_str(), pasted.as_str()];
            let mut index = CopyIndex::new(Options::default());
            for (id, t) in batch.iter().enumerate() {
                index.add(id, copying::fingerprint(&Report::parse(t)));
            }
            let sentences = copying::fingerprint(&Report::parse(&run.join("\n"))).len();
            if sentences < 2 {
                continue;
            }
            let out = index.detect(&["donor".into(), "host".into()], |id| {
                batch.get(id).map(|t| Report::parse(t))
            });
            tried += 1;
            // Found where it was pasted (lines mid+1 ..= mid+len), not elsewhere.
            let pasted_lines = mid + 1..=mid + run.len();
            let hit = out[1].as_ref().is_some_and(|c| {
                c.pairs
                    .iter()
                    .flat_map(|p| &p.passages)
                    .any(|p| pasted_lines.contains(&p.line))
            });
            if !hit {
                eprintln!("missed: donor {i}, {take} paragraphs, {sentences} sentences");
            }
            found += usize::from(hit);
            if !hit && sentences >= 10 {
                long_missed.push((i, take, sentences));
            }
        }
    }
    eprintln!("pasted passages found: {found} of {tried}");
    assert!(long_missed.is_empty(), "{long_missed:?}");
    assert!(found * 10 >= tried * 8, "{found} of {tried}");
}

#[test]
fn each_report_is_read_again_at_most_once() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let paths = files(&["townships", "years", "boilerplate"]);
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut index = CopyIndex::new(Options::default());
    for (id, p) in paths.iter().enumerate() {
        index.add(id, copying::fingerprint(&parse(p)));
    }
    let loads: Vec<AtomicUsize> = paths.iter().map(|_| AtomicUsize::new(0)).collect();
    let out = index.detect(&names, |id| {
        loads[id].fetch_add(1, Ordering::Relaxed);
        paths.get(id).map(|p| parse(p))
    });
    let loads: Vec<usize> = loads.into_iter().map(AtomicUsize::into_inner).collect();
    assert!(loads.iter().all(|&n| n <= 1), "{loads:?}");
    // Only the four reports with copying are read again.
    assert_eq!(loads.iter().sum::<usize>(), 4);
    assert_eq!(
        out.iter().flatten().filter(|c| !c.pairs.is_empty()).count(),
        4
    );
}

#[test]
fn a_report_that_cannot_be_read_again_leaves_its_partner_without_lines() {
    let paths = files(&["townships"]);
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut index = CopyIndex::new(Options::default());
    for (id, p) in paths.iter().enumerate() {
        index.add(id, copying::fingerprint(&parse(p)));
    }
    // Report 0 is gone between the passes.
    let out = index.detect(&names, |id| (id == 1).then(|| parse(&paths[1])));
    assert_eq!(out[0], Some(Copying::default()));
    let other = out[1].as_ref().unwrap();
    assert_eq!(other.pairs.len(), 1);
    assert!(other.pairs[0].passages.iter().all(|p| p.with_line == 0));
    assert!(other.share > 0.4);
}

#[test]
fn reports_not_added_get_no_copying_object() {
    let paths = files(&["townships"]);
    let mut index = CopyIndex::new(Options::default());
    index.add(1, copying::fingerprint(&parse(&paths[1])));
    let out = index.detect(&["a".into(), "b".into(), "c".into()], |id| {
        paths.get(id).map(|p| parse(p))
    });
    assert_eq!(out, vec![None, Some(Copying::default()), None]);
}

mod arbitrary_text {
    use super::*;
    use proptest::prelude::*;

    /// Characters that exercise every branch of sentence cutting and normalisation.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("。".to_string()),
                Just("；".to_string()),
                Just("\n".to_string()),
                Just("“".to_string()),
                Just("”".to_string()),
                Just("《".to_string()),
                Just("》".to_string()),
                Just("一、".to_string()),
                Just("（二）".to_string()),
                Just("青岚镇".to_string()),
                Just("存在的不足".to_string()),
                Just("2024年工作安排".to_string()),
                "[\\u{4e00}-\\u{4e80}]{1,20}",
                "[0-9a-zA-Z%.,]{1,5}",
                any::<char>().prop_map(String::from),
            ],
            0..80,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(64))]
        #[test]
        fn copy_detection_never_panics(a in text(), b in text()) {
            let texts = [a.clone(), b.clone(), format!("{a}\n{b}")];
            let mut index = CopyIndex::new(Options::default());
            for (id, t) in texts.iter().enumerate() {
                index.add(id, copying::fingerprint(&Report::parse(t)));
            }
            let names = vec!["a".to_string(), "b".to_string(), "ab".to_string()];
            let out = index.detect(&names, |id| texts.get(id).map(|t| Report::parse(t)));
            prop_assert_eq!(out.len(), 3);
            for c in out.iter().flatten() {
                prop_assert!((0.0..=1.0).contains(&c.share));
            }
            let y = copying::compare_years(&Report::parse(&a), &Report::parse(&b), "b", &pack(), None);
            prop_assert!((0.0..=1.0).contains(&y.share));
        }
    }
}

/// Two departments sharing a third of their text, scattered: every third paragraph of one
/// sample written into another between its own paragraphs. Found for every pair of samples.
#[test]
fn a_third_shared_in_scattered_paragraphs_is_found() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut samples: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    samples.sort();
    let texts: Vec<String> = samples
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let mut shares = Vec::new();
    for (i, donor) in texts.iter().enumerate() {
        let host = &texts[(i + 5) % texts.len()];
        let given: Vec<&str> = donor
            .lines()
            .filter(|l| l.chars().count() > 60)
            .step_by(3)
            .collect();
        let mut mixed: Vec<&str> = Vec::new();
        let mut given_iter = given.iter();
        // After every second long paragraph of the host, one of the donor's.
        let mut long = 0;
        for line in host.lines() {
            mixed.push(line);
            if line.chars().count() > 60 {
                long += 1;
                if long % 2 == 0
                    && let Some(g) = given_iter.next()
                {
                    mixed.push(g);
                }
            }
        }
        let given = &given[..given.len() - given_iter.len()];
        let mixed = mixed.join("\n");
        let batch = [donor.as_str(), mixed.as_str()];
        let mut index = CopyIndex::new(Options::default());
        for (id, t) in batch.iter().enumerate() {
            index.add(id, copying::fingerprint(&Report::parse(t)));
        }
        let out = index.detect(&["donor".into(), "mixed".into()], |id| {
            batch.get(id).map(|t| Report::parse(t))
        });
        let found = &out[0].as_ref().unwrap();
        let sentences = copying::fingerprint(&Report::parse(&given.join("\n"))).len();
        let all = copying::fingerprint(&Report::parse(donor)).len();
        eprintln!(
            "sample {i}: {} paragraphs, {sentences} of {all} sentences given; found share {}",
            given.len(),
            found.share
        );
        shares.push((sentences, all, found.share));
    }
    eprintln!("donor shares found: {shares:?}");
}

#[test]
fn the_json_has_the_shape_of_the_contract() {
    let paths = files(&["townships"]);
    let out = detect(&paths);
    let json = serde_json::to_value(&out[1]).unwrap();
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&json), ["pairs", "share"]);
    let pair = &json["pairs"][0];
    assert_eq!(keys(pair), ["passages", "share", "with"]);
    assert_eq!(keys(&pair["passages"][0]), ["line", "text", "with_line"]);
    assert!(json["share"].as_f64().unwrap() <= 1.0);

    // With last year's report attached by the caller.
    let mut c = out[1].clone();
    c.previous_year = Some(copying::compare_years(
        &parse(&fixture("years/chengxi-sfj-2023.txt")),
        &parse(&fixture("years/chengxi-sfj-2022.txt")),
        "chengxi-sfj-2022.txt",
        &pack(),
        None,
    ));
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(keys(&json["previous_year"]), ["by_part", "share", "with"]);
    assert_eq!(
        keys(&json["previous_year"]["by_part"][0]),
        ["part", "passages", "share"]
    );
}

#[test]
fn previous_years_compares_every_pair_of_a_batch() {
    let paths = files(&["townships", "years"]);
    let names: Vec<String> = paths
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let reports: Vec<Report> = paths.iter().map(|p| parse(p)).collect();
    let metas: Vec<Option<&auditor::report::Meta>> =
        reports.iter().map(|r| Some(&r.meta)).collect();
    let pairs = copying::pair_years(&metas, &metas);
    let pack = pack();
    let load = |id: usize| paths.get(id).map(|p| parse(p));
    let years = copying::previous_years(&pairs, &names, load, load, |_| &pack, None);
    assert_eq!(years.len(), 1);
    let (i, yoy) = &years[0];
    assert_eq!(names[*i], "chengxi-sfj-2023.txt");
    assert_eq!(yoy.with, "chengxi-sfj-2022.txt");
    let part = |id: &str| yoy.by_part.iter().find(|p| p.part == id).unwrap().share;
    assert_eq!((part("shortcomings"), part("next-year-plan")), (1.0, 1.0));
}
