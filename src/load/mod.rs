//! Loading: which inputs to audit (files, directories walked recursively, `-` for stdin) and
//! their bytes turned into text. Every input yields either text or an error of its own, so one
//! unreadable report never stops a batch.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest report read, in bytes; real reports are well under 1 MB.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;
/// File types audited when a directory is walked. Named files are read whatever their type.
pub const REPORT_EXTENSIONS: &[&str] = &["txt", "md", "markdown"];

/// One thing to audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
    /// A path that could not be listed, with why.
    Broken(PathBuf, String),
}

impl Input {
    /// How the input is named in output.
    pub fn label(&self) -> String {
        match self {
            Input::File(p) | Input::Broken(p, _) => p.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }
}

/// Expand command-line paths: files as given, directories into their report files (recursively,
/// sorted by path so output order never depends on the file system), `-` into stdin.
pub fn collect(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, &mut Vec::new());
            found.sort_by_key(Input::label);
            if found.is_empty() {
                out.push(Input::Broken(
                    p.clone(),
                    format!(
                        "no report files ({}) in this directory",
                        REPORT_EXTENSIONS.join(", ")
                    ),
                ));
            }
            out.extend(found);
        } else if p.exists() {
            out.push(Input::File(p.clone()));
        } else {
            out.push(Input::Broken(p.clone(), "no such file or directory".into()));
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Input>, seen: &mut Vec<PathBuf>) {
    // Symlinked directories may loop; visit each real directory once.
    let real = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if seen.contains(&real) {
        return;
    }
    seen.push(real);
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Input::Broken(
                dir.to_path_buf(),
                format!("cannot list the directory: {e}"),
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out, seen);
        } else if is_report_file(&path) {
            out.push(Input::File(path));
        }
    }
}

pub fn is_report_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| REPORT_EXTENSIONS.iter().any(|r| r.eq_ignore_ascii_case(e)))
}

/// Read an input as text. Errors say what is wrong and what to do.
pub fn read(input: &Input) -> Result<String, String> {
    let bytes = match input {
        Input::Broken(_, why) => return Err(why.clone()),
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            buf
        }
        Input::File(path) => {
            let meta = fs::metadata(path).map_err(|e| format!("cannot read the file: {e}"))?;
            if meta.len() > MAX_INPUT_BYTES {
                return Err(format!(
                    "file too large ({} bytes; the limit is {MAX_INPUT_BYTES}): is this a report?",
                    meta.len()
                ));
            }
            fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?
        }
    };
    decode(&bytes)
}

/// Bytes to text. Only UTF-8 (with or without BOM) for now; the error says how to convert.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "input too large (the limit is {MAX_INPUT_BYTES} bytes)"
        ));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty report: the file has no text".into());
    }
    if bytes.contains(&0) {
        return Err("not a text report: the file contains binary data (NUL bytes)".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.strip_prefix('\u{FEFF}').unwrap_or(s).to_string()),
        Err(e) => Err(format!(
            "not UTF-8 text (invalid byte at offset {}): save the report as UTF-8, e.g. `iconv -f GB18030 -t UTF-8`",
            e.valid_up_to()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        assert_eq!(decode("报告".as_bytes()).unwrap(), "报告");
        assert_eq!(decode("\u{FEFF}报告".as_bytes()).unwrap(), "报告");
    }

    #[test]
    fn rejects_empty_binary_and_other_encodings_with_a_reason() {
        assert!(decode(b" \n\t").unwrap_err().contains("empty report"));
        assert!(decode(b"ab\0cd").unwrap_err().contains("not a text report"));
        // 法治 in GBK
        assert!(
            decode(&[0xB7, 0xA8, 0xD6, 0xCE])
                .unwrap_err()
                .contains("not UTF-8")
        );
    }

    #[test]
    fn walks_directories_in_sorted_order_and_reports_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        for f in ["b.txt", "a.md", "sub/c.TXT", "skip.pdf"] {
            fs::write(dir.path().join(f), "x").unwrap();
        }
        let inputs = collect(&[dir.path().to_path_buf(), dir.path().join("nope.txt")]);
        let names: Vec<String> = inputs
            .iter()
            .map(|i| i.label().replace(&dir.path().display().to_string(), ""))
            .collect();
        assert_eq!(names, ["/a.md", "/b.txt", "/sub/c.TXT", "/nope.txt"]);
        assert!(matches!(&inputs[3], Input::Broken(_, why) if why.contains("no such file")));
    }
}
