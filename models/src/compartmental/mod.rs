//! Multi-compartment models.
//! Spec: `shared/models/biophysical_multicomp.md` §21–27.

pub mod booth_rinzel;
pub mod dendrify;
pub mod hay_l5;
pub mod marder_stg;
pub mod pinsky_rinzel;
pub mod rall_cable;
pub mod tc_lif;

crate::family! {
    pinsky_rinzel::PinskyRinzelNeuron,
    tc_lif::TwoCompartmentLIFNeuron,
    dendrify::DendrifyNeuron,
    rall_cable::RallCableNeuron,
    booth_rinzel::BoothRinzelNeuron,
    marder_stg::MarderSTGNeuron,
    hay_l5::HayL5PyramidalNeuron,
}
