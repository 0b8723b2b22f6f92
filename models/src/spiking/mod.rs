//! Simple spiking models (two or three variables).
//! Spec: `shared/models/simple_maps.md` §1–21.

pub mod alpha;
pub mod balanced_resonate_and_fire;
pub mod benda_herz;
pub mod butera_respiratory;
pub mod chay;
pub mod chay_keizer;
pub mod coba_lif;
pub mod e_prop_alif;
pub mod fitzhugh_nagumo;
pub mod fitzhugh_rinzel;
pub mod gutkin_ermentrout;
pub mod hindmarsh_rose;
pub mod lnm;
pub mod mckean;
pub mod morris_lecar;
pub mod pernarowski;
pub mod resonate_and_fire;
pub mod sherman_rinzel_keizer;
pub mod superspike_neuron;
pub mod terman_wang;
pub mod wilson_hr;

crate::family! {
    fitzhugh_nagumo::FitzHughNagumoNeuron,
    morris_lecar::MorrisLecarNeuron,
    hindmarsh_rose::HindmarshRoseNeuron,
    resonate_and_fire::ResonateAndFireNeuron,
    balanced_resonate_and_fire::BalancedResonateAndFireNeuron,
    fitzhugh_rinzel::FitzHughRinzelNeuron,
    mckean::McKeanNeuron,
    terman_wang::TermanWangOscillator,
    benda_herz::BendaHerzNeuron,
    alpha::AlphaNeuron,
    coba_lif::COBALIFNeuron,
    gutkin_ermentrout::GutkinErmentroutNeuron,
    wilson_hr::WilsonHRNeuron,
    chay::ChayNeuron,
    chay_keizer::ChayKeizerNeuron,
    sherman_rinzel_keizer::ShermanRinzelKeizerNeuron,
    butera_respiratory::ButeraRespiratoryNeuron,
    e_prop_alif::EPropALIFNeuron,
    superspike_neuron::SuperSpikeNeuron,
    lnm::LearnableNeuronModel,
    pernarowski::PernarowskiNeuron,
}
