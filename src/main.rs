//! The `auditor` command line: read flags and the project config, load the pack, audit every
//! input in parallel, render, write, exit.

use anyhow::{Context, Result, bail};
use auditor::config::{Config, FailOn};
use auditor::load::{self, Selection};
use auditor::render::summary::Summary;
use auditor::render::{self, Format};
use auditor::rules::Pack;
use clap::Parser;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Audit annual rule-of-law reports (法治政府建设年度报告) against a rule pack.
///
/// Exit codes: 0 no failing gap; 1 a gap that fails under --fail-on (by default, any gap of
/// severity error); 2 a usage, config, rules-file or input error.
#[derive(Parser, Debug)]
#[command(
    name = "auditor",
    version,
    about,
    long_about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    audit: AuditArgs,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Work with rule packs: list, explain, check, test, doc, diff, patterns.
    Rules {
        #[command(subcommand)]
        action: RulesAction,
    },
    /// Write a commented starter auditor.toml and a local pack that extends the bundled one.
    Init {
        /// Where to write them.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(clap::Subcommand, Debug)]
enum RulesAction {
    /// List the rules of a pack: ids, names, severities, basis.
    List {
        #[arg(short, long, value_name = "PACK", default_value = "2021")]
        rules: String,
    },
    /// What a rule requires, its legal basis, how it decides, and examples.
    Explain {
        id: String,
        #[arg(short, long, value_name = "PACK", default_value = "2021")]
        rules: String,
    },
    /// Validate a pack without auditing anything, including its examples.
    Check { pack: String },
    /// Run every rule's examples and report like a test runner.
    Test { pack: String },
    /// Print the pack's reference in Markdown.
    Doc { pack: String },
    /// Show the rules added, removed and changed from pack A to pack B.
    Diff { a: String, b: String },
    /// Print every pattern of the pack, one per line (for `rg -f`).
    Patterns { pack: String },
}

#[derive(clap::Args, Debug)]
struct AuditArgs {
    /// Rule pack: a path to a TOML file, a bundled pack name (`2021`, `2019`, `province-example`),
    /// or `auto`: for each report the bundled national pack for the year it covers. [default: auto]
    #[arg(short, long, value_name = "PACK")]
    rules: Option<String>,

    /// Output format. [default: table]
    #[arg(short, long, value_enum)]
    format: Option<Format>,

    /// Write the output to this file (through a temporary file and a rename) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Show only the batch summary: the matrix of reports × rules, pass rates, worst reports.
    #[arg(long)]
    summary: bool,

    /// Find passages copied between the reports of the batch (names, numbers and punctuation
    /// changed or not), and what each report repeats of its unit's report of the year before
    /// when that is in the batch too. Reads the copied reports a second time.
    #[arg(long)]
    copying: bool,

    /// Earlier years' reports (files or directories): each report is compared with its unit's
    /// report of the year before among them — a plan copied forward, shortcomings unchanged.
    /// Implies --copying. Repeatable.
    #[arg(long, value_name = "PATH")]
    against: Vec<PathBuf>,

    /// When the exit code is 1: error (a gap of severity error), warning (error or warning), never.
    /// [default: error]
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<FailOn>,

    /// Audit only walked files matching this glob (repeatable), e.g. `--include '*.docx'`.
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,

    /// Leave out walked files matching this glob (repeatable), e.g. `--exclude 'old/**'`.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,

    /// Worker threads (0: one per core). Output is the same whatever the number.
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,

    /// Read text and HTML inputs in this encoding instead of detecting it (e.g. gbk, gb18030,
    /// utf-8, utf-16le, big5).
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    encoding: Option<&'static encoding_rs::Encoding>,

    /// Waivers file (default: auditor-waivers.toml next to auditor.toml or in a parent directory).
    #[arg(long, value_name = "FILE", conflicts_with = "no_waivers")]
    waivers: Option<PathBuf>,

    /// Apply no waivers.
    #[arg(long)]
    no_waivers: bool,

    /// Use this config file instead of looking for auditor.toml from the current directory up.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,

    /// Do not read any auditor.toml.
    #[arg(long)]
    no_config: bool,

    /// Report files, directories (searched recursively), globs, or `-` for stdin. With none, the
    /// config's `paths`, else stdin when it is not a terminal.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
}

fn parse_encoding(name: &str) -> Result<&'static encoding_rs::Encoding, String> {
    load::decode::encoding_by_name(name).ok_or_else(|| {
        format!("unknown encoding `{name}` (try gbk, gb18030, utf-8, utf-16le, utf-16be, big5)")
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Rules { action }) => rules_command(action),
        Some(Command::Init { dir }) => init(&dir),
        None => run(cli.audit),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("{e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: AuditArgs) -> Result<u8> {
    // Detached: it only fills caches the audit would fill itself.
    let _ = auditor::warm_up();
    let config = if cli.no_config {
        Config::default()
    } else {
        let found = match &cli.config {
            Some(p) => Some(p.clone()),
            None => std::env::current_dir()
                .ok()
                .and_then(|d| Config::discover(&d)),
        };
        match found {
            Some(path) => Config::load(&path).map_err(|d| anyhow::anyhow!("{d}"))?,
            None => Config::default(),
        }
    };
    let rules = cli
        .rules
        .or_else(|| config.rules_spec())
        .unwrap_or_else(|| "auto".into());
    let packs = if rules == "auto" {
        auditor::PackSet::auto()
    } else {
        Pack::load(&rules).map(auditor::PackSet::one)
    }
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let pack = packs.primary();
    let format = cli.format.or(config.format).unwrap_or(Format::Table);
    let fail_on = cli.fail_on.or(config.fail_on).unwrap_or_default();
    let include = if cli.include.is_empty() {
        config.include.clone()
    } else {
        cli.include
    };
    let exclude = if cli.exclude.is_empty() {
        config.exclude.clone()
    } else {
        cli.exclude
    };
    let selection =
        Selection::new(&include, &exclude).map_err(|e| anyhow::anyhow!("error: {e}"))?;

    let mut paths = cli.paths;
    if paths.is_empty() {
        paths = config.paths.iter().map(|p| config.resolve(p)).collect();
    }
    if paths.is_empty() {
        if std::io::stdin().is_terminal() {
            bail!(
                "error: no reports given\n  = help: name report files or directories, e.g. `auditor samples/`, or pipe a report into `auditor -`"
            );
        }
        paths.push(PathBuf::from("-"));
    }
    if format.is_binary() && cli.output.is_none() && std::io::stdout().is_terminal() {
        bail!("error: --format {format:?} is a binary file format\n  = help: add --output FILE");
    }

    // The waivers are read before any auditing, so that a bad waivers file costs nothing.
    let waiver_file = cli
        .waivers
        .clone()
        .or_else(|| config.waivers.as_ref().map(|w| config.resolve(w)))
        .or_else(|| {
            let start = config
                .file
                .as_ref()
                .and_then(|f| f.parent().map(Path::to_path_buf))
                .or_else(|| std::env::current_dir().ok())?;
            start
                .ancestors()
                .map(|d| d.join(auditor::waivers::FILE_NAME))
                .find(|p| p.is_file())
        });
    let waivers = match &waiver_file {
        Some(path) if !cli.no_waivers => {
            auditor::waivers::load(path).map_err(|d| anyhow::anyhow!("{d}"))?
        }
        _ => Vec::new(),
    };

    let (inputs, skipped) = load::collect(&paths, &selection);
    // Compiling the prefilters costs more than they save on a few reports.
    auditor::eval::use_prefilters(inputs.len() >= 16);
    let mut against_paths = cli.against.clone();
    if against_paths.is_empty() {
        against_paths = config.against.iter().map(|p| config.resolve(p)).collect();
    }
    let copying = cli.copying || config.copying.unwrap_or(false) || !against_paths.is_empty();
    let (against, against_skipped) = if against_paths.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        load::collect(&against_paths, &selection)
    };
    for s in &against_skipped {
        eprintln!("warning: --against: skipped {}: {}", s.path, s.reason);
    }
    // Earlier reports that cannot even be listed make the comparison meaningless: say so now.
    if let Some(load::Input::Broken(path, why)) = against
        .iter()
        .find(|i| matches!(i, load::Input::Broken(..)))
    {
        bail!(
            "error: --against {}: {why}\n  = help: name a file or directory of earlier years' reports",
            path.display()
        );
    }
    let passes = if copying { 2 } else { 1 };
    let progress = progress_bar(inputs.len() * passes);
    let options = load::Options {
        encoding: cli.encoding,
    };
    let threads = cli.threads.or(config.threads).unwrap_or(0);
    let tick = || {
        if let Some(bar) = &progress {
            bar.inc(1);
        }
    };
    let mut found_copying = if copying {
        auditor::detect_copying(&inputs, &against, &packs, &options, threads, &tick)
            .map_err(|e| anyhow::anyhow!("error: {e}"))?
    } else {
        Vec::new()
    };
    let color = cli.output.is_none()
        && format == Format::Table
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let ctx = render::Context {
        pack,
        summary_only: cli.summary,
        color,
    };

    // Reports stream from the workers through the renderer into the output as they are done,
    // in input order: only the summary stays in memory, with a small row per report for the
    // formats that show one, else its counts alone.
    let mut output = Output::open(cli.output.as_deref())?;
    let mut summary = Summary::for_format(pack, format);
    let mut applier = auditor::waivers::Applier::new(&waivers, auditor::waivers::today());
    let rendered: std::io::Result<Vec<auditor::waivers::Stale>> = (|| {
        let mut renderer = render::renderer(format, ctx, &mut output)?;
        let mut next = 0;
        auditor::audit_each(&inputs, &packs, &options, threads, &tick, |mut a| {
            a.copying = found_copying.get_mut(next).and_then(Option::take);
            next += 1;
            if let Some(e) = &a.error {
                let line = format!("error: {}: {e}", a.path);
                match &progress {
                    Some(bar) => bar.suspend(|| eprintln!("{line}")),
                    None => eprintln!("{line}"),
                }
            }
            applier.apply(&mut a);
            summary.add(&a);
            renderer.report(&a)
        })?;
        let stale = applier.stale();
        renderer.finish(&render::End {
            summary: &summary,
            skipped: &skipped,
            stale_waivers: &stale,
        })?;
        Ok(stale)
    })();
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let stale = match rendered {
        Ok(stale) => {
            output.commit()?;
            stale
        }
        // `auditor … | head`: the reader has what it wanted; not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && cli.output.is_none() => {
            return Ok(summary.exit_code(fail_on) as u8);
        }
        Err(e) => {
            output.abandon();
            bail!("error: cannot write the output: {e}");
        }
    };
    for s in &stale {
        let target = s.report.as_deref().or(s.unit.as_deref()).unwrap_or("?");
        eprintln!(
            "warning: stale waiver for rule `{}` on {target}: {}",
            s.rule, s.reason
        );
    }
    let code = summary.exit_code(fail_on);
    // Freeing the compiled packs (a hundred regexes and their caches) takes half a millisecond
    // of a 20 ms run, and the process is about to exit.
    std::mem::forget(packs);
    // Stale waivers are warnings: they fail the run under --fail-on warning.
    Ok(
        if code == 0 && fail_on == FailOn::Warning && !stale.is_empty() {
            1
        } else {
            code as u8
        },
    )
}

