//! Markdown for a pull-request comment: a heading, the provenance line, the batch summary (the
//! matrix of reports × rules, each rule's pass rate, the reports with the most error gaps), what
//! was skipped and the inputs' SHA-256 (folded away), then — unless `--summary` — a section per report with its gaps in a table and its
//! passes, with their evidence, folded away in `<details>`.
//!
//! Report text is escaped with [`escape`] wherever it appears: it must render as the text it is,
//! never as Markdown structure or HTML (a report containing `<script>` stays text).

use super::summary;
use super::{Context, End, Renderer, Spool, provenance};
use crate::Audited;
use crate::eval::{Evidence, Finding};
use crate::rules::Status;
use std::fmt::Write;
use std::io;

/// Escape text for Markdown, in a table cell or running text alike: HTML's `&`, `<`, `>` become
/// entities; Markdown punctuation that could start emphasis, code, links, headings or cell breaks
/// is backslash-escaped; line breaks become `<br>` (a table row is one line).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `L12: quote` with the page or paragraph when known, escaped.
fn evidence_line(e: &Evidence) -> String {
    let mut s = format!("L{}", e.line);
    if let Some(p) = e.location.page {
        let _ = write!(s, " (p. {p})");
    }
    if let Some(q) = e.location.paragraph {
        let _ = write!(s, " (¶ {q})");
    }
    format!("{s}: {}", escape(&e.text))
}

/// Spools each report's section as it comes (unless `--summary`); at the end writes the heading
/// and the batch summary, then the sections.
pub struct Markdown<'a> {
    out: &'a mut dyn io::Write,
    ctx: Context<'a>,
    sections: Option<Spool>,
}

impl<'a> Markdown<'a> {
    pub fn new(ctx: Context<'a>, out: &'a mut dyn io::Write) -> io::Result<Markdown<'a>> {
        let sections = if ctx.summary_only {
            None
        } else {
            Some(Spool::new()?)
        };
        Ok(Markdown { out, ctx, sections })
    }
}

impl Renderer for Markdown<'_> {
    fn report(&mut self, a: &Audited) -> io::Result<()> {
        match &mut self.sections {
            Some(spool) => {
                let mut section = String::new();
                report_section(&mut section, a);
                spool.write_str(&section)
            }
            None => Ok(()),
        }
    }

    fn finish(self: Box<Self>, end: &End) -> io::Result<()> {
        let mut head = String::new();
        let _ = writeln!(head, "## 法治政府建设年度报告 audit\n");
        let _ = writeln!(head, "<sub>{}</sub>\n", escape(&provenance(self.ctx.pack)));
        summary_view(&mut head, self.ctx, end);
        self.out.write_all(head.as_bytes())?;
        if let Some(spool) = self.sections {
            spool.copy_into(self.out)?;
        }
        self.out.flush()
    }
}

