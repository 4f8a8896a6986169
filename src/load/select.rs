//! Which inputs to audit: files as given, directories walked recursively (with the `ignore`
//! crate, but without its filters: hidden and git-ignored reports are still reports), globs,
//! `--include`/`--exclude` patterns, and `-` for stdin. Whatever is passed over is listed with
//! the reason; nothing is skipped silently.

use super::{Input, REPORT_EXTENSIONS, is_report_file};
use crate::render::Skipped;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

/// `--include` / `--exclude` patterns, matched against a walked file's path (relative to the
/// directory named on the command line) and against its file name.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    include_text: Vec<String>,
    exclude_text: Vec<String>,
}

fn glob_set(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(Glob::new(p).map_err(|e| format!("bad glob `{p}`: {e}"))?);
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

impl Selection {
    pub fn new(include: &[String], exclude: &[String]) -> Result<Selection, String> {
        Ok(Selection {
            include: glob_set(include)?,
            exclude: glob_set(exclude)?,
            include_text: include.to_vec(),
            exclude_text: exclude.to_vec(),
        })
    }

    /// Why a walked report file is left out, if it is.
    fn reason_to_skip(&self, relative: &Path) -> Option<String> {
        let name = relative.file_name().map(Path::new).unwrap_or(relative);
        let hits = |set: &GlobSet| set.is_match(relative) || set.is_match(name);
        if let Some(ex) = &self.exclude
            && hits(ex)
        {
            return Some(format!(
                "excluded by --exclude {}",
                self.exclude_text.join(" ")
            ));
        }
        if let Some(inc) = &self.include
            && !hits(inc)
        {
            return Some(format!(
                "not matched by --include {}",
                self.include_text.join(" ")
            ));
        }
        None
    }
}

fn has_glob(p: &Path) -> bool {
    p.to_string_lossy().contains(['*', '?', '['])
}

/// Expand command-line paths into inputs (in a stable order: each directory's files sorted by
/// path) and the files passed over.
pub fn collect(paths: &[PathBuf], selection: &Selection) -> (Vec<Input>, Vec<Skipped>) {
    let mut inputs = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if p.is_dir() {
            let before = inputs.len();
            walk(p, None, selection, &mut inputs, &mut skipped);
            if inputs.len() == before {
                let why = format!(
                    "no report files ({}) in this directory",
                    REPORT_EXTENSIONS.join(", ")
                );
                inputs.push(Input::Broken(p.clone(), why));
            }
        } else if p.exists() {
            inputs.push(Input::File(p.clone()));
        } else if has_glob(p) {
            let pattern = p.to_string_lossy().replace('\\', "/");
            let matcher = match Glob::new(&pattern) {
                Ok(g) => g.compile_matcher(),
                Err(e) => {
                    inputs.push(Input::Broken(p.clone(), format!("bad glob: {e}")));
                    continue;
                }
            };
            // Walk from the part of the pattern before its first wildcard.
            let base: PathBuf = p
                .components()
                .take_while(|c| !has_glob(Path::new(c.as_os_str())))
                .collect();
            let base = if base.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                base
            };
            if !base.is_dir() {
                let why = format!(
                    "no report file matches this pattern ({} is not a directory)",
                    base.display()
                );
                inputs.push(Input::Broken(p.clone(), why));
                continue;
            }
            let before = inputs.len();
            walk(&base, Some(&matcher), selection, &mut inputs, &mut skipped);
            if inputs.len() == before {
                inputs.push(Input::Broken(
                    p.clone(),
                    "no report file matches this pattern".into(),
                ));
            }
        } else {
            inputs.push(Input::Broken(p.clone(), "no such file or directory".into()));
        }
    }
    (inputs, skipped)
}

