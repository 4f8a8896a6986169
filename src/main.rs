//! The `auditor` command line: parse flags, load the pack, audit every input, print, exit.

use auditor::load;
use auditor::render::{self, Format};
use auditor::rules::Pack;
use clap::Parser;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Audit annual rule-of-law reports (法治政府建设年度报告) against a rule pack.
///
/// Exit codes: 0 no error-severity gap; 1 at least one error-severity gap;
/// 2 a usage, rules-file or input error.
#[derive(Parser, Debug)]
#[command(name = "auditor", version, about, long_about)]
struct Cli {
    /// Rule pack: a path to a TOML file, or a bundled pack name (`2021`).
    #[arg(short, long, value_name = "PACK", default_value = "2021")]
    rules: String,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    format: Format,

    /// Report files, directories (searched recursively for .txt and .md), or `-` for stdin.
    /// With none, the report is read from stdin when it is not a terminal.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let pack = match Pack::load(&cli.rules) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut paths = cli.paths;
    if paths.is_empty() {
        if std::io::stdin().is_terminal() {
            eprintln!(
                "error: no reports given\n  = help: name report files or directories, e.g. `auditor samples/`, or pipe a report into `auditor -`"
            );
            return ExitCode::from(2);
        }
        paths.push(PathBuf::from("-"));
    }
    let audited: Vec<_> = load::collect(&paths)
        .iter()
        .map(|input| auditor::audit_input(input, &pack))
        .collect();
    for a in &audited {
        if let Some(e) = &a.error {
            eprintln!("error: {}: {e}", a.path);
        }
    }
    let text = render::render(cli.format, &pack, &audited);
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the output: {e}");
            return ExitCode::from(2);
        }
    }
    ExitCode::from(auditor::exit_code(&audited) as u8)
}
