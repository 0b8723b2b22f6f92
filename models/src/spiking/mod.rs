//! Simple spiking models (two or three variables).
//! Spec: `shared/models/simple_maps.md` §1–21.

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
