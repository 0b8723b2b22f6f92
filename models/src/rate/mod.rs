//! Rate, population and neural-mass models, plasticity and other units.
//! Spec: `shared/models/stochastic_rate_ai.md`.

pub mod mcculloch_pitts;
pub mod wilson_cowan;

crate::family! {
    wilson_cowan::WilsonCowanUnit,
    mcculloch_pitts::McCullochPittsNeuron,
}
