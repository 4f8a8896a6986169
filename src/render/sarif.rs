//! SARIF 2.1.0 (for GitHub code scanning and other SARIF viewers): one run whose driver lists a
//! reporting descriptor per pack rule, and one result per gap (passes and skips are not results).
//! Each result points at the report and at the line of its first piece of evidence (line 1 when
//! there is none); every piece of evidence is also a related location. Every input is an
//! artifact with its SHA-256; an unreadable input is a tool execution notification (and the
//! invocation is then not successful); files the walk skipped are notes. `run.properties.pack`
//! names the pack exactly (id, version, origin, hash).

use super::{Context, End, PackInfo, Renderer, Spool, indented};
use crate::Audited;
use crate::eval::Finding;
use crate::rules::{Pack, Rule, Severity, Status};
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text,
    full_description: Text,
    help: Text,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

impl Text {
    fn new(text: impl Into<String>) -> Text {
        Text { text: text.into() }
    }
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    basis: &'a str,
    severity: &'static str,
    tags: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact<'a> {
    location: ArtifactLocation,
    roles: [&'static str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hashes: Option<Hashes<'a>>,
    /// The report's measures and copy detection's result (SARIF property bag).
    #[serde(skip_serializing_if = "ArtifactProperties::is_empty")]
    properties: ArtifactProperties<'a>,
}

#[derive(Serialize)]
struct ArtifactProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    measures: Option<&'a crate::measures::Measures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    copying: Option<&'a crate::copying::Copying>,
}

impl ArtifactProperties<'_> {
    fn is_empty(&self) -> bool {
        self.measures.is_none() && self.copying.is_none()
    }
}

#[derive(Serialize)]
struct Hashes<'a> {
    #[serde(rename = "sha-256")]
    sha256: &'a str,
}

#[derive(Serialize, Clone)]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    pack: PackInfo<'a>,
}

/// SARIF level of a severity.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A report path as a relative (or, when given so, absolute-path) URI reference: forward slashes,
/// and every byte other than an unreserved character or `/` percent-encoded, so that spaces,
/// Chinese file names and `C:` stay valid.
pub fn path_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut uri = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

fn descriptor<'a>(rule: &'a Rule, pack_id: &str) -> Descriptor<'a> {
    let mut tags = vec![pack_id.to_string(), rule.severity.as_str().to_string()];
    tags.dedup();
    Descriptor {
        id: &rule.id,
        name: &rule.name,
        short_description: Text::new(rule.name.as_str()),
        full_description: Text::new(rule.help.as_str()),
        help: Text::new(rule.help.as_str()),
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: RuleProperties {
            basis: &rule.basis,
            severity: rule.severity.as_str(),
            tags,
        },
    }
}

fn location(artifact: &ArtifactLocation, line: Option<usize>) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: artifact.clone(),
        region: line.map(|l| Region {
            start_line: l.max(1),
        }),
    }
}

fn result(f: &Finding, rule_index: usize, artifact: &ArtifactLocation) -> SarifResult {
    let text = match &f.help {
        Some(help) if !help.is_empty() => format!("{} — {help}", f.message),
        _ => f.message.clone(),
    };
    let line = f.evidence.first().map_or(1, |e| e.line);
    SarifResult {
        rule_id: f.rule.clone(),
        rule_index,
        level: level(f.severity),
        message: Text::new(text),
        locations: vec![Location {
            id: None,
            physical_location: location(artifact, Some(line)),
            message: None,
        }],
        related_locations: f
            .evidence
            .iter()
            .enumerate()
            .map(|(i, e)| Location {
                id: Some(i + 1),
                physical_location: location(artifact, Some(e.line)),
                message: Some(Text::new(e.text.as_str())),
            })
            .collect(),
    }
}

/// Writes the run's tool and each report's artifact as it comes, spools the results, and at the
/// end writes the results, the invocation (with a notification per unreadable input and per
/// skipped file) and the run's properties. Key order differs from the schema's listing, which
/// JSON allows.
pub struct Sarif<'a> {
    out: &'a mut dyn Write,
    pack: &'a Pack,
    /// Artifact index of each distinct input URI (the same file named twice is one artifact).
    artifacts: HashMap<String, usize>,
    results: Spool,
    result_count: usize,
    notifications: Vec<Notification>,
}

