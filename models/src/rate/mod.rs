//! Rate, population and neural-mass models, plasticity and other units.
//! Spec: `shared/models/stochastic_rate_ai.md`.

pub mod siegert;
pub mod wilson_cowan;

crate::family! {
    wilson_cowan::WilsonCowanUnit,
    siegert::SiegertTransferFunction,
}
