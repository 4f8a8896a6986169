//! GitHub Actions workflow commands: one annotation line per gap,
//! `::error file={path},line={line},title={rule id} {rule name}::{message} — {help}`
//! (`::warning` for warning gaps, `::notice` for info gaps), the line being that of the gap's
//! first piece of evidence, or 1. An unreadable input is an `::error` on its file. Files the
//! walk skipped (`skipped: …`), each input's hash (`sha256 HEX  PATH`) and a closing summary with
//! the tool and pack are plain lines, not commands.
//!
//! Escaping follows the runner's rules: in the message `%`, CR and LF become `%25`, `%0D`, `%0A`;
//! in properties `:` and `,` also become `%3A`, `%2C`. No line can therefore hold a second
//! command, whatever a report or a file name contains; plain lines are escaped the same way.

use super::Batch;
use crate::rules::{Severity, Status};
use std::fmt::Write;

/// Escape a command's message.
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escape a command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// A report path as GitHub expects it: forward slashes.
fn file(path: &str) -> String {
    escape_property(&path.replace('\\', "/"))
}

pub fn render(batch: &Batch) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for a in batch.audited {
        if let Some(err) = &a.error {
            let _ = writeln!(
                out,
                "::error file={},title={}::{}",
                file(&a.path),
                escape_property("unreadable report"),
                escape_data(&format!("cannot read the report: {err}"))
            );
            continue;
        }
        for rule in &batch.pack.rules {
            let Some(f) = a
                .findings
                .iter()
                .find(|f| f.rule == rule.id && f.status == Status::Gap)
            else {
                continue;
            };
            match f.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                Severity::Info => infos += 1,
            }
            let line = f.evidence.first().map_or(1, |e| e.line.max(1));
            let message = match &f.help {
                Some(help) if !help.is_empty() => format!("{} — {help}", f.message),
                _ => f.message.clone(),
            };
            let _ = writeln!(
                out,
                "::{} file={},line={line},title={}::{}",
                command(f.severity),
                file(&a.path),
                escape_property(&format!("{} {}", f.rule, f.name)),
                escape_data(&message)
            );
        }
    }
    for s in batch.skipped {
        let _ = writeln!(
            out,
            "skipped: {}: {}",
            escape_data(&s.path),
            escape_data(&s.reason)
        );
    }
    for a in batch.audited {
        if let Some(src) = &a.source {
            let _ = writeln!(out, "sha256 {}  {}", src.sha256, escape_data(&a.path));
        }
    }
    let unreadable = batch.audited.iter().filter(|a| a.error.is_some()).count();
    let failing = batch.audited.iter().filter(|a| a.error_gaps() > 0).count();
    let _ = writeln!(
        out,
        "auditor {}: {} report{} audited with pack {} {} (hash {}): {failing} with error gaps; {errors} error, {warnings} warning, {infos} info gaps; {unreadable} unreadable; {} skipped",
        env!("CARGO_PKG_VERSION"),
        batch.audited.len(),
        if batch.audited.len() == 1 { "" } else { "s" },
        escape_data(&batch.pack.meta.id),
        escape_data(&batch.pack.meta.version),
        batch.pack.hash,
        batch.skipped.len()
    );
    out
}
