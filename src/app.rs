//! The application layer: command-line arguments -> settings, inputs and a run -> output and
//! exit code. Exit codes: 0 nothing at or above the fail level, 1 findings at or above it,
//! 2 usage error or nothing could be checked.

use crate::check::{Engine, Settings};
use crate::cli::{CheckArgs, Cli, ColorChoice, Command, FailLevel, ListFormat};
use crate::config::{self, FailLevelName, Loaded, RuleLevel};
use crate::discover::{discover_all, Input, Source, WalkOptions};
use crate::report::{self, Format, ReportOptions};
use crate::rules::{self, Severity};
use crate::run::Totals;
use crate::schema::SchemaSet;
use crate::suppress::ConfigIgnores;
use clap::{CommandFactory, Parser};
use std::io::{IsTerminal, Write};

pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// Most rounds of `--fix` (fixes that overlap are applied in later rounds).
const MAX_FIX_PASSES: usize = 10;

/// Run the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    match cli.command {
        Command::Check(args) => run_check(*args),
        Command::Rules(args) => print_rules(args.format),
        Command::Rule { id } => print_rule(&id),
        Command::Lsp => crate::lsp::run(),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "kubevet", &mut std::io::stdout());
            EXIT_OK
        }
        Command::Man { dir } => print_man(dir.as_deref()),
    }
}

/// The man page: every command in one page on standard output, or one page per command
/// (`kubevet.1`, `kubevet-check.1`, ...) in `dir`.
fn print_man(dir: Option<&std::path::Path>) -> i32 {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    if let Some(dir) = dir {
        return match clap_mangen::generate_to(cmd, dir) {
            Ok(()) => EXIT_OK,
            Err(e) => usage_error(format!("cannot write man pages to {}: {e}", dir.display())),
        };
    }
    match render_man(&cmd) {
        Ok(page) => {
            let mut out = std::io::stdout().lock();
            match out.write_all(page.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => EXIT_OK,
                Err(_) => EXIT_USAGE,
            }
        }
        Err(e) => usage_error(format!("cannot render the man page: {e}")),
    }
}

/// One page: the top-level page, then a section per command with its synopsis, description
/// and options (their headings as subsections).
pub fn render_man(cmd: &clap::Command) -> std::io::Result<String> {
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut page)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub
            .get_bin_name()
            .map(str::to_string)
            .unwrap_or_else(|| format!("{} {}", cmd.get_name(), sub.get_name()));
        let man = clap_mangen::Man::new(sub.clone());
        let mut body = Vec::new();
        man.render_synopsis_section(&mut body)?;
        man.render_description_section(&mut body)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut body)?;
        }
        writeln!(page, ".SH \"{}\"", name.to_uppercase())?;
        for line in String::from_utf8_lossy(&body).lines() {
            match line.strip_prefix(".SH ") {
                Some(heading) => writeln!(page, ".SS {heading}")?,
                None => writeln!(page, "{line}")?,
            }
        }
    }
    String::from_utf8(page).map_err(std::io::Error::other)
}

fn usage_error(msg: impl std::fmt::Display) -> i32 {
    eprintln!("kubevet: {msg}");
    EXIT_USAGE
}

/// Build the run's settings from the command line.
pub fn settings_from_args(args: &CheckArgs) -> Result<Settings, String> {
    let mut settings = Settings::default();
    for id in args.select.iter().chain(&args.ignore) {
        if rules::meta(id).is_none() {
            return Err(format!(
                "unknown rule `{id}` (see `kubevet rules` for the list)"
            ));
        }
    }
    if !args.select.is_empty() {
        settings.select = Some(args.select.clone());
    }
    settings.ignore = args.ignore.clone();
    if let Some(max) = args.max_file_size {
        settings.limits.max_file_bytes = max;
    }
    settings.parse_only = args.parse_only;
    settings.report_unused_ignores = args.report_unused_ignores;
    settings.no_excerpts = !matches!(args.format, None | Some(Format::Human));
    Ok(settings)
}

/// Build the engine a `check` with these arguments runs (settings, config, schemas). The
/// configuration file is `--config`, or found upwards from the working directory.
pub fn build_engine(args: &CheckArgs) -> Result<Engine, String> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    build_engine_in(args, &cwd)
}