fn walk(
    root: &Path,
    glob: Option<&globset::GlobMatcher>,
    selection: &Selection,
    inputs: &mut Vec<Input>,
    skipped: &mut Vec<Skipped>,
) {
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .follow_links(true)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                // A symlink loop or an unreadable directory: an error for that path.
                let path = match &e {
                    ignore::Error::WithPath { path, .. } => path.clone(),
                    ignore::Error::WithDepth { err, .. } => match err.as_ref() {
                        ignore::Error::WithPath { path, .. } => path.clone(),
                        ignore::Error::Loop { child, .. } => child.clone(),
                        _ => root.to_path_buf(),
                    },
                    ignore::Error::Loop { child, .. } => child.clone(),
                    _ => root.to_path_buf(),
                };
                inputs.push(Input::Broken(path, format!("cannot walk here: {e}")));
                continue;
            }
        };
        if entry.file_type().is_none_or(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        // A FIFO, socket or device would block or never end (symlinks are followed already).
        if !path.is_file() {
            let reason = "not a regular file (a FIFO, socket or device)".to_string();
            skipped.push(Skipped {
                path: path.display().to_string(),
                reason,
            });
            continue;
        }
        if let Some(g) = glob {
            let shown = path.to_string_lossy().replace('\\', "/");
            let shown = shown.strip_prefix("./").unwrap_or(&shown);
            if !g.is_match(shown) {
                continue;
            }
        }
        let relative = path.strip_prefix(root).unwrap_or(path);
        if !is_report_file(path) {
            let kind = path.extension().map_or("no extension".to_string(), |e| {
                format!(".{}", e.to_string_lossy())
            });
            skipped.push(Skipped {
                path: path.display().to_string(),
                reason: format!("not a report type ({kind})"),
            });
        } else if let Some(reason) = selection.reason_to_skip(relative) {
            skipped.push(Skipped {
                path: path.display().to_string(),
                reason,
            });
        } else {
            inputs.push(Input::File(path.to_path_buf()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(inputs: &[Input], dir: &Path) -> Vec<String> {
        inputs
            .iter()
            .map(|i| i.label().replace(&dir.display().to_string(), ""))
            .collect()
    }

    #[test]
    fn hidden_and_git_ignored_reports_are_audited_and_others_listed_as_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join(".hidden")).unwrap();
        fs::write(d.join(".gitignore"), "ignored.txt\n").unwrap();
        for f in ["a.txt", "ignored.txt", ".hidden/b.md", "logo.png"] {
            fs::write(d.join(f), "x").unwrap();
        }
        let (inputs, skipped) = collect(&[d.to_path_buf()], &Selection::default());
        assert_eq!(
            names(&inputs, d),
            ["/.hidden/b.md", "/a.txt", "/ignored.txt"]
        );
        let reasons: Vec<&str> = skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "not a report type (no extension)",
                "not a report type (.png)"
            ]
        );
    }

    #[test]
    fn include_and_exclude_globs_select_and_say_why() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("old")).unwrap();
        for f in ["a.txt", "b.md", "old/c.txt"] {
            fs::write(d.join(f), "x").unwrap();
        }
        let sel = Selection::new(&["*.txt".into()], &["old/**".into()]).unwrap();
        let (inputs, skipped) = collect(&[d.to_path_buf()], &sel);
        assert_eq!(names(&inputs, d), ["/a.txt"]);
        assert!(
            skipped
                .iter()
                .any(|s| s.path.ends_with("b.md")
                    && s.reason.starts_with("not matched by --include"))
        );
        assert!(skipped.iter().any(|s| s.path.ends_with("c.txt") && s.reason.starts_with("excluded by --exclude")));
        assert!(Selection::new(&["[".into()], &[]).is_err());
    }

    #[test]
    fn globs_on_the_command_line_expand() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("x")).unwrap();
        for f in ["x/a.txt", "x/b.txt", "x/c.md"] {
            fs::write(d.join(f), "x").unwrap();
        }
        let (inputs, _) = collect(&[d.join("x/*.txt")], &Selection::default());
        assert_eq!(names(&inputs, d), ["/x/a.txt", "/x/b.txt"]);
        let (inputs, _) = collect(&[d.join("x/*.pdf")], &Selection::default());
        assert!(
            matches!(&inputs[0], Input::Broken(_, why) if why.contains("no report file matches"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_an_error_for_that_path_and_the_rest_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("sub")).unwrap();
        fs::write(d.join("sub/a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(d, d.join("sub/loop")).unwrap();
        let (inputs, _) = collect(&[d.to_path_buf()], &Selection::default());
        assert!(
            inputs
                .iter()
                .any(|i| matches!(i, Input::File(p) if p.ends_with("sub/a.txt")))
        );
        assert!(
            inputs
                .iter()
                .any(|i| matches!(i, Input::Broken(_, why) if why.contains("cannot walk"))),
            "{inputs:?}"
        );
    }
}
