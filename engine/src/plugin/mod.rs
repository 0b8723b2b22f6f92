//! `NeurocorePlugin`: a network inside a Bevy `App` (feature `bevy`).
//!
//! The plugin spawns the scene's network into the app's World ([`spawn_network`]), stores its
//! step schedule there (label [`Step`]) and, on `FixedUpdate` by default, runs it as many whole
//! steps as the game time that passed calls for ([`StepClock`]: network time is exactly
//! `floor(game time / dt) · dt`, with no drift, however irregular the frames).
//!
//! ```ignore
//! App::new()
//!     .add_plugins((TaskPoolPlugin::default(), TimePlugin))
//!     .add_plugins(NeurocorePlugin::from_file("scenes/brain.ron".as_ref(), registry())?)
//!     .add_systems(FixedUpdate, (
//!         sense.in_set(NeurocoreSet::Inputs),   // writes NetworkInputs
//!         act.in_set(NeurocoreSet::Outputs),    // reads NetworkOutputs / NetworkSpike messages
//!     ));
//! ```
//!
//! ## In and out
//! - **In**: host systems write [`NetworkInputs`] (values of the scene's `External` stimuli, and
//!   port biases) in [`NeurocoreSet::Inputs`] (or anywhere before [`NeurocoreSet::Step`]);
//!   writes are checked when made and applied right before the frame's network steps. A value
//!   holds until it is written again.
//! - **Out**: every spike of every network step is a [`NetworkSpike`] message (neuron id and
//!   step number; can be turned off); [`NetworkOutputs`] holds, for the last run of the step
//!   system, the spikes per population, the rate they mean, the last values of value-output
//!   populations and the network's clock.
//!
//! ## One run of the step system
//! In [`NeurocoreSet::Step`] (sets chained `Inputs → Step → Outputs` in the plugin's schedule),
//! an exclusive system: applies the inputs; adds the schedule's `Time::delta()` (the fixed
//! timestep on `FixedUpdate`, the virtual frame time on `Update`) to the [`StepClock`]; runs
//! [`Step`] that many times, collecting each step's spikes; copies value outputs.
//!
//! ## When the game hitches
//! At most [`NeurocorePlugin::max_steps_per_run`] steps are taken per run (default: 250 ms of
//! network time, Bevy's own cap on a frame's virtual time), so a long frame never becomes a
//! longer one. Steps beyond the cap are kept as a backlog and taken in later runs
//! ([`LagPolicy::CatchUp`], default) or dropped and counted ([`LagPolicy::Skip`]); either way
//! every run that hits the cap writes a [`NetworkLag`] message, and [`NetworkOutputs`] shows the
//! backlog and the dropped steps.
//!
//! ## Threads
//! A scene with `threads > 1` splits its heavy systems into `4 · threads` parts run on
//! `bevy_tasks`' `ComputeTaskPool`, which is process-wide: in an app the pool is the one Bevy's
//! `TaskPoolPlugin` made (add it before this plugin, as `DefaultPlugins`/`MinimalPlugins` do),
//! shared with the host's own parallel systems. Results do not depend on the thread count.
//!
//! ## Bevy's first frame
//! Bevy's clock starts on the app's first update (its `delta` is zero), so game time, and with it
//! network time, counts from there.

mod clock;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bevy_app::{App, FixedUpdate, Plugin};
use bevy_ecs::intern::Interned;
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::ScheduleLabel;
use bevy_time::Time;

pub use clock::{LagPolicy, StepClock, StepLength};

use crate::error::{BuildError, unknown};
use crate::model::OutputKind;
use crate::registry::Registry;
use crate::scene::load::{LoadedScene, SceneError, load};
use crate::scene::{Scene, StimulusKind};
use crate::schedule::Step;
use crate::sim::{
    Fault, NanPolicy, Network, NetworkMut, Simulation, Watchdog, spawn_network, step_schedule,
};

/// The plugin's system sets, chained in this order in the plugin's schedule.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NeurocoreSet {
    /// Host systems write [`NetworkInputs`] here.
    Inputs,
    /// The network steps (one exclusive system).
    Step,
    /// Host systems read [`NetworkOutputs`] and [`NetworkSpike`] messages here.
    Outputs,
}