/// Like [`build_engine`], finding the configuration upwards from `dir` (the language server
/// uses a document's directory).
pub fn build_engine_in(args: &CheckArgs, dir: &std::path::Path) -> Result<Engine, String> {
    let (args, loaded) = with_config(args, dir)?;
    let mut settings = settings_from_args(&args)?;
    if let Some(l) = &loaded {
        for (id, level) in &l.config.rules {
            let sev = match level {
                RuleLevel::Error => Some(Severity::Error),
                RuleLevel::Warning => Some(Severity::Warning),
                RuleLevel::Info => Some(Severity::Info),
                RuleLevel::Off => None,
            };
            settings.severities.insert(id.clone(), sev);
        }
        settings.ignores = ConfigIgnores::new(&l.dir, &l.config.ignore);
    }
    let schemas = schema_set(&args)?;
    Ok(Engine::new(settings, schemas))
}

/// The arguments with the configuration file's values filled in where the command line left
/// them unset (command-line flags win), and the configuration that was read.
pub fn with_config(
    args: &CheckArgs,
    dir: &std::path::Path,
) -> Result<(CheckArgs, Option<Loaded>), String> {
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => config::discover(dir),
    };
    let Some(path) = path else {
        return Ok((args.clone(), None));
    };
    let loaded = config::load(&path)?;
    let mut merged = args.clone();
    let c = &loaded.config;
    if merged.kubernetes_version.is_none() {
        merged.kubernetes_version = c.kubernetes_version.clone();
    }
    if merged.schema_dir.is_empty() {
        merged.schema_dir = c.schema_dirs.iter().map(|d| loaded.dir.join(d)).collect();
    }
    if merged.fail_level.is_none() {
        merged.fail_level = c.fail_level.map(|f| match f {
            FailLevelName::Error => FailLevel::Error,
            FailLevelName::Warning => FailLevel::Warning,
            FailLevelName::Info => FailLevel::Info,
            FailLevelName::Never => FailLevel::Never,
        });
    }
    Ok((merged, Some(loaded)))
}

/// The schemas for a run: the embedded ones checked against the target Kubernetes version,
/// plus `--schema-dir` directories.
pub fn schema_set(args: &CheckArgs) -> Result<SchemaSet, String> {
    let supported = crate::schema::supported_minor();
    let minor = match &args.kubernetes_version {
        None => supported,
        Some(v) => crate::schema::parse_version(v).ok_or_else(|| {
            format!("invalid Kubernetes version `{v}`: expected X.Y, e.g. 1.{supported}")
        })?,
    };
    if let Some(note) = crate::schema::builtin::version_note(minor) {
        note_once(&note);
    }
    let mut set = SchemaSet::builtin(minor);
    for dir in &args.schema_dir {
        set.add_dir(dir)?;
    }
    Ok(set)
}

/// Print a note on standard error once per process.
fn note_once(msg: &str) {
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    if let Ok(mut said) = SAID.lock() {
        if !said.iter().any(|m| m == msg) {
            eprintln!("kubevet: note: {msg}");
            said.push(msg.to_string());
        }
    }
}

fn run_check(args: CheckArgs) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let (args, loaded) = match with_config(&args, &cwd) {
        Ok(x) => x,
        Err(e) => return usage_error(e),
    };
    let engine = match build_engine(&args) {
        Ok(e) => e,
        Err(e) => return usage_error(e),
    };
    let threads = args.jobs.unwrap_or(0);
    let walk = WalkOptions {
        no_ignore: args.no_ignore,
        exclude: args.exclude.clone(),
        config_exclude: loaded
            .as_ref()
            .map(|l| (l.dir.clone(), l.config.exclude.clone())),
        stdin_filename: args.stdin_filename.clone(),
        threads,
    };
    let (inputs, excluded) = match discover_all(&args.paths, &walk) {
        Ok(d) => (d.inputs, d.excluded),
        Err(e) => return usage_error(e),
    };
    if inputs.is_empty() && excluded == 0 {
        return usage_error("no manifest files (*.yaml, *.yml, *.json) found in the given paths");
    }
    if inputs.is_empty() {
        // A pre-commit run whose files are all vendored: nothing to check is not an error.
        eprintln!("kubevet: note: every path given is excluded; nothing was checked");
    }
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(p) => p,
        Err(e) => return usage_error(format!("cannot start worker threads: {e}")),
    };
    if args.fix {
        let fixed = pool.install(|| fix_inputs(&engine, &inputs));
        if fixed > 0 {
            eprintln!(
                "kubevet: applied {fixed} fix{}",
                if fixed == 1 { "" } else { "es" }
            );
        }
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let format = args.format.unwrap_or(Format::Human);
    // Each file's findings are written as soon as it and every file before it are done;
    // nothing is kept for the end.
    let mut emitter = report::emitter(format, ReportOptions { color });
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let totals = pool.install(|| {
        emitter.begin(&mut out)?;
        let totals = crate::run::run(&engine, &inputs, |ds| emitter.diagnostics(&mut out, &ds))?;
        emitter.end(&mut out, &totals)?;
        out.flush().map(|()| totals)
    });
    // The process ends here: freeing the compiled schemas one by one would only cost time.
    std::mem::forget(engine);
    match totals {
        Ok(t) => exit_code(&t, args.fail_level.unwrap_or(FailLevel::Warning)),
        // Standard output closed (`kubevet check | head`): nothing more to say.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_FINDINGS,
        Err(e) => usage_error(format!("cannot write the report: {e}")),
    }
}

