//! Populations of neurons as bevy entities.
//!
//! Every neuron is an entity carrying its [`NeuronId`] (dense, u32, in spawn order), a
//! [`ModelTag`] of its model, one component per state variable (from the model's
//! [`neuron_state!`](crate::neuron_state) declaration), an [`OutValue`] if the model emits values,
//! and a [`Position`] if its population is placed in space. Populations are spawned with
//! `spawn_batch`, one after another, and never despawned, so a population is a contiguous range
//! of ids and (unless a host moves entities to other tables) a contiguous run of table rows.
//!
//! Everything addressed per neuron by the engine (ring buffers, receptor state, inputs,
//! recorders) is indexed by id, never by `Entity`.

pub mod integrate;
pub mod place;
pub mod spawn;
pub mod watchdog;

pub use spawn::{SpawnRequest, spawn_population};

use std::marker::PhantomData;

use bevy_ecs::prelude::*;

use crate::model::{Model, OutputKind, Timing};

/// Dense neuron id: the index of the neuron in the whole simulation, in spawn order.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NeuronId(pub u32);

/// Marks an entity as a neuron of model `M` (zero-sized; makes each model its own table).
#[derive(Component)]
pub struct ModelTag<M: Model>(PhantomData<M>);

impl<M: Model> Default for ModelTag<M> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

/// The value a value-output model (rate unit, neural mass) emitted on the last step.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq)]
pub struct OutValue(pub f64);

/// Where a neuron sits in space (µm by convention; any unit the scene uses consistently).
#[derive(Component, Clone, Copy, Debug, Default, PartialEq)]
pub struct Position(pub glam::Vec3);

/// One population: a named, contiguous range of neuron ids of one model.
#[derive(Clone, Debug)]
pub struct PopulationInfo {
    /// Name (unique in the simulation).
    pub name: String,
    /// Model class name.
    pub model: &'static str,
    /// First neuron id.
    pub start: u32,
    /// Number of neurons.
    pub len: u32,
    /// What the model emits.
    pub output: OutputKind,
    /// Step semantics.
    pub timing: Timing,
    /// Input port names.
    pub ports: &'static [&'static str],
    /// State variable names.
    pub state_names: &'static [&'static str],
    /// Index of the membrane-potential state variable, if any.
    pub membrane: Option<usize>,
    /// The model reads conductance inputs.
    pub conductance_input: bool,
    /// The entities, by local index.
    pub entities: Vec<Entity>,
    /// Positions, by local index, if the population is placed in space.
    pub positions: Option<Vec<glam::Vec3>>,
}

impl PopulationInfo {
    /// One past the last id.
    pub fn end(&self) -> u32 {
        self.start + self.len
    }
    /// Whether `id` belongs to this population.
    pub fn contains(&self, id: u32) -> bool {
        id >= self.start && id < self.end()
    }
}

/// All populations, in id order.
#[derive(Resource, Default, Debug)]
pub struct Populations {
    /// Populations in spawn (= id) order.
    pub list: Vec<PopulationInfo>,
}

impl Populations {
    /// Total neurons.
    pub fn total(&self) -> u32 {
        self.list.last().map_or(0, |p| p.end())
    }
    /// Index of a population by name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.list.iter().position(|p| p.name == name)
    }
    /// Index of the population holding neuron `id`.
    pub fn pop_of(&self, id: u32) -> Option<usize> {
        let i = self.list.partition_point(|p| p.end() <= id);
        (i < self.list.len() && self.list[i].contains(id)).then_some(i)
    }
}

/// The simulation clock and run settings.
#[derive(Resource, Clone, Debug)]
pub struct Clock {
    /// Steps taken.
    pub step: u64,
    /// Step length, ms.
    pub dt: f64,
    /// Master seed.
    pub seed: u64,
    /// Threads for the heavy systems (1 = serial).
    pub threads: usize,
    /// Fewest neurons of one model for which a step runs in parallel chunks (with threads > 1).
    pub par_min: usize,
}

impl Clock {
    /// Current time (start of the coming step), ms.
    pub fn t(&self) -> f64 {
        self.step as f64 * self.dt
    }
}

/// Per-population copies of the inputs each neuron received in the last step (ports summed
/// over stimuli and receptors, conductance pair, membrane jumps), by local index. Filled only
/// while probing is on (`Simulation::probe_inputs`), for inspection and tests; the batch path
/// itself drains inputs from the ring buffers block by block.
#[derive(Clone, Debug, Default)]
pub struct PopInputs {
    /// One buffer per input port.
    pub ports: Vec<Vec<f64>>,
    /// Σ g (conductance receptors); empty if the population has none.
    pub g: Vec<f64>,
    /// Σ g·E; empty if the population has none.
    pub ge: Vec<f64>,
    /// Jumps of the membrane potential (delta receptors); empty if none.
    pub jump: Vec<f64>,
}

impl PopInputs {
    /// Zero everything for a new step.
    pub fn clear(&mut self) {
        for p in &mut self.ports {
            p.fill(0.0);
        }
        self.g.fill(0.0);
        self.ge.fill(0.0);
        self.jump.fill(0.0);
    }
}

/// Inputs of every population, by population index (see [`PopInputs`]).
#[derive(Resource, Default, Debug)]
pub struct Inputs {
    /// Whether the Integrate systems copy each step's inputs here (forces the serial path).
    pub probe: bool,
    /// Per population.
    pub pops: Vec<PopInputs>,
}

/// Spikes (and signed events) emitted this step, in id order after the Emit set.
#[derive(Resource, Default, Debug)]
pub struct StepSpikes {
    /// Neuron ids.
    pub ids: Vec<u32>,
    /// Event signs (+1 spike, −1 negative event), parallel to `ids`.
    pub signs: Vec<i8>,
    /// Collected by the Integrate systems, sorted in Emit.
    pub(crate) pending: Vec<(u32, i8)>,
}

/// Values emitted this step by value-output populations, by population index (empty for
/// spiking populations). Filled in the Emit set.
#[derive(Resource, Default, Debug)]
pub struct StepValues {
    /// Per population, by local index.
    pub pops: Vec<Vec<f64>>,
}

/// Constants of a model's populations: shared, or one set per neuron when parameters vary.
#[derive(Clone, Debug)]
pub enum ConstsStore<K> {
    /// All neurons share these constants.
    Shared(K),
    /// Per neuron (parameters drawn per neuron).
    PerNeuron(Vec<K>),
}

/// One population of model `M`, as the Integrate system sees it.
#[derive(Clone, Debug)]
pub struct ModelPop<M: Model> {
    /// Population index.
    pub pop: usize,
    /// First id.
    pub start: u32,
    /// One past the last id.
    pub end: u32,
    /// Membrane index, for jumps.
    pub membrane: Option<usize>,
    /// The model's constants for the simulation's dt.
    pub consts: ConstsStore<M::Consts>,
    /// Parameters per neuron (for reading back); `None` when shared.
    pub params: ConstsStore<M::Params>,
}

/// The populations of model `M`.
#[derive(Resource)]
pub struct ModelPops<M: Model> {
    /// In id order.
    pub list: Vec<ModelPop<M>>,
}

impl<M: Model> Default for ModelPops<M> {
    fn default() -> Self {
        Self { list: Vec::new() }
    }
}

impl<M: Model> ModelPops<M> {
    /// The entry holding `id`.
    #[inline]
    pub fn find(&self, id: u32) -> Option<&ModelPop<M>> {
        self.list.iter().find(|e| id >= e.start && id < e.end)
    }
}
