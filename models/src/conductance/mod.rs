//! Conductance-based (Hodgkin–Huxley type) models.
//! Spec: `shared/models/biophysical_multicomp.md` §1–20.

pub mod connor_stevens;
pub mod destexhe_thalamic;
pub mod golomb_fs;
pub mod bertram_phantom;
pub mod hill_tononi;
pub mod hodgkin_huxley;
pub mod huber_braun;
pub mod pospischil;
pub mod glif;
pub mod mainen_sejnowski;
pub mod mihalas_niebur;
pub mod plant_r15;
pub mod prescott;
pub mod traub_miles;
pub mod wang_buzsaki;

crate::family! {
    connor_stevens::ConnorStevensNeuron,
    destexhe_thalamic::DestexheThalamicNeuron,
    golomb_fs::GolombFSNeuron,
    bertram_phantom::BertramPhantomBurster,
    hill_tononi::HillTononiNeuron,
    hodgkin_huxley::HodgkinHuxleyNeuron,
    huber_braun::HuberBraunNeuron,
    pospischil::PospischilNeuron,
    traub_miles::TraubMilesNeuron,
    wang_buzsaki::WangBuzsakiNeuron,
    prescott::PrescottNeuron,
    mihalas_niebur::MihalasNieburNeuron,
    glif::GLIFNeuron,
    plant_r15::PlantR15Neuron,
    mainen_sejnowski::MainenSejnowskiNeuron,
}
