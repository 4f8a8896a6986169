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

use super::{Context, End, Renderer};
use crate::Audited;
use crate::rules::{Severity, Status};
use std::io::{self, Write};

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

/// Writes each report's annotations as it comes, then the skipped files, hashes and totals.
pub struct Github<'a> {
    out: &'a mut dyn Write,
    ctx: Context<'a>,
    /// Gaps annotated, by severity: error, warning, info.
    counts: [usize; 3],
}

impl<'a> Github<'a> {
    pub fn new(ctx: Context<'a>, out: &'a mut dyn Write) -> Github<'a> {
        Github {
            out,
            ctx,
            counts: [0; 3],
        }
    }
}

impl Renderer for Github<'_> {
    fn report(&mut self, a: &Audited) -> io::Result<()> {
        if let Some(err) = &a.error {
            return writeln!(
                self.out,
                "::error file={},title={}::{}",
                file(&a.path),
                escape_property("unreadable report"),
                escape_data(&format!("cannot read the report: {err}"))
            );
        }
        for rule in &self.ctx.pack.rules {
            let Some(f) = a
                .findings
                .iter()
                .find(|f| f.rule == rule.id && f.status == Status::Gap)
            else {
                continue;
            };
            self.counts[f.severity as usize] += 1;
            let line = f.evidence.first().map_or(1, |e| e.line.max(1));
            let message = match &f.help {
                Some(help) if !help.is_empty() => format!("{} — {help}", f.message),
                _ => f.message.clone(),
            };
            writeln!(
                self.out,
                "::{} file={},line={line},title={}::{}",
                command(f.severity),
                file(&a.path),
                escape_property(&format!("{} {}", f.rule, f.name)),
                escape_data(&message)
            )?;
        }
        // Copying is a signal for a reviewer, not a gap: notices, which fail nothing.
        if let Some(c) = &a.copying {
            for pair in &c.pairs {
                let line = pair.passages.first().map_or(1, |p| p.line.max(1));
                writeln!(
                    self.out,
                    "::notice file={},line={line},title={}::{}",
                    file(&a.path),
                    escape_property("copying"),
                    escape_data(&format!(
                        "{} of this report is shared with {}",
                        super::percent(pair.share),
                        pair.with
                    ))
                )?;
            }
            if let Some(y) = &c.previous_year {
                let parts: Vec<String> = y
                    .by_part
                    .iter()
                    .map(|p| format!("{} {}", p.part, super::percent(p.share)))
                    .collect();
                writeln!(
                    self.out,
                    "::notice file={},line=1,title={}::{}",
                    file(&a.path),
                    escape_property("last year"),
                    escape_data(&format!(
                        "{} repeats {} ({})",
                        super::percent(y.share),
                        y.with,
                        parts.join(", ")
                    ))
                )?;
            }
        }
        Ok(())
    }

    fn finish(self: Box<Self>, end: &End) -> io::Result<()> {
        let out = self.out;
        for s in end.skipped {
            writeln!(
                out,
                "skipped: {}: {}",
                escape_data(&s.path),
                escape_data(&s.reason)
            )?;
        }
        let summary = end.summary;
        for r in &summary.reports {
            if let Some(sha) = &r.sha256 {
                writeln!(out, "sha256 {sha}  {}", escape_data(&r.path))?;
            }
        }
        let [errors, warnings, infos] = self.counts;
        let pack = self.ctx.pack;
        let n = summary.report_count();
        writeln!(
            out,
            "auditor {}: {n} report{} audited with pack {} {} (hash {}): {} with error gaps; {errors} error, {warnings} warning, {infos} info gaps; {} unreadable; {} skipped",
            env!("CARGO_PKG_VERSION"),
            if n == 1 { "" } else { "s" },
            escape_data(&pack.meta.id),
            escape_data(&pack.meta.version),
            pack.hash,
            summary.with_error_gaps(),
            summary.unreadable(),
            end.skipped.len()
        )?;
        out.flush()
    }
}
