//! # neurocore-engine
//!
//! The engine of neurocore: neurons as bevy_ecs entities with one component per state
//! variable, systems that advance each model in struct-of-arrays batches through the model's
//! scalar kernel, projections as CSR tables with per-synapse delays in ring buffers, receptors
//! independent of the model, stimuli, recorders, and the [`Simulation`](sim::Simulation)
//! embedding API. The engine names no concrete model: models implement [`model::Model`] and are
//! listed in a [`registry::Registry`] (the catalogue lives in `neurocore-models`).
//!
//! See `docs/ARCHITECTURE.md` for the measured design decisions, and `CONTRIBUTING.md` for
//! which files each kind of addition touches.

#![warn(missing_docs)]

extern crate self as neurocore_engine;

pub mod error;
pub mod input;
pub mod model;
pub mod numerics;
#[cfg(feature = "bevy")]
pub mod plugin;
pub mod record;
pub mod registry;
pub mod scene;
pub mod schedule;
pub mod sim;
pub mod synapse;
pub mod world;

/// Re-exported so model macros can name it.
pub use bevy_ecs;
/// Re-exported so model macros can name it.
pub use serde;

/// What a model file needs.
pub mod prelude {
    pub use crate::model::{
        Block, Family, Input, Model, Output, OutputKind, ParamError, ParamSet, Standalone,
        StateMap, StateVars, StepError, Timing, check, substeps,
    };
    pub use crate::numerics::kinetics::{
        Currents, Gate, MethodSubstep, boltzmann, check_method, conductance_substep, crossed,
        method_block, method_step, q10, substeps_detect,
    };
    pub use crate::numerics::rng::NeuronRng;
    pub use crate::numerics::{
        Method, euler, exp, flush_subnormal, gate, lin, linear_relax, method, relax, rk4, sigmoid,
    };
    pub use crate::{neuron_state, params, standalone};
}