/// Where the output goes: stdout, or — with `--output` — a temporary file beside the target that
/// is renamed over it only once the output is complete, so that a failed or interrupted run never
/// leaves a partial file (Ctrl-C removes the temporary file: see [`on_interrupt`]).
enum Output {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    File {
        writer: std::io::BufWriter<std::fs::File>,
        tmp: PathBuf,
        path: PathBuf,
    },
}

/// The temporary output file to remove if the run is interrupted.
static PARTIAL_OUTPUT: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

/// On Ctrl-C (SIGINT) or SIGTERM: remove the partial output file, then exit with 130 like a shell.
fn on_interrupt() {
    let partial = PARTIAL_OUTPUT
        .lock()
        .map(|mut p| p.take())
        .unwrap_or_default();
    if let Some(tmp) = partial {
        let _ = std::fs::remove_file(tmp);
    }
    eprintln!("interrupted: no output written");
    std::process::exit(130);
}

impl Output {
    fn open(path: Option<&Path>) -> Result<Output> {
        let Some(path) = path else {
            let stdout = std::io::stdout().lock();
            return Ok(Output::Stdout(std::io::BufWriter::with_capacity(
                64 * 1024,
                stdout,
            )));
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .context("--output needs a file name")?
            .to_string_lossy();
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        if let Ok(mut partial) = PARTIAL_OUTPUT.lock() {
            *partial = Some(tmp.clone());
        }
        // Installed once; a second install (never in this program) would only keep the first.
        let _ = ctrlc::set_handler(on_interrupt);
        let file = std::fs::File::create(&tmp)
            .with_context(|| format!("error: cannot write {}", path.display()))?;
        Ok(Output::File {
            writer: std::io::BufWriter::with_capacity(64 * 1024, file),
            tmp,
            path: path.to_path_buf(),
        })
    }

    /// The output is complete: flush it and, for a file, rename it into place.
    fn commit(self) -> Result<()> {
        match self {
            Output::Stdout(mut w) => match w.flush() {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    bail!("error: cannot write the output: {e}")
                }
                _ => Ok(()),
            },
            Output::File { writer, tmp, path } => {
                let result = writer
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .and_then(|f| f.sync_all())
                    .and_then(|()| std::fs::rename(&tmp, &path));
                if let Ok(mut partial) = PARTIAL_OUTPUT.lock() {
                    *partial = None;
                }
                if let Err(e) = result {
                    let _ = std::fs::remove_file(&tmp);
                    bail!("error: cannot write {}: {e}", path.display());
                }
                Ok(())
            }
        }
    }

