//! # neurocore-models
//!
//! The model catalogue: every model of SC-NeuroCore plus the plain LIF and Izhikevich models,
//! one file per model, grouped by family. Each model is a standalone type named after its
//! SC-NeuroCore class (`HodgkinHuxleyNeuron::new().step(10.0)`) and runs in networks through the
//! engine's batch path, with bit-identical results.
//!
//! The dynamics follow the cited papers; names and interfaces follow SC-NeuroCore. Where the two
//! disagree, each model's module documentation says how and why.

#![warn(missing_docs)]
// Model docs write discrete time as X[t] and units as [mV] (`neurocore models` reads the units
// from the brackets); rustdoc would take each for an intra-doc link.
#![allow(rustdoc::broken_intra_doc_links)]

use neurocore_engine::registry::Registry;

/// Re-exports a family's models — `module::Model` per line, each module declared above it
/// with an ordinary `pub mod module;` (so rustfmt and other tools see the file) — and makes the
/// family's `register` function: adding a model is its file, its `pub mod` line and one line
/// here.
macro_rules! family {
    ($( $module:ident :: $model:ident ),* $(,)?) => {
        $( pub use $module::$model; )*
        /// Register this family's models, in catalogue order.
        pub(crate) fn register(reg: &mut neurocore_engine::registry::Registry) {
            $( reg.add::<$model>(); )*
            let _ = reg;
        }
    };
}
pub(crate) use family;

pub mod ai;
pub mod compartmental;
pub mod conductance;
pub mod hardware;
pub mod integrate_fire;
pub mod maps;
pub mod rate;
pub mod spiking;
pub mod stochastic;

pub use ai::*;
pub use compartmental::*;
pub use conductance::*;
pub use hardware::*;
pub use integrate_fire::*;
pub use maps::*;
pub use rate::*;
pub use spiking::*;
pub use stochastic::*;

#[cfg(test)]
#[allow(dead_code)] // not every helper is used by every model's tests
pub(crate) mod test_support;

/// Register every model of the catalogue, grouped by family (each family's list is in its
/// `mod.rs`).
pub fn register_all(reg: &mut Registry) {
    integrate_fire::register(reg);
    spiking::register(reg);
    maps::register(reg);
    conductance::register(reg);
    compartmental::register(reg);
    stochastic::register(reg);
    rate::register(reg);
    hardware::register(reg);
    ai::register(reg);
}

/// A registry holding the whole catalogue.
pub fn registry() -> Registry {
    let mut r = Registry::new();
    register_all(&mut r);
    r
}
