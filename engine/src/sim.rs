//! `Simulation`: the embedding API — build from a scene value (or the builder), `step()`,
//! `run(ms)`, write external inputs, read spikes and state; usable from a host loop.
//!
//! ```ignore
//! let mut sim = Simulation::from_scene(&scene, &registry)?;
//! loop {
//!     sim.set_external("motor_cmd", &sensor_values)?;   // host → network
//!     sim.step();
//!     for &id in sim.spikes() { /* network → host */ }
//! }
//! ```
//!
//! Everything in the scene is validated before anything is built; errors carry the path of the
//! offending item (`populations[2].params.tau_m`).

use bevy_ecs::prelude::*;
use bevy_tasks::{ComputeTaskPool, TaskPoolBuilder};

use crate::error::{BuildError, unknown};
use crate::input::{StimRt, StimTarget, Stimuli, StimulusRt};
use crate::model::{OutputKind, StateMap};
use crate::numerics::dist::Value;
use crate::numerics::rng::{NeuronRng, stream_of};
use crate::record::{RateRecord, Recorders, SpikeRecord, StateRecord};
use crate::registry::{ModelEntry, Registry, SpawnRequest};
use crate::scene::{
    Placement, PopulationSpec, ProjectionSpec, RecorderSpec, Scene, StimulusKind, StimulusSpec,
    Target,
};
use crate::schedule::build_schedule;
use crate::synapse::connect::{self, Sides};
use crate::synapse::{
    Channel, ChannelKind, PopSynapses, Projection, ReceptorKind, ReceptorState, Synapses, Weights,
};
use crate::world::{Clock, Inputs, PopInputs, PopulationInfo, Populations, StepSpikes, StepValues};

/// A running network.
pub struct Simulation {
    world: World,
    schedule: Schedule,
    kernels: Schedule,
    readers: Vec<crate::record::StateReader>,
    writers: Vec<WriteFn>,
    duration: f64,
    n_synapses: usize,
    synapse_bytes: usize,
}

type WriteFn = fn(&mut World, Entity, usize, f64) -> bool;

/// Spike statistics of one population.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PopulationStats {
    /// Population name.
    pub name: String,
    /// Model class name.
    pub model: &'static str,
    /// Neurons.
    pub neurons: u32,
    /// Spikes so far.
    pub spikes: u64,
    /// Mean rate, Hz.
    pub rate_hz: f64,
    /// Mean CV of interspike intervals (NaN if too few spikes).
    pub cv_isi: f64,
}

/// Code-side construction of a [`Scene`] and its [`Simulation`].
pub struct SimBuilder<'r> {
    registry: &'r Registry,
    scene: Scene,
}

impl<'r> SimBuilder<'r> {
    /// Step length, ms.
    pub fn dt(mut self, dt: f64) -> Self {
        self.scene.dt = dt;
        self
    }
    /// Seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.scene.seed = seed;
        self
    }
    /// Threads.
    pub fn threads(mut self, n: usize) -> Self {
        self.scene.threads = n;
        self
    }
    /// Duration `run_scene` uses, ms.
    pub fn duration(mut self, ms: f64) -> Self {
        self.scene.duration = ms;
        self
    }
    /// Add a population.
    pub fn population(mut self, p: PopulationSpec) -> Self {
        self.scene.populations.push(p);
        self
    }
    /// Add a projection.
    pub fn projection(mut self, p: ProjectionSpec) -> Self {
        self.scene.projections.push(p);
        self
    }
    /// Add a stimulus.
    pub fn stimulus(mut self, s: StimulusSpec) -> Self {
        self.scene.stimuli.push(s);
        self
    }
    /// Add a recorder.
    pub fn recorder(mut self, r: RecorderSpec) -> Self {
        self.scene.recorders.push(r);
        self
    }
    /// The scene built so far.
    pub fn scene(&self) -> &Scene {
        &self.scene
    }
    /// Validate and build.
    pub fn build(self) -> Result<Simulation, BuildError> {
        Simulation::from_scene(&self.scene, self.registry)
    }
}

/// Sizes of a validated network, before it is built.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NetworkSize {
    /// Neurons.
    pub neurons: u64,
    /// Synapses (expected value for random rules).
    pub synapses: f64,
    /// Estimated memory, bytes.
    pub bytes: f64,
    /// Pair evaluations of distance-dependent rules.
    pub pair_work: f64,
}

/// Options of [`Simulation::from_scene_with`].
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// Refuse networks estimated to need more bytes than this (`None`: no limit).
    pub memory_limit: Option<f64>,
}

impl Default for BuildOptions {
    /// The limit of [`memory_limit`].
    fn default() -> Self {
        Self {
            memory_limit: memory_limit(),
        }
    }
}

/// Most pair evaluations distance-dependent rules may cost (about a minute of building).
pub const MAX_PAIR_WORK: f64 = 2e10;

/// Memory a network may use: `$NEUROCORE_MEMORY_LIMIT` (bytes), else the memory the system
/// reports available (Linux `/proc/meminfo`), else no limit.
pub fn memory_limit() -> Option<f64> {
    if let Ok(v) = std::env::var("NEUROCORE_MEMORY_LIMIT")
        && let Ok(x) = v.trim().parse::<f64>()
    {
        return Some(x);
    }
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024.0)
}

/// Refuse a network that would not fit in memory or whose distance rules would take too long
/// to build, with the estimate.
fn refuse_oversize(size: &NetworkSize, opts: &BuildOptions) -> Result<(), BuildError> {
    if let Some(limit) = opts.memory_limit
        && size.bytes > limit
    {
        return err(
            "populations",
            format!(
                "the network needs about {:.1} GB ({} neurons, {:.3e} synapses), more than the {:.1} GB available",
                size.bytes / 1e9,
                size.neurons,
                size.synapses,
                limit / 1e9
            ),
        );
    }
    if size.pair_work > MAX_PAIR_WORK {
        return err(
            "projections",
            format!(
                "distance-dependent rules would test {:.3e} pairs (more than {MAX_PAIR_WORK:.0e}); use smaller populations or split them",
                size.pair_work
            ),
        );
    }
    Ok(())
}

/// Shortest step a scene may use, ms (1 ns).
pub const MIN_DT: f64 = 1e-6;

/// Most steps a scene's duration may span (10¹²: days of wall time even for a tiny network).
pub const MAX_STEPS: f64 = 1e12;

