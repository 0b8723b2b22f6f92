//! Multi-compartment models.
//! Spec: `shared/models/biophysical_multicomp.md` §21–27.

pub mod dendrify;
pub mod pinsky_rinzel;
pub mod rall_cable;
pub mod tc_lif;

crate::family! {
    dendrify::DendrifyNeuron,
    pinsky_rinzel::PinskyRinzelNeuron,
    rall_cable::RallCableNeuron,
    tc_lif::TwoCompartmentLIFNeuron,
}
