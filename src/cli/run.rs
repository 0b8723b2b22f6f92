//! `neurocore run`: build a scene, run it with a progress bar, stream the recorders into files,
//! and print and save a summary.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use neurocore_engine::record::write::{MatrixWriter, SpikeWriter, WriterPos};
use neurocore_engine::scene::SpikeFormat;
use neurocore_engine::scene::load::LoadedScene;
use neurocore_engine::sim::{NanPolicy, PopulationStats, Simulation};
use serde::{Deserialize, Serialize};

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
    /// Write a checkpoint (to `<out>/checkpoint`) every this many ms of biological time, so
    /// `neurocore resume <out>` can continue the run after it is stopped or killed.
    pub checkpoint_every: Option<f64>,
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
    /// The biological time the run resumed from (`neurocore resume`), ms.
    pub resumed_from_ms: Option<f64>,
    /// The last checkpoint written (`--checkpoint-every`).
    pub checkpoint: Option<PathBuf>,
    /// Output files a write failed on ("path: error"); the others are complete.
    pub failed_files: Vec<String>,
    /// Spiking populations that emitted no spike.
    pub silent_populations: Vec<String>,
    /// Each population's neuron ids (spike and trace ids are global): `first..end`.
    pub id_ranges: Vec<IdRange>,
    /// The final weights of each plastic projection, summarised (the weights themselves are in
    /// `weights_<projection>.npy`).
    pub plastic: Vec<WeightStats>,
}

/// The final weights of a plastic projection.
#[derive(Clone, Debug, Serialize)]
pub struct WeightStats {
    /// Projection name.
    pub projection: String,
    /// Synapses.
    pub synapses: usize,
    /// Mean weight.
    pub mean: f64,
    /// Standard deviation.
    pub std: f64,
    /// Smallest weight.
    pub min: f64,
    /// Largest weight.
    pub max: f64,
    /// The rule's bound |w_max| (`None` for short-term plasticity alone).
    pub w_max: Option<f64>,
    /// Fraction of synapses with |w| below 10% of |w_max|.
    pub frac_low: Option<f64>,
    /// Fraction of synapses with |w| above 90% of |w_max|.
    pub frac_high: Option<f64>,
}

/// Write `weights_<projection>.npy` ((synapses × 3) f64: source, target local index, weight)
/// for every plastic projection and summarise each; a failed write is noted in `failed`.
fn write_weights(
    sim: &Simulation,
    dir: &Path,
    files: &mut Vec<PathBuf>,
    failed: &mut Vec<String>,
) -> Vec<WeightStats> {
    use neurocore_engine::synapse::Synapses;
    use neurocore_engine::synapse::plastic::WeightRule;
    let syn = sim.world().resource::<Synapses>();
    let mut stats = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for (q, p) in syn.projections.iter().enumerate() {
        let Some(pl) = &p.plastic else {
            continue;
        };
        let w = pl.settled(p, sim.steps());
        let mut stem = format!("weights_{}", clean(&p.name));
        if !used.insert(stem.clone()) {
            stem = format!("{stem}_{q}");
            used.insert(stem.clone());
        }
        let path = dir.join(format!("{stem}.npy"));
        let mut rows = Vec::with_capacity(w.len() * 3);
        for r in 0..p.row_ptr.len() - 1 {
            let (a, b) = (p.row_ptr[r], p.row_ptr[r + 1]);
            for (&t, &wk) in p.targets[a..b].iter().zip(&w[a..b]) {
                rows.extend_from_slice(&[r as f64, t as f64, wk]);
            }
        }
        let written = MatrixWriter::create(&path, 3)
            .and_then(|mut w| w.append(&rows).map(|_| w))
            .and_then(|w| w.finish());
        match written {
            Ok(f) => files.push(f),
            Err(e) => failed.push(format!("{}: {e}", path.display())),
        }
        let n = w.len();
        let mean = w.iter().sum::<f64>() / n.max(1) as f64;
        let var = w.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n.max(1) as f64;
        let w_max = pl.rule.as_ref().map(|r| match r {
            WeightRule::Stdp { w_max, .. } | WeightRule::VogelsSprekeler { w_max, .. } => {
                w_max.abs()
            }
        });
        let frac = |f: &dyn Fn(f64) -> bool| {
            w.iter().filter(|x| f(x.abs())).count() as f64 / n.max(1) as f64
        };
        stats.push(WeightStats {
            projection: p.name.clone(),
            synapses: n,
            mean,
            std: var.sqrt(),
            min: w.iter().copied().fold(f64::INFINITY, f64::min),
            max: w.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            w_max,
            frac_low: w_max.map(|m| frac(&|a| a < 0.1 * m)),
            frac_high: w_max.map(|m| frac(&|a| a > 0.9 * m)),
        });
    }
    stats
}

