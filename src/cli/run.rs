//! `neurocore run`: build a scene, run it with a progress bar, stream the recorders into files,
//! and print and save a summary.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use neurocore_engine::record::write::{MatrixWriter, SpikeWriter};
use neurocore_engine::scene::SpikeFormat;
use neurocore_engine::scene::load::LoadedScene;
use neurocore_engine::sim::{NanPolicy, PopulationStats, Simulation};
use serde::Serialize;

use super::plot::{self, Raster};
use super::{CliError, Overrides};

/// Options of a run.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Output directory (overrides the scene's).
    pub out: Option<PathBuf>,
    /// Command-line overrides of the scene.
    pub overrides: Overrides,
    /// Spike format (overrides the scene's).
    pub csv: bool,
    /// Show a progress bar (when stderr is a terminal).
    pub progress: bool,
    /// What to do when the state becomes non-finite.
    pub nan: NanPolicy,
}

/// What a run did, as written to `summary.json`.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// Scene name (file stem).
    pub scene: String,
    /// Step, ms.
    pub dt: f64,
    /// Biological time simulated, ms.
    pub simulated_ms: f64,
    /// Whether the run was interrupted before its duration.
    pub interrupted: bool,
    /// Seed.
    pub seed: u64,
    /// Threads.
    pub threads: usize,
    /// Neurons.
    pub neurons: u64,
    /// Synapses.
    pub synapses: usize,
    /// Build time, s.
    pub build_s: f64,
    /// Simulation loop time, s (including streaming the recorders to disk).
    pub sim_s: f64,
    /// Real-time factor: wall time per biological time.
    pub rtf: f64,
    /// Synaptic events delivered.
    pub synaptic_events: u64,
    /// Per population.
    pub populations: Vec<PopulationStats>,
    /// Files written.
    pub files: Vec<PathBuf>,
    /// The first non-finite state the watchdog found (`None`: none found, or `--nan off`).
    pub fault: Option<String>,
}

struct Outputs {
    spikes: Vec<Option<SpikeWriter>>,
    traces: Vec<Vec<MatrixWriter>>,
    trace_times: Vec<Option<MatrixWriter>>,
    rates: Vec<Option<MatrixWriter>>,
    written_rates: Vec<usize>,
}

fn write_err(path: &Path, e: std::io::Error) -> CliError {
    CliError::Io(format!(
        "writing {}: {e} (files written before this one are complete; this one holds what was recorded up to the last 50 ms)",
        path.display()
    ))
}

fn io_err(path: &Path, e: std::io::Error) -> CliError {
    CliError::Io(format!("{}: {e}", path.display()))
}

