//! The `neurocore` command: `run`, `check`, `models`, `bench`.

pub mod plot;
pub mod run;

use std::fmt::Write as _;
use std::time::Instant;

use neurocore_engine::model::Timing;
use neurocore_engine::registry::Registry;
use neurocore_engine::scene::load::{LoadedScene, SceneError};
use serde::Serialize;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// The scene is wrong (located).
    Scene(SceneError),
    /// Reading or writing files failed.
    Io(String),
    /// A command-line value is wrong.
    Usage(String),
    /// The run stopped because the state became non-finite (outputs until then were written).
    Fault(String),
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Scene(e) => write!(f, "{e}"),
            CliError::Io(e) => write!(f, "{e}"),
            CliError::Usage(e) => write!(f, "{e}"),
            CliError::Fault(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for CliError {}

/// Command-line overrides of a scene's run settings.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// Threads.
    pub threads: Option<usize>,
    /// Seed.
    pub seed: Option<u64>,
    /// Duration, ms.
    pub duration: Option<f64>,
}

impl Overrides {
    /// The scene with the overrides applied (and checked).
    pub fn apply(&self, s: &LoadedScene) -> Result<LoadedScene, CliError> {
        let mut s = s.clone();
        if let Some(t) = self.threads {
            if t == 0 || t > 1024 {
                return Err(CliError::Usage(format!(
                    "--threads must be 1..=1024, got {t}"
                )));
            }
            s.scene.threads = t;
        }
        if let Some(seed) = self.seed {
            s.scene.seed = seed;
        }
        if let Some(d) = self.duration {
            if !(d.is_finite() && d >= 0.0) {
                return Err(CliError::Usage(format!(
                    "--duration must be >= 0 ms, got {d}"
                )));
            }
            s.scene.duration = d;
        }
        Ok(s)
    }
}

fn human_bytes(b: f64) -> String {
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.0} kB", b / 1e3)
    }
}

/// `neurocore check`: validate and size a scene.
pub fn check(scene: &LoadedScene, reg: &Registry) -> Result<String, CliError> {
    let size = scene.check(reg).map_err(CliError::Scene)?;
    let mut warn = String::new();
    for w in neurocore_engine::sim::stability_warnings(&scene.scene, reg) {
        warn.push_str(&format!("warning: {w}\n"));
    }
    Ok(format!(
        "{warn}{}: OK — {} neurons in {} populations, ~{:.0} synapses in {} projections, ~{} of memory",
        scene.path.display(),
        size.neurons,
        scene.scene.populations.len(),
        size.synapses,
        scene.scene.projections.len(),
        human_bytes(size.bytes)
    ))
}

/// `neurocore models [NAME]`: the catalogue, or one model.
pub fn models(reg: &Registry, name: Option<&str>) -> Result<String, CliError> {
    let mut s = String::new();
    match name {
        None => {
            let mut fams: Vec<_> = reg.iter().map(|e| e.family()).collect();
            fams.sort();
            fams.dedup();
            let _ = writeln!(s, "{} models", reg.len());
            for f in fams {
                let _ = writeln!(s, "\n{f}:");
                for e in reg.iter().filter(|e| e.family() == f) {
                    let _ = writeln!(s, "  {:<34} {}", e.name(), e.summary());
                }
            }
        }
        Some(n) => {
            let Some(e) = reg.get(n) else {
                return Err(CliError::Usage(
                    neurocore_engine::scene::load::unknown_model(n, reg),
                ));
            };
            let _ = writeln!(s, "{} ({})\n  {}", e.name(), e.family(), e.summary());
            let _ = writeln!(s, "  reference: {}", e.reference());
            let step = match e.timing() {
                Timing::Continuous => format!("{} ms per standalone step", e.default_span()),
                Timing::Iteration => "one iteration per step".into(),
            };
            let _ = writeln!(
                s,
                "  step({}) -> {}; {step}",
                e.ports().join(", "),
                e.output()
            );
            if let Some(m) = e.membrane() {
                let _ = writeln!(
                    s,
                    "  membrane potential: {m}{}",
                    if e.conductance_input() {
                        " (accepts conductance receptors)"
                    } else {
                        ""
                    }
                );
            }
            if !e.ports().is_empty() {
                let drive: Vec<String> = e
                    .ports()
                    .iter()
                    .zip(e.drive())
                    .map(|(p, d)| format!("{p} = {d}"))
                    .collect();
                let _ = writeln!(
                    s,
                    "\n  inputs: typical drive {} (held on the port: the model is active)",
                    drive.join(", ")
                );
                let _ = writeln!(
                    s,
                    "    in a network a port holds, for one step, the sum of what arrives in that step:\n    \
                     a dc/steps/external stimulus its value, each spike (projection or poisson\n    \
                     stimulus without a receptor) its weight. A poisson input of rate r Hz and\n    \
                     weight w holds a mean of w*r*dt/1000 (dt in ms): to match a drive D,\n    \
                     w = 1000*D/(r*dt), e.g. {} at r = 1000 Hz, dt = 0.1 ms.",
                    e.drive()
                        .first()
                        .map_or("-".to_string(), |d| format!("{}", 10.0 * d))
                );
            }
            let _ = writeln!(s, "\n  parameters (name = default [unit]: meaning):");
            for (f, (_, d)) in e.param_fields().iter().zip(e.default_params()) {
                let doc = f.doc.lines().next().unwrap_or("");
                let meaning = doc
                    .split('[')
                    .next()
                    .unwrap_or(doc)
                    .trim()
                    .trim_end_matches(',');
                let _ = writeln!(
                    s,
                    "    {:<20} = {:<12} [{}]: {meaning}",
                    f.name,
                    d,
                    f.unit()
                );
            }
            let _ = writeln!(s, "\n  state (get_state() names, initial value):");
            let init = e.default_state();
            for ((n, d), v) in e.state_names().iter().zip(e.state_docs()).zip(&init.values) {
                let _ = writeln!(
                    s,
                    "    {n:<20} = {v:<12} {}",
                    d.lines().next().unwrap_or("")
                );
            }
        }
    }
    Ok(s)
}