/// The ids of one population's neurons: `first` up to, not including, `end`.
#[derive(Clone, Debug, Serialize)]
pub struct IdRange {
    /// Population name.
    pub population: String,
    /// First id.
    pub first: u32,
    /// One past the last id.
    pub end: u32,
}

struct Outputs {
    spikes: Vec<Option<SpikeWriter>>,
    traces: Vec<Vec<Option<MatrixWriter>>>,
    trace_times: Vec<Option<MatrixWriter>>,
    rates: Vec<Option<MatrixWriter>>,
    written_rates: Vec<usize>,
    /// Files written whole when the outputs were opened (the neuron ids of each trace).
    fixed: Vec<PathBuf>,
    /// Files a write failed on (disk full, I/O error): "path: error". Such a file is dropped
    /// (its `.part` keeps what was written before) and the run goes on with the others.
    failed: Vec<String>,
}

/// Note a failed write and stop writing that file.
fn give_up<W>(slot: &mut Option<W>, path: &Path, e: std::io::Error, failed: &mut Vec<String>) {
    failed.push(format!("{}: {e}", path.display()));
    *slot = None;
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

/// Open the output files of a run: new, or (`resume`: the positions a checkpoint recorded, in
/// [`Outputs::positions`] order) continued from a checkpoint.
fn open_outputs(
    sim: &Simulation,
    scene: &LoadedScene,
    dir: &Path,
    csv: bool,
    resume: Option<&[WriterPos]>,
) -> Result<Outputs, CliError> {
    let mut pos = resume.map(|r| r.iter());
    // The next file's position when resuming; a checkpoint listing fewer files than the scene
    // has is refused.
    let mut next = |path: &Path| -> Result<Option<WriterPos>, CliError> {
        match &mut pos {
            None => Ok(None),
            Some(it) => it.next().copied().map(Some).ok_or_else(|| {
                CliError::Usage(format!(
                    "the checkpoint does not list the output file {}",
                    path.display()
                ))
            }),
        }
    };
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
        let w = match next(&path)? {
            Some(p) => SpikeWriter::reopen(&path, csv, p),
            None if csv => SpikeWriter::csv(&path),
            None => SpikeWriter::npy(&path),
        };
        spikes.push(Some(w.map_err(|e| io_err(&path, e))?));
    }
    let mut traces = Vec::new();
    let mut trace_times = Vec::new();
    let mut fixed = Vec::new();
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
            ws.push(Some(matrix(&path, r.neurons.len(), next(&path)?)?));
        }
        traces.push(ws);
        // Which neuron each trace column is: global ids, as in the spike files.
        let path = dir.join(format!("{stem}_ids.npy"));
        if resume.is_none() {
            let ids: Vec<u32> = r.neurons.iter().map(|&i| pops[r.pop].start + i).collect();
            write_ids(&path, &ids).map_err(|e| io_err(&path, e))?;
        }
        fixed.push(path);
        let path = dir.join(format!("{stem}_times.npy"));
        trace_times.push(Some(matrix(&path, 0, next(&path)?)?));
    }
    let mut rates = Vec::new();
    for r in &rec.rates {
        if !o.rates {
            rates.push(None);
            continue;
        }
        let stem = unique(format!("rate_{}", clean(&pops[r.pop].name)));
        let path = dir.join(format!("{stem}.npy"));
        rates.push(Some(matrix(&path, 0, next(&path)?)?));
    }
    let n_rates = rec.rates.len();
    Ok(Outputs {
        spikes,
        traces,
        trace_times,
        rates,
        written_rates: vec![0; n_rates],
        fixed,
        failed: Vec::new(),
    })
}