/// File-name-safe version of a name.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn open_outputs(
    sim: &Simulation,
    scene: &LoadedScene,
    dir: &Path,
    csv: bool,
) -> Result<Outputs, CliError> {
    let o = &scene.scene.outputs;
    let rec = sim.recorders();
    let pops = sim.populations();
    let csv = csv || o.format == SpikeFormat::Csv;
    let mut used = std::collections::HashMap::new();
    let mut unique = |stem: String| {
        let n = used.entry(stem.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { stem } else { format!("{stem}_{n}") }
    };
    let mut spikes = Vec::new();
    for r in &rec.spikes {
        if !o.spikes {
            spikes.push(None);
            continue;
        }
        let stem = unique(format!("spikes_{}", clean(&pops[r.pop].name)));
        let path = dir.join(format!("{stem}.{}", if csv { "csv" } else { "npy" }));
        let w = if csv {
            SpikeWriter::csv(&path)
        } else {
            SpikeWriter::npy(&path)
        };
        spikes.push(Some(w.map_err(|e| io_err(&path, e))?));
    }
    let mut traces = Vec::new();
    let mut trace_times = Vec::new();
    for r in &rec.states {
        if !o.traces {
            traces.push(Vec::new());
            trace_times.push(None);
            continue;
        }
        let stem = unique(format!("trace_{}", clean(&pops[r.pop].name)));
        let mut ws = Vec::new();
        for v in &r.vars {
            let path = dir.join(format!("{stem}_{}.npy", clean(v)));
            ws.push(MatrixWriter::create(&path, r.neurons.len()).map_err(|e| io_err(&path, e))?);
        }
        traces.push(ws);
        let path = dir.join(format!("{stem}_times.npy"));
        trace_times.push(Some(
            MatrixWriter::create(&path, 0).map_err(|e| io_err(&path, e))?,
        ));
    }
    let mut rates = Vec::new();
    for r in &rec.rates {
        if !o.rates {
            rates.push(None);
            continue;
        }
        let stem = unique(format!("rate_{}", clean(&pops[r.pop].name)));
        let path = dir.join(format!("{stem}.npy"));
        rates.push(Some(
            MatrixWriter::create(&path, 0).map_err(|e| io_err(&path, e))?,
        ));
    }
    let n_rates = rec.rates.len();
    Ok(Outputs {
        spikes,
        traces,
        trace_times,
        rates,
        written_rates: vec![0; n_rates],
    })
}

/// Move what the recorders hold into the files (and the raster sample).
fn drain(sim: &mut Simulation, out: &mut Outputs, raster: &mut Raster) -> Result<(), CliError> {
    let mut rec = sim.recorders_mut();
    for (r, w) in rec.spikes.iter_mut().zip(out.spikes.iter_mut()) {
        let ids = std::mem::take(&mut r.ids);
        let steps = std::mem::take(&mut r.steps);
        r.signs.clear();
        let times: Vec<f64> = steps.iter().map(|&s| (s + 1) as f64 * r.dt).collect();
        raster.add(&ids, &times);
        if let Some(w) = w {
            w.append(&ids, &times).map_err(|e| write_err(w.path(), e))?;
        }
    }
    for (k, r) in rec.states.iter_mut().enumerate() {
        let times = std::mem::take(&mut r.times);
        let data = std::mem::take(&mut r.data);
        if let Some(tw) = &mut out.trace_times[k] {
            tw.append(&times).map_err(|e| write_err(tw.path(), e))?;
        }
        let (nn, nv) = (r.neurons.len(), r.vars.len());
        for (v, w) in out.traces[k].iter_mut().enumerate() {
            let col: Vec<f64> = (0..times.len() * nn).map(|i| data[i * nv + v]).collect();
            w.append(&col).map_err(|e| write_err(w.path(), e))?;
        }
    }
    for (k, r) in rec.rates.iter().enumerate() {
        if let Some(w) = &mut out.rates[k] {
            let new = &r.rates[out.written_rates[k]..];
            w.append(new).map_err(|e| write_err(w.path(), e))?;
            out.written_rates[k] = r.rates.len();
        }
    }
    Ok(())
}

/// Set by the signal handler: finish the run cleanly at the next chunk.
static STOP: AtomicBool = AtomicBool::new(false);
/// True while the network is being built: a signal then ends the process at once (nothing has
/// been written yet, so nothing is lost; a build can take minutes).
static BUILDING: AtomicBool = AtomicBool::new(false);

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP: during the build, exit at once with code 130; during
/// the simulation, stop at the end of the current 50-ms chunk, write what was recorded, finish
/// the files and the summary (`interrupted: true`). Installed once per process.
fn install_signal_handler() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if BUILDING.load(Ordering::SeqCst) {
                eprintln!("interrupted while building the network; nothing was written");
                std::process::exit(130);
            }
            STOP.store(true, Ordering::SeqCst);
        });
    });
}

