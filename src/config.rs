//! The project config file, `auditor.toml`: defaults for a repository of drafts or a reviewer's
//! folder, found by walking up from the current directory. Flags override it.

use crate::diagnostic::Diagnostic;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "auditor.toml";

/// When the exit code is 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// A gap of severity `error` fails.
    #[default]
    Error,
    /// A gap of severity `error` or `warning` fails.
    Warning,
    /// Gaps never fail (unreadable inputs and bad rules still exit 2).
    Never,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// A pack name or a path (relative to the config file).
    pub rules: Option<String>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    pub fail_on: Option<FailOn>,
    pub format: Option<crate::render::Format>,
    pub threads: Option<usize>,
    /// The waivers file (relative to the config file).
    pub waivers: Option<String>,
    /// Paths audited when none are given on the command line (relative to the config file).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Look for passages copied between the reports of the batch (`--copying`).
    pub copying: Option<bool>,
    /// Earlier years' reports to compare each report with (`--against`; relative to the config
    /// file).
    #[serde(default)]
    pub against: Vec<String>,
    #[serde(skip)]
    pub file: Option<PathBuf>,
}

impl Config {
    /// The nearest `auditor.toml` in `start` or a parent directory.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    pub fn load(path: &Path) -> Result<Config, Diagnostic> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Diagnostic::whole(&file, format!("cannot read the config file: {e}")))?;
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            Diagnostic::at(&file, &text, e.span().map_or(0, |s| s.start), e.message().trim().to_string())
                .with_help("keys: rules, include, exclude, fail-on, format, threads, paths, waivers, copying, against (see README.md)")
        })?;
        config.file = Some(path.to_path_buf());
        Ok(config)
    }

    /// A path written in the config, resolved against the config file's directory.
    pub fn resolve(&self, p: &str) -> PathBuf {
        match self.file.as_ref().and_then(|f| f.parent()) {
            Some(dir) if Path::new(p).is_relative() => dir.join(p),
            _ => PathBuf::from(p),
        }
    }

    /// The rules setting: a bundled name stays a name, a path is resolved.
    pub fn rules_spec(&self) -> Option<String> {
        let r = self.rules.as_ref()?;
        let resolved = self.resolve(r);
        Some(if resolved.is_file() {
            resolved.display().to_string()
        } else {
            r.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_found_walking_up_and_paths_resolve_against_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(
            dir.path().join("auditor.toml"),
            "rules = \"packs/local.toml\"\nfail-on = \"warning\"\nexclude = [\"old/**\"]\n",
        )
        .unwrap();
        let found = Config::discover(&dir.path().join("a/b")).unwrap();
        let c = Config::load(&found).unwrap();
        assert_eq!(c.fail_on, Some(FailOn::Warning));
        assert_eq!(
            c.resolve("packs/local.toml"),
            dir.path().join("packs/local.toml")
        );
        assert_eq!(c.rules_spec().as_deref(), Some("packs/local.toml"));
    }

    #[test]
    fn unknown_keys_are_errors_with_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("auditor.toml");
        std::fs::write(&path, "rules = \"2021\"\nfail_on = \"error\"\n").unwrap();
        let e = Config::load(&path).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.message.contains("unknown field `fail_on`"),
            "{}",
            e.message
        );
    }
}