/// The exit code for a run's counts at a fail level.
pub fn exit_code(totals: &Totals, fail: FailLevel) -> i32 {
    let threshold = match fail {
        FailLevel::Never => return EXIT_OK,
        FailLevel::Error => Severity::Error,
        FailLevel::Warning => Severity::Warning,
        FailLevel::Info => Severity::Info,
    };
    if totals.worst().is_some_and(|w| w >= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Apply every available fix to the files on disk; returns how many were applied. Fixes
/// that touch the same place are applied one per pass, so each file is re-checked and fixed
/// again until nothing is left (a few passes converge). Fixes never depend on other files.
fn fix_inputs(engine: &Engine, inputs: &[Input]) -> usize {
    use rayon::prelude::*;
    inputs
        .par_iter()
        .map(|input| {
            let Source::Path(path) = &input.source else {
                return 0;
            };
            let mut total = 0;
            for _ in 0..MAX_FIX_PASSES {
                let Ok(bytes) = input.bytes(engine) else {
                    break;
                };
                let Ok(text) = crate::check::decode(&bytes) else {
                    break;
                };
                let result = engine.check_bytes(&input.display, &bytes);
                let fixes: Vec<&crate::diagnostic::Fix> = result
                    .diagnostics
                    .iter()
                    .filter_map(|d| d.fix.as_ref())
                    .collect();
                if fixes.is_empty() {
                    break;
                }
                let (new_text, applied) = crate::fix::apply_fixes(text, &fixes);
                if applied == 0 || std::fs::write(path, new_text).is_err() {
                    break;
                }
                total += applied;
            }
            total
        })
        .sum()
}

fn print_rules(format: ListFormat) -> i32 {
    let all = rules::all();
    let mut out = std::io::stdout().lock();
    match format {
        ListFormat::Json => {
            let v: Vec<serde_json::Value> = all
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "id": m.id,
                        "severity": m.severity.as_str(),
                        "category": m.category.as_str(),
                        "fixable": m.fixable,
                        "summary": m.summary,
                    })
                })
                .collect();
            let _ = writeln!(out, "{}", serde_json::Value::Array(v));
        }
        ListFormat::Table => {
            let w = all.iter().map(|m| m.id.len()).max().unwrap_or(2);
            let _ = writeln!(
                out,
                "{:w$}  {:8}  {:12}  {:7}  SUMMARY",
                "ID", "SEVERITY", "CATEGORY", "FIXABLE"
            );
            for m in all {
                let _ = writeln!(
                    out,
                    "{:w$}  {:8}  {:12}  {:7}  {}",
                    m.id,
                    m.severity.as_str(),
                    m.category.as_str(),
                    if m.fixable { "yes" } else { "no" },
                    m.summary
                );
            }
        }
    }
    EXIT_OK
}

fn print_rule(id: &str) -> i32 {
    match rules::meta(id) {
        Some(m) => {
            print!("{}", m.doc);
            EXIT_OK
        }
        None => usage_error(format!(
            "unknown rule `{id}` (see `kubevet rules` for the list)"
        )),
    }
}
