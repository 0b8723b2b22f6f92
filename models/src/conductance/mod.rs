//! Conductance-based (Hodgkin–Huxley type) models.
//! Spec: `shared/models/biophysical_multicomp.md` §1–20.

pub mod glif;
pub mod hodgkin_huxley;
pub mod mainen_sejnowski;
pub mod mihalas_niebur;
pub mod plant_r15;
pub mod prescott;
pub mod traub_miles;

crate::family! {
    hodgkin_huxley::HodgkinHuxleyNeuron,
    traub_miles::TraubMilesNeuron,
    prescott::PrescottNeuron,
    mihalas_niebur::MihalasNieburNeuron,
    glif::GLIFNeuron,
    plant_r15::PlantR15Neuron,
    mainen_sejnowski::MainenSejnowskiNeuron,
}
