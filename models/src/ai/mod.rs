//! "AI-optimised" models: SC-NeuroCore's own inventions for machine-learning use, not
//! established neuroscience; each module says so and states what its tests check.
//! Spec: `shared/models/stochastic_rate_ai.md` §26–34.

pub mod arcane;
pub mod attention_gated;
pub mod compositional_binding;
pub mod continuous_attractor;
pub mod differentiable_surrogate;
pub mod meta_plastic;
pub mod multi_timescale;
pub mod predictive_coding;
pub mod self_referential;

crate::family! {
    multi_timescale::MultiTimescaleNeuron,
    attention_gated::AttentionGatedNeuron,
    predictive_coding::PredictiveCodingNeuron,
    self_referential::SelfReferentialNeuron,
    compositional_binding::CompositionalBindingNeuron,
    differentiable_surrogate::DifferentiableSurrogateNeuron,
    continuous_attractor::ContinuousAttractorNeuron,
    meta_plastic::MetaPlasticNeuron,
    arcane::ArcaneNeuron,
}