fn summary_view(out: &mut String, ctx: Context, end: &End) {
    let summary = end.summary;
    let unreadable = summary.unreadable();
    let failing = summary.with_error_gaps();
    let _ = writeln!(
        out,
        "{} audited with pack {} {}: **{failing} with error gaps**, {unreadable} unreadable, {} skipped.\n",
        plural(summary.report_count(), "report", "reports"),
        escape(&ctx.pack.meta.id),
        escape(&ctx.pack.meta.version),
        end.skipped.len()
    );
    if !summary.reports.is_empty() {
        let _ = writeln!(out, "### Summary\n");
        let _ = writeln!(
            out,
            "✓ pass · ✗ gap · – skip; columns are the rules numbered below.\n"
        );
        let mut header = String::from("| report |");
        let mut rule_line = String::from("| --- |");
        for i in 0..summary.rules.len() {
            let _ = write!(header, " {} |", i + 1);
            rule_line.push_str(" :-: |");
        }
        header.push_str(" error gaps | substance |");
        rule_line.push_str(" --: | --: |");
        let copying = summary.has_copying();
        if copying {
            header.push_str(" copied | last year |");
            rule_line.push_str(" --: | --: |");
        }
        let share = |v: Option<f64>| v.map_or("–".to_string(), super::percent);
        let _ = writeln!(out, "{header}\n{rule_line}");
        for row in &summary.reports {
            let mut line = format!("| {} |", escape(&row.path));
            match &row.error {
                Some(err) => {
                    let _ = write!(line, " unreadable: {} |", escape(err));
                    for _ in 1..summary.rules.len() {
                        line.push_str(" |");
                    }
                    line.push_str(" – | – |");
                }
                None => {
                    for s in &row.statuses {
                        let _ = write!(line, " {} |", s.map_or("", summary::symbol));
                    }
                    let _ = write!(
                        line,
                        " {} | {} |",
                        row.error_gaps,
                        row.substance.map_or("–".to_string(), |v| v.to_string())
                    );
                }
            }
            if copying {
                let _ = write!(line, " {} | {} |", share(row.copied), share(row.repeated));
            }
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "| # | rule | severity | pass | gap | skip | pass rate |"
    );
    let _ = writeln!(out, "| --: | --- | --- | --: | --: | --: | --: |");
    for (i, r) in summary.rules.iter().enumerate() {
        let rate = r
            .pass_rate()
            .map_or("–".to_string(), |p| format!("{:.0}%", p * 100.0));
        let _ = writeln!(
            out,
            "| {} | {} {} | {} | {} | {} | {} | {rate} |",
            i + 1,
            escape(&r.id),
            escape(&r.name),
            r.severity.as_str(),
            r.pass,
            r.gap,
            r.skip
        );
    }
    let _ = writeln!(out);
    let worst = summary.worst_first();
    if !worst.is_empty() {
        let _ = writeln!(out, "**Reports with error gaps, most first:**\n");
        for i in worst {
            let row = &summary.reports[i];
            let what = match &row.error {
                Some(e) => format!("unreadable: {}", escape(e)),
                None => {
                    let missing: Vec<String> = summary
                        .error_gap_rules(row)
                        .into_iter()
                        .map(escape)
                        .collect();
                    format!(
                        "{}: {}",
                        plural(row.error_gaps, "error gap", "error gaps"),
                        missing.join(", ")
                    )
                }
            };
            let _ = writeln!(out, "- {} — {what}", escape(&row.path));
        }
        let _ = writeln!(out);
    }
    if !end.skipped.is_empty() {
        let _ = writeln!(out, "**Skipped files:**\n");
        for s in end.skipped {
            let _ = writeln!(out, "- {} — {}", escape(&s.path), escape(&s.reason));
        }
        let _ = writeln!(out);
    }
    // The inputs' hashes, so the audit can be reproduced; folded away.
    let hashed: Vec<_> = summary
        .reports
        .iter()
        .filter_map(|r| r.sha256.as_ref().map(|s| (&r.path, s)))
        .collect();
    if !hashed.is_empty() {
        let _ = writeln!(out, "<details><summary>Input SHA-256</summary>\n");
        for (path, sha) in hashed {
            let _ = writeln!(out, "- {} — {}", escape(path), escape(sha));
        }
        let _ = writeln!(out, "\n</details>\n");
    }
}

/// One report: its header, its gaps in a table, its passes (and skips) folded away.
fn report_section(out: &mut String, a: &Audited) {
    let _ = writeln!(out, "### {}\n", escape(&a.path));
    if let Some(err) = &a.error {
        let _ = writeln!(out, "**Unreadable:** {}\n", escape(err));
        return;
    }
    if let Some(m) = &a.meta {
        let or_none = |s: Option<&str>| s.map_or("(none)".to_string(), escape);
        let _ = writeln!(
            out,
            "title: {} · unit: {} · year: {} · published: {}\n",
            or_none(m.title.as_deref()),
            or_none(m.unit.as_deref()),
            m.year.map_or("(unknown)".to_string(), |y| y.to_string()),
            m.published
                .map_or("(not shown)".to_string(), |d| d.to_string())
        );
    }
    if let Some(m) = &a.measures {
        let _ = writeln!(out, "{}\n", escape(&super::measures_line(m)));
    }
    if let Some(c) = &a.copying {
        for line in super::copying_lines(c, 3) {
            let text = escape(line.trim_start());
            let indent = if line.starts_with(' ') { "  - " } else { "- " };
            let _ = writeln!(out, "{indent}{text}");
        }
        let _ = writeln!(out);
    }
    let gaps: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| f.status == Status::Gap)
        .collect();
    let _ = writeln!(
        out,
        "{}: {} pass, {} ({} error), {} skip\n",
        plural(a.findings.len(), "rule", "rules"),
        a.count(Status::Pass),
        plural(gaps.len(), "gap", "gaps"),
        a.error_gaps(),
        a.count(Status::Skip)
    );
    if !gaps.is_empty() {
        let _ = writeln!(
            out,
            "| rule | severity | what is wrong | what is required |"
        );
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        for f in gaps {
            let mut what = escape(&f.message);
            for e in &f.evidence {
                let _ = write!(what, "<br>{}", evidence_line(e));
            }
            let _ = writeln!(
                out,
                "| {} {} | {} | {what} | {} |",
                escape(&f.rule),
                escape(&f.name),
                f.severity.as_str(),
                escape(f.help.as_deref().unwrap_or(""))
            );
        }
        let _ = writeln!(out);
    }
    let others: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| f.status != Status::Gap)
        .collect();
    if !others.is_empty() {
        let passes = others.iter().filter(|f| f.status == Status::Pass).count();
        let skips = others.len() - passes;
        let mut label = plural(passes, "pass", "passes");
        if skips > 0 {
            let _ = write!(label, ", {}", plural(skips, "skip", "skips"));
        }
        // A blank line after the summary so the list inside is read as Markdown.
        let _ = writeln!(out, "<details><summary>{label}, with evidence</summary>\n");
        for f in others {
            let verdict = if f.status == Status::Pass {
                "✓"
            } else {
                "– skip:"
            };
            let _ = writeln!(
                out,
                "- {verdict} **{} {}** — {}",
                escape(&f.rule),
                escape(&f.name),
                escape(&f.message)
            );
            for e in &f.evidence {
                let _ = writeln!(out, "  - {}", evidence_line(e));
            }
        }
        let _ = writeln!(out, "\n</details>\n");
    }
}