/// One spike (or signed event) of one network step.
#[derive(Message, Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkSpike {
    /// Neuron id.
    pub neuron: u32,
    /// The step it happened in (0 = the first step; its time is `step · dt`).
    pub step: u64,
    /// +1 for a spike, ±1 for a signed event.
    pub sign: i8,
}

/// A run of the step system hit [`NeurocorePlugin::max_steps_per_run`].
#[derive(Message, Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkLag {
    /// Steps due and not yet taken after this run (the backlog, [`LagPolicy::CatchUp`]).
    pub behind: u64,
    /// Steps dropped so far ([`LagPolicy::Skip`]).
    pub skipped: u64,
}

/// The network in a Bevy app.
#[derive(Clone)]
pub struct NeurocorePlugin {
    scene: Scene,
    /// The scene file, when the scene came from one (to locate a build error in it).
    file: Option<Arc<LoadedScene>>,
    registry: Arc<Registry>,
    schedule: Interned<dyn ScheduleLabel>,
    max_steps: Option<u64>,
    policy: LagPolicy,
    spike_messages: bool,
}

impl NeurocorePlugin {
    /// A plugin running `scene`, whose models come from `registry` (e.g.
    /// `neurocore_models::registry()`). The scene is validated here, so that building the app
    /// cannot fail on it.
    pub fn new(scene: Scene, registry: impl Into<Arc<Registry>>) -> Result<Self, BuildError> {
        let registry = registry.into();
        Simulation::check(&scene, &registry)?;
        Ok(Self {
            scene,
            file: None,
            registry,
            schedule: FixedUpdate.intern(),
            max_steps: None,
            policy: LagPolicy::default(),
            spike_messages: true,
        })
    }

    /// A plugin running the scene file at `path`: read, parsed and validated here; errors say
    /// `file:line:column: what is wrong`.
    pub fn from_file(path: &Path, registry: impl Into<Arc<Registry>>) -> Result<Self, SceneError> {
        let loaded = load(path)?;
        let registry = registry.into();
        loaded.check(&registry)?;
        Ok(Self {
            scene: loaded.scene.clone(),
            file: Some(Arc::new(loaded)),
            registry,
            schedule: FixedUpdate.intern(),
            max_steps: None,
            policy: LagPolicy::default(),
            spike_messages: true,
        })
    }

    /// Run the network in `schedule` instead of `FixedUpdate` (e.g. `Update`: one run per frame,
    /// on virtual time).
    pub fn in_schedule(mut self, schedule: impl ScheduleLabel) -> Self {
        self.schedule = schedule.intern();
        self
    }

    /// Most network steps per run of the step system (default: 250 ms of network time).
    pub fn max_steps_per_run(mut self, n: u64) -> Self {
        self.max_steps = Some(n.max(1));
        self
    }

