//! Conductance-based (Hodgkin–Huxley type) models.
//! Spec: `shared/models/biophysical_multicomp.md` §1–20.

pub mod connor_stevens;
pub mod hodgkin_huxley;
pub mod traub_miles;
pub mod wang_buzsaki;

crate::family! {
    connor_stevens::ConnorStevensNeuron,
    hodgkin_huxley::HodgkinHuxleyNeuron,
    traub_miles::TraubMilesNeuron,
    wang_buzsaki::WangBuzsakiNeuron,
}