fn check_placement(pl: &Placement, size: u32, path: &str) -> Result<(), BuildError> {
    let fin3 = |n: &str, (x, y, z): (f64, f64, f64)| {
        if [x, y, z].iter().all(|v| v.is_finite()) {
            Ok(())
        } else {
            err(
                format!("{path}.{n}"),
                format!("must be finite, got ({x}, {y}, {z})"),
            )
        }
    };
    match pl {
        Placement::Grid {
            shape,
            spacing,
            origin,
        } => {
            let n = shape.0 as u128 * shape.1 as u128 * shape.2 as u128;
            if n != size as u128 {
                return err(
                    format!("{path}.shape"),
                    format!(
                        "{}×{}×{} = {n} points for {size} neurons",
                        shape.0, shape.1, shape.2
                    ),
                );
            }
            fin3("spacing", *spacing)?;
            fin3("origin", *origin)
        }
        Placement::Box { min, max } => {
            fin3("min", *min)?;
            fin3("max", *max)?;
            if min.0 > max.0 || min.1 > max.1 || min.2 > max.2 {
                return err(path, "box needs min <= max on every axis");
            }
            Ok(())
        }
        Placement::Sphere { center, radius } => {
            fin3("center", *center)?;
            if !(radius.is_finite() && *radius >= 0.0) {
                return err(
                    format!("{path}.radius"),
                    format!("must be >= 0, got {radius}"),
                );
            }
            Ok(())
        }
        Placement::List(v) => {
            if v.len() != size as usize {
                return err(path, format!("{} positions for {size} neurons", v.len()));
            }
            for (k, p) in v.iter().enumerate() {
                fin3(&format!("[{k}]"), *p)?;
            }
            Ok(())
        }
        Placement::Npy(f) => err(
            path,
            format!("the NPY file `{f}` was not loaded (load scenes with scene::load)"),
        ),
    }
}

/// Positions of `n` neurons placed by `pl` (random placements keyed by population name).
fn place(pl: &Placement, n: u32, name: &str, seed: u64) -> Vec<glam::Vec3> {
    let v3 = |(x, y, z): (f64, f64, f64)| glam::Vec3::new(x as f32, y as f32, z as f32);
    let stream = stream_of(&format!("{name}/position"));
    match pl {
        Placement::Grid {
            shape,
            spacing,
            origin,
        } => (0..n)
            .map(|i| {
                let (nx, ny) = (shape.0.max(1), shape.1.max(1));
                let (x, y, z) = (i % nx, (i / nx) % ny, i / (nx * ny));
                v3((
                    origin.0 + x as f64 * spacing.0,
                    origin.1 + y as f64 * spacing.1,
                    origin.2 + z as f64 * spacing.2,
                ))
            })
            .collect(),
        Placement::Box { min, max } => (0..n)
            .map(|i| {
                let mut r = NeuronRng::new(seed, stream, i, 0);
                v3((
                    min.0 + (max.0 - min.0) * r.uniform(),
                    min.1 + (max.1 - min.1) * r.uniform(),
                    min.2 + (max.2 - min.2) * r.uniform(),
                ))
            })
            .collect(),
        Placement::Sphere { center, radius } => (0..n)
            .map(|i| {
                // Rejection from the enclosing cube: uniform in the ball.
                let mut r = NeuronRng::new(seed, stream, i, 0);
                loop {
                    let (x, y, z) = (
                        2.0 * r.uniform() - 1.0,
                        2.0 * r.uniform() - 1.0,
                        2.0 * r.uniform() - 1.0,
                    );
                    if x * x + y * y + z * z <= 1.0 {
                        break v3((
                            center.0 + radius * x,
                            center.1 + radius * y,
                            center.2 + radius * z,
                        ));
                    }
                }
            })
            .collect(),
        Placement::List(v) => v.iter().map(|&p| v3(p)).collect(),
        Placement::Npy(_) => vec![glam::Vec3::ZERO; n as usize],
    }
}

fn err<T>(path: impl Into<String>, msg: impl Into<String>) -> Result<T, BuildError> {
    Err(BuildError::new(path, msg))
}

fn finite(path: &str, x: f64) -> Result<(), BuildError> {
    if x.is_finite() {
        Ok(())
    } else {
        err(path, format!("must be finite, got {x}"))
    }
}

/// A resolved input channel of a population.
#[derive(Clone, Debug, PartialEq)]
enum ChannelRef {
    Receptor(usize),
    Port(usize),
}

struct PopPlan<'a> {
    spec: &'a PopulationSpec,
    entry: &'a dyn ModelEntry,
    start: u32,
}

