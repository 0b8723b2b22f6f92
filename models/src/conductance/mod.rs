//! Conductance-based (Hodgkin–Huxley type) models.
//! Spec: `shared/models/biophysical_multicomp.md` §1–20.

pub mod bertram_phantom;
pub mod connor_stevens;
pub mod de_schutter_purkinje;
pub mod destexhe_thalamic;
pub mod durstewitz_dopamine;
pub mod gif_population;
pub mod glif;
pub mod golomb_fs;
pub mod hill_tononi;
pub mod hodgkin_huxley;
pub mod huber_braun;
pub mod mainen_sejnowski;
pub mod mihalas_niebur;
pub mod plant_r15;
pub mod pospischil;
pub mod prescott;
pub mod traub_miles;
pub mod wang_buzsaki;
pub mod yamada;

crate::family! {
    hodgkin_huxley::HodgkinHuxleyNeuron,
    traub_miles::TraubMilesNeuron,
    wang_buzsaki::WangBuzsakiNeuron,
    connor_stevens::ConnorStevensNeuron,
    destexhe_thalamic::DestexheThalamicNeuron,
    huber_braun::HuberBraunNeuron,
    golomb_fs::GolombFSNeuron,
    pospischil::PospischilNeuron,
    mainen_sejnowski::MainenSejnowskiNeuron,
    de_schutter_purkinje::DeSchutterPurkinjeNeuron,
    plant_r15::PlantR15Neuron,
    prescott::PrescottNeuron,
    mihalas_niebur::MihalasNieburNeuron,
    glif::GLIFNeuron,
    gif_population::GIFPopulationNeuron,
    hill_tononi::HillTononiNeuron,
    bertram_phantom::BertramPhantomBurster,
    durstewitz_dopamine::DurstewitzDopamineNeuron,
    yamada::YamadaNeuron,
}
