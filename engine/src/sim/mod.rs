//! `Simulation`: the headless owner of a network — a World and its step schedule — built from a
//! scene value (or the builder); `step()`, `run(ms)`, write external inputs, read spikes and
//! state; usable from a host loop.
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
//! The same network can live in a caller's World instead ([`spawn_network`],
//! [`add_step_systems`], [`step_schedule`]; the Bevy plugin does this): `Simulation` is built by
//! exactly those functions, and its accessors are those of [`Network`] and [`NetworkMut`].
//!
//! What happens to a scene, by file: `plan.rs` checks it (scene → checked plan; nothing is
//! built before everything is checked, and errors carry the path of the offending item,
//! `populations[2].params.tau_m`), [`size`] estimates and refuses networks too large, `build.rs`
//! turns the plan into entities and resources, [`network`] reads and writes the result.

pub(crate) mod build;
pub mod checkpoint;
pub mod network;
pub(crate) mod plan;
pub mod size;
pub mod stability;

use bevy_ecs::prelude::*;

pub use checkpoint::{
    CHECKPOINT_VERSION, CheckpointError, load_network, save_network, save_network_with,
};
pub use network::{Network, NetworkInfo, NetworkMut, PopulationStats, StateWriter};
pub use plan::{MAX_STEPS, MIN_DT};
pub use size::{BuildOptions, MAX_PAIR_WORK, NetworkSize, memory_limit};
pub use stability::stability_warnings;

use crate::error::BuildError;
use crate::model::StateMap;
use crate::record::Recorders;
use crate::registry::Registry;
use crate::scene::{PopulationSpec, ProjectionSpec, RecorderSpec, Scene, StimulusSpec};
use crate::world::PopulationInfo;
pub use crate::world::watchdog::{Fault, NanPolicy, Watchdog};

/// Validate `scene` and spawn its network into `world` (one network per World): neurons as
/// entities, and the network's resources. Add its step with [`add_step_systems`] or
/// [`step_schedule`]. A network too large for the memory available is refused first.
pub fn spawn_network(
    world: &mut World,
    scene: &Scene,
    registry: &Registry,
) -> Result<(), BuildError> {
    spawn_network_with(world, scene, registry, &BuildOptions::default())
}

/// [`spawn_network`] with explicit options.
pub fn spawn_network_with(
    world: &mut World,
    scene: &Scene,
    registry: &Registry,
    opts: &BuildOptions,
) -> Result<(), BuildError> {
    if world.contains_resource::<NetworkInfo>() {
        return plan::err("world", "already holds a network (one network per World)");
    }
    let plan = plan::validate(scene, registry)?;
    size::refuse_oversize(&size::estimate(&plan), opts)?;
    build::build_into(world, &plan)
}

/// Validate a scene and return its size, without building it.
pub fn check_scene(
    scene: &Scene,
    registry: &Registry,
    opts: &BuildOptions,
) -> Result<NetworkSize, BuildError> {
    let plan = plan::validate(scene, registry)?;
    let size = size::estimate(&plan);
    size::refuse_oversize(&size, opts)?;
    Ok(size)
}

/// Add the systems of one network step (the chained [`StepSet`](crate::schedule::StepSet)s) of
/// the network in `world` to `schedule`: each run of the schedule advances the network by one
/// step. Does nothing if `world` holds no network.
pub fn add_step_systems(world: &World, schedule: &mut Schedule) {
    if let Some(info) = world.get_resource::<NetworkInfo>() {
        crate::schedule::add_step_systems(schedule, &info.systems, &info.recorders);
    }
}

/// A schedule (label [`Step`](crate::schedule::Step), single-threaded executor: parallelism
/// lives inside the heavy systems) whose every run advances the network in `world` one step.
pub fn step_schedule(world: &World) -> Schedule {
    match world.get_resource::<NetworkInfo>() {
        Some(i) => crate::schedule::build_schedule(&i.systems, &i.recorders),
        None => crate::schedule::build_schedule(&[], &[]),
    }
}