impl Simulation {
    /// Start building from code.
    pub fn builder(registry: &Registry) -> SimBuilder<'_> {
        SimBuilder {
            registry,
            scene: Scene::default(),
        }
    }

    /// Validate a scene and return its size, without building it: everything
    /// [`Simulation::from_scene`] would refuse (including a network too large for the memory
    /// available) is refused here too.
    pub fn check(scene: &Scene, registry: &Registry) -> Result<NetworkSize, BuildError> {
        Self::check_with(scene, registry, &BuildOptions::default())
    }

    /// [`Simulation::check`] with explicit options (e.g. a memory limit).
    pub fn check_with(
        scene: &Scene,
        registry: &Registry,
        opts: &BuildOptions,
    ) -> Result<NetworkSize, BuildError> {
        let plans = validate(scene, registry)?;
        let size = estimate(scene, &plans);
        refuse_oversize(&size, opts)?;
        Ok(size)
    }

    /// Validate and build a scene. A network that would not fit in the memory available (or
    /// in `$NEUROCORE_MEMORY_LIMIT` bytes, if set) is refused with an estimate before anything
    /// is built.
    pub fn from_scene(scene: &Scene, registry: &Registry) -> Result<Self, BuildError> {
        Self::from_scene_with(scene, registry, &BuildOptions::default())
    }

    /// [`Simulation::from_scene`] with explicit options (e.g. a memory limit).
    pub fn from_scene_with(
        scene: &Scene,
        registry: &Registry,
        opts: &BuildOptions,
    ) -> Result<Self, BuildError> {
        let plans = validate(scene, registry)?;
        let size = estimate(scene, &plans);
        refuse_oversize(&size, opts)?;
        build(scene, &plans)
    }

    /// Advance one step of `dt`.
    pub fn step(&mut self) {
        self.schedule.run(&mut self.world);
    }

    /// Advance every neuron one step through the batch path only (no stimuli, propagation or
    /// recorders; inputs are the port biases of [`Simulation::set_port`] and whatever is in the
    /// ring buffers). For kernel benchmarks.
    pub fn step_kernels(&mut self) {
        self.kernels.run(&mut self.world);
    }

    /// Set a constant added to input port `port` of every neuron of `pop` on every step (a
    /// bias, like NEST's `I_e`), on top of stimuli and synaptic input. Costs nothing per step.
    pub fn set_port(&mut self, pop: &str, port: &str, x: f64) -> Result<(), BuildError> {
        let pops = self.world.resource::<Populations>();
        let Some(i) = pops.index_of(pop) else {
            return err("population", format!("no population `{pop}`"));
        };
        let Some(k) = pops.list[i].ports.iter().position(|p| *p == port) else {
            return err("port", unknown("port", port, pops.list[i].ports));
        };
        if !x.is_finite() {
            return err("value", format!("must be finite, got {x}"));
        }
        self.world.resource_mut::<Synapses>().pops[i].bias[k] = x;
        Ok(())
    }

    /// Advance by `ms` milliseconds (rounded to whole steps).
    pub fn run(&mut self, ms: f64) {
        let n = (ms / self.dt()).round().max(0.0) as u64;
        for _ in 0..n {
            self.step();
        }
    }

    /// Run the scene's `duration`.
    pub fn run_scene(&mut self) {
        self.run(self.duration);
    }

    /// The scene's duration, ms.
    pub fn duration(&self) -> f64 {
        self.duration
    }

    /// Step length, ms.
    pub fn dt(&self) -> f64 {
        self.world.resource::<Clock>().dt
    }

    /// Steps taken.
    pub fn steps(&self) -> u64 {
        self.world.resource::<Clock>().step
    }

    /// Current time, ms.
    pub fn time(&self) -> f64 {
        self.world.resource::<Clock>().t()
    }

    /// Ids of the neurons that spiked in the last step, ascending.
    pub fn spikes(&self) -> &[u32] {
        &self.world.resource::<StepSpikes>().ids
    }

    /// Signs of the last step's events (parallel to [`Simulation::spikes`]).
    pub fn spike_signs(&self) -> &[i8] {
        &self.world.resource::<StepSpikes>().signs
    }

    /// The populations.
    pub fn populations(&self) -> &[PopulationInfo] {
        &self.world.resource::<Populations>().list
    }

    /// A population by name.
    pub fn population(&self, name: &str) -> Option<&PopulationInfo> {
        self.populations().iter().find(|p| p.name == name)
    }

    /// Last values emitted by a value-output population (empty for spiking ones).
    pub fn values(&self, pop: &str) -> Option<&[f64]> {
        let i = self.world.resource::<Populations>().index_of(pop)?;
        Some(&self.world.resource::<StepValues>().pops[i])
    }

    /// Copy each step's inputs (ports, conductances, jumps) of every neuron where
    /// [`Simulation::port_values`] and friends can read them. For inspection and tests: it
    /// forces the serial path and costs a copy per input.
    pub fn probe_inputs(&mut self, on: bool) {
        let sizes: Vec<(usize, usize, bool, bool)> = {
            let pops = self.world.resource::<Populations>();
            let syn = self.world.resource::<Synapses>();
            pops.list
                .iter()
                .zip(&syn.pops)
                .map(|(p, s)| {
                    let g = s.channels.iter().any(
                        |c| matches!(&c.kind, ChannelKind::Receptor(r) if r.kind.is_conductance()),
                    );
                    let j = s
                        .channels
                        .iter()
                        .any(|c| matches!(c.kind, ChannelKind::Delta));
                    (p.len as usize, p.ports.len(), g, j)
                })
                .collect()
        };
        let mut inputs = self.world.resource_mut::<Inputs>();
        inputs.probe = on;
        inputs.pops = if on {
            sizes
                .into_iter()
                .map(|(n, np, g, j)| PopInputs {
                    ports: vec![vec![0.0; n]; np],
                    g: if g { vec![0.0; n] } else { Vec::new() },
                    ge: if g { vec![0.0; n] } else { Vec::new() },
                    jump: if j { vec![0.0; n] } else { Vec::new() },
                })
                .collect()
        } else {
            Vec::new()
        };
    }

    /// The values input port `port` of population `pop` held during the last step (stimuli and
    /// receptors summed), by local index — while [`Simulation::probe_inputs`] is on.
    pub fn port_values(&self, pop: &str, port: &str) -> Option<&[f64]> {
        let pops = self.world.resource::<Populations>();
        let i = pops.index_of(pop)?;
        let k = pops.list[i].ports.iter().position(|p| *p == port)?;
        Some(&self.world.resource::<Inputs>().pops.get(i)?.ports[k])
    }

    /// The conductance input (Σg, Σg·E) of population `pop` during the last step, if it has
    /// conductance receptors.
    pub fn conductance_input(&self, pop: &str) -> Option<(&[f64], &[f64])> {
        let i = self.world.resource::<Populations>().index_of(pop)?;
        let p = self.world.resource::<Inputs>().pops.get(i)?;
        (!p.g.is_empty()).then_some((&p.g[..], &p.ge[..]))
    }

    /// The membrane jumps (delta receptors) population `pop` received in the last step.
    pub fn jump_input(&self, pop: &str) -> Option<&[f64]> {
        let i = self.world.resource::<Populations>().index_of(pop)?;
        let p = self.world.resource::<Inputs>().pops.get(i)?;
        (!p.jump.is_empty()).then_some(&p.jump[..])
    }

    /// The recorders and what they hold so far.
    pub fn recorders(&self) -> &Recorders {
        self.world.resource::<Recorders>()
    }

    /// Keep spike statistics of every population (counts, interspike-interval moments per
    /// neuron) from now on; read them with [`Simulation::population_stats`].
    pub fn enable_stats(&mut self) {
        let n = self.world.resource::<Populations>().total() as usize;
        let np = self.world.resource::<Populations>().list.len();
        let mut rec = self.world.resource_mut::<Recorders>();
        let st = &mut rec.stats;
        if !st.enabled {
            *st = crate::record::SpikeStats {
                enabled: true,
                counts: vec![0; np],
                last: vec![u64::MAX; n],
                n_isi: vec![0; n],
                sum: vec![0.0; n],
                sum2: vec![0.0; n],
            };
        }
    }

    /// Per population: (name, neurons, spikes, mean rate in Hz over the time run, mean CV of
    /// the interspike intervals of neurons with at least 3 intervals). Needs
    /// [`Simulation::enable_stats`] before running.
    pub fn population_stats(&self) -> Vec<PopulationStats> {
        let rec = self.world.resource::<Recorders>();
        let secs = self.time() / 1000.0;
        self.populations()
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let spikes = rec.stats.counts.get(i).copied().unwrap_or(0);
                PopulationStats {
                    name: p.name.clone(),
                    model: p.model,
                    neurons: p.len,
                    spikes,
                    rate_hz: if secs > 0.0 {
                        spikes as f64 / p.len as f64 / secs
                    } else {
                        0.0
                    },
                    cv_isi: if rec.stats.enabled {
                        rec.stats.cv_isi(p.start, p.end(), 3)
                    } else {
                        f64::NAN
                    },
                }
            })
            .collect()
    }

    /// Synaptic events delivered so far (one per spike per outgoing synapse).
    pub fn synaptic_events(&self) -> u64 {
        self.world.resource::<Synapses>().events
    }

    /// The recorders, mutably (to drain what they hold while running).
    pub fn recorders_mut(&mut self) -> bevy_ecs::world::Mut<'_, Recorders> {
        self.world.resource_mut::<Recorders>()
    }

    /// Number of synapses.
    pub fn synapse_count(&self) -> usize {
        self.n_synapses
    }

    /// Bytes used by synapse tables (targets, per-synapse weights and delays, row starts).
    pub fn synapse_bytes(&self) -> usize {
        self.synapse_bytes
    }

    /// The state of neuron `id`.
    pub fn state(&self, id: u32) -> Option<StateMap> {
        let pops = self.world.resource::<Populations>();
        let p = pops.pop_of(id)?;
        let info = &pops.list[p];
        let e = info.entities[(id - info.start) as usize];
        let mut v = Vec::new();
        if (self.readers[p])(&self.world, e, &mut v) {
            Some(StateMap {
                names: info.state_names,
                values: v,
            })
        } else {
            None
        }
    }

    /// Set state variable `var` of neuron `id`.
    pub fn set_state(&mut self, id: u32, var: &str, x: f64) -> Result<(), BuildError> {
        let pops = self.world.resource::<Populations>();
        let Some(p) = pops.pop_of(id) else {
            return err("neuron", format!("no neuron with id {id}"));
        };
        let info = &pops.list[p];
        let Some(k) = info.state_names.iter().position(|n| *n == var) else {
            return err("var", unknown("state variable", var, info.state_names));
        };
        let e = info.entities[(id - info.start) as usize];
        if (self.writers[p])(&mut self.world, e, k, x) {
            Ok(())
        } else {
            err("neuron", format!("neuron {id} has no state components"))
        }
    }

    /// Write the values of an external input stimulus (one per target neuron, or one for all).
    pub fn set_external(&mut self, stimulus: &str, values: &[f64]) -> Result<(), BuildError> {
        let mut stims = self.world.resource_mut::<Stimuli>();
        let names: Vec<String> = stims.list.iter().map(|s| s.name.clone()).collect();
        let Some(i) = stims.index_of(stimulus) else {
            let n: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
            return err("stimulus", unknown("stimulus", stimulus, &n));
        };
        let StimRt::External(v) = &mut stims.list[i].kind else {
            return err(stimulus, "is not an external input");
        };
        if values.iter().any(|x| !x.is_finite()) {
            return err(stimulus, "values must be finite");
        }
        match values.len() {
            1 => v.fill(values[0]),
            n if n == v.len() => v.copy_from_slice(values),
            n => {
                return err(
                    stimulus,
                    format!("expects {} values (or 1), got {n}", v.len()),
                );
            }
        }
        Ok(())
    }

    /// Fewest neurons of one model for which a step runs in parallel chunks (default
    /// [`PAR_MIN_NEURONS`](crate::world::integrate::PAR_MIN_NEURONS)); lower it to exercise the
    /// parallel path on small networks (results do not depend on it).
    pub fn set_parallel_min(&mut self, n: usize) {
        self.world.resource_mut::<Clock>().par_min = n.max(1);
    }

    /// Threads the heavy systems use.
    pub fn threads(&self) -> usize {
        self.world.resource::<Clock>().threads
    }

    /// The bevy world (for hosts that want to query components directly).
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The bevy world, mutably. Do not add or remove components of neuron entities during a
    /// run unless you accept the slower per-neuron fallback of the batch path.
    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }
}

