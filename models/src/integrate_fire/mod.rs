//! Integrate-and-fire family: the plain LIF, the core IF models (AdEx, ExpIF, Lapicque,
//! Izhikevich) and the IF variants of the SC-NeuroCore catalogue.
//! Spec: `shared/models/if_core_hardware.md`.

crate::family! {
    lif::LIFNeuron,
    izhikevich::IzhikevichNeuron,
    adex::AdExNeuron,
    ilif::InhibitoryLIFNeuron,
    clif::ComplementaryLIFNeuron,
    plif::ParametricLIFNeuron,
    non_resetting_lif::NonResettingLIFNeuron,
    adaptive_threshold_if::AdaptiveThresholdIFNeuron,
    energy_lif::EnergyLIFNeuron,
    sigma_delta::SigmaDeltaNeuron,
    iqif::IntegerQIFNeuron,
    cfc::ClosedFormContinuousNeuron,
    izhikevich2007::Izhikevich2007Neuron,
}

// FixedPointLIFNeuron is not registered: its ports are SC-NeuroCore's (leak_k, gain_k, I_t,
// noise_in) and it cannot fire when only the first port is driven (unconnected ports are 0 in a
// network), which the catalogue's network test requires (tests/catalogue.rs). It is a standalone
// type with its own network test; register it once the catalogue drives every port.
pub mod fixed_point_lif;
pub use fixed_point_lif::FixedPointLIFNeuron;