/// A 1-D u32 NPY file of neuron ids, written whole.
fn write_ids(path: &Path, ids: &[u32]) -> std::io::Result<()> {
    let mut s = neurocore_engine::record::write::NpyStream::create(path, "'<u4'", &[])?;
    let bytes: Vec<u8> = ids.iter().flat_map(|i| i.to_le_bytes()).collect();
    s.append(&bytes, ids.len() as u64)?;
    s.finish().map(|_| ())
}

/// A new matrix file, or one continued from `pos`.
fn matrix(path: &Path, width: usize, pos: Option<WriterPos>) -> Result<MatrixWriter, CliError> {
    match pos {
        Some(p) => MatrixWriter::reopen(path, width, p),
        None => MatrixWriter::create(path, width),
    }
    .map_err(|e| io_err(path, e))
}

impl Outputs {
    /// Every open file's position, in the order [`open_outputs`] opens them.
    fn positions(&self) -> Vec<WriterPos> {
        let mut v: Vec<WriterPos> = self.spikes.iter().flatten().map(|w| w.position()).collect();
        for (ws, t) in self.traces.iter().zip(&self.trace_times) {
            v.extend(ws.iter().flatten().map(|w| w.position()));
            v.extend(t.iter().map(|w| w.position()));
        }
        v.extend(self.rates.iter().flatten().map(|w| w.position()));
        v
    }
}

/// What `neurocore resume` needs beyond the network's checkpoint: saved in the checkpoint
/// directory as `run.json`, with the scene (overrides applied, sidecars resolved) as
/// `scene.ron`.
#[derive(Serialize, Deserialize)]
struct RunState {
    /// The scene file the run started from (names the run).
    scene_path: PathBuf,
    /// Steps the whole run takes.
    total: u64,
    /// Spikes as CSV.
    csv: bool,
    /// `--nan`: "stop", "warn" or "off".
    nan: String,
    /// `--checkpoint-every`, ms.
    every_ms: f64,
    /// Every output file's position, in [`Outputs::positions`] order.
    files: Vec<WriterPos>,
    /// Rate bins already written, per rate recorder.
    written_rates: Vec<usize>,
    /// The raster sample so far.
    raster: Raster,
}

/// Move what the recorders hold into the files (and the raster sample).
fn drain(sim: &mut Simulation, out: &mut Outputs, raster: &mut Raster) {
    let mut rec = sim.recorders_mut();
    let failed = &mut out.failed;
    for (r, slot) in rec.spikes.iter_mut().zip(out.spikes.iter_mut()) {
        let ids = std::mem::take(&mut r.ids);
        let steps = std::mem::take(&mut r.steps);
        r.signs.clear();
        let times: Vec<f64> = steps
            .iter()
            .map(|&s| neurocore_engine::record::step_end_time(s, r.dt))
            .collect();
        raster.add(&ids, &times);
        if let Some(w) = slot
            && let Err(e) = w.append(&ids, &times)
        {
            let p = w.path().to_path_buf();
            give_up(slot, &p, e, failed);
        }
    }
    for (k, r) in rec.states.iter_mut().enumerate() {
        let times = std::mem::take(&mut r.times);
        let data = std::mem::take(&mut r.data);
        let slot = &mut out.trace_times[k];
        if let Some(tw) = slot
            && let Err(e) = tw.append(&times)
        {
            let p = tw.path().to_path_buf();
            give_up(slot, &p, e, failed);
        }
        let (nn, nv) = (r.neurons.len(), r.vars.len());
        for (v, slot) in out.traces[k].iter_mut().enumerate() {
            if let Some(w) = slot {
                let col: Vec<f64> = (0..times.len() * nn).map(|i| data[i * nv + v]).collect();
                if let Err(e) = w.append(&col) {
                    let p = w.path().to_path_buf();
                    give_up(slot, &p, e, failed);
                }
            }
        }
    }
    for (k, r) in rec.rates.iter().enumerate() {
        let slot = &mut out.rates[k];
        if let Some(w) = slot {
            let new = &r.rates[out.written_rates[k]..];
            match w.append(new) {
                Ok(()) => out.written_rates[k] = r.rates.len(),
                Err(e) => {
                    let p = w.path().to_path_buf();
                    give_up(slot, &p, e, failed);
                }
            }
        }
    }
}

