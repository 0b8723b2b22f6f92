//! Multi-compartment models.
//! Spec: `shared/models/biophysical_multicomp.md` §21–27.

pub mod pinsky_rinzel;

crate::family! {
    pinsky_rinzel::PinskyRinzelNeuron,
}
