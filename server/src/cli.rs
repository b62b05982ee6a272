//! The `bussola` command line: serve, migrate, import, export.

use crate::app::Directory;
use crate::config::Config;
use crate::export;
use crate::import::{
    self, parse_comuni, parse_csv, parse_dataset, validate, ComuniOptions, Report,
};
use crate::model::{limits, Taxonomy};
use crate::startup::{self, Application};
use crate::store::ChangeSet;
use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Bussola: a geographic directory of services and sportelli, with a WebGIS.
#[derive(Parser, Debug)]
#[command(name = "bussola", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do (default: serve).
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the API and the web app (loads demo data into an empty store).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Import a file, all or nothing: every problem is reported and nothing is written.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export the directory.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Manage the accounts of the people who sign in.
    #[command(subcommand)]
    User(crate::accounts::cli::UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(crate::accounts::cli::TokenCommand),
}

/// What to import.
#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Services with their sportelli (GeoJSON dataset or CSV; see docs/data-format.md).
    Services {
        file: PathBuf,
        /// File format; `auto` goes by the extension.
        #[arg(long, value_enum, default_value = "auto")]
        format: Format,
        /// Where the records come from, kept on each (default: the file's metadata title,
        /// else its name).
        #[arg(long)]
        source: Option<String>,
        /// Their licence (default: the file's metadata `license`).
        #[arg(long)]
        licence: Option<String>,
        /// Validate only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Comuni boundaries from a GeoJSON FeatureCollection of (Multi)Polygons.
    Comuni {
        file: PathBuf,
        /// Property holding the ISTAT code.
        #[arg(long, default_value = "com_istat_code")]
        code_field: String,
        /// Property holding the name.
        #[arg(long, default_value = "name")]
        name_field: String,
        /// Property holding the province name.
        #[arg(long, default_value = "prov_name")]
        province_field: String,
        /// Property holding the resident population, if any.
        #[arg(long)]
        population_field: Option<String>,
        /// Validate only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// An Open Referral HSDS dataset: a datapackage folder or zip of CSV tables, or the
    /// JSON `bussola export hsds` writes (see docs/hsds.md). Records that cannot be mapped
    /// are dropped and reported; the rest is committed all or nothing.
    Hsds {
        path: PathBuf,
        /// The language the dataset's text is in.
        #[arg(long, default_value = "it")]
        lang: String,
        /// Put before the HSDS ids of records that carry no Bussola id.
        #[arg(long, default_value = "hsds")]
        id_prefix: String,
        /// Write every dropped record and field (record, field, reason) to this CSV file.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Read, map and validate only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// What to export.
#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// Services with their sportelli, organisations and projects.
    Services {
        #[arg(long, value_enum, default_value = "geojson")]
        format: Format,
        /// Output file; standard output when absent.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Comuni boundaries (RFC 7946 GeoJSON).
    Comuni {
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Open Referral HSDS 3.0 JSON: what the public sees (docs/hsds.md).
    Hsds {
        /// The language of the text (HSDS text has one).
        #[arg(long, default_value = "it")]
        lang: String,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

/// File formats.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Auto,
    Geojson,
    Csv,
}

/// Exit code for a rejected input file.
pub const EXIT_INVALID_INPUT: u8 = 3;

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    startup::init_tracing(&cli.config);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(run(cli));
    // Work still running (a handler's blocking task past the shutdown timeout) must not hold
    // the exit: the shutdown has a bound.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => match e.downcast_ref::<import::Error>() {
            Some(import::Error::Invalid(report)) => {
                eprintln!("error: the file was rejected, nothing was written.\n{report}");
                ExitCode::from(EXIT_INVALID_INPUT)
            }
            _ if matches!(
                e.downcast_ref::<crate::accounts::Error>(),
                Some(crate::accounts::Error::Invalid { .. })
            ) =>
            {
                eprintln!("error: {e}; nothing was written");
                ExitCode::from(EXIT_INVALID_INPUT)
            }
            _ => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}

/// Runs one command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    tracing::info!(config = %config.redacted(), "configuration");
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => Application::build(&config).await?.run().await,
        Command::Migrate => {
            startup::open_store(&config).await?.close().await;
            eprintln!("migrations applied");
            Ok(())
        }
        Command::Import(cmd) => import_command(&config, cmd).await,
        Command::Export(cmd) => export_command(&config, cmd).await,
        Command::User(cmd) => {
            with_directory(&config, async |dir| {
                Ok(crate::accounts::cli::user(dir, cmd).await?)
            })
            .await
        }
        Command::Token(cmd) => {
            with_directory(&config, async |dir| {
                Ok(crate::accounts::cli::token(dir, cmd).await?)
            })
            .await
        }
    }
}

/// The file as text: at most [`limits::MAX_FILE_BYTES`], UTF-8, no byte-order mark.
fn read(path: &Path) -> anyhow::Result<String> {
    let io = |source| import::Error::Io {
        path: path.display().to_string(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > limits::MAX_FILE_BYTES {
        let mut report = Report::default();
        report.push(
            "file",
            "",
            format!(
                "is {size} bytes; at most {} are allowed",
                limits::MAX_FILE_BYTES
            ),
        );
        return Err(invalid(report));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    Ok(import::decode(&bytes).map_err(invalid)?.to_owned())
}

fn spinner(msg: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(msg.to_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

fn invalid(report: Report) -> anyhow::Error {
    import::Error::Invalid(report).into()
}

/// Opens the directory for a one-off command (no demo data), runs `f`, and closes the store
/// whatever `f` returned: SQLite then checkpoints its write-ahead log, so the `.sqlite3` file
/// alone holds everything.
async fn with_directory<T>(
    config: &Config,
    f: impl AsyncFnOnce(&Directory) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut config = config.clone();
    config.demo = crate::config::DemoMode::Never;
    let store = startup::open_store(&config).await?;
    let result = async {
        let taxonomy = Taxonomy::builtin()
            .context("the built-in taxonomy is invalid")?
            .with_base_lang(&config.base_lang);
        let dir = Directory::new(store.clone(), taxonomy);
        dir.load().await?;
        f(&dir).await
    }
    .await;
    store.close().await;
    result
}

async fn import_command(config: &Config, cmd: ImportCommand) -> anyhow::Result<()> {
    with_directory(config, async |dir| import_into(dir, cmd).await).await
}

async fn import_into(dir: &Directory, cmd: ImportCommand) -> anyhow::Result<()> {
    let (changes, dry_run, what) = match cmd {
        ImportCommand::Services {
            file,
            format,
            source,
            licence,
            dry_run,
        } => {
            let text = read(&file)?;
            let bar = spinner("reading and validating");
            let csv = match format {
                Format::Csv => true,
                Format::Geojson => false,
                Format::Auto => file
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("csv")),
            };
            let dataset = if csv {
                parse_csv(&text)
            } else {
                parse_dataset(&text)
            };
            bar.finish_and_clear();
            let mut dataset = dataset.map_err(invalid)?;
            let name = file.file_name().map(|f| f.to_string_lossy().into_owned());
            let provenance = import::provenance::of_file(
                name.as_deref().unwrap_or_default(),
                dataset.metadata.as_ref(),
                source.as_deref(),
                licence.as_deref(),
                chrono::Utc::now(),
            );
            import::provenance::stamp(&mut dataset, &provenance, &dir.catalog());
            validate(&dataset, dir.taxonomy(), &dir.catalog())
                .into_result(())
                .map_err(invalid)?;
            let what = format!(
                "{} sportelli, {} services, {} organisations, {} projects",
                dataset.locations.len(),
                dataset.services.len(),
                dataset.organizations.len(),
                dataset.projects.len()
            );
            (
                ChangeSet {
                    dataset,
                    comuni: vec![],
                    replace_services_of_locations: true,
                    origin: cli_origin(),
                    ..Default::default()
                },
                dry_run,
                what,
            )
        }
        ImportCommand::Hsds {
            path,
            lang,
            id_prefix,
            report,
            dry_run,
        } => {
            let (changes, what) = hsds_changes(dir, &path, lang, id_prefix, report)?;
            (changes, dry_run, what)
        }
        ImportCommand::Comuni {
            file,
            code_field,
            name_field,
            province_field,
            population_field,
            dry_run,
        } => {
            let text = read(&file)?;
            let bar = spinner("reading and validating boundaries");
            let opts = ComuniOptions {
                code_field,
                name_field,
                province_field: Some(province_field),
                population_field,
            };
            let comuni = parse_comuni(&text, &opts);
            bar.finish_and_clear();
            let comuni = comuni.map_err(invalid)?;
            let what = format!("{} comuni", comuni.len());
            (
                ChangeSet {
                    comuni,
                    origin: cli_origin(),
                    ..Default::default()
                },
                dry_run,
                what,
            )
        }
    };
    if dry_run {
        eprintln!("valid: {what} (dry run, nothing written)");
        return Ok(());
    }
    let bar = spinner(&format!("writing {what} in one transaction"));
    let committed = dir
        .apply(&changes)
        .await
        .context("the import was rolled back")?;
    bar.finish_and_clear();
    eprintln!(
        "imported {what}: {} rows written at revision {}",
        committed.rows_written, committed.revision
    );
    Ok(())
}

async fn export_command(config: &Config, cmd: ExportCommand) -> anyhow::Result<()> {
    with_directory(config, async |dir| {
        // The HSDS export carries the history as `metadata` records.
        let versions = match &cmd {
            ExportCommand::Hsds { .. } => dir.store().edits().versions_since(0, 0).await?,
            _ => Vec::new(),
        };
        export_from(dir, cmd, &versions)
    })
    .await
}

/// Writes the export to the file or standard output as it is produced, without building the
/// whole text in memory first.
fn export_from(
    dir: &Directory,
    cmd: ExportCommand,
    versions: &[crate::model::RecordVersion],
) -> anyhow::Result<()> {
    use std::io::Write;
    let catalog = dir.catalog();
    let output = match &cmd {
        ExportCommand::Services { output, .. }
        | ExportCommand::Comuni { output }
        | ExportCommand::Hsds { output, .. } => output.clone(),
    };
    let target = output.as_ref().map(|p| p.display().to_string());
    let target = target.as_deref().unwrap_or("standard output");
    let mut out: Box<dyn Write> = match &output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("cannot write {target}"))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match cmd {
        ExportCommand::Services { format, .. } => {
            let d = export::dataset_of(&catalog);
            match format {
                Format::Csv => crate::csv_form::write(&d, &mut out)?,
                Format::Geojson | Format::Auto => export::write_dataset_geojson(&d, &mut out)?,
            }
        }
        ExportCommand::Hsds { lang, .. } => {
            let mut doc = crate::hsds::document(
                &catalog,
                &crate::index::Filter::default(),
                dir.taxonomy(),
                &lang,
            );
            crate::hsds::metadata::attach(&mut doc, versions, true);
            serde_json::to_writer(&mut out, &doc)?
        }
        ExportCommand::Comuni { .. } => serde_json::to_writer(
            &mut out,
            &export::comuni_geojson(catalog.comuni.values().map(|c| &**c)),
        )?,
    }
    out.flush()
        .with_context(|| format!("cannot write {target}"))?;
    Ok(())
}

/// An HSDS dataset read and mapped: the report printed (and written to `report`), the
/// records kept validated as any import's.
fn hsds_changes(
    dir: &Directory,
    path: &Path,
    lang: String,
    id_prefix: String,
    report: Option<PathBuf>,
) -> anyhow::Result<(ChangeSet, String)> {
    let bar = spinner("reading and mapping the HSDS dataset");
    let opts = crate::hsds::Options {
        lang,
        id_prefix,
        base_lang: dir.taxonomy().base_lang.clone(),
    };
    let outcome = crate::hsds::load(path, &dir.catalog(), &opts);
    bar.finish_and_clear();
    let outcome = outcome.map_err(|e| {
        let mut r = Report::default();
        r.push(path.display().to_string(), "", e.to_string());
        invalid(r)
    })?;
    eprint!("{outcome}");
    if let Some(file) = report {
        let f = std::fs::File::create(&file)
            .with_context(|| format!("cannot write {}", file.display()))?;
        outcome.write_csv(std::io::BufWriter::new(f))?;
        eprintln!("report written to {}", file.display());
    }
    let dataset = outcome.dataset;
    validate(&dataset, dir.taxonomy(), &dir.catalog())
        .into_result(())
        .map_err(invalid)?;
    let what = format!(
        "{} sportelli, {} services, {} organisations from HSDS",
        dataset.locations.len(),
        dataset.services.len(),
        dataset.organizations.len(),
    );
    Ok((
        ChangeSet {
            dataset,
            replace_services_of_locations: true,
            origin: cli_origin(),
            ..Default::default()
        },
        what,
    ))
}

/// The origin of a CLI import: the operating-system user running it, if known.
fn cli_origin() -> crate::model::Origin {
    crate::model::Origin {
        author: Some(format!(
            "cli:{}",
            std::env::var("USER").unwrap_or_else(|_| "unknown".into())
        )),
        source: crate::model::Source::Import,
        ..Default::default()
    }
}