    /// What happens to steps beyond the cap (default [`LagPolicy::CatchUp`]).
    pub fn lag_policy(mut self, policy: LagPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Write a [`NetworkSpike`] message per spike (default on; a host that reads only the
    /// per-population counts of [`NetworkOutputs`] can save the messages).
    pub fn spike_messages(mut self, on: bool) -> Self {
        self.spike_messages = on;
        self
    }

    /// The scene.
    pub fn scene(&self) -> &Scene {
        &self.scene
    }
}

impl Plugin for NeurocorePlugin {
    /// Spawns the network. Panics only if the World already holds a network or the scene,
    /// checked when the plugin was made, no longer builds (e.g. memory ran short since).
    fn build(&self, app: &mut App) {
        let world = app.world_mut();
        if let Err(e) = spawn_network(world, &self.scene, &self.registry) {
            match &self.file {
                Some(f) => panic!(
                    "NeurocorePlugin: the network could not be built: {}",
                    f.locate(&e)
                ),
                None => panic!("NeurocorePlugin: the network could not be built: {e}"),
            }
        }
        let schedule = step_schedule(world);
        let (inputs, outputs, dt) = {
            let Some(net) = Network::of(world) else {
                panic!("NeurocorePlugin: the network was spawned but cannot be read");
            };
            (
                NetworkInputs::new(&self.scene, &net),
                NetworkOutputs::new(&net),
                net.dt(),
            )
        };
        let Some(step) = StepLength::from_ms(dt) else {
            panic!("NeurocorePlugin: dt = {dt} ms is not a usable step");
        };
        // 250 ms of network time: Bevy's default cap on one frame's virtual time.
        let cap = self
            .max_steps
            .unwrap_or_else(|| step.steps_in(Duration::from_millis(250)).max(1));
        app.add_schedule(schedule)
            .insert_resource(inputs)
            .insert_resource(outputs)
            .insert_resource(NetworkStepper {
                clock: StepClock::new(step, cap, self.policy),
                spike_messages: self.spike_messages,
            })
            .add_message::<NetworkSpike>()
            .add_message::<NetworkLag>()
            .configure_sets(
                self.schedule,
                (
                    NeurocoreSet::Inputs,
                    NeurocoreSet::Step,
                    NeurocoreSet::Outputs,
                )
                    .chain(),
            )
            .add_systems(self.schedule, step_network.in_set(NeurocoreSet::Step));
    }

    /// Checks that the app keeps time (`bevy_time::TimePlugin`, part of `MinimalPlugins`):
    /// without it the network would never step.
    fn finish(&self, app: &mut App) {
        if !app.world().contains_resource::<Time>() {
            panic!("NeurocorePlugin needs bevy_time's TimePlugin (or MinimalPlugins) in the app");
        }
    }
}

/// The plugin's clock and options.
#[derive(Resource, Debug)]
pub struct NetworkStepper {
    /// Game time → network steps.
    pub clock: StepClock,
    /// Whether spikes are written as [`NetworkSpike`] messages.
    pub spike_messages: bool,
}

/// One external input the host can write.
#[derive(Clone, Debug)]
struct External {
    name: String,
    values: Vec<f64>,
    dirty: bool,
}

/// Host → network: values of the scene's `External` stimuli and port biases, applied before the
/// network steps. Every write is checked when it is made.
#[derive(Resource, Clone, Debug)]
pub struct NetworkInputs {
    externals: Vec<External>,
    /// (population, port names) of every population.
    ports: Vec<(String, &'static [&'static str])>,
    /// Port biases written and not yet applied: (population index, port index, value).
    pending_ports: Vec<(usize, usize, f64)>,
}

impl NetworkInputs {
    fn new(scene: &Scene, net: &Network) -> Self {
        let externals = scene
            .stimuli
            .iter()
            .filter_map(|s| {
                let StimulusKind::External { initial } = s.kind else {
                    return None;
                };
                let n = match &s.target.neurons {
                    Some(ids) => ids.len(),
                    None => net.population(&s.target.population)?.len as usize,
                };
                Some(External {
                    name: s.name.clone()?,
                    values: vec![initial; n],
                    dirty: false,
                })
            })
            .collect();
        let ports = net
            .populations()
            .iter()
            .map(|p| (p.name.clone(), p.ports))
            .collect();
        Self {
            externals,
            ports,
            pending_ports: Vec::new(),
        }
    }

    /// The external inputs' names.
    pub fn externals(&self) -> impl Iterator<Item = &str> {
        self.externals.iter().map(|e| e.name.as_str())
    }

    /// The current values of external input `stimulus` (as last written).
    pub fn external(&self, stimulus: &str) -> Option<&[f64]> {
        self.externals
            .iter()
            .find(|e| e.name == stimulus)
            .map(|e| &e.values[..])
    }

    /// Set external input `stimulus` (one value per target neuron, or one for all) from the
    /// next network step on.
    pub fn set_external(&mut self, stimulus: &str, values: &[f64]) -> Result<(), BuildError> {
        let Some(e) = self.externals.iter_mut().find(|e| e.name == stimulus) else {
            let names: Vec<&str> = self.externals.iter().map(|e| e.name.as_str()).collect();
            return Err(BuildError::new(
                "stimulus",
                unknown("external input", stimulus, &names),
            ));
        };
        if values.iter().any(|x| !x.is_finite()) {
            return Err(BuildError::new(stimulus, "values must be finite"));
        }
        match values.len() {
            1 => e.values.fill(values[0]),
            n if n == e.values.len() => e.values.copy_from_slice(values),
            n => {
                return Err(BuildError::new(
                    stimulus,
                    format!("expects {} values (or 1), got {n}", e.values.len()),
                ));
            }
        }
        e.dirty = true;
        Ok(())
    }

