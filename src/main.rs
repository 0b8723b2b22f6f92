//! The `neurocore` command: run, check and benchmark RON scenes; list the model catalogue.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use neurocore::cli::{self, CliError, Overrides, run::RunOptions};
use neurocore::engine::scene::load;
use neurocore::engine::sim::NanPolicy;

/// neurocore: a data-oriented simulator of spiking and rate neuron networks.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build and run a scene; write its outputs and a summary.
    Run {
        /// The scene file (RON).
        scene: PathBuf,
        /// Output directory (default: the scene's `outputs.dir`, else out/<scene name>).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Threads for the heavy systems.
        #[arg(long)]
        threads: Option<usize>,
        /// Master seed.
        #[arg(long)]
        seed: Option<u64>,
        /// Biological time to simulate, ms.
        #[arg(long)]
        duration: Option<f64>,
        /// Write spikes as CSV instead of NPY.
        #[arg(long)]
        csv: bool,
        /// When the state becomes NaN or infinite: stop (keep what was recorded, exit 3),
        /// warn (run on, report it), or off (no checks).
        #[arg(long, value_enum, default_value_t = NanArg::Stop)]
        nan: NanArg,
        /// Write a checkpoint to <out>/checkpoint every this many ms of biological time (and
        /// when stopped by Ctrl-C/SIGTERM); `neurocore resume <out>` continues from it.
        #[arg(long, value_name = "MS")]
        checkpoint_every: Option<f64>,
    },
    /// Continue a run from its last checkpoint (a run started with --checkpoint-every): the
    /// finished files equal those of a run that was never stopped.
    Resume {
        /// The run's output directory.
        dir: PathBuf,
        /// Threads (default: the run's).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Validate a scene and print the network's size.
    Check {
        /// The scene file (RON).
        scene: PathBuf,
    },
    /// List the catalogue, or describe one model.
    Models {
        /// A model class name.
        name: Option<String>,
    },
    /// Time building and simulating a scene.
    Bench {
        /// The scene file (RON).
        scene: PathBuf,
        /// Threads.
        #[arg(long)]
        threads: Option<usize>,
        /// Seed.
        #[arg(long)]
        seed: Option<u64>,
        /// Biological time, ms.
        #[arg(long)]
        duration: Option<f64>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `--nan`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum NanArg {
    Stop,
    Warn,
    Off,
}

fn main() -> ExitCode {
    let args = Cli::parse();
    let reg = neurocore::registry();
    // A run a signal stopped: its table, and the conventional exit code (130 Ctrl-C, 143
    // SIGTERM) once the files are finished.
    let interrupted = std::cell::Cell::new(false);
    let finished = |sum: cli::run::Summary| {
        interrupted.set(sum.interrupted);
        cli::run::table(&sum)
    };
    let result: Result<String, CliError> = match args.command {
        Command::Run {
            scene,
            out,
            threads,
            seed,
            duration,
            csv,
            nan,
            checkpoint_every,
        } => load::load(&scene).map_err(CliError::Scene).and_then(|s| {
            let opts = RunOptions {
                out,
                overrides: Overrides {
                    threads,
                    seed,
                    duration,
                },
                csv,
                progress: std::io::stderr().is_terminal(),
                nan: match nan {
                    NanArg::Stop => NanPolicy::Stop,
                    NanArg::Warn => NanPolicy::Warn,
                    NanArg::Off => NanPolicy::Off,
                },
                checkpoint_every,
            };
            cli::run::run(&s, &opts).map(finished)
        }),
        Command::Resume { dir, threads } => {
            let opts = cli::run::ResumeOptions {
                threads,
                progress: std::io::stderr().is_terminal(),
            };
            cli::run::resume(&dir, &opts).map(finished)
        }
        Command::Check { scene } => load::load(&scene)
            .map_err(CliError::Scene)
            .and_then(|s| cli::check(&s, &reg)),
        Command::Models { name } => cli::models(&reg, name.as_deref()),
        Command::Bench {
            scene,
            threads,
            seed,
            duration,
            json,
        } => load::load(&scene).map_err(CliError::Scene).and_then(|s| {
            let ov = Overrides {
                threads,
                seed,
                duration,
            };
            cli::bench(&s, &reg, &ov).and_then(|b| {
                if json {
                    serde_json::to_string_pretty(&b).map_err(|e| CliError::Io(e.to_string()))
                } else {
                    Ok(cli::bench_table(&b))
                }
            })
        }),
    };
    match result {
        Ok(out) => {
            print!("{out}");
            if !out.ends_with('\n') {
                println!();
            }
            if interrupted.get() {
                ExitCode::from(cli::run::interrupted_exit_code())
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            match e {
                CliError::Scene(_) | CliError::Usage(_) => ExitCode::from(2),
                CliError::Io(_) => ExitCode::from(1),
                CliError::Fault(_) => ExitCode::from(3),
            }
        }
    }
}
