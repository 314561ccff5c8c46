//! The application layer: command-line arguments -> settings, inputs and a run -> output and
//! exit code. Exit codes: 0 nothing at or above the fail level, 1 findings at or above it,
//! 2 usage error or nothing could be checked.

use crate::check::Engine;
use crate::cli::{CheckArgs, Cli, ColorChoice, Command, ListFormat};
use crate::discover::{discover_all, Input, Source, WalkOptions};
use crate::report::{self, Format, ReportOptions};
use crate::rules::{self, RuleId, Severity};
use crate::run::Totals;
use crate::settings::{LimitOverrides, Overrides, Settings};
use clap::{CommandFactory, Parser};
use std::io::{IsTerminal, Write};

pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

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

/// The overrides the command line sets over the configuration file.
pub fn overrides(args: &CheckArgs) -> Result<Overrides, String> {
    let ids = |names: &[String]| -> Result<Vec<RuleId>, String> {
        names
            .iter()
            .map(|id| {
                RuleId::parse(id).ok_or_else(|| {
                    format!(
                        "{} (see `kubevet rules` for the list)",
                        RuleId::unknown(id, "")
                    )
                })
            })
            .collect()
    };
    let select = ids(&args.select)?;
    Ok(Overrides {
        config: args.config.clone(),
        kubernetes_version: args.kubernetes_version.clone(),
        pod_security: args
            .pod_security
            .as_deref()
            .and_then(|l| crate::pss::Level::parse(l).ok()),
        schema_dirs: args.schema_dir.clone(),
        crds: args.crd.clone(),
        select: (!select.is_empty()).then_some(select),
        ignore: ids(&args.ignore)?,
        fail_level: args.fail_level.map(|f| f.0),
        exclude: args.exclude.clone(),
        kustomize: args.kustomize,
        limits: LimitOverrides {
            max_file_bytes: args.max_file_size,
            max_documents: args.max_documents.map(saturating_usize),
            max_depth: args.max_depth.map(saturating_usize),
            max_nodes: args.max_nodes.map(saturating_usize),
        },
        parse_only: args.parse_only,
        report_unused_ignores: args.report_unused_ignores,
        no_excerpts: !matches!(args.format, None | Some(Format::Human)),
    })
}

fn saturating_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The settings a `check` with these arguments runs with: the configuration is `--config`, or
/// found upwards from the working directory.
pub fn settings(args: &CheckArgs) -> Result<Settings, String> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    Settings::resolve(&cwd, &overrides(args)?)
}

/// Build the engine a `check` with these arguments runs (settings, config, schemas).
pub fn build_engine(args: &CheckArgs) -> Result<Engine, String> {
    engine_for(settings(args)?)
}

/// The engine for these settings, saying once when objects are validated against another
/// version's schemas than the target.
fn engine_for(settings: Settings) -> Result<Engine, String> {
    if settings.kustomize == crate::kustomize::Mode::Render
        && crate::kustomize::Renderer::find().is_none()
    {
        return Err(
            "Kustomize rendering was asked for (`render`), but neither `kustomize` nor `kubectl` is on PATH"
                .into(),
        );
    }
    if let Some(note) = crate::schema::builtin::version_note(settings.options.minor) {
        note_once(&note);
    }
    Engine::new(settings)
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
    let engine = match build_engine(&args) {
        Ok(e) => e,
        Err(e) => return usage_error(e),
    };
    let threads = args.jobs.unwrap_or(0);
    let walk = WalkOptions {
        no_ignore: args.no_ignore,
        exclude: engine.settings.exclude.clone(),
        config_exclude: engine.settings.config_exclude.clone(),
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
    let mut inputs = inputs;
    let mut write_failed = false;
    // With `--fix -` the fixed text is the output: the report goes to standard error.
    let fixes_stdin = args.fix && inputs.iter().any(|i| matches!(i.source, Source::Stdin(_)));
    if args.fix {
        let outcome = pool.install(|| fix_inputs(&engine, &mut inputs));
        for (display, why) in &outcome.failed {
            eprintln!("kubevet: cannot write the fixes to {display}: {why}");
        }
        write_failed = !outcome.failed.is_empty();
        if let Some(text) = &outcome.stdin {
            let mut out = std::io::stdout().lock();
            if let Err(e) = out.write_all(text).and_then(|()| out.flush()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("kubevet: cannot write the fixed text: {e}");
                    write_failed = true;
                }
            }
        }
        if outcome.applied > 0 {
            eprintln!(
                "kubevet: applied {} fix{}",
                outcome.applied,
                if outcome.applied == 1 { "" } else { "es" }
            );
        }
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && if fixes_stdin {
                    std::io::stderr().is_terminal()
                } else {
                    std::io::stdout().is_terminal()
                }
        }
    };
    let format = args.format.unwrap_or(Format::Human);
    // Each file's findings are written as soon as it and every file before it are done;
    // nothing is kept for the end.
    let mut emitter = report::emitter(format, ReportOptions { color });
    let sink: Box<dyn Write + Send> = if fixes_stdin {
        Box::new(std::io::stderr())
    } else {
        Box::new(std::io::stdout())
    };
    let mut out = std::io::BufWriter::new(sink);
    let totals = pool.install(|| {
        emitter.begin(&mut out)?;
        let totals =
            crate::run::run_then_exit(&engine, &inputs, |ds| emitter.diagnostics(&mut out, &ds))?;
        emitter.end(&mut out, &totals)?;
        out.flush().map(|()| totals)
    });
    let fail_level = engine.settings.fail_level;
    // The process ends here: freeing the compiled schemas one by one would only cost time.
    std::mem::forget(engine);
    match totals {
        // A fix that could not be written is not a finding: the run failed.
        Ok(_) if write_failed => EXIT_USAGE,
        Ok(t) => exit_code(&t, fail_level),
        // Standard output closed (`kubevet check | head`): nothing more to say.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_FINDINGS,
        Err(e) => usage_error(format!("cannot write the report: {e}")),
    }
}

