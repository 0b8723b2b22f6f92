//! Integrate-and-fire family: the IF variants of the SC-NeuroCore catalogue, the core IF models
//! (AdEx, ExpIF, Lapicque) and the added plain LIF and Izhikevich models, in the order of the
//! spec, `shared/models/if_core_hardware.md`.

crate::family! {
    quadratic_if::QuadraticIFNeuron,
    theta::ThetaNeuron,
    perfect_integrator::PerfectIntegratorNeuron,
    gated_lif::GatedLIFNeuron,
    nlif::NonlinearLIFNeuron,
    sfa::SFANeuron,
    mat::MATNeuron,
    escape_rate::EscapeRateNeuron,
    klif::KLIFNeuron,
    ilif::InhibitoryLIFNeuron,
    clif::ComplementaryLIFNeuron,
    plif::ParametricLIFNeuron,
    non_resetting_lif::NonResettingLIFNeuron,
    adaptive_threshold_if::AdaptiveThresholdIFNeuron,
    sigma_delta::SigmaDeltaNeuron,
    energy_lif::EnergyLIFNeuron,
    iqif::IntegerQIFNeuron,
    cfc::ClosedFormContinuousNeuron,
    adex::AdExNeuron,
    expif::ExpIFNeuron,
    lapicque::LapicqueNeuron,
    fixed_point_lif::FixedPointLIFNeuron,
    lif::LIFNeuron,
    izhikevich2007::Izhikevich2007Neuron,
    izhikevich::IzhikevichNeuron,
}
