//! The model anatomy: the traits every neuron model implements and the two declarative macros
//! that turn one declaration into everything the engine needs.
//!
//! A model file declares, in this order (see `docs/ARCHITECTURE.md`):
//!
//! 1. its parameters with [`params!`](crate::params) — a serde struct with `deny_unknown_fields`,
//!    `Default` = the paper's values, and run-time metadata (name, doc, unit, default) per field,
//!    so that scenes can set fields by name and `neurocore models` can list them;
//! 2. its state with [`neuron_state!`](crate::neuron_state) — a plain `Copy` struct plus **one bevy
//!    component per state variable**, the names `get_state()` returns, and the struct-of-arrays
//!    load/store used by the batch path;
//! 3. a scalar kernel — a pure function of (constants, state, inputs, rng) that advances one step;
//! 4. the [`Model`] impl tying these together, and the standalone type made by
//!    [`standalone!`](crate::standalone) (SC-NeuroCore's class name, `new`, `with_params`, `reset`,
//!    `get_state`, `step`).
//!
//! The batch path ([`crate::world::integrate`]) loads each neuron's state from the component
//! slices into the state struct, calls the same [`Model::update`] the standalone path calls, and
//! stores it back, so a neuron behaves bit-for-bit the same alone and in a network.

mod params;
mod standalone;
mod state;

pub use params::*;
pub use standalone::*;
pub use state::*;

use std::fmt;

use bevy_ecs::query::{ContiguousQueryData, QueryData};

use crate::numerics::rng::NeuronRng;

// ---------------------------------------------------------------------------------------------
// Inputs and outputs
// ---------------------------------------------------------------------------------------------

/// The values a model's input ports take for one step: `[f64; N]` for N ports.
pub trait PortArray: Copy + Default + fmt::Debug + Send + Sync + 'static {
    /// Number of ports.
    const N: usize;
    /// Build from a function of the port index.
    fn from_fn(f: impl FnMut(usize) -> f64) -> Self;
    /// The values as a slice.
    fn as_slice(&self) -> &[f64];
}
macro_rules! port_array {
    ($($n:literal),*) => {$(
        impl PortArray for [f64; $n] {
            const N: usize = $n;
            #[inline(always)]
            fn from_fn(f: impl FnMut(usize) -> f64) -> Self {
                std::array::from_fn(f)
            }
            #[inline(always)]
            fn as_slice(&self) -> &[f64] {
                self
            }
        }
    )*};
}
port_array!(0, 1, 2, 3, 4);

/// Everything that drives a neuron during one step, held constant over the step.
///
/// `ports` are the model's own inputs (SC-NeuroCore's `step()` arguments, in order). `g` and
/// `ge` carry the engine's conductance receptors: the synaptic current at membrane potential `v`
/// is `ge - g·v` (= Σ gₖ(Eₖ − v)), in the units of the model's current port. Models with a
/// membrane potential add [`Input::syn`] inside every substep / RK stage, so conductances act
/// on the potential the integrator is at, not on the potential at the step's start.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Input<P> {
    /// Port values, in the order of [`Model::PORTS`].
    pub ports: P,
    /// Total synaptic conductance Σ gₖ.
    pub g: f64,
    /// Σ gₖ·Eₖ (conductance times reversal potential).
    pub ge: f64,
}

impl<P: PortArray> Input<P> {
    /// Inputs with only port values (no synaptic conductance): the standalone path.
    #[inline(always)]
    pub fn ports(ports: P) -> Self {
        Self {
            ports,
            g: 0.0,
            ge: 0.0,
        }
    }
    /// Synaptic conductance current at membrane potential `v`: Σ gₖ(Eₖ − v).
    #[inline(always)]
    pub fn syn(&self, v: f64) -> f64 {
        self.ge - self.g * v
    }
}

impl Input<[f64; 1]> {
    /// Port 0 (the injected current) plus the conductance current at `v`.
    #[inline(always)]
    pub fn current(&self, v: f64) -> f64 {
        self.ports[0] + self.ge - self.g * v
    }
}

/// What a model emits each step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum OutputKind {
    /// A spike (0/1).
    Spike,
    /// A signed event (−1/0/+1).
    Signed,
    /// A continuous value (a rate, a potential) transmitted every step.
    Value,
}

impl fmt::Display for OutputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OutputKind::Spike => "spike",
            OutputKind::Signed => "signed event",
            OutputKind::Value => "value",
        })
    }
}

/// The type a model's step returns: `bool` (spike), `i8` (signed event) or `f64` (value).
pub trait Output: Copy + fmt::Debug + PartialEq + Send + Sync + 'static {
    /// Which kind this is.
    const KIND: OutputKind;
    /// The event carried: 0 none, +1 spike / positive event, −1 negative event.
    fn event(self) -> i8;
    /// As a number (spikes and events as 0/±1).
    fn value(self) -> f64;
    /// The "nothing happened" value returned when a step is refused.
    fn none() -> Self;
}
impl Output for bool {
    const KIND: OutputKind = OutputKind::Spike;
    #[inline(always)]
    fn event(self) -> i8 {
        self as i8
    }
    #[inline(always)]
    fn value(self) -> f64 {
        if self { 1.0 } else { 0.0 }
    }
    fn none() -> Self {
        false
    }
}
impl Output for i8 {
    const KIND: OutputKind = OutputKind::Signed;
    #[inline(always)]
    fn event(self) -> i8 {
        self.signum()
    }
    #[inline(always)]
    fn value(self) -> f64 {
        self as f64
    }
    fn none() -> Self {
        0
    }
}
impl Output for f64 {
    const KIND: OutputKind = OutputKind::Value;
    #[inline(always)]
    fn event(self) -> i8 {
        0
    }
    #[inline(always)]
    fn value(self) -> f64 {
        self
    }
    fn none() -> Self {
        f64::NAN
    }
}