/// Validate a whole scene; return the populations' models and id ranges.
fn validate<'a>(scene: &'a Scene, reg: &'a Registry) -> Result<Vec<PopPlan<'a>>, BuildError> {
    if !(scene.dt.is_finite() && scene.dt > 0.0) {
        return err(
            "dt",
            format!("must be a positive number of ms, got {}", scene.dt),
        );
    }
    if scene.dt < MIN_DT {
        return err(
            "dt",
            format!("must be at least {MIN_DT} ms (1 ns), got {}", scene.dt),
        );
    }
    if !(scene.duration.is_finite() && scene.duration >= 0.0) {
        return err(
            "duration",
            format!(
                "must be a non-negative number of ms, got {}",
                scene.duration
            ),
        );
    }
    if scene.duration / scene.dt > MAX_STEPS {
        return err(
            "duration",
            format!(
                "{} ms at dt = {} ms is {:.3e} steps, more than {MAX_STEPS:.0e}",
                scene.duration,
                scene.dt,
                scene.duration / scene.dt
            ),
        );
    }
    if scene.threads == 0 || scene.threads > 1024 {
        return err(
            "threads",
            format!("must be between 1 and 1024, got {}", scene.threads),
        );
    }
    let names = reg.names();
    let mut plans: Vec<PopPlan> = Vec::new();
    let mut next: u64 = 0;
    for (i, p) in scene.populations.iter().enumerate() {
        let path = format!("populations[{i}]");
        if p.name.is_empty() {
            return err(format!("{path}.name"), "must not be empty");
        }
        if plans.iter().any(|q| q.spec.name == p.name) {
            return err(
                format!("{path}.name"),
                format!("population `{}` is defined twice", p.name),
            );
        }
        let Some(entry) = reg.get(&p.model) else {
            return err(format!("{path}.model"), unknown("model", &p.model, &names));
        };
        if p.size == 0 {
            return err(format!("{path}.size"), "must be at least 1");
        }
        if next + p.size as u64 > u32::MAX as u64 {
            return err(
                format!("{path}.size"),
                "the network exceeds 2^32 - 1 neurons",
            );
        }
        entry.check_params(&p.params, &format!("{path}.params"))?;
        for (k, v) in &p.init {
            let is_receptor = p.receptors.iter().any(|r| &r.name == k);
            if !entry.state_names().contains(&k.as_str()) && !is_receptor {
                let mut names: Vec<&str> = entry.state_names().to_vec();
                names.extend(p.receptors.iter().map(|r| r.name.as_str()));
                return err(
                    format!("{path}.init.{k}"),
                    format!(
                        "{} of {} (state variables and receptors)",
                        unknown("state variable", k, &names),
                        p.model
                    ),
                );
            }
            v.validate()
                .and_then(|_| v.check_len(p.size as usize))
                .map_err(|m| BuildError::new(format!("{path}.init.{k}"), m))?;
        }
        for (r, rec) in p.receptors.iter().enumerate() {
            let rp = format!("{path}.receptors[{r}]");
            if p.receptors[..r].iter().any(|x| x.name == rec.name) {
                return err(
                    format!("{rp}.name"),
                    format!("receptor `{}` is defined twice", rec.name),
                );
            }
            if let Some(tau) = rec.kind.tau()
                && !(tau.is_finite() && tau > 0.0)
            {
                return err(
                    format!("{rp}.kind.tau"),
                    format!("must be > 0 ms, got {tau}"),
                );
            }
            match &rec.kind {
                ReceptorKind::ExpConductance { e_rev, .. }
                | ReceptorKind::AlphaConductance { e_rev, .. } => {
                    finite(&format!("{rp}.kind.e_rev"), *e_rev)?;
                    if !entry.conductance_input() {
                        return err(
                            format!("{rp}.kind"),
                            format!(
                                "{} has no conductance input (no membrane potential in physical units); use a current receptor or a port",
                                p.model
                            ),
                        );
                    }
                }
                ReceptorKind::Delta if entry.membrane().is_none() => {
                    return err(
                        format!("{rp}.kind"),
                        format!(
                            "{} has no membrane potential to jump; target a port instead",
                            p.model
                        ),
                    );
                }
                ReceptorKind::ExpCurrent { .. } | ReceptorKind::AlphaCurrent { .. } => {
                    if entry.ports().is_empty() {
                        return err(
                            format!("{rp}.kind"),
                            format!("{} has no input port", p.model),
                        );
                    }
                    if let Some(port) = &rec.port
                        && !entry.ports().contains(&port.as_str())
                    {
                        return err(format!("{rp}.port"), unknown("port", port, entry.ports()));
                    }
                }
                _ => {}
            }
        }
        if let Some(pl) = &p.position {
            check_placement(pl, p.size, &format!("{path}.position"))?;
        }
        plans.push(PopPlan {
            spec: p,
            entry,
            start: next as u32,
        });
        next += p.size as u64;
    }
    let pop_names: Vec<&str> = plans.iter().map(|p| p.spec.name.as_str()).collect();
    let find = |path: String, name: &str| -> Result<usize, BuildError> {
        plans
            .iter()
            .position(|p| p.spec.name == name)
            .ok_or_else(|| BuildError::new(path, unknown("population", name, &pop_names)))
    };
    for (i, pr) in scene.projections.iter().enumerate() {
        let path = format!("projections[{i}]");
        let s = find(format!("{path}.source"), &pr.source)?;
        let t = find(format!("{path}.target"), &pr.target)?;
        let sides = sides_of(pr, &plans[s], &plans[t], s == t);
        connect::check_rule(&pr.rule, sides)
            .map_err(|m| BuildError::new(format!("{path}.rule"), m))?;
        let ch = resolve_channel(&plans[t], pr.receptor.as_deref(), pr.port.as_deref(), &path)?;
        pr.weight
            .validate()
            .map_err(|m| BuildError::new(format!("{path}.weight"), m))?;
        for (what, v) in [("weight", Some(&pr.weight)), ("delay", pr.delay.as_ref())] {
            if let Some(Value::List(_) | Value::Npy(_)) = v {
                return err(
                    format!("{path}.{what}"),
                    "per-synapse lists belong in the explicit rule (`explicit` or `from_npy`)",
                );
            }
        }
        let spatial = matches!(pr.rule, crate::scene::Rule::Distance { .. });
        if spatial || pr.weight_profile.is_some() {
            for (side, k) in [("source", s), ("target", t)] {
                if plans[k].spec.position.is_none() {
                    return err(
                        format!("{path}.{side}"),
                        format!(
                            "population `{}` has no `position`, which a distance-dependent rule or weight needs",
                            plans[k].spec.name
                        ),
                    );
                }
            }
        }
        if let Some(wp) = &pr.weight_profile {
            wp.validate()
                .map_err(|m| BuildError::new(format!("{path}.weight_profile"), m))?;
        }
        if let ChannelRef::Receptor(r) = ch
            && plans[t].spec.receptors[r].kind.is_conductance()
        {
            let (lo, _) = pr.weight.bounds();
            let explicit_neg = matches!(&pr.rule, crate::scene::Rule::Explicit { weights: Some(w), .. } if w.iter().any(|&x| x < 0.0));
            if lo < 0.0 || explicit_neg {
                return err(
                    format!("{path}.weight"),
                    "conductance weights must be >= 0 (use a clipped distribution); inhibition comes from the reversal potential",
                );
            }
        }
        if let crate::scene::Rule::Explicit {
            weights: Some(w),
            delays,
            ..
        } = &pr.rule
        {
            if let Some(k) = w.iter().position(|x| !x.is_finite()) {
                return err(format!("{path}.rule.weights[{k}]"), "must be finite");
            }
            if let Some(d) = delays
                && let Some(k) = d
                    .iter()
                    .position(|&x| !(x.is_finite() && x >= scene.dt * (1.0 - 1e-9)))
            {
                return err(
                    format!("{path}.rule.delays[{k}]"),
                    format!("must be >= dt = {} ms, got {}", scene.dt, d[k]),
                );
            }
        }
        if let Some(d) = &pr.delay {
            d.validate()
                .map_err(|m| BuildError::new(format!("{path}.delay"), m))?;
            let (lo, hi) = d.bounds();
            if lo < scene.dt * (1.0 - 1e-9) {
                return err(
                    format!("{path}.delay"),
                    format!(
                        "delays must be >= dt = {} ms (the network acts one step later at the earliest), got {}",
                        scene.dt,
                        if lo.is_finite() {
                            lo.to_string()
                        } else {
                            "an unbounded distribution".into()
                        }
                    ),
                );
            }
            if hi / scene.dt > u16::MAX as f64 {
                return err(
                    format!("{path}.delay"),
                    format!(
                        "delays above {} ms are not supported",
                        u16::MAX as f64 * scene.dt
                    ),
                );
            }
        }
    }
    for (i, st) in scene.stimuli.iter().enumerate() {
        let path = format!("stimuli[{i}]");
        let t = find(format!("{path}.target.population"), &st.target.population)?;
        check_neurons(
            &st.target,
            plans[t].spec.size,
            &format!("{path}.target.neurons"),
        )?;
        finite(&format!("{path}.start"), st.start)?;
        if st.start < 0.0 {
            return err(format!("{path}.start"), "must be >= 0 ms");
        }
        if let Some(stop) = st.stop
            && (stop.is_nan() || stop < st.start)
        {
            return err(
                format!("{path}.stop"),
                format!("must be >= start ({}), got {stop}", st.start),
            );
        }
        if is_event(&st.kind) {
            resolve_channel(&plans[t], st.receptor.as_deref(), st.port.as_deref(), &path)?;
        } else {
            if st.receptor.is_some() {
                return err(
                    format!("{path}.receptor"),
                    "current stimuli act on a port, not a receptor",
                );
            }
            resolve_port(plans[t].entry, st.port.as_deref(), &format!("{path}.port"))?;
        }
        check_stimulus(&st.kind, scene.dt, &format!("{path}.kind"))?;
    }
    for (i, r) in scene.recorders.iter().enumerate() {
        let path = format!("recorders[{i}]");
        match r {
            RecorderSpec::Spikes { target } => {
                let t = find(format!("{path}.target.population"), &target.population)?;
                check_neurons(
                    target,
                    plans[t].spec.size,
                    &format!("{path}.target.neurons"),
                )?;
            }
            RecorderSpec::State {
                target,
                vars,
                interval,
            } => {
                let t = find(format!("{path}.target.population"), &target.population)?;
                check_neurons(
                    target,
                    plans[t].spec.size,
                    &format!("{path}.target.neurons"),
                )?;
                let e = plans[t].entry;
                for (k, v) in vars.iter().enumerate() {
                    let ok = e.state_names().contains(&v.as_str())
                        || (v == "out" && e.output() == OutputKind::Value);
                    if !ok {
                        return err(
                            format!("{path}.vars[{k}]"),
                            unknown("state variable", v, e.state_names()),
                        );
                    }
                }
                if let Some(dt) = interval
                    && !(dt.is_finite() && *dt >= scene.dt * (1.0 - 1e-9))
                {
                    return err(
                        format!("{path}.interval"),
                        format!("must be >= dt = {} ms, got {dt}", scene.dt),
                    );
                }
            }
            RecorderSpec::Rate { population, bin } => {
                find(format!("{path}.population"), population)?;
                if !(bin.is_finite() && *bin >= scene.dt * (1.0 - 1e-9)) {
                    return err(
                        format!("{path}.bin"),
                        format!("must be >= dt = {} ms, got {bin}", scene.dt),
                    );
                }
            }
        }
    }
    Ok(plans)
}

