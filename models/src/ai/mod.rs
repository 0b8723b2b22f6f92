//! "AI-optimised" models: SC-NeuroCore's own inventions for machine-learning use, not
//! established neuroscience; each module says so and states what its tests check.
//! Spec: `shared/models/stochastic_rate_ai.md` §26–34.

pub mod multi_timescale;

crate::family! {
    multi_timescale::MultiTimescaleNeuron,
}