/// Set by the signal handler: finish the run cleanly at the next chunk.
static STOP: AtomicBool = AtomicBool::new(false);
/// Set when SIGTERM arrived.
static TERM: std::sync::LazyLock<std::sync::Arc<AtomicBool>> =
    std::sync::LazyLock::new(|| std::sync::Arc::new(AtomicBool::new(false)));
/// Set when SIGHUP arrived.
static HUP: std::sync::LazyLock<std::sync::Arc<AtomicBool>> =
    std::sync::LazyLock::new(|| std::sync::Arc::new(AtomicBool::new(false)));

/// The conventional exit code of a run a signal stopped (128 + the signal's number): 143 for
/// SIGTERM, 129 for SIGHUP, 130 for Ctrl-C (SIGINT).
pub fn interrupted_exit_code() -> u8 {
    if TERM.load(Ordering::SeqCst) {
        143
    } else if HUP.load(Ordering::SeqCst) {
        129
    } else {
        130
    }
}

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
                std::process::exit(i32::from(interrupted_exit_code()));
            }
            STOP.store(true, Ordering::SeqCst);
        });
        // Which signal stopped the run, for the exit code (ctrlc does not tell): registered
        // after ctrlc, these handlers set their flag and then call ctrlc's.
        for (sig, flag) in [
            (signal_hook::consts::SIGTERM, &*TERM),
            (signal_hook::consts::SIGHUP, &*HUP),
        ] {
            let _ = signal_hook::flag::register(sig, std::sync::Arc::clone(flag));
        }
    });
}