fn is_event(k: &StimulusKind) -> bool {
    matches!(
        k,
        StimulusKind::Poisson { .. } | StimulusKind::SpikeTimes { .. }
    )
}

fn check_neurons(t: &Target, size: u32, path: &str) -> Result<(), BuildError> {
    if let Some(v) = &t.neurons {
        if let Some(k) = v.iter().position(|&i| i >= size) {
            return err(
                format!("{path}[{k}]"),
                format!(
                    "neuron {} is out of range: the population has {size} (0..{size})",
                    v[k]
                ),
            );
        }
        let mut s = v.clone();
        s.sort_unstable();
        s.dedup();
        if s.len() != v.len() {
            return err(path, "lists a neuron twice");
        }
    }
    Ok(())
}

fn check_stimulus(k: &StimulusKind, dt: f64, path: &str) -> Result<(), BuildError> {
    match k {
        StimulusKind::Dc { amplitude } => finite(&format!("{path}.amplitude"), *amplitude),
        StimulusKind::Steps { times, amplitudes } => {
            if times.len() != amplitudes.len() {
                return err(
                    path,
                    format!("{} times but {} amplitudes", times.len(), amplitudes.len()),
                );
            }
            for (i, (t, a)) in times.iter().zip(amplitudes).enumerate() {
                finite(&format!("{path}.times[{i}]"), *t)?;
                finite(&format!("{path}.amplitudes[{i}]"), *a)?;
                if i > 0 && *t <= times[i - 1] {
                    return err(format!("{path}.times[{i}]"), "times must increase");
                }
            }
            Ok(())
        }
        StimulusKind::Pulses {
            amplitude,
            width,
            period,
        } => {
            finite(&format!("{path}.amplitude"), *amplitude)?;
            if !(width.is_finite() && *width > 0.0) {
                return err(
                    format!("{path}.width"),
                    format!("must be > 0 ms, got {width}"),
                );
            }
            if let Some(p) = period
                && !(p.is_finite() && *p >= *width)
            {
                return err(
                    format!("{path}.period"),
                    format!("must be >= width ({width}), got {p}"),
                );
            }
            Ok(())
        }
        StimulusKind::Sine {
            amplitude,
            frequency,
            phase,
            offset,
        } => {
            finite(&format!("{path}.amplitude"), *amplitude)?;
            finite(&format!("{path}.frequency"), *frequency)?;
            finite(&format!("{path}.phase"), *phase)?;
            finite(&format!("{path}.offset"), *offset)
        }
        StimulusKind::Poisson { rate, weight } => {
            if !(rate.is_finite() && *rate >= 0.0) {
                return err(
                    format!("{path}.rate"),
                    format!("must be >= 0 Hz, got {rate}"),
                );
            }
            finite(&format!("{path}.weight"), *weight)
        }
        StimulusKind::SpikeTimes { times, weight } => {
            for (i, t) in times.iter().enumerate() {
                if !(t.is_finite() && *t >= 0.0) {
                    return err(
                        format!("{path}.times[{i}]"),
                        format!("must be >= 0 ms, got {t}"),
                    );
                }
            }
            let _ = dt;
            finite(&format!("{path}.weight"), *weight)
        }
        StimulusKind::Noise { mean, std, tau } => {
            finite(&format!("{path}.mean"), *mean)?;
            if !(std.is_finite() && *std >= 0.0) {
                return err(format!("{path}.std"), format!("must be >= 0, got {std}"));
            }
            if !(tau.is_finite() && *tau > 0.0) {
                return err(format!("{path}.tau"), format!("must be > 0 ms, got {tau}"));
            }
            Ok(())
        }
        StimulusKind::External { initial } => finite(&format!("{path}.initial"), *initial),
    }
}