    /// Set the constant bias added to input port `port` of every neuron of `pop`, from the next
    /// network step on.
    pub fn set_port(&mut self, pop: &str, port: &str, x: f64) -> Result<(), BuildError> {
        let Some(i) = self.ports.iter().position(|(n, _)| n == pop) else {
            return Err(BuildError::new(
                "population",
                format!("no population `{pop}`"),
            ));
        };
        let ports = self.ports[i].1;
        let Some(k) = ports.iter().position(|p| *p == port) else {
            return Err(BuildError::new("port", unknown("port", port, ports)));
        };
        if !x.is_finite() {
            return Err(BuildError::new("value", format!("must be finite, got {x}")));
        }
        self.pending_ports.retain(|&(a, b, _)| (a, b) != (i, k));
        self.pending_ports.push((i, k, x));
        Ok(())
    }

    /// Write what changed into the network.
    fn apply(&mut self, world: &mut World) -> Result<(), BuildError> {
        let Some(mut net) = NetworkMut::of(world) else {
            return Err(BuildError::new("world", "holds no network"));
        };
        for e in self.externals.iter_mut().filter(|e| e.dirty) {
            net.set_external(&e.name, &e.values)?;
            e.dirty = false;
        }
        for (i, k, x) in self.pending_ports.drain(..) {
            let (pop, ports) = &self.ports[i];
            net.set_port(pop, ports[k], x)?;
        }
        Ok(())
    }
}

/// Network → host: what the last run of the step system produced. On `FixedUpdate` that is the
/// last fixed tick: a system in `Update`, after a frame of several ticks, should count spikes by
/// [`NetworkOutputs::spikes_total`] differences or [`NetworkSpike`] messages instead.
#[derive(Resource, Clone, Debug)]
pub struct NetworkOutputs {
    names: Vec<String>,
    starts: Vec<u32>,
    sizes: Vec<u32>,
    value_pops: Vec<bool>,
    spikes: Vec<u32>,
    totals: Vec<u64>,
    values: Vec<Vec<f64>>,
    dt: f64,
    /// Network steps taken so far.
    pub steps: u64,
    /// Network time, ms (`steps · dt`).
    pub time: f64,
    /// Steps taken in the last run.
    pub steps_last_run: u64,
    /// Game time the plugin has seen.
    pub game_time: Duration,
    /// Steps due but not yet taken (backlog under [`LagPolicy::CatchUp`]).
    pub behind: u64,
    /// Steps dropped so far under [`LagPolicy::Skip`].
    pub skipped: u64,
    /// An input that could not be applied in the last run (should not happen: writes are
    /// checked when made).
    pub input_error: Option<BuildError>,
    /// The first non-finite state the watchdog found. Under [`NanPolicy::Stop`] (the default)
    /// the network stops stepping from the check that found it on (the game goes on; the
    /// network's time stands still); set the policy with [`NetworkMut::set_nan_policy`].
    pub fault: Option<Fault>,
}

impl NetworkOutputs {
    fn new(net: &Network) -> Self {
        let pops = net.populations();
        Self {
            names: pops.iter().map(|p| p.name.clone()).collect(),
            starts: pops.iter().map(|p| p.start).collect(),
            sizes: pops.iter().map(|p| p.len).collect(),
            value_pops: pops.iter().map(|p| p.output == OutputKind::Value).collect(),
            spikes: vec![0; pops.len()],
            totals: vec![0; pops.len()],
            values: pops.iter().map(|_| Vec::new()).collect(),
            dt: net.dt(),
            steps: net.steps(),
            time: net.time(),
            steps_last_run: 0,
            game_time: Duration::ZERO,
            behind: 0,
            skipped: 0,
            input_error: None,
            fault: None,
        }
    }

