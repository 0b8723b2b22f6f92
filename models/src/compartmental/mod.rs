//! Multi-compartment models.
//! Spec: `shared/models/biophysical_multicomp.md` §21–27.

crate::family! {
    pinsky_rinzel::PinskyRinzelNeuron,
}
