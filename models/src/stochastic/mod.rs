//! Stochastic point-process and stochastic-membrane models.
//! Spec: `shared/models/stochastic_rate_ai.md` part A.

pub mod inhomogeneous_poisson;
pub mod poisson;

crate::family! {
    poisson::PoissonNeuron,
    inhomogeneous_poisson::InhomogeneousPoissonNeuron,
}