/// How a model relates one step to time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Timing {
    /// A continuous-time model: a step advances a span of time (ms), substepping inside.
    Continuous,
    /// A discrete map or a chip's algorithmic timestep: one step is one iteration, whatever
    /// the network's `dt`.
    Iteration,
}

/// The model families of the catalogue (folders of `neurocore-models`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Family {
    /// Integrate-and-fire variants and the core IF models.
    IntegrateFire,
    /// Simple spiking (two/three-variable) models.
    Spiking,
    /// Discrete-time map neurons.
    Maps,
    /// Conductance-based (Hodgkin-Huxley type) models.
    Conductance,
    /// Multi-compartment models.
    Compartmental,
    /// Stochastic point-process and stochastic-membrane models.
    Stochastic,
    /// Rate, population and neural-mass models.
    Rate,
    /// Emulators of neuromorphic chips.
    Hardware,
    /// "AI-optimised" models.
    Ai,
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Family::IntegrateFire => "integrate-and-fire",
            Family::Spiking => "simple spiking",
            Family::Maps => "discrete maps",
            Family::Conductance => "conductance-based",
            Family::Compartmental => "multi-compartment",
            Family::Stochastic => "stochastic",
            Family::Rate => "rate / neural mass",
            Family::Hardware => "chip emulators",
            Family::Ai => "AI-optimised",
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The model trait
// ---------------------------------------------------------------------------------------------

/// A neuron model: type-level description plus the scalar kernel.
///
/// Implemented by the standalone type of each model (whose name is SC-NeuroCore's class name).
pub trait Model: Send + Sync + Sized + 'static {
    /// SC-NeuroCore's class name, e.g. `"AdExNeuron"`.
    const NAME: &'static str;
    /// Catalogue family.
    const FAMILY: Family;
    /// One line: what the model is.
    const SUMMARY: &'static str;
    /// The paper (authors, year, journal, DOI) the dynamics follow.
    const REFERENCE: &'static str;
    /// Names of the input ports, in `step()` argument order.
    const PORTS: &'static [&'static str];
    /// The state variable that is the membrane potential (target of delta "jump" receptors and
    /// of conductance receptors); `None` if the model has none (maps in arbitrary units, rate
    /// units, generators).
    const MEMBRANE: Option<&'static str>;
    /// Whether a step is a span of time or one iteration.
    const TIMING: Timing;
    /// Whether [`Model::update`] reads the [`Input::g`]/[`Input::ge`] conductance pair, so that
    /// conductance receptors may target it.
    const CONDUCTANCE_INPUT: bool;
    /// A typical drive (port values, in port order) under which the model is active: used by
    /// the catalogue-wide tests, the kernel benchmark and `neurocore models`.
    const DRIVE: &'static [f64];
    /// The parameter holding the model's internal integration step (ms), if the model
    /// substeps; convergence tests shrink it together with the step span.
    const SUBSTEP: Option<&'static str>;
    /// Parameters.
    type Params: ParamSet;
    /// State.
    type State: StateVars;
    /// Constants derived from the parameters and the step span (decay factors, substep count).
    type Consts: Clone + fmt::Debug + Send + Sync + 'static;
    /// Port values: `[f64; PORTS.len()]`.
    type Ports: PortArray;
    /// What a step returns.
    type Output: Output;

    /// The initial state for these parameters (what `reset()` restores).
    fn init(p: &Self::Params) -> Self::State;
    /// The time one standalone `step()` spans for these parameters (SC-NeuroCore's step), ms.
    /// Ignored for [`Timing::Iteration`] models.
    fn standalone_span(p: &Self::Params) -> f64;
    /// Derive the constants for steps of length `span` ms (substeps chosen inside).
    fn prepare(p: &Self::Params, span: f64) -> Self::Consts;
    /// The scalar kernel: advance `s` by one step with inputs `x`; return what was emitted.
    fn update(
        k: &Self::Consts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        rng: &mut NeuronRng,
    ) -> Self::Output;

    /// Advance a block of neurons that share `k` (the batch path). The default runs
    /// [`Model::update`] on each. A model whose kernel branches on a constant — an integrator
    /// choice, say — may override this to take that branch once per block and run a loop
    /// without it, which the compiler can vectorise; every arm must run exactly the code
    /// `update` runs for that constant (the catalogue tests check batch == standalone bit for
    /// bit). See `COBALIFNeuron`.
    #[inline(always)]
    fn update_block<B: Block<Self>>(k: &Self::Consts, block: &mut B) {
        block.for_each(
            #[inline(always)]
            |s, x, rng| Self::update(k, s, x, rng),
        );
    }
}

/// A block of neurons of model `M` as the batch path hands it to [`Model::update_block`].
pub trait Block<M: Model> {
    /// Run `f` on every neuron of the block, in order: its state, its inputs, its random stream.
    fn for_each(
        &mut self,
        f: impl FnMut(&mut M::State, &Input<M::Ports>, &mut NeuronRng) -> M::Output,
    );
}

/// Number of equal substeps of at most `h_max` that make up `span`, and their length.
/// Used by `prepare()` of models that substep (e.g. HH: 1 ms in substeps of 0.01 ms).
pub fn substeps(span: f64, h_max: f64) -> (u32, f64) {
    let n = (span / h_max - 1e-9).ceil().max(1.0);
    let n = if n.is_finite() && n < u32::MAX as f64 {
        n as u32
    } else {
        1
    };
    (n, span / n as f64)
}
