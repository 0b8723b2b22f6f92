//! Integrate-and-fire family: the plain LIF, the core IF models (AdEx, ExpIF, Lapicque,
//! Izhikevich) and the IF variants of the SC-NeuroCore catalogue.
//! Spec: `shared/models/if_core_hardware.md`.

crate::family! {
    lif::LIFNeuron,
    izhikevich::IzhikevichNeuron,
    adex::AdExNeuron,
    quadratic_if::QuadraticIFNeuron,
    theta::ThetaNeuron,
    perfect_integrator::PerfectIntegratorNeuron,
    gated_lif::GatedLIFNeuron,
    nlif::NonlinearLIFNeuron,
    sfa::SFANeuron,
    mat::MATNeuron,
    escape_rate::EscapeRateNeuron,
    klif::KLIFNeuron,
    expif::ExpIFNeuron,
    lapicque::LapicqueNeuron,
}
