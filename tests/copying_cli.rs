//! Copy detection through the CLI (`--copying`, `--against`): the fixtures of
//! tests/fixtures/copying/ — two townships, one of which copied the other with names, figures
//! and punctuation changed; one unit's reports of two years with the shortcomings and the plan
//! unchanged; six reports that share only the standard opening and a quoted regulation.

use assert_cmd::Command;
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/copying";

fn audit(args: &[&str]) -> Value {
    let out = Command::cargo_bin("auditor")
        .unwrap()
        .args(["--no-config", "--no-waivers", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn report<'a>(json: &'a Value, file: &str) -> &'a Value {
    json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with(file))
        .unwrap_or_else(|| panic!("no report {file}"))
}

#[test]
fn copied_townships_are_paired_with_their_passages() {
    let json = audit(&["--copying", &format!("{FIXTURES}/townships")]);
    for (here, there) in [
        ("qinglan-2023.txt", "qiwu-2023.txt"),
        ("qiwu-2023.txt", "qinglan-2023.txt"),
    ] {
        let c = &report(&json, here)["copying"];
        let share = c["share"].as_f64().unwrap();
        assert!((0.4..=0.9).contains(&share), "{here}: share {share}");
        let pairs = c["pairs"].as_array().unwrap();
        assert_eq!(pairs.len(), 1, "{here}");
        assert!(pairs[0]["with"].as_str().unwrap().ends_with(there));
        let passages = pairs[0]["passages"].as_array().unwrap();
        assert!(passages.len() >= 3, "{here}: {passages:?}");
        // The first shared paragraph is line 6 in both, with each report's own figures.
        assert_eq!(passages[0]["line"], 6);
        assert_eq!(passages[0]["with_line"], 6);
        assert!(
            passages[0]["text"]
                .as_str()
                .unwrap()
                .contains("法治政府建设工作领导小组")
        );
    }
}

#[test]
fn last_years_report_shows_the_parts_carried_forward() {
    let json = audit(&[
        &format!("{FIXTURES}/years/chengxi-sfj-2023.txt"),
        "--against",
        &format!("{FIXTURES}/years/chengxi-sfj-2022.txt"),
    ]);
    let y = &report(&json, "chengxi-sfj-2023.txt")["copying"]["previous_year"];
    assert!(
        y["with"]
            .as_str()
            .unwrap()
            .ends_with("chengxi-sfj-2022.txt")
    );
    let part = |id: &str| {
        y["by_part"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["part"] == id)
            .unwrap_or_else(|| panic!("no part {id}: {y}"))
            .clone()
    };
    assert_eq!(part("shortcomings")["share"], 1.0);
    assert_eq!(part("next-year-plan")["share"], 1.0);
    assert_eq!(part("achievements")["share"], 0.0);
    let passages = part("shortcomings")["passages"].as_array().unwrap().clone();
    assert_eq!(passages[0]["line"], 12);
    assert_eq!(passages[0]["with_line"], 12);
    // Only the 2023 report is audited: the --against set is compared with, not reported.
    assert_eq!(json["reports"].as_array().unwrap().len(), 1);
}

#[test]
fn the_same_years_in_one_batch_are_paired_too() {
    let json = audit(&["--copying", &format!("{FIXTURES}/years")]);
    let c = &report(&json, "chengxi-sfj-2023.txt")["copying"];
    assert!(
        c["previous_year"]["with"]
            .as_str()
            .unwrap()
            .ends_with("chengxi-sfj-2022.txt")
    );
    // The 2022 report has no year before it.
    assert!(report(&json, "chengxi-sfj-2022.txt")["copying"]["previous_year"].is_null());
}

#[test]
fn reports_sharing_only_the_opening_and_a_quoted_regulation_are_not_flagged() {
    let json = audit(&["--copying", &format!("{FIXTURES}/boilerplate")]);
    for r in json["reports"].as_array().unwrap() {
        assert_eq!(r["copying"]["share"], 0.0, "{}", r["path"]);
        assert!(
            r["copying"]["pairs"].as_array().unwrap().is_empty(),
            "{}",
            r["path"]
        );
    }
}

#[test]
fn without_the_flag_there_is_no_copying_and_measures_are_always_there() {
    let json = audit(&[&format!("{FIXTURES}/townships")]);
    for r in json["reports"].as_array().unwrap() {
        assert!(r.get("copying").is_none());
        let m = &r["measures"];
        assert!(m["figures"].as_u64().unwrap() > 0);
        assert!(m["substance"].as_u64().unwrap() <= 100);
    }
}

fn render(format: &str) -> String {
    let out = Command::cargo_bin("auditor")
        .unwrap()
        .args([
            "--no-config",
            "--no-waivers",
            "--copying",
            "--format",
            format,
        ])
        .arg(format!("{FIXTURES}/townships"))
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_text_format_shows_the_copying() {
    let html = render("html");
    assert!(html.contains("<th scope=\"col\">copied</th>"));
    assert!(html.contains("<mark>镇党委、镇政府把法治政府建设纳入全镇经济社会发展总体布局"));
    // Each pair links to the other report's section.
    let links: Vec<&str> = html
        .split("href=\"#path-")
        .skip(1)
        .map(|rest| &rest[..16])
        .collect();
    assert_eq!(links.len(), 2, "one link per pair and side");
    for id in links {
        assert!(html.contains(&format!("<a id=\"path-{id}\"></a>")), "{id}");
    }
    let table = render("table");
    assert!(
        table.contains("copied: 53% of the text is shared with other reports"),
        "{table}"
    );
    assert!(table.contains("┆ copied ┆ last year │"));
    let markdown = render("markdown");
    assert!(markdown.contains("| copied | last year |"));
    assert!(markdown.contains("L6↔L6"));
    let github = render("github");
    assert!(github.contains("::notice file=tests/fixtures/copying/townships/qinglan-2023.txt,line=6,title=copying::53%25 of this report is shared with"));
    let csv = render("csv");
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with("substance,copied,last_year")
    );
    assert!(csv.lines().nth(1).unwrap().ends_with(",0.527,"), "{csv}");
    let junit = render("junit");
    assert!(junit.contains("<property name=\"copied\" value=\"0.527\"/>"));
    let sarif = render("sarif");
    assert!(sarif.contains("\"copying\": {"));
}

#[test]
fn an_against_path_that_does_not_exist_is_an_error() {
    let out = Command::cargo_bin("auditor")
        .unwrap()
        .args(["--no-config", "--against", "no/such/dir"])
        .arg(format!("{FIXTURES}/years/chengxi-sfj-2023.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: --against no/such/dir: no such file or directory\n  = help: name a file or directory of earlier years' reports\n"
    );
    assert!(out.stdout.is_empty());
}