fn resolve_port(e: &dyn ModelEntry, port: Option<&str>, path: &str) -> Result<usize, BuildError> {
    match port {
        Some(p) => e.ports().iter().position(|x| *x == p).ok_or_else(|| {
            BuildError::new(
                path,
                format!("{} of {}", unknown("port", p, e.ports()), e.name()),
            )
        }),
        None if e.ports().is_empty() => err(path, format!("{} has no input port", e.name())),
        None => Ok(0),
    }
}

fn resolve_channel(
    plan: &PopPlan,
    receptor: Option<&str>,
    port: Option<&str>,
    path: &str,
) -> Result<ChannelRef, BuildError> {
    let recs: Vec<&str> = plan
        .spec
        .receptors
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    match (receptor, port) {
        (Some(_), Some(_)) => err(path, "name a receptor or a port, not both"),
        (Some(r), None) => recs
            .iter()
            .position(|x| *x == r)
            .map(ChannelRef::Receptor)
            .ok_or_else(|| {
                BuildError::new(
                    format!("{path}.receptor"),
                    format!(
                        "{} of population `{}`",
                        unknown("receptor", r, &recs),
                        plan.spec.name
                    ),
                )
            }),
        (None, Some(p)) => {
            resolve_port(plan.entry, Some(p), &format!("{path}.port")).map(ChannelRef::Port)
        }
        (None, None) if recs.len() == 1 => Ok(ChannelRef::Receptor(0)),
        (None, None) if recs.is_empty() && !plan.entry.ports().is_empty() => {
            Ok(ChannelRef::Port(0))
        }
        (None, None) => err(
            path,
            format!(
                "population `{}` has several receptors ({}); name one with `receptor`",
                plan.spec.name,
                recs.join(", ")
            ),
        ),
    }
}

fn sides_of(pr: &ProjectionSpec, s: &PopPlan, t: &PopPlan, same: bool) -> Sides {
    Sides {
        n_src: s.spec.size,
        n_tgt: t.spec.size,
        same,
        autapses: pr.autapses,
        multapses: pr.multapses,
    }
}

/// Estimated neurons, synapses and bytes of a validated scene.
fn estimate(scene: &Scene, plans: &[PopPlan]) -> NetworkSize {
    let mut size = NetworkSize::default();
    let mut max_delay = vec![1.0f64; plans.len()];
    let mut channels = vec![0usize; plans.len()];
    for (i, p) in plans.iter().enumerate() {
        size.neurons += p.spec.size as u64;
        let nstate = p.entry.state_names().len() + p.entry.ports().len() + 4;
        size.bytes += p.spec.size as f64 * (nstate as f64 * 8.0 + 16.0);
        channels[i] = p.spec.receptors.len();
    }
    for pr in &scene.projections {
        let (Some(s), Some(t)) = (
            plans.iter().position(|p| p.spec.name == pr.source),
            plans.iter().position(|p| p.spec.name == pr.target),
        ) else {
            continue;
        };
        let sides = sides_of(pr, &plans[s], &plans[t], s == t);
        let n = connect::expected_synapses(&pr.rule, sides);
        size.pair_work += connect::pair_work(&pr.rule, sides);
        size.synapses += n;
        let per =
            4.0 + if pr.weight.as_const().is_some() {
                0.0
            } else {
                4.0
            } + if matches!(pr.delay, Some(Value::Dist(_))) {
                2.0
            } else {
                0.0
            };
        // Building also needs a transient copy for fixed_indegree; count the final tables.
        size.bytes += n * per + plans[s].spec.size as f64 * 8.0;
        if let Some(d) = &pr.delay {
            max_delay[t] = max_delay[t].max((d.bounds().1 / scene.dt).round());
        }
        channels[t] += 1;
    }
    for (i, p) in plans.iter().enumerate() {
        size.bytes += p.spec.size as f64 * 8.0 * (max_delay[i] + 1.0) * channels[i].max(1) as f64;
    }
    size
}