    fn index(&self, pop: &str) -> Option<usize> {
        self.names.iter().position(|n| n == pop)
    }

    /// The populations' names, in id order.
    pub fn populations(&self) -> &[String] {
        &self.names
    }

    /// Spikes (events) of population `pop` in the last run.
    pub fn spikes(&self, pop: &str) -> Option<u32> {
        Some(self.spikes[self.index(pop)?])
    }

    /// Spikes (events) of population `pop` since the start.
    pub fn spikes_total(&self, pop: &str) -> Option<u64> {
        Some(self.totals[self.index(pop)?])
    }

    /// Mean rate of population `pop` over the last run's network time, Hz per neuron (0 if the
    /// last run took no step).
    pub fn rate_hz(&self, pop: &str) -> Option<f64> {
        let i = self.index(pop)?;
        let ms = self.steps_last_run as f64 * self.dt;
        Some(if ms > 0.0 && self.sizes[i] > 0 {
            self.spikes[i] as f64 / self.sizes[i] as f64 / (ms * 1e-3)
        } else {
            0.0
        })
    }

    /// Last values of a value-output population (empty for spiking ones, and before the first
    /// step).
    pub fn values(&self, pop: &str) -> Option<&[f64]> {
        Some(&self.values[self.index(pop)?])
    }

    fn count(&mut self, id: u32) {
        // Populations are contiguous id ranges in ascending order.
        let p = self.starts.partition_point(|&s| s <= id);
        if p > 0 && id - self.starts[p - 1] < self.sizes[p - 1] {
            self.spikes[p - 1] += 1;
            self.totals[p - 1] += 1;
        }
    }
}

/// The step system: inputs in, whole network steps for the game time that passed, outputs out.
pub fn step_network(world: &mut World) {
    let delta = world
        .get_resource::<Time>()
        .map_or(Duration::ZERO, |t| t.delta());
    let applied = match world.get_resource_mut::<NetworkInputs>() {
        Some(_) => {
            world.resource_scope(|world, mut inputs: Mut<NetworkInputs>| inputs.apply(world))
        }
        None => Ok(()),
    };
    let Some(mut stepper) = world.get_resource_mut::<NetworkStepper>() else {
        return;
    };
    let skipped_before = stepper.clock.skipped();
    let n = stepper.clock.advance(delta);
    let (behind, skipped, cap) = (
        stepper.clock.due(),
        stepper.clock.skipped(),
        stepper.clock.max_steps(),
    );
    let game_time = stepper.clock.elapsed();
    let messages = stepper.spike_messages;
    let Some(mut out) = world.remove_resource::<NetworkOutputs>() else {
        return;
    };
    out.input_error = applied.err();
    out.spikes.fill(0);
    out.steps_last_run = n;
    let mut batch = Vec::new();
    for _ in 0..n {
        if let Some(net) = Network::of(world)
            && net.fault().is_some()
            && world.resource::<Watchdog>().policy == NanPolicy::Stop
        {
            break;
        }
        world.run_schedule(Step);
        let Some(net) = Network::of(world) else {
            break;
        };
        let step = net.steps().saturating_sub(1);
        for (&id, &sign) in net.spikes().iter().zip(net.spike_signs()) {
            out.count(id);
            if messages {
                batch.push(NetworkSpike {
                    neuron: id,
                    step,
                    sign,
                });
            }
        }
    }
    if let Some(net) = Network::of(world) {
        out.fault = net.fault().cloned();
        out.steps = net.steps();
        out.time = net.time();
        for i in 0..out.names.len() {
            if out.value_pops[i]
                && let Some(v) = net.values(&out.names[i])
            {
                out.values[i].clear();
                out.values[i].extend_from_slice(v);
            }
        }
    }
    out.game_time = game_time;
    out.behind = behind;
    out.skipped = skipped;
    world.insert_resource(out);
    if !batch.is_empty() {
        world.write_message_batch(batch);
    }
    if n == cap && (behind > 0 || skipped > skipped_before) {
        world.write_message(NetworkLag { behind, skipped });
    }
}