    /// The run failed: remove the temporary file.
    fn abandon(self) {
        if let Output::File { tmp, .. } = self {
            if let Ok(mut partial) = PARTIAL_OUTPUT.lock() {
                *partial = None;
            }
            let _ = std::fs::remove_file(tmp);
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::File { writer, .. } => writer.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::File { writer, .. } => writer.flush(),
        }
    }
}

/// A progress bar on stderr for batches of more than a handful of files, only on a terminal
/// (never in pipes or CI logs).
fn progress_bar(n: usize) -> Option<indicatif::ProgressBar> {
    let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    (interactive && n > 5).then(|| {
        let bar = indicatif::ProgressBar::new(n as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} reports {elapsed}")
        {
            bar.set_style(style);
        }
        bar
    })
}

fn load_pack(spec: &str) -> Result<Pack> {
    Pack::load(spec).map_err(|e| anyhow::anyhow!("{e}"))
}

fn rules_command(action: RulesAction) -> Result<u8> {
    use auditor::authoring;
    let mut out = String::new();
    let code = match action {
        RulesAction::List { rules } => {
            let pack = load_pack(&rules)?;
            let mut table = comfy_table::Table::new();
            table
                .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
                .set_width(120);
            table.set_header(vec!["id", "name", "severity", "basis"]);
            for r in &pack.rules {
                table.add_row(vec![
                    r.id.clone(),
                    r.name.clone(),
                    r.severity.to_string(),
                    r.basis.clone(),
                ]);
            }
            out = format!(
                "{} {} ({}): {} rules\n{table}\n",
                pack.meta.id,
                pack.meta.version,
                pack.origin,
                pack.rules.len()
            );
            0
        }
        RulesAction::Explain { id, rules } => {
            let pack = load_pack(&rules)?;
            match authoring::explain(&pack, &id) {
                Some(text) => out = text,
                None => {
                    let ids: Vec<&str> = pack.rules.iter().map(|r| r.id.as_str()).collect();
                    bail!(
                        "error: no rule `{id}` in pack {}\n  = help: rules: {}",
                        pack.meta.id,
                        ids.join(", ")
                    );
                }
            }
            0
        }
        RulesAction::Check { pack } => {
            let p = load_pack(&pack)?;
            let failed: Vec<_> = authoring::run_examples(&p)
                .into_iter()
                .filter(|r| !r.ok())
                .collect();
            for f in &failed {
                let _ = writeln!(
                    out,
                    "error: {pack}: rule `{}` example {} gives {}, but the example expects {}: {}",
                    f.rule, f.number, f.got, f.expect, f.message
                );
            }
            // Slow patterns work: a note, not an error.
            for note in authoring::slow_patterns(&p) {
                let _ = writeln!(out, "note: {pack}: {note}");
            }
            let examples: usize = p.rules.iter().map(|r| r.examples.len()).sum();
            if failed.is_empty() {
                let _ = writeln!(
                    out,
                    "ok: {pack}: {} rules, {examples} examples agree",
                    p.rules.len()
                );
                0
            } else {
                let _ = writeln!(
                    out,
                    "{} of {examples} examples disagree with their rules",
                    failed.len()
                );
                2
            }
        }
        RulesAction::Test { pack } => {
            let p = load_pack(&pack)?;
            let runs = authoring::run_examples(&p);
            for r in &runs {
                let verdict = if r.ok() {
                    "ok".to_string()
                } else {
                    format!(
                        "FAILED (got {}, expected {}: {})",
                        r.got, r.expect, r.message
                    )
                };
                let _ = writeln!(out, "test {}::example-{} ... {verdict}", r.rule, r.number);
            }
            let failed = runs.iter().filter(|r| !r.ok()).count();
            let _ = writeln!(out, "\n{} passed, {failed} failed", runs.len() - failed);
            u8::from(failed > 0)
        }
        RulesAction::Doc { pack } => {
            out = authoring::doc(&load_pack(&pack)?);
            0
        }
        RulesAction::Diff { a, b } => {
            out = authoring::diff(&load_pack(&a)?, &load_pack(&b)?);
            0
        }
        RulesAction::Patterns { pack } => {
            for p in authoring::all_patterns(&load_pack(&pack)?) {
                let _ = writeln!(out, "{p}");
            }
            0
        }
    };
    print_out(&out)?;
    Ok(code)
}

