//! Stochastic point-process and stochastic-membrane models.
//! Spec: `shared/models/stochastic_rate_ai.md` part A.

crate::family! {
    poisson::PoissonNeuron,
}
