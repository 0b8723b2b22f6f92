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
    fixed_point_lif::FixedPointLIFNeuron,
}
