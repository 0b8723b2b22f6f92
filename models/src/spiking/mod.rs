//! Simple spiking models (two or three variables).
//! Spec: `shared/models/simple_maps.md` §1–21.

crate::family! {
    fitzhugh_nagumo::FitzHughNagumoNeuron,
    morris_lecar::MorrisLecarNeuron,
    hindmarsh_rose::HindmarshRoseNeuron,
    coba_lif::COBALIFNeuron,
}