fn build(scene: &Scene, plans: &[PopPlan]) -> Result<Simulation, BuildError> {
    let dt = scene.dt;
    let seed = scene.seed;
    let mut world = World::new();
    world.insert_resource(Clock {
        step: 0,
        dt,
        seed,
        threads: scene.threads,
        par_min: crate::world::integrate::PAR_MIN_NEURONS,
    });
    if scene.threads > 1 {
        // The compute pool is process-wide: the first simulation that asks for threads sizes it.
        ComputeTaskPool::get_or_init(|| TaskPoolBuilder::new().num_threads(scene.threads).build());
    }
    // Populations.
    let mut pops = Populations::default();
    let mut readers = Vec::new();
    let mut writers: Vec<WriteFn> = Vec::new();
    let mut models: Vec<&dyn ModelEntry> = Vec::new();
    let positions: Vec<Option<Vec<glam::Vec3>>> = plans
        .iter()
        .map(|p| {
            p.spec
                .position
                .as_ref()
                .map(|pl| place(pl, p.spec.size, &p.spec.name, seed))
        })
        .collect();
    for (i, plan) in plans.iter().enumerate() {
        let receptor_names: Vec<&str> = plan
            .spec
            .receptors
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        let req = SpawnRequest {
            pop: i,
            name: &plan.spec.name,
            start: plan.start,
            size: plan.spec.size,
            params: &plan.spec.params,
            init: &plan.spec.init,
            positions: positions[i].as_deref(),
            receptors: &receptor_names,
            dt,
            seed,
            path: &format!("populations[{i}]"),
        };
        let info = plan.entry.spawn(&mut world, &req)?;
        pops.list.push(info);
        readers.push(plan.entry.reader());
        if !models.iter().any(|m| m.name() == plan.entry.name()) {
            models.push(plan.entry);
        }
        writers.push(plan.entry.writer());
    }
    // Inputs and channels (receptors first, port channels appended on demand).
    let inputs = Inputs::default();
    let mut syn = Synapses::default();
    for plan in plans {
        let n = plan.spec.size as usize;
        let mut ps = PopSynapses {
            n,
            slots: 1,
            channels: Vec::new(),
            bias: vec![0.0; plan.entry.ports().len()],
        };
        for r in &plan.spec.receptors {
            let port = r
                .port
                .as_deref()
                .and_then(|p| plan.entry.ports().iter().position(|x| *x == p))
                .unwrap_or(0);
            let kind = match &r.kind {
                ReceptorKind::Delta => ChannelKind::Delta,
                k => {
                    let mut rs = ReceptorState::new(k.clone(), port, n, dt);
                    if let Some(v) = plan.spec.init.get(&r.name) {
                        let stream = stream_of(&format!("{}/init/{}", plan.spec.name, r.name));
                        for (i, x) in rs.s.iter_mut().enumerate() {
                            let mut rng = NeuronRng::new(seed, stream, plan.start + i as u32, 0);
                            *x = v.at(i, &mut rng);
                        }
                    }
                    ChannelKind::Receptor(rs)
                }
            };
            ps.channels.push(Channel {
                name: r.name.clone(),
                kind,
                ring: Vec::new(),
            });
        }
        syn.pops.push(ps);
    }
    let channel_of = |syn: &mut Synapses, t: usize, c: &ChannelRef| -> usize {
        match c {
            ChannelRef::Receptor(r) => *r,
            ChannelRef::Port(p) => {
                let ps = &mut syn.pops[t];
                if let Some(i) = ps
                    .channels
                    .iter()
                    .position(|ch| matches!(ch.kind, ChannelKind::Port { port } if port == *p))
                {
                    return i;
                }
                ps.channels.push(Channel {
                    name: format!("port:{}", plans[t].entry.ports()[*p]),
                    kind: ChannelKind::Port { port: *p },
                    ring: Vec::new(),
                });
                ps.channels.len() - 1
            }
        }
    };
    // Projections.
    syn.by_source = vec![Vec::new(); plans.len()];
    let mut n_synapses = 0;
    let mut synapse_bytes = 0;
    for (i, pr) in scene.projections.iter().enumerate() {
        let path = format!("projections[{i}]");
        let s = plans
            .iter()
            .position(|p| p.spec.name == pr.source)
            .unwrap_or(0);
        let t = plans
            .iter()
            .position(|p| p.spec.name == pr.target)
            .unwrap_or(0);
        let cref = resolve_channel(&plans[t], pr.receptor.as_deref(), pr.port.as_deref(), &path)?;
        let channel = channel_of(&mut syn, t, &cref);
        let name = pr
            .name
            .clone()
            .unwrap_or_else(|| format!("{}->{}#{i}", pr.source, pr.target));
        let stream = stream_of(&format!("projection/{name}"));
        let sides = sides_of(pr, &plans[s], &plans[t], s == t);
        let pos = match (&positions[s], &positions[t]) {
            (Some(a), Some(b)) => Some((&a[..], &b[..])),
            _ => None,
        };
        let csr = connect::build(&pr.rule, sides, seed, stream, pos);
        let mut weights = connect::draw_weights(&csr, &pr.weight, seed, stream);
        if let (Some(wp), Some((a, b))) = (&pr.weight_profile, pos) {
            // Scale each synapse's weight by the profile of its distance.
            let periodic = match &pr.rule {
                crate::scene::Rule::Distance { periodic, .. } => *periodic,
                _ => None,
            };
            let mut w: Vec<f32> = match weights {
                Weights::Const(c) => vec![c as f32; csr.targets.len()],
                Weights::PerSynapse(v) => v,
            };
            for (r, &pa) in a.iter().enumerate().take(csr.row_ptr.len() - 1) {
                for k in csr.row_ptr[r]..csr.row_ptr[r + 1] {
                    let d = connect::distance(pa, b[csr.targets[k] as usize], periodic);
                    w[k] = (w[k] as f64 * wp.at(d)) as f32;
                }
            }
            weights = Weights::PerSynapse(w);
        }
        if let ChannelRef::Receptor(r) = cref
            && plans[t].spec.receptors[r].kind.is_conductance()
            && let Weights::PerSynapse(w) = &weights
            && w.iter().any(|&x| x < 0.0)
        {
            return err(
                format!("{path}.weight"),
                "drew a negative conductance weight",
            );
        }
        let delays = connect::draw_delays(&csr, pr.delay.as_ref(), dt, seed, stream);
        let proj = Projection {
            name,
            src: s,
            tgt: t,
            channel,
            row_ptr: csr.row_ptr,
            targets: csr.targets,
            weights,
            delays,
        };
        let md = proj.max_delay() as usize;
        syn.pops[t].slots = syn.pops[t].slots.max(md + 1);
        n_synapses += proj.len();
        synapse_bytes += proj.bytes();
        syn.by_source[s].push(syn.projections.len());
        syn.projections.push(proj);
    }
    // Stimuli.
    let mut stims = Stimuli::default();
    for (i, st) in scene.stimuli.iter().enumerate() {
        let path = format!("stimuli[{i}]");
        let t = plans
            .iter()
            .position(|p| p.spec.name == st.target.population)
            .unwrap_or(0);
        let n = plans[t].spec.size;
        let neurons: Vec<u32> = st
            .target
            .neurons
            .clone()
            .unwrap_or_else(|| (0..n).collect());
        let name = st.name.clone().unwrap_or_else(|| format!("stimulus#{i}"));
        let stream = stream_of(&format!("stimulus/{name}"));
        let target = if is_event(&st.kind) {
            let c = resolve_channel(&plans[t], st.receptor.as_deref(), st.port.as_deref(), &path)?;
            StimTarget::Channel(channel_of(&mut syn, t, &c))
        } else {
            let p = resolve_port(plans[t].entry, st.port.as_deref(), &path)?;
            StimTarget::Channel(channel_of(&mut syn, t, &ChannelRef::Port(p)))
        };
        let to_step = |ms: f64| (ms / dt - 1e-9).ceil().max(0.0) as u64;
        let kind = match &st.kind {
            StimulusKind::Dc { amplitude } => StimRt::Dc(*amplitude),
            StimulusKind::Steps { times, amplitudes } => StimRt::Steps {
                steps: times.iter().map(|&t| to_step(t)).collect(),
                amps: amplitudes.clone(),
            },
            StimulusKind::Pulses {
                amplitude,
                width,
                period,
            } => StimRt::Pulses {
                amp: *amplitude,
                width: *width,
                period: *period,
            },
            StimulusKind::Sine {
                amplitude,
                frequency,
                phase,
                offset,
            } => StimRt::Sine {
                amp: *amplitude,
                omega: std::f64::consts::TAU * frequency / 1000.0,
                phase: *phase,
                offset: *offset,
            },
            StimulusKind::Poisson { rate, weight } => {
                let lambda = rate * dt / 1000.0;
                // A CDF table makes each draw one uniform and a short search.
                let mut cdf = Vec::new();
                if lambda > 0.0 && lambda < 50.0 {
                    let (mut p, mut c) = ((-lambda).exp(), 0.0);
                    let mut k = 0.0;
                    while c < 1.0 - 1e-16 && cdf.len() < 512 {
                        c += p;
                        cdf.push(c);
                        k += 1.0;
                        p *= lambda / k;
                    }
                }
                StimRt::Poisson {
                    lambda,
                    weight: *weight,
                    cdf,
                }
            }
            StimulusKind::SpikeTimes { times, weight } => {
                let mut steps: Vec<u64> = times.iter().map(|&t| (t / dt).round() as u64).collect();
                steps.sort_unstable();
                StimRt::SpikeTimes {
                    steps,
                    weight: *weight,
                }
            }
            StimulusKind::Noise { mean, std, tau } => {
                // Start in the stationary distribution.
                let x = neurons
                    .iter()
                    .map(|&k| {
                        let mut r = NeuronRng::new(seed, stream ^ 0x1, plans[t].start + k, 0);
                        mean + std * r.normal()
                    })
                    .collect();
                StimRt::Noise {
                    mean: *mean,
                    std: *std,
                    decay: (-dt / tau).exp(),
                    x,
                }
            }
            StimulusKind::External { initial } => StimRt::External(vec![*initial; neurons.len()]),
        };
        stims.list.push(StimulusRt {
            name,
            pop: t,
            neurons,
            target,
            kind,
            start: to_step(st.start),
            stop: st.stop.map_or(u64::MAX, to_step),
            stream,
            id0: plans[t].start,
        });
    }
    // Rings: slots × n per channel.
    for ps in &mut syn.pops {
        for ch in &mut ps.channels {
            ch.ring = vec![0.0; ps.slots * ps.n];
        }
    }
    // Recorders.
    let mut rec = Recorders::default();
    for r in &scene.recorders {
        match r {
            RecorderSpec::Spikes { target } => {
                let p = pops.index_of(&target.population).unwrap_or(0);
                let filter = target.neurons.as_ref().map(|v| {
                    let mut f = vec![false; plans[p].spec.size as usize];
                    for &i in v {
                        f[i as usize] = true;
                    }
                    f
                });
                rec.spikes.push(SpikeRecord {
                    pop: p,
                    filter,
                    dt,
                    ..Default::default()
                });
            }
            RecorderSpec::State {
                target,
                vars,
                interval,
            } => {
                let p = pops.index_of(&target.population).unwrap_or(0);
                let names = plans[p].entry.state_names();
                let var_idx = vars
                    .iter()
                    .map(|v| names.iter().position(|n| n == v).unwrap_or(usize::MAX))
                    .collect();
                let every = interval.map_or(1, |i| ((i / dt).round() as u64).max(1));
                rec.states.push(StateRecord {
                    pop: p,
                    vars: vars.clone(),
                    var_idx,
                    neurons: target
                        .neurons
                        .clone()
                        .unwrap_or_else(|| (0..plans[p].spec.size).collect()),
                    every,
                    times: Vec::new(),
                    data: Vec::new(),
                    reader: plans[p].entry.reader(),
                });
            }
            RecorderSpec::Rate { population, bin } => {
                let p = pops.index_of(population).unwrap_or(0);
                rec.rates.push(RateRecord {
                    pop: p,
                    size: plans[p].spec.size,
                    bin_steps: ((bin / dt).round() as u64).max(1),
                    dt,
                    count: 0,
                    filled: 0,
                    rates: Vec::new(),
                });
            }
        }
    }
    let values = StepValues {
        pops: pops
            .list
            .iter()
            .map(|p| {
                if p.output == OutputKind::Value {
                    vec![0.0; p.len as usize]
                } else {
                    Vec::new()
                }
            })
            .collect(),
    };
    for (info, p) in pops.list.iter_mut().zip(positions) {
        info.positions = p;
    }
    world.insert_resource(pops);
    world.insert_resource(inputs);
    world.insert_resource(syn);
    world.insert_resource(stims);
    world.insert_resource(rec);
    world.insert_resource(values);
    world.insert_resource(StepSpikes::default());
    let schedule = build_schedule(&models);
    let kernels = crate::schedule::build_kernel_schedule(&models);
    Ok(Simulation {
        world,
        schedule,
        kernels,
        readers,
        writers,
        duration: scene.duration,
        n_synapses,
        synapse_bytes,
    })
}