/// Run a loaded scene: build, simulate with streaming outputs, write the summary.
pub fn run(scene: &LoadedScene, opts: &RunOptions) -> Result<Summary, CliError> {
    let reg = neurocore_models::registry();
    let scene = opts.overrides.apply(scene)?;
    // Checked before the build, which can take minutes.
    let dir = match (&opts.out, &scene.scene.outputs.dir) {
        (Some(d), _) => d.clone(),
        (None, Some(d)) => PathBuf::from(d),
        (None, None) => PathBuf::from("out").join(scene.name()),
    };
    if dir.is_file() {
        return Err(CliError::Usage(format!(
            "the output path {} is a file; give a directory (it is created if missing)",
            dir.display()
        )));
    }
    for w in neurocore_engine::sim::stability_warnings(&scene.scene, &reg) {
        eprintln!("warning: {w}");
    }
    install_signal_handler();
    BUILDING.store(true, Ordering::SeqCst);
    STOP.store(false, Ordering::SeqCst);
    let t0 = Instant::now();
    let built = scene.build(&reg);
    BUILDING.store(false, Ordering::SeqCst);
    let mut sim = built.map_err(CliError::Scene)?;
    let build_s = t0.elapsed().as_secs_f64();
    sim.enable_stats();
    sim.set_nan_policy(opts.nan);
    std::fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
    let mut out = open_outputs(&sim, &scene, &dir, opts.csv)?;
    let mut raster = Raster::new(&sim);

    let total = (scene.scene.duration / sim.dt()).round() as u64;
    let chunk = ((50.0 / sim.dt()).round() as u64).max(1);
    let bar = if opts.progress {
        let b = indicatif::ProgressBar::new(total);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {elapsed_precise} [{bar:40}] {pos}/{len} steps ({eta} left) {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let t1 = Instant::now();
    let mut done = 0u64;
    let mut stopped_by_fault = false;
    while done < total && !STOP.load(Ordering::SeqCst) {
        let n = chunk.min(total - done);
        let before = sim.steps();
        let r = sim.try_run(n as f64 * sim.dt());
        done += sim.steps() - before;
        drain(&mut sim, &mut out, &mut raster)?;
        if r.is_err() {
            stopped_by_fault = true;
            break;
        }
        bar.set_position(done);
        bar.set_message(format!("t = {:.0} ms", sim.time()));
    }
    bar.finish_and_clear();
    let sim_s = t1.elapsed().as_secs_f64();
    let mut files = Vec::new();
    for w in out.spikes.into_iter().flatten() {
        let p = w.path().to_path_buf();
        files.push(w.finish().map_err(|e| write_err(&p, e))?);
    }
    for w in out
        .traces
        .into_iter()
        .flatten()
        .chain(out.trace_times.into_iter().flatten())
        .chain(out.rates.into_iter().flatten())
    {
        let p = w.path().to_path_buf();
        files.push(w.finish().map_err(|e| write_err(&p, e))?);
    }
    if scene.scene.outputs.raster && raster.has_data() {
        let path = dir.join("raster.png");
        plot::raster_png(&raster, &path, sim.time()).map_err(CliError::Io)?;
        files.push(path);
    }
    let simulated_ms = sim.time();
    let summary = Summary {
        scene: scene.name(),
        dt: sim.dt(),
        simulated_ms,
        interrupted: done < total,
        seed: scene.scene.seed,
        threads: sim.threads(),
        neurons: sim.populations().iter().map(|p| p.len as u64).sum(),
        synapses: sim.synapse_count(),
        build_s,
        sim_s,
        rtf: if simulated_ms > 0.0 {
            sim_s / (simulated_ms / 1000.0)
        } else {
            0.0
        },
        synaptic_events: sim.synaptic_events(),
        populations: sim.population_stats(),
        files: files.clone(),
        fault: sim.fault().map(|f| f.to_string()),
    };
    let path = dir.join("summary.json");
    let json = serde_json::to_string_pretty(&summary).map_err(|e| CliError::Io(e.to_string()))?;
    std::fs::write(&path, json).map_err(|e| io_err(&path, e))?;
    if stopped_by_fault && let Some(f) = &summary.fault {
        return Err(CliError::Fault(format!(
            "{f}\nThe run stopped at t = {:.1} ms; what was recorded until then is in {} (summary.json has `fault`). Run with `--nan warn` to continue anyway.",
            summary.simulated_ms,
            dir.display()
        )));
    }
    Ok(summary)
}

/// The summary as a table for the terminal.
pub fn table(s: &Summary) -> String {
    let mut t = String::new();
    t.push_str(&format!(
        "{} — {} neurons, {} synapses, {:.0} ms simulated{} in {:.2} s (build {:.2} s, RTF {:.3})\n",
        s.scene,
        s.neurons,
        s.synapses,
        s.simulated_ms,
        if s.interrupted { " (interrupted)" } else { "" },
        s.sim_s,
        s.build_s,
        s.rtf
    ));
    if let Some(f) = &s.fault {
        t.push_str(&format!("warning: {f}\n"));
    }
    t.push_str(&format!(
        "{:<16} {:<24} {:>9} {:>11} {:>10} {:>8}\n",
        "population", "model", "neurons", "spikes", "rate (Hz)", "CV ISI"
    ));
    for p in &s.populations {
        t.push_str(&format!(
            "{:<16} {:<24} {:>9} {:>11} {:>10.2} {:>8.2}\n",
            p.name, p.model, p.neurons, p.spikes, p.rate_hz, p.cv_isi
        ));
    }
    t
}