fn print_out(text: &str) -> Result<()> {
    write_stdout(text.as_bytes())
}

/// Write to stdout; a closed pipe (`auditor … | head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(bytes).and_then(|()| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        bail!("error: cannot write the output: {e}");
    }
    Ok(())
}

const STARTER_CONFIG: &str = include_str!("../docs/starter/auditor.toml");
const STARTER_PACK: &str = include_str!("../docs/starter/local-pack.toml");

/// `auditor init`: a commented auditor.toml and a local pack extending the bundled one; never
/// overwrites.
fn init(dir: &Path) -> Result<u8> {
    let config = dir.join(auditor::config::FILE_NAME);
    let pack = dir.join("rules").join("local.toml");
    for p in [&config, &pack] {
        if p.exists() {
            bail!(
                "error: {} exists already; init never overwrites a file",
                p.display()
            );
        }
    }
    std::fs::create_dir_all(dir.join("rules"))
        .with_context(|| format!("error: cannot create {}", dir.join("rules").display()))?;
    std::fs::write(&config, STARTER_CONFIG)
        .with_context(|| format!("error: cannot write {}", config.display()))?;
    std::fs::write(&pack, STARTER_PACK)
        .with_context(|| format!("error: cannot write {}", pack.display()))?;
    print_out(&format!(
        "wrote {} and {}\nnext: edit them, then run `auditor rules check {}` and `auditor`\n",
        config.display(),
        pack.display(),
        pack.display()
    ))?;
    Ok(0)
}
