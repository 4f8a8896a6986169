//! The CI recipes in docs/ci/ (and the README) run as written: every `auditor` command in them is
//! run here on the samples instead of `drafts/`, and the pre-commit hook in a scratch repository.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin_dir() -> PathBuf {
    assert_cmd::cargo::cargo_bin("auditor")
        .parent()
        .unwrap()
        .to_path_buf()
}

fn path_with_auditor() -> String {
    format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// The `auditor …` command lines of a recipe file.
fn commands(file: &str) -> Vec<String> {
    std::fs::read_to_string(Path::new("docs/ci").join(file))
        .unwrap()
        .lines()
        .filter_map(|l| {
            l.split_once("auditor --")
                .map(|(_, rest)| format!("auditor --{rest}"))
        })
        .filter(|c| !c.contains("cargo install"))
        .collect()
}

fn run_recipe(file: &str) -> Vec<(String, i32)> {
    let dir = tempfile::tempdir().unwrap();
    let samples = std::fs::canonicalize("samples").unwrap();
    commands(file)
        .into_iter()
        .map(|c| {
            let c = c.replace("drafts/", &format!("{}/", samples.display()));
            let out = Command::new("sh")
                .arg("-c")
                .arg(&c)
                .current_dir(dir.path())
                .env("PATH", path_with_auditor())
                .output()
                .unwrap();
            (c, out.status.code().unwrap())
        })
        .collect()
}

#[test]
fn the_github_workflow_commands_run() {
    let results = run_recipe("github-workflow.yml");
    assert_eq!(results.len(), 3, "{results:?}");
    // Annotations and SARIF never fail the step; the gate fails on the samples' error gaps.
    assert_eq!(
        results.iter().map(|r| r.1).collect::<Vec<_>>(),
        [0, 0, 1],
        "{results:?}"
    );
}

#[test]
fn the_gitlab_job_commands_run() {
    let results = run_recipe("gitlab-ci.yml");
    assert_eq!(
        results.iter().map(|r| r.1).collect::<Vec<_>>(),
        [0, 1],
        "{results:?}"
    );
}

#[test]
fn the_pre_commit_hook_stops_a_commit_with_a_missing_part() {
    let repo = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(repo.path())
            .env("PATH", path_with_auditor())
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
    };
    git(&["init", "-q"]);
    let hook = std::fs::canonicalize("docs/ci/pre-commit").unwrap();
    let run_hook = || {
        Command::new("sh")
            .arg(&hook)
            .current_dir(repo.path())
            .env("PATH", path_with_auditor())
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(run_hook(), Some(0), "nothing staged");
    std::fs::copy("samples/complete.txt", repo.path().join("report.txt")).unwrap();
    git(&["add", "report.txt"]);
    assert_eq!(run_hook(), Some(0), "a complete report");
    std::fs::copy("samples/no-frp.txt", repo.path().join("draft.txt")).unwrap();
    git(&["add", "draft.txt"]);
    assert_eq!(
        run_hook(),
        Some(1),
        "a report without the first-responsible-person part"
    );
}