/// The exit code for a run's counts at a fail level (`None`: never fail).
pub fn exit_code(totals: &Totals, fail: Option<Severity>) -> i32 {
    let Some(threshold) = fail else {
        return EXIT_OK;
    };
    if totals.worst().is_some_and(|w| w >= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// What `--fix` did.
#[derive(Debug, Default)]
struct FixOutcome {
    /// Fixes applied, over every file.
    applied: usize,
    /// The files whose fixed text could not be written, and why.
    failed: Vec<(String, String)>,
    /// Standard input's text after its fixes (its own text when it has none or cannot be
    /// decoded), for standard output.
    stdin: Option<Vec<u8>>,
}

/// Apply every available fix: files on disk are replaced atomically (once, after the last
/// pass); standard input's fixed text is returned, and becomes the text its findings are
/// reported on. Fixes never depend on other files.
fn fix_inputs(engine: &Engine, inputs: &mut [Input]) -> FixOutcome {
    use rayon::prelude::*;
    let max_bytes = engine.settings.limits.max_file_bytes;
    let results: Vec<(usize, Option<String>)> = inputs
        .par_iter_mut()
        .map(|input| match &input.source {
            Source::Path(path) => {
                let Ok(bytes) = input.bytes(max_bytes) else {
                    return (0, None);
                };
                let Ok(text) = crate::check::decode(&bytes) else {
                    return (0, None);
                };
                let fixed = engine.fix(&input.display, text);
                if fixed.applied == 0 {
                    return (0, None);
                }
                match crate::fix_write::replace_file(path, fixed.text.as_bytes()) {
                    Ok(()) => (fixed.applied, None),
                    Err(e) => (0, Some(e.to_string())),
                }
            }
            Source::Stdin(bytes) => {
                let Ok(text) = crate::check::decode(bytes) else {
                    return (0, None);
                };
                let fixed = engine.fix(&input.display, text);
                input.source = Source::Stdin(fixed.text.into_bytes());
                (fixed.applied, None)
            }
            Source::Unreadable(_) => (0, None),
        })
        .collect();
    let mut outcome = FixOutcome::default();
    for (input, (applied, failed)) in inputs.iter().zip(results) {
        outcome.applied += applied;
        if let Some(why) = failed {
            outcome.failed.push((input.display.clone(), why));
        }
        if let Source::Stdin(bytes) = &input.source {
            outcome.stdin = Some(bytes.clone());
        }
    }
    outcome
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
                        "summary": m.summary(),
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
                    m.summary()
                );
            }
        }
    }
    EXIT_OK
}

fn print_rule(id: &str) -> i32 {
    match RuleId::parse(id) {
        Some(r) => {
            print!("{}", r.meta().doc);
            EXIT_OK
        }
        None => usage_error(format!(
            "{} (see `kubevet rules` for the list)",
            RuleId::unknown(id, "")
        )),
    }
}