/// A running network: a World holding it and its step schedule.
pub struct Simulation {
    world: World,
    schedule: Schedule,
    kernels: Schedule,
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
        check_scene(scene, registry, &BuildOptions::default())
    }

    /// [`Simulation::check`] with explicit options (e.g. a memory limit).
    pub fn check_with(
        scene: &Scene,
        registry: &Registry,
        opts: &BuildOptions,
    ) -> Result<NetworkSize, BuildError> {
        check_scene(scene, registry, opts)
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
        let mut world = World::new();
        spawn_network_with(&mut world, scene, registry, opts)?;
        let schedule = step_schedule(&world);
        let kernels =
            crate::schedule::build_kernel_schedule(&world.resource::<NetworkInfo>().systems);
        Ok(Self {
            world,
            schedule,
            kernels,
        })
    }

    fn net(&self) -> Network<'_> {
        Network { world: &self.world }
    }

    fn net_mut(&mut self) -> NetworkMut<'_> {
        NetworkMut {
            world: &mut self.world,
        }
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

    /// Advance by `ms` milliseconds (rounded to whole steps). Stops early if the watchdog finds
    /// a non-finite state under [`NanPolicy::Stop`] (see [`Simulation::try_run`],
    /// [`Simulation::fault`]).
    pub fn run(&mut self, ms: f64) {
        let _ = self.try_run(ms);
    }

    /// Advance by `ms` milliseconds (rounded to whole steps); under [`NanPolicy::Stop`] (the
    /// default) stop at the first check that finds a non-finite state and return it. Everything
    /// recorded until then stays readable.
    pub fn try_run(&mut self, ms: f64) -> Result<(), Fault> {
        let n = (ms / self.dt()).round().max(0.0) as u64;
        let every = self.world.resource::<Watchdog>().every;
        for k in 0..n {
            self.step();
            if (k + 1 == n || self.steps().is_multiple_of(every))
                && let Some(f) = self.fault()
                && self.world.resource::<Watchdog>().policy == NanPolicy::Stop
            {
                return Err(f.clone());
            }
        }
        Ok(())
    }

    /// The first non-finite state the watchdog found, if any.
    pub fn fault(&self) -> Option<&Fault> {
        self.net().fault()
    }

    /// What [`Simulation::try_run`] does when the state becomes non-finite (default: stop).
    pub fn set_nan_policy(&mut self, policy: NanPolicy) {
        self.net_mut().set_nan_policy(policy)
    }

    /// Check the state every `ms` of biological time (default 10 ms).
    pub fn set_watchdog_interval(&mut self, ms: f64) -> Result<(), BuildError> {
        self.net_mut().set_watchdog_interval(ms)
    }

    /// Run the scene's `duration`.
    pub fn run_scene(&mut self) {
        self.run(self.duration());
    }

    /// Set a constant added to input port `port` of every neuron of `pop` on every step (a
    /// bias, like NEST's `I_e`), on top of stimuli and synaptic input. Costs nothing per step.
    pub fn set_port(&mut self, pop: &str, port: &str, x: f64) -> Result<(), BuildError> {
        self.net_mut().set_port(pop, port, x)
    }

    /// The scene's duration, ms.
    pub fn duration(&self) -> f64 {
        self.net().duration()
    }

    /// Step length, ms.
    pub fn dt(&self) -> f64 {
        self.net().dt()
    }

    /// Steps taken.
    pub fn steps(&self) -> u64 {
        self.net().steps()
    }

    /// Current time, ms.
    pub fn time(&self) -> f64 {
        self.net().time()
    }

    /// Write everything the network has changed so far to the checkpoint directory `dir`
    /// (replaced atomically if it exists): see [`checkpoint`]. [`Simulation::load`] continues
    /// from it bit-identically.
    pub fn save(&self, dir: &std::path::Path) -> Result<(), CheckpointError> {
        save_network(&self.world, dir)
    }

    /// [`Simulation::save`] with extra files of the caller's saved atomically with it.
    pub fn save_with(
        &self,
        dir: &std::path::Path,
        extra: &[(&str, &[u8])],
    ) -> Result<(), CheckpointError> {
        save_network_with(&self.world, dir, extra)
    }

    /// Build `scene` and restore the checkpoint `dir` that a simulation of the same scene wrote
    /// (the scene's `threads` and `duration` may differ). A checkpoint of another scene, or of
    /// another format version, is refused with the reason.
    pub fn load(
        scene: &Scene,
        registry: &Registry,
        dir: &std::path::Path,
    ) -> Result<Self, CheckpointError> {
        let mut sim = Self::from_scene(scene, registry).map_err(|e| CheckpointError {
            path: dir.to_path_buf(),
            message: format!("the scene does not build: {e}"),
        })?;
        load_network(&mut sim.world, scene, dir)?;
        Ok(sim)
    }

    /// Ids of the neurons that spiked in the last step, ascending.
    pub fn spikes(&self) -> &[u32] {
        self.net().spikes()
    }

    /// Signs of the last step's events (parallel to [`Simulation::spikes`]).
    pub fn spike_signs(&self) -> &[i8] {
        self.net().spike_signs()
    }

    /// The populations.
    pub fn populations(&self) -> &[PopulationInfo] {
        self.net().populations()
    }

    /// A population by name.
    pub fn population(&self, name: &str) -> Option<&PopulationInfo> {
        self.net().population(name)
    }

    /// Last values emitted by a value-output population (empty for spiking ones).
    pub fn values(&self, pop: &str) -> Option<&[f64]> {
        self.net().values(pop)
    }

    /// Copy each step's inputs (ports, conductances, jumps) of every neuron where
    /// [`Simulation::port_values`] and friends can read them. For inspection and tests: it
    /// forces the serial path and costs a copy per input.
    pub fn probe_inputs(&mut self, on: bool) {
        self.net_mut().probe_inputs(on)
    }

    /// The values input port `port` of population `pop` held during the last step (stimuli and
    /// receptors summed), by local index — while [`Simulation::probe_inputs`] is on.
    pub fn port_values(&self, pop: &str, port: &str) -> Option<&[f64]> {
        self.net().port_values(pop, port)
    }

    /// The conductance input (Σg, Σg·E) of population `pop` during the last step, if it has
    /// conductance receptors.
    pub fn conductance_input(&self, pop: &str) -> Option<(&[f64], &[f64])> {
        self.net().conductance_input(pop)
    }

    /// The membrane jumps (delta receptors) population `pop` received in the last step.
    pub fn jump_input(&self, pop: &str) -> Option<&[f64]> {
        self.net().jump_input(pop)
    }

    /// The recorders and what they hold so far.
    pub fn recorders(&self) -> &Recorders {
        self.net().recorders()
    }

    /// Keep spike statistics of every population (counts, interspike-interval moments per
    /// neuron) from now on; read them with [`Simulation::population_stats`].
    pub fn enable_stats(&mut self) {
        self.net_mut().enable_stats()
    }

    /// Per population: name, neurons, spikes, mean rate in Hz over the time run, mean CV of
    /// the interspike intervals of neurons with at least 3 intervals. Needs
    /// [`Simulation::enable_stats`] before running.
    pub fn population_stats(&self) -> Vec<PopulationStats> {
        self.net().population_stats()
    }

    /// Synaptic events delivered so far (one per spike per outgoing synapse).
    pub fn synaptic_events(&self) -> u64 {
        self.net().synaptic_events()
    }

    /// The recorders, mutably (to drain what they hold while running).
    pub fn recorders_mut(&mut self) -> bevy_ecs::world::Mut<'_, Recorders> {
        self.world.resource_mut::<Recorders>()
    }

    /// Number of synapses.
    pub fn synapse_count(&self) -> usize {
        self.net().synapse_count()
    }

    /// Bytes used by synapse tables (targets, per-synapse weights and delays, row starts).
    pub fn synapse_bytes(&self) -> usize {
        self.net().synapse_bytes()
    }

    /// The synapses of projection `name` as (source, target) local indices, in the
    /// projection's storage order (by source); `None` if no projection has that name.
    pub fn connections(&self, name: &str) -> Option<Vec<(u32, u32)>> {
        let syn = self.world.resource::<crate::synapse::Synapses>();
        let p = syn.projections.iter().find(|p| p.name == name)?;
        Some(
            (0..p.row_ptr.len() - 1)
                .flat_map(|r| (p.row_ptr[r]..p.row_ptr[r + 1]).map(move |k| (r as u32, k)))
                .map(|(r, k)| (r, p.targets[k]))
                .collect(),
        )
    }

    /// The current weights of projection `name`, in the order of
    /// [`connections`](Self::connections) (plastic weights as they stand now); `None` if no
    /// projection has that name.
    pub fn weights(&self, name: &str) -> Option<Vec<f64>> {
        let syn = self.world.resource::<crate::synapse::Synapses>();
        let p = syn.projections.iter().find(|p| p.name == name)?;
        Some(p.current_weights(self.steps()))
    }

    /// The state of neuron `id`.
    pub fn state(&self, id: u32) -> Option<StateMap> {
        self.net().state(id)
    }

    /// Set state variable `var` of neuron `id`.
    pub fn set_state(&mut self, id: u32, var: &str, x: f64) -> Result<(), BuildError> {
        self.net_mut().set_state(id, var, x)
    }

    /// State variable `var` of every neuron of population `pop`, in id order.
    pub fn state_column(&self, pop: &str, var: &str) -> Result<Vec<f64>, BuildError> {
        self.net().state_column(pop, var)
    }

    /// Set state variable `var` of every neuron of `pop` (one value per neuron, or one for all).
    pub fn set_state_column(
        &mut self,
        pop: &str,
        var: &str,
        values: &[f64],
    ) -> Result<(), BuildError> {
        self.net_mut().set_state_column(pop, var, values)
    }

    /// Write the values of an external input stimulus (one per target neuron, or one for all).
    pub fn set_external(&mut self, stimulus: &str, values: &[f64]) -> Result<(), BuildError> {
        self.net_mut().set_external(stimulus, values)
    }

    /// Fewest neurons of one model for which a step runs in parallel chunks (default
    /// [`PAR_MIN_NEURONS`](crate::world::integrate::PAR_MIN_NEURONS)); lower it to exercise the
    /// parallel path on small networks (results do not depend on it).
    pub fn set_parallel_min(&mut self, n: usize) {
        self.net_mut().set_parallel_min(n)
    }

    /// Threads the heavy systems use.
    pub fn threads(&self) -> usize {
        self.net().threads()
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
