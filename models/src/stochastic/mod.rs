//! Stochastic point-process and stochastic-membrane models.
//! Spec: `shared/models/stochastic_rate_ai.md` part A.

pub mod galves_locherbach;
pub mod gamma_renewal;
pub mod glm;
pub mod inhomogeneous_poisson;
pub mod poisson;
pub mod spike_response;
pub mod stochastic_if;

crate::family! {
    poisson::PoissonNeuron,
    inhomogeneous_poisson::InhomogeneousPoissonNeuron,
    gamma_renewal::GammaRenewalNeuron,
    stochastic_if::StochasticIFNeuron,
    galves_locherbach::GalvesLocherbachNeuron,
    spike_response::SpikeResponseNeuron,
    glm::GLMNeuron,
}