/// What `neurocore bench` measures.
#[derive(Clone, Debug, Serialize)]
pub struct BenchReport {
    /// Scene name.
    pub scene: String,
    /// Neurons.
    pub neurons: u64,
    /// Synapses.
    pub synapses: usize,
    /// Threads.
    pub threads: usize,
    /// Biological time, ms.
    pub duration_ms: f64,
    /// Build time (scene file to runnable network), s.
    pub build_s: f64,
    /// Simulation loop, s.
    pub sim_s: f64,
    /// Real-time factor.
    pub rtf: f64,
    /// Neuron updates per second.
    pub neuron_updates_per_s: f64,
    /// Synaptic events.
    pub synaptic_events: u64,
    /// Synaptic events per second.
    pub synaptic_events_per_s: f64,
    /// Peak resident memory of the process, bytes (Linux).
    pub peak_memory_bytes: Option<u64>,
    /// Bytes of synapse storage per synapse.
    pub bytes_per_synapse: f64,
    /// Mean rate per population, Hz.
    pub rates_hz: Vec<(String, f64)>,
}

/// Peak resident set size of this process (VmHWM), bytes.
pub fn peak_rss() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let l = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = l.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// `neurocore bench`: time building and simulating a scene (recorders off, spike counts on).
pub fn bench(scene: &LoadedScene, reg: &Registry, ov: &Overrides) -> Result<BenchReport, CliError> {
    let mut scene = ov.apply(scene)?;
    scene.scene.recorders.clear();
    let t0 = Instant::now();
    let mut sim = scene.build(reg).map_err(CliError::Scene)?;
    let build_s = t0.elapsed().as_secs_f64();
    sim.enable_stats();
    let steps = (scene.scene.duration / sim.dt()).round() as u64;
    let t1 = Instant::now();
    for _ in 0..steps {
        sim.step();
    }
    let sim_s = t1.elapsed().as_secs_f64();
    let neurons: u64 = sim.populations().iter().map(|p| p.len as u64).sum();
    let n_syn = sim.synapse_count();
    let ev = sim.synaptic_events();
    Ok(BenchReport {
        scene: scene.name(),
        neurons,
        synapses: n_syn,
        threads: sim.threads(),
        duration_ms: sim.time(),
        build_s,
        sim_s,
        rtf: sim_s / (sim.time() / 1000.0).max(1e-12),
        neuron_updates_per_s: neurons as f64 * steps as f64 / sim_s.max(1e-12),
        synaptic_events: ev,
        synaptic_events_per_s: ev as f64 / sim_s.max(1e-12),
        peak_memory_bytes: peak_rss(),
        bytes_per_synapse: if n_syn > 0 {
            sim.synapse_bytes() as f64 / n_syn as f64
        } else {
            0.0
        },
        rates_hz: sim
            .population_stats()
            .into_iter()
            .map(|p| (p.name, p.rate_hz))
            .collect(),
    })
}

/// The bench report for a terminal.
pub fn bench_table(b: &BenchReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} neurons, {} synapses, {} thread(s), {:.0} ms",
        b.scene, b.neurons, b.synapses, b.threads, b.duration_ms
    );
    let _ = writeln!(s, "  build            {:>10.3} s", b.build_s);
    let _ = writeln!(
        s,
        "  simulation       {:>10.3} s   (real-time factor {:.3})",
        b.sim_s, b.rtf
    );
    let _ = writeln!(s, "  neuron updates   {:>10.3e} /s", b.neuron_updates_per_s);
    let _ = writeln!(
        s,
        "  synaptic events  {:>10.3e} /s   ({} in all)",
        b.synaptic_events_per_s, b.synaptic_events
    );
    if let Some(m) = b.peak_memory_bytes {
        let _ = writeln!(s, "  peak memory      {:>10}", human_bytes(m as f64));
    }
    let _ = writeln!(s, "  bytes/synapse    {:>10.2}", b.bytes_per_synapse);
    for (n, r) in &b.rates_hz {
        let _ = writeln!(s, "  rate {n:<12}{r:>10.2} Hz");
    }
    s
}
