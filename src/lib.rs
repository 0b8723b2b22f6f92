//! # neurocore
//!
//! A data-oriented simulation engine for spiking and rate neuron networks on `bevy_ecs`.
//! This facade re-exports the engine ([`engine`]) and the model catalogue ([`models`]).

pub use neurocore_engine as engine;
pub use neurocore_models as models;

/// The Bevy plugin (feature `bevy`).
#[cfg(feature = "bevy")]
pub use neurocore_engine::plugin::NeurocorePlugin;
pub use neurocore_engine::scene::Scene;
pub use neurocore_engine::sim::Simulation;
pub use neurocore_models::registry;

pub mod cli;
