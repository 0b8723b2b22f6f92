//! Rate, population and neural-mass models, plasticity and other units.
//! Spec: `shared/models/stochastic_rate_ai.md`.

crate::family! {
    wilson_cowan::WilsonCowanUnit,
}
