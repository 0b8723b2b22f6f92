//! Integrate-and-fire family: the IF variants of the SC-NeuroCore catalogue, the core IF models
//! (AdEx, ExpIF, Lapicque) and the added plain LIF and Izhikevich models, in the order of the
//! spec, `shared/models/if_core_hardware.md`.

pub mod adaptive_threshold_if;
pub mod adex;
pub mod cfc;
pub mod clif;
pub mod compte_wm;
pub mod energy_lif;
pub mod escape_rate;
pub mod expif;
pub mod fixed_point_lif;
pub mod gated_lif;
pub mod ilif;
pub mod iqif;
pub mod izhikevich;
pub mod izhikevich2007;
pub mod klif;
pub mod lapicque;
pub mod lif;
pub mod mat;
pub mod nlif;
pub mod non_resetting_lif;
pub mod perfect_integrator;
pub mod plif;
pub mod quadratic_if;
pub mod sfa;
pub mod sigma_delta;
pub mod theta;

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
    compte_wm::CompteWMNeuron,
}
