//! One self-contained HTML page: the batch matrix (reports × rules, ✓ ✗ – in colour) with a
//! legend of the rules and their pass rates, then each report with its metadata and findings
//! (message, evidence quoted and highlighted, help, basis), then the files passed over.
//!
//! The page has inline CSS only: no scripts, no external assets, and a Content-Security-Policy
//! that forbids both, so it reads offline and a report's text cannot run. Everything that comes
//! from a report or a pack is HTML-escaped. The output depends only on the batch.

use super::summary::{self, Summary};
use super::{Context, End, Renderer, Spool, provenance};
use crate::Audited;
use crate::eval::{Evidence, Finding};
use crate::rules::Status;
use std::fmt::Write;
use std::io;

const STYLE: &str = r#"
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa;
  --pass: #116329; --pass-bg: #dafbe1; --gap: #a40e26; --gap-bg: #ffdce0;
  --skip: #59636e; --skip-bg: #eef1f4; --mark: #fff1a8;
}
* { box-sizing: border-box; }
html { color-scheme: light; }
body {
  margin: 0 auto; max-width: 1400px; padding: 1.5rem 2rem 3rem; color: var(--ink); background: #fff;
  font: 15px/1.6 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Source Han Sans SC",
    "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", sans-serif;
}
h1 { font-size: 1.6rem; line-height: 1.3; margin: 0 0 .4rem; }
h2 { font-size: 1.3rem; margin: 2.5rem 0 .6rem; padding-bottom: .3rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
a { color: #0550ae; }
code, .ln, .sha { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .88em; }
.provenance, .totals, .key { margin: .2rem 0; color: var(--muted); font-size: .9rem; }
.totals strong { color: var(--ink); }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: .3rem .55rem; vertical-align: top; text-align: left; }
thead th { background: var(--head); font-weight: 600; }
.scroll { overflow-x: auto; max-width: 100%; }
.matrix th, .matrix td { white-space: nowrap; }
.matrix tbody th, .matrix td.unit { white-space: normal; min-width: 9rem; max-width: 20rem; overflow-wrap: anywhere; }
.matrix thead th.rule { text-align: center; min-width: 2.2rem; padding: .3rem .2rem; }
.matrix thead th.rule a { text-decoration: none; }
.matrix tbody th { font-weight: normal; background: #fff; position: sticky; left: 0; }
.matrix td.s { text-align: center; font-weight: 700; padding: .3rem .2rem; }
.matrix td.n { text-align: right; font-variant-numeric: tabular-nums; }
.s.pass { color: var(--pass); background: var(--pass-bg); }
.s.gap { color: var(--gap); background: var(--gap-bg); }
.s.skip { color: var(--skip); background: var(--skip-bg); }
.unreadable { color: var(--gap); }
.sev { display: inline-block; padding: 0 .45em; border-radius: .8em; font-size: .8rem; border: 1px solid var(--line); }
.sev.error { color: var(--gap); border-color: #f5a3ae; }
.sev.warning { color: #7d4e00; border-color: #e6c67a; }
.sev.info { color: var(--muted); }
.legend td.n, .legend th.n { text-align: right; font-variant-numeric: tabular-nums; }
.legend td.rate { min-width: 7rem; text-align: right; font-variant-numeric: tabular-nums; }
.legend tr:target { outline: 2px solid #0969da; }
.worst li { margin: .15rem 0; }
section.report { margin-top: 2.5rem; }
section.report h2 { display: flex; flex-wrap: wrap; gap: .3rem .8rem; align-items: baseline; }
section.report h2 .back { margin-left: auto; font-size: .8rem; font-weight: normal; }
.badge { font-size: .85rem; font-weight: 600; padding: .05rem .6rem; border-radius: 1em; }
.badge.ok { color: var(--pass); background: var(--pass-bg); }
.badge.bad { color: var(--gap); background: var(--gap-bg); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0 .8rem; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.none { color: var(--muted); font-style: italic; }
table.findings { width: 100%; }
table.findings td.s { white-space: nowrap; font-weight: 600; }
table.findings td.rule { width: 12.5rem; }
table.findings td.rule .name { display: block; }
table.findings td.basis { width: 24%; font-size: .85rem; color: var(--muted); }
table.findings tr.gap td.rule { box-shadow: inset 3px 0 0 var(--gap); }
.msg { margin: 0; }
ul.evidence { list-style: none; margin: .3rem 0 0; padding: 0; }
ul.evidence li { margin: .15rem 0; overflow-wrap: anywhere; }
.ln { color: var(--muted); margin-right: .45em; }
mark { background: var(--mark); color: inherit; padding: 0 .15em; border-radius: 2px; }
.copying { margin: .8em 0; } .copying table.passages td:last-child { max-width: 60em; }
.help { margin: .35rem 0 0; padding: .2rem .5rem; border-left: 3px solid #e6c67a; background: #fff8e5; }
.error-box { padding: .5rem .8rem; border-left: 3px solid var(--gap); background: var(--gap-bg); }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); padding-top: .5rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .scroll { overflow: visible; }
  .matrix tbody th { position: static; }
  section.report { break-before: page; }
  tr, li, dl.meta { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .back { display: none; }
  .s, mark, .badge, .help, .error-box, thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// HTML-escape text for element content and quoted attribute values: `& < > " '`. Control
/// characters other than tab and line breaks become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The anchor of the n-th report (0-based), stable for a given input order.
fn report_id(i: usize) -> String {
    format!("report-{}", i + 1)
}

/// A second anchor for a report, from its path: copy detection names the other report of a
/// pair by path, and its section may come later in the page than the one linking to it.
fn path_anchor(path: &str) -> String {
    // FNV-1a: short, stable across runs and platforms.
    let hash = path.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("path-{hash:016x}")
}

/// The anchor of a rule in the legend. Rule ids are ASCII letters, digits, `-` and `_`.
fn rule_id(id: &str) -> String {
    format!("rule-{}", escape(id))
}

/// Spools each report's section as it comes (unless `--summary`); at the end writes the page
/// head, the header, the matrix, the legend and the worst reports, then the sections.
pub struct Html<'a> {
    out: &'a mut dyn io::Write,
    ctx: Context<'a>,
    sections: Option<Spool>,
    reports: usize,
}

impl<'a> Html<'a> {
    pub fn new(ctx: Context<'a>, out: &'a mut dyn io::Write) -> io::Result<Html<'a>> {
        let sections = if ctx.summary_only {
            None
        } else {
            Some(Spool::new()?)
        };
        Ok(Html {
            out,
            ctx,
            sections,
            reports: 0,
        })
    }
}

impl Renderer for Html<'_> {
    fn report(&mut self, a: &Audited) -> io::Result<()> {
        let i = self.reports;
        self.reports += 1;
        match &mut self.sections {
            Some(spool) => {
                let mut section = String::new();
                report(&mut section, self.ctx, i, a);
                spool.write_str(&section)
            }
            None => Ok(()),
        }
    }

    fn finish(self: Box<Self>, end: &End) -> io::Result<()> {
        let (ctx, summary) = (self.ctx, end.summary);
        let mut out = String::with_capacity(64 * 1024);
        let pack = &ctx.pack.meta;
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
             <meta name=\"generator\" content=\"{} {}\">\n<title>法治政府建设年度报告审查 · {} · {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION"),
            escape(&pack.name),
            plural(summary.report_count(), "report", "reports"),
        );
        header(&mut out, ctx, end);
        let _ = writeln!(out, "<main>");
        matrix(&mut out, ctx, summary);
        legend(&mut out, summary);
        worst(&mut out, ctx, summary);
        self.out.write_all(out.as_bytes())?;
        if let Some(spool) = self.sections {
            spool.copy_into(self.out)?;
        }
        let mut out = String::new();
        skipped(&mut out, end);
        let _ = writeln!(out, "</main>");
        let _ = writeln!(
            out,
            "<footer><p>{}</p></footer>\n</body>\n</html>",
            escape(&provenance(ctx.pack))
        );
        self.out.write_all(out.as_bytes())?;
        self.out.flush()
    }
}

fn header(out: &mut String, ctx: Context, end: &End) {
    let summary = end.summary;
    let unreadable = summary.unreadable();
    let failing = summary.with_error_gaps();
    let _ = writeln!(
        out,
        "<header id=\"top\">\n<h1>法治政府建设年度报告审查 · {}</h1>\n<p class=\"provenance\">{}</p>\n\
         <p class=\"totals\"><strong>{}</strong> audited with pack {} {}: <strong>{failing}</strong> with error gaps, \
         <strong>{unreadable}</strong> unreadable, <strong>{}</strong> skipped</p>\n</header>",
        escape(&ctx.pack.meta.name),
        escape(&provenance(ctx.pack)),
        plural(summary.report_count(), "report", "reports"),
        escape(&ctx.pack.meta.id),
        escape(&ctx.pack.meta.version),
        end.skipped.len(),
    );
}

/// Reports × rules, each cell ✓ ✗ – on its colour; rule numbers link to the legend.
fn matrix(out: &mut String, ctx: Context, summary: &Summary) {
    let rules = &ctx.pack.rules;
    let _ = writeln!(out, "<section id=\"summary\">\n<h2>Summary</h2>");
    let _ = writeln!(
        out,
        "<p class=\"key\"><span class=\"s pass\">&nbsp;✓&nbsp;</span> pass · <span class=\"s gap\">&nbsp;✗&nbsp;</span> gap · \
         <span class=\"s skip\">&nbsp;–&nbsp;</span> skip · rule numbers as in the legend below</p>"
    );
    let _ = write!(
        out,
        "<div class=\"scroll\">\n<table class=\"matrix\">\n<thead><tr><th scope=\"col\">report</th><th scope=\"col\">unit</th><th scope=\"col\">year</th>"
    );
    for (j, r) in rules.iter().enumerate() {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"rule\"><a href=\"#{}\" title=\"{} · {} ({})\">{}</a></th>",
            rule_id(&r.id),
            escape(&r.id),
            escape(&r.name),
            r.severity.as_str(),
            j + 1
        );
    }
    let copying = summary.has_copying();
    let _ = writeln!(
        out,
        "<th scope=\"col\">error gaps</th><th scope=\"col\">substance</th>{}</tr></thead>\n<tbody>",
        if copying {
            "<th scope=\"col\">copied</th><th scope=\"col\">last year</th>"
        } else {
            ""
        }
    );
    let share = |v: Option<f64>| v.map_or("–".to_string(), super::percent);
    for (i, row) in summary.reports.iter().enumerate() {
        let path = escape(&row.path);
        let name = if ctx.summary_only {
            format!("<code>{path}</code>")
        } else {
            format!("<a href=\"#{}\"><code>{path}</code></a>", report_id(i))
        };
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{name}</th><td class=\"unit\">{}</td><td class=\"n\">{}</td>",
            row.unit.as_deref().map_or(String::new(), escape),
            row.year.map_or(String::new(), |y| y.to_string()),
        );
        if let Some(err) = &row.error {
            let _ = write!(
                out,
                "<td colspan=\"{}\" class=\"unreadable\">unreadable: {}</td>",
                rules.len() + if copying { 4 } else { 2 },
                escape(err)
            );
        } else {
            for (r, status) in rules.iter().zip(&row.statuses) {
                match status {
                    Some(status) => {
                        let _ = write!(
                            out,
                            "<td class=\"s {}\" title=\"{}: {}\">{}</td>",
                            status.as_str(),
                            escape(&r.id),
                            status.as_str(),
                            summary::symbol(*status)
                        );
                    }
                    None => out.push_str("<td></td>"),
                }
            }
            let _ = write!(
                out,
                "<td class=\"n\">{}</td><td class=\"n\">{}</td>",
                row.error_gaps,
                row.substance.map_or("–".to_string(), |v| v.to_string())
            );
            if copying {
                let _ = write!(
                    out,
                    "<td class=\"n\">{}</td><td class=\"n\">{}</td>",
                    share(row.copied),
                    share(row.repeated)
                );
            }
        }
        out.push_str("</tr>\n");
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</div>");
}

/// The rules: number, id, name, severity and results across the batch.
fn legend(out: &mut String, summary: &Summary) {
    let _ = writeln!(
        out,
        "<h3 id=\"rules\">Rules</h3>\n<div class=\"scroll\">\n<table class=\"legend\">\n\
         <thead><tr><th class=\"n\">#</th><th>id</th><th>rule</th><th>severity</th><th class=\"n\">pass</th>\
         <th class=\"n\">gap</th><th class=\"n\">skip</th><th class=\"n\">pass rate</th></tr></thead>\n<tbody>"
    );
    for (j, r) in summary.rules.iter().enumerate() {
        let rate = match r.pass_rate() {
            Some(p) => {
                let pct = (p * 100.0).round();
                format!(
                    "<td class=\"rate\" style=\"background:linear-gradient(90deg,var(--pass-bg) {pct}%,transparent {pct}%)\">{pct}%</td>"
                )
            }
            None => "<td class=\"rate\">–</td>".to_string(),
        };
        let _ = writeln!(
            out,
            "<tr id=\"{}\"><td class=\"n\">{}</td><td><code>{}</code></td><td>{}</td><td><span class=\"sev {sev}\">{sev}</span></td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{rate}</tr>",
            rule_id(&r.id),
            j + 1,
            escape(&r.id),
            escape(&r.name),
            r.pass,
            r.gap,
            r.skip,
            sev = r.severity.as_str(),
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</div>");
}

/// The reports with the most error gaps first, then the unreadable ones.
fn worst(out: &mut String, ctx: Context, summary: &Summary) {
    let order = summary.worst_first();
    if !order.is_empty() {
        let _ = writeln!(
            out,
            "<h3>Reports with error gaps, most first</h3>\n<ol class=\"worst\">"
        );
        for i in order {
            let row = &summary.reports[i];
            let path = escape(&row.path);
            let name = if ctx.summary_only {
                format!("<code>{path}</code>")
            } else {
                format!("<a href=\"#{}\"><code>{path}</code></a>", report_id(i))
            };
            let what = match &row.error {
                Some(e) => format!(
                    "<span class=\"unreadable\">unreadable: {}</span>",
                    escape(e)
                ),
                None => {
                    let missing: Vec<String> = summary
                        .error_gap_rules(row)
                        .into_iter()
                        .map(|id| format!("<a href=\"#{}\">{}</a>", rule_id(id), escape(id)))
                        .collect();
                    format!(
                        "{}: {}",
                        plural(row.error_gaps, "error gap", "error gaps"),
                        missing.join(", ")
                    )
                }
            };
            let _ = writeln!(out, "<li>{name} — {what}</li>");
        }
        let _ = writeln!(out, "</ol>");
    }
    let _ = writeln!(out, "</section>");
}

fn or_none(value: Option<String>) -> String {
    value.unwrap_or_else(|| "<span class=\"none\">(none)</span>".to_string())
}

/// One report: its header, then a row per finding.
fn report(out: &mut String, ctx: Context, i: usize, a: &Audited) {
    let badge = match &a.error {
        Some(_) => "<span class=\"badge bad\">unreadable</span>".to_string(),
        None => {
            let n = a.error_gaps();
            format!(
                "<span class=\"badge {}\">{}</span>",
                if n == 0 { "ok" } else { "bad" },
                plural(n, "error gap", "error gaps")
            )
        }
    };
    let _ = writeln!(
        out,
        "<section id=\"{}\" class=\"report\">\n<a id=\"{}\"></a>\n<h2><span>{}.</span> <code>{}</code> {badge}<a class=\"back\" href=\"#top\">↑ summary</a></h2>",
        report_id(i),
        path_anchor(&a.path),
        i + 1,
        escape(&a.path)
    );
    if let Some(err) = &a.error {
        let _ = writeln!(
            out,
            "<p class=\"error-box\">could not be read: {}</p>\n</section>",
            escape(err)
        );
        return;
    }
    let _ = writeln!(out, "<dl class=\"meta\">");
    if let Some(m) = &a.meta {
        let year = m.year.map(|y| match m.year_source {
            Some(s) => format!(
                "{y} <span class=\"none\">(from the {})</span>",
                format!("{s:?}").to_lowercase()
            ),
            None => y.to_string(),
        });
        let published = m.published.map(|d| d.to_string());
        let _ = writeln!(
            out,
            "<dt>title</dt><dd>{}</dd>\n<dt>unit</dt><dd>{}</dd>\n<dt>year</dt><dd>{}</dd>\n<dt>published</dt><dd>{}</dd>",
            or_none(m.title.as_deref().map(escape)),
            or_none(m.unit.as_deref().map(escape)),
            or_none(year),
            or_none(published),
        );
    }
    if let Some(src) = &a.source {
        let format = format!("{:?}", src.format).to_lowercase();
        let read_as = match src.encoding {
            Some(e) => format!("{format}, {}", escape(e)),
            None => format,
        };
        let _ = writeln!(
            out,
            "<dt>read as</dt><dd>{read_as}</dd>\n<dt>sha256</dt><dd class=\"sha\">{}</dd>",
            escape(&src.sha256)
        );
    }
    if let Some(m) = &a.measures {
        let _ = writeln!(
            out,
            "<dt>substance</dt><dd>{}</dd>",
            escape(&super::measures_line(m))
        );
    }
    let _ = writeln!(
        out,
        "<dt>results</dt><dd>{}: {} pass, {} gap ({} error), {} skip</dd>\n</dl>",
        plural(a.findings.len(), "rule", "rules"),
        a.count(Status::Pass),
        a.count(Status::Gap),
        a.error_gaps(),
        a.count(Status::Skip)
    );
    if let Some(c) = &a.copying {
        copying(out, c);
    }
    let _ = writeln!(
        out,
        "<div class=\"scroll\">\n<table class=\"findings\">\n<thead><tr><th>rule</th><th>result</th><th>severity</th>\
         <th>finding and evidence</th><th>basis 法律依据</th></tr></thead>\n<tbody>"
    );
    for f in &a.findings {
        finding_row(out, ctx, i, f);
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</div>\n</section>");
}

/// Copy detection's result: each report it shares passages with, and what it repeats of last
/// year's, with the passages highlighted and their lines here and there.
fn copying(out: &mut String, c: &crate::copying::Copying) {
    let _ = writeln!(out, "<div class=\"copying\">\n<h3>Copying</h3>");
    let passages = |out: &mut String, ps: &[crate::copying::Passage], there: &str| {
        if ps.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "<table class=\"passages\"><thead><tr><th class=\"n\">here</th><th class=\"n\">{there}</th><th>passage</th></tr></thead><tbody>"
        );
        for p in ps {
            let _ = writeln!(
                out,
                "<tr><td class=\"n\">L{}</td><td class=\"n\">L{}</td><td><mark>{}</mark></td></tr>",
                p.line,
                p.with_line,
                escape(&p.text)
            );
        }
        let _ = writeln!(out, "</tbody></table>");
    };
    if c.pairs.is_empty() {
        let _ = writeln!(
            out,
            "<p>Nothing shared with the other reports of the batch.</p>"
        );
    } else {
        let _ = writeln!(
            out,
            "<p><strong>{}</strong> of the text is shared with other reports of the batch.</p>",
            super::percent(c.share)
        );
    }
    for pair in &c.pairs {
        let _ = writeln!(
            out,
            "<p class=\"pair\"><strong>{}</strong> found in <a href=\"#{}\"><code>{}</code></a>:</p>",
            super::percent(pair.share),
            path_anchor(&pair.with),
            escape(&pair.with)
        );
        passages(out, &pair.passages, "there");
    }
    if let Some(y) = &c.previous_year {
        let _ = writeln!(
            out,
            "<p class=\"pair\"><strong>{}</strong> repeats last year's report <code>{}</code>:</p>\n<ul class=\"parts\">",
            super::percent(y.share),
            escape(&y.with)
        );
        for part in &y.by_part {
            let _ = writeln!(
                out,
                "<li><code>{}</code> {}</li>",
                escape(&part.part),
                super::percent(part.share)
            );
        }
        let _ = writeln!(out, "</ul>");
        for part in y.by_part.iter().filter(|p| !p.passages.is_empty()) {
            let _ = writeln!(out, "<p><code>{}</code></p>", escape(&part.part));
            passages(out, &part.passages, "last year");
        }
    }
    let _ = writeln!(out, "</div>");
}

fn finding_row(out: &mut String, ctx: Context, i: usize, f: &Finding) {
    let number = ctx
        .pack
        .rule_index(&f.rule)
        .map_or(String::new(), |j| format!("{}. ", j + 1));
    let status = f.status.as_str();
    let sev = f.severity.as_str();
    let _ = write!(
        out,
        "<tr id=\"{}-{}\" class=\"{status}\"><td class=\"rule\">{number}<a href=\"#{}\"><code>{}</code></a><span class=\"name\">{}</span></td>\
         <td class=\"s {status}\">{} {status}</td><td><span class=\"sev {sev}\">{sev}</span></td><td><p class=\"msg\">{}</p>",
        report_id(i),
        escape(&f.rule),
        rule_id(&f.rule),
        escape(&f.rule),
        escape(&f.name),
        summary::symbol(f.status),
        escape(&f.message),
    );
    if !f.evidence.is_empty() {
        out.push_str("<ul class=\"evidence\">");
        for e in &f.evidence {
            evidence_item(out, e);
        }
        out.push_str("</ul>");
    }
    if let Some(help) = &f.help {
        let _ = write!(out, "<p class=\"help\">→ {}</p>", escape(help));
    }
    let _ = writeln!(
        out,
        "</td><td class=\"basis\">{}</td></tr>",
        escape(&f.basis)
    );
}

/// `L12` (and the page or paragraph) then the quote, highlighted.
fn evidence_item(out: &mut String, e: &Evidence) {
    let mut at = format!("L{}", e.line);
    if let Some(p) = e.location.page {
        let _ = write!(at, " · p. {p}");
    } else if let Some(p) = e.location.paragraph {
        let _ = write!(at, " · ¶ {p}");
    }
    let _ = write!(
        out,
        "<li><span class=\"ln\">{at}</span><mark>{}</mark></li>",
        escape(&e.text)
    );
}

fn skipped(out: &mut String, end: &End) {
    if end.skipped.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<section id=\"skipped\">\n<h2>Skipped files</h2>\n<ul>"
    );
    for s in end.skipped {
        let _ = writeln!(
            out,
            "<li><code>{}</code>: {}</li>",
            escape(&s.path),
            escape(&s.reason)
        );
    }
    let _ = writeln!(out, "</ul>\n</section>");
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert('x')</script>\"&"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"
        );
        assert_eq!(escape("a\u{0}b\nc"), "a\u{FFFD}b\nc");
    }
}
