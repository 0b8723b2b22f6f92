//! Conductance-based (Hodgkin–Huxley type) models.
//! Spec: `shared/models/biophysical_multicomp.md` §1–20.

pub mod bertram_phantom;
pub mod hill_tononi;
pub mod hodgkin_huxley;
pub mod traub_miles;

crate::family! {
    bertram_phantom::BertramPhantomBurster,
    hill_tononi::HillTononiNeuron,
    hodgkin_huxley::HodgkinHuxleyNeuron,
    traub_miles::TraubMilesNeuron,
}
