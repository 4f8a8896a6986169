//! JUnit XML for CI test reports: `<testsuites name="auditor">`, one `<testsuite>` per report
//! (named by its path, with `<properties>` giving the tool, the pack and the report's SHA-256), and
//! one `<testcase classname="{path}" name="{rule id} {rule name}">` per rule, in pack order.
//!
//! How verdicts map (as README.md documents: gaps are failures, skips are skipped):
//! - pass → an empty testcase;
//! - gap → `<failure message="…" type="{severity}">` (`error`, `warning` or `info`) holding the
//!   message, the evidence, what is required and the basis. Every gap is a failure, whatever its
//!   severity, so a CI test view lists everything a reviewer should fix; `type` tells the gaps
//!   that fail the default `--fail-on error` (type `error`) from the others. Gate the build on
//!   the exit code, not on the JUnit counts;
//! - skip → `<skipped message="…"/>`;
//! - an unreadable report → a suite with one testcase named `read` holding `<error>`.
//!
//! Files the walk skipped are not reports and have no testcase. All text is escaped by hand
//! (`escape`): no CDATA, so `]]>` or `<script>` in a report stays inert, and characters XML 1.0
//! cannot carry (most C0 controls) become U+FFFD.

use super::csv::evidence_text;
use super::{Context, End, Renderer, Spool};
use crate::Audited;
use crate::eval::Finding;
use crate::rules::{Pack, Status};
use std::fmt::Write as _;
use std::io::{self, Write};

/// Escape text for XML 1.0 content or a double-quoted attribute value. In attributes, line
/// breaks and tabs become character references so that parsers keep them.
fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn attr(text: &str) -> String {
    escape(text, true)
}

fn text(text: &str) -> String {
    escape(text, false)
}

struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

fn counts(a: &Audited) -> Counts {
    if a.error.is_some() {
        return Counts {
            tests: 1,
            failures: 0,
            errors: 1,
            skipped: 0,
        };
    }
    Counts {
        tests: a.findings.len(),
        failures: a.count(Status::Gap),
        errors: 0,
        skipped: a.count(Status::Skip),
    }
}

/// The body of a failure or of a non-failing gap's `<system-out>`.
fn detail(f: &Finding) -> String {
    let mut s = f.message.clone();
    if !f.evidence.is_empty() {
        let _ = write!(s, "\nevidence: {}", evidence_text(&f.evidence));
    }
    if let Some(help) = &f.help {
        let _ = write!(s, "\nrequired: {help}");
    }
    if !f.basis.is_empty() {
        let _ = write!(s, "\nbasis: {}", f.basis);
    }
    s
}

/// Spools each report's `<testsuite>` as it comes; at the end writes the `<testsuites>` element,
/// whose attributes are the batch's totals, around them.
pub struct Junit<'a> {
    out: &'a mut dyn Write,
    pack: &'a Pack,
    tool: String,
    spool: Spool,
    total: Counts,
}

impl<'a> Junit<'a> {
    pub fn new(ctx: Context<'a>, out: &'a mut dyn Write) -> io::Result<Junit<'a>> {
        Ok(Junit {
            out,
            pack: ctx.pack,
            tool: format!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
            spool: Spool::new()?,
            total: Counts {
                tests: 0,
                failures: 0,
                errors: 0,
                skipped: 0,
            },
        })
    }
}

impl Renderer for Junit<'_> {
    fn report(&mut self, a: &Audited) -> io::Result<()> {
        let c = counts(a);
        self.total.tests += c.tests;
        self.total.failures += c.failures;
        self.total.errors += c.errors;
        self.total.skipped += c.skipped;
        let mut out = String::new();
        let path = attr(&a.path);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            c.tests, c.failures, c.errors, c.skipped
        );
        let _ = writeln!(out, "    <properties>");
        let mut props = vec![
            ("tool", self.tool.clone()),
            ("pack.id", self.pack.meta.id.clone()),
            ("pack.version", self.pack.meta.version.clone()),
            ("pack.origin", self.pack.origin.clone()),
            ("pack.hash", self.pack.hash.clone()),
        ];
        if let Some(src) = &a.source {
            props.push(("sha256", src.sha256.clone()));
        }
        if let Some(m) = &a.measures {
            props.push(("substance", m.substance().to_string()));
        }
        if let Some(c) = &a.copying {
            props.push(("copied", c.share.to_string()));
            if let Some(y) = &c.previous_year {
                props.push(("last_year", y.share.to_string()));
                props.push(("last_year.with", y.with.clone()));
            }
        }
        if let Some(m) = &a.meta {
            if let Some(unit) = &m.unit {
                props.push(("unit", unit.clone()));
            }
            if let Some(year) = m.year {
                props.push(("year", year.to_string()));
            }
        }
        for (name, value) in props {
            let _ = writeln!(
                out,
                "      <property name=\"{name}\" value=\"{}\"/>",
                attr(&value)
            );
        }
        let _ = writeln!(out, "    </properties>");
        if let Some(err) = &a.error {
            let _ = writeln!(out, "    <testcase classname=\"{path}\" name=\"read\">");
            let _ = writeln!(
                out,
                "      <error message=\"{}\" type=\"unreadable\">{}</error>",
                attr(err),
                text(err)
            );
            let _ = writeln!(out, "    </testcase>");
            let _ = writeln!(out, "  </testsuite>");
            return self.spool.write_str(&out);
        }
        for rule in &self.pack.rules {
            let Some(f) = a.findings.iter().find(|f| f.rule == rule.id) else {
                continue;
            };
            let open = format!(
                "    <testcase classname=\"{path}\" name=\"{}\"",
                attr(&format!("{} {}", f.rule, f.name))
            );
            match (f.status, f.severity) {
                (Status::Pass, _) => {
                    let _ = writeln!(out, "{open}/>");
                }
                (Status::Skip | Status::Waived, _) => {
                    let _ = writeln!(out, "{open}>");
                    let _ = writeln!(out, "      <skipped message=\"{}\"/>", attr(&f.message));
                    let _ = writeln!(out, "    </testcase>");
                }
                (Status::Gap, severity) => {
                    let _ = writeln!(out, "{open}>");
                    let _ = writeln!(
                        out,
                        "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                        attr(&f.message),
                        severity.as_str(),
                        text(&detail(f))
                    );
                    let _ = writeln!(out, "    </testcase>");
                }
            }
        }
        let _ = writeln!(out, "  </testsuite>");
        self.spool.write_str(&out)
    }

    fn finish(self: Box<Self>, _end: &End) -> io::Result<()> {
        let Junit {
            out, spool, total, ..
        } = *self;
        let t = &total;
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"auditor\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
            t.tests, t.failures, t.errors, t.skipped
        )?;
        spool.copy_into(out)?;
        out.write_all(b"</testsuites>\n")?;
        out.flush()
    }
}