/// Remove what an earlier run wrote in `dir`, so that a new run's directory holds only its
/// own outputs: the files its `summary.json` lists (and their `.part` files), its checkpoint
/// directory and the summary itself. Anything else in `dir` is left alone; a directory without
/// a `summary.json` (no finished earlier run) is not touched. Returns how many entries went.
fn clear_earlier_run(dir: &Path) -> Result<usize, CliError> {
    let summary = dir.join("summary.json");
    let Ok(text) = std::fs::read_to_string(&summary) else {
        return Ok(0);
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Ok(0); // not ours: leave it
    };
    // Listed paths were written relative to the earlier run's working directory: take
    // their file names, which are in `dir`.
    let name = |p: &serde_json::Value| -> Option<PathBuf> {
        let p = Path::new(p.as_str()?.split(": ").next()?);
        p.file_name().map(|f| dir.join(f))
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for key in ["files", "failed_files"] {
        if let Some(list) = v.get(key).and_then(|l| l.as_array()) {
            files.extend(list.iter().filter_map(name));
        }
    }
    let mut removed = 0;
    for f in &files {
        for p in [f.clone(), PathBuf::from(format!("{}.part", f.display()))] {
            if p.is_file() {
                std::fs::remove_file(&p).map_err(|e| io_err(&p, e))?;
                removed += 1;
            }
        }
    }
    if let Some(c) = v.get("checkpoint").and_then(name)
        && c.join("manifest.ron").is_file()
    {
        std::fs::remove_dir_all(&c).map_err(|e| io_err(&c, e))?;
        removed += 1;
    }
    std::fs::remove_file(&summary).map_err(|e| io_err(&summary, e))?;
    Ok(removed + 1)
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
    if let Some(ms) = opts.checkpoint_every
        && !(ms.is_finite() && ms > 0.0)
    {
        return Err(CliError::Usage(format!(
            "--checkpoint-every must be > 0 ms, got {ms}"
        )));
    }
    for w in neurocore_engine::sim::stability_warnings(&scene.scene, &reg) {
        eprintln!("warning: {w}");
    }
    install_signal_handler();
    BUILDING.store(true, Ordering::SeqCst);
    STOP.store(false, Ordering::SeqCst);
    TERM.store(false, Ordering::SeqCst);
    HUP.store(false, Ordering::SeqCst);
    let t0 = Instant::now();
    let built = scene.build(&reg);
    BUILDING.store(false, Ordering::SeqCst);
    let mut sim = built.map_err(CliError::Scene)?;
    let build_s = t0.elapsed().as_secs_f64();
    sim.enable_stats();
    sim.set_nan_policy(opts.nan);
    std::fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
    let removed = clear_earlier_run(&dir)?;
    if removed > 0 {
        eprintln!(
            "note: removed {removed} file{} an earlier run wrote in {}",
            if removed == 1 { "" } else { "s" },
            dir.display()
        );
    }
    let out = open_outputs(&sim, &scene, &dir, opts.csv, None)?;
    let raster = Raster::new(&sim);
    let total = (scene.scene.duration / sim.dt()).round() as u64;
    let job = Job {
        scene,
        dir,
        total,
        csv: opts.csv,
        nan: opts.nan,
        progress: opts.progress,
        every_ms: opts.checkpoint_every,
        build_s,
        resumed_from_ms: None,
    };
    simulate(sim, out, raster, &job)
}

/// Options of `neurocore resume`.
#[derive(Clone, Debug, Default)]
pub struct ResumeOptions {
    /// Threads (default: the run's).
    pub threads: Option<usize>,
    /// Show a progress bar.
    pub progress: bool,
}

/// Continue the run whose output directory is `dir` from its last checkpoint
/// (`<dir>/checkpoint`, written by `neurocore run --checkpoint-every`): the output files are
/// cut back to the checkpoint and continued, and the finished files equal those of a run that
/// was never stopped.
pub fn resume(dir: &Path, opts: &ResumeOptions) -> Result<Summary, CliError> {
    let reg = neurocore_models::registry();
    let ck = dir.join(CHECKPOINT_DIR);
    let state_path = ck.join("run.json");
    let text = std::fs::read_to_string(&state_path).map_err(|e| {
        CliError::Usage(format!(
            "{}: {e}; is {} the output directory of a run started with --checkpoint-every?",
            state_path.display(),
            dir.display()
        ))
    })?;
    let st: RunState = serde_json::from_str(&text)
        .map_err(|e| CliError::Usage(format!("{}: {e}", state_path.display())))?;
    let scene_path = ck.join("scene.ron");
    let scene_text = std::fs::read_to_string(&scene_path).map_err(|e| io_err(&scene_path, e))?;
    let mut scene: neurocore_engine::scene::Scene = ron::from_str(&scene_text)
        .map_err(|e| CliError::Usage(format!("{}: {e}", scene_path.display())))?;
    if let Some(t) = opts.threads {
        if t == 0 || t > 1024 {
            return Err(CliError::Usage(format!(
                "--threads must be 1..=1024, got {t}"
            )));
        }
        scene.threads = t;
    }
    let nan = match st.nan.as_str() {
        "warn" => NanPolicy::Warn,
        "off" => NanPolicy::Off,
        _ => NanPolicy::Stop,
    };
    install_signal_handler();
    BUILDING.store(true, Ordering::SeqCst);
    STOP.store(false, Ordering::SeqCst);
    let t0 = Instant::now();
    let loaded = Simulation::load(&scene, &reg, &ck);
    BUILDING.store(false, Ordering::SeqCst);
    let mut sim = loaded.map_err(|e| CliError::Usage(e.to_string()))?;
    let build_s = t0.elapsed().as_secs_f64();
    sim.set_nan_policy(nan);
    let loaded = LoadedScene {
        scene,
        path: st.scene_path.clone(),
        text: scene_text,
    };
    let mut out = open_outputs(&sim, &loaded, dir, st.csv, Some(&st.files))?;
    out.written_rates = st.written_rates;
    let job = Job {
        scene: loaded,
        dir: dir.to_path_buf(),
        total: st.total,
        csv: st.csv,
        nan,
        progress: opts.progress,
        every_ms: Some(st.every_ms),
        build_s,
        resumed_from_ms: Some(sim.time()),
    };
    simulate(sim, out, st.raster, &job)
}

/// Where a run keeps its checkpoint, inside its output directory.
pub const CHECKPOINT_DIR: &str = "checkpoint";

/// A run being simulated (fresh or resumed).
struct Job {
    scene: LoadedScene,
    dir: PathBuf,
    total: u64,
    csv: bool,
    nan: NanPolicy,
    progress: bool,
    every_ms: Option<f64>,
    build_s: f64,
    resumed_from_ms: Option<f64>,
}

/// Write the run's checkpoint: the network, the scene and the output files' positions.
fn write_checkpoint(
    sim: &Simulation,
    out: &Outputs,
    raster: &Raster,
    job: &Job,
) -> Result<PathBuf, CliError> {
    let ck = job.dir.join(CHECKPOINT_DIR);
    let st = RunState {
        scene_path: job.scene.path.clone(),
        total: job.total,
        csv: job.csv,
        nan: match job.nan {
            NanPolicy::Stop => "stop",
            NanPolicy::Warn => "warn",
            NanPolicy::Off => "off",
        }
        .into(),
        every_ms: job.every_ms.unwrap_or(0.0),
        files: out.positions(),
        written_rates: out.written_rates.clone(),
        raster: raster.clone(),
    };
    let json = serde_json::to_vec(&st).map_err(|e| CliError::Io(e.to_string()))?;
    let scene = ron::to_string(&job.scene.scene).map_err(|e| CliError::Io(e.to_string()))?;
    sim.save_with(&ck, &[("run.json", &json), ("scene.ron", scene.as_bytes())])
        .map_err(|e| CliError::Io(e.to_string()))?;
    Ok(ck)
}

// Long by design: the run loop, the files' finish and the summary belong together.
fn simulate(
    mut sim: Simulation,
    mut out: Outputs,
    mut raster: Raster,
    job: &Job,
) -> Result<Summary, CliError> {
    let (total, dir) = (job.total, &job.dir);
    let chunk = ((50.0 / sim.dt()).round() as u64).max(1);
    let every = job
        .every_ms
        .map(|ms| ((ms / sim.dt()).round() as u64).max(1));
    let bar = if job.progress {
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
    let mut done = sim.steps();
    let mut stopped_by_fault = false;
    let mut checkpoint = None;
    while done < total && !STOP.load(Ordering::SeqCst) {
        let mut n = chunk.min(total - done);
        if let Some(e) = every {
            // Stop exactly on the checkpoint grid.
            n = n.min(e - done % e);
        }
        let before = sim.steps();
        let r = sim.try_run(n as f64 * sim.dt());
        done += sim.steps() - before;
        drain(&mut sim, &mut out, &mut raster);
        if r.is_err() {
            stopped_by_fault = true;
            break;
        }
        // After a failed write the files no longer match the network: keep the last good
        // checkpoint (resume from it once the disk has room).
        if let Some(e) = every
            && done.is_multiple_of(e)
            && done < total
            && out.failed.is_empty()
        {
            checkpoint = Some(write_checkpoint(&sim, &out, &raster, job)?);
        }
        bar.set_position(done);
        bar.set_message(format!("t = {:.0} ms", sim.time()));
    }
    bar.finish_and_clear();
    // Stopped by a signal: checkpoint where it stopped, so `resume` loses nothing.
    if every.is_some() && done < total && !stopped_by_fault && out.failed.is_empty() {
        checkpoint = Some(write_checkpoint(&sim, &out, &raster, job)?);
    }
    let sim_s = t1.elapsed().as_secs_f64();
    let mut files = std::mem::take(&mut out.fixed);
    let mut failed = std::mem::take(&mut out.failed);
    for w in out.spikes.into_iter().flatten() {
        let p = w.path().to_path_buf();
        match w.finish() {
            Ok(f) => files.push(f),
            Err(e) => failed.push(format!("{}: {e}", p.display())),
        }
    }
    for w in out
        .traces
        .into_iter()
        .flatten()
        .flatten()
        .chain(out.trace_times.into_iter().flatten())
        .chain(out.rates.into_iter().flatten())
    {
        let p = w.path().to_path_buf();
        match w.finish() {
            Ok(f) => files.push(f),
            Err(e) => failed.push(format!("{}: {e}", p.display())),
        }
    }
    // Populations that emit spikes but emitted none: say so (a silent network is the first
    // thing to explain; `neurocore check` shows what drives each population).
    let silent: Vec<String> = sim
        .population_stats()
        .iter()
        .zip(sim.populations())
        .filter(|(st, p)| st.spikes == 0 && p.output != neurocore_engine::model::OutputKind::Value)
        .map(|(st, _)| st.name.clone())
        .collect();
    if !silent.is_empty() {
        eprintln!(
            "warning: no spikes from {} (check their drive: stimuli, weights and the port units in `neurocore models MODEL`)",
            silent.join(", ")
        );
    }
    let plastic = write_weights(&sim, dir, &mut files, &mut failed);
    if job.scene.scene.outputs.raster {
        let path = dir.join("raster.png");
        plot::raster_png(&raster, &path, sim.time()).map_err(CliError::Io)?;
        files.push(path);
    }
    let simulated_ms = sim.time();
    let ran_ms = simulated_ms - job.resumed_from_ms.unwrap_or(0.0);
    let summary = Summary {
        scene: job.scene.name(),
        dt: sim.dt(),
        simulated_ms,
        interrupted: done < total,
        seed: job.scene.scene.seed,
        threads: sim.threads(),
        neurons: sim.populations().iter().map(|p| p.len as u64).sum(),
        synapses: sim.synapse_count(),
        build_s: job.build_s,
        sim_s,
        rtf: if ran_ms > 0.0 {
            sim_s / (ran_ms / 1000.0)
        } else {
            0.0
        },
        synaptic_events: sim.synaptic_events(),
        populations: sim.population_stats(),
        files: files.clone(),
        fault: sim.fault().map(|f| f.to_string()),
        resumed_from_ms: job.resumed_from_ms,
        checkpoint,
        failed_files: failed.clone(),
        silent_populations: silent,
        id_ranges: sim
            .populations()
            .iter()
            .map(|p| IdRange {
                population: p.name.clone(),
                first: p.start,
                end: p.end(),
            })
            .collect(),
        plastic,
    };
    let path = dir.join("summary.json");
    let json = serde_json::to_string_pretty(&summary).map_err(|e| CliError::Io(e.to_string()))?;
    std::fs::write(&path, json).map_err(|e| io_err(&path, e))?;
    if !failed.is_empty() {
        return Err(CliError::Io(format!(
            "could not write {} (the run went on; every other file and summary.json are complete{}):\n  {}",
            if failed.len() == 1 {
                "one output file"
            } else {
                "some output files"
            },
            if summary.checkpoint.is_some() {
                "; free space and `neurocore resume` continues from the last good checkpoint"
            } else {
                ""
            },
            failed.join("\n  ")
        )));
    }
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
    for w in &s.plastic {
        t.push_str(&format!(
            "plastic {}: {} synapses, weight mean {:.4} sd {:.4} [{:.4}, {:.4}]",
            w.projection, w.synapses, w.mean, w.std, w.min, w.max
        ));
        if let (Some(m), Some(lo), Some(hi)) = (w.w_max, w.frac_low, w.frac_high) {
            t.push_str(&format!(
                "; {:.0}% below 0.1 w_max, {:.0}% above 0.9 w_max (w_max {m})",
                100.0 * lo,
                100.0 * hi
            ));
        }
        t.push('\n');
    }
    t
}