impl<'a> Sarif<'a> {
    pub fn new(ctx: Context<'a>, out: &'a mut dyn Write) -> io::Result<Sarif<'a>> {
        let pack = ctx.pack;
        let tool = Tool {
            driver: Driver {
                name: env!("CARGO_PKG_NAME"),
                version: env!("CARGO_PKG_VERSION"),
                semantic_version: env!("CARGO_PKG_VERSION"),
                rules: pack
                    .rules
                    .iter()
                    .map(|r| descriptor(r, &pack.meta.id))
                    .collect(),
            },
        };
        write!(
            out,
            "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {},\n      \"artifacts\": [",
            indented(&tool, "      ")
        )?;
        Ok(Sarif {
            out,
            pack,
            artifacts: HashMap::new(),
            results: Spool::new()?,
            result_count: 0,
            notifications: Vec::new(),
        })
    }
}

impl Renderer for Sarif<'_> {
    fn report(&mut self, a: &Audited) -> io::Result<()> {
        let uri = path_uri(&a.path);
        let index = match self.artifacts.get(&uri) {
            Some(&i) => i,
            None => {
                let i = self.artifacts.len();
                let sep = if i == 0 { "\n" } else { ",\n" };
                let item = indented(&artifact(a, uri.clone()), "        ");
                write!(self.out, "{sep}        {item}")?;
                self.artifacts.insert(uri.clone(), i);
                i
            }
        };
        let art = ArtifactLocation {
            uri,
            index: Some(index),
        };
        if let Some(err) = &a.error {
            self.notifications.push(Notification {
                level: "error",
                message: Text::new(format!("{}: cannot read the report: {err}", a.path)),
                locations: vec![Location {
                    id: None,
                    physical_location: location(&art, None),
                    message: None,
                }],
            });
            return Ok(());
        }
        for (i, rule) in self.pack.rules.iter().enumerate() {
            if let Some(f) = a
                .findings
                .iter()
                .find(|f| f.rule == rule.id && f.status == Status::Gap)
            {
                let sep = if self.result_count == 0 { "\n" } else { ",\n" };
                self.result_count += 1;
                let item = indented(&result(f, i, &art), "        ");
                self.results.write_str(&format!("{sep}        {item}"))?;
            }
        }
        Ok(())
    }

    fn finish(self: Box<Self>, end: &End) -> io::Result<()> {
        let Sarif {
            out,
            pack,
            artifacts,
            results,
            result_count,
            mut notifications,
        } = *self;
        let close = |n: usize| if n == 0 { "]" } else { "\n      ]" };
        write!(out, "{},\n      \"results\": [", close(artifacts.len()))?;
        results.copy_into(out)?;
        let execution_successful = notifications.is_empty();
        for s in end.skipped {
            notifications.push(Notification {
                level: "note",
                message: Text::new(format!("{}: skipped: {}", s.path, s.reason)),
                locations: vec![Location {
                    id: None,
                    physical_location: location(
                        &ArtifactLocation {
                            uri: path_uri(&s.path),
                            index: None,
                        },
                        None,
                    ),
                    message: None,
                }],
            });
        }
        let invocations = [Invocation {
            execution_successful,
            tool_execution_notifications: notifications,
        }];
        let properties = RunProperties {
            pack: PackInfo::of(pack),
        };
        write!(
            out,
            "{},\n      \"invocations\": {},\n      \"properties\": {}\n    }}\n  ]\n}}\n",
            close(result_count),
            indented(&invocations, "      "),
            indented(&properties, "      ")
        )?;
        out.flush()
    }
}

fn artifact(a: &Audited, uri: String) -> Artifact<'_> {
    Artifact {
        location: ArtifactLocation { uri, index: None },
        roles: ["analysisTarget"],
        encoding: a.source.as_ref().and_then(|s| s.encoding),
        hashes: a.source.as_ref().map(|s| Hashes { sha256: &s.sha256 }),
        properties: ArtifactProperties {
            measures: a.measures.as_ref(),
            copying: a.copying.as_ref(),
        },
    }
}
